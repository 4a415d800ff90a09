"""Retention: a closed petition's sender is erased once its retention period is over (the petition
and its answer stay), open and recent ones keep theirs; old request logs go; each run is safe to
repeat."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from conftest import People, World
from doanket.accounts import tasks as account_tasks
from doanket.accounts import tokens
from doanket.accounts.models import ApiTokenUse
from doanket.core.models import AuditEntry
from doanket.organizations.models import Level
from doanket.petitions import services
from doanket.petitions import tasks as petition_tasks
from doanket.petitions.models import Petition, Status
from doanket.petitions.services import Sender


def _petition(world: World, title: str) -> Petition:
    return services.receive(
        None, place=world.bac_ha, level=Level.COMMUNE, channel="phone", title=title, content="Nội dung.",
        sender=Sender(name="Nguyễn Văn Dân", phone="0912000111", email="dan@example.vn", address="Thôn Na Hối"),
    )  # fmt: skip


def test_a_closed_petitions_sender_is_erased_after_the_retention_period(world: World, settings: object) -> None:
    now = timezone.now()
    old = _petition(world, "Đường hỏng (đã trả lời từ lâu)")
    recent = _petition(world, "Đèn đường (mới trả lời)")
    still_open = _petition(world, "Nước sạch (đang xử lý)")
    Petition.objects.filter(pk=old.pk).update(status=Status.ANSWERED, answered_at=now - dt.timedelta(days=6 * 365))
    Petition.objects.filter(pk=recent.pk).update(status=Status.ANSWERED, answered_at=now - dt.timedelta(days=30))
    Petition.objects.filter(pk=still_open.pk).update(received_at=now - dt.timedelta(days=7 * 365))

    assert petition_tasks.apply_retention.call() == 1
    old.refresh_from_db()
    assert (old.sender_name, old.sender_phone, old.sender_email, old.sender_address) == ("", "", "", "")
    assert old.title == "Đường hỏng (đã trả lời từ lâu)" and old.status == Status.ANSWERED
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.sender_phone == "0912000111"
    entry = AuditEntry.objects.filter(model="petitions.petition", object_id=str(old.pk)).latest("pk")
    assert entry.changes["sender_name"] == ["•••", ""] and "Nguyễn Văn Dân" not in str(entry.changes)
    assert petition_tasks.apply_retention.call() == 0  # nothing left to erase


def test_old_request_logs_are_deleted(world: World, users: People) -> None:
    token, _text = tokens.issue(users.unit_admin, world.bac_ha, name="Cổng", access="read")
    tokens.record_use(token, "GET", "/api/v1/units/", 200)
    tokens.record_use(token, "GET", "/api/v1/programs/", 200)
    ApiTokenUse.objects.filter(path="/api/v1/units/").update(at=timezone.now() - dt.timedelta(days=400))
    assert account_tasks.apply_retention.call() == 1
    assert list(ApiTokenUse.objects.values_list("path", flat=True)) == ["/api/v1/programs/"]
