"""The work-programme domain, through its services, on a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from conftest import People, World
from doanket.core.models import AuditEntry
from doanket.documents.parser import parse
from doanket.programs import services
from doanket.programs.models import (
    Assignment,
    Citation,
    Directive,
    Event,
    Item,
    Program,
    Reminder,
    ReminderKind,
    Revision,
    Status,
)
from doanket.programs.tests.conftest import seed_text

pytestmark = pytest.mark.django_db


def test_saving_the_seed_keeps_its_whole_structure(province_programme: Program) -> None:
    program = province_programme
    assert program.kind == "work_program"
    assert program.year == 2022
    assert len(program.key_tasks) == 10
    tops = list(program.items.filter(parent=None).values_list("number", flat=True))
    assert tops == ["I", "II", "III", "V"]
    assert program.items.count() == sum(1 for _ in parse(seed_text("000")).walk())
    item_2_1 = program.items.get(number="2.1")
    assert item_2_1.parent is not None and item_2_1.parent.number == "2"
    assert item_2_1.children.count() == 5
    positions = list(program.items.values_list("position", flat=True))
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert Event.objects.filter(program=program).count() == 11
    assert Event.objects.get(program=program, lunar=True).date == dt.date(2022, 4, 10)
    assert Revision.objects.filter(program=program, version=1).exists()
    assert AuditEntry.objects.filter(model="programs.program", object_id=str(program.pk)).exists()
    assert AuditEntry.objects.filter(model="programs.item").count() == program.items.count()


def test_the_library_gets_every_cited_document_once_with_its_citations(province_programme: Program) -> None:
    library = Directive.objects.filter(unit=province_programme.unit)
    assert library.count() == 19
    decree = library.get(code="93/2021/NĐ-CP")
    assert decree.date == dt.date(2021, 10, 27) and decree.issuer == "Chính phủ" and decree.type == "decree"
    cited_in = Citation.objects.filter(directive=decree).select_related("item")
    assert {c.item.number for c in cited_in if c.item} == {"-"}
    assert sum(c.mentions for c in cited_in) == 3
    # The preamble cites Thông báo 139 (no item).
    assert Citation.objects.filter(directive__code="139/TB-MTTW-BTT", item__isnull=True).exists()
    # A second programme citing the same decree joins the same entry.
    services.save_program(None, province_programme.unit, parse("KẾ HOẠCH\nCứu trợ\n\n1. Theo Nghị định 93/2021/NĐ-CP."))
    assert library.filter(code_key=decree.code_key).count() == 1
    assert Citation.objects.filter(directive=decree).values("program").distinct().count() == 2


def test_derive_keeps_links_and_uptake_counts_units(world: World, province_programme: Program) -> None:
    upper = province_programme
    item_2_1 = upper.items.get(number="2.1")
    bullet = item_2_1.children.first()
    assert bullet is not None
    derived = services.derive_program(
        None, upper, world.bac_ha, [bullet.pk], title="Chương trình công tác xã Bắc Hà 2022"
    )
    numbers = list(derived.items.order_by("position").values_list("number", flat=True))
    assert numbers == ["III", "2", "2.1", "-"]  # the sections above come along so numbering reads
    copy = derived.items.get(number="-")
    assert copy.upper_item_id == bullet.pk and copy.title == bullet.title
    assert derived.derived_from_id == upper.pk
    result = services.uptake(upper)
    assert world.bac_ha in result.units and world.sa_pa in result.units
    assert result.count(bullet) == 1
    assert world.sa_pa in result.missing(bullet) and world.bac_ha not in result.missing(bullet)
    assert result.count(upper.items.get(number="V")) == 0


def test_assign_update_and_status(world: World, users: People, province_programme: Program) -> None:
    item = province_programme.items.get(number="2.2")
    due = dt.date(2022, 6, 30)
    assignments = services.assign(users.province_officer, item, world.bac_ha, [world.sa_pa, world.bac_ha], due)
    assert [(a.unit, a.role) for a in assignments] == [(world.bac_ha, "lead"), (world.sa_pa, "support")]
    lead = assignments[0]
    assert lead.effective_status(dt.date(2022, 6, 1)) == Status.NOT_STARTED
    assert lead.effective_status(dt.date(2022, 7, 1)) == Status.LATE
    services.post_update(users.commune_officer, lead, "Đã tổ chức 3 hội nghị", 40)
    lead.refresh_from_db()
    assert (lead.status, lead.progress) == (Status.IN_PROGRESS, 40)
    services.post_update(users.commune_officer, lead, "Hoàn thành", 100)
    lead.refresh_from_db()
    assert lead.status == Status.DONE
    assert lead.effective_status(dt.date(2023, 1, 1)) == Status.DONE  # done is never late
    # Re-assigning the same unit updates its assignment instead of duplicating it.
    services.assign(users.province_officer, item, world.sa_pa, [], dt.date(2022, 9, 30))
    assert Assignment.objects.filter(item=item).count() == 2
    assert Assignment.objects.get(item=item, unit=world.sa_pa).role == "lead"
    assert Assignment.objects.get(item=item, unit=world.bac_ha).role == "support"
    assert services.item_status(list(item.assignments.all()), dt.date(2022, 10, 1)) == Status.LATE


def test_an_item_cannot_go_to_a_unit_outside_the_programme(world: World, province_programme: Program) -> None:
    item = province_programme.items.get(number="2.2")
    with pytest.raises(services.AssignmentError):
        services.assign(None, item, world.lang_son)
    assert not Assignment.objects.filter(item=item).exists()


def test_a_recurring_task_moves_to_its_next_period_when_done(world: World, province_programme: Program) -> None:
    item = province_programme.items.get(number="2.1")
    (assignment,) = services.assign(None, item, world.bac_ha, due_date=dt.date(2022, 1, 31), recurrence="monthly")
    services.post_update(None, assignment, "Báo cáo tháng 1", 100)
    assignment.refresh_from_db()
    assert assignment.due_date == dt.date(2022, 2, 28)
    assert assignment.status == Status.NOT_STARTED
    assert services.next_due(dt.date(2022, 11, 30), "quarterly") == dt.date(2023, 2, 28)


def test_scheduled_reminders_are_sent_once(world: World, users: People, province_programme: Program, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users.commune_officer.email = "xa@example.vn"
    users.commune_officer.save()
    item = province_programme.items.get(number="2.1")
    services.assign(None, item, world.bac_ha, due_date=dt.date(2022, 3, 10))
    services.assign(None, province_programme.items.get(number="2.2"), world.sa_pa, due_date=dt.date(2022, 3, 1))
    today = dt.date(2022, 3, 8)
    assert services.send_due_reminders(today) == 2  # one due soon, one overdue
    assert services.send_due_reminders(today) == 0  # a second run sends nothing
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert kinds == {ReminderKind.BEFORE_DUE, ReminderKind.OVERDUE}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["xa@example.vn"]
    # By hand, as often as needed; each one is in the item's history and the audit log.
    assignment = Assignment.objects.get(unit=world.bac_ha)
    services.send_reminder(users.province_officer, assignment)
    services.send_reminder(users.province_officer, assignment)
    assert assignment.reminders.filter(kind=ReminderKind.MANUAL).count() == 2
    assert AuditEntry.objects.filter(model="programs.reminder").count() == 4


def test_revisions_keep_assignments_and_compare(world: World, province_programme: Program) -> None:
    program = province_programme
    item = program.items.get(number="2.2")
    services.assign(None, item, world.bac_ha)
    text = seed_text("000").replace(
        "3. Trong quá trình thực hiện", "3. Bổ sung nhiệm vụ mới.\n\n4. Trong quá trình thực hiện"
    )
    revised = services.revise_program(None, program, parse(text), "Bổ sung mục V.3")
    assert revised.version == 2
    assert Assignment.objects.filter(item__pk=item.pk).exists()  # the item survived with its assignment
    assert list(revised.items.get(number="V").children.values_list("number", flat=True)) == ["1", "2", "3", "4"]
    older, newer = Revision.objects.get(program=program, version=1), Revision.objects.get(program=program, version=2)
    changes = [(tag, line) for tag, line in services.compare(older, newer) if tag != " "]
    assert ("+", "  3 Bổ sung nhiệm vụ mới.") in changes
    assert any(tag == "-" and "3 Trong quá trình thực hiện" in line for tag, line in changes)


def test_add_item_goes_after_the_parents_descendants(world: World, province_programme: Program) -> None:
    parent = province_programme.items.get(number="2.1")
    item = services.add_item(None, province_programme, parent, "-", "Nhiệm vụ riêng của tỉnh")
    ordered = list(province_programme.items.order_by("position"))
    index = ordered.index(item)
    assert ordered[index - 1].parent_id == parent.pk  # right after 2.1's last bullet
    assert ordered[index + 1].number == "2.2"
    assert item.depth == parent.depth + 1
    assert Item.objects.filter(program=province_programme).count() == len(ordered)


def test_library_entries_are_audited_and_stale_uploads_cleaned(world: World, settings) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    program = services.save_program(None, world.lao_cai, parse("KẾ HOẠCH\nX\n\n1. Theo Nghị định 93/2021/NĐ-CP."))
    directive = Directive.objects.get(unit=program.unit)
    assert AuditEntry.objects.filter(model="programs.directive", object_id=str(directive.pk), action="create").exists()
    kept = default_storage.save(f"{services.UPLOADS}/a/moi.txt", ContentFile(b"x"))
    old = default_storage.save(f"{services.UPLOADS}/b/cu.txt", ContentFile(b"x"))
    assert services.clean_stale_uploads(max_age=dt.timedelta(hours=24)) == 0
    import os
    import time

    stale = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (stale, stale))
    assert services.clean_stale_uploads() == 1
    assert default_storage.exists(kept) and not default_storage.exists(old)


def test_a_commune_cites_the_provinces_library_entry_instead_of_copying_it(
    world: World, province_programme: Program
) -> None:
    commune = services.save_program(None, world.bac_ha, parse("KẾ HOẠCH\nX\n\n1. Theo Nghị định 93/2021/NĐ-CP."))
    assert not Directive.objects.filter(unit=world.bac_ha).exists()
    decree = Directive.objects.get(unit=world.lao_cai, code="93/2021/NĐ-CP")
    assert Citation.objects.filter(directive=decree, program=commune).exists()


def test_revision_pairs_repeated_and_renumbered_items(world: World) -> None:
    text = "KẾ HOẠCH\nX\n\nI. MỘT\n\n1. Nội dung\n\nII. HAI\n\n1. Nội dung\n\nIII. BA\n\n1. Việc riêng"
    program = services.save_program(None, world.lao_cai, parse(text))
    first, second = program.items.filter(number="1", title="Nội dung").order_by("position")
    services.assign(None, second, world.bac_ha, due_date=dt.date(2030, 1, 1))
    third = program.items.get(title="Việc riêng")
    services.assign(None, third, world.sa_pa)
    # A section is inserted: II becomes III, III becomes IV; the header is not in the new text.
    revised = "I. MỘT\n\n1. Nội dung\n\nII. MỚI\n\n1. Việc mới\n\nIII. HAI\n\n1. Nội dung\n\nIV. BA\n\n1. Việc riêng"
    services.revise_program(None, program, parse(revised), "Thêm mục II")
    program.refresh_from_db()
    assert program.title == "X"  # kept: the new text had no header
    second.refresh_from_db()
    assert second.parent is not None and second.parent.title == "HAI"
    assert Assignment.objects.get(unit=world.bac_ha).item_id == second.pk
    assert Assignment.objects.get(unit=world.sa_pa).item.parent.number == "IV"  # type: ignore[union-attr]
    first.refresh_from_db()
    assert first.parent is not None and first.parent.title == "MỘT"


def test_reassigning_keeps_the_due_date_and_audits_the_former_lead(world: World, province_programme: Program) -> None:
    item = province_programme.items.get(number="2.2")
    services.assign(None, item, world.bac_ha, due_date=dt.date(2030, 6, 30))
    services.assign(None, item, world.sa_pa, [world.bac_ha])  # no date given
    bac_ha = Assignment.objects.get(item=item, unit=world.bac_ha)
    assert bac_ha.due_date == dt.date(2030, 6, 30) and bac_ha.role == "support"
    assert AuditEntry.objects.filter(model="programs.assignment", object_id=str(bac_ha.pk), action="update").exists()


def test_next_due_keeps_month_ends_and_a_recurring_task_stops_with_its_year(world: World) -> None:
    assert services.next_due(dt.date(2022, 1, 31), "monthly") == dt.date(2022, 2, 28)
    assert services.next_due(dt.date(2022, 2, 28), "monthly") == dt.date(2022, 3, 31)
    assert services.next_due(dt.date(2022, 1, 15), "quarterly") == dt.date(2022, 4, 15)
    program = services.save_program(None, world.lao_cai, parse("KẾ HOẠCH\nBáo cáo năm 2022\n\n1. Báo cáo tháng"))
    (assignment,) = services.assign(
        None, program.items.get(), world.bac_ha, due_date=dt.date(2022, 12, 31), recurrence="monthly"
    )
    services.post_update(None, assignment, "Tháng 12", 100)
    assignment.refresh_from_db()
    assert assignment.status == Status.DONE and assignment.due_date == dt.date(2022, 12, 31)


def test_hand_edits_are_versions_and_events_are_audited(world: World, province_programme: Program) -> None:
    item = province_programme.items.get(number="2.2")
    services.edit_item(None, item, "Về công tác dân tộc, tôn giáo (sửa)", item.text)
    services.add_item(None, province_programme, item, "-", "Nhiệm vụ mới của tỉnh")
    province_programme.refresh_from_db()
    assert province_programme.version == 3
    notes = list(Revision.objects.filter(program=province_programme).order_by("version").values_list("note", flat=True))
    assert len(notes) == 3
    older, newer = (
        Revision.objects.get(program=province_programme, version=1),
        Revision.objects.get(program=province_programme, version=3),
    )
    changes = [line for tag, line in services.compare(older, newer) if tag == "+"]
    assert any("(sửa)" in line for line in changes) and any("Nhiệm vụ mới của tỉnh" in line for line in changes)
    assert AuditEntry.objects.filter(model="programs.event", action="create").count() == 11
    assert set(AuditEntry.objects.filter(model="programs.event").values_list("unit_path", flat=True)) == {
        world.lao_cai.path
    }
