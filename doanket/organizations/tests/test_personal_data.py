"""A data-subject request: everything held about a person — the record, positions, the visits paid
to them, their awards — exported as JSON by the roles that see personal data, each export audited."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.core.models import AuditAction, AuditEntry
from doanket.emulation import awards
from doanket.outreach import services as outreach


def test_a_persons_data_is_exported_whole_to_those_who_may_see_it(client: Client, world: World, users: People) -> None:
    person = world.person_bac_ha
    outreach.record_visit(users.commune_officer, world.bac_ha, occasion="tet", visited_on=dt.date(2026, 2, 10),
                          visitors="Lò Văn Minh", persons=[person], gift="Quà Tết", gift_value=500_000)  # fmt: skip
    awards.nominate(users.commune_officer, proposed_by=world.bac_ha, decided_by=world.bac_ha, kind="certificate",
                    achievement="Hai mươi năm làm Trưởng thôn", recipient_person=person)  # fmt: skip
    url = reverse("organizations:person_export", args=[person.pk])
    login(client, users.commune_officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    document = json.loads(response.content)
    assert document["person"]["phone"] == "0912345678" and document["person"]["religion"] == "Tin Lành"
    assert document["visits"][0]["gift_value"] == 500_000 and document["visits"][0]["date"] == "2026-02-10"
    assert document["awards"][0]["achievement"] == "Hai mươi năm làm Trưởng thôn"
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_id=str(person.pk)).count() == 1
    assert (
        'data-testid="export"' in client.get(reverse("organizations:person_detail", args=[person.pk])).content.decode()
    )

    viewer = Client()
    login(viewer, users.viewer)  # sees the person, not their personal data, and cannot export it
    assert viewer.get(url).status_code == 404
    assert (
        'data-testid="export"'
        not in viewer.get(reverse("organizations:person_detail", args=[person.pk])).content.decode()
    )
    other = Client()
    login(other, users.other_commune_officer)
    assert other.get(url).status_code == 404
