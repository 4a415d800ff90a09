"""Citizen reception (tiếp công dân): the log of who received whom, when, about what; what the
citizens brought recorded as a petition in the same step; the visitors' names as protected as a
sender's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.petitions import services
from doanket.petitions.models import Channel, Kind, Petition, Reception
from doanket.petitions.services import PetitionError

NAMES = "Hoàng Văn Tố, Lý Thị Cáo"


def _reception(world: World, **extra: object) -> Reception:
    values: dict[str, object] = {
        "unit": world.bac_ha,
        "received_at": timezone.now() - dt.timedelta(hours=2),
        "host": "Đ/c Nguyễn Văn An, Chủ tịch Ủy ban MTTQ xã",
        "visitors": NAMES,
        "visitor_count": 2,
        "address": "Thôn Na Hối",
        "subject": "Tranh chấp ranh giới đất với hộ liền kề",
        "summary": "Hai hộ trình bày việc tranh chấp ranh giới đất.\nĐã hướng dẫn gửi đơn đến UBND xã để hòa giải.",
    }
    values.update(extra)
    return Reception(**values)


def test_a_reception_is_logged_and_audited_without_the_visitors_names(world: World, users: People) -> None:
    logged = services.log_reception(users.commune_officer, _reception(world))
    assert logged.pk and logged.petition is None and logged.logged_by == users.commune_officer
    entry = AuditEntry.objects.get(model="petitions.reception", object_id=str(logged.pk))
    assert entry.changes["visitors"] == [None, "•••"]
    assert "Tố" not in str(entry.changes) and "Na Hối" not in str(entry.changes)
    with pytest.raises(PermissionDenied):
        services.log_reception(users.other_commune_officer, _reception(world))
    with pytest.raises(PetitionError):
        services.log_reception(
            users.commune_officer, _reception(world, received_at=timezone.now() + dt.timedelta(days=1))
        )
    with pytest.raises(PetitionError):
        services.log_reception(users.commune_officer, _reception(world, summary="   "))
    assert Reception.objects.count() == 1


def test_a_denunciation_brought_in_person_is_recorded_and_protected(world: World, users: People) -> None:
    logged = services.log_reception(
        users.commune_officer,
        _reception(world, subject="Tố cáo cán bộ địa chính nhận tiền", visitors="Hoàng Văn Tố", visitor_count=1),
        record_as=Kind.DENUNCIATION,
    )
    petition = logged.petition
    assert petition is not None
    assert (petition.channel, petition.kind, petition.unit) == (Channel.RECEPTION, Kind.DENUNCIATION, world.bac_ha)
    assert petition.sender_name == "Hoàng Văn Tố" and petition.received_at == logged.received_at
    # The officer who received the denouncer handles it, and is the only one to see who they are.
    assert petition.assigned_to == users.commune_officer
    assert services.may_see_visitors(users.commune_officer, logged)
    assert not services.may_see_visitors(users.province_officer, logged)
    assert not services.may_see_visitors(users.leader, logged)
    # An ordinary reception: whoever may read personal data in the committee.
    plain = services.log_reception(users.commune_officer, _reception(world))
    assert services.may_see_visitors(users.province_officer, plain)
    assert not services.may_see_visitors(users.viewer, plain)


def test_all_or_nothing_when_the_petition_cannot_be_recorded(world: World, users: People) -> None:
    with pytest.raises(PetitionError):
        services.log_reception(users.commune_officer, _reception(world, subject=""), record_as=Kind.PETITION)
    assert not Reception.objects.exists() and not Petition.objects.exists()


def test_pages_log_a_reception_and_hide_protected_names(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    response = client.post(
        reverse("petitions:reception_new"),
        {
            "unit": world.bac_ha.pk,
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "host": "Đ/c Nguyễn Văn An",
            "visitors": "Hoàng Văn Tố",
            "visitor_count": 1,
            "address": "",
            "subject": "Tố cáo cán bộ địa chính nhận tiền",
            "summary": "Ông trình bày việc cán bộ địa chính đòi tiền khi làm sổ đỏ.",
            "record_as": Kind.DENUNCIATION,
            "topic": "",
        },
    )
    reception = Reception.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("petitions:reception", args=[reception.pk])
    assert "Hoàng Văn Tố" in client.get(response["Location"]).content.decode()
    for other in (users.province_officer, users.leader, users.viewer):
        login(client, other)
        for url in (reverse("petitions:receptions"), reverse("petitions:reception", args=[reception.pk])):
            page = client.get(url).content.decode()
            assert "Tố cáo cán bộ" in page, "the log itself is visible"
            assert "Hoàng Văn Tố" not in page, (other.username, url)
    login(client, users.other_commune_officer)
    assert client.get(reverse("petitions:reception", args=[reception.pk])).status_code == 404
    assert "Tố cáo" not in client.get(reverse("petitions:receptions")).content.decode()
    # Bad input: a reception in the future is refused, nothing saved.
    login(client, users.commune_officer)
    response = client.post(
        reverse("petitions:reception_new"),
        {
            "unit": world.bac_ha.pk,
            "received_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "host": "A",
            "visitors": "B",
            "visitor_count": 1,
            "subject": "C",
            "summary": "D",
        },
    )
    assert response.status_code == 200 and Reception.objects.count() == 1
