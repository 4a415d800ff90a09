"""Telling the citizen: e-mail through Django's mail settings, SMS through a pluggable gateway.

``settings.SMS_GATEWAY`` names a class whose ``send(phone, text)`` delivers one message or raises;
the default refuses (no gateway configured). A provider's client is a class of a few lines in the
deployment's own package; the tests use a fake that keeps what it was given.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from doanket.petitions.models import Action, Event, Notice


class Gateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class GatewayError(RuntimeError):
    pass


class NoGateway:
    """The default: no SMS provider configured, so nothing is sent (the notice records why)."""

    def send(self, phone: str, text: str) -> None:
        raise GatewayError("no SMS gateway is configured (SMS_GATEWAY)")


def gateway() -> Gateway:
    return import_string(settings.SMS_GATEWAY)()


def message(event: Event) -> str:
    """The words of a notice, in Vietnamese (the citizen's language on the portal)."""
    petition = event.petition
    with translation.override("vi"):
        steps: dict[str, str] = {
            Action.RECEIVED: _("was received by %(unit)s") % {"unit": event.to_unit.name if event.to_unit else ""},
            Action.FORWARDED: _("was forwarded to %(agency)s") % {"agency": event.agency.name if event.agency else ""},
            Action.RETURNED: _("is now handled by %(unit)s") % {"unit": event.to_unit.name if event.to_unit else ""},
            Action.ANSWERED: _("has been answered"),
            Action.PUBLISHED: _("has its answer published"),
        }
        link = f"{settings.PUBLIC_URL}{reverse('portal:track')}?code={petition.code}"
        return _("Your petition %(code)s %(step)s. Follow it at %(link)s") % {
            "code": petition.code,
            "step": steps.get(event.action, event.get_action_display()),
            "link": link,
        }


def notify(event_id: int) -> int:
    """Send the notices the citizen asked for about one step; each at most once (a unique row per
    step and medium), so a retried task sends nothing twice. Returns the number sent."""
    event = Event.objects.select_related("petition", "to_unit", "agency").get(pk=event_id)
    petition = event.petition
    wanted = []
    if petition.notify_email and petition.sender_email:
        wanted.append(Notice.Medium.EMAIL)
    if petition.notify_sms and petition.sender_phone:
        wanted.append(Notice.Medium.SMS)
    text = message(event)
    sent = 0
    for medium in wanted:
        try:
            with transaction.atomic():
                notice = Notice.objects.create(petition=petition, event=event, medium=medium, text=text)
        except IntegrityError:
            notice = Notice.objects.get(event=event, medium=medium)
            if notice.sent_at is not None:
                continue
        try:
            if medium == Notice.Medium.EMAIL:
                with translation.override("vi"):
                    subject = _("Your petition %(code)s") % {"code": petition.code}
                send_mail(subject, text, None, [petition.sender_email])
            else:
                gateway().send(petition.sender_phone, text)
        except Exception as exc:  # noqa: BLE001 - a provider's failure is recorded, the others still go
            notice.error = f"{type(exc).__name__}: {exc}"[:300]
            notice.save(update_fields=["error"])
            continue
        notice.sent_at, notice.error = timezone.now(), ""
        notice.save(update_fields=["sent_at", "error"])
        sent += 1
    return sent
