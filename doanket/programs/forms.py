"""Forms of the work-programme pages. Unit choices always come from the authorisation layer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from doanket.organizations.models import Unit
from doanket.programs.models import Kind, Recurrence


def unit_label(unit: Any) -> str:
    """A unit as officers tell units apart: "Ban công tác Mặt trận thôn 1 — Ủy ban MTTQ xã Bắc Hà"."""
    parent = unit.parent if unit.parent_id else None
    return f"{unit.name} — {parent.name}" if parent is not None else str(unit.name)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return unit_label(obj)


class UploadForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Programme of"))
    file = forms.FileField(
        label=_("The signed document"),
        help_text=_("DOCX, PDF with a text layer, TXT or Markdown, up to %(size)d MB.")
        % {"size": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.select_related("parent").order_by("path")  # type: ignore[attr-defined]


class PreviewForm(forms.Form):
    """The text as understood, which the officer may correct, and the header fields."""

    text = forms.CharField(label=_("Text of the document"), widget=forms.Textarea(attrs={"rows": 30}))
    token = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    number = forms.CharField(label=_("Number and symbol"), max_length=100, required=False)
    issuer = forms.CharField(label=_("Issuing body"), max_length=300, required=False)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    date = forms.DateField(label=_("Date"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    year = forms.IntegerField(label=_("Year"), min_value=1945, max_value=2100, required=False)
    theme = forms.CharField(label=_("Theme"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    lead = UnitChoiceField(queryset=Unit.objects.none(), label=_("Lead unit (chủ trì)"))
    supports = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(), label=_("Supporting units (phối hợp)"), required=False
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text=_("dd/mm/yyyy")
    )
    recurrence = forms.ChoiceField(label=_("Repeats"), choices=Recurrence.choices, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = units  # type: ignore[attr-defined]
        self.fields["supports"].queryset = units  # type: ignore[attr-defined]
        self.fields["supports"].label_from_instance = unit_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("recurrence") and not data.get("due_date"):
            self.add_error("due_date", _("A repeating task needs its first due date."))
        return data


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def clean_attachment(self) -> Any:
        attachment = self.cleaned_data.get("attachment")
        if attachment and attachment.size > settings.DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}
            )
        return attachment


class RemindForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class DeriveForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Programme of"))
    title = forms.CharField(label=_("Title of your programme"), max_length=500)
    items = forms.MultipleChoiceField(label=_("Items that concern your unit"), choices=(), required=True)

    def __init__(self, *args: Any, units: Any, item_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["items"].choices = item_choices  # type: ignore[attr-defined]


class ItemForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=40, required=False)
    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 3}))
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class ReviseForm(forms.Form):
    file = forms.FileField(label=_("The revised document"), required=False)
    text = forms.CharField(label=_("Or the corrected text"), required=False, widget=forms.Textarea(attrs={"rows": 20}))
    note = forms.CharField(label=_("What changed"), max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Upload the revised document or correct the text."))
        return data
