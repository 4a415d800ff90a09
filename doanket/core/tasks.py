"""Platform tasks. ``echo`` lets an operator (and the tests) check the queue end to end."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def echo(message: str) -> str:
    return message


@task()
def ship_audit() -> dict[str, Any]:
    """Ship the audit log's new entries (registered in PERIODIC_TASKS when a destination is set)."""
    from doanket.core import shipping

    return shipping.ship()
