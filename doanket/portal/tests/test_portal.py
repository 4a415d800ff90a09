"""The public portal through HTTP: send, follow, read the answers; floods, robots, bad files and
scripts refused; nothing personal ever shown."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import People, World
from doanket.organizations.models import Level
from doanket.petitions import services
from doanket.petitions.models import Kind, Petition
from doanket.petitions.services import Sender

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _form(world: World, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "province": world.lao_cai.pk,
        "commune": world.bac_ha.pk,
        "village": world.bac_ha_village.pk,
        "level": Level.COMMUNE,
        "kind": Kind.PETITION,
        "title": "Đèn đường thôn Na Hối hỏng",
        "content": "Đề nghị sửa đèn đường, buổi tối rất tối.",
        "sender_name": "Phạm Thị Cúc",
        "sender_phone": "0912 000 111",
        "notify_sms": "on",
        "consent": "on",
    }
    data.update(extra)
    return data


def test_a_citizen_sends_a_petition_and_follows_it_by_its_code(client: Client, world: World) -> None:
    form = client.get(reverse("portal:new")).content.decode()
    for name in ("province", "commune", "village", "title", "content", "attachments", "sender_phone", "website"):
        assert f'name="{name}"' in form, name
    photo = SimpleUploadedFile("den.png", PNG, content_type="image/png")
    response = client.post(reverse("portal:new"), _form(world, attachments=photo))
    assert response.status_code == 302 and response["Location"] == reverse("portal:sent")
    petition = Petition.objects.get()
    assert (petition.unit, petition.place, petition.channel) == (world.bac_ha, world.bac_ha_village, "portal")
    assert petition.attachments.count() == 1 and petition.sender_phone == "0912000111"
    sent = client.get(reverse("portal:sent")).content.decode()
    assert petition.code in sent
    # The code rode in a signed cookie: a citizen's submission writes no session row.
    assert not Session.objects.exists()
    forged = Client()
    forged.cookies["portal_code"] = "PA-2222-2222-2222"  # not signed by the app: ignored
    assert forged.get(reverse("portal:sent")).status_code == 302
    client.get(reverse("portal:forget_code"))
    assert client.get(reverse("portal:sent")).status_code == 302  # no longer shown on this device
    tracked = client.get(reverse("portal:track"), {"code": petition.code.lower()})
    body = tracked.content.decode()
    assert tracked.status_code == 200 and world.bac_ha.name in body and "Phạm Thị Cúc" not in body
    assert "0912" not in body


def test_a_robot_filling_the_honeypot_is_told_all_is_well_and_nothing_is_kept(client: Client, world: World) -> None:
    response = client.post(reverse("portal:new"), _form(world, website="http://spam.example"))
    assert response.status_code == 302
    assert Petition.objects.count() == 0
    assert "PA-" in client.get(reverse("portal:sent")).content.decode()


def test_floods_from_one_address_or_one_contact_are_refused(client: Client, world: World, settings: Any) -> None:
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "submit_address": (2, 3600), "submit_contact": (5, 3600)}
    for _ in range(2):
        assert client.post(reverse("portal:new"), _form(world)).status_code == 302
    refused = client.post(reverse("portal:new"), _form(world))
    assert refused.status_code == 429 and "thử lại" in refused.content.decode()
    assert Petition.objects.count() == 2
    # Another address, the same phone number: counted per contact too.
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "submit_address": (100, 3600), "submit_contact": (2, 3600)}
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(reverse("portal:new"), _form(world)).status_code == 429
    assert other.post(reverse("portal:new"), _form(world, sender_phone="0988777666")).status_code == 302


def test_bad_files_and_mismatched_places_are_refused_with_the_reason(client: Client, world: World) -> None:
    fake = SimpleUploadedFile("anh.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg")
    response = client.post(reverse("portal:new"), _form(world, attachments=fake))
    assert response.status_code == 400 and "anh.jpg" in response.content.decode()
    wrong = client.post(reverse("portal:new"), _form(world, province=world.lang_son.pk))
    assert wrong.status_code == 400 and "commune" in wrong.context["form"].errors
    # The form comes back with the communes of the province chosen, and nothing else.
    page = wrong.content.decode()
    assert world.bac_ha.name not in page.split('name="commune"')[1].split("</select>")[0]
    for bad, field in (
        ({"village": world.sa_pa_village.pk}, "village"),  # a village of another commune
        ({"province": world.bac_ha.pk}, "province"),  # a commune given as the province
        ({"commune": world.lao_cai.pk}, "commune"),  # a province given as the commune
        ({"commune": "1 OR 1=1"}, "commune"),
        ({"province": 10**9}, "province"),  # no such unit
        ({"village": world.bac_ha.pk}, "village"),
    ):
        refused = client.post(reverse("portal:new"), _form(world, **bad))
        assert refused.status_code == 400 and field in refused.context["form"].errors, bad
    missing = client.post(reverse("portal:new"), _form(world, title="", notify_sms="on", sender_phone=""))
    assert missing.status_code == 400
    assert {"title", "sender_phone"} <= set(missing.context["form"].errors)
    assert Petition.objects.count() == 0


def test_a_script_in_the_text_never_runs_in_a_page(client: Client, world: World, users: People) -> None:
    script = "<script>alert('x')</script>"
    client.post(reverse("portal:new"), _form(world, title=f"Đèn {script}", content=f"Nội dung {script}"))
    petition = Petition.objects.get()
    services.record_answer(None, petition, f"Trả lời {script}", "UBND xã")
    services.publish(None, petition, f"Hỏi {script}", f"Đáp {script}")
    from conftest import login

    staff = Client()
    login(staff, users.commune_officer)
    pages = [
        client.get(reverse("portal:answer", args=[petition.pk])),
        client.get(reverse("portal:answers")),
        client.get(reverse("portal:track"), {"code": petition.code}),
        staff.get(reverse("petitions:detail", args=[petition.pk])),
        staff.get(reverse("petitions:inbox")),
    ]
    for page in pages:
        body = page.content.decode()
        assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in pages[0].content.decode()


def test_codes_cannot_be_guessed_and_look_ups_are_limited(client: Client, world: World, settings: Any) -> None:
    response = client.get(reverse("portal:track"), {"code": "PA-2345-6789-ABCD"})
    assert response.status_code == 404 and "mã" in response.content.decode().lower()
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "track_address": (3, 600)}
    statuses = [client.get(reverse("portal:track"), {"code": services.new_code()}).status_code for _ in range(5)]
    assert statuses[:2] == [404, 404] and statuses[-1] == 429


def test_places_are_chosen_without_accents(client: Client, world: World) -> None:
    options = client.get(reverse("portal:places"), {"level": "commune", "parent": str(world.lao_cai.pk), "q": "bac ha"})
    body = options.content.decode()
    assert world.bac_ha.name in body and world.sa_pa.name not in body
    villages = client.get(
        reverse("portal:places"), {"level": "village", "parent": str(world.bac_ha.pk)}
    ).content.decode()
    assert world.bac_ha_village.name in villages
    assert "option" in client.get(reverse("portal:places"), {"parent": "x"}).content.decode()


def test_only_published_answers_are_public_searchable_without_accents(client: Client, world: World) -> None:
    def answered(title: str, kind: str = Kind.PETITION, show: bool = True) -> Petition:
        petition = services.receive(
            None, place=world.bac_ha_village, level=Level.COMMUNE, channel="portal", kind=kind, title=title,
            content="Nội dung.", sender=Sender(name="Hoàng Văn Dũng", show_name=show),
        )  # fmt: skip
        return services.record_answer(None, petition, "Đã giải quyết.", "UBND xã")

    shown = services.publish(None, answered("Sửa đường liên thôn"), "Đề nghị sửa đường liên thôn.", "Đã sửa xong.")
    hidden = answered("Sửa đường nội đồng")
    denounced = services.publish(
        None, answered("Tố cáo sai phạm", Kind.DENUNCIATION), "Tố cáo việc thu tiền sai.", "Đã xử lý."
    )
    listing = client.get(reverse("portal:answers"), {"q": "sua duong"}).content.decode()
    assert "Sửa đường liên thôn" in listing and "Sửa đường nội đồng" not in listing
    assert client.get(reverse("portal:answer", args=[hidden.pk])).status_code == 404
    assert "Hoàng Văn Dũng" in client.get(reverse("portal:answer", args=[shown.pk])).content.decode()
    protected = client.get(reverse("portal:answer", args=[denounced.pk])).content.decode()
    assert "Hoàng Văn Dũng" not in protected  # a denouncer is never named, whatever they ticked
    by_province = client.get(reverse("portal:answers"), {"province": world.lang_son.pk}).content.decode()
    assert "Sửa đường liên thôn" not in by_province
