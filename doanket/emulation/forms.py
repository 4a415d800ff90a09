from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.widgets import DateInput, SearchSelect, date_field, searchable
from doanket.emulation.models import (
    AwardKind,
    ContentArea,
    Criterion,
    ExemplarKind,
    Measure,
    Movement,
    MovementKind,
    Nomination,
    NominationStatus,
    Stage,
)
from doanket.organizations.forms import PersonField
from doanket.organizations.models import Level, Person, Unit, UnitKind
from doanket.reporting.models import Schedule


def offered_units(user: Any) -> Any:
    """The units ``user`` may act for in a list: its units except villages, and the villages of its
    own communes (a province officer is not offered thousands of village boards)."""
    editable = authz.units(user, Perm.EDIT_PROGRAM)
    return editable.filter(~Q(level=Level.VILLAGE) | Q(parent__in=editable.filter(level=Level.COMMUNE))).order_by(
        "path"
    )


def offered_people(user: Any, text: str = "") -> Any:
    """The people ``user`` may propose for an award: those managed by the units whose programme it
    edits, found by name without accents."""
    return (
        Person.objects.filter(unit__in=authz.units(user, Perm.EDIT_PROGRAM).values("pk"))
        .search(text)
        .select_related("unit")
        .order_by("name_key", "pk")
    )


class LaunchForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Launched by"), queryset=Unit.objects.none())
    document = forms.FileField(
        label=_("Launch document (DOCX, PDF with text, TXT)"),
        required=False,
        help_text=_("Its numbered contents become the movement's content areas."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=500, required=False, help_text=_("Taken from the document when left empty.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=MovementKind.choices)
    starts_on = date_field(_("From"))
    ends_on = date_field(_("To"))
    level = forms.ChoiceField(label=_("Taking part: units of level"), choices=Level.choices, initial=Level.COMMUNE)
    participant_kind = forms.ChoiceField(label=_("and of kind"), choices=UnitKind.choices, initial=UnitKind.COMMITTEE)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = authz.committees(user)

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
    period_from = date_field(_("From"))
    period_to = date_field(_("To"))


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
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
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


class NominationForm(forms.Form):
    proposed_by = forms.ModelChoiceField(label=_("Proposed by"), queryset=Unit.objects.none())
    decided_by = forms.ModelChoiceField(
        label=_("Decided by"), queryset=Unit.objects.none(), help_text=_("The proposing unit or a unit above it.")
    )
    kind = forms.ChoiceField(label=_("Award"), choices=AwardKind.choices)
    recipient_unit = forms.ModelChoiceField(
        label=_("Unit awarded"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("A unit, or a person below: one of the two."),
    )
    recipient_person = PersonField(
        label=_("Person awarded"), queryset=Person.objects.none(), required=False, widget=SearchSelect()
    )
    achievement = forms.CharField(label=_("Achievement"), widget=forms.Textarea(attrs={"rows": 4}))
    movement = forms.ModelChoiceField(label=_("Movement"), queryset=Movement.objects.none(), required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = authz.committees(user)
        self._set("proposed_by", mine)
        above = authz.ancestor_paths([path or "" for path in mine.values_list("path", flat=True)])
        self._set(
            "decided_by",
            Unit.objects.filter(Q(pk__in=mine.values("pk")) | Q(path__in=above))
            .exclude(level=Level.VILLAGE)
            .order_by("path"),
        )
        self._set("recipient_unit", offered_units(user))
        searchable(self, "recipient_person", offered_people(user), reverse("emulation:award_people"))
        self._set(
            "movement", Movement.objects.filter(authz.scope_q_with_ancestors(user, Perm.VIEW_PROGRAM, "unit__path"))
        )

    def _set(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("recipient_unit")) == bool(cleaned.get("recipient_person")):
            raise forms.ValidationError(_("Name either the unit or the person to be awarded."))
        return cleaned


class NominationReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Review"),
        choices=[("1", _("For decision")), ("0", _("Return to the proposing unit"))],
        coerce=lambda value: value == "1",
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NominationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()} — {obj.recipient_name}"


class DecisionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Deciding unit"), queryset=Unit.objects.none())
    nominations = NominationsField(
        label=_("Nominations awarded"), queryset=Nomination.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    number = forms.CharField(label=_("Number and symbol"), max_length=100)
    decided_on = date_field(_("Date"))
    signer = forms.CharField(label=_("Signed by"), max_length=200)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, initial="CHỦ TỊCH")
    public = forms.BooleanField(label=_("Show the awards on the portal"), required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editable = authz.units(user, Perm.EDIT_PROGRAM)
        units = self.fields["unit"]
        assert isinstance(units, forms.ModelChoiceField)
        units.queryset = authz.committees(user)
        chosen = self.fields["nominations"]
        assert isinstance(chosen, forms.ModelMultipleChoiceField)
        chosen.queryset = Nomination.objects.filter(
            status=NominationStatus.ACCEPTED, decided_by__in=editable.values("pk")
        ).select_related("recipient_unit", "recipient_person")


class ExemplarForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ExemplarKind.choices)
    title = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(label=_("What it is and how it works"), widget=forms.Textarea(attrs={"rows": 4}))
    results = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    started_on = forms.DateField(label=_("Since"), required=False, widget=DateInput())
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPEG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    public = forms.BooleanField(label=_("Show it on the portal"), required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offered_units(user)


class AdoptionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Adopted by"), queryset=Unit.objects.none())
    adopted_on = date_field(_("Since"))
    results = forms.CharField(label=_("Results so far"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, units: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class UpwardForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Nominate to"), queryset=Unit.objects.none())

    def __init__(self, exemplar: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(path__in=authz.ancestor_paths([exemplar.unit.path or ""])).exclude(
            pk=exemplar.unit_id
        )
