"""``manage.py send_reminders``: the reminder job by hand or from cron (the worker runs it hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from doanket.programs import services


class Command(BaseCommand):
    help = "Remind units of assignments due within 3 days and of overdue ones (each reminder once)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.send_due_reminders()
        self.stdout.write(f"{sent}")
