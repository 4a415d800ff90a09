"""Forms over units and people. Every unit choice list comes from the authorisation layer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.organizations.models import Level, Person, Unit


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, **kwargs)


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "parent", "level", "kind", "division_type", "official_code", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        # A unit can only be placed under a unit the user may edit.
        # Villages hold no sub-units of the hierarchy, which keeps the list short at any scale.
        # The unit's current parent stays a valid choice, even above the user's scope (their own
        # commune belongs to the province).
        choices = authz.units(user, authz.Perm.EDIT_UNIT).exclude(level=Level.VILLAGE)
        if self.instance.parent_id:
            choices = choices | Unit.objects.filter(pk=self.instance.parent_id)
        parent.queryset = choices.only("id", "name", "path")
        parent.required = not authz.is_system_admin(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent = data.get("parent")
        if (
            parent is not None
            and self.instance.pk
            and self.instance.path
            and (parent.path or "").startswith(self.instance.path)
        ):
            self.add_error("parent", _("A unit cannot belong to itself or to a unit below it."))
        return data


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "full_name",
            "unit",
            "gender",
            "birth_date",
            "ethnicity",
            "religion",
            "phone",
            "email",
            "is_prestigious_person",
            "is_elder",
            "is_religious_dignitary",
            "is_advisory_member",
            "community",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = authz.units(user, authz.Perm.EDIT_PEOPLE).only("id", "name", "path")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


def person_label(person: Person) -> str:
    """A person told apart from namesakes by the unit that manages them (no personal data)."""
    return f"{person.full_name} — {person.unit.name}"


class PersonField(forms.ModelChoiceField):
    """A choice of people, each shown by :func:`person_label`."""

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)
