"""The calendar pages: a unit's month, the address of a user's feed, and the feed a phone reads.

The month and the subscription page need a login; the feed cannot (a phone's calendar sends no
session), so its address carries a secret token instead, which the user can replace at any time.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.organizations.models import Unit
from doanket.programs import calendar
from doanket.programs.models import FeedToken

WEEKDAYS = [
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
]
FIRST_YEAR, LAST_YEAR = 1900, 2199  # the range the lunar conversion covers


# --- Plain functions ------------------------------------------------------------------------------


def _int(value: str | None, low: int, high: int, default: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if low <= number <= high else default


def unit_for(user: Any, unit_id: str | None) -> Unit:
    """The unit asked for, if ``user`` reads its programmes (404 otherwise); else the user's first."""
    if unit_id:
        return authz.get_for_user(Unit.objects.all(), user, Perm.VIEW_PROGRAM, "path", pk=unit_id)
    unit = authz.units(user, Perm.VIEW_PROGRAM).order_by("path").first()
    if unit is None:
        raise PermissionDenied
    return unit


def new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_token(user: Any) -> FeedToken:
    """The user's feed token, made on first use."""
    token, created = FeedToken.objects.get_or_create(user=user, defaults={"token": new_token()})
    if created:
        audit.record(user, AuditAction.CREATE, token, after={"created_at": token.created_at.isoformat()})
    return token


@transaction.atomic
def regenerate_token(user: Any) -> FeedToken:
    """A new secret for the user's feed: the old address stops working at once."""
    token = FeedToken.objects.select_for_update().filter(user=user).first()
    if token is None:
        return feed_token(user)
    before = {"created_at": token.created_at.isoformat()}
    token.token = new_token()
    token.created_at = timezone.now()
    token.save(update_fields=["token", "created_at"])
    # The secret itself never goes to the log: only when it was replaced.
    audit.record(user, AuditAction.UPDATE, token, before=before, after={"created_at": token.created_at.isoformat()})
    return token


def feed_name(paths: list[str]) -> str:
    names = list(Unit.objects.filter(path__in=paths).order_by("path").values_list("name", flat=True))
    return " · ".join(["Đoàn Kết", *names])


# --- Views ------------------------------------------------------------------------------------------


@login_required
@require_safe
def month(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    unit = unit_for(request.user, request.GET.get("unit"))
    year = _int(request.GET.get("year"), FIRST_YEAR + 1, LAST_YEAR - 1, today.year)
    month_number = _int(request.GET.get("month"), 1, 12, today.month if year == today.year else 1)
    programs = calendar.readable_programs(request.user, [unit.path or ""])
    entries = calendar.calendar_entries(programs, year, month_number)
    own = calendar.own_unit_paths(request.user)
    choices = list(Unit.objects.filter(path__in=[*own, unit.path]).order_by("path").only("id", "name"))
    previous, following = calendar.shift_month(year, month_number, -1), calendar.shift_month(year, month_number, 1)
    context = {
        "unit": unit,
        "units": choices,
        "year": year,
        "month": month_number,
        "weekdays": WEEKDAYS,
        "weeks": calendar.month_grid(year, month_number, entries, today),
        "entries": entries,
        "previous": {"year": previous[0], "month": previous[1]},
        "next": {"year": following[0], "month": following[1]},
        "today": today,
    }
    return render(request, "programs/calendar_month.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        regenerate_token(request.user)
        messages.success(
            request, _("A new address was made. The old one no longer works: subscribe again with this one.")
        )
        return redirect("calendar:subscribe")
    token = feed_token(request.user)
    url = request.build_absolute_uri(reverse("calendar:feed", args=[token.token]))
    context = {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1], "token": token}
    return render(request, "programs/calendar_subscribe.html", context)


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = FeedToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404
    user = found.user
    paths = calendar.own_unit_paths(user)
    programs = calendar.readable_programs(user, paths)
    year = timezone.localdate().year
    entries = calendar.calendar_entries(programs, year) + calendar.calendar_entries(programs, year + 1)
    response = HttpResponse(calendar.ical(entries, feed_name(paths)), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = 'inline; filename="doanket.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
