"""Pages of the movements: the list, the launch from a document, a movement with its content
areas, criteria and registrations. Thin: the scope comes from ``authz``, the work from
``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.emulation import services
from doanket.emulation.forms import CriterionForm, LaunchForm, RegistrationForm
from doanket.emulation.models import Movement, Registration
from doanket.emulation.services import EmulationError
from doanket.organizations.models import Unit

PAGE = 50


def _movement(request: HttpRequest, pk: int) -> Movement:
    """A movement of the user's units or of a unit above them (launched for the units below)."""
    return authz.get_for_user(
        Movement.objects.select_related("unit"), request.user, Perm.VIEW_PROGRAM, "unit__path", upward=True, pk=pk
    )


def _registrable(request: HttpRequest, movement: Movement) -> QuerySet[Unit]:
    """The participating units the user may register (edit_program on them)."""
    return (
        services.participants(movement).filter(authz.scope_q(request.user, Perm.EDIT_PROGRAM, "path")).order_by("path")
    )


@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    rows = Movement.objects.filter(
        authz.scope_q_with_ancestors(request.user, Perm.VIEW_PROGRAM, "unit__path")
    ).select_related("unit")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "can_launch": authz.can(request.user, Perm.EDIT_PROGRAM)}
    return render(request, "emulation/list.html", context)


@login_required
def movement_new(request: HttpRequest) -> HttpResponse:
    """Launch a movement: its document read by the work-programme importer, its numbered
    contents becoming the content areas."""
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    form = LaunchForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("document")
        try:
            parsed, source = None, None
            if upload is not None:
                content = upload.read()
                parsed = services.read_launch(content, upload.name)
                source = (upload.name, content)
            made = services.launch(
                request.user,
                data["unit"],
                title=data.get("title") or "",
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                level=data["level"],
                participant_kind=data["participant_kind"],
                parsed=parsed,
                source=source,
            )
        except EmulationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The movement is launched with %(n)s content areas.") % {"n": made.areas.count()}
            )
            return redirect("emulation:movement", made.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "emulation/new.html", {"form": form}, status=status)


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _movement(request, pk)
    own = authz.can(request.user, Perm.VIEW_PROGRAM, movement.unit)  # the launching unit's side
    edit = authz.can(request.user, Perm.EDIT_PROGRAM, movement.unit)
    registrations = Registration.objects.filter(
        authz.own_or_assigned_q(request.user, movement.unit, Perm.VIEW_PROGRAM), movement=movement
    ).select_related("unit")
    registrable = _registrable(request, movement)
    context: dict[str, Any] = {
        "movement": movement,
        "areas": movement.areas.all(),
        "criteria": list(movement.criteria.select_related("area")),
        "edit": edit,
        "own": own,
        "registrations": Paginator(registrations.order_by("unit__path"), PAGE).get_page(request.GET.get("page")),
        "criterion_form": CriterionForm(movement) if edit else None,
        "registration_form": RegistrationForm(registrable) if registrable.exists() else None,
    }
    context["total_weight"] = sum(c.weight for c in context["criteria"])
    if own:
        context["standing"] = services.standing(movement)
        context["unregistered"] = list(services.unregistered(movement)[:PAGE])
    return render(request, "emulation/detail.html", context)


@login_required
@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _movement(request, pk)
    if not authz.can(request.user, Perm.EDIT_PROGRAM, movement.unit):
        raise PermissionDenied
    form = CriterionForm(movement, request.POST)
    if form.is_valid():
        try:
            services.add_criterion(request.user, movement, **form.cleaned_data)
        except EmulationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The criterion is added."))
    else:
        messages.error(request, _("The criterion is not added: %(errors)s") % {"errors": _errors(form)})
    return redirect("emulation:movement", movement.pk)


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    movement = _movement(request, pk)
    form = RegistrationForm(_registrable(request, movement), request.POST)
    if not form.is_valid():
        if "unit" in form.errors and request.POST.get("unit"):
            raise PermissionDenied  # a unit the user may not register
        messages.error(request, _("The registration is not recorded: %(errors)s") % {"errors": _errors(form)})
        return redirect("emulation:movement", movement.pk)
    try:
        services.register(request.user, movement, form.cleaned_data["unit"], form.cleaned_data["targets"])
    except EmulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(unit)s is registered for the movement.") % {"unit": form.cleaned_data["unit"].name}
        )
    return redirect("emulation:movement", movement.pk)


def _errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
