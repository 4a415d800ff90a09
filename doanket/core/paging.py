"""Pagination of lists that can hold a million rows.

Counting every row matching a filter, then sorting whole rows for one page, is what makes such a
list slow. ``paged_ids`` reads the ids of the first ``CAP`` + 1 rows in the list's order in one
query (from an index that holds the order, where there is one), pages through them in memory,
and fetches the 50 rows of the page by id. Past the cap the list says "more than 1,000" and its
pages run to the cap: people narrow the list with its filters, as they would anyway.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet

CAP = 1000
M = TypeVar("M", bound=Model)


class CappedPaginator(Paginator):
    """A paginator over at most ``cap`` + 1 items; ``capped`` says there were more."""

    def __init__(self, object_list: Any, per_page: int, cap: int = CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paged_ids(ordered: QuerySet[M], rows: QuerySet[M], per_page: int, number: Any, cap: int = CAP) -> Page:
    """The page ``number`` of ``ordered`` (sorted as it should be shown), its items read from
    ``rows`` (with what the page shows: ``select_related`` ...). Three queries at most: the ids,
    the page's rows."""
    ids = list(ordered.values_list("pk", flat=True)[: cap + 1])
    paginator = CappedPaginator(ids, per_page, cap)
    page = paginator.get_page(number)
    chosen = list(page.object_list)
    found = rows.in_bulk(chosen)
    page.object_list = [found[pk] for pk in chosen if pk in found]
    return page
