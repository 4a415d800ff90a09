"""Pages of training: the courses (read by the units within and below the organiser), each with
its attendees, results and materials; a person's training history; and, for the province, the
communes whose staff and village board heads were not trained this term."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.views import refused, submit
from doanket.organizations.models import Level, Person, PersonQuerySet, Unit, UnitKind
from doanket.training import services
from doanket.training.forms import (
    SHOWN,
    AttendeesForm,
    CourseForm,
    FindForm,
    ImportForm,
    MaterialForm,
    ResultForm,
    UntrainedForm,
)
from doanket.training.models import Attendance, Course, Material
from doanket.training.services import TrainingError

PAGE = 50


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_PROGRAM):
        raise PermissionDenied
    page = Paginator(services.courses_for(request.user), PAGE).get_page(request.GET.get("page"))
    form = CourseForm(request.user) if authz.can(request.user, Perm.EDIT_PROGRAM) else None
    return render(request, "training/courses.html", {"page": page, "form": form})


@login_required
@require_POST
def course_new(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_PROGRAM):
        raise PermissionDenied
    made = submit(
        request,
        CourseForm(request.user, request.POST),
        _("The course is not recorded: %(errors)s"),
        lambda data: services.create_course(request.user, data.pop("unit"), **data),
        errors=(TrainingError,),
        done=_("The course is recorded: add its attendees."),
    )
    return redirect("training:course", made.pk) if made else redirect("training:courses")


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a course: the form filled with what is recorded; the organiser cannot change."""
    course = _editable(request, pk)
    form = CourseForm(request.user, request.POST or None, initial=services.course_fields(course), fixed=course.unit)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("unit", None)
        try:
            services.edit_course(request.user, course, **data)
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The course is corrected."))
            return redirect("training:course", course.pk)
    return render(request, "training/course_edit.html", {"course": course, "form": form})


def _course(request: HttpRequest, pk: int) -> Course:
    return authz.get_for_user(
        Course.objects.select_related("unit"), request.user, Perm.VIEW_PROGRAM, "unit__path", upward=True, pk=pk
    )


def _editable(request: HttpRequest, pk: int) -> Course:
    course = _course(request, pk)
    if not authz.can(request.user, Perm.EDIT_PROGRAM, course.unit):
        raise PermissionDenied
    return course


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    edit = authz.can(request.user, Perm.EDIT_PROGRAM, course.unit)
    attendees = list(services.attendees_shown(request.user, course))
    personal = {a.pk for a in attendees if authz.can(request.user, Perm.VIEW_PERSONAL_DATA, a.person.unit)}
    context = {
        "course": course,
        "attendees": attendees,
        "personal": personal,
        "materials": list(course.materials.all()),
        "edit": edit,
    }
    if edit:
        everyone = cast(PersonQuerySet, services.candidates(course).exclude(trainings__course=course))
        units = Unit.objects.filter(path__startswith=course.unit.path or "").exclude(level=Level.VILLAGE)
        find = FindForm(units, request.GET or None)
        shown = everyone
        if find.is_valid():
            if find.cleaned_data["q"]:
                shown = shown.search(find.cleaned_data["q"])
            if find.cleaned_data["within"]:
                shown = shown.filter(unit__path__startswith=find.cleaned_data["within"].path)
        context |= {
            "find": find,
            "add": AttendeesForm(everyone, list(shown.order_by("name_key", "pk")[:SHOWN])),
            "sheet": ImportForm(),
            "upload": MaterialForm(),
            "columns": services.SHEET_COLUMNS,
        }
    return render(request, "training/course.html", context)


@login_required
@require_POST
def attendees_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = _editable(request, pk)
    form = AttendeesForm(services.candidates(course), [], request.POST)
    if not form.is_valid():
        refused(request, _("Nobody was added: %(errors)s"), form)
        return redirect("training:course", course.pk)
    try:
        added = services.add_attendees(request.user, course, form.cleaned_data["people"])
    except TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s people added.") % {"n": added})
    return redirect("training:course", course.pk)


@login_required
@require_POST
def attendees_import(request: HttpRequest, pk: int) -> HttpResponse:
    course = _editable(request, pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        refused(request, _("Nobody was added: %(errors)s"), form)
        return redirect("training:course", course.pk)
    sheet = form.cleaned_data["sheet"]
    try:
        added = services.import_attendees(request.user, course, sheet.read(), sheet.name)
    except TrainingError as exc:
        messages.error(request, str(exc))
        for problem in exc.problems[:30]:
            messages.error(request, problem)
        if len(exc.problems) > 30:
            messages.error(request, _("… and %(n)s more lines.") % {"n": len(exc.problems) - 30})
    else:
        messages.success(request, _("%(n)s people added from the sheet.") % {"n": added})
    return redirect("training:course", course.pk)


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = _editable(request, pk)
    submit(
        request,
        MaterialForm(request.POST, request.FILES),
        _("The document is not kept: %(errors)s"),
        lambda data: services.add_material(request.user, course, data["file"]),
        errors=(TrainingError,),
        done=_("The document is kept."),
    )
    return redirect("training:course", course.pk)


@login_required
def material(request: HttpRequest, pk: int) -> FileResponse:
    found = authz.get_for_user(
        Material.objects.select_related("course__unit"),
        request.user,
        Perm.VIEW_PROGRAM,
        "course__unit__path",
        upward=True,
        pk=pk,
    )
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name, content_type=found.content_type)


def _attendance(request: HttpRequest, pk: int) -> Attendance:
    return authz.get_for_user(
        Attendance.objects.select_related("course__unit", "person"),
        request.user,
        Perm.EDIT_PROGRAM,
        "course__unit__path",
        pk=pk,
    )


@login_required
@require_POST
def attendance_result(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = _attendance(request, pk)
    submit(
        request,
        ResultForm(request.POST),
        _("The result is not recorded: %(errors)s"),
        lambda data: services.record_result(request.user, attendance, **data),
        errors=(TrainingError,),
        done=_("The result is recorded."),
    )
    return redirect("training:course", attendance.course_id)


@login_required
@require_POST
def attendance_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = _attendance(request, pk)
    services.remove_attendee(request.user, attendance)
    messages.success(request, _("%(name)s is taken off the list.") % {"name": attendance.person.full_name})
    return redirect("training:course", attendance.course_id)


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = authz.get_for_user(
        Person.objects.select_related("unit"), request.user, Perm.VIEW_PEOPLE, "unit__path", pk=pk
    )
    context = {"person": person, "trainings": list(services.history(person))}
    return render(request, "training/person.html", context)


def _period(request: HttpRequest, top: Unit, form: UntrainedForm) -> services.Period:
    terms = services.terms_of(top)
    term_field = form.fields["term"]
    assert isinstance(term_field, forms.TypedChoiceField)
    term_field.choices = [(t.pk, f"{t.name} ({t.unit.name})") for t in terms]
    chosen = request.GET.get("term", "")
    term = next((t for t in terms if str(t.pk) == chosen), None) or services.current_term(terms, services.today())
    return services.period(term, services.today())


@login_required
def untrained(request: HttpRequest) -> HttpResponse:
    """The communes of a province (or of the unit chosen) with their staff and village board heads
    not trained in the term chosen, the current term by default."""
    if not authz.can(request.user, Perm.VIEW_PEOPLE):
        raise PermissionDenied
    units = authz.units(request.user, Perm.VIEW_PEOPLE).filter(kind=UnitKind.COMMITTEE).exclude(level=Level.VILLAGE)
    form = UntrainedForm(request.GET or None)
    unit_field = form.fields["unit"]
    assert isinstance(unit_field, forms.TypedChoiceField)
    # The units above the communes (a national scope lists some sixty, not ten thousand communes);
    # a commune officer's page is their commune's, and ?unit= still takes a commune in scope.
    unit_field.choices = [(u.pk, u.name) for u in units.exclude(level=Level.COMMUNE).only("id", "name", "path")]
    chosen = request.GET.get("unit", "")
    top = (units.filter(pk=int(chosen)).first() if chosen.isdigit() else None) or units.order_by(
        "depth", "path"
    ).first()
    if top is None:
        return render(request, "training/untrained.html", {"form": form, "top": None, "rows": []})
    when = _period(request, top, form)
    form.initial = {"unit": top.pk, "term": when.term.pk if when.term else None}
    rows = services.untrained(request.user, top, when)
    context = {
        "form": form,
        "top": top,
        "when": when,
        "rows": rows,
        "lacking": sum(1 for r in rows if r.untrained or not r.recorded),
        "untrained_total": sum(r.untrained for r in rows),
        "recorded_total": sum(r.recorded for r in rows),
    }
    return render(request, "training/untrained.html", context)


@login_required
def untrained_commune(request: HttpRequest, pk: int) -> HttpResponse:
    """The people of one commune (or any unit) not trained in the term: who to invite next."""
    unit = authz.get_for_user(Unit.objects.all(), request.user, Perm.VIEW_PEOPLE, "path", pk=pk)
    form = UntrainedForm(request.GET or None)
    when = _period(request, unit, form)
    people = services.untrained_in(request.user, unit, when)
    personal = {u.person.pk for u in people if authz.can(request.user, Perm.VIEW_PERSONAL_DATA, u.person.unit)}
    context = {"unit": unit, "when": when, "people": people, "personal": personal, "form": form}
    return render(request, "training/untrained_commune.html", context)
