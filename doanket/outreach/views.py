"""Pages of the people the Front listens to: the registry (personal data: staff who need it), the
visits, and the hot spots with their history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.views import refused, submit
from doanket.core.widgets import options_response
from doanket.organizations.forms import person_label
from doanket.outreach import services
from doanket.outreach.forms import ActionForm, HotSpotForm, RegistryFilter, VisitForm
from doanket.outreach.models import HotSpot, Visit
from doanket.outreach.services import OutreachError

PAGE = 50


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """The registry: personal data, for the roles that see it."""
    if not authz.can(request.user, Perm.VIEW_PERSONAL_DATA):
        raise PermissionDenied
    chosen = RegistryFilter(request.GET)
    data = chosen.cleaned_data if chosen.is_valid() else {}
    rows = services.registry(request.user, data.get("standing") or "", data.get("q") or "")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "outreach/people.html", {"page": page, "filter": chosen})


@login_required
def people_options(request: HttpRequest) -> HttpResponse:
    """The registry's people matching what the officer types in the visit form (HTMX)."""
    if not (authz.can(request.user, Perm.VIEW_PERSONAL_DATA) and authz.can(request.user, Perm.EDIT_PROGRAM)):
        raise PermissionDenied
    found = services.registry(request.user, text=request.GET.get("person_q", ""))
    return options_response(request, found, person_label)


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    visits = (
        Visit.objects.filter(authz.scope_q(request.user, Perm.VIEW_PROGRAM, "unit__path"))
        .select_related("unit", "fund")
        .prefetch_related("persons")
    )
    page = Paginator(visits, PAGE).get_page(request.GET.get("page"))
    personal = {
        v.pk for v in page if authz.can(request.user, Perm.VIEW_PERSONAL_DATA, v.unit)
    }  # who was visited may tell a religion
    edit = authz.can(request.user, Perm.EDIT_PROGRAM)
    context = {"page": page, "personal": personal, "form": VisitForm(request.user) if edit else None}
    return render(request, "outreach/visits.html", context)


@login_required
@require_POST
def visit_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    form = VisitForm(request.user, request.POST)
    if not form.is_valid():
        refused(request, _("The visit is not recorded: %(errors)s"), form)
        return redirect("outreach:visits")
    data = dict(form.cleaned_data)
    person = data.pop("person")
    unit = data.pop("unit")
    try:
        services.record_visit(request.user, unit, persons=[person] if person else [], **data)
    except OutreachError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The visit is recorded."))
    return redirect("outreach:visits")


@login_required
def hot_spot_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    spots = HotSpot.objects.filter(authz.scope_q(request.user, Perm.VIEW_PROGRAM, "unit__path")).select_related(
        "unit", "place"
    )
    page = Paginator(spots, PAGE).get_page(request.GET.get("page"))
    form = HotSpotForm(request.user) if authz.can(request.user, Perm.EDIT_PROGRAM) else None
    return render(request, "outreach/hot_spots.html", {"page": page, "form": form})


@login_required
@require_POST
def hot_spot_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    made = submit(
        request,
        HotSpotForm(request.user, request.POST),
        _("The hot spot is not flagged: %(errors)s"),
        lambda data: services.flag_hot_spot(request.user, data.pop("unit"), **data),
        errors=(OutreachError,),
    )
    return redirect("outreach:hot_spot", made.pk) if made else redirect("outreach:hot_spots")


def _hot_spot(request: HttpRequest, pk: int) -> HotSpot:
    return authz.get_for_user(
        HotSpot.objects.select_related("unit", "place"), request.user, Perm.VIEW_PROGRAM, "unit__path", pk=pk
    )


@login_required
def hot_spot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    spot = _hot_spot(request, pk)
    edit = authz.can(request.user, Perm.EDIT_PROGRAM, spot.unit) and spot.state == "open"
    form = ActionForm(initial={"taken_on": timezone.localdate(), "risk": spot.risk}) if edit else None
    context = {"spot": spot, "actions": list(spot.actions.all()), "form": form}
    return render(request, "outreach/hot_spot.html", context)


@login_required
@require_POST
def hot_spot_act(request: HttpRequest, pk: int) -> HttpResponse:
    spot = _hot_spot(request, pk)
    if not authz.can(request.user, Perm.EDIT_PROGRAM, spot.unit):
        raise PermissionDenied
    submit(
        request,
        ActionForm(request.POST),
        _("The action is not recorded: %(errors)s"),
        lambda data: services.act_on(request.user, spot, **data),
        errors=(OutreachError,),
    )
    return redirect("outreach:hot_spot", spot.pk)
