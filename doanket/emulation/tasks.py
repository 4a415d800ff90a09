"""Background work of the emulation module."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_review(review_id: int) -> int:
    """Compute a review's points from the reports and tasks; a failure is shown on its page."""
    from doanket.emulation import evaluation
    from doanket.emulation.models import Review

    try:
        return evaluation.compute(Review.objects.select_related("movement").get(pk=review_id))
    except Review.DoesNotExist:
        return 0  # deleted with its movement meanwhile
    except Exception as exc:
        evaluation.failed(review_id, f"{type(exc).__name__}: {exc}")
        raise
