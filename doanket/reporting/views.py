"""Pages of periodic reporting. Records come through ``authz``; the logic is in services.

Who may do what: a unit's officers fill its reports (EDIT_REPORT on the unit); the unit above
reviews them (REVIEW_REPORT on the parent); anyone reading reports (VIEW_REPORT) sees the
roll-up of the units in their scope, and a schedule issued above them, for their own units.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.documents.export import DOCX, XLSX
from doanket.organizations.models import Unit
from doanket.programs import services as program_services
from doanket.programs.models import Assignment
from doanket.reporting import choice, definitions, exports, pages, periods, rollup, services, sources, tasks
from doanket.reporting.forms import (
    CorrectionForm,
    NewFormForm,
    RemindForm,
    ReviewForm,
    ScheduleForm,
    UploadForm,
    VersionForm,
)
from doanket.reporting.models import Report, ReportForm, ReportReminder, Schedule, Status
from doanket.reporting.values import as_raw, check, display

PAGE = 50
OPEN_AT_ONCE = 5_000  # reports a page may make while the officer waits; more go to the worker


def _report(request: HttpRequest, pk: int) -> Report:
    return authz.get_for_user(
        Report.objects.select_related("schedule__form", "schedule__unit", "unit__parent", "version"),
        request.user,
        Perm.VIEW_REPORT,
        "unit__path",
        pk=pk,
    )


def _can_edit(user: Any, report: Report) -> bool:
    return authz.can(user, Perm.EDIT_REPORT, report.unit)


def _can_review(user: Any, report: Report) -> bool:
    """The unit above reviews: a unit never approves its own report."""
    if report.unit.parent is None:
        return authz.is_system_admin(user)
    return authz.can(user, Perm.REVIEW_REPORT, report.unit.parent)


def _revision(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


def _raw(request: HttpRequest, report: Report, indicators: list[Any]) -> dict[str, str]:
    return {i.code: request.POST.get(f"v_{i.code}", "") for i in indicators}


def _fields(report: Report, indicators: list[Any], raw: dict[str, Any], errors: dict[str, str]) -> list[Any]:
    """Sections with their indicators, the text to show in each input and its error. Read-only,
    a report shows its approved figures once approved; while a version is submitted, the figures
    under review, with the approved ones they would replace."""
    approved = report.approved_values or {}
    current = approved if report.status == Status.APPROVED else (report.values or {})
    grouped: list[dict[str, Any]] = []
    for indicator in indicators:
        if not grouped or grouped[-1]["section"].pk != indicator.section_id:
            grouped.append({"section": indicator.section, "rows": []})
        shown = display(indicator, current.get(indicator.code))
        before = display(indicator, approved.get(indicator.code)) if report.status != Status.APPROVED else ""
        grouped[-1]["rows"].append(
            {
                "indicator": indicator,
                "raw": raw.get(indicator.code, ""),
                "error": errors.get(indicator.code, ""),
                "shown": shown,
                "before": before if approved and before != shown else "",
            }
        )
    return grouped


# --- Lists -------------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """What the user must fill, what waits for their review, and every report in their scope."""
    user = request.user
    if not authz.can(user, Perm.VIEW_REPORT):
        raise PermissionDenied
    today = timezone.localdate()
    visible = Report.objects.filter(authz.scope_q(user, Perm.VIEW_REPORT, "unit__path"), period_start__lte=today)
    # Reports land at a unit: its own officers fill them, the officers of the unit above review.
    to_fill = Report.objects.filter(
        unit__path__in=authz.own_unit_paths(user, Perm.EDIT_REPORT),
        period_start__lte=today,
        status__in=[Status.NOT_STARTED, Status.DRAFT, Status.RETURNED],
    )
    to_review = Report.objects.filter(
        unit__parent__path__in=authz.own_unit_paths(user, Perm.REVIEW_REPORT), status=Status.SUBMITTED
    )
    tab = request.GET.get("tab", "fill")
    if tab == "fill":
        reports = to_fill.order_by("due_date", "unit__path")
    elif tab == "review":
        reports = to_review.order_by("submitted_at")
    else:
        tab = "all"
        reports = visible.order_by("-period_start", "unit__path")
        status = request.GET.get("status", "")
        if status in Status.values:
            reports = reports.filter(status=status)
        query = request.GET.get("q", "").strip()
        if query:
            reports = reports.filter(unit__in=Unit.objects.search(query))
    counts = {"fill": to_fill.count(), "review": to_review.count()}
    page = Paginator(reports.select_related("schedule__form", "unit__parent"), PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tab": tab,
        "counts": counts,
        "statuses": Status.choices,
        "today": today,
        "schedules": _visible_schedules(user)[:50],
        "reminders": ReportReminder.objects.filter(
            authz.scope_q(user, Perm.EDIT_REPORT, "report__unit__path"), report__first_submitted_at__isnull=True
        ).select_related("report__unit")[:10],
    }
    return render(request, "reporting/inbox.html", context)


def _visible_schedules(user: Any) -> QuerySet[Schedule]:
    return (
        Schedule.objects.filter(authz.scope_q_with_ancestors(user, Perm.VIEW_REPORT, "unit__path"))
        .select_related("form", "unit")
        .order_by("name")
    )


# --- One report --------------------------------------------------------------------------------


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    indicators = services.indicators_of(report.version)
    editable = report.editable and _can_edit(request.user, report)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not _can_edit(request.user, report):
            raise PermissionDenied
        # A report submitted or approved meanwhile is refused by the service with its reason.
        raw = _raw(request, report, indicators)
        action = request.POST.get("action", "save")
        try:
            if action == "submit":
                services.submit(request.user, report, raw, _revision(request))
                messages.success(request, _("The report was submitted to %(unit)s.") % {"unit": _upper(report)})
            else:
                services.save_draft(request.user, report, raw, _revision(request))
                messages.success(request, _("Draft saved."))
            return redirect("reporting:report", pk=report.pk)
        except services.Invalid as exc:
            errors = exc.checked.errors
            messages.error(request, str(exc))
        except services.ReportError as exc:
            messages.error(request, str(exc))
            return redirect("reporting:report", pk=report.pk)
    else:
        raw = {i.code: as_raw(i, report.values.get(i.code)) for i in indicators}
        if editable and report.status == Status.NOT_STARTED:
            wanted = [(i.code, i.source) for i in indicators if i.source and not raw.get(i.code)]
            for code, value in sources.prefill(wanted, report.unit, report.period_start, report.period_end).items():
                raw[code] = str(value)
    context = {
        "report": report,
        "sections": _fields(report, indicators, raw, errors),
        "editable": editable,
        "can_review": report.status == Status.SUBMITTED and _can_review(request.user, report),
        "can_correct": report.status == Status.APPROVED and _can_edit(request.user, report),
        # The unit above chases; a unit does not remind itself.
        "can_remind": report.first_submitted_at is None
        and report.unit.parent is not None
        and authz.can(request.user, Perm.REMIND, report.unit.parent),
        "history": report.history.select_related("approved_by", "submitted_by"),
        "reminders": report.reminders.all()[:10],
        "upload_form": UploadForm(),
        "review_form": ReviewForm(),
        "correction_form": CorrectionForm(),
        "remind_form": RemindForm(),
        "late": report.is_late(),
    }
    return render(request, "reporting/report.html", context)


def _upper(report: Report) -> str:
    return report.unit.parent.name if report.unit.parent else report.schedule.unit.name


@login_required
@require_POST
def report_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Checks the figures as they are typed (HTMX): the errors of every field, nothing saved."""
    report = _report(request, pk)
    if not _can_edit(request.user, report):
        raise PermissionDenied
    indicators = services.indicators_of(report.version)
    checked = check(indicators, _raw(request, report, indicators), complete=False)
    return render(request, "reporting/_check.html", {"indicators": indicators, "errors": checked.errors})


@login_required
def report_narrative(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A draft of a text indicator from its text source (the period's petitions, say), else from the
    unit's task updates of the period (HTMX)."""
    report = _report(request, pk)
    if not (report.editable and _can_edit(request.user, report)):
        raise PermissionDenied
    indicator = next((i for i in services.indicators_of(report.version) if i.code == code and i.is_text), None)
    if indicator is None:
        raise Http404
    from_source = sources.draft(indicator.source, report.unit, report.period_start, report.period_end)
    drafted = from_source if from_source is not None else services.narrative_from_updates(report)
    current = request.GET.get(f"v_{code}", "").strip()
    text = "\n".join(part for part in (current, drafted) if part)
    context = {"row": {"indicator": indicator, "raw": text, "error": ""}, "report": report, "editable": True}
    if not drafted:
        context["note"] = (
            _("Nothing was recorded for this unit during the period.")
            if from_source is not None
            else _("No task updates were posted by this unit during the period.")
        )
    return render(request, "reporting/_input.html", context)


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    data = exports.form_workbook(report, services.indicators_of(report.version))
    response = HttpResponse(data, content_type=XLSX)
    name = f"{report.schedule.form.code}-{report.period}-{report.unit_id}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """An Excel form filled offline: every error listed by cell, nothing saved unless all is right."""
    report = _report(request, pk)
    if not (report.editable and _can_edit(request.user, report)):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the filled Excel file to upload."))
        return redirect("reporting:report", pk=report.pk)
    upload_file = form.cleaned_data["file"]
    name = upload_file.name
    if upload_file.size > exports.MAX_UPLOAD:
        problems = [_("%(file)s is larger than 5 MB.") % {"file": name}]
    else:
        indicators = services.indicators_of(report.version)
        upload = exports.read_upload(report, indicators, upload_file.read(), name)
        problems = upload.errors
        if not problems:
            checked = check(indicators, upload.raw, complete=False)
            problems = exports.cell_errors(upload, checked.errors, indicators, name)
            if not problems:
                try:
                    services.save_draft(request.user, report, upload.raw, None)
                except services.ReportError as exc:
                    problems = [str(exc)]
    if problems:
        return render(request, "reporting/upload_errors.html", {"report": report, "problems": problems}, status=400)
    messages.success(
        request, _("The figures of %(file)s were saved as a draft: check them and submit.") % {"file": name}
    )
    return redirect("reporting:report", pk=report.pk)


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not _can_review(request.user, report):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if request.POST.get("action") == "approve":
            services.approve(request.user, report, _revision(request), comment)
            messages.success(request, _("Approved: the report is locked and its figures are counted."))
        else:
            services.return_report(request.user, report, _revision(request), comment)
            messages.success(request, _("Returned to %(unit)s with your comment.") % {"unit": report.unit.name})
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect("reporting:report", pk=report.pk)


@login_required
@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not _can_edit(request.user, report):
        raise PermissionDenied
    form = CorrectionForm(request.POST)
    try:
        services.start_correction(
            request.user, report, _revision(request), form.cleaned_data["reason"] if form.is_valid() else ""
        )
        messages.success(
            request,
            _(
                "Correct the figures and submit the report again; "
                "until it is approved, the approved figures stay counted."
            ),
        )
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect("reporting:report", pk=report.pk)


@login_required
@require_POST
def report_remind(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not authz.can(request.user, Perm.REMIND, report.unit.parent or report.unit):
        raise PermissionDenied
    form = RemindForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    services.send_reminder(request.user, report, message=message)
    messages.success(request, _("Reminder sent to %(unit)s.") % {"unit": report.unit.name})
    return redirect("reporting:report", pk=report.pk)


# --- Schedules and forms -------------------------------------------------------------------------


@login_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_REPORT):
        raise PermissionDenied
    context = {
        "schedules": _visible_schedules(request.user),
        "forms": ReportForm.objects.filter(
            authz.scope_q_with_ancestors(request.user, Perm.VIEW_REPORT, "unit__path")
        ).select_related("unit"),
        "can_manage": authz.can(request.user, Perm.MANAGE_REPORTING),
    }
    return render(request, "reporting/schedule_list.html", context)


@login_required
def schedule_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.MANAGE_REPORTING):
        raise PermissionDenied
    form = ScheduleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        schedule = services.create_schedule(request.user, form.save(commit=False))
        opened = _open_periods(request, schedule)
        if opened is not None:
            messages.success(
                request,
                _("Schedule saved; %(count)s expected reports were made for the periods begun.") % {"count": opened},
            )
        else:
            messages.success(request, _("Schedule saved; the expected reports are being made in the background."))
        return redirect("reporting:schedule", pk=schedule.pk)
    return render(request, "reporting/schedule_form.html", {"form": form})


def _open_periods(request: HttpRequest, schedule: Schedule) -> int | None:
    """Open the schedule's begun periods now when they are small (the count made), else hand
    them to the worker (None)."""
    if services.opening_size(schedule) <= OPEN_AT_ONCE:
        return services.open_due_periods_of(schedule, request.user)
    user_id = request.user.pk
    transaction.on_commit(lambda: tasks.open_schedule.enqueue(schedule.pk, user_id))
    return None


def _schedule(request: HttpRequest, pk: int) -> Schedule:
    return choice.schedule(request.user, pk)


def _scope_unit(request: HttpRequest, schedule: Schedule, units: QuerySet[Unit] | None = None) -> Unit:
    return choice.scope_unit(request.user, schedule, request.GET.get("unit"), units)


@login_required
def schedule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The periods of a schedule with their completeness, for the unit in view."""
    schedule = _schedule(request, pk)
    unit = _scope_unit(request, schedule)
    cells = {
        c.period: c
        for c in schedule.cells.filter(unit=unit).only("period", "expected", "arrived", "on_time", "approved")
    }
    # A unit that reports and has no one reporting below it has no cell: its own reports instead.
    own = {r.period: r for r in Report.objects.filter(schedule=schedule, unit=unit)}
    rows = []
    for period in reversed(services.due_periods(schedule, timezone.localdate())):
        due = periods.due_date(period, schedule.due_rule, schedule.due_day)
        rows.append((period, due, cells.get(period.key), own.get(period.key)))
    context = {
        "schedule": schedule,
        "unit": unit,
        "rows": rows[:60],
        "can_manage": authz.can(request.user, Perm.MANAGE_REPORTING, schedule.unit),
        "version": schedule.form.current_version(),
    }
    return render(request, "reporting/schedule_detail.html", context)


@login_required
@require_POST
def schedule_open(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _schedule(request, pk)
    if not authz.can(request.user, Perm.MANAGE_REPORTING, schedule.unit):
        raise PermissionDenied
    opened = _open_periods(request, schedule)
    if opened is not None:
        messages.success(request, _("%(count)s expected reports were made.") % {"count": opened})
    else:
        messages.success(request, _("The expected reports are being made in the background."))
    return redirect("reporting:schedule", pk=schedule.pk)


@login_required
def form_new(request: HttpRequest) -> HttpResponse:
    """A new form laid out in an Excel sheet (one row per indicator)."""
    if not authz.can(request.user, Perm.MANAGE_REPORTING):
        raise PermissionDenied
    form = NewFormForm(request.POST or None, request.FILES or None, user=request.user)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        definition = definitions.read_definition(upload.read(), upload.name)
        problems = definition.errors
        if not problems:
            data = form.cleaned_data
            version = services.create_form(
                request.user, data["unit"], data["code"], data["title"], definition.sections, data["description"]
            )
            messages.success(request, _("The form was made with its first version."))
            return redirect("reporting:form", pk=version.form_id)
    status = 400 if problems else 200
    return render(request, "reporting/form_new.html", {"form": form, "problems": problems}, status=status)


def _definition_of(request: HttpRequest, pk: int) -> ReportForm:
    return authz.get_for_user(
        ReportForm.objects.select_related("unit"), request.user, Perm.VIEW_REPORT, "unit__path", upward=True, pk=pk
    )


@login_required
def form_definition(request: HttpRequest, pk: int) -> HttpResponse:
    form = _definition_of(request, pk)
    wanted = request.GET.get("version", "")
    version = (form.versions.filter(number=int(wanted)).first() if wanted.isdigit() else None) or (
        form.current_version()
    )
    if version is None:
        raise Http404
    response = HttpResponse(definitions.definition_workbook(version), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-{form.code}-v{version.number}.xlsx"'
    return response


@login_required
@require_POST
def form_version_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The next version of a form from an edited sheet; periods opened from now on use it."""
    report_form = _definition_of(request, pk)
    if not authz.can(request.user, Perm.MANAGE_REPORTING, report_form.unit):
        raise PermissionDenied
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Say what changed and choose the Excel sheet."))
        return redirect("reporting:form", pk=report_form.pk)
    upload = form.cleaned_data["file"]
    definition = definitions.read_definition(upload.read(), upload.name)
    if definition.errors:
        context = {"form": NewFormForm(user=request.user), "problems": definition.errors, "report_form": report_form}
        return render(request, "reporting/form_new.html", context, status=400)
    version = services.new_version(request.user, report_form, definition.sections, form.cleaned_data["note"])
    messages.success(
        request, _("Version %(number)s saved: periods opened from now on use it.") % {"number": version.number}
    )
    return redirect("reporting:form", pk=report_form.pk)


@login_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    form = _definition_of(request, pk)
    versions = list(form.versions.order_by("-number"))
    shown = versions[0] if versions else None
    wanted = request.GET.get("version")
    if wanted:
        shown = next((v for v in versions if str(v.number) == wanted), None)
        if shown is None:
            raise Http404
    indicators = services.indicators_of(shown) if shown else []
    context = {
        "form": form,
        "versions": versions,
        "shown": shown,
        "sections": _fields(Report(values={}), indicators, {}, {}),
        "can_manage": authz.can(request.user, Perm.MANAGE_REPORTING, form.unit),
        "version_form": VersionForm(),
    }
    return render(request, "reporting/form_detail.html", context)


# --- Roll-up -------------------------------------------------------------------------------------


def _rollup_of(request: HttpRequest, pk: int, stamped: bool = False) -> tuple[Schedule, Unit, str]:
    """The schedule, unit and period a roll-up page, export or reminder is about; ``stamped``:
    the unit read with its cells' last change (``rollup.with_stamp``), for the cached page."""
    schedule = _schedule(request, pk)
    key = _period_key(request, schedule)
    units = rollup.with_stamp(Unit.objects.all(), schedule, key) if stamped else None
    return schedule, _scope_unit(request, schedule, units), key


def _period_key(request: HttpRequest, schedule: Schedule) -> str:
    return choice.period_key(schedule, request.GET.get("period", ""))


@login_required
def rollup_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll-up of a unit for a period; its table rendered once per change (``pages``)."""
    schedule, unit, key = _rollup_of(request, pk, stamped=True)
    recent = rollup.recent_keys(schedule, timezone.localdate(), 12)
    fragment, table, above = pages.fragment(schedule, unit, key, request.GET.get("indicator", ""))
    context = {
        "schedule": schedule,
        "unit": unit,
        "table": table,  # None when the table came from the cache
        "fragment": mark_safe(fragment),  # noqa: S308 - rendered by our own template (pages.render)
        "period_key": key,
        "period_label": periods.label(key),
        "recent": [(k, periods.label(k)) for k in reversed(recent)],
        "ancestors": [
            {"pk": pk, "name": name} for pk, name, path in above if authz.can_path(request.user, Perm.VIEW_REPORT, path)
        ],
    }
    return render(request, "reporting/rollup.html", context)


@login_required
def rollup_missing(request: HttpRequest, pk: int) -> HttpResponse:
    """The units below that have not submitted: the drill-down to who is missing."""
    schedule, unit, key = _rollup_of(request, pk)
    cell = schedule.cells.filter(unit=unit, period=key).first()
    total = (cell.expected - cell.arrived) if cell else 0
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    pages = max(1, -(-total // PAGE))
    number = min(number, pages)
    reports = rollup.missing_reports(schedule, unit, key, (number - 1) * PAGE, PAGE)
    context = {
        "schedule": schedule,
        "unit": unit,
        "period": periods.label(key),
        "key": key,
        "reports": reports,
        "total": total,
        "number": number,
        "pages": pages,
        "today": timezone.localdate(),
        "can_remind": authz.can(request.user, Perm.REMIND, unit),
    }
    return render(request, "reporting/missing.html", context)


@login_required
@require_POST
def remind_missing(request: HttpRequest, pk: int) -> HttpResponse:
    """Chase every unit below still owing the period's report; the worker sends the reminders."""
    schedule = _schedule(request, pk)
    unit = _scope_unit(request, schedule)
    if not authz.can(request.user, Perm.REMIND, unit):
        raise PermissionDenied
    key = _period_key(request, schedule)
    form = RemindForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    user_id = request.user.pk
    transaction.on_commit(lambda: tasks.remind_missing.enqueue(schedule.pk, unit.pk, key, user_id, message))
    messages.success(request, _("The reminders are being sent to the units that have not reported."))
    return redirect(f"{reverse('reporting:missing', args=[schedule.pk])}?unit={unit.pk}&period={key}")


@login_required
def rollup_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    schedule, unit, key = _rollup_of(request, pk)
    table = rollup.table(schedule, unit, key, indicator=None)
    response = HttpResponse(exports.rollup_workbook(table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{schedule.form.code}-{table.period.key}-{unit.pk}.xlsx"'
    return response


@login_required
def rollup_docx(request: HttpRequest, pk: int) -> HttpResponse:
    schedule, unit, key = _rollup_of(request, pk)
    table = rollup.table(schedule, unit, key)
    gathered = {
        f.indicator.code: rollup.texts(schedule, unit, key, f.indicator.code)
        for f in table.figures
        if f.indicator.is_text
    }
    data = exports.report_document(table, unit.name.upper(), gathered)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{schedule.form.code}-{key}-{unit.pk}.docx"'
    return response


# --- Dashboard -----------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A leader's view of their unit: reporting completeness, programme progress, key figures
    with their trend, and the units below that most need attention."""
    user = request.user
    unit_id = request.GET.get("unit")
    if unit_id:
        unit = authz.get_for_user(Unit.objects.all(), user, Perm.VIEW_REPORT, "path", pk=unit_id)
    else:
        top = authz.units(user, Perm.VIEW_REPORT).order_by("depth", "path").first()
        if top is None:
            raise PermissionDenied
        unit = top
    schedules = rollup.schedules_for(unit)
    trends = rollup.trends(unit, schedules)
    today = timezone.localdate()
    assignments = Assignment.objects.filter(unit__in=Unit.objects.subtree_of(unit))
    context = {
        "unit": unit,
        "trends": trends,
        "attention": rollup.attention(unit, trends),
        "tasks": program_services.status_counts(assignments, today),
        "today": today,
        "children": Unit.objects.filter(parent=unit).order_by("name")[:200],
    }
    return render(request, "reporting/dashboard.html", context)
