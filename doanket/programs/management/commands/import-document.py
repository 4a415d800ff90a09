"""``manage.py import-document FILE --json``: what the importer understands, as JSON.

Saves nothing unless ``--save --unit CODE`` is given. A file it cannot read: a message on
standard error and exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from doanket.documents.readers import DocumentError
from doanket.organizations.models import Unit
from doanket.programs import services


class Command(BaseCommand):
    help = "Read an administrative document (DOCX, PDF, TXT, MD) and print what it says as JSON."
    requires_system_checks: list[str] = []  # a pure reader: no need to load every URL and model check

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="Print the structure as JSON (the default).")
        parser.add_argument("--save", action="store_true", help="Save it as a programme of --unit.")
        parser.add_argument("--unit", help="Official code (or id) of the unit the programme belongs to.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror}, returncode=2
            ) from exc
        try:
            parsed, _text, fmt = services.understand(data, path.name)
        except DocumentError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["save"]:
            code = options.get("unit") or ""
            if not code:
                raise CommandError(_("--save needs --unit CODE (the official code of the unit)."), returncode=2)
            units = list(Unit.objects.filter(official_code=code)[:2])
            if len(units) != 1:
                raise CommandError(_("No single unit has the official code %(code)s.") % {"code": code}, returncode=2)
            unit = units[0]
            program = services.save_program(None, unit, parsed, source=(data, path.name), source_format=fmt)
            self.stderr.write(
                _("Saved as programme %(id)d of %(unit)s with %(n)d items.")
                % {"id": program.pk, "unit": unit.name, "n": program.items.count()}
            )
        self.stdout.write(json.dumps(parsed.to_json(), ensure_ascii=False, indent=2))
