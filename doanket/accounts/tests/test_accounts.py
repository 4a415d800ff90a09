"""Logging in and out, throttling, two-factor, sessions and password hashing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import People, login
from doanket.core.models import AuditEntry


def _code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def _post_login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_an_officer_logs_in_with_the_form_and_reaches_home(client: Client, users: People) -> None:
    response = _post_login(client, "bacha", "correct horse battery")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_is_refused_with_a_vietnamese_message(client: Client, users: People) -> None:
    response = _post_login(client, "bacha", "sai mật khẩu")
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client: Client, users: People) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "bacha", "sai mật khẩu")
    response = _post_login(client, "bacha", "correct horse battery")
    assert response.status_code == 429
    assert "Quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client: Client, users: People) -> None:
    login(client, users.commune_officer)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


def test_an_administrator_without_a_device_must_enrol_before_anything_else(client: Client, users: People) -> None:
    client.force_login(users.unit_admin)
    response = client.get(reverse("organizations:unit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=users.unit_admin, confirmed=False)
    wrong = client.post(
        reverse("accounts:two_factor_setup"), {"token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=users.unit_admin, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    ok = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device), "next": "/units/"})
    assert ok.status_code == 302
    assert ok["Location"] == "/units/"
    assert client.get(reverse("organizations:unit_list")).status_code == 200
    assert AuditEntry.objects.filter(model="accounts.user", object_id=str(users.unit_admin.pk)).exists()


def test_a_user_with_a_device_must_enter_a_code_after_the_password(client: Client, users: People) -> None:
    device = TOTPDevice.objects.create(user=users.commune_officer, name="app", confirmed=True)
    _post_login(client, "bacha", "correct horse battery")
    response = client.get(reverse("organizations:unit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    bad = client.post(reverse("accounts:two_factor_verify"), {"token": "12345a"})
    assert "chỉ gồm chữ số" in bad.content.decode()
    good = client.post(reverse("accounts:two_factor_verify"), {"token": _code(device), "next": "/units/"})
    assert good["Location"] == "/units/"
    assert client.get("/units/").status_code == 200


def test_an_officer_without_a_device_is_not_forced_to_enrol(client: Client, users: People) -> None:
    client.force_login(users.commune_officer)
    assert client.get(reverse("organizations:unit_list")).status_code == 200


def test_with_two_factor_required_of_everyone_an_officer_must_enrol_too(
    client: Client, users: People, settings: Any
) -> None:
    settings.DOANKET_REQUIRE_2FA_FOR_ALL = True
    client.force_login(users.commune_officer)
    response = client.get(reverse("organizations:unit_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_the_session_id_changes_when_the_second_factor_is_given(client: Client, users: People) -> None:
    device = TOTPDevice.objects.create(user=users.commune_officer, name="app", confirmed=True)
    _post_login(client, "bacha", "correct horse battery")
    before = client.session.session_key
    done = client.post(reverse("accounts:two_factor_verify"), {"token": _code(device), "next": "/units/"})
    assert done["Location"] == "/units/"
    assert client.session.session_key != before
    assert client.get("/units/").status_code == 200


def test_a_user_without_a_device_is_not_looked_up_on_every_page_but_one_added_elsewhere_counts_soon(
    client: Client, users: People, monkeypatch: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from doanket.accounts import middleware

    clock = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    client.force_login(users.commune_officer)
    assert client.get("/units/").status_code == 200  # looked up once: none
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/units/").status_code == 200
    assert not [q for q in queries if "otp_" in q["sql"]]
    # A device confirmed from another session (or by an administrator) is asked for within minutes.
    device = TOTPDevice.objects.create(user=users.commune_officer, name="app", confirmed=True)
    clock[0] += 60
    assert client.get("/units/").status_code == 200
    clock[0] += middleware.NO_DEVICE_SECONDS
    asked = client.get("/units/")
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert client.get("/units/").status_code == 302  # and on every page until the code is entered
    assert device.confirmed


def test_the_next_parameter_cannot_send_the_user_to_another_site(client: Client, users: People) -> None:
    device = TOTPDevice.objects.create(user=users.commune_officer, name="app", confirmed=True)
    client.force_login(users.commune_officer)
    response = client.post(
        reverse("accounts:two_factor_verify"), {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_passwords_are_hashed_with_argon2_outside_tests() -> None:
    from doanket import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sessions_expire_when_idle_and_activity_renews_them_without_a_write_per_page(
    client: Client, users: People, monkeypatch: Any
) -> None:
    from django.contrib.sessions.models import Session

    from doanket import settings as project_settings
    from doanket.core import middleware

    assert project_settings.SESSION_COOKIE_AGE == 120 * 60
    clock = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    login(client, users.commune_officer)
    client.get("/units/")
    key = client.session.session_key

    def expiry() -> Any:
        return Session.objects.get(session_key=key).expire_date

    first = expiry()
    clock[0] += 60  # a minute later: no write
    client.get("/units/")
    assert expiry() == first
    clock[0] += 300  # past the renewal interval: the deadline moves on
    client.get("/units/")
    assert expiry() > first


def test_the_password_alone_cannot_enrol_a_new_device_past_an_existing_one(client: Client, users: People) -> None:
    TOTPDevice.objects.create(user=users.system_admin, name="app", confirmed=True)
    client.force_login(users.system_admin)
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    forged = client.post(reverse("accounts:two_factor_setup"), {"token": "123456"})
    assert forged.status_code == 302
    assert TOTPDevice.objects.filter(user=users.system_admin).count() == 1
    assert client.get("/admin/").status_code == 302


def test_login_throttling_counts_the_client_behind_our_proxy(settings: Any) -> None:
    from django.test import RequestFactory

    from doanket.accounts.middleware import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"


def test_a_session_ends_after_its_absolute_limit_however_active(
    client: Client, users: People, monkeypatch: Any, settings: Any
) -> None:
    from doanket.core import middleware

    settings.SESSION_ABSOLUTE_HOURS = 12
    clock = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    login(client, users.commune_officer)
    assert client.get("/units/").status_code == 200
    for _hour in range(11):  # active all day: every few minutes, the idle deadline moves on
        clock[0] += 3600
        assert client.get("/units/").status_code == 200
    clock[0] += 3600  # twelve hours after it began
    ended = client.get("/units/")
    assert ended.status_code == 302 and ended["Location"].startswith(reverse("accounts:login"))
    assert client.get("/units/").status_code == 302  # logged out, not just sent away


def test_disabling_an_account_ends_its_sessions_at_once(client: Client, users: People) -> None:
    login(client, users.commune_officer)
    assert client.get("/units/").status_code == 200
    users.commune_officer.is_active = False
    users.commune_officer.save()
    assert client.get("/units/").status_code == 302
    assert client.get("/api/v1/units/").status_code == 401


def test_a_code_once_used_cannot_be_used_again(client: Client, users: People) -> None:
    device = TOTPDevice.objects.create(user=users.commune_officer, name="app", confirmed=True)
    code = _code(device)
    _post_login(client, "bacha", "correct horse battery")
    assert client.post(reverse("accounts:two_factor_verify"), {"token": code})["Location"] == "/"
    client.post(reverse("accounts:logout"))
    _post_login(client, "bacha", "correct horse battery")  # someone who saw the code, within its 30 seconds
    again = client.post(reverse("accounts:two_factor_verify"), {"token": code})
    assert again.status_code == 200 and "Mã không đúng" in again.content.decode()
    assert client.get("/units/").status_code == 302
