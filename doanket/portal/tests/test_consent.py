"""Consent on the portal (Luật 91/2025/QH15, Nghị định 356/2025/NĐ-CP): the petition form says
which data, why, who sees it, how long it is kept and the citizen's rights, asks for an explicit
tick (never pre-ticked), refuses without it, and records which text was agreed to and when."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import World
from doanket.core.models import AuditEntry
from doanket.organizations.models import Level
from doanket.petitions.models import Consent, Kind, Petition
from doanket.portal.forms import CONSENT_VERSION


def _form(world: World, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "province": world.lao_cai.pk,
        "commune": world.bac_ha.pk,
        "level": Level.COMMUNE,
        "kind": Kind.PETITION,
        "title": "Đường vào bản bị sạt lở",
        "content": "Đề nghị khắc phục sớm đoạn đường sạt lở.",
        "sender_name": "Lù Thị Mai",
        "sender_phone": "0912 000 222",
    }
    data.update(extra)
    return data


def test_the_form_says_what_is_done_with_the_data_and_asks_for_an_unticked_consent(
    client: Client, world: World, settings: Any
) -> None:
    settings.PETITION_IDENTITY_RETENTION_DAYS = 1500
    body = client.get(reverse("portal:new")).content.decode()
    text = body[body.index('id="consent-text"') :]
    for said in ("Dữ liệu nào", "Mục đích", "Ai được xem", "1500 ngày", "trích xuất", "xóa", "rút lại"):
        assert said in text, said
    box = re.search(r'<input[^>]*name="consent"[^>]*>', body)
    assert box is not None and 'type="checkbox"' in box.group(0) and "checked" not in box.group(0)
    assert "required" in box.group(0)


def test_without_the_tick_the_petition_is_refused_with_a_clear_message(client: Client, world: World) -> None:
    response = client.post(reverse("portal:new"), _form(world))
    assert response.status_code == 400
    assert "Hãy đánh dấu ô đồng ý cho xử lý dữ liệu cá nhân" in response.content.decode()
    forged = client.post(reverse("portal:new"), _form(world, consent=""))
    assert forged.status_code == 400
    assert not Petition.objects.exists() and not Consent.objects.exists()


def test_the_consent_given_is_recorded_with_the_petition(client: Client, world: World, settings: Any) -> None:
    settings.PETITION_IDENTITY_RETENTION_DAYS = 1500
    response = client.post(reverse("portal:new"), _form(world, consent="on"))
    assert response.status_code == 302
    petition = Petition.objects.get()
    consent = petition.consent
    assert consent.version == f"{CONSENT_VERSION}/1500d"
    assert abs((consent.given_at - petition.received_at).total_seconds()) < 5
    assert AuditEntry.objects.filter(model="petitions.consent", object_id=str(consent.pk), action="create").exists()
    # The record holds no personal data: nothing of the sender in it.
    assert "Mai" not in str(consent) and "0912" not in consent.version
