"""The JSON API, version 1: the units, the declared resources, the schema and its page; the
authentication, refusals and errors every endpoint shares (``api_view``). Roll-ups: ``rollups``;
the public ledger: ``ledger``; the writes: ``writes``.

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
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from doanket.accounts import authz, tokens
from doanket.accounts.authz import Perm
from doanket.accounts.models import ApiAccess
from doanket.api import resources
from doanket.api.resources import BIGGEST, Resource
from doanket.core import ratelimit
from doanket.organizations.models import Level, Unit, UnitKind, UnitQuerySet

PAGE_SIZE = 100


def whole_number(value: str) -> int | None:
    """``value`` as a database integer, or None when it is not one."""
    return int(value) if value.isascii() and value.isdigit() and int(value) <= BIGGEST else None


def in_both(message: Any) -> dict[str, str]:
    """``message`` (a msgid, or a lazy text) in Vietnamese and in English."""
    found = {}
    for language, key in (("vi", "message"), ("en", "message_en")):
        with translation.override(language):
            found[key] = _(message) if isinstance(message, str) else str(message)
    return found


def error(status: int, code: str, message: str, fields: dict[str, Any] | None = None) -> JsonResponse:
    """``message`` is a msgid: the body carries it in Vietnamese and in English; ``fields``: what is
    wrong with each field of the request, already in both languages (``ApiError``)."""
    body: dict[str, Any] = {"code": code, **in_both(message)}
    if fields:
        body["fields"] = fields
    return JsonResponse({"error": body}, status=status, json_dumps_params={"ensure_ascii": False})


class ApiError(Exception):
    """A refusal the view raises and ``api_view`` answers: status, code, message (a msgid) and,
    for a request the API could not accept, each field's message in both languages."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, Any] | None = None) -> None:
        super().__init__(code)
        self.status, self.code, self.message, self.fields = status, code, message, fields


SAFE = ("GET", "HEAD", "OPTIONS")


def _csrf_refused(request: HttpRequest) -> bool:
    """A session's write keeps Django's CSRF check (a token's request carries no cookie to forge)."""
    check = CsrfViewMiddleware(lambda _request: HttpResponse())
    return check.process_view(request, lambda _request: HttpResponse(), (), {}) is not None


def api_view(
    view: Callable[..., HttpResponse] | None = None, *, methods: tuple[str, ...] = ("GET",), public: bool = False
) -> Any:
    """An API endpoint: ``methods`` it answers; ``public``: no session or token needed (the
    portal's data). A write needs a write token, or a session with its CSRF token."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if public:
                return answer(request, *args, **kwargs)
            header = request.META.get("HTTP_AUTHORIZATION", "")
            if not header.startswith("Bearer "):
                if not request.user.is_authenticated:
                    return error(401, "not_authenticated", gettext_noop("Log in first, or send a token."))
                if request.method not in SAFE and _csrf_refused(request):
                    return error(403, "csrf", gettext_noop("The form's security token is missing or wrong."))
                return answer(request, *args, **kwargs)
            token = tokens.authenticate(header.removeprefix("Bearer "))
            response: HttpResponse
            if token is None:
                return error(401, "bad_token", gettext_noop("The token is unknown or revoked."))
            if not ratelimit.allow("api-token", str(token.pk), settings.API_TOKEN_RATE_PER_MINUTE, 60):
                response = error(429, "rate_limited", gettext_noop("Too many requests with this token: wait a minute."))
            elif request.method not in SAFE and token.access != ApiAccess.WRITE:
                response = error(
                    403, "read_only_token", gettext_noop("This token may only read: writing needs a write token.")
                )
            else:
                request.user = token.account
                response = answer(request, *args, **kwargs)
            tokens.record_use(token, request.method or "", request.get_full_path(), response.status_code)
            return response

        def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return error(404, "not_found", gettext_noop("No such record within your units."))
            except PermissionDenied:
                return error(403, "forbidden", gettext_noop("Your role does not allow this on that unit."))
            except ApiError as refused:
                return error(refused.status, refused.code, refused.message, refused.fields)

        return csrf_exempt(require_http_methods(list(methods))(wrapper))

    return decorate(view) if view is not None else decorate


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
    after = request.GET.get("after", "")  # a unit's path: digits, compared as text
    if after and not (after.isascii() and after.isdigit()):
        return error(400, "bad_cursor", gettext_noop("The page cursor is not valid."))
    if after:
        units = units.filter(path__gt=after)
    rows = list(units.order_by("path")[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return JsonResponse({"results": [unit_json(u) for u in rows], "next": rows[-1].path if more else None})


@api_view
def unit_detail(request: HttpRequest, pk: int) -> JsonResponse:
    if pk > BIGGEST:
        raise Http404
    unit = authz.get_for_user(Unit.objects.all(), request.user, Perm.VIEW_UNIT, "path", pk=pk)
    return JsonResponse(unit_json(unit))


# --- The declared resources (api/resources.py) ---------------------------------------------------


def _filtered(resource: Resource, request: HttpRequest) -> Any:
    """The resource's rows in the caller's scope, with the filters asked for; a filter value that
    is not one of its values is a 400 naming it."""
    rows = resource.queryset(request.user)
    for name, spec in resource.filters.items():
        value = request.GET.get(name)
        if value is None or value == "":
            continue
        number = whole_number(value)
        if (spec.type == "integer" and number is None) or (spec.enum and value not in spec.enum):
            raise BadParameter(name)
        rows = rows.filter(**{spec.lookup: number if spec.type == "integer" else value})
    return rows


class BadParameter(Exception):
    pass


@api_view
def resource_list(request: HttpRequest, name: str) -> JsonResponse:
    return listed(request, name)


def listed(request: HttpRequest, name: str) -> JsonResponse:
    """A page of the resource ``name`` in the caller's scope (for a view already authenticated)."""
    resource = resources.BY_NAME.get(name)
    if resource is None:
        raise Http404
    after = request.GET.get("after", "")
    if after and whole_number(after) is None:
        return error(400, "bad_cursor", gettext_noop("The page cursor is not valid."))
    try:
        rows = _filtered(resource, request)
    except BadParameter as exc:
        response = error(400, "bad_filter", gettext_noop("A filter has a value it does not take."))
        response["X-Bad-Parameter"] = str(exc)
        return response
    if after:
        rows = rows.filter(pk__gt=int(after))
    found = list(rows.order_by("pk")[: PAGE_SIZE + 1])
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return JsonResponse(
        {"results": [resource.json(o, request.user) for o in found], "next": str(found[-1].pk) if more else None},
        json_dumps_params={"ensure_ascii": False},
    )


@api_view
def resource_detail(request: HttpRequest, name: str, pk: int) -> JsonResponse:
    resource = resources.BY_NAME.get(name)
    if resource is None or pk > BIGGEST:
        raise Http404
    found = resource.queryset(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return JsonResponse(resource.json(found, request.user), json_dumps_params={"ensure_ascii": False})


@api_view
def schema_view(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3 description of this API, made from the same declarations as the views."""
    from doanket.api import schema  # it reads the write endpoints, which are built on this module

    return JsonResponse(schema.build(), json_dumps_params={"ensure_ascii": False})


@login_required
def docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation, browsable, from the same schema (no script, no CDN)."""
    from doanket.api import schema

    built = schema.build()
    schemas = built["components"]["schemas"]
    operations = [
        {
            "path": path,
            "method": method.upper(),
            "op": op,
            "params": op.get("parameters", []),
            "item": schemas.get(_item_of(op)),
            "body": _body_of(op, schemas),
            "public": op.get("security") == [],
        }
        for path, item in built["paths"].items()
        for method, op in item.items()
    ]
    return render(request, "api/docs.html", {"schema": built, "operations": operations})


def _body_of(operation: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any] | None:
    """The schema of a write's request body, for the documentation page."""
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if body and "$ref" in body:
        return dict(schemas.get(str(body["$ref"]).rsplit("/", 1)[-1], {}))
    return dict(body) if body else None


def _item_of(operation: dict[str, Any]) -> str:
    answered = operation["responses"].get("200") or operation["responses"].get("201") or {}
    ok = answered.get("content", {}).get("application/json", {}).get("schema", {})
    ref = ok.get("$ref") or ok.get("properties", {}).get("results", {}).get("items", {}).get("$ref", "")
    return str(ref).rsplit("/", 1)[-1] if ref else ""
