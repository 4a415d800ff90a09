from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.emulation.models import ContentArea, Criterion, Measure, Movement, MovementKind, Stage
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.reporting.models import Schedule


def _date(label: Any) -> forms.DateField:
    # A date input takes its value as yyyy-mm-dd whatever the language (it shows dd/mm/yyyy itself).
    return forms.DateField(label=label, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class LaunchForm(forms.Form):
    unit = UnitField(label=_("Launched by"), queryset=Unit.objects.none())
    document = forms.FileField(
        label=_("Launch document (DOCX, PDF with text, TXT)"),
        required=False,
        help_text=_("Its numbered contents become the movement's content areas."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=500, required=False, help_text=_("Taken from the document when left empty.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=MovementKind.choices)
    starts_on = _date(_("From"))
    ends_on = _date(_("To"))
    level = forms.ChoiceField(label=_("Taking part: units of level"), choices=Level.choices, initial=Level.COMMUNE)
    participant_kind = forms.ChoiceField(label=_("and of kind"), choices=UnitKind.choices, initial=UnitKind.COMMITTEE)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = authz.units(user, Perm.EDIT_PROGRAM).exclude(level=Level.VILLAGE).order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("document") and not (data.get("title") or "").strip():
            raise forms.ValidationError(_("Upload the launch document, or give the movement's title."))
        return data


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=300)
    weight = forms.IntegerField(label=_("Weight (points)"), min_value=1, max_value=100)
    measure = forms.ChoiceField(label=_("Measured"), choices=Measure.choices, initial=Measure.MANUAL)
    schedule = forms.ModelChoiceField(
        label=_("Reports (for a criterion from a report)"), queryset=Schedule.objects.none(), required=False
    )
    indicator_code = forms.CharField(label=_("Indicator code (for a criterion from a report)"), required=False)
    target = forms.IntegerField(
        label=_("Figure that earns full points"),
        min_value=1,
        required=False,
        help_text=_("Left empty, the best unit's figure earns full points."),
    )
    area = forms.ModelChoiceField(label=_("Content area"), queryset=ContentArea.objects.none(), required=False)

    def __init__(self, movement: Movement, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = movement.areas.all()
        # The reports of the launching unit's schedules (its units report on them).
        schedules = self.fields["schedule"]
        assert isinstance(schedules, forms.ModelChoiceField)
        schedules.queryset = Schedule.objects.filter(unit=movement.unit).select_related("form").order_by("name")


class ReviewForm(forms.Form):
    stage = forms.ChoiceField(label=_("Review"), choices=Stage.choices)
    period_from = _date(_("From"))
    period_to = _date(_("To"))


class PointsForm(forms.Form):
    criterion = forms.ModelChoiceField(label=_("Criterion"), queryset=Criterion.objects.none())
    points = forms.DecimalField(label=_("Points"), min_value=0, max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, movement: Movement, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["criterion"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = movement.criteria.all()


class RegistrationForm(forms.Form):
    unit = UnitField(label=_("Unit"), queryset=Unit.objects.none())
    targets = forms.CharField(
        label=_("Targets the unit sets itself"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, with figures where they can be counted."),
    )

    def __init__(self, units: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class UnitPointsForm(PointsForm):
    """Points for one unit, named in the form (the page of a unit's scores sends it)."""

    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), widget=forms.HiddenInput)

    def __init__(self, movement: Movement, units: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(movement, *args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
