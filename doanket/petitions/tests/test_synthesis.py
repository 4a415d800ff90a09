"""Synthesis: the opinions of a period grouped into themes (near-duplicates collapsed, the same
request in other words or without accents put together), edited by officers, exported, and
drafted into the quarterly report."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from docx import Document
from sklearn.metrics import adjusted_rand_score

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.demo.opinions import THEMES, old_tones, opinions, without_accents
from doanket.organizations.models import Level
from doanket.petitions import grouping, services, synthesis
from doanket.petitions.models import Channel, Kind, Petition, Synthesis, Theme, ThemeMember
from doanket.petitions.services import Sender
from doanket.petitions.synthesis import SynthesisError
from doanket.reporting import sources

ROAD = "Đường liên thôn Na Hối xuống cấp nghiêm trọng, nhiều ổ gà, đề nghị sửa chữa, nâng cấp tuyến đường."
WATER = "Mùa khô các hộ dân thiếu nước sinh hoạt, công trình cấp nước tự chảy bị hỏng, đề nghị sửa chữa bể chứa."
FRAUD = "Nhiều người bị kẻ gian giả danh công an gọi điện thoại lừa chuyển tiền, đề nghị công an tuyên truyền."


# --- The grouping itself ----------------------------------------------------------------------------


def test_features_are_syllables_and_neighbouring_pairs_folded_and_never_across_punctuation() -> None:
    assert grouping.features("Hoà bình, khóa học và giấy chứng nhận") == [
        "hoa",
        "binh",
        "hoa binh",
        "khoa",
        "hoc",
        "khoa hoc",
        "giay",
        "chung",
        "giay chung",
        "nhan",
        "chung nhan",
    ]
    # Old and new tone placement, and no accents at all, give the same features.
    assert grouping.features("thuỷ lợi hoà thuận") == grouping.features("thủy lợi hòa thuận")
    assert grouping.features("thuy loi hoa thuan") == grouping.features("thủy lợi hòa thuận")


def test_the_same_request_in_other_spellings_is_one_near_duplicate_set_and_themes_stay_apart() -> None:
    texts = [
        ROAD,
        WATER,
        FRAUD,
        without_accents(ROAD),  # typed on a phone without a Vietnamese keyboard
        old_tones("Mùa khô các hộ dân thiếu nước sinh hoạt, công trình cấp nước tự chảy bị hỏng, đề nghị sửa chữa."),
        "Đường liên thôn Na Hối xuống cấp, ổ gà nhiều, xe không đi được, kính đề nghị sửa chữa tuyến đường.",
        "Kẻ gian gọi điện giả danh công an lừa người dân chuyển tiền vào tài khoản.",
    ]
    found = grouping.group(texts)
    assert found.themes[0] == found.themes[3] == found.themes[5]
    assert found.themes[1] == found.themes[4]
    assert found.themes[2] == found.themes[6]
    assert len({found.themes[0], found.themes[1], found.themes[2]}) == 3
    assert found.copies[3] == 0, "the accent-free copy repeats the first"
    assert found.copies[0] == 0 and found.copies[1] == 1 and found.copies[2] == 2
    assert found.copies[5] == 5, "the same issue in other words is a different request, in the same theme"


def test_planted_themes_are_found_and_planted_near_duplicates_collapsed() -> None:
    made = list(opinions(3000, seed=7))
    found = grouping.group([f"{o.title}. {o.content}" for o in made])
    assert adjusted_rand_score([o.theme for o in made], found.themes) >= 0.8
    planted = [(i, o.original) for i, o in enumerate(made) if o.original is not None]
    assert len(planted) > 200
    kept = sum(1 for i, original in planted if found.copies[i] == found.copies[original])
    assert kept / len(planted) >= 0.95
    assert len(set(found.themes)) <= 2 * len(THEMES)
    # Each theme's representative belongs to it; themes come largest first.
    sizes = [found.themes.count(t) for t in range(found.count)]
    assert sizes == sorted(sizes, reverse=True)
    assert all(found.themes[r] == t for t, r in enumerate(found.representatives))


def test_degenerate_inputs() -> None:
    assert grouping.group([]).count == 0
    one = grouping.group([ROAD])
    assert (one.themes, one.copies, one.representatives) == ([0], [0], [0])
    nothing = grouping.group(["và các", "những"])  # function words only
    assert nothing.themes == [0, 0]


# --- The synthesis of a committee ----------------------------------------------------------------------


def _petition(world: World, content: str, days_ago: int = 3, **extra: object) -> Petition:
    values: dict[str, object] = {
        "place": world.bac_ha_village,
        "level": Level.COMMUNE,
        "channel": Channel.VOTER_MEETING,
        "title": content.split(",")[0][:80],
        "content": content,
        "sender": Sender(name="Nguyễn Văn Bí Mật", phone="0912345678"),
        "received_at": timezone.now() - dt.timedelta(days=days_ago),
    }
    values.update(extra)
    return services.receive(None, **values)  # type: ignore[arg-type]


@pytest.fixture
def opinions_of_bac_ha(world: World) -> list[Petition]:
    made = []
    for text in (ROAD, WATER, FRAUD):
        made.append(_petition(world, text))
        made.append(_petition(world, without_accents(text)))
    made.append(_petition(world, "Đề nghị sửa chữa đường liên thôn Na Hối bị xuống cấp, nhiều ổ gà."))
    # Not grouped: out of the period, a denunciation, another province.
    _petition(world, ROAD, days_ago=400)
    _petition(world, "Tố cáo cán bộ xã nhận tiền của dân khi làm sổ đỏ.", kind=Kind.DENUNCIATION)
    _petition(world, ROAD, place=world.lang_son, level=Level.PROVINCE)
    return made


def _ready(users: People, world: World, **extra: object) -> Synthesis:
    today = timezone.localdate()
    made = synthesis.start(
        users.province_officer,
        world.lao_cai,
        "Tổng hợp ý kiến cử tri trước kỳ họp HĐND tỉnh",
        today - dt.timedelta(days=30),
        today,
        **extra,  # type: ignore[arg-type]
    )
    synthesis.compute(made.pk)
    made.refresh_from_db()
    return made


def test_a_synthesis_groups_the_periods_opinions_of_the_scope_only(
    world: World, users: People, opinions_of_bac_ha: list[Petition]
) -> None:
    made = _ready(users, world)
    assert made.state == Synthesis.State.READY
    assert made.petition_count == 7, "the old one, the denunciation and Lạng Sơn's are left out"
    views = synthesis.themes_of(made)
    assert [v.size for v in views] == [3, 2, 2]
    road = views[0]
    assert road.distinct == 2, "the accent-free copy counts once"
    assert road.places == [(world.bac_ha_village.name, 3)]
    assert road.theme.position == 1 and road.theme.representative is not None
    members = set(ThemeMember.objects.filter(theme=road.theme).values_list("petition_id", flat=True))
    assert members == {opinions_of_bac_ha[0].pk, opinions_of_bac_ha[1].pk, opinions_of_bac_ha[6].pk}
    copy = ThemeMember.objects.get(petition=opinions_of_bac_ha[1])
    assert copy.copy_of_id == opinions_of_bac_ha[0].pk
    assert AuditEntry.objects.filter(model="petitions.synthesis", object_id=str(made.pk)).exists()
    # A commune officer cannot start one for the province.
    with pytest.raises(PermissionDenied):
        synthesis.start(users.commune_officer, world.lao_cai, "x", dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    with pytest.raises(SynthesisError):
        synthesis.start(users.province_officer, world.lao_cai, "x", dt.date(2026, 2, 1), dt.date(2026, 1, 1))


def test_officers_rename_reorder_merge_and_split_themes_each_step_audited(
    world: World, users: People, opinions_of_bac_ha: list[Petition]
) -> None:
    made = _ready(users, world)
    officer = users.province_officer
    road, water, fraud = (v.theme for v in synthesis.themes_of(made))
    synthesis.rename(officer, road, "  Giao thông nông thôn xuống cấp ")
    road.refresh_from_db()
    assert road.title == "Giao thông nông thôn xuống cấp"
    with pytest.raises(SynthesisError):
        synthesis.rename(officer, road, "   ")

    synthesis.move(officer, fraud, 1)
    assert [v.theme.pk for v in synthesis.themes_of(made)] == [fraud.pk, road.pk, water.pk]
    assert [v.theme.position for v in synthesis.themes_of(made)] == [1, 2, 3]

    # Split: the first road opinion (with its accent-free copy) moves to a new theme after "road".
    first = opinions_of_bac_ha[0]
    new = synthesis.split(officer, road, [first.pk], "Đường liên thôn Na Hối")
    assert set(ThemeMember.objects.filter(theme=new).values_list("petition_id", flat=True)) == {
        first.pk,
        opinions_of_bac_ha[1].pk,
    }
    assert [v.theme.pk for v in synthesis.themes_of(made)] == [fraud.pk, road.pk, new.pk, water.pk]
    road.refresh_from_db()
    assert road.representative_id == opinions_of_bac_ha[6].pk
    with pytest.raises(SynthesisError):  # emptying a theme is a merge, not a split
        synthesis.split(officer, road, [opinions_of_bac_ha[6].pk], "Rỗng")
    with pytest.raises(SynthesisError):
        synthesis.split(officer, road, [], "Không gì")

    # Merge it back, with the water theme too.
    synthesis.merge(officer, made, [new, water], road)
    assert list(Theme.objects.filter(synthesis=made).values_list("position", "pk")) == [(1, fraud.pk), (2, road.pk)]
    assert ThemeMember.objects.filter(theme=road).count() == 5
    with pytest.raises(SynthesisError):
        synthesis.merge(officer, made, [road], road)

    changed = AuditEntry.objects.filter(model="petitions.theme").values_list("action", flat=True)
    assert {"update", "create", "delete"} <= set(changed)


def test_exports_name_no_sender_and_follow_the_officers_order(
    world: World, users: People, opinions_of_bac_ha: list[Petition]
) -> None:
    made = _ready(users, world)
    views = synthesis.themes_of(made)
    synthesis.move(users.province_officer, views[2].theme, 1)
    synthesis.rename(users.province_officer, views[2].theme, "Lừa đảo qua điện thoại")

    document = Document(io.BytesIO(synthesis.report_docx(made)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Tổng hợp ý kiến cử tri trước kỳ họp HĐND tỉnh".upper() in text.upper()
    assert text.index("Lừa đảo qua điện thoại") < text.index(views[0].theme.title)
    assert "Bí Mật" not in text and "0912345678" not in text

    book = openpyxl.load_workbook(io.BytesIO(synthesis.report_xlsx(made)))
    themes, rows = book.worksheets
    table = [[c.value for c in row] for row in themes.iter_rows(min_row=5)]
    assert [r[1] for r in table] == ["Lừa đảo qua điện thoại", views[0].theme.title, views[1].theme.title]
    assert [r[2] for r in table] == [2, 3, 2]
    listed = [[c.value for c in row] for row in rows.iter_rows(min_row=2)]
    assert len(listed) == 7
    assert {r[2] for r in listed} == {p.code for p in opinions_of_bac_ha}
    copy = next(r for r in listed if r[2] == opinions_of_bac_ha[1].code)
    assert copy[8] == opinions_of_bac_ha[0].code  # "repeats"
    flat = " ".join(str(v) for row in listed for v in row)
    assert "Bí Mật" not in flat and "0912345678" not in flat


def test_the_quarterly_report_gets_a_draft_of_the_issues_raised(
    world: World, users: People, opinions_of_bac_ha: list[Petition]
) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=30)
    # No synthesis saved: the period's petitions are grouped on the spot.
    drafted = sources.draft("petitions.themes", world.lao_cai, start, today)
    assert drafted is not None
    lines = drafted.splitlines()
    assert "7" in lines[0].split(), "the number of opinions received"
    assert len(lines) == 4 and "(3 " in lines[1]
    # Once officers edited a synthesis of the period, its themes and names are used.
    made = _ready(users, world)
    road = synthesis.themes_of(made)[0].theme
    synthesis.rename(users.province_officer, road, "Đường giao thông nông thôn xuống cấp")
    drafted = sources.draft("petitions.themes", world.lao_cai, start, today)
    assert drafted is not None and "Đường giao thông nông thôn xuống cấp" in drafted.splitlines()[1]
    assert sources.draft("petitions.themes", world.lang_son, start, start) == ""
    assert sources.draft("petitions.received", world.lao_cai, start, today) is None  # a figure, not a text


# --- Pages -----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_pages_start_a_synthesis_the_worker_groups_it_and_officers_edit_it(
    client: Client, world: World, users: People, opinions_of_bac_ha: list[Petition]
) -> None:
    login(client, users.province_officer)
    today = timezone.localdate()
    response = client.post(
        reverse("petitions:synthesis_new"),
        {
            "unit": world.lao_cai.pk,
            "title": "Trước kỳ họp thứ 5",
            "start": (today - dt.timedelta(days=30)).isoformat(),
            "end": today.isoformat(),
        },
    )
    made = Synthesis.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("petitions:synthesis", args=[made.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="pending"' in page and 'hx-trigger="every 2s"' in page
    assert DBTaskResult.objects.filter(task_path="doanket.petitions.tasks.group_synthesis").count() == 1

    call_command("worker", batch=True, verbosity=0)
    page = client.get(reverse("petitions:synthesis", args=[made.pk])).content.decode()
    assert page.count('data-testid="theme-row"') == 3
    themes = list(Theme.objects.filter(synthesis=made).order_by("position"))
    response = client.post(reverse("petitions:theme_move", args=[themes[2].pk]), {"to": "up"})
    assert response.status_code == 302
    assert list(Theme.objects.filter(synthesis=made).order_by("position")) == [themes[0], themes[2], themes[1]]
    response = client.post(
        reverse("petitions:synthesis_merge", args=[made.pk]), {"themes": [themes[1].pk], "into": themes[0].pk}
    )
    assert Theme.objects.filter(synthesis=made).count() == 2
    theme_page = client.get(reverse("petitions:theme", args=[themes[0].pk])).content.decode()
    assert theme_page.count('data-testid="member"') == 5
    assert "Bí Mật" not in theme_page and "0912345678" not in theme_page
    docx = client.get(reverse("petitions:synthesis_docx", args=[made.pk]))
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    xlsx = client.get(reverse("petitions:synthesis_xlsx", args=[made.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    # Bad input: an empty title, a period ending before it starts.
    response = client.post(
        reverse("petitions:synthesis_new"),
        {"unit": world.lao_cai.pk, "title": "", "start": today.isoformat(), "end": "2020-01-01"},
    )
    assert response.status_code == 200
    assert Synthesis.objects.count() == 1
    errors = response.context["form"].errors
    assert "title" in errors and "end" in errors


def test_a_synthesis_page_keeps_its_number_of_queries_whatever_the_number_of_opinions(
    client: Client, world: World, users: People
) -> None:
    def measured() -> int:
        made = _ready(users, world)
        login(client, users.province_officer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("petitions:synthesis", args=[made.pk]))
        assert response.status_code == 200
        return len(queries)

    for text in (ROAD, WATER):
        _petition(world, text)
    small = measured()
    for made in opinions(60, seed=3):
        _petition(world, made.content, title=made.title, place=world.sa_pa_village)
    assert measured() == small


def test_a_meetings_opinions_are_synthesised_from_its_page(client: Client, world: World, users: People) -> None:
    from doanket.petitions.models import Body, VoterMeeting

    meeting = services.plan_meeting(
        users.commune_officer,
        VoterMeeting(
            unit=world.bac_ha,
            body=Body.COMMUNE_COUNCIL,
            deputies="Đại biểu A",
            title="Tiếp xúc cử tri thôn Na Hối",
            starts_at=timezone.now() - dt.timedelta(hours=3),
            place="Nhà văn hóa thôn",
        ),
    )
    services.record_opinions(users.commune_officer, meeting, "\n".join([ROAD, WATER, without_accents(ROAD)]))
    _petition(world, FRAUD)  # the same days, not raised at the meeting
    login(client, users.commune_officer)
    assert 'data-testid="synthesise"' in client.get(reverse("petitions:meeting", args=[meeting.pk])).content.decode()
    response = client.post(reverse("petitions:meeting_synthesise", args=[meeting.pk]))
    made = Synthesis.objects.get()
    assert response["Location"] == reverse("petitions:synthesis", args=[made.pk])
    assert made.meeting == meeting and made.unit == world.bac_ha
    synthesis.compute(made.pk)
    made.refresh_from_db()
    assert made.petition_count == 3
    assert [v.size for v in synthesis.themes_of(made)] == [2, 1]
    # A viewer of the province sees it, but edits nothing.
    login(client, users.viewer)
    page = client.get(reverse("petitions:synthesis", args=[made.pk])).content.decode()
    assert 'data-testid="theme-row"' in page and 'data-testid="merge"' not in page
    theme = Theme.objects.filter(synthesis=made).first()
    assert theme is not None
    assert client.post(reverse("petitions:theme_rename", args=[theme.pk]), {"title": "X"}).status_code == 403
    # The other commune's officer does not see it at all.
    login(client, users.other_commune_officer)
    assert client.get(reverse("petitions:synthesis", args=[made.pk])).status_code == 404


def test_a_formula_typed_by_a_citizen_stays_text_in_the_workbook(world: World, users: People) -> None:
    _petition(world, '=HYPERLINK("http://evil.example","Bấm vào đây") Đường liên thôn hỏng, đề nghị sửa.')
    made = _ready(users, world)
    book = openpyxl.load_workbook(io.BytesIO(synthesis.report_xlsx(made)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    formulas = [c for c in cells if c.data_type == "f"]
    assert not formulas, formulas
    assert any(str(c.value).startswith("=HYPERLINK") for c in cells), "kept, as text"
