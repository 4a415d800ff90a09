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

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]

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
