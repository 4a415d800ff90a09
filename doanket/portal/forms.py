"""The citizen's petition form: no login, the place chosen province → commune → village."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
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


class PlaceField(forms.ModelChoiceField):
    """A place of the form: the choices shown come from the queryset, while what was sent is read
    as an id and checked by ``PetitionForm.clean`` — one query for the three levels together."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, Unit):
            return value.pk
        if not str(value).isdigit():
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return int(value)


# The consent text's version: change it whenever the text below changes. What a petition's
# ``Consent.version`` names is this and the retention in days then (the only number in the text).
CONSENT_VERSION = "2026-11-24"


def consent_version() -> str:
    return f"{CONSENT_VERSION}/{settings.PETITION_IDENTITY_RETENTION_DAYS}d"


def consent_text() -> str:
    """What the citizen agrees to (Luật 91/2025/QH15, Nghị định 356/2025/NĐ-CP): which data, why,
    who sees it, how long it is kept, and their rights."""
    return gettext(
        "Which data: your name, phone number, e-mail and address if you give them, and what you "
        "write and attach. Why: only to receive, handle and answer your petition and to tell you how "
        "it goes. Who sees them: the officers of the Fatherland Front committee that handles it (for a "
        "complaint, a denunciation or a corruption report, only the officer assigned) and, if it is "
        "passed on, the agency that must answer it; your name is published with the answer only if "
        "you tick the box for it. How long: your name and contacts are erased %(days)s days after the "
        "petition is answered; the petition and its answer are kept. Your rights: with your tracking "
        "code you may ask the committee to see, export, correct or delete your data, or withdraw this "
        "consent."
    ) % {"days": settings.PETITION_IDENTITY_RETENTION_DAYS}


class PetitionForm(SenderFields):
    province = PlaceField(label=_("Province or city"), queryset=Unit.objects.none())
    commune = PlaceField(label=_("Commune or ward"), queryset=Unit.objects.none())
    village = PlaceField(label=_("Village or residential group"), queryset=Unit.objects.none(), required=False)
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
    consent = forms.BooleanField(
        label=_("I have read the above and agree to my personal data being processed for this petition."),
        error_messages={
            "required": _(
                "Tick the box to agree to the processing of your personal data: without it the petition "
                "cannot be received."
            )
        },
    )
    # Left empty by people (hidden by the stylesheet and from screen readers); filled by robots.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    field_order = ["province", "commune", "village", "level", "kind", "topic", "title", "content", "attachments"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else {}

        def chosen(name: str) -> Any:
            value = data.get(name) or self.initial.get(name)
            return value if str(value).isdigit() else None  # a forged value lists nothing, and is refused

        self._choices("province", provinces())
        self._choices("commune", communes(chosen("province")))
        self._choices("village", villages(chosen("commune")))
        # Choosing a province lists its communes, a commune its villages (HTMX; the list sends its value).
        places = reverse("portal:places")
        self.fields["province"].widget.attrs.update({"hx-get": f"{places}?level=commune", "hx-target": "#id_commune"})
        self.fields["commune"].widget.attrs.update({"hx-get": f"{places}?level=village", "hx-target": "#id_village"})
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
        self._places(data)
        if data.get("notify_email") and not data.get("sender_email"):
            self.add_error("sender_email", _("Give an e-mail address to be told by e-mail."))
        if data.get("notify_sms") and not data.get("sender_phone"):
            self.add_error("sender_phone", _("Give a phone number to be told by SMS."))
        return data

    def _places(self, data: dict[str, Any]) -> None:
        """The province, commune and village sent, read together, each of its level and under the
        one above (the ids become units in ``cleaned_data``)."""
        names = [n for n in ("province", "commune", "village") if data.get(n) is not None]
        found = Unit.objects.in_bulk([data[n] for n in names])
        wanted = {
            "province": lambda u: u.level == Level.PROVINCE and u.kind == UnitKind.COMMITTEE and u.valid_to is None,
            "commune": lambda u: u.level == Level.COMMUNE and u.kind == UnitKind.COMMITTEE,
            "village": lambda u: u.level == Level.VILLAGE,
        }
        for name in names:
            unit = found.get(data[name])
            if unit is None or not wanted[name](unit):
                self.add_error(name, self.fields[name].error_messages["invalid_choice"])
            else:
                data[name] = unit
        province, commune, village = (data.get(n) for n in ("province", "commune", "village"))
        if isinstance(province, Unit) and isinstance(commune, Unit) and commune.parent_id != province.pk:
            self.add_error("commune", _("Choose a commune of the province chosen."))
        if isinstance(commune, Unit) and isinstance(village, Unit) and village.parent_id != commune.pk:
            self.add_error("village", _("Choose a village of the commune chosen."))

    @property
    def place(self) -> Unit:
        data = self.cleaned_data
        return data.get("village") or data["commune"]


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=40)
