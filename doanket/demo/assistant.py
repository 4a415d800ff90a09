"""The assistant's demo: the full texts of three directives of Lào Cai's library (summaries written
for the demo, marked as such), so that questions on the library have passages to answer from."""

from __future__ import annotations

from pathlib import Path

from doanket.organizations.models import Unit
from doanket.programs import library
from doanket.programs.models import Directive

TEXTS = Path(__file__).resolve().parents[2] / "demo" / "documents" / "thu-vien"
FULL_TEXTS = {
    "93/2021/NĐ-CP": "93-2021-ND-CP.txt",
    "124-QĐ/TW": "124-QD-TW.txt",
    "1719/QĐ-TTg": "1719-QD-TTg.txt",
}


def load_assistant(province: Unit) -> None:
    """Attach each text to the province's library entry of that code, once (a second load keeps it)."""
    for code, name in FULL_TEXTS.items():
        directive = Directive.objects.filter(unit=province, code=code).first()
        if directive is None or directive.full_text:
            continue
        library.attach_full_text(None, directive, (TEXTS / name).read_bytes(), name)
