"""The staff pages of petitions through HTTP: entry, handling, and the protected sender."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.organizations.models import Level
from doanket.petitions import services
from doanket.petitions.models import Agency, IdentityReading, Kind, Petition, Status
from doanket.petitions.services import Sender

PDF = b"%PDF-1.4\n%%EOF\n"
SECRET_NAME = "Trần Thị Bí Mật"


def _entry(world: World, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": world.bac_ha.pk,
        "channel": "letter",
        "received_on": "2026-11-20",
        "kind": Kind.PETITION,
        "urgency": "normal",
        "title": "Đề nghị sửa cầu treo thôn Na Hối",
        "content": "Cầu treo xuống cấp, học sinh đi lại nguy hiểm.",
        "sender_name": "Lê Văn Bình",
        "sender_phone": "0987654321",
    }
    data.update(extra)
    return data


def test_an_officer_records_a_letter_and_takes_it_to_a_published_answer(
    client: Client, world: World, users: People
) -> None:
    login(client, users.commune_officer)
    form = client.get(reverse("petitions:new"))
    assert form.status_code == 200
    assert world.lang_son.name not in form.content.decode()  # only the committees in scope
    data = _entry(world, attachments=SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf"))
    response = client.post(reverse("petitions:new"), data)
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("petitions:detail", args=[petition.pk])
    received = timezone.localtime(petition.received_at).date()  # the day in Vietnam, whatever UTC says
    assert received.isoformat() == "2026-11-20" and petition.channel == "letter"
    page = client.get(response["Location"]).content.decode()
    assert "Lê Văn Bình" in page  # an ordinary petition: the officer sees the sender
    agency = Agency.objects.create(unit=world.lao_cai, name="Sở Giao thông Lào Cai", level=Level.PROVINCE)
    detail = reverse("petitions:detail", args=[petition.pk])
    for step, values in [
        ("classify", {"kind": Kind.PETITION, "urgency": "urgent"}),
        ("forward", {"agency": agency.pk, "note": "Cầu thuộc tỉnh quản lý"}),
        ("answer", {"answer": "Sở sẽ sửa cầu trong quý I/2027.", "answered_by": ""}),
        ("publish", {"question": "Đề nghị sửa cầu treo.", "answer": "Sở sẽ sửa cầu trong quý I/2027."}),
    ]:
        response = client.post(reverse(f"petitions:{step}", args=[petition.pk]), values)
        assert response.status_code == 302 and response["Location"] == detail, step
    petition.refresh_from_db()
    assert (petition.status, petition.published, petition.answered_by) == (
        Status.ANSWERED,
        True,
        "Sở Giao thông Lào Cai",
    )
    public = client.get(reverse("portal:answer", args=[petition.pk])).content.decode()
    assert "Sở sẽ sửa cầu" in public and "Lê Văn Bình" not in public and "0987654321" not in public


def test_a_wrong_step_says_why_and_changes_nothing(client: Client, world: World, users: People) -> None:
    petition = services.receive(
        None, place=world.bac_ha, level=Level.COMMUNE, channel="phone", title="Tiếng ồn", content="Karaoke khuya.",
        sender=Sender(),
    )  # fmt: skip
    login(client, users.commune_officer)
    response = client.post(
        reverse("petitions:publish", args=[petition.pk]), {"question": "x", "answer": "y"}, follow=True
    )
    assert 'class="msg msg-error"' in response.content.decode()
    response = client.post(reverse("petitions:merge", args=[petition.pk]), {"code": "PA-2222-3333-4444"}, follow=True)
    assert 'class="msg msg-error"' in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == Status.RECEIVED and not petition.published


def test_a_denouncer_is_shown_only_to_the_assigned_officer_and_each_showing_is_logged(
    client: Client, world: World, users: People
) -> None:
    petition = services.receive(
        None,
        place=world.bac_ha_village,
        level=Level.COMMUNE,
        channel="portal",
        kind=Kind.DENUNCIATION,
        title="Tố cáo cán bộ thu tiền sai quy định",
        content="Cán bộ thôn thu tiền đóng góp không có biên lai.",
        sender=Sender(name=SECRET_NAME, phone="0911222333", email="bimat@example.vn"),
    )
    detail = reverse("petitions:detail", args=[petition.pk])
    reveal = reverse("petitions:identity", args=[petition.pk])
    for user in (users.commune_officer, users.leader, users.unit_admin, users.province_officer, users.system_admin):
        login(client, user)
        page = client.get(detail).content.decode()
        assert SECRET_NAME not in page and "0911222333" not in page and 'data-testid="reveal"' not in page
        assert client.post(reveal).status_code == 403
        listing = client.get(reverse("petitions:inbox") + "?q=to+cao").content.decode()
        assert petition.code in listing and SECRET_NAME not in listing
    login(client, users.province_officer)
    client.post(reverse("petitions:assign", args=[petition.pk]), {"officer": users.commune_officer.pk})
    login(client, users.commune_officer)
    page = client.get(detail).content.decode()
    assert SECRET_NAME not in page and 'data-testid="reveal"' in page  # shown on request only
    shown = client.post(reveal, {"purpose": "xác minh"}).content.decode()
    assert SECRET_NAME in shown and "0911222333" in shown
    assert IdentityReading.objects.filter(petition=petition, user=users.commune_officer).count() == 1
    logged = " ".join(str(e.changes) for e in AuditEntry.objects.all())
    assert SECRET_NAME not in logged and "0911222333" not in logged and "bimat@" not in logged


def test_the_inbox_searches_without_accents_and_keeps_its_queries_fixed(
    client: Client, world: World, users: People
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            services.receive(
                None, place=world.bac_ha_village, level=Level.COMMUNE, channel="phone",
                title=f"Hộ nghèo thôn {i} chưa được hỗ trợ", content="Đề nghị xem xét hỗ trợ người nghèo.",
                sender=Sender(),
            )  # fmt: skip

    add(3)
    login(client, users.province_officer)
    url = reverse("petitions:inbox") + "?q=nguoi+ngheo"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert body.count("Hộ nghèo thôn") == 3
    add(30)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert body.count("Hộ nghèo thôn") == 33
    assert len(many) == len(few)
    assert client.get(reverse("petitions:inbox") + "?q=HỘ NGHÈO").content.decode().count("Hộ nghèo thôn") == 33
    services.receive(
        None, place=world.bac_ha, level=Level.COMMUNE, channel="phone", title="Đề nghị hoà giải tranh chấp đất",
        content="Hai hộ tranh chấp ranh giới.", sender=Sender(),
    )  # fmt: skip
    found = client.get(reverse("petitions:inbox") + "?q=hòa+giải").content.decode()
    assert "Đề nghị hoà giải tranh chấp đất" in found  # old and new tone placement are one word


def test_what_a_denouncer_attached_is_theirs_to_protect_too(client: Client, world: World, users: People) -> None:
    letter = SimpleUploadedFile("don-to-cao.pdf", PDF, content_type="application/pdf")
    petition = services.receive(
        None, place=world.bac_ha, level=Level.COMMUNE, channel="letter", kind=Kind.DENUNCIATION,
        title="Tố cáo", content="Có chữ ký người tố cáo trong đơn.", sender=Sender(name=SECRET_NAME), files=[letter],
    )  # fmt: skip
    attachment = petition.attachments.get()
    url = reverse("petitions:attachment", args=[attachment.pk])
    login(client, users.commune_officer)
    assert "don-to-cao.pdf" not in client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert client.get(url).status_code == 404
    services.assign(users.province_officer, petition, users.commune_officer)
    assert "don-to-cao.pdf" in client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
