import unicodedata

from doanket.core.text import fold, nfc


def test_search_keys_ignore_accents_and_case() -> None:
    assert fold("Người nghèo") == fold("nguoi ngheo") == "nguoi ngheo"
    assert fold("Lào Cai") == "lao cai"
    assert fold("ĐOÀN KẾT") == "doan ket"


def test_old_and_new_tone_placement_fold_alike() -> None:
    assert fold("hoà") == fold("hòa")
    assert fold("khoá") == fold("khóa")
    assert fold("thuỷ") == fold("thủy")


def test_stored_text_is_nfc_with_single_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "  Lạng   Sơn ")
    assert nfc(decomposed) == "Lạng Sơn"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_nfc_lines_keeps_the_lines_of_a_narrative() -> None:
    from doanket.core.text import nfc_lines

    decomposed = unicodedata.normalize("NFD", "Nhân dân phấn khởi")
    text = f"  {decomposed}  \r\n\r\n\r\n\r\n- Xây   3 căn nhà\t\n- Sửa 2 căn \n"
    assert nfc_lines(text) == "Nhân dân phấn khởi\n\n- Xây 3 căn nhà\n- Sửa 2 căn"
    assert unicodedata.is_normalized("NFC", nfc_lines(text))
