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


def test_every_answer_forbids_sniffing_framing_base_and_plugins(client: Client, users: People) -> None:
    for url in ("/portal/", "/accounts/login/", "/static/js/doanket.js"):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        policy = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, url
        assert "base-uri 'none'" in policy, url


def test_a_post_without_the_csrf_token_is_refused_and_logged(users: People, caplog: pytest.LogCaptureFixture) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, users.commune_officer)
    with caplog.at_level(logging.WARNING, logger="doanket.security"):
        forged = client.post(reverse("accounts:logout"))  # as a page on another site would send it
    assert forged.status_code == 403
    assert client.get(reverse("home")).status_code == 200  # still logged in: the forged logout did nothing
    assert any(r.getMessage().startswith("refused 403 POST '/accounts/logout/'") for r in caplog.records)


def test_a_password_of_any_length_up_to_a_hundred_characters_is_masked_and_taken_whole(
    client: Client, users: People
) -> None:
    assert 'type="password"' in client.get(reverse("accounts:login")).content.decode()
    long = "Một câu dài làm mật khẩu, dán từ trình quản lý mật khẩu: " + "x" * 60
    users.commune_officer.set_password(long)
    users.commune_officer.save()
    cut = client.post(reverse("accounts:login"), {"username": "bacha", "password": long[:64]})
    assert cut.status_code == 200  # no truncation: the first 64 characters are not the password
    whole = client.post(reverse("accounts:login"), {"username": "bacha", "password": long})
    assert whole.status_code == 302 and whole["Location"] == reverse("home")


def test_a_download_is_an_attachment_under_a_name_the_server_chose(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    response = client.get(reverse("organizations:person_export", args=[world.person_bac_ha.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="du-lieu-ca-nhan-{world.person_bac_ha.pk}.json"'
    assert response["X-Content-Type-Options"] == "nosniff"
