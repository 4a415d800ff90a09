from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.core.widgets import date_field
from doanket.news.models import ActivityKind, Kind
from doanket.organizations.models import Unit


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.NEWS)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences: shown in lists, feeds and shared links."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text; a blank line starts a new paragraph. No personal data of citizens."),
    )
    photo = forms.FileField(
        label=_("Photo (JPEG or PNG, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    photo_caption = forms.CharField(label=_("Photo caption"), max_length=300, required=False)


class NewItemForm(ItemForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    field_order = ["unit"]

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["unit"]
        assert isinstance(units, forms.ModelChoiceField)
        units.queryset = authz.committees(user)


class EditItemForm(ItemForm):
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)


class ActivityForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    held_on = date_field(_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    partner = forms.CharField(
        label=_("Partner"),
        max_length=300,
        help_text=_("A neighbouring commune across the border, a Border Guard post…"),
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    summary = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate(), "participants": 0})
        super().__init__(*args, **kwargs)
        units = self.fields["unit"]
        assert isinstance(units, forms.ModelChoiceField)
        units.queryset = authz.committees(user)
