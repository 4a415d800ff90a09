"""Pages of the movements: the list, the launch from a document, a movement with its content
areas, criteria and registrations. Thin: the scope comes from ``authz``, the work from
``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.views import refused
from doanket.core.widgets import options_response
from doanket.documents.export import DOCX
from doanket.emulation import awards, evaluation, exemplars, services
from doanket.emulation.forms import (
    AdoptionForm,
    CriterionForm,
    DecisionForm,
    ExemplarForm,
    LaunchForm,
    NominationForm,
    NominationReviewForm,
    RegistrationForm,
    ReviewForm,
    UnitPointsForm,
    UpwardForm,
    offered_people,
    offered_units,
)
from doanket.emulation.models import (
    AwardDecision,
    Exemplar,
    Movement,
    Nomination,
    NominationStatus,
    Registration,
    Review,
)
from doanket.emulation.services import EmulationError
from doanket.organizations.forms import person_label
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
        "reviews": list(movement.reviews.all()),
        "review_form": ReviewForm(initial={"period_from": movement.starts_on, "period_to": movement.ends_on})
        if edit
        else None,
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
        refused(request, _("The criterion is not added: %(errors)s"), form)
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
        refused(request, _("The registration is not recorded: %(errors)s"), form)
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


# --- Reviews and the ranking --------------------------------------------------------------


def _review(request: HttpRequest, pk: int) -> Review:
    return authz.get_for_user(
        Review.objects.select_related("movement__unit"),
        request.user,
        Perm.VIEW_PROGRAM,
        "movement__unit__path",
        upward=True,
        pk=pk,
    )


@login_required
@require_POST
def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _movement(request, pk)
    if not authz.can(request.user, Perm.EDIT_PROGRAM, movement.unit):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        refused(request, _("The review is not opened: %(errors)s"), form)
        return redirect("emulation:movement", movement.pk)
    try:
        review = evaluation.open_review(request.user, movement, **form.cleaned_data)
    except EmulationError as exc:
        messages.error(request, str(exc))
        return redirect("emulation:movement", movement.pk)
    messages.success(request, _("The review is open; the points the data gives are being computed."))
    return redirect("emulation:review", review.pk)


@login_required
@require_POST
def review_compute(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if not authz.can(request.user, Perm.EDIT_PROGRAM, review.movement.unit):
        raise PermissionDenied
    evaluation.request_compute(request.user, review)
    messages.success(request, _("The points are being computed again from the reports and tasks."))
    return redirect("emulation:review", review.pk)


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking: every unit's total for the launching unit; a unit below sees its own lines."""
    review = _review(request, pk)
    movement = review.movement
    ranked = evaluation.ranking(review) if review.computed_at else []
    launcher = authz.can(request.user, Perm.VIEW_PROGRAM, movement.unit)
    if not launcher:
        own = set(
            services.participants(movement)
            .filter(authz.scope_q(request.user, Perm.VIEW_PROGRAM, "path"))
            .values_list("pk", flat=True)
        )
        ranked = [r for r in ranked if r.unit_id in own]
    page = Paginator(ranked, PAGE).get_page(request.GET.get("page"))
    names = dict(Unit.objects.filter(pk__in=[r.unit_id for r in page]).values_list("pk", "name"))
    context = {
        "review": review,
        "movement": movement,
        "page": page,
        "rows": [(r, names.get(r.unit_id, "")) for r in page],
        "launcher": launcher,
        "edit": authz.can(request.user, Perm.EDIT_PROGRAM, movement.unit),
        "units": len(ranked),
    }
    return render(request, "emulation/review.html", context)


@login_required
def review_unit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """One unit's points on every criterion, and why: the figure and what it was measured
    against, the unit's own assessment, the scorer's points and reason."""
    review = _review(request, pk)
    movement = review.movement
    launcher = authz.can(request.user, Perm.VIEW_PROGRAM, movement.unit)
    units = services.participants(movement)
    if not launcher:
        units = units.filter(authz.scope_q(request.user, Perm.VIEW_PROGRAM, "path"))
    unit = get_object_or_404(units, pk=unit_pk)
    scores = {s.criterion_id: s for s in review.scores.filter(unit=unit)}
    criteria = list(movement.criteria.all())
    ranked = evaluation.rank_of(review, unit.pk)
    can_score = authz.can(request.user, Perm.EDIT_PROGRAM, movement.unit)
    can_assess = authz.can(request.user, Perm.EDIT_PROGRAM, unit)
    here = Unit.objects.filter(pk=unit.pk)
    context = {
        "review": review,
        "movement": movement,
        "unit": unit,
        "lines": [(c, scores.get(c.pk)) for c in criteria],
        "ranked": ranked,
        "score_form": UnitPointsForm(movement, here, initial={"unit": unit.pk}) if can_score else None,
        "self_form": UnitPointsForm(movement, here, initial={"unit": unit.pk}) if can_assess else None,
    }
    return render(request, "emulation/review_unit.html", context)


def _points(request: HttpRequest, pk: int, own: bool) -> HttpResponse:
    review = _review(request, pk)
    movement = review.movement
    if own:  # the unit assesses itself: a participating unit the user edits
        units = services.participants(movement).filter(authz.scope_q(request.user, Perm.EDIT_PROGRAM, "path"))
        if not authz.can(request.user, Perm.EDIT_PROGRAM):
            raise PermissionDenied
    else:  # the launching unit scores
        if not authz.can(request.user, Perm.EDIT_PROGRAM, movement.unit):
            raise PermissionDenied
        units = services.participants(movement)
    form = UnitPointsForm(movement, units, request.POST)
    if not form.is_valid():
        if "unit" in form.errors and request.POST.get("unit"):
            raise PermissionDenied
        refused(request, _("The points are not recorded: %(errors)s"), form)
        return redirect("emulation:review", review.pk)
    data = form.cleaned_data
    act = evaluation.self_assess if own else evaluation.score
    try:
        act(request.user, review, data["unit"], data["criterion"], data["points"], data["reason"])
    except EmulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The points are recorded."))
    return redirect("emulation:review_unit", review.pk, data["unit"].pk)


@login_required
@require_POST
def review_score(request: HttpRequest, pk: int) -> HttpResponse:
    return _points(request, pk, own=False)


@login_required
@require_POST
def review_self(request: HttpRequest, pk: int) -> HttpResponse:
    return _points(request, pk, own=True)


# --- Awards --------------------------------------------------------------------------------------


def _awards_q(request: HttpRequest) -> Q:
    """Nominations the user's units proposed or decide."""
    return authz.scope_q(request.user, Perm.VIEW_PROGRAM, "proposed_by__path") | authz.scope_q(
        request.user, Perm.VIEW_PROGRAM, "decided_by__path"
    )


def _nomination(request: HttpRequest, pk: int) -> Nomination:
    related = ("proposed_by", "decided_by", "recipient_unit", "recipient_person", "decision", "movement")
    return get_object_or_404(Nomination.objects.filter(_awards_q(request)).select_related(*related), pk=pk)


@login_required
def award_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    rows = Nomination.objects.filter(_awards_q(request)).select_related(
        "recipient_unit", "recipient_person", "decided_by", "decision"
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    can_edit = authz.can(request.user, Perm.EDIT_PROGRAM)
    decide = DecisionForm(request.user) if can_edit else None
    context = {
        "page": page,
        "can_nominate": can_edit,
        "decide_form": decide if decide and decide.fields["nominations"].queryset.exists() else None,  # type: ignore[attr-defined]
        "decisions": AwardDecision.objects.filter(authz.scope_q(request.user, Perm.VIEW_PROGRAM, "unit__path"))[:20],
    }
    return render(request, "emulation/awards.html", context)


@login_required
def award_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    form = NominationForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = awards.nominate(request.user, **form.cleaned_data)
        except EmulationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The nomination is sent to %(unit)s.") % {"unit": made.decided_by.name})
            return redirect("emulation:award", made.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "emulation/award_new.html", {"form": form}, status=status)


@login_required
def award_people(request: HttpRequest) -> HttpResponse:
    """The people matching what the officer types in the nomination form (HTMX)."""
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    return options_response(
        request, offered_people(request.user, request.GET.get("recipient_person_q", "")), person_label
    )


@login_required
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    can_review = nomination.status == NominationStatus.PROPOSED and authz.can(
        request.user, Perm.EDIT_PROGRAM, nomination.decided_by
    )
    context = {
        "nomination": nomination,
        "history": list(awards.history(nomination)[:20]),
        "review_form": NominationReviewForm() if can_review else None,
    }
    return render(request, "emulation/award.html", context)


@login_required
@require_POST
def award_review(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination(request, pk)
    if not authz.can(request.user, Perm.EDIT_PROGRAM, nomination.decided_by):
        raise PermissionDenied
    form = NominationReviewForm(request.POST)
    if not form.is_valid():
        refused(request, _("The review is not recorded: %(errors)s"), form)
        return redirect("emulation:award", nomination.pk)
    try:
        awards.review(
            request.user, nomination, accept=form.cleaned_data["accept"], comment=form.cleaned_data["comment"]
        )
    except EmulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The review is recorded."))
    return redirect("emulation:award", nomination.pk)


@login_required
@require_POST
def award_decide(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    form = DecisionForm(request.user, request.POST)
    if not form.is_valid():
        refused(request, _("The decision is not recorded: %(errors)s"), form)
        return redirect("emulation:awards")
    data = form.cleaned_data
    try:
        decision = awards.decide(
            request.user,
            data["unit"],
            list(data["nominations"]),
            number=data["number"],
            decided_on=data["decided_on"],
            signer=data["signer"],
            signer_title=data["signer_title"],
            public=data["public"],
        )
    except EmulationError as exc:
        messages.error(request, str(exc))
        return redirect("emulation:awards")
    messages.success(request, _("The decision is recorded; download it in the official layout."))
    return redirect("emulation:decision", decision.pk)


def _decision(request: HttpRequest, pk: int) -> AwardDecision:
    """A decision of the user's units, or one awarding what the user's units proposed."""
    proposed = Nomination.objects.filter(authz.scope_q(request.user, Perm.VIEW_PROGRAM, "proposed_by__path"))
    own = authz.scope_q(request.user, Perm.VIEW_PROGRAM, "unit__path")
    # An empty Q is "everything" (a system administrator); OR-ed with another it would vanish.
    visible = own | Q(pk__in=proposed.values("decision_id")) if own else Q()
    return get_object_or_404(AwardDecision.objects.select_related("unit").filter(visible), pk=pk)


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    awarded = decision.nominations.select_related("recipient_unit", "recipient_person", "proposed_by")
    return render(request, "emulation/decision.html", {"decision": decision, "awarded": awarded})


@login_required
def decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    response = HttpResponse(awards.decision_docx(decision), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="quyet-dinh-khen-thuong-{decision.pk}.docx"'
    return response


# --- Exemplary models ------------------------------------------------------------------------


def _exemplar(request: HttpRequest, pk: int) -> Exemplar:
    visible = Exemplar.objects.filter(exemplars.visible_q(request.user))
    return get_object_or_404(visible.select_related("unit", "nominated_to", "movement"), pk=pk)


@login_required
def exemplar_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    rows = (
        Exemplar.objects.filter(exemplars.visible_q(request.user))
        .select_related("unit")
        .annotate(adopters=Count("adoptions"))
        .order_by("-created_at", "-pk")  # a grouped query ignores the model's ordering
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "can_record": authz.can(request.user, Perm.EDIT_PROGRAM)}
    return render(request, "emulation/exemplars.html", context)


@login_required
def exemplar_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    form = ExemplarForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = exemplars.record(request.user, data.pop("unit"), **data)
        except EmulationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The model is recorded."))
            return redirect("emulation:exemplar", made.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "emulation/exemplar_new.html", {"form": form}, status=status)


def _adoptable(request: HttpRequest, exemplar: Exemplar) -> QuerySet[Unit]:
    return offered_units(request.user).exclude(pk=exemplar.unit_id)


@login_required
def exemplar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = _exemplar(request, pk)
    owner = authz.can(request.user, Perm.VIEW_PROGRAM, exemplar.unit)
    adoptions = exemplar.adoptions.select_related("unit")
    if not owner:  # an adopter sees its own adoptions, not the other units'
        adoptions = adoptions.filter(authz.scope_q(request.user, Perm.VIEW_PROGRAM, "unit__path"))
    adoptable = _adoptable(request, exemplar)
    edit = authz.can(request.user, Perm.EDIT_PROGRAM, exemplar.unit)
    context = {
        "exemplar": exemplar,
        "adoptions": adoptions,
        "adopt_form": AdoptionForm(adoptable) if adoptable.exists() else None,
        "upward_form": UpwardForm(exemplar) if edit and exemplar.unit.parent_id else None,
    }
    return render(request, "emulation/exemplar.html", context)


@login_required
@require_POST
def exemplar_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    exemplar = _exemplar(request, pk)
    form = AdoptionForm(_adoptable(request, exemplar), request.POST)
    if not form.is_valid():
        if "unit" in form.errors and request.POST.get("unit"):
            raise PermissionDenied
        refused(request, _("The adoption is not recorded: %(errors)s"), form)
        return redirect("emulation:exemplar", exemplar.pk)
    data = form.cleaned_data
    try:
        exemplars.adopt(request.user, exemplar, data["unit"], data["adopted_on"], data["results"])
    except EmulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(unit)s replicates the model.") % {"unit": data["unit"].name})
    return redirect("emulation:exemplar", exemplar.pk)


@login_required
@require_POST
def exemplar_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = _exemplar(request, pk)
    if not authz.can(request.user, Perm.EDIT_PROGRAM, exemplar.unit):
        raise PermissionDenied
    form = UpwardForm(exemplar, request.POST)
    if not form.is_valid():
        refused(request, _("The model is not nominated: %(errors)s"), form)
        return redirect("emulation:exemplar", exemplar.pk)
    try:
        exemplars.nominate_upward(request.user, exemplar, form.cleaned_data["to"])
    except EmulationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The model is nominated to %(unit)s.") % {"unit": form.cleaned_data["to"].name})
    return redirect("emulation:exemplar", exemplar.pk)


@login_required
def exemplar_evidence(request: HttpRequest, pk: int) -> FileResponse:
    exemplar = _exemplar(request, pk)
    if not exemplar.evidence:
        raise Http404
    return FileResponse(
        exemplar.evidence.open("rb"),
        as_attachment=True,
        filename=exemplar.evidence_name,
        content_type=exemplar.evidence_type,
    )
