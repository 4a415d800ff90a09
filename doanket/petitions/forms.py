"""Forms of the petition pages (staff and portal). Choices come through ``authz``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.widgets import DateInput
from doanket.organizations.models import Unit, UnitKind
from doanket.petitions.models import (
    HANDLING_LEVELS,
    Agency,
    Kind,
    MeetingKind,
    Reception,
    Topic,
    Urgency,
    VoterMeeting,
)
from doanket.petitions.services import Sender, channels_for_staff


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _topics() -> Any:
    return Topic.objects.filter(active=True)


def handling_committees(user: Any) -> Any:
    """The Front committees where ``user`` handles petitions (where one is entered or registered)."""
    return (
        authz.units(user, Perm.HANDLE_PETITION)
        .filter(kind=UnitKind.COMMITTEE, level__in=HANDLING_LEVELS)
        .order_by("path")
    )


class SenderFields(forms.Form):
    sender_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    sender_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    sender_email = forms.EmailField(label=_("E-mail"), required=False)
    sender_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    notify_email = forms.BooleanField(label=_("Tell me each step by e-mail"), required=False)
    notify_sms = forms.BooleanField(label=_("Tell me each step by SMS"), required=False)

    def sender(self) -> Sender:
        """The sender as the services take it (from a valid form)."""
        data = self.cleaned_data
        return Sender(
            name=data["sender_name"],
            email=data["sender_email"],
            phone=data["sender_phone"],
            address=data["sender_address"],
            show_name=data.get("show_name", False),
            notify_email=data["notify_email"],
            notify_sms=data["notify_sms"],
        )


class StaffEntryForm(SenderFields):
    """What arrived by letter, phone, e-mail, social media or at a reception session."""

    unit = forms.ModelChoiceField(label=_("Received by"), queryset=Unit.objects.none())
    channel = forms.ChoiceField(label=_("Channel"))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    title = forms.CharField(label=_("Subject"), max_length=300)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(label=_("Photos or documents (JPEG, PNG, PDF)"), required=False)
    show_name = forms.BooleanField(label=_("The sender agrees to their name being published"), required=False)

    field_order = ["unit", "channel", "received_on", "kind", "topic", "urgency", "title", "content", "attachments"]

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = handling_committees(user)
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = channels_for_staff()
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ModelChoiceField)
        topic.queryset = _topics()
        self.fields["received_on"].initial = timezone.localdate()

    def clean_received_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The day received cannot be in the future."))
        return day


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ModelChoiceField)
        topic.queryset = _topics()


class AssignForm(forms.Form):
    officer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Officer"), queryset=Unit.objects.none())

    def __init__(self, officers: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = officers


class MergeForm(forms.Form):
    code = forms.CharField(label=_("Tracking code of the petition it repeats"), max_length=30)


class ForwardForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Competent agency"), queryset=Agency.objects.none())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, agencies: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies


class PassForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Committee"), queryset=Unit.objects.none())
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, units: list[Unit], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("depth", "name")


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))
    answered_by = forms.CharField(label=_("Answered by (the agency or the committee)"), max_length=300, required=False)
    document = forms.FileField(label=_("Answer document (PDF or photo)"), required=False)


class PublishForm(forms.Form):
    title = forms.CharField(label=_("Subject, as the public will read it"), max_length=300, required=False)
    question = forms.CharField(
        label=_("Question, as the public will read it"), widget=forms.Textarea(attrs={"rows": 5})
    )
    answer = forms.CharField(label=_("Answer, as the public will read it"), widget=forms.Textarea(attrs={"rows": 6}))


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["unit", "name", "level", "contact", "email"]

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = handling_committees(user)


class MeetingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    class Meta:
        model = VoterMeeting
        fields = ["unit", "kind", "title", "body", "deputies", "starts_at", "place", "area", "expected", "published"]
        widgets = {"deputies": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = handling_committees(user)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = (
            authz.units(user, Perm.HANDLE_PETITION)
            .filter(level__in=["commune", "village"], kind__in=[UnitKind.COMMITTEE, UnitKind.VILLAGE_BOARD])
            .order_by("path")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, area = data.get("unit"), data.get("area")
        if unit is not None and area is not None and not (area.path or "").startswith(unit.path or ""):
            self.add_error("area", _("Choose a commune or village of the organising committee."))
        if data.get("kind") == MeetingKind.VOTER_MEETING:
            if not data.get("body"):
                self.add_error("body", _("A voter meeting is held by deputies: choose their body."))
            if not (data.get("deputies") or "").strip():
                self.add_error("deputies", _("Name the deputies attending the voter meeting."))
        return data


class OpinionsForm(forms.Form):
    opinions = forms.CharField(
        label=_("Opinions raised"),
        help_text=_("One per line, or one per paragraph separated by a blank line."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ModelChoiceField)
        topic.queryset = _topics()


class SynthesisForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Committee"), queryset=Unit.objects.none())
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("E.g. Opinions and petitions of voters before the 4th session of the provincial People's Council."),
    )
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    only_meetings = forms.BooleanField(
        label=_("Only the opinions raised at voter meetings"),
        required=False,
        help_text=_("Otherwise every petition and opinion received in the period, from every channel."),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = handling_committees(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        return data


class ReceptionForm(forms.ModelForm):
    received_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    record_as = forms.ChoiceField(
        label=_("Record what they brought as"),
        choices=[("", _("nothing more (the log is enough)")), *Kind.choices],
        required=False,
        help_text=_("A petition of the committee, to handle and answer like the others; the visitors are its sender."),
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)

    class Meta:
        model = Reception
        fields = ["unit", "received_at", "host", "visitors", "visitor_count", "address", "subject", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = handling_committees(user)
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ModelChoiceField)
        topic.queryset = Topic.objects.all()
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
