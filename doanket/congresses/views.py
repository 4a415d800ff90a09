"""Pages of congresses. Thin: every read goes through ``authz`` (the congress's unit in the
user's scope, 404 otherwise), every write through ``services``."""

from __future__ import annotations

from typing import Any

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
from doanket.congresses import report, services
from doanket.congresses.forms import (
    CongressForm,
    ElectForm,
    PlanForm,
    ResolutionForm,
    StepDoneForm,
    StepForm,
    TargetForm,
)
from doanket.congresses.models import Congress, State, Step, Target
from doanket.congresses.services import CongressError, ReviewKind
from doanket.core.views import refused, submit
from doanket.core.widgets import options_response
from doanket.documents.export import DOCX
from doanket.documents.readers import DocumentError
from doanket.organizations.forms import person_label
from doanket.organizations.models import Unit

PAGE = 50


def _congress(request: HttpRequest, pk: int) -> Congress:
    return authz.get_for_user(
        Congress.objects.select_related("unit", "term", "resolution"),
        request.user,
        Perm.VIEW_PROGRAM,
        "unit__path",
        pk=pk,
    )


def _editable(request: HttpRequest, congress: Congress) -> None:
    if not authz.can(request.user, Perm.EDIT_PROGRAM, congress.unit):
        raise PermissionDenied


def _top_unit(request: HttpRequest) -> Unit:
    """The unit the overview is about: asked for (in scope, else 404), or the user's topmost."""
    asked = request.GET.get("unit")
    if asked:
        return authz.get_for_user(Unit.objects.all(), request.user, Perm.VIEW_PROGRAM, "path", pk=asked)
    first = authz.units(request.user, Perm.VIEW_PROGRAM).order_by("depth", "path").first()
    if first is None:
        raise PermissionDenied
    return first


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The congresses of the current round below a unit: counts by state per unit below and per
    level (drill down by a unit's name), and the congresses in one state, late ones first."""
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    unit = _top_unit(request)
    today = timezone.localdate()
    state = request.GET.get("state", State.LATE)
    if state not in State.values and state != "all":
        state = State.LATE
    summary = services.overview(unit, today)
    found = services.listing(unit, "" if state == "all" else state, today)
    page = Paginator(found, PAGE).get_page(request.GET.get("page"))
    above = (
        Unit.objects.filter(path__in=unit.ancestor_paths()).filter(authz.scope_q(request.user, Perm.VIEW_PROGRAM))
        if unit.parent_id
        else Unit.objects.none()
    )
    context = {
        "summary": summary,
        "unit": unit,
        "above": list(above.order_by("path")),
        "state": state,
        "states": State.choices,
        "page": page,
        "today": today,
        "can_plan": authz.can(request.user, Perm.EDIT_PROGRAM),
    }
    return render(request, "congresses/overview.html", context)


@login_required
def congress_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    form = PlanForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            congress = services.plan_congress(
                request.user,
                data["unit"],
                name=data["name"],
                term_name=data["term_name"],
                term_start=data["term_start"],
                term_end=data.get("term_end"),
                planned_on=data["planned_on"],
                place=data.get("place") or "",
            )
        except CongressError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The congress is planned with its usual preparation steps."))
            return redirect("congresses:detail", congress.pk)
    return render(request, "congresses/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def congress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk)
    today = timezone.localdate()
    steps = list(congress.steps.all())
    done = sum(1 for s in steps if s.done_on)
    edit = authz.can(request.user, Perm.EDIT_PROGRAM, congress.unit)
    context = {
        "congress": congress,
        "state": congress.state(today, steps_done=done),
        "steps": steps,
        "today": today,
        "committee": services.committee(congress),
        "targets": list(congress.targets.select_related("schedule")),
        "edit": edit,
        "step_form": StepForm() if edit else None,
        "elect_form": ElectForm(congress) if edit and congress.held_on else None,
        "resolution_form": ResolutionForm() if edit and not congress.resolution_id else None,
        "target_form": TargetForm(services.schedules_for(congress)) if edit else None,
    }
    return render(request, "congresses/detail.html", context)


@login_required
def congress_edit(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk)
    _editable(request, congress)
    form = CongressForm(request.POST or None, instance=Congress.objects.get(pk=congress.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        fields["place"] = fields["place"] or ""
        fields["note"] = fields["note"] or ""
        try:
            services.update_congress(request.user, congress, **fields)
        except CongressError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The congress is saved."))
            return redirect("congresses:detail", congress.pk)
    context = {"congress": congress, "form": form}
    return render(request, "congresses/edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk)
    _editable(request, congress)
    submit(
        request,
        StepForm(request.POST),
        _("The step is not added: %(errors)s"),
        lambda d: services.add_step(request.user, congress, d["kind"], d.get("title") or "", d.get("due_on")),
        errors=(CongressError,),
        done=_("The step is added."),
    )
    return redirect("congresses:detail", congress.pk)


@login_required
@require_POST
def step_record(request: HttpRequest, pk: int) -> HttpResponse:
    step = authz.get_for_user(
        Step.objects.select_related("congress__unit"), request.user, Perm.VIEW_PROGRAM, "congress__unit__path", pk=pk
    )
    _editable(request, step.congress)
    submit(
        request,
        StepDoneForm(request.POST),
        _("The step is not recorded: %(errors)s"),
        lambda d: services.record_step(request.user, step, d.get("done_on"), d.get("note") or ""),
        errors=(CongressError,),
        done=_("The step is recorded."),
    )
    return redirect("congresses:detail", step.congress_id)


@login_required
@require_POST
def elect(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk)
    _editable(request, congress)
    submit(
        request,
        ElectForm(congress, request.POST),
        _("The member is not recorded: %(errors)s"),
        lambda d: services.elect(
            request.user,
            congress,
            d["kind"],
            person=d.get("person"),
            full_name=d.get("full_name") or "",
            title=d.get("title") or "",
        ),
        errors=(CongressError,),
        done=_("The member of the new committee is recorded."),
    )
    return redirect("congresses:detail", congress.pk)


@login_required
def people(request: HttpRequest, pk: int) -> HttpResponse:
    """The people matching what the officer types in the committee form's search box (HTMX)."""
    congress = _congress(request, pk)
    _editable(request, congress)
    return options_response(
        request, services.candidates(congress).search(request.GET.get("person_q", "")), person_label
    )


@login_required
@require_POST
def resolution(request: HttpRequest, pk: int) -> HttpResponse:
    """The adopted resolution, read by the work-programme importer and linked to the congress."""
    congress = _congress(request, pk)
    _editable(request, congress)
    form = ResolutionForm(request.POST, request.FILES)
    if not form.is_valid():
        refused(request, _("The resolution is not imported: %(errors)s"), form)
        return redirect("congresses:detail", congress.pk)
    upload = form.cleaned_data["file"]
    try:
        program = services.import_resolution(request.user, congress, upload.read(), upload.name)
    except (CongressError, DocumentError) as exc:
        messages.error(request, str(exc))
        return redirect("congresses:detail", congress.pk)
    messages.success(request, _("The resolution is imported with %(n)d items.") % {"n": program.items.count()})
    return redirect("congresses:detail", congress.pk)


@login_required
@require_POST
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk)
    _editable(request, congress)

    def add(d: dict[str, Any]) -> object:
        return services.add_target(
            request.user,
            congress,
            d["text"],
            d["value"],
            d.get("measure") or "",
            d.get("schedule"),
            (d.get("indicator") or "").strip(),
        )

    submit(
        request,
        TargetForm(services.schedules_for(congress), request.POST),
        _("The target is not added: %(errors)s"),
        add,
        errors=(CongressError,),
        done=_("The target is added."),
    )
    return redirect("congresses:detail", congress.pk)


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = authz.get_for_user(
        Target.objects.select_related("congress__unit"), request.user, Perm.VIEW_PROGRAM, "congress__unit__path", pk=pk
    )
    _editable(request, target.congress)
    congress_id = target.congress_id
    services.delete_target(request.user, target)
    messages.success(request, _("The target is removed."))
    return redirect("congresses:detail", congress_id)


def _kind(request: HttpRequest) -> str:
    return ReviewKind.FINAL if request.GET.get("kind") == ReviewKind.FINAL else ReviewKind.MID


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The mid-term (sơ kết) or final (tổng kết) review: each target against its indicator."""
    congress = _congress(request, pk)
    result = services.review(congress, _kind(request), timezone.localdate())
    return render(request, "congresses/review.html", {"congress": congress, "review": result})


@login_required
def review_docx(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress(request, pk)
    result = services.review(congress, _kind(request), timezone.localdate())
    response = HttpResponse(report.review_docx(result), content_type=DOCX)
    name = "tong-ket" if result.kind == ReviewKind.FINAL else "so-ket"
    response["Content-Disposition"] = f'attachment; filename="{name}-{congress.pk}.docx"'
    return response
