"""The user's own password and sessions: barred words in passwords, the password change page, the
password reset by e-mail, and the list of one's signed-in sessions (docs/ASVS.md V6.1.2, V6.2.2,
V6.2.3, V6.2.11, V6.4.3, V7.4.3, V7.5.2)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import People, World, make_user
from doanket.accounts import sessions
from doanket.accounts.models import User, UserSession
from doanket.accounts.passwords import BarredWordsValidator
from doanket.accounts.tasks import apply_retention
from doanket.core.models import AuditAction, AuditEntry
from doanket.demo.loader import DEMO_PASSWORD

PASSWORD = "correct horse battery"  # conftest.make_user's
NEW = "Suoi-chay-qua-ban-2026"


def _signed_in(user: User, agent: str, ip: str = "127.0.0.1", password: str = PASSWORD) -> Client:
    """A browser that logged in through the login form."""
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    done = client.post(reverse("accounts:login"), {"username": user.username, "password": password})
    assert done.status_code == 302, done.content[:400]
    return client


def _signed_out(client: Client) -> bool:
    answer = client.get(reverse("home"))
    return answer.status_code == 302 and answer["Location"].startswith(reverse("accounts:login"))


# --- Barred words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [DEMO_PASSWORD, "Mặt Trận 2026 vững mạnh", "MAT-TRAN-to-quoc-99", "mật khẩu của tôi 2026", "Anh yêu em 2026!!",
     "Đoàn kết là sức mạnh", "chao-bacha-2026", "Nguyễn quá dài 2026"],
)  # fmt: skip
def test_passwords_with_a_barred_word_are_refused_however_written(users: People, password: str) -> None:
    user = users.commune_officer
    user.full_name = "Nguyễn Thị Hà"
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert any(e.code == "password_barred_word" for e in refused.value.error_list)


def test_a_good_password_passes_and_short_name_words_do_not_bar_it(users: People) -> None:
    user = users.commune_officer
    user.full_name = "Lò Thị Hà"  # "lo", "thi", "ha": too short to be barred inside other words
    validate_password(NEW, user)
    validate_password("Thác Bạc chiều hè 2026", user)
    BarredWordsValidator().validate("ngay-mai-troi-lai-sang", None)


def test_the_demo_accounts_keep_their_published_password(users: People) -> None:
    """The demo loader sets DoanKet@2026 directly (the validators guard what people type): the
    published demo logins still work, though the page would now refuse that password."""
    user = users.viewer
    user.set_password(DEMO_PASSWORD)
    user.save()
    assert not _signed_out(_signed_in(user, "Firefox", password=DEMO_PASSWORD))


# --- Changing one's password ------------------------------------------------------------------------


def test_a_user_changes_their_password_this_session_stays_and_the_others_end(users: People) -> None:
    officer = users.commune_officer
    here, elsewhere = _signed_in(officer, "Firefox ở văn phòng"), _signed_in(officer, "Chrome ở nhà")
    url = reverse("accounts:password_change")
    page = here.get(url)
    assert page.status_code == 200 and "Mật khẩu cũ" in page.content.decode()
    wrong = here.post(url, {"old_password": "sai", "new_password1": NEW, "new_password2": NEW})
    assert "Mật khẩu cũ không chính xác" in wrong.content.decode()
    barred = here.post(
        url, {"old_password": PASSWORD, "new_password1": "mattran-bacha-26", "new_password2": "mattran-bacha-26"}
    )
    assert "dễ đoán" in barred.content.decode()
    mismatch = here.post(url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"})
    assert "Hai trường mật khẩu không giống nhau" in mismatch.content.decode()
    assert not _signed_out(elsewhere)  # nothing changed yet
    done = here.post(url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "Mật khẩu của bạn đã được đổi" in done.content.decode()
    assert not _signed_out(here) and _signed_out(elsewhere)
    assert list(UserSession.objects.filter(user=officer).values_list("user_agent", flat=True)) == [
        "Firefox ở văn phòng"
    ]
    entry = AuditEntry.objects.filter(model="accounts.user", object_id=str(officer.pk)).latest("pk")
    assert entry.action == AuditAction.UPDATE and entry.actor_id == officer.pk
    assert entry.changes == {"password": ["", "changed"], "sessions_ended": [0, 1]}
    assert NEW not in str(entry.changes) and PASSWORD not in str(entry.changes)
    assert not _signed_out(_signed_in(officer, "Firefox", password=NEW))


def test_the_password_change_page_needs_a_login_and_the_second_factor(users: People) -> None:
    url = reverse("accounts:password_change")
    assert Client().get(url)["Location"].startswith(reverse("accounts:login"))
    admin = users.unit_admin
    TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    client = _signed_in(admin, "Firefox")
    assert client.get(url)["Location"].startswith(reverse("accounts:two_factor_verify"))


# --- Resetting a forgotten password by e-mail -----------------------------------------------------------


def _ask_reset(client: Client, email: str) -> Any:
    return client.post(reverse("accounts:password_reset"), {"email": email})


def _link(message: Any) -> str:
    found = re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", message.body)
    assert found, message.body
    return found.group(0)


@pytest.mark.django_db(transaction=True)
def test_a_forgotten_password_is_reset_by_a_one_time_link_and_the_second_factor_is_still_asked(
    users: People, settings: Any
) -> None:
    settings.PUBLIC_URL = "https://doanket.example.vn"
    officer = users.province_officer
    officer.email, officer.full_name = "tinh@example.vn", "Hoàng Văn Tỉnh"
    officer.save()
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    old_session = _signed_in(officer, "Trình duyệt cũ")
    visitor = Client()
    assert 'data-testid="forgot-password"' in visitor.get(reverse("accounts:login")).content.decode()
    known = _ask_reset(visitor, "TINH@example.vn")
    unknown = _ask_reset(visitor, "khong-ai@example.vn")
    # The same answer whether an account has the address or not, and no mail written in the request.
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    assert "Nếu có tài khoản" in visitor.get(known["Location"]).content.decode()
    assert mail.outbox == []
    call_command("worker", batch=True, verbosity=0)
    (message,) = mail.outbox
    assert message.to == ["tinh@example.vn"] and "mật khẩu mới" in message.subject
    assert "Hoàng Văn Tỉnh" in message.body and officer.username in message.body
    link = _link(message)
    assert link.startswith("https://doanket.example.vn/accounts/password/reset/")
    path = link.removeprefix("https://doanket.example.vn")
    form = visitor.get(path, follow=True)
    assert form.status_code == 200 and 'data-testid="password-reset-confirm"' in form.content.decode()
    target = form.redirect_chain[-1][0]
    weak = visitor.post(target, {"new_password1": "doanket-2026-tinh", "new_password2": "doanket-2026-tinh"})
    assert "dễ đoán" in weak.content.decode()
    done = visitor.post(target, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert "_auth_user_id" not in visitor.session  # not logged in by the link
    assert _signed_out(old_session) and not UserSession.objects.filter(user=officer).exists()
    entry = AuditEntry.objects.filter(model="accounts.user", object_id=str(officer.pk)).latest("pk")
    assert entry.changes == {"password": ["", "reset"], "sessions_ended": [0, 1]} and entry.actor_id is None
    # The link works once.
    again = Client().get(path, follow=True)
    assert 'data-testid="reset-invalid"' in again.content.decode()
    # Logging in with the new password still asks for the second factor.
    fresh = _signed_in(officer, "Trình duyệt mới", password=NEW)
    assert fresh.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor_verify"))
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    assert fresh.post(reverse("accounts:two_factor_verify"), {"token": code})["Location"] == "/"
    assert fresh.get(reverse("home")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_api_tokens_account_and_a_disabled_one_get_no_reset_mail(world: World, users: People) -> None:
    from doanket.accounts import tokens

    token, _text = tokens.issue(users.unit_admin, world.lao_cai, name="Cổng", access="read")
    User.objects.filter(pk=token.account_id).update(email="cong@example.vn", is_active=True)
    make_user("nghi", email="nghi@example.vn", is_active=False)
    for email in ("cong@example.vn", "nghi@example.vn"):
        assert _ask_reset(Client(), email).status_code == 302
    call_command("worker", batch=True, verbosity=0)
    assert mail.outbox == []


def test_reset_requests_are_rate_limited_per_address_and_per_email(users: People, settings: Any) -> None:
    settings.PASSWORD_RESET_LIMITS = {"address": (4, 3600), "email": (2, 3600)}
    visitor = Client()
    assert [_ask_reset(visitor, "ai@example.vn").status_code for _ in range(3)] == [302, 302, 429]
    refused = _ask_reset(visitor, "AI@example.vn")
    assert refused.status_code == 429 and "Quá nhiều yêu cầu" in refused.content.decode()
    # Another address is refused for the flood from this client's address too.
    assert _ask_reset(visitor, "khac@example.vn").status_code == 429
    assert _ask_reset(Client(REMOTE_ADDR="10.0.0.9"), "khac@example.vn").status_code == 302


# --- One's own sessions ------------------------------------------------------------------------------


def test_a_user_sees_their_sessions_and_ends_one_or_all_the_others(users: People) -> None:
    officer = users.commune_officer
    office = _signed_in(officer, "Firefox 140 trên Windows", "192.0.2.10")
    home = _signed_in(officer, "Chrome 138 trên Android", "192.0.2.20")
    cafe = _signed_in(officer, "Safari trên iPhone", "192.0.2.30")
    someone_else = _signed_in(users.other_commune_officer, "Firefox của người khác")
    page = office.get(reverse("accounts:sessions")).content.decode()
    for shown in ("Firefox 140 trên Windows", "Chrome 138 trên Android", "Safari trên iPhone", "192.0.2.20"):
        assert shown in page
    assert "Firefox của người khác" not in page
    assert page.count('data-testid="session-row"') == 3 and page.count('data-testid="this-session"') == 1
    home_row = UserSession.objects.get(user=officer, user_agent__startswith="Chrome")
    other_row = UserSession.objects.get(user=users.other_commune_officer)
    # Another user's session cannot be ended from here, nor one's own current one.
    office.post(reverse("accounts:sessions"), {"end": other_row.pk})
    office.post(reverse("accounts:sessions"), {"end": sessions.current_row_id(office)})  # type: ignore[arg-type]
    assert not _signed_out(someone_else) and not _signed_out(office)
    ended = office.post(reverse("accounts:sessions"), {"end": home_row.pk}, follow=True)
    assert "Đã kết thúc 1 phiên" in ended.content.decode()
    assert _signed_out(home) and not _signed_out(cafe) and not _signed_out(office)
    office.post(reverse("accounts:sessions"), {"end": "others"})
    assert _signed_out(cafe) and not _signed_out(office)
    assert UserSession.objects.filter(user=officer).count() == 1
    entries = AuditEntry.objects.filter(model="accounts.user", object_id=str(officer.pk), action=AuditAction.UPDATE)
    assert [e.changes["sessions_ended"] for e in entries.order_by("pk")] == [[0, 1], [0, 1]]
    office.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=officer).exists()


def test_the_session_row_follows_the_key_renewed_at_the_second_factor_and_dead_sessions_drop(
    users: People, settings: Any
) -> None:
    admin = users.unit_admin
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    client = _signed_in(admin, "Firefox")
    before = client.session.session_key
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    client.post(reverse("accounts:two_factor_verify"), {"token": code})
    after = client.session.session_key
    assert before != after and UserSession.objects.get(user=admin).session_key == after
    assert client.get(reverse("accounts:sessions")).content.decode().count('data-testid="session-row"') == 1
    # A session whose account got a new password elsewhere (an administrator) is no longer listed.
    other = _signed_in(admin, "Chrome")
    admin.set_password(NEW)
    admin.save()
    assert sessions.active(admin) == [] and not UserSession.objects.filter(user=admin).exists()
    assert _signed_out(other)


def test_session_records_past_the_absolute_limit_go_with_the_daily_retention(users: People) -> None:
    _signed_in(users.commune_officer, "Firefox")
    old = _signed_in(users.other_commune_officer, "Chrome")
    UserSession.objects.filter(user=users.other_commune_officer).update(
        started_at=timezone.now() - dt.timedelta(hours=13)
    )
    assert apply_retention.call() == 1
    assert list(UserSession.objects.values_list("user_agent", flat=True)) == ["Firefox"]
    assert old is not None


def test_the_last_activity_is_written_when_the_idle_deadline_is_renewed_and_not_on_every_request(
    users: People,
) -> None:
    client = _signed_in(users.commune_officer, "Firefox")
    client.get(reverse("home"))
    row = UserSession.objects.get(user=users.commune_officer)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    UserSession.objects.filter(pk=row.pk).update(last_seen_at=long_ago)
    client.get(reverse("home"))  # within SESSION_RENEW_SECONDS of the login: nothing written
    assert UserSession.objects.get(pk=row.pk).last_seen_at == long_ago
    session = client.session
    session[sessions.TRACKED][2] -= 400  # written 400 s ago, and the idle deadline due for renewal
    session["_renewed_at"] = 0
    session.save()
    client.get(reverse("home"))
    assert UserSession.objects.get(pk=row.pk).last_seen_at > long_ago


def test_logging_in_again_in_the_same_session_keeps_one_record(users: People) -> None:
    client = _signed_in(users.commune_officer, "Firefox")
    key = client.session.session_key
    client.force_login(users.commune_officer)  # the same person again: Django keeps the key
    assert client.session.session_key == key
    assert UserSession.objects.filter(user=users.commune_officer).count() == 1
