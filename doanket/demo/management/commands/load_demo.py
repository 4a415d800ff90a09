from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from doanket.demo.loader import DEMO_PASSWORD, DEMO_TOTP_KEY, load_demo


class Command(BaseCommand):
    help = "Load the demo (Lào Cai and Lạng Sơn, sample villages, people, one account per role). Safe to re-run."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DOANKET_PRODUCTION:
            raise CommandError("The demo publishes its passwords: it is refused when DOANKET_PRODUCTION=1.")
        result = load_demo()
        self.stdout.write("")
        self.stdout.write(f"Demo loaded. Open http://127.0.0.1:8000 and log in as (password for all: {DEMO_PASSWORD}):")
        for login in result.logins:
            extra = f"  [2FA: make otp LOGIN={login.username}]" if login.two_factor else ""
            self.stdout.write(f"  {login.username:<20} {login.role:<22} {login.unit}{extra}")
        key = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
        self.stdout.write(f"Administrators' authenticator key (any TOTP app): {key}")
        self.stdout.write("Citizens' portal (no login): http://127.0.0.1:8000/portal/")
