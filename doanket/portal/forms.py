"""The citizen's petition form: no login, the place chosen province → commune → village."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanket.organizations.models import Level, Unit, UnitKind
from doanket.petitions.forms import MultipleFileField, SenderFields
from doanket.petitions.models import HANDLING_LEVELS, Kind, Topic


def provinces() -> Any:
    return Unit.objects.filter(level=Level.PROVINCE, kind=UnitKind.COMMITTEE, valid_to__isnull=True).order_by("name")


def communes(province_id: Any) -> Any:
    return Unit.objects.filter(parent_id=province_id, level=Level.COMMUNE, kind=UnitKind.COMMITTEE).order_by("name")


def villages(commune_id: Any) -> Any:
    return Unit.objects.filter(parent_id=commune_id, level=Level.VILLAGE).order_by("name")


class PetitionForm(SenderFields):
    province = forms.ModelChoiceField(label=_("Province or city"), queryset=Unit.objects.none())
    commune = forms.ModelChoiceField(label=_("Commune or ward"), queryset=Unit.objects.none())
    village = forms.ModelChoiceField(
        label=_("Village or residential group"), queryset=Unit.objects.none(), required=False
    )
    level = forms.ChoiceField(
        label=_("Which level should answer"),
        help_text=_("If you are not sure, the commune: it passes the petition on when it concerns a higher level."),
    )
    kind = forms.ChoiceField(label=_("What you are sending"), choices=Kind.choices)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    title = forms.CharField(label=_("Subject"), max_length=300)
    content = forms.CharField(label=_("Content"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 10}))
    attachments = MultipleFileField(
        label=_("Photos or documents (JPEG, PNG, PDF; up to 5 files of 10 MB)"), required=False
    )
    show_name = forms.BooleanField(label=_("My name may be shown with the published answer"), required=False)
    # Left empty by people (hidden by the stylesheet and from screen readers); filled by robots.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    field_order = ["province", "commune", "village", "level", "kind", "topic", "title", "content", "attachments"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else {}
        self._choices("province", provinces())
        self._choices("commune", communes(data.get("province") or self.initial.get("province")))
        self._choices("village", villages(data.get("commune") or self.initial.get("commune")))
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ModelChoiceField)
        topic.queryset = Topic.objects.filter(active=True)
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = [(lv.value, lv.label) for lv in Level if lv in HANDLING_LEVELS][::-1]
        level.initial = Level.COMMUNE

    def _choices(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        province, commune, village = data.get("province"), data.get("commune"), data.get("village")
        if province and commune and commune.parent_id != province.pk:
            self.add_error("commune", _("Choose a commune of the province chosen."))
        if commune and village and village.parent_id != commune.pk:
            self.add_error("village", _("Choose a village of the commune chosen."))
        if data.get("notify_email") and not data.get("sender_email"):
            self.add_error("sender_email", _("Give an e-mail address to be told by e-mail."))
        if data.get("notify_sms") and not data.get("sender_phone"):
            self.add_error("sender_phone", _("Give a phone number to be told by SMS."))
        return data

    @property
    def place(self) -> Unit:
        data = self.cleaned_data
        return data.get("village") or data["commune"]


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=40)
