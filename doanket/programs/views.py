"""Pages of the work programme. Every record is fetched through ``authz``; logic is in services.

Reading reaches upward (a commune reads its province's programme, which is addressed to it);
editing, assigning and revising stay within the user's own subtree.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.text import fold
from doanket.documents.export import DOCX, export_docx
from doanket.documents.parser import parse
from doanket.documents.readers import MSG_TOO_LARGE, DocumentError, megabytes
from doanket.documents.structure import ParsedDocument
from doanket.organizations.models import Unit
from doanket.programs import services
from doanket.programs.forms import (
    AssignForm,
    DeriveForm,
    ItemForm,
    PreviewForm,
    RemindForm,
    ReviseForm,
    UpdateForm,
    UploadForm,
)
from doanket.programs.models import Assignment, Citation, Item, Kind, Program, ProgressUpdate, Reminder, Status

BOARD_PAGE = 100
TOKEN_SALT = "doanket.programs.import"  # noqa: S105 (a signing namespace, not a secret)


def _visible_programs(user: Any) -> QuerySet[Program]:
    return Program.objects.filter(authz.scope_q_with_ancestors(user, Perm.VIEW_PROGRAM, "unit__path"))


def _program(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW_PROGRAM) -> Program:
    upward = perm == Perm.VIEW_PROGRAM
    return authz.get_for_user(
        Program.objects.select_related("unit", "derived_from"), request.user, perm, "unit__path", upward=upward, pk=pk
    )


# --- List and import ---------------------------------------------------------------------


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied  # held nowhere: 403, naming no record
    programs = _visible_programs(request.user).select_related("unit").annotate(item_count=Count("items"))
    q = request.GET.get("q", "").strip()
    year = request.GET.get("year", "")
    if q:
        programs = programs.filter(title_key__contains=fold(q))
    if year.isdigit():
        programs = programs.filter(year=int(year))
    page = Paginator(programs.order_by("-year", "-created_at"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "year": year,
        "can_import": authz.can(request.user, Perm.EDIT_PROGRAM),
    }
    return render(request, "programs/program_list.html", context)


def _token(unit: Unit, stored: str, fmt: str) -> str:
    return signing.dumps({"unit": unit.pk, "file": stored, "format": fmt}, salt=TOKEN_SALT)


def _untoken(request: HttpRequest, token: str) -> tuple[Unit, str, str]:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=24 * 3600)
    except signing.BadSignature as exc:
        raise Http404 from exc
    unit = authz.get_for_user(Unit.objects.all(), request.user, Perm.EDIT_PROGRAM, "path", pk=data["unit"])
    return unit, str(data["file"]), str(data["format"])


def _preview_initial(parsed: ParsedDocument, text: str, token: str) -> dict[str, Any]:
    return {
        "text": text,
        "token": token,
        "kind": parsed.kind if parsed.kind in Kind.values else Kind.OTHER,
        "title": parsed.title,
        "number": parsed.number or "",
        "issuer": parsed.issuer,
        "place": parsed.place or "",
        "date": parsed.date.strftime("%d/%m/%Y") if parsed.date else "",
        "year": parsed.year,
        "theme": parsed.theme or "",
    }


@login_required
def program_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload the signed document. Step 2 (the preview) follows on success."""
    units = authz.units(request.user, Perm.EDIT_PROGRAM).active_on(timezone.localdate())
    if not units.exists():
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > settings.DOCUMENT_MAX_BYTES:  # refused before it is read into memory
                raise DocumentError(
                    "too_large",
                    MSG_TOO_LARGE,
                    name=upload.name,
                    size=megabytes(upload.size, up=True),
                    limit=megabytes(settings.DOCUMENT_MAX_BYTES),
                )
            data = upload.read()
            parsed, text, fmt = services.understand(data, upload.name)
        except DocumentError as exc:
            form.add_error("file", str(exc))
        else:
            name = get_valid_filename(upload.name)[-100:] or "document"
            stored = default_storage.save(f"{services.UPLOADS}/{uuid.uuid4().hex}/{name}", ContentFile(data))
            token = _token(form.cleaned_data["unit"], stored, fmt)
            preview = PreviewForm(initial=_preview_initial(parsed, text, token))
            return render(
                request,
                "programs/import_preview.html",
                {"form": preview, "parsed": parsed, "unit": form.cleaned_data["unit"], "filename": upload.name},
            )
    return render(request, "programs/import_upload.html", {"form": form})


@login_required
@require_POST
def program_import_preview(request: HttpRequest) -> HttpResponse:
    """HTMX: the corrected text understood again (the right-hand pane of the preview)."""
    token = request.POST.get("token", "")
    _untoken(request, token)
    text = request.POST.get("text", "")
    parsed = parse(text)
    form = PreviewForm(initial=_preview_initial(parsed, text, token))
    # Only the structure is refreshed: the header fields keep what the officer typed in them.
    return render(request, "programs/_structure.html", {"form": form, "parsed": parsed})


@login_required
@require_POST
def program_import_save(request: HttpRequest) -> HttpResponse:
    form = PreviewForm(request.POST)
    if not form.is_valid():
        token = request.POST.get("token", "")
        unit, _stored, _fmt = _untoken(request, token)
        parsed = parse(request.POST.get("text", ""))
        return render(
            request, "programs/import_preview.html", {"form": form, "parsed": parsed, "unit": unit}, status=400
        )
    unit, stored, fmt = _untoken(request, form.cleaned_data["token"])
    already = Program.objects.filter(unit=unit, import_key=stored).first()
    if already is not None:  # the same preview saved twice (a double click, the back button)
        messages.info(request, _("This document was already saved."))
        return redirect("programs:detail", already.pk)
    parsed = parse(form.cleaned_data["text"])
    # The officer's corrections of the header win over what was understood; a field left
    # empty means "none" (a draft without a number or a day).
    for name in ("kind", "title", "number", "place", "date", "year", "theme"):
        value = form.cleaned_data.get(name)
        setattr(parsed, name, None if value in ("", None) else value)
    parsed.issuer = form.cleaned_data.get("issuer") or ""
    source = None
    if stored and default_storage.exists(stored):
        with default_storage.open(stored, "rb") as handle:
            source = (handle.read(), stored.rsplit("/", 1)[-1])
    program = services.save_program(request.user, unit, parsed, source=source, source_format=fmt, import_key=stored)
    if stored and default_storage.exists(stored):
        default_storage.delete(stored)
    messages.success(request, _("The programme was saved with %(n)d items.") % {"n": program.items.count()})
    return redirect("programs:detail", program.pk)


# --- A programme -------------------------------------------------------------------------


def _assignments(user: Any, program: Program) -> QuerySet[Assignment]:
    """The programme's assignments the user may see (all of them only in the owner's subtree)."""
    return program.assignments.filter(authz.own_or_assigned_q(user, program.unit, Perm.VIEW_PROGRAM))


def _item_rows(user: Any, program: Program) -> tuple[list[Item], dict[int, list[Assignment]]]:
    items = list(program.items.order_by("position"))
    by_item: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in _assignments(user, program).select_related("unit").order_by("role", "unit__name"):
        by_item[assignment.item_id].append(assignment)
    return items, by_item


@login_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk)
    today = timezone.localdate()
    items, by_item = _item_rows(request.user, program)
    rows = [
        {
            "item": item,
            "assignments": by_item.get(item.pk, []),
            "status": services.item_status(by_item.get(item.pk, []), today) if by_item.get(item.pk) else "",
        }
        for item in items
    ]
    can_edit = authz.can(request.user, Perm.EDIT_PROGRAM, program.unit)
    derivable = authz.units(request.user, Perm.EDIT_PROGRAM).subtree_of(program.unit).exclude(pk=program.unit_id)
    context = {
        "program": program,
        "is_owner": authz.can(request.user, Perm.VIEW_PROGRAM, program.unit),
        "rows": rows,
        "can_edit": can_edit,
        "can_derive": derivable.exists(),
        "events": program.events.all(),
        "citations": Citation.objects.filter(program=program, item__isnull=True).select_related("directive"),
        "counts": services.status_counts(_assignments(request.user, program), today),
        "references": program.citations.values("directive__pk", "directive__code").annotate(n=Count("pk")),
    }
    return render(request, "programs/program_detail.html", context)


@login_required
def program_board(request: HttpRequest, pk: int) -> HttpResponse:
    """Every assignment of the programme by status, overdue first; a fixed number of queries."""
    program = _program(request, pk)
    today = timezone.localdate()
    assignments = _assignments(request.user, program)
    unit_q = request.GET.get("unit", "").strip()
    if unit_q:
        assignments = assignments.filter(unit__name_key__contains=fold(unit_q))
    counts = services.status_counts(assignments, today)
    status = request.GET.get("status", "")
    shown = services.filter_status(assignments, status, today)
    shown = services.with_status_order(shown.select_related("unit", "item"), today)
    page = Paginator(shown, BOARD_PAGE).get_page(request.GET.get("page"))
    for assignment in page:
        assignment.shown_status = assignment.effective_status(today)  # type: ignore[attr-defined]
    context = {
        "program": program,
        "is_owner": authz.can(request.user, Perm.VIEW_PROGRAM, program.unit),
        "counts": counts,
        "page": page,
        "status": status,
        "unit_q": unit_q,
        "statuses": [(s, Status(s).label) for s in services.BOARD_ORDER],
    }
    return render(request, "programs/program_board.html", context)


@login_required
def program_uptake(request: HttpRequest, pk: int) -> HttpResponse:
    """Item by item, which units below have taken the item into their own programme."""
    program = _program(request, pk)
    if not authz.can(request.user, Perm.VIEW_PROGRAM, program.unit):
        raise Http404  # a lower unit reads the programme, not which of its siblings took it up
    result = services.uptake(program)
    items = list(program.items.order_by("position"))
    rows = [{"item": item, "count": result.count(item), "missing": result.missing(item)} for item in items]
    derived = program.derived.select_related("unit").order_by("unit__name")
    return render(
        request,
        "programs/program_uptake.html",
        {"program": program, "rows": rows, "units": result.units, "derived": derived, "is_owner": True},
    )


@login_required
def program_derive(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit below starts its own programme from this one."""
    upper = _program(request, pk)
    units = (
        authz.units(request.user, Perm.EDIT_PROGRAM)
        .subtree_of(upper.unit)
        .exclude(pk=upper.unit_id)
        .active_on(timezone.localdate())
        .select_related("parent")
        .order_by("path")
    )
    if not units.exists():
        raise Http404
    items = list(upper.items.order_by("position"))
    choices = [(item.pk, f"{'  ' * item.depth}{item}") for item in items]
    form = DeriveForm(
        request.POST or None,
        units=units,
        item_choices=choices,
        initial={"title": upper.title, "items": [], "unit": units.first()},
    )
    if request.method == "POST" and form.is_valid():
        program = services.derive_program(
            request.user,
            upper,
            form.cleaned_data["unit"],
            [int(pk) for pk in form.cleaned_data["items"]],
            title=form.cleaned_data["title"],
        )
        messages.success(request, _("Your programme was started from %(upper)s.") % {"upper": upper.title})
        return redirect("programs:detail", program.pk)
    return render(request, "programs/program_derive.html", {"program": upper, "form": form, "items": items})


@login_required
def program_export(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk)
    data = export_docx(services.to_parsed(program))
    response = HttpResponse(data, content_type=DOCX)
    filename = get_valid_filename(fold(program.title).replace(" ", "-"))[:80] or "chuong-trinh"
    response["Content-Disposition"] = f'attachment; filename="{filename}.docx"'
    return response


@login_required
def program_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk)
    revisions = list(program.revisions.select_related("created_by"))
    by_version = {r.version: r for r in revisions}
    diff: list[tuple[str, str]] = []
    older = by_version.get(int(request.GET["a"])) if request.GET.get("a", "").isdigit() else None
    newer = by_version.get(int(request.GET["b"])) if request.GET.get("b", "").isdigit() else None
    if older is None and newer is None and len(revisions) >= 2:
        newer, older = revisions[0], revisions[1]
    if older and newer:
        diff = services.compare(older, newer)
    context = {
        "program": program,
        "is_owner": authz.can(request.user, Perm.VIEW_PROGRAM, program.unit),
        "revisions": revisions,
        "older": older,
        "newer": newer,
        "diff": diff,
        "changed": any(tag != " " for tag, _line in diff),
        "can_edit": authz.can(request.user, Perm.EDIT_PROGRAM, program.unit),
    }
    return render(request, "programs/program_revisions.html", context)


@login_required
def program_revise(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk, Perm.EDIT_PROGRAM)
    form = ReviseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("file"):
                upload = form.cleaned_data["file"]
                parsed, _text, _fmt = services.understand(upload.read(), upload.name)
            else:
                parsed = parse(form.cleaned_data["text"])
        except DocumentError as exc:
            form.add_error("file", str(exc))
        else:
            services.revise_program(request.user, program, parsed, form.cleaned_data["note"])
            messages.success(request, _("Version %(v)d was saved.") % {"v": program.version + 1})
            return redirect("programs:revisions", program.pk)
    return render(request, "programs/program_revise.html", {"program": program, "form": form})


# --- Items, assignments, updates, reminders ----------------------------------------------


def _item(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW_PROGRAM) -> Item:
    return authz.get_for_user(
        Item.objects.select_related("program__unit", "parent", "upper_item__program"),
        request.user,
        perm,
        "program__unit__path",
        upward=perm == Perm.VIEW_PROGRAM,
        pk=pk,
    )


def _assign_units(program: Program, user: Any) -> QuerySet[Unit]:
    """Units an item can be given to: under the programme's unit, and within the user's scope."""
    return (
        authz.units(user, Perm.EDIT_PROGRAM)
        .subtree_of(program.unit)
        .active_on(timezone.localdate())
        .select_related("parent")
        .order_by("path")
    )


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    program = item.program
    assignments = list(
        item.assignments.filter(authz.own_or_assigned_q(request.user, program.unit, Perm.VIEW_PROGRAM))
        .select_related("unit")
        .prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author"), to_attr="update_list"),
            Prefetch("reminders", queryset=Reminder.objects.select_related("sent_by"), to_attr="reminder_list"),
        )
    )
    today = timezone.localdate()
    updatable = {a.pk for a in assignments if authz.can(request.user, Perm.EDIT_PROGRAM, a.unit)}
    can_edit = authz.can(request.user, Perm.EDIT_PROGRAM, program.unit)
    can_remind = authz.can(request.user, Perm.REMIND, program.unit)
    for assignment in assignments:
        assignment.shown_status = assignment.effective_status(today)  # type: ignore[attr-defined]
        # One form per assignment, with ids of its own (labels must point at their own field).
        assignment.update_form = UpdateForm(auto_id=f"id_u{assignment.pk}_%s")  # type: ignore[attr-defined]
    context = {
        "item": item,
        "program": program,
        "assignments": assignments,
        "updatable": updatable,
        "can_edit": can_edit,
        "can_remind": can_remind,
        "assign_form": AssignForm(units=_assign_units(program, request.user)) if can_edit else None,
        "remind_form": RemindForm(),
        "derived": item.derived_items.select_related("program__unit").filter(
            authz.scope_q_with_ancestors(request.user, Perm.VIEW_PROGRAM, "program__unit__path")
        ),
        "citations": item.citations.select_related("directive"),
        "status": services.item_status(list(assignments), today) if assignments else "",
    }
    return render(request, "programs/item_detail.html", context)


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, Perm.EDIT_PROGRAM)
    form = ItemForm(request.POST or None, initial={"number": item.number, "title": item.title, "text": item.text})
    if request.method == "POST" and form.is_valid():
        services.edit_item(
            request.user, item, form.cleaned_data["title"], form.cleaned_data["text"], form.cleaned_data["number"]
        )
        return redirect("programs:item", item.pk)
    return render(request, "programs/item_form.html", {"form": form, "item": item, "program": item.program})


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(request, pk, Perm.EDIT_PROGRAM)
    parent = None
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id and str(parent_id).isdigit():
        parent = program.items.filter(pk=int(parent_id)).first()
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = services.add_item(
            request.user,
            program,
            parent,
            form.cleaned_data["number"],
            form.cleaned_data["title"],
            form.cleaned_data["text"],
        )
        return redirect("programs:item", item.pk)
    return render(request, "programs/item_form.html", {"form": form, "program": program, "parent": parent})


@login_required
@require_POST
def item_assign(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, Perm.EDIT_PROGRAM)
    form = AssignForm(request.POST, units=_assign_units(item.program, request.user))
    if form.is_valid():
        try:
            services.assign(
                request.user,
                item,
                form.cleaned_data["lead"],
                form.cleaned_data["supports"],
                form.cleaned_data["due_date"],
                form.cleaned_data["recurrence"] or "",
            )
        except services.AssignmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The item was assigned."))
    else:
        errors = "; ".join(
            f"{form.fields[f].label if f in form.fields else ''}: {' '.join(map(str, e))}"
            for f, e in form.errors.items()
        )
        messages.error(request, _("The item was not assigned: %(errors)s") % {"errors": errors})
    return redirect("programs:item", item.pk)


@login_required
@require_POST
def assignment_update(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = authz.get_for_user(
        Assignment.objects.select_related("item", "unit"), request.user, Perm.EDIT_PROGRAM, "unit__path", pk=pk
    )
    form = UpdateForm(request.POST, request.FILES)
    if form.is_valid():
        services.post_update(
            request.user,
            assignment,
            form.cleaned_data["text"],
            form.cleaned_data["progress"],
            form.cleaned_data.get("attachment"),
        )
        messages.success(request, _("Progress was recorded."))
    else:
        errors = "; ".join(" ".join(map(str, e)) for e in form.errors.values())
        messages.error(request, _("Progress was not recorded: %(errors)s") % {"errors": errors})
    return redirect("programs:item", assignment.item_id)


@login_required
@require_POST
def assignment_remind(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = authz.get_for_user(
        Assignment.objects.select_related("item__program", "unit"),
        request.user,
        Perm.REMIND,
        "program__unit__path",
        pk=pk,
    )
    form = RemindForm(request.POST)
    message = form.cleaned_data.get("message", "") if form.is_valid() else ""
    services.send_reminder(request.user, assignment, message=message, email_later=True)
    messages.success(request, _("%(unit)s was reminded.") % {"unit": assignment.unit.name})
    return redirect("programs:item", assignment.item_id)


@login_required
def update_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment of a progress update, to those who may read the programme (never a bare media URL)."""
    # The owner of the programme and the assigned unit (and the units above it in the user's
    # scope) may read it; never another unit that merely reads the programme.
    visible = authz.scope_q(request.user, Perm.VIEW_PROGRAM, "assignment__unit__path") | authz.scope_q(
        request.user, Perm.VIEW_PROGRAM, "assignment__program__unit__path"
    )
    try:
        update = ProgressUpdate.objects.filter(visible).get(pk=pk)
    except ProgressUpdate.DoesNotExist as exc:
        raise Http404 from exc
    if not update.attachment:
        raise Http404
    name = (update.attachment.name or "").rsplit("/", 1)[-1]
    return FileResponse(update.attachment.open("rb"), as_attachment=True, filename=name)


@login_required
def program_source(request: HttpRequest, pk: int) -> FileResponse:
    """The signed document the programme was imported from, to those who may read the programme."""
    program = _program(request, pk)
    if not program.source_file:
        raise Http404
    name = (program.source_file.name or "").rsplit("/", 1)[-1]
    return FileResponse(program.source_file.open("rb"), as_attachment=True, filename=name)


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The assignments of the user's units (and, on request, of the units below), overdue first."""
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied  # held nowhere: 403, naming no record
    today = timezone.localdate()
    below = request.GET.get("below") == "1"
    if below or authz.is_system_admin(request.user):
        assignments = authz.scoped(Assignment.objects.all(), request.user, Perm.VIEW_PROGRAM, "unit__path")
    else:
        own = [path for path, _role in authz.grants(request.user)]
        assignments = Assignment.objects.filter(unit__path__in=own)
    counts = services.status_counts(assignments, today)
    status = request.GET.get("status", "")
    shown = services.with_status_order(
        services.filter_status(assignments, status, today).select_related("unit", "item", "program"), today
    )
    page = Paginator(shown, BOARD_PAGE).get_page(request.GET.get("page"))
    for assignment in page:
        assignment.shown_status = assignment.effective_status(today)  # type: ignore[attr-defined]
    reminders = (
        Reminder.objects.filter(assignment__in=assignments)
        .select_related("assignment__item", "assignment__unit")
        .order_by("-sent_at")[:10]
    )
    context = {
        "page": page,
        "counts": counts,
        "status": status,
        "below": below,
        "reminders": reminders,
        "statuses": [(s, Status(s).label) for s in services.BOARD_ORDER],
    }
    return render(request, "programs/my_tasks.html", context)
