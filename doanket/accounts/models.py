"""Users and their roles. A role is granted on a unit and reaches that unit's whole subtree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from doanket.core.text import fold, nfc
from doanket.organizations.models import Unit


class User(AbstractUser):
    """The platform's user (custom from the first migration). System administrators are superusers."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # Folded "full name username" for accent-insensitive search (core.text.fold).
    name_key = models.CharField(max_length=300, editable=False, db_index=True, default="")
    # The single sign-on identity linked at the first login through the provider (accounts/oidc.py):
    # the provider's issuer and its never-reassigned subject (`sub`). Later logins match by it only.
    sso_issuer = models.CharField(_("single sign-on issuer"), max_length=255, blank=True, default="", editable=False)
    sso_subject = models.CharField(_("single sign-on subject"), max_length=255, blank=True, default="", editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]
        constraints = [
            models.UniqueConstraint(
                fields=["sso_issuer", "sso_subject"],
                condition=~models.Q(sso_subject=""),
                name="user_sso_identity_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: object, **kwargs: object) -> None:
        self.full_name = nfc(self.full_name)
        self.name_key = fold(f"{self.full_name} {self.username}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_full_name(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    OFFICER = "officer", _("Officer")
    LEADER = "leader", _("Leader")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")


class RoleGrant(models.Model):
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"

    @property
    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class ApiAccess(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A token an integration uses on the API, issued by a unit administrator for one unit and
    its subtree, to read or to read and write; revocable; every use logged (``ApiTokenUse``).

    The token acts through an account of its own holding one role on the unit (viewer to read,
    officer to write): the API goes through the same authorisation layer as the pages. The secret
    is shown once; only its SHA-256 is kept.
    """

    name = models.CharField(_("integration"), max_length=150)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("unit"))
    access = models.CharField(_("access"), max_length=8, choices=ApiAccess.choices)
    account = models.OneToOneField(User, on_delete=models.PROTECT, related_name="api_token")
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (dk_{self.prefix}_…)"

    @property
    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class ApiTokenUse(models.Model):
    """One request made with a token: when, what, and the answer's status."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["token", "-at"], name="api_token_use_recent")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class UserSession(models.Model):
    """A signed-in session of a user, as the user sees it on *Phiên đăng nhập*: the device, the
    address, when it began and was last active. The session itself lives in the session store
    (database or Redis); this row follows its key (renewed at the second factor and at a password
    change) and goes when the session ends (``accounts/sessions.py``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("user"))
    session_key = models.CharField(max_length=64, unique=True)
    user_agent = models.CharField(_("device"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last activity"), auto_now_add=True)

    class Meta:
        ordering = ["-last_seen_at", "-pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user} – {self.user_agent[:40]}"
