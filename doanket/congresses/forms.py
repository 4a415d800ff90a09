from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.congresses.models import Congress, StepKind
from doanket.congresses.services import ELECTED, candidates, figures
from doanket.core.widgets import SearchSelect, date_field, searchable
from doanket.organizations.forms import PersonField
from doanket.organizations.models import Person, PositionKind, Unit


class PlanForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(
        label=_("Name of the congress"),
        max_length=300,
        help_text=_("As it is written, e.g. “Đại hội đại biểu MTTQ Việt Nam xã … lần thứ …”."),
    )
    term_name = forms.CharField(label=_("Term"), max_length=40, help_text=_("e.g. 2024–2029"))
    term_start = date_field(_("Term starts"))
    term_end = date_field(_("Term ends"), required=False)
    planned_on = date_field(_("Planned date"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = authz.committees(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", _("The term must end after it starts."))
        return data


class CongressForm(forms.ModelForm):
    planned_on = date_field(_("Planned date"))
    held_on = date_field(_("Held on"), required=False)

    class Meta:
        model = Congress
        fields = ["name", "planned_on", "held_on", "place", "delegates", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=StepKind.choices)
    title = forms.CharField(label=_("Description"), max_length=300, required=False)
    due_on = date_field(_("Due date"), required=False)


class StepDoneForm(forms.Form):
    done_on = date_field(_("Done on"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ElectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Position"), choices=[])
    person = PersonField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        widget=SearchSelect(search_label=_("Search by name, without accents")),
        help_text=_("Someone managed by the unit or a unit below it (a member organisation, a village board)."),
    )
    full_name = forms.CharField(
        label=_("Or a new person's full name"), max_length=150, required=False, help_text=_("Added to the unit.")
    )
    title = forms.CharField(label=_("Title as written"), max_length=200, required=False)

    def __init__(self, congress: Congress, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k.value, k.label) for k in PositionKind if k in ELECTED]
        searchable(self, "person", candidates(congress), reverse("congresses:people", args=[congress.pk]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not (data.get("full_name") or "").strip():
            raise forms.ValidationError(_("Choose a person or type the name of a new one."))
        return data


class ResolutionForm(forms.Form):
    file = forms.FileField(
        label=_("Resolution (DOCX, PDF or TXT)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > settings.DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


class TargetForm(forms.Form):
    text = forms.CharField(label=_("Target"), max_length=500)
    value = forms.IntegerField(label=_("Target value"), min_value=0)
    measure = forms.CharField(label=_("Unit of measure"), max_length=40, required=False)
    figure = forms.ChoiceField(
        label=_("Compared with the report figure"),
        required=False,
        help_text=_("A figure of a report that reaches this unit; leave empty for a target followed by hand."),
    )

    def __init__(self, schedules: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schedules = {schedule.pk: schedule for schedule in schedules}
        field = self.fields["figure"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [
            (f"{schedule.pk}:{indicator.code}", f"{schedule.name} — {indicator.label} ({indicator.code})")
            for schedule, indicator in figures(list(self.schedules.values()))
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        schedule_pk, _sep, code = (data.get("figure") or "").partition(":")
        data["schedule"] = self.schedules.get(int(schedule_pk)) if schedule_pk else None
        data["indicator"] = code
        return data
