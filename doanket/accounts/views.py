"""Login, two-factor, the home page and the audit log."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from doanket.accounts import authz, services
from doanket.accounts.authz import Perm
from doanket.accounts.forms import AuditFilterForm, LoginForm, TokenForm
from doanket.core.models import AuditEntry
from doanket.organizations.models import Unit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    paths = authz.scope_paths(request.user, Perm.VIEW_UNIT)
    roots = Unit.objects.filter(depth=0) if paths is None else Unit.objects.filter(path__in=paths)
    return render(request, "accounts/home.html", {"my_units": roots[:20]})


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
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
