"""The API fuzzed against its own OpenAPI schema (schemathesis, in process through Django's WSGI
application): for every operation, generated requests — valid and invalid parameters and bodies —
never give a server error, every answer is one the schema documents and has the shape it says, and
nothing outside the token's units ever comes back. The reads are sent with a read token; the writes
with a write token, at records of the token's unit (a random id only finds nothing), and afterwards
nothing was written outside that unit."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from conftest import People, World
from doanket.accounts import tokens
from doanket.api import schema as api_schema
from doanket.api.tests.test_writes import _assignment, _report
from doanket.funds.models import Campaign, CampaignKind, Receipt
from doanket.organizations.models import Level
from doanket.petitions import services as petitions
from doanket.petitions.models import Petition
from doanket.petitions.services import Sender
from doanket.programs.models import Program, ProgressUpdate
from doanket.reporting.models import Report

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
    # The records the writes are aimed at, in the token's unit; and the same outside it.
    targets = {
        "/api/v1/assignments/{id}/updates/": _assignment(world.bac_ha).pk,
        "/api/v1/reports/{id}/figures/": _report(world.bac_ha).pk,
        "/api/v1/campaigns/{id}/donations/": Campaign.objects.create(
            unit=world.bac_ha, kind=CampaignKind.RELIEF, name="Cứu trợ", starts_on=dt.date(2026, 1, 1)
        ).pk,
    }
    _assignment(world.sa_pa), _report(world.sa_pa)
    outside_petitions = Petition.objects.exclude(unit=world.bac_ha).count()
    _token, read = tokens.issue(users.unit_admin, world.bac_ha, name="Kiểm thử", access="read")
    _token, write = tokens.issue(users.unit_admin, world.bac_ha, name="Ghi thử", access="write")
    inside = {world.bac_ha.pk, world.bac_ha_village.pk, world.lao_cai.pk}  # lao_cai: programmes read upward
    built = api_schema.build()
    schema = schemathesis.openapi.from_dict(built)
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) == sum(len(item) for item in built["paths"].values())
    writes = [op for op in operations if op.method.upper() == "POST"]
    assert len(writes) == 4

    answered: Counter[tuple[str, int]] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        def check(case: Any) -> None:
            writing = case.method.upper() == "POST"
            # A body valid by the schema may still be refused with a 400 naming the field: a topic that
            # does not exist, a day received in the future, a cash gift without its receipt; so may a
            # roll-up's period of another frequency, or a ledger search's 31/02 — the pages' rules,
            # which a schema cannot state. Elsewhere, what the schema allows must be accepted.
            judged = writing or case.path in ("/api/v1/rollups/{id}/", "/api/v1/ledger/{id}/entries/")
            skipped = [ignored_auth, positive_data_acceptance] if judged else [ignored_auth]
            if writing:
                if case.path in targets:
                    case.path_parameters["id"] = targets[case.path]
                if isinstance(case.body, dict) and "unit" in case.body:
                    case.body["unit"] = world.bac_ha.pk
            response = case.call(headers={"Authorization": f"Bearer {write if writing else read}"})
            assert response.status_code < 500, (case.path, response.status_code)
            if writing:
                answered[case.path, response.status_code] += 1
            # Either scheme (token or session) is enough, so a request with one of them spoiled and the
            # other valid is rightly answered: the authentication is tested in test_tokens.py.
            case.validate_response(response, excluded_checks=skipped)
            if response.status_code in (200, 201):
                body = response.json()
                rows = body["results"] if "results" in body else [body]
                for row in rows:
                    unit = row.get("unit_id", row.get("id") if case.path.startswith("/api/v1/units") else None)
                    if unit is not None and case.path.startswith("/api/v1/units"):
                        assert unit in inside, (case.path, unit)
                    elif "unit_id" in row:
                        assert row["unit_id"] in inside, (case.path, row)

        check()

    for operation in writes:  # each write was carried out, not only refused
        assert any(answered[operation.path, status] for status in (200, 201)), (operation.path, answered)
    # The writes landed in the token's unit and nowhere else.
    assert Petition.objects.exclude(unit=world.bac_ha).count() == outside_petitions
    assert not ProgressUpdate.objects.exclude(assignment__unit=world.bac_ha).exists()
    assert not Receipt.objects.exclude(campaign__unit=world.bac_ha).exists()
    assert Report.objects.get(unit=world.sa_pa).revision == 0
