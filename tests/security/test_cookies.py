"""The session and CSRF cookies carry the `__Host-` prefix when the site is served over HTTPS
(``SECURE_COOKIES=1``), and keep Django's names on plain-http development (docs/ASVS.md V3.3.1,
V3.3.3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from http.cookies import SimpleCookie
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import People
from doanket.api import schema

READ = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps([settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_SECURE, "
    "settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_DOMAIN, settings.CSRF_COOKIE_DOMAIN, "
    "settings.SESSION_COOKIE_PATH, settings.CSRF_COOKIE_PATH, settings.LANGUAGE_COOKIE_NAME, "
    "settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_PATH, settings.LANGUAGE_COOKIE_DOMAIN]))"
)


def _settings_with(secure: str | None) -> list[Any]:
    """The cookie settings as a fresh process reads them from its environment."""
    env = {k: v for k, v in os.environ.items() if k != "SECURE_COOKIES"}
    env["DJANGO_SETTINGS_MODULE"] = "doanket.settings"
    if secure is not None:
        env["SECURE_COOKIES"] = secure
    done = subprocess.run([sys.executable, "-c", READ], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_over_https_the_cookies_are_named_host_prefixed_secure_for_the_whole_site_and_no_domain() -> None:
    assert _settings_with("1") == [
        *("__Host-sessionid", "__Host-csrftoken", True, True, None, None, "/", "/"),
        *("__Host-doanket_language", True, "/", None),
    ]


def test_on_plain_http_the_cookies_keep_djangos_names() -> None:
    for value in (None, "0"):
        assert _settings_with(value) == [
            *("sessionid", "csrftoken", False, False, None, None, "/", "/"),
            *("doanket_language", False, "/", None),
        ]


def test_a_login_over_https_sets_host_prefixed_cookies_a_browser_accepts(settings: Any, users: People) -> None:
    name, csrf_name, *_flags, language, _secure, _path, _domain = _settings_with("1")
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = name, csrf_name
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client(enforce_csrf_checks=True)
    form = client.get(reverse("accounts:login"), secure=True)
    token = form.cookies[csrf_name].value
    done = client.post(
        reverse("accounts:login"),
        {"username": users.commune_officer.username, "password": "correct horse battery", "csrfmiddlewaretoken": token},
        secure=True,
        headers={"referer": "https://testserver/accounts/login/"},  # Django checks it over HTTPS
    )
    assert done.status_code == 302, done.content[:300]
    for cookie_name, response in ((name, done), (csrf_name, form)):
        header = response.cookies[cookie_name].OutputString()
        parsed = SimpleCookie(header)[cookie_name]
        # What a browser requires of a `__Host-` cookie (RFC 6265bis 4.1.3.2).
        assert parsed["secure"] and parsed["path"] == "/" and not parsed["domain"], header
    assert "sessionid" not in done.cookies and "csrftoken" not in form.cookies
    # The next request is signed in through the renamed cookie.
    assert client.get(reverse("home"), secure=True).status_code == 200
    # The language chosen rides in a `__Host-` cookie too, and is read back from it.
    settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_COOKIE_SECURE = language, True
    chosen = client.post(
        reverse("set_language"),
        {"language": "en", "next": "/", "csrfmiddlewaretoken": client.cookies[csrf_name].value},
        secure=True,
        headers={"referer": "https://testserver/"},
    )
    parsed = SimpleCookie(chosen.cookies[language].OutputString())[language]
    assert parsed.value == "en" and parsed["secure"] and parsed["path"] == "/" and not parsed["domain"]
    assert client.get(reverse("home"), secure=True)["Content-Language"] == "en"


def test_the_api_schema_names_the_session_cookie_in_use(settings: Any) -> None:
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    assert schema.build()["components"]["securitySchemes"]["session"]["name"] == "__Host-sessionid"
