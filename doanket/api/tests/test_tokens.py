"""API tokens: a unit administrator issues one for a unit, the integration reads that unit's
subtree with it and nothing else, every use is logged, the rate limit holds, and revoking it
stops it at once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.accounts import tokens
from doanket.accounts.models import ApiToken, ApiTokenUse, User
from doanket.core.models import AuditEntry


def _bearer(text: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {text}"}


def test_a_token_is_issued_used_within_its_unit_logged_and_revoked(client: Client, world: World, users: People) -> None:
    login(client, users.unit_admin)
    issued = client.post(reverse("accounts:token_new"), {"unit": world.bac_ha.pk, "name": "Cổng dữ liệu xã",
                                                          "access": "read"})  # fmt: skip
    assert issued.status_code == 200 and issued["Cache-Control"] == "no-store"
    text = re.search(r'data-testid="token-text">([^<]+)<', issued.content.decode()).group(1)  # type: ignore[union-attr]
    token = ApiToken.objects.get()
    assert text.startswith(f"dk_{token.prefix}_") and token.key_hash not in issued.content.decode()
    assert text.split("_", 2)[2] not in str(list(AuditEntry.objects.values_list("changes", flat=True)))

    api = Client()  # the integration: no session, only the token
    listed = api.get("/api/v1/units/", headers=_bearer(text))
    assert listed.status_code == 200
    assert {u["name"] for u in listed.json()["results"]} == {world.bac_ha.name, world.bac_ha_village.name}
    assert api.get(f"/api/v1/units/{world.sa_pa.pk}/", headers=_bearer(text)).status_code == 404
    uses = list(ApiTokenUse.objects.order_by("pk").values_list("method", "path", "status"))
    assert uses == [("GET", "/api/v1/units/", 200), ("GET", f"/api/v1/units/{world.sa_pa.pk}/", 404)]
    token.refresh_from_db()
    assert token.last_used_at is not None
    page = client.get(reverse("accounts:token", args=[token.pk])).content.decode()
    assert f"/api/v1/units/{world.sa_pa.pk}/" in page  # the administrator reads every use

    wrong = api.get("/api/v1/units/", headers=_bearer(text[:-2] + "xx"))
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "bad_token"
    assert api.get("/api/v1/units/", headers=_bearer("dk_nothing")).status_code == 401
    assert api.get("/api/v1/units/").status_code == 401

    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    assert api.get("/api/v1/units/", headers=_bearer(text)).status_code == 401
    assert not User.objects.get(pk=token.account_id).is_active
    assert AuditEntry.objects.filter(model="accounts.apitoken").count() == 2  # issued, revoked


def test_the_rate_limit_is_per_token(world: World, users: People, settings: Any) -> None:
    settings.API_TOKEN_RATE_PER_MINUTE = 3
    _token, text = tokens.issue(users.unit_admin, world.bac_ha, name="Báo cáo", access="read")
    _other, other = tokens.issue(users.unit_admin, world.bac_ha, name="Khác", access="read")
    api = Client()
    statuses = [api.get("/api/v1/units/", headers=_bearer(text)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api.get("/api/v1/units/", headers=_bearer(other)).status_code == 200  # another token has its own count
    assert ApiTokenUse.objects.filter(status=429).count() == 1


def test_only_unit_administrators_issue_tokens_within_their_units(client: Client, world: World, users: People) -> None:
    with pytest.raises(PermissionDenied):
        tokens.issue(users.commune_officer, world.bac_ha, name="X", access="read")
    with pytest.raises(PermissionDenied):
        tokens.issue(users.unit_admin, world.lang_son, name="X", access="read")  # another province
    with pytest.raises(tokens.TokenError):
        tokens.issue(users.unit_admin, world.bac_ha, name=" ", access="read")
    token, _text = tokens.issue(users.unit_admin, world.bac_ha, name="Cổng", access="write")
    assert token.account.grants.get().role == "officer"  # write: the rights of an officer of the unit
    login(client, users.commune_officer)
    assert client.get(reverse("accounts:tokens")).status_code == 403
    login(client, users.unit_admin)
    assert token.account.username not in client.get(reverse("accounts:user_list")).content.decode()
    assert client.post(reverse("accounts:token_new"), {"unit": world.lang_son.pk, "name": "X", "access": "read"})[
        "Location"
    ] == reverse("accounts:tokens")  # refused: not one of the administrator's units
    assert ApiToken.objects.count() == 1
