"""Platform tasks. ``echo`` lets an operator (and the tests) check the queue end to end."""

from __future__ import annotations

from django_tasks import task


@task()
def echo(message: str) -> str:
    return message
