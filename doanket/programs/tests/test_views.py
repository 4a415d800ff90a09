"""The programme pages through real HTTP: upload → preview → save → derive → assign → update →
remind → board → my tasks → versions → export."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.documents.parser import parse
from doanket.programs import services
from doanket.programs.models import Assignment, Item, Program, Reminder, Status
from doanket.programs.tests.conftest import seed_text

pytestmark = pytest.mark.django_db


def _upload(client: Client, unit_pk: int, name: str, content: bytes):
    return client.post(
        reverse("programs:import"), {"unit": unit_pk, "file": SimpleUploadedFile(name, content)}, follow=False
    )


def test_upload_preview_correct_and_save(client: Client, world: World, users: People) -> None:
    login(client, users.province_officer)
    response = _upload(client, world.lao_cai.pk, "chuong-trinh-2022.txt", seed_text("000").encode())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Công tác trọng tâm của Ủy ban MTTQ Việt Nam tỉnh Lào Cai năm 2022" in body
    assert "93/2021/NĐ-CP" in body and "Giàng Seo Vân" in body
    assert Program.objects.count() == 0  # nothing saved before the officer confirms
    form = response.context["form"]
    token = form.initial["token"]
    text = form.initial["text"]

    # The officer fixes the text (a missing IV) and the preview follows, over HTMX.
    corrected = text.replace("V. TỔ CHỨC THỰC HIỆN", "IV. TỔ CHỨC THỰC HIỆN")
    partial = client.post(
        reverse("programs:import_preview"), {"text": corrected, "token": token}, HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert [s.number for s in partial.context["parsed"].sections] == ["I", "II", "III", "IV"]

    data = {**form.initial, "text": corrected, "number": "01/CTr-MTTQ-BTT", "date": "15/01/2022", "year": 2022}
    saved = client.post(reverse("programs:import_save"), data)
    assert saved.status_code == 302
    program = Program.objects.get()
    assert saved["Location"] == reverse("programs:detail", args=[program.pk])
    assert program.number == "01/CTr-MTTQ-BTT" and program.date == dt.date(2022, 1, 15)
    assert list(program.items.filter(parent=None).values_list("number", flat=True)) == ["I", "II", "III", "IV"]
    assert str(program.source_file.name).endswith("chuong-trinh-2022.txt"), program.source_file.name
    assert program.unit == world.lao_cai
    page = client.get(saved["Location"])
    assert page.status_code == 200
    assert "Đoàn kết, dân chủ; năng động, sáng tạo" in page.content.decode()
    # Saving the same preview again (a double click, the back button) adds nothing.
    again = client.post(reverse("programs:import_save"), data)
    assert again.status_code == 302 and again["Location"] == saved["Location"]
    assert Program.objects.count() == 1
    source = client.get(reverse("programs:source", args=[program.pk]))
    assert b"".join(source.streaming_content).startswith(seed_text("000").encode()[:50])  # type: ignore[attr-defined]


def test_a_bad_file_is_refused_with_a_message_and_nothing_is_saved(client: Client, world: World, users: People) -> None:
    login(client, users.province_officer)
    response = _upload(client, world.lao_cai.pk, "ke-hoach.docx", b"this is not a word document")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    response = _upload(client, world.lao_cai.pk, "trong.txt", b"")
    assert response.context["form"].errors["file"]
    assert Program.objects.count() == 0


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    client: Client, world: World, users: People, settings
) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    login(client, users.province_officer)
    response = _upload(client, world.lao_cai.pk, "lon.txt", b"x" * (1024 * 1024 + 10))
    (error,) = response.context["form"].errors["file"]
    assert "lon.txt" in error and "1.1" in error and "1 MB" in error
    assert Program.objects.count() == 0


def test_a_forged_token_or_another_units_token_is_refused(client: Client, world: World, users: People) -> None:
    login(client, users.province_officer)
    response = client.post(
        reverse("programs:import_save"), {"text": "KẾ HOẠCH\nX", "token": "forged", "title": "X", "kind": "plan"}
    )
    assert response.status_code == 404
    login(client, users.province_officer)
    ok = _upload(client, world.lao_cai.pk, "a.txt", "KẾ HOẠCH\nThử\n\n1. Việc một".encode())
    token = ok.context["form"].initial["token"]
    other = Client()
    login(other, users.commune_officer)  # may not write to the province
    response = other.post(
        reverse("programs:import_save"), {"text": "KẾ HOẠCH\nX", "token": token, "title": "X", "kind": "plan"}
    )
    assert response.status_code == 404
    assert Program.objects.count() == 0


def test_cascade_assign_update_remind_and_board(client: Client, world: World, users: People) -> None:
    upper = services.save_program(users.province_officer, world.lao_cai, parse(seed_text("000")))
    item = upper.items.get(number="2.1")

    # The commune reads the province's programme and builds its own from it.
    login(client, users.commune_officer)
    assert client.get(reverse("programs:detail", args=[upper.pk])).status_code == 200
    assert client.get(reverse("programs:item_edit", args=[item.pk])).status_code == 404  # but cannot edit it
    response = client.post(
        reverse("programs:derive", args=[upper.pk]),
        {"unit": world.bac_ha.pk, "title": "Chương trình công tác năm 2022 xã Bắc Hà", "items": [item.pk]},
    )
    assert response.status_code == 302
    derived = Program.objects.get(unit=world.bac_ha)
    assert derived.items.filter(upper_item=item).exists()

    # The province sees, item by item, who has taken it up.
    login(client, users.province_officer)
    uptake = client.get(reverse("programs:uptake", args=[upper.pk]))
    row = next(r for r in uptake.context["rows"] if r["item"].pk == item.pk)
    assert row["count"] == 1 and world.sa_pa in row["missing"]

    # It assigns the item: Bắc Hà leads, Sa Pa supports.
    response = client.post(
        reverse("programs:item_assign", args=[item.pk]),
        {"lead": world.bac_ha.pk, "supports": [world.sa_pa.pk], "due_date": "30/06/2022"},
    )
    assert response.status_code == 302
    lead = Assignment.objects.get(item=item, unit=world.bac_ha)
    assert lead.role == "lead" and lead.due_date == dt.date(2022, 6, 30)

    # A unit outside the province cannot be chosen.
    response = client.post(reverse("programs:item_assign", args=[item.pk]), {"lead": world.lang_son.pk})
    assert not Assignment.objects.filter(unit=world.lang_son).exists()

    # The commune posts progress with an attachment.
    login(client, users.commune_officer)
    response = client.post(
        reverse("programs:assignment_update", args=[lead.pk]),
        {
            "text": "Đã tuyên truyền tại 12 thôn",
            "progress": 60,
            "attachment": SimpleUploadedFile("anh.pdf", b"%PDF-1.4 x"),
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Status.IN_PROGRESS and lead.progress == 60
    assert str(lead.updates.get().attachment.name).endswith(".pdf")
    # It cannot post on Sa Pa's assignment.
    sa_pa = Assignment.objects.get(item=item, unit=world.sa_pa)
    assert (
        client.post(reverse("programs:assignment_update", args=[sa_pa.pk]), {"text": "x", "progress": 5}).status_code
        == 404
    )

    # The province chases Sa Pa by hand; the reminder is on the item's history.
    login(client, users.province_officer)
    assert client.post(reverse("programs:assignment_remind", args=[sa_pa.pk]), {"message": ""}).status_code == 302
    reminder = Reminder.objects.get(assignment=sa_pa)
    assert reminder.sent_by == users.province_officer
    page = client.get(reverse("programs:item", args=[item.pk])).content.decode()
    assert reminder.message in page

    # Sa Pa's officer sees it in "my tasks".
    login(client, users.other_commune_officer)
    tasks = client.get(reverse("programs:my_tasks"))
    assert [a.pk for a in tasks.context["page"]] == [sa_pa.pk]
    assert reminder.message in tasks.content.decode()

    board = Client()
    login(board, users.province_officer)
    response = board.get(reverse("programs:board", args=[upper.pk]))
    assert response.context["counts"]["in_progress"] + response.context["counts"]["late"] >= 1
    assert AuditEntry.objects.filter(model="programs.progressupdate").count() == 1


def test_the_board_is_overdue_first_with_a_fixed_number_of_queries(client: Client, world: World, users: People) -> None:
    program = services.save_program(None, world.lao_cai, parse(seed_text("000")))
    items = list(program.items.all())
    login(client, users.province_officer)
    url = reverse("programs:board", args=[program.pk])

    def assign(n: int) -> None:
        for index, item in enumerate(items[:n]):
            due = dt.date(2020, 1, 1) if index % 3 == 0 else dt.date(2099, 1, 1)
            Assignment.objects.get_or_create(
                item=item, unit=world.bac_ha, defaults={"program": program, "due_date": due}
            )

    assign(3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    assign(len(items))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    rows = list(response.context["page"])
    statuses = [a.shown_status for a in rows]
    assert statuses[0] == Status.LATE
    assert statuses.index(Status.NOT_STARTED) > max(i for i, s in enumerate(statuses) if s == Status.LATE)


def test_versions_and_revise(client: Client, world: World, users: People) -> None:
    program = services.save_program(None, world.lao_cai, parse(seed_text("000")))
    login(client, users.province_officer)
    text = seed_text("000").replace("V. TỔ CHỨC THỰC HIỆN", "IV. TỔ CHỨC THỰC HIỆN")
    response = client.post(reverse("programs:revise", args=[program.pk]), {"text": text, "note": "Sửa số mục IV"})
    assert response.status_code == 302
    page = client.get(reverse("programs:revisions", args=[program.pk]))
    assert page.context["changed"]
    diff = page.content.decode()
    assert "IV TỔ CHỨC THỰC HIỆN" in diff and "Sửa số mục IV" in diff


def test_export_gives_a_docx_that_imports_back_the_same(client: Client, world: World, users: People) -> None:
    parsed = parse(seed_text("000"))
    program = services.save_program(None, world.lao_cai, parsed)
    login(client, users.commune_officer)  # a unit below may read and export it
    response = client.get(reverse("programs:export", args=[program.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(response.content))
    assert any("CHƯƠNG TRÌNH" == p.text.strip() for p in document.paragraphs)
    again, _text, fmt = services.understand(response.content, "export.docx")
    assert fmt == "docx"

    def shape(sections):
        return [(s.number, s.title, shape(s.children)) for s in sections]

    assert shape(again.sections) == shape(parsed.sections)
    assert again.title == parsed.title and again.theme == parsed.theme
    assert again.key_tasks == parsed.key_tasks
    assert again.recipients == parsed.recipients
    assert again.signatory == parsed.signatory
    assert {r.code for r in again.references} == {r.code for r in parsed.references}


def test_item_edit_and_add(client: Client, world: World, users: People) -> None:
    program = services.save_program(None, world.bac_ha, parse("KẾ HOẠCH\nThử\n\nI. MỤC ĐÍCH\n\n1. Việc một"))
    item = program.items.get(number="1")
    login(client, users.commune_officer)
    response = client.post(
        reverse("programs:item_edit", args=[item.pk]), {"number": "1", "title": "Việc một (sửa)", "text": ""}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Việc một (sửa)"
    parent = program.items.get(number="I")
    response = client.post(
        reverse("programs:item_add", args=[program.pk]), {"parent": parent.pk, "number": "2", "title": "Việc hai"}
    )
    assert response.status_code == 302
    added = Item.objects.get(title="Việc hai")
    assert added.parent == parent
    assert re.search(r"Việc hai", client.get(reverse("programs:detail", args=[program.pk])).content.decode())


@pytest.mark.parametrize("page", ["detail", "uptake", "my_tasks", "item", "list"])
def test_pages_keep_a_fixed_number_of_queries(client: Client, world: World, users: People, page: str) -> None:
    """One small programme, then the seed with every item assigned twice, derived by two communes."""
    small = services.save_program(None, world.lao_cai, parse("KẾ HOẠCH\nThử\n\nI. MỤC\n\n1. Việc một"))
    login(client, users.province_officer)

    def url(program: Program) -> str:
        first = program.items.order_by("position").last()
        assert first is not None
        return {
            "detail": reverse("programs:detail", args=[program.pk]),
            "uptake": reverse("programs:uptake", args=[program.pk]),
            "my_tasks": reverse("programs:my_tasks") + "?below=1",
            "item": reverse("programs:item", args=[first.pk]),
            "list": reverse("programs:list"),
        }[page]

    item = small.items.get(number="1")
    services.assign(None, item, world.bac_ha, [world.sa_pa], dt.date(2030, 1, 1))
    client.get(url(small))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(small)).status_code == 200

    big = services.save_program(None, world.lao_cai, parse(seed_text("000")))
    for index, each in enumerate(big.items.all()):
        services.assign(None, each, world.bac_ha if index % 2 else world.sa_pa, [world.farmers_union])
        if index % 5 == 0:
            lead = Assignment.objects.get(item=each, role="lead")
            services.post_update(None, lead, "Đã làm", 50)
            services.send_reminder(None, lead)
    services.derive_program(None, big, world.bac_ha, list(big.items.values_list("pk", flat=True)))
    services.derive_program(None, big, world.sa_pa, list(big.items.values_list("pk", flat=True))[:10])
    client.get(url(big))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(big)).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_a_commune_reading_the_province_programme_sees_only_its_own_assignments(
    client: Client, world: World, users: People
) -> None:
    program = services.save_program(None, world.lao_cai, parse(seed_text("000")))
    item = program.items.get(number="2.1")
    _mine, theirs = services.assign(None, item, world.bac_ha, [world.sa_pa], dt.date(2030, 1, 1))
    services.post_update(
        None, theirs, "Báo cáo riêng của Sa Pa", 30, SimpleUploadedFile("ds-ho-ngheo.pdf", b"%PDF-1.4")
    )
    sa_pa_update = theirs.updates.get()
    login(client, users.commune_officer)  # Bắc Hà
    for url in (
        reverse("programs:detail", args=[program.pk]),
        reverse("programs:item", args=[item.pk]),
        reverse("programs:board", args=[program.pk]),
    ):
        body = client.get(url).content.decode()
        assert world.bac_ha.name in body, url
        assert world.sa_pa.name not in body, url
        assert "Báo cáo riêng của Sa Pa" not in body
    assert client.get(reverse("programs:board", args=[program.pk])).context["counts"]["not_started"] == 1
    assert client.get(reverse("programs:update_attachment", args=[sa_pa_update.pk])).status_code == 404
    assert client.get(reverse("programs:uptake", args=[program.pk])).status_code == 404
    # The province, owner of the programme, sees both; Sa Pa sees its own attachment.
    login(client, users.province_officer)
    body = client.get(reverse("programs:item", args=[item.pk])).content.decode()
    assert world.bac_ha.name in body and world.sa_pa.name in body and "Báo cáo riêng của Sa Pa" in body
    login(client, users.other_commune_officer)
    response = client.get(reverse("programs:update_attachment", args=[sa_pa_update.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_a_reminder_from_the_page_is_emailed_by_the_worker(
    client: Client, world: World, users: People, settings
) -> None:
    from django.core import mail
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users.commune_officer.email = "bacha@example.vn"
    users.commune_officer.save()
    program = services.save_program(None, world.lao_cai, parse("KẾ HOẠCH\nThử\n\n1. Việc một"))
    (assignment,) = services.assign(None, program.items.get(), world.bac_ha, due_date=dt.date(2030, 1, 1))
    login(client, users.province_officer)
    response = client.post(reverse("programs:assignment_remind", args=[assignment.pk]), {"message": "Đề nghị báo cáo"})
    assert response.status_code == 302
    assert mail.outbox == []  # the page did not wait for the mail server
    assert DBTaskResult.objects.filter(task_path="doanket.programs.tasks.email_reminder").count() == 1
    call_command("worker", batch=True, verbosity=0)
    assert [m.to for m in mail.outbox] == [["bacha@example.vn"]]
    assert mail.outbox[0].body == "Đề nghị báo cáo"
    assert Reminder.objects.get().emailed_to == ["bacha@example.vn"]
