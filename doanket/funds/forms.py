"""Forms of the funds pages. Choices come through ``authz``: only units the user works for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.funds.models import Campaign, CampaignKind, DonorKind, ReceiptKind

MAX_STATEMENT_BYTES = 200 * 1024 * 1024  # a 12,000-page PDF statement is about 60 MB


class CampaignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Campaign.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    name = forms.CharField(label=_("Name"), max_length=300)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
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
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
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
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.IntegerField(label=_("Amount (đồng; for goods, their valuation)"), min_value=1)
    donor_kind = forms.ChoiceField(label=_("Donor"), choices=DonorKind.choices)
    donor_name = forms.CharField(label=_("Donor's name"), max_length=300, required=False)
    show_donor = forms.BooleanField(label=_("The donor's name may be published"), required=False)
    description = forms.CharField(
        label=_("Description (goods, for a gift in kind)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
