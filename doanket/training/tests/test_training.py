"""Training: courses organised by a unit, attendees picked or imported from a sheet (all or
nothing), materials kept as PDF or photos, each person's history, and the province's view of the
communes whose staff and village board heads were not trained this term."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login, make_unit, make_user
from doanket.core.models import AuditEntry
from doanket.organizations import personal_data
from doanket.organizations.models import Level, Person, Position, PositionKind, Term, Unit, UnitKind
from doanket.reporting import sources
from doanket.training import services
from doanket.training.models import Attendance, Course, Material
from doanket.training.services import TrainingError


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _course(unit: Unit, actor: object = None, start: dt.date = dt.date(2026, 5, 4), **extra: object) -> Course:
    fields = {"topic": "Nghiệp vụ công tác Mặt trận", "trainers": "Nguyễn Thị Hoà", "start_date": start,
              "end_date": start + dt.timedelta(days=2), "place": "Hội trường tỉnh", **extra}  # fmt: skip
    return services.create_course(actor, unit, **fields)  # type: ignore[arg-type]


def _staff(unit: Unit, name: str, kind: str = PositionKind.FULL_TIME_STAFF) -> Person:
    person = Person.objects.create(unit=unit, full_name=name)
    Position.objects.create(person=person, unit=unit, kind=kind, start_date=dt.date(2024, 10, 1))
    return person


def _sheet(*rows: tuple[object, ...]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(services.SHEET_COLUMNS))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def term(world: World) -> Term:
    return Term.objects.create(unit=world.lao_cai, name="2024–2029", start_date=dt.date(2024, 10, 1))


# --- services ---------------------------------------------------------------------------------


def test_a_course_is_recorded_audited_and_refused_with_its_reason(world: World, users: People) -> None:
    course = _course(world.lao_cai, users.province_officer, for_village_heads=True)
    assert course.unit == world.lao_cai and course.for_staff and course.for_village_heads
    assert AuditEntry.objects.filter(model="training.course", object_id=str(course.pk), action="create").exists()
    with pytest.raises(TrainingError, match="ends before"):
        _course(world.lao_cai, users.province_officer, end_date=dt.date(2026, 5, 1))
    with pytest.raises(TrainingError, match="for whom"):
        _course(world.lao_cai, users.province_officer, for_staff=False)
    with pytest.raises(TrainingError, match="village board"):
        _course(world.bac_ha_village, users.province_officer)
    with pytest.raises(PermissionDenied):
        _course(world.lao_cai, users.commune_officer)  # a commune does not organise the province's course
    with pytest.raises(PermissionDenied):
        _course(world.bac_ha, users.viewer)


def test_attendees_are_added_once_each_and_only_from_the_organisers_units(world: World, users: People) -> None:
    course = _course(world.bac_ha, users.commune_officer)
    head = Person.objects.create(unit=world.bac_ha_village, full_name="Sùng A Lầu")
    assert services.add_attendees(users.commune_officer, course, [world.person_bac_ha, head]) == 2
    assert services.add_attendees(users.commune_officer, course, [head]) == 0  # already on the list
    assert set(course.attendances.values_list("person__full_name", flat=True)) == {"Vàng Thị Hoà", "Sùng A Lầu"}
    assert AuditEntry.objects.filter(model="training.attendance", action="create").count() == 2
    with pytest.raises(TrainingError, match="Giàng Seo Phử"):
        services.add_attendees(users.commune_officer, course, [world.person_sa_pa])
    with pytest.raises(PermissionDenied):
        services.add_attendees(users.other_commune_officer, course, [world.person_bac_ha])
    attendance = course.attendances.get(person=head)
    services.record_result(users.commune_officer, attendance, completed=False, result="Vắng 2 buổi")
    attendance.refresh_from_db()
    assert not attendance.completed and attendance.result == "Vắng 2 buổi"
    services.remove_attendee(users.commune_officer, attendance)
    assert not course.attendances.filter(person=head).exists()
    assert AuditEntry.objects.filter(model="training.attendance", action="delete").count() == 1


def test_the_sheet_is_imported_whole_finding_people_without_accents(world: World, users: People) -> None:
    course = _course(world.lao_cai, users.province_officer)
    namesake = Person.objects.create(unit=world.sa_pa, full_name="Vàng Thị Hoà")
    data = _sheet(
        ("Vang Thi Hoa", "xã Bắc Hà", "Giỏi", "CC-01"),
        ("Giàng Seo Phử", None, "Khá", None),
        ("Vàng Thị Hoà", "Sa Pa", None, None),
    )
    assert services.import_attendees(users.province_officer, course, data, "hoc-vien.xlsx") == 3
    found = {a.person_id: a for a in course.attendances.all()}
    assert found[world.person_bac_ha.pk].result == "Giỏi" and found[world.person_bac_ha.pk].certificate == "CC-01"
    assert found[world.person_sa_pa.pk].result == "Khá"
    assert namesake.pk in found


def test_a_bad_line_adds_nobody_and_is_named(world: World, users: People) -> None:
    course = _course(world.lao_cai, users.province_officer)
    Person.objects.create(unit=world.sa_pa, full_name="Vàng Thị Hoà")
    data = _sheet(
        ("Giàng Seo Phử", None, None, None),
        ("Vàng Thị Hoà", None, None, None),  # two people have this name
        ("Người Không Có", "xã Bắc Hà", None, None),
        ("Giàng Seo Phử", None, None, None),  # twice
        ("Hoàng Văn Khoá", None, None, None),  # of Lạng Sơn, not below the organiser
    )
    with pytest.raises(TrainingError) as refused:
        services.import_attendees(users.province_officer, course, data, "hoc-vien.xlsx")
    assert refused.value.problems == [
        "Line 3: several people are named “Vàng Thị Hoà”: write their unit.",
        "Line 4: nobody named “Người Không Có” in “xã Bắc Hà”.",
        "Line 5: “Giàng Seo Phử” is already on line 2.",
        "Line 6: nobody named “Hoàng Văn Khoá” in Ủy ban MTTQ tỉnh Lào Cai or below.",
    ]
    assert not course.attendances.exists()
    with pytest.raises(TrainingError, match="not an Excel workbook"):
        services.import_attendees(users.province_officer, course, b"PK\x03\x04 hong", "hoc-vien.xlsx")


def test_a_material_is_kept_when_it_is_a_pdf_or_a_photo(world: World, users: People) -> None:
    course = _course(world.bac_ha, users.commune_officer)
    pdf = SimpleUploadedFile("Chương trình lớp.pdf", b"%PDF-1.4 tai lieu", content_type="application/pdf")
    material = services.add_material(users.commune_officer, course, pdf)
    assert material.content_type == "application/pdf" and material.name == "Chương trình lớp.pdf"
    with material.file.open("rb") as kept:
        assert kept.read() == b"%PDF-1.4 tai lieu"
    assert AuditEntry.objects.filter(model="training.material").exists()
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(TrainingError, match="not a photo"):
        services.add_material(users.commune_officer, course, fake)
    assert Material.objects.count() == 1


def test_the_history_and_the_reporting_figure_count_completed_courses(world: World, users: People) -> None:
    first = _course(world.bac_ha, users.commune_officer, start=dt.date(2026, 3, 2), topic="Lớp thứ nhất")
    second = _course(world.bac_ha, users.commune_officer, start=dt.date(2026, 6, 1), topic="Lớp thứ hai")
    services.add_attendees(users.commune_officer, first, [world.person_bac_ha])
    services.add_attendees(users.commune_officer, second, [world.person_bac_ha])
    Attendance.objects.filter(course=second).update(completed=False)
    assert [a.course.topic for a in services.history(world.person_bac_ha)] == ["Lớp thứ hai", "Lớp thứ nhất"]
    exported = personal_data.export(world.person_bac_ha)["training"]
    assert [row["course"] for row in exported] == ["Lớp thứ nhất", "Lớp thứ hai"]
    source = sources.get("training.people_trained")
    assert source is not None
    assert source.fn(world.bac_ha, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 1  # the second not completed
    assert source.fn(world.bac_ha, dt.date(2026, 4, 1), dt.date(2026, 12, 31)) == 0
    assert source.fn(world.lao_cai, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 0  # its own courses only


def test_untrained_counts_staff_and_village_heads_per_commune_in_the_term(
    world: World, users: People, term: Term
) -> None:
    Term.objects.create(
        unit=world.lao_cai, name="2019–2024", start_date=dt.date(2019, 9, 1), end_date=dt.date(2024, 9, 30)
    )
    trained = _staff(world.bac_ha, "Lò Văn Minh", PositionKind.CHAIR)
    _staff(world.bac_ha, "Hầu A Chứ")
    head = _staff(world.bac_ha_village, "Sùng A Lầu", PositionKind.BOARD_HEAD)
    _staff(world.bac_ha_village, "Thành viên ban", PositionKind.BOARD_MEMBER)  # not a head: not counted
    long_ago = _course(world.lao_cai, users.province_officer, start=dt.date(2023, 5, 1))
    services.add_attendees(users.province_officer, long_ago, [head])  # in the previous term
    course = _course(world.lao_cai, users.province_officer, start=dt.date(2025, 3, 3))
    services.add_attendees(users.province_officer, course, [trained])
    terms = services.terms_of(world.bac_ha)
    when = services.period(services.current_term(terms, dt.date(2026, 11, 24)), dt.date(2026, 11, 24))
    assert when.term == term
    rows = {r.commune.name: r for r in services.untrained(users.province_officer, world.lao_cai, when)}
    assert set(rows) == {world.bac_ha.name, world.sa_pa.name}
    bac_ha = rows[world.bac_ha.name]
    assert (len(bac_ha.staff), len(bac_ha.staff_untrained), len(bac_ha.heads), len(bac_ha.heads_untrained)) == (
        2,
        1,
        1,
        1,
    )
    assert rows[world.sa_pa.name].recorded == 0
    names = [u.person.full_name for u in services.untrained_in(users.province_officer, world.bac_ha, when)]
    assert names == ["Hầu A Chứ", "Sùng A Lầu"]
    # The previous term: the head was trained then, the chair was not yet.
    before = services.period(terms[1], dt.date(2026, 11, 24))
    Position.objects.update(start_date=None)
    rows = {r.commune.name: r for r in services.untrained(users.province_officer, world.lao_cai, before)}
    assert len(rows[world.bac_ha.name].heads_untrained) == 0 and len(rows[world.bac_ha.name].staff_untrained) == 2
    # A commune officer sees only their commune.
    mine = services.untrained(users.commune_officer, world.lao_cai, when)
    assert [r.commune for r in mine] == [world.bac_ha]


# --- pages ------------------------------------------------------------------------------------


def test_the_province_records_a_course_and_adds_picked_people(client: Client, world: World, users: People) -> None:
    login(client, users.province_officer)
    response = client.post(
        reverse("training:course_new"),
        {"unit": world.lao_cai.pk, "topic": "Kỹ năng hòa giải ở cơ sở", "trainers": "Lò Văn Khoá",
         "start_date": "2026-05-04", "end_date": "2026-05-06", "place": "Sa Pa", "for_village_heads": "on"},
    )  # fmt: skip
    course = Course.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("training:course", args=[course.pk])
    page = client.get(reverse("training:course", args=[course.pk]) + "?q=giang seo")
    assert page.status_code == 200
    assert [p for p, _label in page.context["add"].fields["people"].widget.choices] == [world.person_sa_pa.pk]
    client.post(
        reverse("training:attendees_add", args=[course.pk]), {"people": [world.person_sa_pa.pk, world.person_bac_ha.pk]}
    )
    assert course.attendances.count() == 2
    # Someone of another province cannot be slipped into the form.
    response = client.post(reverse("training:attendees_add", args=[course.pk]), {"people": [world.person_lang_son.pk]})
    assert course.attendances.count() == 2
    assert "Chưa thêm ai" in client.get(reverse("training:course", args=[course.pk])).content.decode()


def test_the_organiser_corrects_a_course_audited_and_a_wrong_date_changes_nothing(
    client: Client, world: World, users: People
) -> None:
    course = _course(world.lao_cai, users.province_officer)
    url = reverse("training:course_edit", args=[course.pk])
    login(client, users.province_officer)
    form = client.get(url).context["form"]
    assert "unit" not in form.fields  # the organiser stays
    assert form.initial["topic"] == "Nghiệp vụ công tác Mặt trận"
    fields = {"topic": "Nghiệp vụ công tác Mặt trận (lớp 2)", "trainers": "Nguyễn Thị Hoà", "start_date": "2026-05-04",
              "end_date": "2026-05-08", "place": "Hội trường tỉnh", "for_staff": "on"}  # fmt: skip
    # The end before the start: the page says so in Vietnamese, nothing changes.
    with translation.override("vi"):
        refused = client.post(url, fields | {"end_date": "2026-05-01"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 200
    assert "Ngày kết thúc lớp trước ngày khai giảng." in refused.content.decode()
    course.refresh_from_db()
    assert course.end_date == dt.date(2026, 5, 6) and course.topic == "Nghiệp vụ công tác Mặt trận"
    response = client.post(url, fields)
    assert response.status_code == 302 and response["Location"] == reverse("training:course", args=[course.pk])
    course.refresh_from_db()
    assert (course.topic, course.end_date) == ("Nghiệp vụ công tác Mặt trận (lớp 2)", dt.date(2026, 5, 8))
    entry = AuditEntry.objects.filter(object_id=str(course.pk), action="update").get()
    assert entry.changes["topic"] == ["Nghiệp vụ công tác Mặt trận", "Nghiệp vụ công tác Mặt trận (lớp 2)"]
    assert entry.changes["end_date"] == ["2026-05-06", "2026-05-08"]
    # Saving the same again records nothing more.
    client.post(url, fields)
    assert AuditEntry.objects.filter(object_id=str(course.pk), action="update").count() == 1
    # A commune reads the province's course but cannot correct it; another province does not see it.
    login(client, users.commune_officer)
    assert client.get(url).status_code == 403
    login(client, make_user("langson", world.lang_son))
    assert client.get(url).status_code == 404


def test_the_sheet_with_a_bad_line_is_refused_on_the_page_in_vietnamese(
    client: Client, world: World, users: People
) -> None:
    course = _course(world.lao_cai, users.province_officer)
    login(client, users.province_officer)
    sheet = SimpleUploadedFile("hoc-vien.xlsx", _sheet(("Giàng Seo Phử",), ("Không Ai Cả",)))
    with translation.override("vi"):
        response = client.post(
            reverse("training:attendees_import", args=[course.pk]),
            {"sheet": sheet},
            follow=True,
            HTTP_ACCEPT_LANGUAGE="vi",
        )
    body = response.content.decode()
    assert "Dòng 3: không có ai tên “Không Ai Cả” ở Ủy ban MTTQ tỉnh Lào Cai hoặc đơn vị trực thuộc." in body
    assert "Chưa thêm ai" in body
    assert not course.attendances.exists()


def test_a_material_is_uploaded_and_downloaded_through_the_pages(client: Client, world: World, users: People) -> None:
    course = _course(world.bac_ha, users.commune_officer)
    login(client, users.commune_officer)
    pdf = SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4 noi dung", content_type="application/pdf")
    client.post(reverse("training:material_add", args=[course.pk]), {"file": pdf})
    material = course.materials.get()
    response = client.get(reverse("training:material", args=[material.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 noi dung"  # type: ignore[attr-defined]
    login(client, users.other_commune_officer)
    assert client.get(reverse("training:material", args=[material.pk])).status_code == 404


def test_a_commune_reads_the_provinces_course_but_sees_only_its_own_people(
    client: Client, world: World, users: People
) -> None:
    course = _course(world.lao_cai, users.province_officer)
    services.add_attendees(users.province_officer, course, [world.person_bac_ha, world.person_sa_pa])
    login(client, users.commune_officer)
    body = client.get(reverse("training:course", args=[course.pk])).content.decode()
    assert "Vàng Thị Hoà" in body and "Giàng Seo Phử" not in body
    assert "attendees-form" not in body  # reads, does not edit
    assert client.post(reverse("training:attendees_add", args=[course.pk])).status_code == 403


def test_birth_dates_of_attendees_are_shown_only_to_roles_that_see_personal_data(
    client: Client, world: World, users: People
) -> None:
    Person.objects.filter(pk=world.person_bac_ha.pk).update(birth_date=dt.date(1980, 2, 3))
    course = _course(world.lao_cai, users.province_officer)
    services.add_attendees(users.province_officer, course, [world.person_bac_ha])
    login(client, users.province_officer)
    assert "03/02/1980" in client.get(reverse("training:course", args=[course.pk])).content.decode()
    login(client, users.viewer)
    body = client.get(reverse("training:course", args=[course.pk])).content.decode()
    assert "Vàng Thị Hoà" in body and "03/02/1980" not in body


def test_a_persons_history_page_lists_their_courses(client: Client, world: World, users: People) -> None:
    course = _course(world.lao_cai, users.province_officer, topic="Tập huấn chuyển đổi số")
    services.add_attendees(users.province_officer, course, [world.person_bac_ha])
    login(client, users.commune_officer)
    # The person's page (organizations, which does not know training) links the history.
    person_page = client.get(reverse("organizations:person_detail", args=[world.person_bac_ha.pk])).content.decode()
    history = reverse("training:person", args=[world.person_bac_ha.pk])
    assert f'<a href="{history}">' in person_page
    body = client.get(history).content.decode()
    assert "Tập huấn chuyển đổi số" in body
    assert client.get(reverse("training:person", args=[world.person_sa_pa.pk])).status_code == 404


def test_the_untrained_page_and_its_drill_down(client: Client, world: World, users: People, term: Term) -> None:
    _staff(world.bac_ha, "Hầu A Chứ")
    login(client, users.province_officer)
    response = client.get(reverse("training:untrained"))
    assert response.status_code == 200 and response.context["top"] == world.lao_cai
    assert response.context["when"].term == term
    assert response.context["untrained_total"] == 1 and response.context["lacking"] == 2
    body = client.get(reverse("training:untrained_commune", args=[world.bac_ha.pk])).content.decode()
    assert "Hầu A Chứ" in body
    login(client, users.other_commune_officer)
    assert client.get(reverse("training:untrained_commune", args=[world.bac_ha.pk])).status_code == 404
    mine = client.get(reverse("training:untrained"))
    assert mine.context["top"] == world.sa_pa and [r.commune for r in mine.context["rows"]] == [world.sa_pa]
    refused = client.get(reverse("training:untrained") + f"?unit={world.bac_ha.pk}")  # not theirs: their own
    assert refused.context["top"] == world.sa_pa and world.bac_ha.name not in refused.content.decode()


def test_the_untrained_page_reads_a_fixed_number_of_queries_whatever_the_communes(
    client: Client, world: World, users: People, term: Term
) -> None:
    login(client, users.province_officer)
    url = reverse("training:untrained") + f"?unit={world.lao_cai.pk}&term={term.pk}"
    LAST: list[dict[str, str]] = []

    def count() -> int:
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        LAST[:] = queries.captured_queries
        return len(queries)

    few = count()
    for n in range(12):
        commune = make_unit(world.lao_cai, f"Ủy ban MTTQ xã Thử {n}", Level.COMMUNE)
        village = make_unit(commune, f"Ban công tác Mặt trận thôn {n}", Level.VILLAGE, UnitKind.VILLAGE_BOARD)
        _staff(commune, f"Cán bộ {n}")
        _staff(village, f"Trưởng ban {n}", PositionKind.BOARD_HEAD)
    many = count()
    assert many == few
    assert few == 9, "\n".join(q["sql"][:150] for q in LAST)
