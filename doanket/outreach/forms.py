from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.widgets import SearchSelect, date_field, searchable
from doanket.funds.models import Campaign
from doanket.organizations.forms import PersonField
from doanket.organizations.models import Level, Person, Unit
from doanket.outreach import services
from doanket.outreach.models import Occasion, Risk


class RegistryFilter(forms.Form):
    standing = forms.ChoiceField(
        label=_("Standing"),
        required=False,
        choices=[
            ("", _("All")),
            ("prestigious", _("Prestigious persons")),
            ("elder", _("Village elders and heads")),
            ("dignitary", _("Religious dignitaries")),
            ("advisory", _("Advisory council members")),
        ],
    )
    q = forms.CharField(label=_("Name"), required=False, max_length=100)


class VisitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Occasion.choices)
    visited_on = date_field(_("Date"))
    visitors = forms.CharField(label=_("Visitors (one per line)"), widget=forms.Textarea(attrs={"rows": 2}))
    person = PersonField(
        label=_("Person visited"),
        queryset=Person.objects.none(),
        required=False,
        widget=SearchSelect(),
        help_text=_("From the registry; or name the community or family below."),
    )
    community = forms.CharField(label=_("Community or family visited"), max_length=300, required=False)
    gift = forms.CharField(label=_("Gift"), max_length=300, required=False)
    gift_value = forms.IntegerField(label=_("Value of the gift (đồng)"), min_value=0, initial=0)
    fund = forms.ModelChoiceField(label=_("Paid from the fund"), queryset=Campaign.objects.none(), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"visited_on": timezone.localdate(), "gift_value": 0})
        super().__init__(*args, **kwargs)
        units = self.fields["unit"]
        assert isinstance(units, forms.ModelChoiceField)
        units.queryset = authz.committees(user)
        searchable(self, "person", services.registry(user), reverse("outreach:people_options"))
        fund = self.fields["fund"]
        assert isinstance(fund, forms.ModelChoiceField)
        fund.queryset = Campaign.objects.filter(
            authz.scope_q_with_ancestors(user, Perm.EDIT_PROGRAM, "unit__path")
        ).select_related("unit")


class HotSpotForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Flagged by"), queryset=Unit.objects.none())
    place = forms.ModelChoiceField(label=_("Village"), queryset=Unit.objects.none(), required=False)
    title = forms.CharField(label=_("What is at stake"), max_length=300)
    description = forms.CharField(label=_("Situation"), widget=forms.Textarea(attrs={"rows": 4}))
    risk = forms.ChoiceField(label=_("Risk"), choices=Risk.choices, initial=Risk.MEDIUM)
    flagged_on = date_field(_("Flagged on"))

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"flagged_on": timezone.localdate(), "risk": Risk.MEDIUM})
        super().__init__(*args, **kwargs)
        mine = authz.units(user, Perm.EDIT_PROGRAM)
        units = self.fields["unit"]
        assert isinstance(units, forms.ModelChoiceField)
        units.queryset = authz.committees(user)
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)
        place.queryset = mine.filter(
            Q(level=Level.VILLAGE, parent__in=mine.filter(level=Level.COMMUNE)) | Q(level=Level.COMMUNE)
        ).order_by("path")


class ActionForm(forms.Form):
    taken_on = date_field(_("Date"))
    action = forms.CharField(label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 3}))
    by = forms.CharField(label=_("By"), max_length=300)
    risk = forms.ChoiceField(label=_("Risk afterwards"), choices=Risk.choices)
    resolved = forms.BooleanField(label=_("The dispute is resolved"), required=False)
