"""Pages of social criticism: a draft's parts, the opinions gathered, the points drafted from them,
the criticism sent and downloaded, the drafting body's answer point by point."""

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
from doanket.documents.export import DOCX
from doanket.supervision import criticism
from doanket.supervision.forms import CriticismOpinionForm, DraftForm, IssueForm, PointForm, ReceptionForm
from doanket.supervision.models import CriticismPoint, Draft, DraftState
from doanket.supervision.services import SupervisionError
from doanket.supervision.views import PAGE, _edits


def _draft(request: HttpRequest, pk: int) -> Draft:
    return authz.get_for_user(
        Draft.objects.select_related("unit"), request.user, Perm.VIEW_PROGRAM, "unit__path", pk=pk
    )


def _point(request: HttpRequest, pk: int) -> CriticismPoint:
    return authz.get_for_user(
        CriticismPoint.objects.select_related("draft__unit", "part"),
        request.user,
        Perm.VIEW_PROGRAM,
        "draft__unit__path",
        pk=pk,
    )


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    drafts = Draft.objects.filter(authz.scope_q(request.user, Perm.VIEW_PROGRAM, "unit__path")).select_related("unit")
    page = Paginator(drafts, PAGE).get_page(request.GET.get("page"))
    form = DraftForm(request.user) if authz.can(request.user, Perm.EDIT_PROGRAM) else None
    return render(request, "supervision/drafts.html", {"page": page, "form": form, "today": timezone.localdate()})


@login_required
@require_POST
def draft_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    form = DraftForm(request.user, request.POST, request.FILES)
    if not form.is_valid():
        refused(request, _("The draft is not registered: %(errors)s"), form)
        return redirect("supervision:drafts")
    data = form.cleaned_data
    upload = data.get("file")
    try:
        text = criticism.read_draft(upload.read(), upload.name)[1] if upload is not None else data.get("text") or ""
        draft = criticism.register(
            request.user,
            data["unit"],
            drafting_body=data["drafting_body"],
            received_on=data["received_on"],
            due_on=data["due_on"],
            title=data.get("title") or "",
            text=text,
            source_name=upload.name if upload is not None else "",
        )
    except SupervisionError as exc:
        messages.error(request, str(exc))
        return redirect("supervision:drafts")
    messages.success(request, _("The draft is registered with %(count)s parts.") % {"count": draft.parts.count()})
    return redirect("supervision:draft", draft.pk)


@login_required
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    edit = authz.can(request.user, Perm.EDIT_PROGRAM, draft.unit)
    gathering = draft.state == DraftState.GATHERING
    parts = list(draft.parts.all())
    opinions = list(draft.opinions.select_related("part"))
    context = {
        "draft": draft,
        "parts": parts,
        "opinions": opinions,
        "points": list(draft.points.select_related("part")),
        "edit": edit,
        "gathering": gathering,
        "opinion_form": CriticismOpinionForm(draft) if edit and gathering else None,
        "issue_form": IssueForm(initial={"issued_on": timezone.localdate()}) if edit and gathering else None,
        "reception_form": ReceptionForm() if edit and not gathering else None,
    }
    return render(request, "supervision/draft.html", context)


@login_required
@require_POST
def draft_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    _edits(request, draft.unit)
    submit(
        request,
        CriticismOpinionForm(draft, request.POST),
        _("The opinion is not recorded: %(errors)s"),
        lambda data: criticism.add_opinion(request.user, draft, **data),
        errors=(SupervisionError,),
    )
    return redirect("supervision:draft", draft.pk)


@login_required
@require_POST
def draft_compose(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    _edits(request, draft.unit)
    try:
        points = criticism.compose(request.user, draft)
    except SupervisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)s points drafted from the opinions.") % {"count": len(points)})
    return redirect("supervision:draft", draft.pk)


@login_required
@require_POST
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    _edits(request, point.draft.unit)
    submit(
        request,
        PointForm(request.POST),
        _("The point is not changed: %(errors)s"),
        lambda data: criticism.edit_point(request.user, point, text=data["text"]),
        errors=(SupervisionError,),
    )
    return redirect("supervision:draft", point.draft_id)


@login_required
@require_POST
def draft_issue(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    _edits(request, draft.unit)
    submit(
        request,
        IssueForm(request.POST),
        _("The criticism is not sent: %(errors)s"),
        lambda data: criticism.issue(request.user, draft, **data),
        errors=(SupervisionError,),
        done=_("The criticism is recorded as sent; download it in the official layout."),
    )
    return redirect("supervision:draft", draft.pk)


@login_required
def draft_docx(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    response = HttpResponse(criticism.criticism_docx(draft), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="phan-bien-xa-hoi-{draft.pk}.docx"'
    return response


@login_required
@require_POST
def point_answer(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    _edits(request, point.draft.unit)
    submit(
        request,
        ReceptionForm(request.POST),
        _("The answer is not recorded: %(errors)s"),
        lambda data: criticism.record_reception(request.user, point, **data),
        errors=(SupervisionError,),
    )
    return redirect("supervision:draft", point.draft_id)
