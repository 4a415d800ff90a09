"""The life of a petition through the services: routing, handling, identity, audit, notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import People, World, make_unit
from doanket.core.models import AuditEntry
from doanket.organizations.models import Level
from doanket.petitions import notify, services
from doanket.petitions.models import Action, Agency, IdentityReading, Kind, KindRule, Notice, Petition, Status
from doanket.petitions.services import PetitionError, Sender

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


class FakeGateway:
    """The SMS provider, outside our machine: keeps what it was asked to send."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        FakeGateway.sent.append((phone, text))


def _receive(world: World, **extra: Any) -> Petition:
    values: dict[str, Any] = {
        "place": world.bac_ha_village,
        "level": Level.COMMUNE,
        "channel": "portal",
        "title": "Đường vào thôn Na Hối bị sạt lở",
        "content": "Đề nghị xã sớm khắc phục đoạn đường sạt lở sau mưa lũ.",
        "sender": Sender(name="Nguyễn Văn An", email="an@example.vn", phone="0912 345 678"),
    }
    values.update(extra)
    return services.receive(None, **values)


def test_a_petition_lands_at_the_committee_of_the_level_it_concerns(world: World) -> None:
    petition = _receive(world)
    assert petition.unit == world.bac_ha and petition.place == world.bac_ha_village
    assert petition.status == Status.RECEIVED
    assert petition.due_date == timezone.localdate() + dt.timedelta(days=15)
    up = _receive(world, level=Level.PROVINCE, kind=Kind.DENUNCIATION)
    assert up.unit == world.lao_cai and up.due_date == timezone.localdate() + dt.timedelta(days=30)
    assert _receive(world, level=Level.CENTRAL).unit == world.central
    with pytest.raises(PetitionError):
        _receive(world, level=Level.VILLAGE)
    KindRule.objects.create(kind=Kind.PETITION, days=10)
    assert _receive(world).due_date == timezone.localdate() + dt.timedelta(days=10)


def test_tracking_codes_are_random_and_read_back_however_typed(world: World) -> None:
    codes = {services.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 17 and c.startswith("PA-") for c in codes)
    petition = _receive(world)
    typed = petition.code.lower().replace("-", " ")
    assert services.track(typed) == petition
    assert services.track("PA-2222-2222-2222") is None
    assert services.track("'; drop table --") is None
    assert services.normalise_code("PA-OOOO-IIII-1111") == ""  # letters that are never drawn


def test_a_code_drawn_twice_is_drawn_again_and_the_petition_lands_whole(world: World, monkeypatch: Any) -> None:
    first = _receive(world)
    drawn = iter([first.code, first.code, "PA-2345-6789-ABCD"])
    monkeypatch.setattr(services, "new_code", lambda: next(drawn))
    second = _receive(world)
    assert second.code == "PA-2345-6789-ABCD" and Petition.objects.count() == 2
    # Its record, first step and audit entries are all there, once.
    assert list(second.events.values_list("action", flat=True)) == [Action.RECEIVED]
    logged = AuditEntry.objects.filter(object_id=str(second.pk), model="petitions.petition", action="create")
    assert logged.count() == 1
    assert AuditEntry.objects.filter(model="petitions.event", object_id=str(second.events.get().pk)).count() == 1


def test_the_audit_log_never_holds_the_senders_identity(world: World) -> None:
    petition = _receive(world, kind=Kind.DENUNCIATION)
    logged = " ".join(str(e.changes) for e in AuditEntry.objects.filter(model="petitions.petition"))
    assert "Nguyễn Văn An" not in logged and "an@example.vn" not in logged and "0912345678" not in logged
    assert "•••" in logged  # the log says the identity is there, never what it is
    assert petition.sender_phone == "0912345678"


def test_a_protected_identity_is_seen_by_the_assigned_officer_only_and_every_reading_is_logged(
    world: World, users: People
) -> None:
    petition = _receive(world, kind=Kind.CORRUPTION)
    for user in (users.commune_officer, users.leader, users.unit_admin, users.system_admin, users.province_officer):
        assert not services.may_see_identity(user, petition)
        with pytest.raises(PermissionDenied):
            services.identity(user, petition, "xem")
    services.assign(users.province_officer, petition, users.commune_officer)
    petition.refresh_from_db()
    seen = services.identity(users.commune_officer, petition, "xác minh")
    assert seen.name == "Nguyễn Văn An"
    reading = IdentityReading.objects.get(petition=petition)
    assert (reading.user, reading.purpose) == (users.commune_officer, "xác minh")
    # An ordinary petition: whoever may see personal data in the committee, not logged.
    plain = _receive(world)
    assert services.identity(users.commune_officer, plain, "x").email == "an@example.vn"
    assert not services.may_see_identity(users.viewer, plain)
    assert IdentityReading.objects.filter(petition=plain).count() == 0


def test_handling_from_classification_to_publication(world: World, users: People) -> None:
    petition = _receive(world)
    officer = users.commune_officer
    services.classify(officer, petition, kind=Kind.PETITION, topic=None, urgency="urgent")
    agency = services.add_agency(officer, Agency(unit=world.bac_ha, name="UBND xã Bắc Hà", level=Level.COMMUNE))
    petition = services.forward(officer, petition, agency, "Chuyển UBND xã")
    assert petition.status == Status.FORWARDED and petition.agency == agency
    document = SimpleUploadedFile("cong-van.pdf", PDF, content_type="application/pdf")
    petition = services.record_answer(officer, petition, "Xã đã bố trí kinh phí sửa đường.", "", document)
    assert petition.status == Status.ANSWERED and petition.answered_by == "UBND xã Bắc Hà"
    assert petition.attachments.get().role == "answer"
    with pytest.raises(PetitionError):
        services.forward(officer, petition, agency)  # closed
    draft = services.anonymised(
        Petition(
            content="Tôi là Nguyễn Văn An, số 0912 345 678, an@example.vn, đề nghị sửa đường.",
            sender_name="Nguyễn Văn An",
        )
    )
    assert "Nguyễn Văn An" not in draft and "0912" not in draft and "@" not in draft and "sửa đường" in draft
    petition = services.publish(officer, petition, "Đề nghị sửa đường vào thôn.", "Xã đã bố trí kinh phí.")
    assert petition.published and petition.public_key
    actions = list(petition.events.values_list("action", flat=True))
    assert actions == ["received", "classified", "forwarded", "answered", "published"]


def test_passing_merging_and_refusals(world: World, users: People) -> None:
    first, second = _receive(world), _receive(world)
    services.merge(users.commune_officer, second, first)
    second.refresh_from_db()
    assert (second.status, second.duplicate_of) == (Status.MERGED, first)
    with pytest.raises(PetitionError):
        services.merge(users.commune_officer, first, second)  # into a merged one
    with pytest.raises(PetitionError):
        services.pass_to(users.commune_officer, first, world.lao_cai, "")  # no reason
    with pytest.raises(PetitionError):
        services.pass_to(users.commune_officer, first, world.lang_son, "Không thuộc")  # not above nor below
    moved = services.pass_to(users.commune_officer, first, world.lao_cai, "Thuộc thẩm quyền cấp tỉnh")
    assert (moved.unit, moved.status, moved.assigned_to) == (world.lao_cai, Status.RECEIVED, None)
    with pytest.raises(PermissionDenied):  # now the province's: the commune no longer handles it
        services.classify(users.commune_officer, moved, kind=Kind.PETITION, topic=None, urgency="normal")
    with pytest.raises(PetitionError):
        services.assign(users.province_officer, moved, users.viewer)  # a viewer does not handle petitions


def test_uploads_are_checked_by_their_bytes_and_nothing_is_kept_when_one_is_wrong(world: World) -> None:
    before = Petition.objects.count()
    fake = SimpleUploadedFile("anh.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    good = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    with pytest.raises(PetitionError, match=r"anh\.jpg"):
        _receive(world, files=[good, fake])
    assert Petition.objects.count() == before
    big = SimpleUploadedFile("to.jpg", JPEG + b"\x00" * services.MAX_FILE_BYTES, content_type="image/jpeg")
    with pytest.raises(PetitionError, match=r"to\.jpg"):
        _receive(world, files=[big])
    petition = _receive(world, files=[SimpleUploadedFile("anh.png.pdf", JPEG, content_type="application/pdf")])
    attachment = petition.attachments.get()
    assert attachment.content_type == "image/jpeg" and str(attachment.file.name).endswith(".jpg")


@pytest.mark.django_db(transaction=True)
def test_the_citizen_is_told_each_public_step_once_by_e_mail_and_sms(
    world: World, users: People, settings: Any
) -> None:
    settings.SMS_GATEWAY = "doanket.petitions.tests.test_services.FakeGateway"
    FakeGateway.sent = []
    petition = _receive(
        world,
        sender=Sender(name="An", email="an@example.vn", phone="+84 912 345 678", notify_email=True, notify_sms=True),
    )
    services.classify(users.commune_officer, petition, kind=Kind.PETITION, topic=None, urgency="normal")
    from django.core.management import call_command

    call_command("worker", batch=True, verbosity=0)
    assert [n.medium for n in Notice.objects.order_by("medium")] == [
        "email",
        "sms",
    ]  # received; classifying is internal
    assert FakeGateway.sent == [("0912345678", Notice.objects.get(medium="sms").text)]
    assert petition.code in mail.outbox[0].body and "/portal/petitions/track?code=" in mail.outbox[0].body
    event = petition.events.get(action=Action.RECEIVED)
    assert notify.notify(event.pk) == 0  # a retried task sends nothing twice
    assert len(FakeGateway.sent) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_sms_gateway_is_recorded_and_the_e_mail_still_goes(world: World, settings: Any) -> None:
    settings.SMS_GATEWAY = "doanket.petitions.notify.NoGateway"
    petition = _receive(
        world, sender=Sender(email="an@example.vn", phone="0912345678", notify_email=True, notify_sms=True)
    )
    event = petition.events.get()
    assert notify.notify(event.pk) == 1
    sms = Notice.objects.get(medium="sms")
    assert sms.sent_at is None and "SMS_GATEWAY" in sms.error
    assert Notice.objects.get(medium="email").sent_at is not None


def test_bad_input_is_refused_with_its_reason(world: World) -> None:
    with pytest.raises(PetitionError):
        _receive(world, title="   ", content="x")
    with pytest.raises(PetitionError):
        _receive(world, sender=Sender(phone="12"))
    with pytest.raises(PetitionError):
        _receive(world, sender=Sender(notify_sms=True))
    commune = make_unit(world.lang_son, "Ủy ban MTTQ xã Thử", Level.COMMUNE)
    assert _receive(world, place=commune).unit == commune


def test_the_periods_numbers_are_offered_to_report_forms(world: World, users: People) -> None:
    from doanket.reporting import sources

    names = dict(sources.choices())
    assert {"petitions.received", "petitions.received.portal", "petitions.received.denunciation"} <= names.keys()
    assert "petitions.overdue" in names
    today = timezone.localdate()
    start, end = today.replace(day=1), today + dt.timedelta(days=60)
    on_time = _receive(world)
    services.record_answer(users.commune_officer, on_time, "Đã giải quyết.", "UBND xã")
    _receive(world, channel="phone", kind=Kind.COMPLAINT)
    late = _receive(world, received_at=timezone.now() - dt.timedelta(days=20))
    duplicate = _receive(world)
    services.merge(users.commune_officer, duplicate, late)
    figures = sources.prefill(
        [("a", "petitions.received"), ("b", "petitions.received.phone"), ("c", "petitions.received.complaint"),
         ("d", "petitions.answered_on_time"), ("e", "petitions.overdue"), ("f", "petitions.forwarded")],
        world.bac_ha, min(start, timezone.localtime(late.received_at).date()), end,
    )  # fmt: skip
    assert figures == {"a": 3, "b": 1, "c": 1, "d": 1, "e": 1, "f": 0}  # the merged duplicate is not counted
    assert sources.prefill([("a", "petitions.received")], world.sa_pa, start, end) == {"a": 0}
