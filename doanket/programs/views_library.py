"""The directive library pages: the documents cited by the programmes a user can read.

A unit reads the library of its own subtree and of the units above it (what an upper committee
cites is addressed to the units below); only the owning unit's subtree edits an entry. Every
record is fetched through ``authz``; the work is done in ``doanket.programs.library``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.documents.readers import DocumentError
from doanket.organizations.forms import DateInput
from doanket.organizations.models import Unit
from doanket.programs import library
from doanket.programs.models import Directive

PAGE_SIZE = 50
UPLOAD_FORMATS = ".docx,.pdf,.txt,.md"


@dataclass
class Row:
    directive: Directive
    type_label: str
    citations: int


class DirectiveForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    issuer = forms.CharField(label=gettext_lazy("Issuing body"), required=False, max_length=300)
    date = forms.DateField(label=gettext_lazy("Date"), required=False, widget=DateInput())
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    file = forms.FileField(
        label=gettext_lazy("Full text (Word, PDF or text file)"),
        required=False,
        allow_empty_file=True,  # an empty file gets the reader's own message
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_FORMATS}),
        help_text=gettext_lazy("Optional. Replaces the full text kept for this document."),
    )

    def __init__(self, *args: Any, directive: Directive, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: getattr(directive, name) for name in library.EDITABLE_FIELDS})
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", "—"), *library.type_choices()]
        if directive.type and directive.type not in library.TYPE_LABELS:
            choices.append((directive.type, directive.type))  # an older or unknown type stays valid
        type_field = self.fields["type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = choices


def _visible(user: Any, path_field: str = "unit__path") -> Q:
    return authz.scope_q_with_ancestors(user, Perm.VIEW_PROGRAM, path_field)


@login_required
@require_safe
@vary_on_headers("HX-Request")  # the same URL answers a page or, to HTMX, only the rows
def directive_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    type_ = request.GET.get("type", "")
    unit_id = request.GET.get("unit", "")
    entries = Directive.objects.filter(_visible(request.user))
    if q:
        entries = library.search_directives(entries, q)
    if type_ in library.TYPE_LABELS:
        entries = entries.filter(type=type_)
    unit: Unit | None = None
    if unit_id.isdigit():
        unit = Unit.objects.filter(_visible(request.user, "path"), pk=int(unit_id)).only("id", "name").first()
        entries = entries.filter(unit=unit) if unit is not None else entries.none()
    entries = (
        entries.select_related("unit")
        .defer("full_text", "search_key")
        .annotate(citation_count=Count("citations", filter=_visible(request.user, "citations__program__unit__path")))
        .order_by(F("date").desc(nulls_last=True), "code", "pk")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        Row(d, library.type_label(d.type), d.citation_count)  # type: ignore[attr-defined]  # the annotation
        for d in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "q": q,
        "type": type_,
        "types": library.type_choices(),
        "unit": unit,
    }
    template = "programs/library_rows.html" if request.headers.get("HX-Request") else "programs/library_list.html"
    return render(request, template, context)


@login_required
@require_safe
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = authz.get_for_user(
        Directive.objects.select_related("unit"), request.user, Perm.VIEW_PROGRAM, "unit__path", upward=True, pk=pk
    )
    context = {
        "directive": directive,
        "type_label": library.type_label(directive.type),
        "citing": library.citing_programs(directive, _visible(request.user, "program__unit__path")),
        "can_edit": authz.can(request.user, Perm.EDIT_PROGRAM, directive.unit),
    }
    return render(request, "programs/library_detail.html", context)


@login_required
@require_safe
def directive_file(request: HttpRequest, pk: int) -> FileResponse:
    directive = authz.get_for_user(
        Directive.objects.all(), request.user, Perm.VIEW_PROGRAM, "unit__path", upward=True, pk=pk
    )
    if not directive.file:
        raise Http404
    name = (directive.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(directive.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_http_methods(["GET", "POST"])
def directive_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Not upward: only the owning unit and the units above it edit its library.
    directive = authz.get_for_user(
        Directive.objects.select_related("unit"), request.user, Perm.EDIT_PROGRAM, "unit__path", pk=pk
    )
    form = DirectiveForm(request.POST or None, request.FILES or None, directive=directive)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in library.EDITABLE_FIELDS}
        upload = form.cleaned_data.get("file")
        try:
            library.edit_directive(
                request.user, directive, fields, (upload.read(), upload.name or "") if upload else None
            )
        except DocumentError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("The library entry was saved."))
            return redirect("library:detail", pk=directive.pk)
    return render(request, "programs/library_form.html", {"form": form, "directive": directive})
