"""Pages of supervision. Thin: every read goes through ``authz`` (the plan's or the board's unit
in the user's scope, 404 otherwise), every write through ``services``."""

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
from doanket.core.views import refused, submit
from doanket.documents.export import DOCX
from doanket.organizations.models import Unit, UnitKind
from doanket.supervision import report, services
from doanket.supervision.forms import (
    AnswerForm,
    ChaseForm,
    InspectionForm,
    OpinionForm,
    PersonForm,
    PlanForm,
    ProgressForm,
    ProjectForm,
    ProjectUpdateForm,
    RecommendationForm,
    StateFilter,
    SupervisionForm,
)
from doanket.supervision.models import BOARD_KINDS, Project, Recommendation, Supervision, SupervisionPlan
from doanket.supervision.services import SupervisionError

PAGE = 50


def _plan(request: HttpRequest, pk: int) -> SupervisionPlan:
    return authz.get_for_user(
        SupervisionPlan.objects.select_related("unit"), request.user, Perm.VIEW_PROGRAM, "unit__path", pk=pk
    )


def _supervision(request: HttpRequest, pk: int) -> Supervision:
    return authz.get_for_user(
        Supervision.objects.select_related("plan__unit"), request.user, Perm.VIEW_PROGRAM, "plan__unit__path", pk=pk
    )


def _recommendation(request: HttpRequest, pk: int) -> Recommendation:
    return authz.get_for_user(
        services.readable_recommendations(request.user).select_related("supervision__plan__unit"),
        request.user,
        Perm.VIEW_PROGRAM,
        "supervision__plan__unit__path",
        pk=pk,
    )


def _board(request: HttpRequest, pk: int) -> Unit:
    """A People's Inspection Board or Community Investment Supervision Board in the user's scope."""
    return authz.get_for_user(
        Unit.objects.filter(kind__in=BOARD_KINDS).select_related("parent"),
        request.user,
        Perm.VIEW_PROGRAM,
        "path",
        pk=pk,
    )


def _edits(request: HttpRequest, unit: Any) -> None:
    if not authz.can(request.user, Perm.EDIT_PROGRAM, unit):
        raise PermissionDenied


# --- Plans ----------------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    plans = SupervisionPlan.objects.filter(authz.scope_q(request.user, Perm.VIEW_PROGRAM, "unit__path")).select_related(
        "unit"
    )
    page = Paginator(plans, PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    mine = services.Recommendation.objects.filter(
        authz.scope_q(request.user, Perm.VIEW_PROGRAM, "supervision__plan__unit__path")
    )
    context = {
        "page": page,
        "tally": services.tally(mine, today),
        "form": PlanForm(request.user) if authz.can(request.user, Perm.EDIT_PROGRAM) else None,
    }
    return render(request, "supervision/list.html", context)


@login_required
@require_POST
def plan_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    form = PlanForm(request.user, request.POST, request.FILES)
    if not form.is_valid():
        refused(request, _("The plan is not created: %(errors)s"), form)
        return redirect("supervision:list")
    data = form.cleaned_data
    upload = data.get("file")
    try:
        document = services.read_plan(upload.read(), upload.name) if upload is not None else None
        plan = services.create_plan(
            request.user,
            data["unit"],
            year=data["year"],
            title=data.get("title") or "",
            document=document,
            source_name=upload.name if upload is not None else "",
        )
    except SupervisionError as exc:
        messages.error(request, str(exc))
        return redirect("supervision:list")
    count = plan.supervisions.count()
    messages.success(request, _("The plan is created with %(count)s supervisions.") % {"count": count})
    return redirect("supervision:plan", plan.pk)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    supervisions = list(plan.supervisions.all())
    today = timezone.localdate()
    counts = services.tally_by_supervision(supervisions, today)
    edit = authz.can(request.user, Perm.EDIT_PROGRAM, plan.unit)
    context = {
        "plan": plan,
        "rows": [(s, counts.get(s.pk, {})) for s in supervisions],
        "tally": services.tally(services.Recommendation.objects.filter(supervision__plan=plan), today),
        "form": SupervisionForm(plan) if edit else None,
        "edit": edit,
    }
    return render(request, "supervision/plan.html", context)


@login_required
def plan_report(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    response = HttpResponse(report.report_docx(plan), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-giam-sat-{plan.year}.docx"'
    return response


@login_required
@require_POST
def supervision_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _edits(request, plan.unit)
    form = SupervisionForm(plan, request.POST)
    if not form.is_valid():
        refused(request, _("The supervision is not added: %(errors)s"), form)
        return redirect("supervision:plan", plan.pk)
    try:
        made = services.add_supervision(request.user, plan, **form.cleaned_data)
    except SupervisionError as exc:
        messages.error(request, str(exc))
        return redirect("supervision:plan", plan.pk)
    messages.success(request, _("The supervision is added to the plan."))
    return redirect("supervision:supervision", made.pk)


# --- A supervision --------------------------------------------------------------------------------


@login_required
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = _supervision(request, pk)
    edit = authz.can(request.user, Perm.EDIT_PROGRAM, supervision.plan.unit)
    protected = services.read_sensitive(request.user, supervision, "supervision page")
    recommendations = list(supervision.recommendations.prefetch_related("reminders")) if protected else []
    initial = {
        "progress": supervision.progress,
        "subject": supervision.subject,
        "team": supervision.team,
        "starts_on": supervision.starts_on,
        "ends_on": supervision.ends_on,
        "findings": supervision.findings,
    }
    context: dict[str, Any] = {
        "supervision": supervision,
        "plan": supervision.plan,
        "protected": protected,
        # Each recommendation its own answer form, its fields' ids prefixed by the recommendation:
        # one form rendered N times would repeat the ids its labels point to.
        "recommendations": [
            (r, AnswerForm(initial={"answered_on": timezone.localdate()}, auto_id=f"id_r{r.pk}_%s") if edit else None)
            for r in recommendations
        ],
        "edit": edit,
        "progress_form": ProgressForm(initial=initial, findings=protected) if edit else None,
        "recommendation_form": RecommendationForm() if edit else None,
        "chase_form": ChaseForm() if edit else None,
    }
    if supervision.sensitive and protected:
        context["persons"] = list(supervision.persons.prefetch_related("opinions"))
        context["person_form"] = PersonForm() if edit else None
        context["opinion_form"] = OpinionForm(supervision) if edit else None
        context["assigned"] = list(supervision.assigned.order_by("full_name"))
    return render(request, "supervision/supervision.html", context)


@login_required
@require_POST
def supervision_update(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = _supervision(request, pk)
    _edits(request, supervision.plan.unit)
    protected = services.can_read_sensitive(request.user, supervision)
    submit(
        request,
        ProgressForm(request.POST, findings=protected),
        _("The supervision is not changed: %(errors)s"),
        lambda data: services.update_supervision(request.user, supervision, **data),
        errors=(SupervisionError,),
        done=_("The supervision is recorded."),
    )
    return redirect("supervision:supervision", supervision.pk)


@login_required
@require_POST
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = _supervision(request, pk)
    _edits(request, supervision.plan.unit)
    if not services.can_read_sensitive(request.user, supervision):
        raise PermissionDenied
    submit(
        request,
        PersonForm(request.POST),
        _("The person is not recorded: %(errors)s"),
        lambda data: services.add_person(request.user, supervision, **data),
        errors=(SupervisionError,),
    )
    return redirect("supervision:supervision", supervision.pk)


@login_required
@require_POST
def opinion_add(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = _supervision(request, pk)
    _edits(request, supervision.plan.unit)
    if not services.can_read_sensitive(request.user, supervision):
        raise PermissionDenied
    submit(
        request,
        OpinionForm(supervision, request.POST),
        _("The opinion is not recorded: %(errors)s"),
        lambda data: services.add_opinion(request.user, data["person"], source=data["source"], text=data["text"]),
        errors=(SupervisionError,),
    )
    return redirect("supervision:supervision", supervision.pk)


# --- Recommendations ------------------------------------------------------------------------------


@login_required
@require_POST
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    supervision = _supervision(request, pk)
    _edits(request, supervision.plan.unit)
    submit(
        request,
        RecommendationForm(request.POST),
        _("The recommendation is not recorded: %(errors)s"),
        lambda data: services.recommend(request.user, supervision, **data),
        errors=(SupervisionError,),
        done=_("The recommendation is recorded; it will be chased until it is answered."),
    )
    return redirect("supervision:supervision", supervision.pk)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    _edits(request, recommendation.supervision.plan.unit)
    submit(
        request,
        AnswerForm(request.POST),
        _("The answer is not recorded: %(errors)s"),
        lambda data: services.record_answer(request.user, recommendation, **data),
        errors=(SupervisionError,),
        done=_("The answer is recorded."),
    )
    return redirect("supervision:supervision", recommendation.supervision_id)


@login_required
@require_POST
def chase(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    _edits(request, recommendation.supervision.plan.unit)
    form = ChaseForm(request.POST)
    sent = services.chase(request.user, recommendation, message=form.data.get("message", "") if form.is_valid() else "")
    if sent is None:
        messages.info(request, _("An answered recommendation is not chased."))
    else:
        messages.success(request, _("The reminder is sent."))
    return redirect("supervision:supervision", recommendation.supervision_id)


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    """Every recommendation of the user's units, by status: what is overdue is chased from here."""
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    today = timezone.localdate()
    rows = services.readable_recommendations(request.user).select_related("supervision__plan__unit")
    chosen = StateFilter(request.GET)
    state = chosen.cleaned_data.get("state") if chosen.is_valid() else ""
    if state:
        rows = rows.filter(services.state_q(state, today))
    page = Paginator(rows.order_by("due_on", "pk"), PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "filter": chosen, "state": state, "today": today}
    return render(request, "supervision/recommendations.html", context)


# --- The commune's boards -------------------------------------------------------------------------


@login_required
def board_list(request: HttpRequest) -> HttpResponse:
    """The People's Inspection Boards and Community Investment Supervision Boards of the user's
    communes (units of the organisation tree: created and staffed on the Organisation pages)."""
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    boards = Unit.objects.filter(
        authz.scope_q(request.user, Perm.VIEW_PROGRAM, "path"), kind__in=BOARD_KINDS
    ).select_related("parent")
    page = Paginator(boards.order_by("path"), PAGE).get_page(request.GET.get("page"))
    return render(request, "supervision/boards.html", {"page": page})


@login_required
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    edit = authz.can(request.user, Perm.EDIT_PROGRAM, board)
    inspections = board.kind == UnitKind.PEOPLES_INSPECTION_BOARD
    context = {
        "board": board,
        "inspections": list(board.inspections.all()[:100]) if inspections else [],
        "projects": [] if inspections else list(board.watched_projects.all()),
        "members": list(board.people.values_list("full_name", flat=True)[:50])
        if authz.can(request.user, Perm.VIEW_PEOPLE, board)
        else [],
        "edit": edit,
        "inspection_form": InspectionForm() if edit and inspections else None,
        "project_form": ProjectForm() if edit and not inspections else None,
    }
    return render(request, "supervision/board.html", context)


@login_required
@require_POST
def inspection_add(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    _edits(request, board)
    submit(
        request,
        InspectionForm(request.POST),
        _("The inspection is not recorded: %(errors)s"),
        lambda data: services.add_inspection(request.user, board, **data),
        errors=(SupervisionError,),
    )
    return redirect("supervision:board", board.pk)


@login_required
@require_POST
def project_add(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    _edits(request, board)
    submit(
        request,
        ProjectForm(request.POST),
        _("The project is not recorded: %(errors)s"),
        lambda data: services.add_project(request.user, board, **data),
        errors=(SupervisionError,),
    )
    return redirect("supervision:board", board.pk)


@login_required
@require_POST
def project_update(request: HttpRequest, pk: int) -> HttpResponse:
    project = authz.get_for_user(
        Project.objects.select_related("board"), request.user, Perm.VIEW_PROGRAM, "board__path", pk=pk
    )
    _edits(request, project.board)
    submit(
        request,
        ProjectUpdateForm(request.POST),
        _("The project is not changed: %(errors)s"),
        lambda data: services.update_project(request.user, project, **data),
        errors=(SupervisionError,),
    )
    return redirect("supervision:board", project.board_id)
