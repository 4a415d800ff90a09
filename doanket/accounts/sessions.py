"""A user's own sessions: followed from login to logout so that the user can see them (device,
address, started, last activity) and end any of them (ASVS 5.0 V7.5.2, V7.4.3).

The session itself stays in Django's session store (database, or Redis with ``REDIS_URL``); a
``UserSession`` row follows its key. The row is made at login (``user_logged_in``), follows the key
when it is renewed (the second factor, a password change) and records the activity when
``RenewIdleSessionMiddleware`` renews the idle deadline (at most every ``SESSION_RENEW_SECONDS``):
``TrackSessionMiddleware`` writes nothing on other requests. It goes at logout, when ended here,
and when found dead (expired, or its password hash no longer the account's) on listing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from doanket.accounts.middleware import client_ip
from doanket.accounts.models import User, UserSession
from doanket.core.middleware import RenewIdleSessionMiddleware

TRACKED = "_tracked_session"  # in the session: [row id, session key, time the activity was last written]


def _store(key: str | None = None) -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def _describe(request: HttpRequest) -> dict[str, Any]:
    ip = client_ip(request) or None
    return {"user_agent": str(request.META.get("HTTP_USER_AGENT", ""))[:300], "ip": ip}


def start(request: HttpRequest, user: Any) -> UserSession | None:
    """A row for the session ``request`` has just logged ``user`` into."""
    session = getattr(request, "session", None)
    if session is None or user is None or not getattr(user, "pk", None):
        return None
    if session.session_key is None:
        session.save()
    # Logging in again in a signed-in session as the same person keeps its key (Django cycles it
    # only for a new session or flushes it for another person): the row is then the same.
    row, _created = UserSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, **_describe(request)}
    )
    session[TRACKED] = [row.pk, session.session_key, int(time.time())]
    return row


def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    start(request, user)


def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    tracked = request.session.get(TRACKED) if hasattr(request, "session") else None
    if tracked:
        UserSession.objects.filter(pk=tracked[0]).delete()


class TrackSessionMiddleware:
    """Keep the signed-in session's row in step with its key and its last activity, with no query
    on a request that changed neither (after ``RenewIdleSessionMiddleware``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated:
            return response
        if str(session.get(SESSION_KEY, "")) != str(user.pk):  # an API token's request: no session
            return response
        tracked = session.get(TRACKED)
        if not tracked:  # signed in before the sessions were followed
            start(request, user)
            return response
        row_id, key, written = tracked
        now_key, renewed = session.session_key, int(session.get(RenewIdleSessionMiddleware.KEY, 0))
        # The activity is written when the idle deadline was renewed (at most every
        # SESSION_RENEW_SECONDS), the key whenever it changed.
        if now_key and (now_key != key or renewed - int(written) >= settings.SESSION_RENEW_SECONDS):
            updated = UserSession.objects.filter(pk=row_id, user=user).update(
                session_key=now_key, last_seen_at=timezone.now(), **_describe(request)
            )
            if updated:
                session[TRACKED] = [row_id, now_key, int(time.time())]
            else:  # the row went (ended elsewhere while this request ran): follow anew
                start(request, user)
        return response


def alive(user: User, row: UserSession) -> bool:
    """Whether ``row``'s session still signs ``user`` in: present, not expired, and made with the
    account's present password (a new password ends the others through Django's session hash)."""
    data = _store(row.session_key).load()
    if str(data.get(SESSION_KEY, "")) != str(user.pk):
        return False
    started = int(data.get(RenewIdleSessionMiddleware.STARTED, 0) or 0)
    if started and timezone.now().timestamp() - started >= settings.SESSION_ABSOLUTE_HOURS * 3600:
        return False
    return constant_time_compare(str(data.get(HASH_SESSION_KEY, "")), user.get_session_auth_hash())


def active(user: User) -> list[UserSession]:
    """The user's live sessions, most recently active first; rows of ended sessions are dropped."""
    rows = list(UserSession.objects.filter(user=user))
    dead = [row.pk for row in rows if not alive(user, row)]
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    return [row for row in rows if row.pk not in dead]


def end(user: User, row_ids: list[int]) -> int:
    """End the user's sessions ``row_ids`` (only the user's own): the sessions are deleted from
    the store, so their next request is anonymous. Returns how many were ended."""
    rows = list(UserSession.objects.filter(user=user, pk__in=row_ids))
    store = _store()
    for row in rows:
        store.delete(row.session_key)
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def end_others(user: User, request: HttpRequest) -> int:
    """End every session of ``user`` but the one of ``request``."""
    others = UserSession.objects.filter(user=user).exclude(session_key=request.session.session_key or "")
    if (current := current_row_id(request)) is not None:
        others = others.exclude(pk=current)  # its key may have just been renewed (a password change)
    return end(user, list(others.values_list("pk", flat=True)))


def current_row_id(request: HttpRequest) -> int | None:
    tracked = request.session.get(TRACKED)
    return int(tracked[0]) if tracked else None


def forget_older_than(hours: int) -> int:
    """Rows of sessions that began longer ago than the absolute limit (their sessions have ended):
    deleted by the daily retention job, with their addresses."""
    cutoff = timezone.now() - dt.timedelta(hours=hours)
    return int(UserSession.objects.filter(started_at__lt=cutoff).delete()[0])
