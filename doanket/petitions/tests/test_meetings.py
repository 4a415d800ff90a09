"""Voter meetings: planned, announced on the portal, their opinions recorded many at once; and
the weekly chase of overdue petitions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import People, World, login
from doanket.organizations.models import Level
from doanket.petitions import services
from doanket.petitions.models import Action, Body, Channel, Petition, VoterMeeting
from doanket.petitions.services import PetitionError, Sender

OPINIONS = """- Đề nghị sớm sửa đường liên thôn. Mùa mưa đi lại khó khăn.
- Đề nghị tăng mức hỗ trợ hộ nghèo.

3. Cử tri đề nghị kiểm tra việc cấp giấy chứng nhận quyền sử dụng đất chậm."""


def _meeting(world: World, users: People, **extra: Any) -> VoterMeeting:
    values: dict[str, Any] = {
        "unit": world.bac_ha,
        "body": Body.NATIONAL_ASSEMBLY,
        "deputies": "Đại biểu Nguyễn Văn A\nĐại biểu Trần Thị B",
        "title": "Tiếp xúc cử tri trước kỳ họp thứ 10",
        "starts_at": timezone.now() + dt.timedelta(days=3),
        "place": "Nhà văn hóa thôn Na Hối",
        "area": world.bac_ha_village,
        "expected": 120,
    }
    values.update(extra)
    return services.plan_meeting(users.commune_officer, VoterMeeting(**values))


def test_opinions_typed_during_a_meeting_become_petitions_at_once(world: World, users: People) -> None:
    assert services.split_opinions(OPINIONS) == [
        "Đề nghị sớm sửa đường liên thôn. Mùa mưa đi lại khó khăn.",
        "Đề nghị tăng mức hỗ trợ hộ nghèo.",
        "Cử tri đề nghị kiểm tra việc cấp giấy chứng nhận quyền sử dụng đất chậm.",
    ]
    assert services.split_opinions("a) Một\nb) Hai\n• Ba") == ["Một", "Hai", "Ba"]
    # A paragraph without markers is one opinion, however many lines it was typed on.
    assert services.split_opinions("Đề nghị xây\ncầu mới.\n\nĐề nghị khác.") == [
        "Đề nghị xây cầu mới.",
        "Đề nghị khác.",
    ]
    meeting = _meeting(world, users, starts_at=timezone.now() - dt.timedelta(hours=2))
    made = services.record_opinions(users.commune_officer, meeting, "Ý kiến một.\nÝ kiến hai.")
    assert [p.title for p in made] == ["Ý kiến một", "Ý kiến hai"]
    assert all(p.channel == Channel.VOTER_MEETING and p.meeting == meeting and p.unit == world.bac_ha for p in made)
    assert made[0].received_at == meeting.starts_at
    up = services.record_opinions(users.commune_officer, meeting, "Việc của tỉnh.", level=Level.PROVINCE)
    assert up[0].unit == world.lao_cai
    with pytest.raises(PetitionError):
        services.record_opinions(users.commune_officer, meeting, " \n - \n")
    before = Petition.objects.count()
    with pytest.raises(PetitionError):  # no committee of that level: nothing of the batch is kept
        services.record_opinions(users.commune_officer, meeting, "Một.\nHai.", level=Level.VILLAGE)
    assert Petition.objects.count() == before


def test_a_meeting_is_planned_announced_and_its_opinions_recorded_in_the_browserless_pages(
    client: Client, world: World, users: People
) -> None:
    login(client, users.commune_officer)
    when = (timezone.localtime() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("petitions:meeting_new"),
        {"unit": world.bac_ha.pk, "kind": "voter_meeting", "title": "Tiếp xúc cử tri HĐND xã",
         "body": Body.COMMUNE_COUNCIL, "deputies": "Đại biểu Lò Văn C", "starts_at": when,
         "place": "Hội trường xã", "expected": 80,
         "area": world.bac_ha_village.pk, "published": "on"},
    )  # fmt: skip
    meeting = VoterMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("petitions:meeting", args=[meeting.pk])
    portal = Client().get(reverse("portal:meetings")).content.decode()
    assert "Tiếp xúc cử tri HĐND xã" in portal and "Hội trường xã" in portal
    response = client.post(reverse("petitions:meeting", args=[meeting.pk]), {"opinions": OPINIONS})
    assert response.status_code == 302
    page = client.get(reverse("petitions:meeting", args=[meeting.pk])).content.decode()
    assert "Đề nghị sớm sửa đường liên thôn" in page and "Cử tri đề nghị kiểm tra" in page
    wrong = client.post(
        reverse("petitions:meeting_new"),
        {"unit": world.bac_ha.pk, "kind": "voter_meeting", "title": "X", "body": Body.COMMUNE_COUNCIL, "deputies": "Y",
         "starts_at": when, "place": "Z", "expected": 1, "area": world.sa_pa_village.pk},
    )  # fmt: skip
    assert wrong.status_code == 200 and "area" in wrong.context["form"].errors
    login(client, users.viewer)
    assert client.post(reverse("petitions:meeting", args=[meeting.pk]), {"opinions": "x"}).status_code == 403


def test_overdue_petitions_are_chased_once_a_week(world: World, users: People, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users.commune_officer.email = "canbo@example.vn"
    users.commune_officer.save()
    late = services.receive(
        None, place=world.bac_ha, level=Level.COMMUNE, channel="phone", title="Quá hạn", content="Nội dung.",
        sender=Sender(name="Người gửi bí mật"), received_at=timezone.now() - dt.timedelta(days=20),
    )  # fmt: skip
    services.assign(users.commune_officer, late, users.commune_officer)
    services.receive(None, place=world.bac_ha, level=Level.COMMUNE, channel="phone", title="Còn hạn", content="x",
                     sender=Sender())  # fmt: skip
    now = timezone.now()
    assert services.send_overdue_reminders(now) == 1
    assert services.send_overdue_reminders(now + dt.timedelta(days=1)) == 0  # not again within the week
    assert services.send_overdue_reminders(now + dt.timedelta(days=8)) == 1
    assert late.events.filter(action=Action.REMINDED).count() == 2
    assert [m.to for m in mail.outbox] == [["canbo@example.vn"], ["canbo@example.vn"]]
    assert late.code in mail.outbox[0].subject and "Người gửi bí mật" not in mail.outbox[0].body


def test_a_dialogue_needs_no_deputies_and_its_opinions_reach_the_synthesis(
    client: Client, world: World, users: People
) -> None:
    from doanket.petitions.models import Channel
    from doanket.petitions.synthesis import petitions_in

    login(client, users.commune_officer)
    when = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    fields = {"unit": world.bac_ha.pk, "title": "Đối thoại với người có uy tín thôn Na Hối", "starts_at": when,
              "place": "Nhà văn hoá thôn", "expected": 20, "deputies": "Chủ tịch UBND xã Giàng A Páo"}  # fmt: skip
    refused = client.post(reverse("petitions:meeting_new"), {**fields, "kind": "voter_meeting"})
    assert refused.status_code == 200 and "body" in refused.context["form"].errors  # a voter meeting names its deputies
    made = client.post(reverse("petitions:meeting_new"), {**fields, "kind": "gathering"})
    meeting = VoterMeeting.objects.get()
    assert made.status_code == 302 and meeting.kind == "gathering" and meeting.body == ""
    page = client.get(reverse("petitions:meeting", args=[meeting.pk])).content.decode()
    assert "Giàng A Páo" in page
    client.post(
        reverse("petitions:meeting", args=[meeting.pk]),
        {"opinions": "Đề nghị làm đường lên nương.\nĐề nghị mở lớp dạy chữ Mông."},
    )
    raised = Petition.objects.filter(meeting=meeting)
    assert raised.count() == 2 and set(raised.values_list("channel", flat=True)) == {Channel.DIALOGUE}
    today = timezone.localdate()
    grouped = petitions_in(world.bac_ha, today - dt.timedelta(days=7), today)
    assert set(raised.values_list("pk", flat=True)) <= set(grouped.values_list("pk", flat=True))
    assert (
        not petitions_in(world.bac_ha, today - dt.timedelta(days=7), today, only_meetings=True)
        .filter(meeting=meeting)
        .exists()
    )  # "voter meetings only" means those
