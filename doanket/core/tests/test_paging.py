"""Lists of a million rows: the page's ids read in one capped query, then the page's rows."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World
from doanket.core.paging import CappedPaginator, paged_ids
from doanket.organizations.models import Unit


def test_pages_follow_the_order_and_say_when_there_are_more_than_the_cap(world: World) -> None:
    ordered = Unit.objects.order_by("-name", "pk")
    names = list(ordered.values_list("name", flat=True))
    assert len(names) >= 7
    with CaptureQueriesContext(connection) as queries:
        first = paged_ids(ordered, Unit.objects.all(), 2, 1, cap=5)
    assert len(queries) == 2, "the ids, then the page's rows"
    assert [u.name for u in first] == names[:2]
    assert isinstance(first.paginator, CappedPaginator)
    assert first.paginator.count == 6 and first.paginator.capped
    last = paged_ids(ordered, Unit.objects.all(), 2, 99, cap=5)
    assert last.number == 3 and [u.name for u in last] == names[4:6]
    whole = paged_ids(ordered, Unit.objects.all(), 50, "x")
    assert isinstance(whole.paginator, CappedPaginator)
    assert not whole.paginator.capped and [u.name for u in whole] == names
    # Rows the second queryset does not offer (out of scope, say) are left out, never invented.
    narrowed = paged_ids(ordered, Unit.objects.filter(pk=first[0].pk), 2, 1, cap=5)
    assert [u.pk for u in narrowed] == [first[0].pk]
