from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from doanket.accounts import authz
from doanket.accounts.models import ApiAccess, ApiToken, Role, RoleGrant, User
from doanket.core.models import AuditAction
from doanket.core.text import nfc
from doanket.organizations.models import Unit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Both are case-sensitive."),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("The code has digits only."))
        return token


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Record or user"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *AuditAction.choices])
    model = forms.CharField(label=_("Record type"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


def _unit_field(actor: Any) -> forms.ModelChoiceField:
    """Units where ``actor`` manages accounts: the only units a role may be granted on here."""
    return forms.ModelChoiceField(
        label=_("Unit"),
        queryset=authz.units(actor, authz.Perm.MANAGE_ACCOUNTS).only("id", "name", "path"),
    )


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AccountCreateForm(UserCreationForm):
    """A new account with its first role. Saved by ``services.create_user_with_role``, not by ``save``."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email")

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["username"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "none"})
        self.fields["role"] = _role_field()
        self.fields["unit"] = _unit_field(actor)

    def clean_full_name(self) -> str:
        return nfc(self.cleaned_data.get("full_name") or "")


class GrantForm(forms.Form):
    """One more role for an existing account, on a unit inside the actor's scope."""

    def __init__(self, *args: Any, actor: Any, target: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["role"] = _role_field()
        self.fields["unit"] = _unit_field(actor)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit: Unit | None = data.get("unit")
        role = data.get("role")
        if unit is not None and role and RoleGrant.objects.filter(user=self.target, unit=unit, role=role).exists():
            raise forms.ValidationError(_("This account already has this role on this unit."))
        return data


class ApiTokenForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Integration"), max_length=150, help_text=_("What will use the token."))
    access = forms.ChoiceField(label=_("Access"), choices=ApiAccess.choices, initial=ApiAccess.READ)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = authz.units(user, authz.Perm.MANAGE_ACCOUNTS).order_by("path")


class ResetRequestForm(PasswordResetForm):
    """Ask for a password reset by e-mail. The message is written now (in the visitor's language)
    and sent by the worker, so the answer takes as long whether the address has an account or not;
    an API token's account is never reset this way."""

    def get_users(self, email: str) -> Iterator[Any]:
        return (user for user in super().get_users(email) if not ApiToken.objects.filter(account=user).exists())

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from doanket.accounts import tasks

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        tasks.send_email.enqueue(subject, body, [to_email])
