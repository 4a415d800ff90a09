from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.widgets import DateInput
from doanket.organizations.models import Unit
from doanket.programs.forms import UnitChoiceField
from doanket.reporting.models import ReportForm, Schedule


class ScheduleForm(forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Reported to"))

    class Meta:
        model = Schedule
        fields = [
            "unit",
            "form",
            "name",
            "level",
            "kind",
            "include_self",
            "frequency",
            "due_rule",
            "due_day",
            "starts",
            "ends",
        ]
        widgets = {
            "starts": DateInput(),
            "ends": DateInput(),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        form_field = self.fields["form"]
        assert isinstance(unit_field, forms.ModelChoiceField) and isinstance(form_field, forms.ModelChoiceField)
        unit_field.queryset = authz.units(user, Perm.MANAGE_REPORTING).select_related("parent").order_by("path")
        visible = authz.scope_q_with_ancestors(user, Perm.VIEW_REPORT, "unit__path")
        form_field.queryset = ReportForm.objects.filter(visible).order_by("title")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        today = timezone.localdate()
        earliest = dt.date(today.year - 1, 1, 1)
        if starts and not earliest <= starts <= today.replace(year=today.year + 5):
            self.add_error(
                "starts",
                _("A schedule starts between %(earliest)s and five years from now.")
                % {"earliest": earliest.strftime("%d/%m/%Y")},
            )
        if starts and ends and ends < starts:
            self.add_error("ends", _("The end comes before the start."))
        elif starts and ends and (ends - starts).days > 3660:
            self.add_error("ends", _("A schedule runs for ten years at most."))
        day = data.get("due_day")
        if day is not None and data.get("due_rule") != "after_end" and not 1 <= day <= 31:
            self.add_error("due_day", _("A day of the month lies between 1 and 31."))
        if day is not None and data.get("due_rule") == "after_end" and not -31 <= day <= 90:
            self.add_error("due_day", _("Between -31 and 90 days."))
        return data


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Filled Excel form (.xlsx)"))


class RemindForm(forms.Form):
    message = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NewFormForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Issued by"))
    title = forms.CharField(label=_("Name of the form"), max_length=300)
    code = forms.SlugField(label=_("Code"), max_length=60, help_text=_("Short, without accents: bao-cao-thang."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(
        label=_("Indicators (Excel sheet)"), help_text=_("Start from the sheet of an existing form.")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = authz.units(user, Perm.MANAGE_REPORTING).select_related("parent").order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("unit")
            and data.get("code")
            and ReportForm.objects.filter(unit=data["unit"], code=data["code"]).exists()
        ):
            self.add_error("code", _("This unit already has a form with this code."))
        return data


class VersionForm(forms.Form):
    note = forms.CharField(label=_("What changed"), max_length=300)
    file = forms.FileField(label=_("Indicators (Excel sheet)"))
