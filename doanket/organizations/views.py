"""Pages of the hierarchy. Every record is fetched through ``authz``; views stay thin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.organizations import person_pages, personal_data, services
from doanket.organizations.forms import PersonForm, SearchForm, UnitForm
from doanket.organizations.models import Level, Person, PersonQuerySet, Position, Unit, UnitKind, UnitQuerySet

PAGE_SIZE = 50


def _page(request: HttpRequest, queryset: Any) -> Page[Any]:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@dataclass
class PathPage:
    """A page of units by path, reached with ``?after=<path>`` / ``?before=<path>`` (keyset).

    Unlike OFFSET, every page costs the same however deep it is: one index range of 51 rows.
    """

    rows: list[Unit]
    count: int
    has_previous: bool
    has_next: bool

    @property
    def first_path(self) -> str:
        return self.rows[0].path or "" if self.rows else ""

    @property
    def last_path(self) -> str:
        return self.rows[-1].path or "" if self.rows else ""


def _path_page(request: HttpRequest, units: UnitQuerySet) -> PathPage:
    after, before = request.GET.get("after", ""), request.GET.get("before", "")
    count = units.count()
    if before.isdigit():
        rows = list(units.filter(path__lt=before).order_by("-path")[: PAGE_SIZE + 1])
        return PathPage(rows[:PAGE_SIZE][::-1], count, has_previous=len(rows) > PAGE_SIZE, has_next=True)
    if after.isdigit():
        units = units.filter(path__gt=after)
    rows = list(units.order_by("path")[: PAGE_SIZE + 1])
    return PathPage(rows[:PAGE_SIZE], count, has_previous=after.isdigit(), has_next=len(rows) > PAGE_SIZE)


@login_required
@vary_on_headers("HX-Request")  # a page, or only its rows to HTMX
def unit_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    units = authz.units(request.user, Perm.VIEW_UNIT).select_related("parent")
    assert isinstance(units, UnitQuerySet)
    q = form.data.get("q", "")
    level = request.GET.get("level", "")
    kind = request.GET.get("kind", "")
    if q:
        units = units.search(q)
    if level in Level.values:
        units = units.filter(level=level)
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    context = {
        "form": form,
        "page": _path_page(request, units),
        "levels": Level.choices,
        "kinds": UnitKind.choices,
        "level": level,
        "kind": kind,
        "q": q,
    }
    template = "organizations/_unit_rows.html" if request.headers.get("HX-Request") else "organizations/unit_list.html"
    return render(request, template, context)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = authz.get_for_user(Unit.objects.select_related("parent"), request.user, Perm.VIEW_UNIT, "path", pk=pk)
    ancestors = list(Unit.objects.filter(path__in=unit.ancestor_paths()).only("id", "name", "path"))
    visible_ancestors = {a.pk for a in ancestors if authz.can(request.user, Perm.VIEW_UNIT, a)}
    counts = Unit.objects.count_below_by_level(unit)
    children = unit.children.order_by("kind", "name_key")
    positions = (
        Position.objects.filter(unit=unit).select_related("person", "term").order_by("kind", "person__name_key")[:200]
    )
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "visible_ancestors": visible_ancestors,
        "level_counts": [(label, counts.get(value, 0)) for value, label in Level.choices if counts.get(value)],
        "total_below": sum(counts.values()),
        "children_page": _page(request, children),
        "positions": positions,
        "successions": unit.successions.select_related("successor").all(),
        "predecessions": unit.predecessions.select_related("predecessor").all(),
        "can_edit": authz.can(request.user, Perm.EDIT_UNIT, unit),
    }
    return render(request, "organizations/unit_detail.html", context)


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = authz.get_for_user(Unit.objects.all(), request.user, Perm.EDIT_UNIT, "path", pk=pk)
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_unit(request.user, unit, **form.cleaned_data)
        messages.success(request, _("The unit was saved."))
        return redirect("organizations:unit_detail", pk=unit.pk)
    return render(request, "organizations/unit_form.html", {"form": form, "unit": unit})


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.EDIT_UNIT):
        raise PermissionDenied
    initial = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        parent = authz.get_for_user(Unit.objects.all(), request.user, Perm.EDIT_UNIT, "path", pk=int(parent_id))
        initial = {"parent": parent, "level": parent.level, "kind": UnitKind.VILLAGE_BOARD}
    form = UnitForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        unit = services.create_unit(request.user, **form.cleaned_data)
        messages.success(request, _("The unit was created."))
        return redirect("organizations:unit_detail", pk=unit.pk)
    return render(request, "organizations/unit_form.html", {"form": form, "unit": None})


@login_required
@vary_on_headers("HX-Request")  # a page, or only its rows to HTMX
def person_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    people = authz.scoped(Person.objects.select_related("unit"), request.user, Perm.VIEW_PEOPLE, "unit__path")
    assert isinstance(people, PersonQuerySet)
    q = form.data.get("q", "")
    if q:
        people = people.search(q)
    context = {"form": form, "page": _page(request, people), "q": q}
    template = (
        "organizations/_person_rows.html" if request.headers.get("HX-Request") else "organizations/person_list.html"
    )
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = authz.get_for_user(
        Person.objects.select_related("unit"), request.user, Perm.VIEW_PEOPLE, "unit__path", pk=pk
    )
    context = {
        "person": person,
        "positions": authz.scoped(
            person.positions.select_related("unit", "term"), request.user, Perm.VIEW_UNIT, "unit__path"
        ),
        "show_personal": authz.can(request.user, Perm.VIEW_PERSONAL_DATA, person.unit),
        "can_edit": authz.can(request.user, Perm.EDIT_PEOPLE, person.unit),
        "pages": person_pages.links(person),
    }
    return render(request, "organizations/person_detail.html", context)


@login_required
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the person, as JSON, for a data-subject request: for the roles that
    see personal data; each export is in the audit log."""
    person = authz.get_for_user(
        Person.objects.select_related("unit"), request.user, Perm.VIEW_PERSONAL_DATA, "unit__path", pk=pk
    )
    document = personal_data.export(person)
    audit.record(request.user, AuditAction.EXPORT, person, before={}, after={"exported_at": document["exported_at"]})
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        if not authz.can(request.user, Perm.EDIT_PEOPLE):
            raise PermissionDenied
        person = Person()
    else:
        person = authz.get_for_user(Person.objects.all(), request.user, Perm.EDIT_PEOPLE, "unit__path", pk=pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_person(request.user, form.save(commit=False))
        messages.success(request, _("The person was saved."))
        return redirect("organizations:person_detail", pk=form.instance.pk)
    return render(request, "organizations/person_form.html", {"form": form, "person": person if pk else None})
