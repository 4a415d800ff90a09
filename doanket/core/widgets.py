"""Form widgets shared by the modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

OPTIONS_SHOWN = 50  # a searchable list sends at most this many choices; its search box finds the rest


class DateInput(forms.DateInput):
    """The browser's date picker. ``<input type=date>`` takes its value as yyyy-mm-dd whatever the
    language (and shows dd/mm/yyyy itself): a date given in the Vietnamese input format,
    01/01/2026, left the field empty and the form unsendable."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, required: bool = True) -> forms.DateField:
    """A date field with the browser's date picker."""
    return forms.DateField(label=label, required=required, widget=DateInput())


class SearchSelect(forms.Select):
    """A list of choices with a search box above it: the page sends only the first
    :data:`OPTIONS_SHOWN` (and the one chosen), and typing in the box asks the server for the
    matching ones (``options_url``, HTMX, answered by :func:`options_response`) — a province has
    thousands of poor households and of people."""

    template_name = "core/widgets/search_select.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, search_label: Any = None) -> None:
        super().__init__(attrs=attrs)
        self.search_label = search_label or _("Search by name")
        self.options_url = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["options_url"] = self.options_url
        context["widget"]["search_label"] = self.search_label
        return context


def searchable(form: forms.Form, name: str, queryset: Any, url: str) -> None:
    """Field ``name`` of ``form`` validated against the whole ``queryset`` but shown with its first
    choices only, plus the one already chosen (a form sent back with an error keeps it); typing in
    its search box asks ``url``."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField) and isinstance(field.widget, SearchSelect)
    field.queryset = queryset
    shown = list(queryset[:OPTIONS_SHOWN])
    chosen = str(form.data.get(name) or form.initial.get(name) or "")
    if chosen.isdigit() and all(str(item.pk) != chosen for item in shown):
        shown += list(queryset.filter(pk=int(chosen)))
    labelled = [(item.pk, field.label_from_instance(item)) for item in shown]
    field.widget.choices = [("", field.empty_label or ""), *labelled]
    field.widget.options_url = url


def options_response(request: HttpRequest, found: Any, label: Callable[[Any], str]) -> HttpResponse:
    """The ``<option>`` elements answering a search box: the first :data:`OPTIONS_SHOWN` of
    ``found`` (a queryset sliced to one more, to tell whether there are more)."""
    shown = list(found[: OPTIONS_SHOWN + 1])
    context = {
        "options": [(item.pk, label(item)) for item in shown[:OPTIONS_SHOWN]],
        "more": len(shown) > OPTIONS_SHOWN,
        "shown": OPTIONS_SHOWN,
    }
    return render(request, "core/_search_options.html", context)
