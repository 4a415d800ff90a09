"""The JSON API, version 1: units for now (the schema and the other modules: issue 9).

A caller is an officer's session or an integration's token (``Authorization: Bearer dk_…``,
issued by a unit administrator: ``accounts.tokens``). Either way it answers through the same
authorisation layer as the pages: a unit outside the caller's scope is a 404 whose body names
nothing. Each token use is logged and counted against the token's rate limit. Errors have a code
and a message in Vietnamese and English.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from doanket.accounts import authz, tokens
from doanket.accounts.authz import Perm
from doanket.core import ratelimit
from doanket.organizations.models import Level, Unit, UnitKind, UnitQuerySet

PAGE_SIZE = 100


def error(status: int, code: str, message: str) -> JsonResponse:
    """``message`` is a msgid: the body carries it in Vietnamese and in English."""
    with translation.override("vi"):
        vi = _(message)
    with translation.override("en"):
        en = _(message)
    return JsonResponse({"error": {"code": code, "message": vi, "message_en": en}}, status=status)


def api_view(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            if not request.user.is_authenticated:
                return error(401, "not_authenticated", gettext_noop("Log in first, or send a token."))
            return answer(request, *args, **kwargs)
        token = tokens.authenticate(header.removeprefix("Bearer "))
        if token is None:
            return error(401, "bad_token", gettext_noop("The token is unknown or revoked."))
        if not ratelimit.allow("api-token", str(token.pk), settings.API_TOKEN_RATE_PER_MINUTE, 60):
            response = error(429, "rate_limited", gettext_noop("Too many requests with this token: wait a minute."))
        else:
            request.user = token.account
            response = answer(request, *args, **kwargs)
        tokens.record_use(token, request.method or "", request.get_full_path(), response.status_code)
        return response

    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return error(404, "not_found", gettext_noop("No such record within your units."))

    return require_GET(wrapper)


def unit_json(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "name": unit.name,
        "level": unit.level,
        "kind": unit.kind,
        "division_type": unit.division_type,
        "official_code": unit.official_code,
        "parent_id": unit.parent_id,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
        "is_sample": unit.is_sample,
    }


@api_view
def unit_list(request: HttpRequest) -> JsonResponse:
    """Units in scope by path, ``?after=<cursor>`` for the next page; filters q, level, kind."""
    units = authz.units(request.user, Perm.VIEW_UNIT)
    assert isinstance(units, UnitQuerySet)
    if q := request.GET.get("q", ""):
        units = units.search(q)
    if (level := request.GET.get("level", "")) in Level.values:
        units = units.filter(level=level)
    if (kind := request.GET.get("kind", "")) in UnitKind.values:
        units = units.filter(kind=kind)
    after = request.GET.get("after", "")
    if after and not after.isdigit():
        return error(400, "bad_cursor", gettext_noop("The page cursor is not valid."))
    if after:
        units = units.filter(path__gt=after)
    rows = list(units.order_by("path")[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return JsonResponse({"results": [unit_json(u) for u in rows], "next": rows[-1].path if more else None})


@api_view
def unit_detail(request: HttpRequest, pk: int) -> JsonResponse:
    unit = authz.get_for_user(Unit.objects.all(), request.user, Perm.VIEW_UNIT, "path", pk=pk)
    return JsonResponse(unit_json(unit))
