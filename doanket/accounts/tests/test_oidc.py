"""Single sign-on against an OpenID Connect provider the test starts on loopback: the whole
authorization-code flow over real HTTP (authorize → callback → token → keys → user info), the ID
token checked against the provider's published key; only existing, active accounts log in, and a
token signed by another key is refused."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse
from jwt.algorithms import RSAAlgorithm

from conftest import People
from doanket.accounts.models import User
from doanket.core.models import AuditAction, AuditEntry

CLIENT_ID, CLIENT_SECRET = "doanket-test", "bí-mật-của-ứng-dụng"


@dataclass
class Provider:
    """A minimal OpenID Connect provider: one client, the claims of whoever "logs in" next."""

    base: str = ""
    key: Any = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    signing_key: Any = None  # set to sign with another key than the one published
    claims: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    user_info_sub: str = ""  # set to answer the user-info request about another person

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]}


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/authorize":
                assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
                code = secrets.token_urlsafe(16)
                provider.codes[code] = {"nonce": query.get("nonce"), "claims": dict(provider.claims),
                                        "challenge": query.get("code_challenge")}  # fmt: skip
                self.send_response(302)
                self.send_header(
                    "Location", f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                )
                self.end_headers()
            elif url.path == "/jwks":
                self._json(provider.jwks())
            elif url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                found = provider.tokens.get(token)
                self._json(found if found else {"error": "invalid_token"}, 200 if found else 401)
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            grant = provider.codes.pop(form.get("code", ""), None)
            if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET) or grant is None:
                self._json({"error": "invalid_grant"}, 400)
                return
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant["challenge"] and digest != grant["challenge"]:  # PKCE
                self._json({"error": "invalid_grant"}, 400)
                return
            now = int(time.time())
            claims = grant["claims"]
            payload = {"iss": provider.base, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": grant["nonce"]}
            id_token = jwt.encode(
                {**payload, **claims}, provider.signing_key or provider.key, algorithm="RS256", headers={"kid": "k1"}
            )
            access = secrets.token_urlsafe(16)
            provider.tokens[access] = {**claims, "sub": provider.user_info_sub} if provider.user_info_sub else claims
            self._json({"access_token": access, "token_type": "Bearer", "id_token": id_token, "expires_in": 300})

    return Handler


@pytest.fixture
def provider(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    made = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(made))
    made.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{made.base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{made.base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{made.base}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{made.base}/jwks"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "doanket.accounts.oidc.Backend"]
    try:
        yield made
    finally:
        server.shutdown()
        server.server_close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _sign_in(client: Client, provider: Provider, claims: dict[str, Any]) -> Any:
    """The browser's part: our start page → the provider → back to our callback."""
    provider.claims = claims
    start = client.get(reverse("accounts:sso_start"))
    assert start.status_code == 302 and start["Location"].startswith(f"{provider.base}/authorize?")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(start["Location"])
    except urllib.error.HTTPError as answer:  # the provider's 302 back to us
        back = urlsplit(answer.headers["Location"])
    assert back.path == reverse("accounts:sso_callback")
    return client.get(f"{back.path}?{back.query}")


def test_an_existing_officer_logs_in_through_the_provider(client: Client, users: People, provider: Provider) -> None:
    assert 'data-testid="sso"' in client.get(reverse("accounts:login")).content.decode()
    done = _sign_in(client, provider, {"sub": "vneid-001", "preferred_username": users.commune_officer.username})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert int(client.session["_auth_user_id"]) == users.commune_officer.pk


def test_only_existing_active_accounts_and_the_providers_own_key_are_accepted(
    client: Client, users: People, provider: Provider
) -> None:
    refused = _sign_in(client, provider, {"sub": "vneid-999", "preferred_username": "khong-co-tai-khoan"})
    assert refused.status_code == 302 and refused["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session and not User.objects.filter(username="khong-co-tai-khoan").exists()
    users.other_commune_officer.is_active = False
    users.other_commune_officer.save()
    disabled = _sign_in(
        client, provider, {"sub": "vneid-002", "preferred_username": users.other_commune_officer.username}
    )
    assert disabled["Location"] == reverse("accounts:login") and "_auth_user_id" not in client.session
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # not the published key
    forged = _sign_in(client, provider, {"sub": "vneid-001", "preferred_username": users.commune_officer.username})
    assert forged["Location"] == reverse("accounts:login") and "_auth_user_id" not in client.session


def test_an_id_token_for_another_application_expired_or_about_another_person_is_refused(
    client: Client, users: People, provider: Provider
) -> None:
    officer = {"sub": "vneid-001", "preferred_username": users.commune_officer.username}
    other_app = _sign_in(client, provider, {**officer, "aud": "ung-dung-khac"})  # signed, but not for us
    assert other_app["Location"] == reverse("accounts:login") and "_auth_user_id" not in client.session
    provider.tokens.clear()
    listed = _sign_in(client, provider, {**officer, "aud": [CLIENT_ID, "ung-dung-khac"]})  # several audiences
    assert listed["Location"] == reverse("home")
    client.post(reverse("accounts:logout"))
    expired = _sign_in(client, provider, {**officer, "exp": int(time.time()) - 60})
    assert expired["Location"] == reverse("accounts:login") and "_auth_user_id" not in client.session
    provider.user_info_sub = "vneid-khac"
    swapped = _sign_in(client, provider, officer)  # the user-info answer names someone else
    assert swapped["Location"] == reverse("accounts:login") and "_auth_user_id" not in client.session


def test_single_sign_on_is_off_unless_configured(client: Client) -> None:
    assert client.get(reverse("accounts:sso_start")).status_code == 404
    assert client.get(reverse("accounts:sso_callback")).status_code == 404
    assert 'data-testid="sso"' not in client.get(reverse("accounts:login")).content.decode()


def test_the_first_login_links_the_providers_subject_and_later_logins_match_by_it_alone(
    client: Client, users: People, provider: Provider
) -> None:
    officer = users.commune_officer
    first = _sign_in(client, provider, {"sub": "vneid-001", "preferred_username": officer.username})
    assert first["Location"] == reverse("home")
    officer.refresh_from_db()
    assert (officer.sso_issuer, officer.sso_subject) == (provider.base, "vneid-001")
    link = AuditEntry.objects.get(model="accounts.user", object_id=str(officer.pk), action=AuditAction.UPDATE)
    assert link.changes["sso_subject"] == ["", "vneid-001"]
    client.post(reverse("accounts:logout"))
    # The provider renamed the person: the subject still finds the same account.
    renamed = _sign_in(client, provider, {"sub": "vneid-001", "preferred_username": "ten-moi-o-nha-cung-cap"})
    assert renamed["Location"] == reverse("home") and int(client.session["_auth_user_id"]) == officer.pk
    client.post(reverse("accounts:logout"))
    # The provider gave the username to someone else: that person is not let into the linked account.
    reassigned = _sign_in(client, provider, {"sub": "vneid-777", "preferred_username": officer.username})
    assert reassigned["Location"] == reverse("accounts:login") and "_auth_user_id" not in client.session
    # Nor by the e-mail address the account carries.
    officer.email = "bacha@example.vn"
    officer.save()
    by_email = _sign_in(client, provider, {"sub": "vneid-778", "email": officer.email, "email_verified": True})
    assert by_email["Location"] == reverse("accounts:login") and "_auth_user_id" not in client.session
    # Disabled, the linked account logs nobody in, and no other account is tried in its place.
    officer.is_active = False
    officer.save()
    disabled = _sign_in(client, provider, {"sub": "vneid-001", "preferred_username": users.province_officer.username})
    assert disabled["Location"] == reverse("accounts:login") and "_auth_user_id" not in client.session
    users.province_officer.refresh_from_db()
    assert users.province_officer.sso_subject == ""


def test_one_subject_links_one_account_only(users: People) -> None:
    from django.db import IntegrityError, transaction

    from doanket.accounts.oidc import link_identity

    link_identity(users.commune_officer, "https://sso.example.vn", "vneid-001")
    with pytest.raises(IntegrityError), transaction.atomic():
        link_identity(users.other_commune_officer, "https://sso.example.vn", "vneid-001")
    link_identity(users.other_commune_officer, "https://khac.example.vn", "vneid-001")  # another provider's
