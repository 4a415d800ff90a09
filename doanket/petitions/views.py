"""Staff pages of petitions. Records come through ``authz``; the logic is in services.

Who may do what: anyone reading petitions (VIEW_PETITION) sees those of the committees in their
scope, never a sender's identity in a list; officers (HANDLE_PETITION) enter, classify, assign,
forward, pass, answer and publish; the sender's identity follows ``services.may_see_identity``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanket.accounts import authz
from doanket.accounts.authz import ROLE_PERMISSIONS, Perm
from doanket.accounts.models import RoleGrant
from doanket.core.paging import paged_ids
from doanket.core.text import fold
from doanket.documents.export import DOCX, XLSX
from doanket.organizations.models import Unit
from doanket.petitions import search, services, synthesis
from doanket.petitions.forms import (
    AgencyForm,
    AnswerForm,
    AssignForm,
    ClassifyForm,
    ForwardForm,
    MeetingForm,
    MergeForm,
    OpinionsForm,
    PassForm,
    PublishForm,
    ReceptionForm,
    StaffEntryForm,
    SynthesisForm,
)
from doanket.petitions.models import (
    OPEN_STATUSES,
    Agency,
    Attachment,
    Kind,
    Petition,
    Reception,
    Status,
    Synthesis,
    Theme,
    Topic,
    VoterMeeting,
)
from doanket.petitions.services import PetitionError
from doanket.petitions.synthesis import SynthesisError

PAGE = 50


def _petition(request: HttpRequest, pk: int) -> Petition:
    return authz.get_for_user(
        Petition.objects.select_related("unit", "place", "topic", "agency", "assigned_to", "duplicate_of"),
        request.user,
        Perm.VIEW_PETITION,
        "unit__path",
        pk=pk,
    )


def _handled(request: HttpRequest, pk: int) -> Petition:
    petition = _petition(request, pk)
    if not services.can_handle(request.user, petition):
        raise PermissionDenied
    return petition


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The petitions of the committees in the user's scope: open ones first, overdue marked."""
    if not authz.can(request.user, Perm.VIEW_PETITION):
        raise PermissionDenied
    rows: QuerySet[Petition] = authz.scoped(Petition.objects.all(), request.user, Perm.VIEW_PETITION, "unit__path")
    status = request.GET.get("status", "open")
    if status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status == "overdue":
        rows = rows.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
    elif status in Status.values:
        rows = rows.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    topic = request.GET.get("topic", "")
    if topic.isdigit():
        rows = rows.filter(topic_id=int(topic))
    rows = search.matching(rows, request.GET.get("q", ""))
    # The page's ids first, from the index alone (petition_inbox), then those 50 rows: sorting
    # whole rows of a million-row table is what made the page slow (core/paging.py).
    ordered = rows.order_by("due_date", "-received_at", "pk")
    shown = Petition.objects.select_related("unit", "place", "topic")
    page = paged_ids(ordered, shown, PAGE, request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": [("open", _("Open")), ("overdue", _("Overdue")), *Status.choices, ("all", _("All"))],
        "kinds": Kind.choices,
        "topics": Topic.objects.all(),
        "today": timezone.localdate(),
        "can_enter": authz.can(request.user, Perm.HANDLE_PETITION),
    }
    return render(request, "petitions/inbox.html", context)


@login_required
def petition_new(request: HttpRequest) -> HttpResponse:
    """Staff entry of a petition that arrived by letter, phone, e-mail, social media or in person."""
    if not authz.can(request.user, Perm.HANDLE_PETITION):
        raise PermissionDenied
    form = StaffEntryForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit: Unit = data["unit"]
        day, now = data["received_on"], timezone.localtime()
        received = now.replace(year=day.year, month=day.month, day=day.day)
        try:
            petition = services.receive(
                request.user,
                place=unit,
                level=unit.level,
                unit=unit,
                channel=data["channel"],
                kind=data["kind"],
                topic=data["topic"],
                urgency=data["urgency"],
                title=data["title"],
                content=data["content"],
                received_at=received,
                sender=form.sender(),
                files=data["attachments"],
            )
        except PetitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded as %(code)s.") % {"code": petition.code})
            return redirect("petitions:detail", petition.pk)
    return render(request, "petitions/new.html", {"form": form})


def _officers(petition: Petition) -> Any:
    """The accounts that may handle the petitions of its committee: a role carrying
    ``handle_petition`` on it or above it (a system administrator with any role there too)."""
    handling = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.HANDLE_PETITION in perms]
    grants = RoleGrant.objects.filter(unit__path__in=petition.unit.lineage_paths())
    ids = grants.filter(Q(role__in=handling) | Q(user__is_superuser=True)).values_list("user_id", flat=True)
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


def _agencies(petition: Petition) -> QuerySet[Agency]:
    """The agencies registered by the committee or by the committees above it."""
    return Agency.objects.filter(unit__path__in=petition.unit.lineage_paths(), active=True).order_by("name")


@login_required
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _petition(request, pk)
    handle = services.can_handle(request.user, petition) and petition.is_open
    identity = None
    if not petition.protected and services.may_see_identity(request.user, petition):
        identity = services.identity(request.user, petition, "detail")
    context: dict[str, Any] = {
        "petition": petition,
        "events": petition.events.select_related("actor", "from_unit", "to_unit", "agency"),
        "attachments": _attachments(request.user, petition),
        "duplicates": petition.duplicates.all(),
        "identity": identity,
        "may_reveal": petition.protected and services.may_see_identity(request.user, petition),
        "handle": handle,
        "can_publish": services.can_handle(request.user, petition) and petition.status == Status.ANSWERED,
        "today": timezone.localdate(),
    }
    if handle:
        context |= {
            "classify": ClassifyForm(
                initial={"kind": petition.kind, "topic": petition.topic_id, "urgency": petition.urgency}
            ),
            "assign": AssignForm(_officers(petition), initial={"officer": petition.assigned_to_id}),
            "merge": MergeForm(),
            "forward": ForwardForm(_agencies(petition)),
            "pass_form": PassForm(services.targets(petition)),
            "answer": AnswerForm(initial={"answered_by": petition.agency.name if petition.agency else ""}),
        }
    if context["can_publish"]:
        context["publish"] = PublishForm(
            initial={
                "title": petition.public_title or services.anonymised(petition, petition.title),
                "question": petition.public_question or services.anonymised(petition),
                "answer": petition.public_answer or petition.answer,
            }
        )
    return render(request, "petitions/detail.html", context)


@login_required
@require_POST
def petition_identity(request: HttpRequest, pk: int) -> HttpResponse:
    """The protected sender's identity, for the assigned officer; each showing is logged."""
    petition = _petition(request, pk)
    identity = services.identity(request.user, petition, request.POST.get("purpose", "")[:100] or "handling")
    return render(request, "petitions/_identity.html", {"identity": identity, "petition": petition})


def _act(request: HttpRequest, pk: int, step: Any) -> HttpResponse:
    """Run one handling step from a POSTed form; its message, good or bad, on the petition's page."""
    petition = _handled(request, pk)
    try:
        done = step(petition)
    except PetitionError as exc:
        messages.error(request, str(exc))
    else:
        if done:
            messages.success(request, done)
    return redirect("petitions:detail", petition.pk)


def _invalid(form: Any) -> PetitionError:
    errors = "; ".join(
        f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}" for k, v in form.errors.items()
    )
    return PetitionError(errors)


@login_required
@require_POST
def petition_classify(request: HttpRequest, pk: int) -> HttpResponse:
    def step(petition: Petition) -> str:
        form = ClassifyForm(request.POST)
        if not form.is_valid():
            raise _invalid(form)
        d = form.cleaned_data
        services.classify(
            request.user, petition, kind=d["kind"], topic=d["topic"], urgency=d["urgency"], note=d["note"]
        )
        return _("Classified.")

    return _act(request, pk, step)


@login_required
@require_POST
def petition_assign(request: HttpRequest, pk: int) -> HttpResponse:
    def step(petition: Petition) -> str:
        form = AssignForm(_officers(petition), request.POST)
        if not form.is_valid():
            raise _invalid(form)
        services.assign(request.user, petition, form.cleaned_data["officer"])
        return _("Assigned.")

    return _act(request, pk, step)


@login_required
@require_POST
def petition_merge(request: HttpRequest, pk: int) -> HttpResponse:
    def step(petition: Petition) -> str:
        form = MergeForm(request.POST)
        if not form.is_valid():
            raise _invalid(form)
        code = services.normalise_code(form.cleaned_data["code"])
        scoped = authz.scoped(Petition.objects.all(), request.user, Perm.HANDLE_PETITION, "unit__path")
        into = scoped.filter(code=code).first() if code else None
        if into is None:
            raise PetitionError(_("No petition with that code among those you handle."))
        services.merge(request.user, petition, into)
        return _("Merged into %(code)s.") % {"code": into.code}

    return _act(request, pk, step)


@login_required
@require_POST
def petition_forward(request: HttpRequest, pk: int) -> HttpResponse:
    def step(petition: Petition) -> str:
        form = ForwardForm(_agencies(petition), request.POST)
        if not form.is_valid():
            raise _invalid(form)
        services.forward(request.user, petition, form.cleaned_data["agency"], form.cleaned_data["note"])
        return _("Forwarded.")

    return _act(request, pk, step)


@login_required
@require_POST
def petition_pass(request: HttpRequest, pk: int) -> HttpResponse:
    def step(petition: Petition) -> str:
        form = PassForm(services.targets(petition), request.POST)
        if not form.is_valid():
            raise _invalid(form)
        services.pass_to(request.user, petition, form.cleaned_data["unit"], form.cleaned_data["note"])
        return _("Passed to %(unit)s.") % {"unit": form.cleaned_data["unit"].name}

    return _act(request, pk, step)


@login_required
@require_POST
def petition_answer(request: HttpRequest, pk: int) -> HttpResponse:
    def step(petition: Petition) -> str:
        form = AnswerForm(request.POST, request.FILES)
        if not form.is_valid():
            raise _invalid(form)
        d = form.cleaned_data
        services.record_answer(request.user, petition, d["answer"], d["answered_by"], d["document"])
        return _("The answer is recorded.")

    return _act(request, pk, step)


@login_required
@require_POST
def petition_publish(request: HttpRequest, pk: int) -> HttpResponse:
    def step(petition: Petition) -> str:
        if request.POST.get("unpublish"):
            services.unpublish(request.user, petition)
            return _("No longer published.")
        form = PublishForm(request.POST)
        if not form.is_valid():
            raise _invalid(form)
        d = form.cleaned_data
        services.publish(request.user, petition, d["question"], d["answer"], d["title"])
        return _("Published on the portal.")

    return _act(request, pk, step)


def _attachments(user: Any, petition: Petition) -> QuerySet[Attachment]:
    """What a protected sender attached may name them (a signed letter, a photo): shown, like
    their identity, to the assigned officer alone; the answer documents to every reader."""
    rows = petition.attachments.all()
    if petition.protected and not services.may_see_identity(user, petition):
        rows = rows.filter(role=Attachment.Role.ANSWER)
    return rows


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    found = authz.get_for_user(
        Attachment.objects.select_related("petition__unit"),
        request.user,
        Perm.VIEW_PETITION,
        "petition__unit__path",
        pk=pk,
    )
    if not _attachments(request.user, found.petition).filter(pk=found.pk).exists():
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name, content_type=found.content_type)


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PETITION):
        raise PermissionDenied
    scope = authz.scope_q_with_ancestors(request.user, Perm.VIEW_PETITION, "unit__path")
    rows = Agency.objects.filter(scope).select_related("unit").order_by("unit__path", "name")
    q = fold(request.GET.get("q", ""))
    if q:
        rows = rows.filter(Q(name_key__contains=q))
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request, "petitions/agencies.html", {"page": page, "can_add": authz.can(request.user, Perm.HANDLE_PETITION)}
    )


@login_required
def agency_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.HANDLE_PETITION):
        raise PermissionDenied
    form = AgencyForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_agency(request.user, form.instance)
        messages.success(request, _("Agency added."))
        return redirect("petitions:agencies")
    return render(request, "petitions/agency_new.html", {"form": form})


def _meeting(request: HttpRequest, pk: int) -> VoterMeeting:
    return authz.get_for_user(
        VoterMeeting.objects.select_related("unit", "area"), request.user, Perm.VIEW_PETITION, "unit__path", pk=pk
    )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PETITION):
        raise PermissionDenied
    rows = authz.scoped(VoterMeeting.objects.all(), request.user, Perm.VIEW_PETITION, "unit__path")
    rows = rows.select_related("unit").annotate(opinion_count=Count("opinions")).order_by("-starts_at", "pk")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "can_add": authz.can(request.user, Perm.HANDLE_PETITION), "now": timezone.now()}
    return render(request, "petitions/meetings.html", context)


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.HANDLE_PETITION):
        raise PermissionDenied
    form = MeetingForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.plan_meeting(request.user, form.instance)
        messages.success(request, _("The meeting is planned."))
        return redirect("petitions:meeting", meeting.pk)
    return render(request, "petitions/meeting_new.html", {"form": form})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    handle = authz.can(request.user, Perm.HANDLE_PETITION, meeting.unit)
    form = OpinionsForm(request.POST or None) if handle else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                made = services.record_opinions(
                    request.user, meeting, form.cleaned_data["opinions"], form.cleaned_data["topic"]
                )
            except PetitionError as exc:
                form.add_error("opinions", str(exc))
            else:
                messages.success(request, _("%(n)s opinions recorded.") % {"n": len(made)})
                return redirect("petitions:meeting", meeting.pk)
    opinions = meeting.opinions.select_related("topic").order_by("pk")
    context = {"meeting": meeting, "opinions": opinions, "form": form, "today": timezone.localdate()}
    return render(request, "petitions/meeting.html", context)


# --- Synthesis ---------------------------------------------------------------------------------------

MEMBERS_PAGE = 100


def _synthesis(request: HttpRequest, pk: int) -> Synthesis:
    return authz.get_for_user(
        Synthesis.objects.select_related("unit", "meeting"), request.user, Perm.VIEW_PETITION, "unit__path", pk=pk
    )


def _theme(request: HttpRequest, pk: int) -> Theme:
    return authz.get_for_user(
        Theme.objects.select_related("synthesis__unit", "representative"),
        request.user,
        Perm.VIEW_PETITION,
        "synthesis__unit__path",
        pk=pk,
    )


def _may_edit(request: HttpRequest, item: Synthesis) -> bool:
    return authz.can(request.user, Perm.HANDLE_PETITION, item.unit)


@login_required
def synthesis_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PETITION):
        raise PermissionDenied
    rows = authz.scoped(Synthesis.objects.all(), request.user, Perm.VIEW_PETITION, "unit__path")
    rows = rows.select_related("unit").annotate(theme_count=Count("themes")).order_by("-created_at", "-pk")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "can_add": authz.can(request.user, Perm.HANDLE_PETITION)}
    return render(request, "petitions/syntheses.html", context)


@login_required
def synthesis_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.HANDLE_PETITION):
        raise PermissionDenied
    form = SynthesisForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = synthesis.start(
                request.user, data["unit"], data["title"], data["start"], data["end"], data["only_meetings"]
            )
        except SynthesisError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The opinions are being grouped; the themes appear here when ready."))
            return redirect("petitions:synthesis", made.pk)
    return render(request, "petitions/synthesis_new.html", {"form": form})


@login_required
@require_POST
def meeting_synthesise(request: HttpRequest, pk: int) -> HttpResponse:
    """Group the opinions raised at one voter meeting."""
    meeting = _meeting(request, pk)
    day = timezone.localdate(meeting.starts_at)
    title = _("Opinions of voters: %(meeting)s") % {"meeting": meeting.title}
    made = synthesis.start(request.user, meeting.unit, title[:300], day, timezone.localdate(), meeting=meeting)
    messages.success(request, _("The opinions are being grouped; the themes appear here when ready."))
    return redirect("petitions:synthesis", made.pk)


@login_required
def synthesis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _synthesis(request, pk)
    themes = synthesis.themes_of(item) if item.state == Synthesis.State.READY else []
    context = {"synthesis": item, "themes": themes, "can_edit": _may_edit(request, item)}
    return render(request, "petitions/synthesis.html", context)


def _edit(request: HttpRequest, item: Synthesis) -> None:
    if not _may_edit(request, item):
        raise PermissionDenied


@login_required
@require_POST
def synthesis_regroup(request: HttpRequest, pk: int) -> HttpResponse:
    item = _synthesis(request, pk)
    _edit(request, item)
    synthesis.regroup(request.user, item)
    messages.success(request, _("The opinions are being grouped again."))
    return redirect("petitions:synthesis", item.pk)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@login_required
@require_POST
def synthesis_merge(request: HttpRequest, pk: int) -> HttpResponse:
    item = _synthesis(request, pk)
    _edit(request, item)
    chosen = list(Theme.objects.filter(synthesis=item, pk__in=_ids(request.POST.getlist("themes"))))
    into = Theme.objects.filter(synthesis=item, pk__in=_ids([request.POST.get("into", "")])).first()
    try:
        if into is None:
            raise SynthesisError(_("Choose the theme the others join."))
        synthesis.merge(request.user, item, [*chosen, into], into)
    except SynthesisError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Themes merged into “%(theme)s”.") % {"theme": into.title})
    return redirect("petitions:synthesis", item.pk)


def _export(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    item = _synthesis(request, pk)
    if item.state != Synthesis.State.READY:
        raise Http404
    write, content_type = {"docx": (synthesis.report_docx, DOCX), "xlsx": (synthesis.report_xlsx, XLSX)}[extension]
    response = HttpResponse(write(item), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="tong-hop-y-kien-{item.pk}.{extension}"'
    return response


@login_required
def synthesis_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "docx")


@login_required
def synthesis_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")


@login_required
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(request, pk)
    item = theme.synthesis
    page = Paginator(synthesis.members_of(theme), MEMBERS_PAGE).get_page(request.GET.get("page"))
    others = Theme.objects.filter(synthesis=item).exclude(pk=theme.pk).order_by("position", "pk")
    context = {"theme": theme, "synthesis": item, "page": page, "others": others, "can_edit": _may_edit(request, item)}
    return render(request, "petitions/theme.html", context)


@login_required
@require_POST
def theme_rename(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(request, pk)
    _edit(request, theme.synthesis)
    try:
        synthesis.rename(request.user, theme, request.POST.get("title", ""))
    except SynthesisError as exc:
        messages.error(request, str(exc))
    return redirect("petitions:synthesis", theme.synthesis_id)


@login_required
@require_POST
def theme_move(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(request, pk)
    _edit(request, theme.synthesis)
    raw = request.POST.get("to", "")
    to = {"up": theme.position - 1, "down": theme.position + 1}.get(raw) or (int(raw) if raw.isdigit() else 0)
    if to < 1:
        messages.error(request, _("Give the place of the theme in the report, from 1."))
    else:
        try:
            synthesis.move(request.user, theme, to)
        except SynthesisError as exc:
            messages.error(request, str(exc))
    return redirect("petitions:synthesis", theme.synthesis_id)


@login_required
@require_POST
def theme_split(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(request, pk)
    _edit(request, theme.synthesis)
    target = Theme.objects.filter(synthesis=theme.synthesis, pk__in=_ids([request.POST.get("to", "")])).first()
    try:
        made = synthesis.split(
            request.user, theme, _ids(request.POST.getlist("opinions")), request.POST.get("title", ""), target
        )
    except SynthesisError as exc:
        messages.error(request, str(exc))
        return redirect("petitions:theme", theme.pk)
    messages.success(request, _("Opinions moved to “%(theme)s”.") % {"theme": made.title})
    return redirect("petitions:theme", theme.pk)


# --- Citizen reception --------------------------------------------------------------------------------


@login_required
def reception_list(request: HttpRequest) -> HttpResponse:
    """The reception log: who was received, when, about what. Names only for those who may see them."""
    if not authz.can(request.user, Perm.VIEW_PETITION):
        raise PermissionDenied
    rows = authz.scoped(Reception.objects.all(), request.user, Perm.VIEW_PETITION, "unit__path")
    rows = rows.select_related("unit", "petition").order_by("-received_at", "-pk")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    for reception in page:
        reception.visible = services.may_see_visitors(request.user, reception)  # type: ignore[attr-defined]
    context = {"page": page, "can_add": authz.can(request.user, Perm.HANDLE_PETITION)}
    return render(request, "petitions/receptions.html", context)


@login_required
def reception_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.HANDLE_PETITION):
        raise PermissionDenied
    form = ReceptionForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reception = services.log_reception(
                request.user,
                form.instance,
                record_as=form.cleaned_data["record_as"],
                topic=form.cleaned_data["topic"],
            )
        except PetitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The reception is logged."))
            return redirect("petitions:reception", reception.pk)
    return render(request, "petitions/reception_new.html", {"form": form})


@login_required
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reception = authz.get_for_user(
        Reception.objects.select_related("unit", "petition"), request.user, Perm.VIEW_PETITION, "unit__path", pk=pk
    )
    context = {"reception": reception, "visible": services.may_see_visitors(request.user, reception)}
    return render(request, "petitions/reception.html", context)
