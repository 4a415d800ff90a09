"""What the API keeps of its own: the answers of writes sent with an ``Idempotency-Key``, so that
an integration retrying after a lost answer does not write twice (``api.writes``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """A write's answer under the key its caller chose; kept a day (older keys are dropped when
    the same caller stores a new one). ``fingerprint``: the SHA-256 of the method, path and body,
    so that the same key sent with another request is refused rather than answered wrongly."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_once")]
        indexes = [models.Index(fields=["user", "created_at"], name="api_idempotency_key_age")]

    def __str__(self) -> str:
        return f"{self.key} → {self.status}"
