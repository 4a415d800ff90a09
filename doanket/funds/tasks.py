"""Background work of the funds: long statement imports, and the ledger's regular checkpoint."""

from __future__ import annotations

from django_tasks import task

from doanket.funds import keys


@task()
def import_statement_file(job_id: int) -> str:
    """Read, check and store a statement file an officer handed over (``services.queue_import``)."""
    from doanket.funds import services
    from doanket.funds.models import StatementImport

    job = StatementImport.objects.select_related("account__campaign__unit", "requested_by").get(pk=job_id)
    return services.run_import(job).status


@task()
def sign_checkpoint() -> int:
    """A fresh signed checkpoint of the public ledger, so its time says the log was still this one
    (run hourly by the worker); nothing to do before the first key. Returns the log's size."""
    from doanket.funds import ledger

    try:
        return ledger.sign_checkpoint().size
    except keys.KeyMissing:
        return 0
