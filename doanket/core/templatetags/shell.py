"""Template helpers of the shell."""

from __future__ import annotations

from typing import Any

from django import template

from doanket.core.text import grouped

register = template.Library()

_PAGING = ("page", "after", "before")


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **params: Any) -> str:
    """The current query string with the paging parameters replaced by ``params`` (filters kept)."""
    query = context["request"].GET.copy()
    for key in _PAGING:
        query.pop(key, None)
    for key, value in params.items():
        query[key] = value
    return "?" + query.urlencode()


@register.filter
def dong(amount: Any) -> str:
    """An amount of đồng written the Vietnamese way: 1.234.567 (empty when there is none)."""
    if amount is None or amount == "":
        return ""
    return grouped(int(amount))
