"""Forms of the funds pages. Choices come through ``authz``: only units the user works for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.text import fold, grouped
from doanket.core.widgets import DateInput, SearchSelect, date_field, searchable
from doanket.funds.models import (
    Allocation,
    Campaign,
    CampaignKind,
    Disbursement,
    DonorKind,
    House,
    Household,
    HouseWork,
    PaymentMethod,
    PovertyStatus,
    ReceiptKind,
    RecipientKind,
    StatementLine,
)
from doanket.organizations.models import SEGMENT, Level, UnitKind

MAX_STATEMENT_BYTES = 200 * 1024 * 1024  # a 12,000-page PDF statement is about 60 MB


class CampaignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Campaign.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    name = forms.CharField(label=_("Name"), max_length=300)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    allocation_rules = forms.CharField(
        label=_("Rules for allocation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    forwards_to = forms.ModelChoiceField(
        label=_("Forwards what it collects to"),
        queryset=Campaign.objects.none(),
        required=False,
        help_text=_("A campaign of a unit above, when this one collects for it."),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = authz.units(user, Perm.HANDLE_FUND).filter(kind="committee").order_by("path")
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units
        upper = self.fields["forwards_to"]
        assert isinstance(upper, forms.ModelChoiceField)
        # The campaigns of the units above the user's (read upward, as an upper unit's programme).
        upper.queryset = Campaign.objects.filter(
            authz.scope_q_with_ancestors(user, Perm.VIEW_FUND, "unit__path")
        ).select_related("unit")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The campaign ends before it starts."))
        return data


class AccountForm(forms.Form):
    bank = forms.CharField(label=_("Bank"), max_length=100)
    number = forms.CharField(label=_("Account number"), max_length=40)
    holder = forms.CharField(label=_("Account name"), max_length=200)


class StatementForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Campaign.objects.none())
    file = forms.FileField(
        label=_("Statement file (PDF, Excel or CSV, as the bank gives it)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xlsx,.csv"}),
    )

    def __init__(self, campaign: Campaign, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account = self.fields["account"]
        assert isinstance(account, forms.ModelChoiceField)
        account.queryset = campaign.accounts.all()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size and upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_STATEMENT_BYTES // (1024 * 1024)}
            )
        return upload


class ReceiptForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReceiptKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    amount = forms.IntegerField(label=_("Amount (đồng; for goods, their valuation)"), min_value=1)
    donor_kind = forms.ChoiceField(label=_("Donor"), choices=DonorKind.choices)
    donor_name = forms.CharField(label=_("Donor's name"), max_length=300, required=False)
    show_donor = forms.BooleanField(label=_("The donor's name may be published"), required=False, initial=True)
    receipt_number = forms.CharField(label=_("Receipt number (cash)"), max_length=50, required=False)
    goods = forms.CharField(
        label=_("Goods and how they were valued"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(forms.Form):
    """What a published donation becomes; the reason is published with the correction."""

    reason = forms.CharField(label=_("Reason for the correction (published)"), max_length=500)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    amount = forms.IntegerField(label=_("Amount (đồng; for goods, their valuation)"), min_value=1)
    donor_kind = forms.ChoiceField(label=_("Donor"), choices=DonorKind.choices)
    donor_name = forms.CharField(label=_("Donor's name"), max_length=300, required=False)
    show_donor = forms.BooleanField(label=_("The donor's name may be published"), required=False)
    description = forms.CharField(
        label=_("Description (goods, for a gift in kind)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _choices(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class HouseholdField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return household_label(obj)


class HouseField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{household_label(obj.household)} · {obj.get_work_display()}"


def household_label(household: Household) -> str:
    """How a household is told apart from its namesakes in a list: the head, then where it lives."""
    return f"{household.head_name} — {household.address or household.unit.name}"


class AllocationForm(forms.Form):
    recipient_kind = forms.ChoiceField(label=_("To"), choices=RecipientKind.choices)
    household = HouseholdField(
        label=_("Household"),
        queryset=Household.objects.none(),
        required=False,
        widget=SearchSelect(search_label=_("Search by name, address or ID number")),
    )
    house = HouseField(
        label=_("Great Solidarity house"),
        queryset=House.objects.none(),
        required=False,
        widget=SearchSelect(search_label=_("Search by name, address or ID number")),
    )
    to_campaign = forms.ModelChoiceField(
        label=_("Campaign of the receiving unit"), queryset=Campaign.objects.none(), required=False
    )
    project = forms.CharField(label=_("Project"), max_length=300, required=False)
    amount = forms.IntegerField(label=_("Amount (đồng)"), min_value=1)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}))
    decision_number = forms.CharField(label=_("Decision number"), max_length=50)
    decision_date = date_field(_("Decision date"))
    decision_signer = forms.CharField(label=_("Signed by"), max_length=200)

    def __init__(self, campaign: Campaign, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        below = {"unit__path__startswith": campaign.unit.path or ""}
        options = reverse("funds:recipients", args=[campaign.pk])
        searchable(self, "household", recipients(campaign, "household"), f"{options}?kind=household")
        searchable(self, "house", recipients(campaign, "house"), f"{options}?kind=house")
        _choices(
            self,
            "to_campaign",
            Campaign.objects.filter(
                Q(**below) & ~Q(unit=campaign.unit) | Q(pk=campaign.forwards_to_id or 0)
            ).select_related("unit"),
        )


class DebitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.date:%d/%m/%Y} · {grouped(obj.debit)} đ · {obj.description[:60]}"


class DisbursementForm(forms.Form):
    paid_on = date_field(_("Paid on"))
    amount = forms.IntegerField(label=_("Amount (đồng)"), min_value=1)
    method = forms.ChoiceField(label=_("How"), choices=PaymentMethod.choices)
    voucher = forms.CharField(label=_("Voucher number (payment voucher or transfer order)"), max_length=50)
    received_by = forms.CharField(label=_("Received by (not published)"), max_length=200, required=False)
    line = DebitField(
        label=_("Statement line (debit) of a transfer"), queryset=StatementLine.objects.none(), required=False
    )

    def __init__(self, campaign: Campaign, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        debits = StatementLine.objects.filter(
            statement__account__campaign=campaign, debit__gt=0, disbursement__isnull=True
        ).order_by("date", "pk")
        _choices(self, "line", debits)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Decision, signed list, invoice or photo (PDF, JPEG, PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    payment = forms.ModelChoiceField(label=_("Of the payment"), queryset=Disbursement.objects.none(), required=False)

    def __init__(self, allocation: Allocation | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allocation is None:
            del self.fields["payment"]
        else:
            _choices(self, "payment", allocation.disbursements.all())


class HouseholdForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Commune or village"), queryset=Household.objects.none())
    head_name = forms.CharField(label=_("Head of household"), max_length=200)
    id_number = forms.CharField(label=_("Citizen ID number"), max_length=12, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    members = forms.IntegerField(label=_("Members"), min_value=1, max_value=99, initial=1)
    status = forms.ChoiceField(label=_("Status"), choices=PovertyStatus.choices)
    classified_year = forms.IntegerField(label=_("Classified in (year)"))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = authz.units(user, Perm.HANDLE_FUND).filter(level__in=[Level.COMMUNE, Level.VILLAGE])
        _choices(self, "unit", units.exclude(kind=UnitKind.MEMBER_ORGANIZATION).order_by("path"))


class HouseForm(forms.Form):
    work = forms.ChoiceField(label=_("Work"), choices=HouseWork.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=50)
    approved_on = date_field(_("Approved on"))
    from_fund = forms.IntegerField(label=_("From the fund (đồng)"), min_value=0, initial=0)
    campaign = forms.ModelChoiceField(label=_("Fund"), queryset=Campaign.objects.none(), required=False)
    from_budget = forms.IntegerField(label=_("From the budget (đồng)"), min_value=0, initial=0)
    from_family = forms.IntegerField(label=_("From the family (đồng)"), min_value=0, initial=0)
    from_sponsors = forms.IntegerField(label=_("From sponsors (đồng)"), min_value=0, initial=0)
    sponsors = forms.CharField(label=_("Sponsors"), max_length=300, required=False)

    def __init__(self, household: Household, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        path = household.unit.path or ""
        # The funds of the household's units and of those above (a path that is a prefix of its own).
        prefixes = [path[:end] for end in range(SEGMENT, len(path) + 1, SEGMENT)]
        _choices(self, "campaign", Campaign.objects.filter(unit__path__in=prefixes).select_related("unit"))


class AdvanceForm(forms.Form):
    on = date_field(_("On"))


def recipients(campaign: Campaign, kind: str, q: str = "") -> Any:
    """The households (``kind`` "household") or houses ("house") a campaign may allocate to — those
    of its unit and below — in the order a list shows them, narrowed by ``q`` (name, address or ID
    number, accents ignored)."""
    below = {"unit__path__startswith": campaign.unit.path or ""}
    words = fold(q).split()
    if kind == "house":
        houses = House.objects.filter(**below).select_related("household__unit", "unit")
        for word in words:
            houses = houses.filter(household__search_key__contains=word)
        return houses.order_by("household__head_name", "pk")
    households = Household.objects.filter(**below).select_related("unit")
    for word in words:
        households = households.filter(search_key__contains=word)
    return households.order_by("head_name", "pk")
