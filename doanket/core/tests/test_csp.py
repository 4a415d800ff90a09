"""The Content Security Policy: sent with every page, scripts and styles from the site's own files
only; no template carries an inline script, event handler or style attribute (the browser tests
fail on any refusal the policy reports)."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client

from conftest import People, login

TEMPLATES = Path(__file__).resolve().parents[2]
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=\"|\sstyle=\"|hx-on|js:"
)


def test_every_page_sends_the_policy_without_inline_scripts_or_styles(client: Client, users: People) -> None:
    for url in ("/portal/", "/accounts/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy and "unsafe" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    login(client, users.province_officer)
    assert client.get("/supervision/")["Content-Security-Policy"].startswith("default-src 'self'")


def test_no_template_has_an_inline_script_handler_or_style() -> None:
    offending = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offending == []
