from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.core.widgets import date_field
from doanket.organizations.forms import person_label
from doanket.organizations.models import Person, Unit

SHOWN = 50  # people offered at once on the course's page; the search finds the others


class CourseForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Organised by"), queryset=Unit.objects.none())
    topic = forms.CharField(label=_("Topic"), max_length=300)
    trainers = forms.CharField(label=_("Trainers (one per line)"), widget=forms.Textarea(attrs={"rows": 2}))
    start_date = date_field(_("From"))
    end_date = date_field(_("Until"))
    place = forms.CharField(label=_("Place"), max_length=300)
    for_staff = forms.BooleanField(label=_("For Front staff"), required=False, initial=True)
    for_village_heads = forms.BooleanField(label=_("For village board heads"), required=False)
    for_committee = forms.BooleanField(label=_("For committee members"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, user: Any, *args: Any, fixed: Unit | None = None, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"start_date": today, "end_date": today, "for_staff": True})
        super().__init__(*args, **kwargs)
        if fixed is not None:  # correcting a course: its organiser stays
            del self.fields["unit"]
            return
        units = self.fields["unit"]
        assert isinstance(units, forms.ModelChoiceField)
        units.queryset = authz.committees(user)


class PeopleField(forms.ModelMultipleChoiceField):
    """Several people, each shown as ``organizations.forms.PersonField`` shows one."""

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class AttendeesForm(forms.Form):
    """People to add, picked among those the search found; validated against everyone who may
    attend."""

    people = PeopleField(label=_("People"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, everyone: QuerySet[Person], shown: list[Person], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, PeopleField)
        field.queryset = everyone
        field.widget.choices = [(p.pk, person_label(p)) for p in shown]


class FindForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    within = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, units: QuerySet[Unit], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        within = self.fields["within"]
        assert isinstance(within, forms.ModelChoiceField)
        within.queryset = units


class ImportForm(forms.Form):
    sheet = forms.FileField(label=_("Attendance sheet (.xlsx)"))


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, JPEG or PNG)"))


class ResultForm(forms.Form):
    completed = forms.BooleanField(label=_("Completed"), required=False)
    result = forms.CharField(label=_("Result"), max_length=100, required=False)
    certificate = forms.CharField(label=_("Certificate number"), max_length=100, required=False)


class UntrainedForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    term = forms.TypedChoiceField(label=_("Term"), coerce=int, required=False, empty_value=None)
