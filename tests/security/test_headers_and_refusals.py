"""Headers ASVS 5.0 asks at level 2 that the application sends itself (HSTS over HTTPS, no-store on
signed-in pages), and the log line every refused access leaves (docs/ASVS.md, V3.4.1, V14.3.2,
V16.3.2)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from conftest import People, World, login


def test_hsts_for_a_year_with_subdomains_is_sent_over_https_only(client: Client, users: People) -> None:
    secure = client.get(reverse("accounts:login"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    plain = client.get(reverse("accounts:login"))  # a browser only heeds it over HTTPS anyway
    assert "Strict-Transport-Security" not in plain


def test_pages_of_a_signed_in_user_are_not_stored_but_public_pages_keep_their_rules(
    client: Client, world: World, users: People
) -> None:
    assert "Cache-Control" not in client.get(reverse("portal:home"))  # public: its own rules
    login(client, users.commune_officer)
    page = client.get(reverse("organizations:person_detail", args=[world.person_bac_ha.pk]))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert client.get(reverse("organizations:unit_list"))["Cache-Control"] == "no-store"


def test_a_record_outside_the_scope_is_refused_and_the_refusal_is_logged(
    client: Client, world: World, users: People, caplog: pytest.LogCaptureFixture
) -> None:
    login(client, users.commune_officer)
    with caplog.at_level(logging.WARNING, logger="doanket.security"):
        other = client.get(reverse("organizations:person_detail", args=[world.person_sa_pa.pk]))
        audit = client.get(reverse("accounts:audit_log"))
        mine = client.get(reverse("organizations:person_detail", args=[world.person_bac_ha.pk]))
    assert (other.status_code, audit.status_code, mine.status_code) == (404, 403, 200)
    lines = [r.getMessage() for r in caplog.records if r.name == "doanket.security"]
    assert len(lines) == 2, lines
    person_path = reverse("organizations:person_detail", args=[world.person_sa_pa.pk])
    assert lines[0] == f"refused 404 GET '{person_path}' user={users.commune_officer.pk} ip=127.0.0.1"
    assert lines[1].startswith("refused 403 GET '/accounts/audit/'")


def test_a_forged_path_cannot_forge_a_log_line(client: Client, users: People, caplog: pytest.LogCaptureFixture) -> None:
    login(client, users.commune_officer)
    with caplog.at_level(logging.WARNING, logger="doanket.security"):
        assert client.get("/units/%0Arefused%20200%20GET/").status_code == 404
    (line,) = [r.getMessage() for r in caplog.records if r.name == "doanket.security"]
    assert "\n" not in line and "\\n" in line


def test_an_anonymous_not_found_is_not_a_refusal(
    client: Client, users: People, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="doanket.security"):
        assert client.get("/no-such-page/").status_code == 404
    assert not [r for r in caplog.records if r.name == "doanket.security"]
