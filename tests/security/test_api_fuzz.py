"""The API fuzzed against its own OpenAPI schema (schemathesis, in process through Django's WSGI
application): for every operation, generated requests — valid and invalid parameters — never give a
server error, every answer is one the schema documents and has the shape it says, and nothing outside
the token's units ever comes back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import ignored_auth

from conftest import People, World
from doanket.accounts import tokens
from doanket.api import schema as api_schema
from doanket.organizations.models import Level
from doanket.petitions import services as petitions
from doanket.petitions.services import Sender
from doanket.programs.models import Program

EXAMPLES = 25


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Django's WSGI handler closes the database connection after each request; inside a test's
    transaction it must not (Django's own test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_generated_requests_as_its_schema_says(
    world: World, users: People, settings: Any, same_connection: None
) -> None:
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.API_TOKEN_RATE_PER_MINUTE = 100_000
    for unit in (world.bac_ha, world.sa_pa):
        Program.objects.create(unit=unit, title=f"Chương trình {unit.name}", year=2026)
        petitions.receive(None, place=unit, level=Level.COMMUNE, channel="phone", title="Đường hỏng",
                          content="Đề nghị sửa", sender=Sender(name="Người gửi"))  # fmt: skip
    _token, text = tokens.issue(users.unit_admin, world.bac_ha, name="Kiểm thử", access="read")
    inside = {world.bac_ha.pk, world.bac_ha_village.pk, world.lao_cai.pk}  # lao_cai: programmes read upward
    schema = schemathesis.openapi.from_dict(api_schema.build())
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) == len(api_schema.build()["paths"])

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        def check(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Bearer {text}"})
            assert response.status_code < 500, (case.path, response.status_code)
            # Either scheme (token or session) is enough, so a request with one of them spoiled and the
            # other valid is rightly answered: the authentication is tested in test_tokens.py.
            case.validate_response(response, excluded_checks=[ignored_auth])
            if response.status_code == 200:
                body = response.json()
                rows = body["results"] if "results" in body else [body]
                for row in rows:
                    unit = row.get("unit_id", row.get("id") if case.path.startswith("/api/v1/units") else None)
                    if unit is not None and case.path.startswith("/api/v1/units"):
                        assert unit in inside, (case.path, unit)
                    elif "unit_id" in row:
                        assert row["unit_id"] in inside, (case.path, row)

        check()
