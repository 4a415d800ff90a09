"""Login, two-factor, the home page, the audit log and the accounts of a unit administrator's subtree."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from doanket.accounts import authz, services, sessions, tokens
from doanket.accounts.authz import Perm
from doanket.accounts.forms import (
    AccountCreateForm,
    ApiTokenForm,
    AuditFilterForm,
    GrantForm,
    LoginForm,
    ResetRequestForm,
    TokenForm,
    UserSearchForm,
)
from doanket.accounts.middleware import client_ip
from doanket.accounts.models import ApiToken, RoleGrant, User
from doanket.core import ratelimit
from doanket.core.models import AuditEntry
from doanket.core.text import fold, nfc
from doanket.organizations.models import Unit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "sso": settings.OIDC_ENABLED}


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    paths = authz.scope_paths(request.user, Perm.VIEW_UNIT)
    roots = Unit.objects.filter(depth=0) if paths is None else Unit.objects.filter(path__in=paths)
    context = {"my_units": roots[:20], "can_manage_accounts": authz.can(request.user, Perm.MANAGE_ACCOUNTS)}
    return render(request, "accounts/home.html", context)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once the second factor is given
            return redirect(_next_url(request))
        form.add_error("token", _("This code is wrong or has expired. Enter the code shown now."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show the QR code and secret, confirm with one code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        # A second device may only be added after proving the first: the password alone never enrols.
        if not request.user.is_verified():  # type: ignore[union-attr]
            return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': request.path})}")
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return redirect("home")
    device = services.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp_device(request.user, device, form.cleaned_data["token"]):
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next_url(request))
        form.add_error("token", _("This code is wrong or has expired. Enter the code shown now."))
    svg = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(svg)
    context = {
        "form": form,
        "qr_svg": svg.getvalue().decode(),
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, Perm.VIEW_AUDIT):
        raise PermissionDenied
    entries = authz.scoped(AuditEntry.objects.all(), request.user, Perm.VIEW_AUDIT, "unit_path")
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            entries = entries.filter(Q(object_repr__icontains=data["q"]) | Q(actor_name__icontains=data["q"]))
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["model"]:
            entries = entries.filter(model=data["model"])
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})


# --- Accounts of the subtree (Perm.MANAGE_ACCOUNTS) ------------------------------------------


def _require_manage_accounts(request: HttpRequest) -> None:
    if not authz.can(request.user, Perm.MANAGE_ACCOUNTS):
        raise PermissionDenied


def _accounts(actor: object) -> QuerySet[User]:
    """Only system administrators see and edit other system administrators."""
    users = User.objects.filter(api_token__isnull=True)  # a token's account is managed with its token
    return users if authz.is_system_admin(actor) else users.exclude(is_superuser=True)


def _managed_users(actor: object) -> QuerySet[User]:
    """Accounts holding a role on a unit in ``actor``'s scope (system administrator: every account)."""
    if authz.is_system_admin(actor):
        return _accounts(actor)
    return authz.scoped(_accounts(actor), actor, Perm.MANAGE_ACCOUNTS, "grants__unit__path").distinct()


def _grants_in_scope(actor: object) -> QuerySet[RoleGrant]:
    """Grants on units in ``actor``'s scope: grants elsewhere (and their units' names) stay hidden."""
    grants = RoleGrant.objects.select_related("unit").order_by("unit__path", "role")
    return authz.scoped(grants, actor, Perm.MANAGE_ACCOUNTS, "unit__path")


@login_required
@vary_on_headers("HX-Request")  # a page, or only its rows to HTMX
def user_list(request: HttpRequest) -> HttpResponse:
    _require_manage_accounts(request)
    form = UserSearchForm(request.GET)
    users = _managed_users(request.user).order_by("username", "pk")
    q = nfc(form.data.get("q", ""))
    if q:
        users = users.filter(name_key__contains=fold(q))
    users = users.prefetch_related(Prefetch("grants", queryset=_grants_in_scope(request.user), to_attr="shown_grants"))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "q": q}
    template = "accounts/_user_rows.html" if request.headers.get("HX-Request") else "accounts/user_list.html"
    return render(request, template, context)


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require_manage_accounts(request)
    form = AccountCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.create_user_with_role(
            request.user,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            password=data["password1"],
            role=data["role"],
            unit=data["unit"],
        )
        messages.success(request, _("The account was created."))
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage_accounts(request)
    target = authz.get_for_user(
        _accounts(request.user).distinct(), request.user, Perm.MANAGE_ACCOUNTS, "grants__unit__path", pk=pk
    )
    form = GrantForm(request.POST or None, actor=request.user, target=target)
    if request.method == "POST" and form.is_valid():
        services.grant_role_in_scope(request.user, target, form.cleaned_data["unit"], form.cleaned_data["role"])
        messages.success(request, _("The role was granted."))
        return redirect("accounts:user_detail", pk=target.pk)
    context = {"target": target, "grants": _grants_in_scope(request.user).filter(user=target), "form": form}
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manage_accounts(request)
    grants = RoleGrant.objects.select_related("unit", "user")
    if not authz.is_system_admin(request.user):
        grants = grants.exclude(user__is_superuser=True)
    grant = authz.get_for_user(grants, request.user, Perm.MANAGE_ACCOUNTS, "unit__path", pk=pk)
    user_id = grant.user_id
    try:
        services.revoke_grant(request.user, grant)
    except services.OwnLastAdminGrantError:
        messages.error(
            request,
            _("You cannot revoke your own last unit administrator role. Ask another administrator to do it."),
        )
    else:
        messages.success(request, _("The role was revoked."))
    if _managed_users(request.user).filter(pk=user_id).exists():
        return redirect("accounts:user_detail", pk=user_id)
    return redirect("accounts:user_list")


# --- API tokens ----------------------------------------------------------------------------------


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The tokens of the units the administrator manages, and the form to issue one."""
    _require_manage_accounts(request)
    page = Paginator(tokens.managed(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/tokens.html", {"page": page, "form": ApiTokenForm(request.user)})


@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    """Issue a token and show its text once (the page is not cached; only its hash is kept)."""
    _require_manage_accounts(request)
    form = ApiTokenForm(request.user, request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for field in form.errors.values() for e in field)
        messages.error(request, _("The token is not issued: %(errors)s") % {"errors": errors})
        return redirect("accounts:tokens")
    try:
        token, text = tokens.issue(request.user, **form.cleaned_data)
    except tokens.TokenError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:tokens")
    response = render(request, "accounts/token_issued.html", {"token": token, "text": text})
    response["Cache-Control"] = "no-store"
    return response


def _token(request: HttpRequest, pk: int) -> ApiToken:
    return authz.get_for_user(
        ApiToken.objects.select_related("unit", "created_by", "revoked_by"),
        request.user,
        Perm.MANAGE_ACCOUNTS,
        "unit__path",
        pk=pk,
    )


@login_required
def token_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A token and its last uses."""
    token = _token(request, pk)
    return render(request, "accounts/token.html", {"token": token, "uses": list(token.uses.all()[:100])})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = _token(request, pk)
    tokens.revoke(request.user, token)
    messages.success(request, _("The token is revoked: the integration can no longer use it."))
    return redirect("accounts:token", token.pk)


# --- The user's own password and sessions -------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """The current password, the new one twice (Django's validators and ours); this session stays
    signed in, the user's other sessions end; audited."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:sessions")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # saves, and renews this session's key and hash
        user = self.request.user
        ended = sessions.end_others(user, self.request)  # type: ignore[arg-type]
        services.password_changed(user, user, "changed", ended)  # type: ignore[arg-type]
        messages.success(self.request, _("Your password was changed. Your other sessions have ended."))
        return response


def _reset_allowed(request: HttpRequest, email: str) -> bool:
    address = client_ip(request)
    limits = settings.PASSWORD_RESET_LIMITS
    per_address = ratelimit.allow("password-reset-address", address, *limits["address"])
    return per_address and ratelimit.allow("password-reset-email", fold(email), *limits["email"])


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail. The answer is the same whether an account has the address or
    not; a flood from one address, or for one e-mail address, is refused for a while."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = ResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        if not _reset_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(None, _("Too many reset requests. Wait an hour, or ask your unit administrator."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        # The link names the configured address, never the request's Host header.
        self.extra_email_context = {"base_url": settings.PUBLIC_URL, "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the e-mail: a new password twice. It does not log in: the user then logs in
    with it, and gives the second factor if they have one. Every session of the account ends (the
    password hash changes); the link works once (its token is bound to the old password)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        ended = sessions.end(user, list(user.sessions.values_list("pk", flat=True)))
        services.password_changed(None, user, "reset", ended)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    """The user's own signed-in sessions, to end any of them or all but this one."""
    if request.method == "POST":
        if request.POST.get("end") == "others":
            ended = sessions.end_others(request.user, request)  # type: ignore[arg-type]
        else:
            raw = request.POST.get("end", "")
            row = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
            current = sessions.current_row_id(request)
            ended = sessions.end(request.user, [row]) if row is not None and row != current else 0  # type: ignore[arg-type]
        services.sessions_ended(request.user, ended)  # type: ignore[arg-type]
        messages.success(request, ngettext("%(n)s session ended.", "%(n)s sessions ended.", ended) % {"n": ended})
        return redirect("accounts:sessions")
    rows = sessions.active(request.user)  # type: ignore[arg-type]
    context = {"rows": rows, "current": sessions.current_row_id(request)}
    return render(request, "accounts/sessions.html", context)
