"""The public portal: no login. A citizen sends a petition, follows it by its tracking code, and
reads the answers the committees published. Nothing personal is ever shown here.

Anti-abuse without a third-party service: a honeypot field, upload checks (``petitions.services``),
and rate limits per address and per contact (``core.ratelimit``, settings.PORTAL_LIMITS).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from doanket.accounts.middleware import client_ip
from doanket.core import ratelimit
from doanket.core.paging import paged_ids
from doanket.core.text import fold
from doanket.emulation.models import Exemplar, Nomination, NominationStatus
from doanket.organizations.models import Level, Unit
from doanket.petitions import search, services
from doanket.petitions.models import Channel, Petition, Topic, VoterMeeting
from doanket.petitions.services import PetitionError
from doanket.portal.forms import PetitionForm, TrackForm, communes, consent_text, consent_version, provinces, villages

PAGE = 20
# The tracking code just sent rides in a signed cookie, not in a session: a citizen's submission
# writes nothing but the petition (no session row per anonymous visitor, no second write).
CODE_COOKIE = "portal_code"
CODE_SALT = "doanket.portal.code"
CODE_SECONDS = 2 * 60 * 60


def _sent(code: str) -> HttpResponse:
    response = redirect("portal:sent")
    response.set_signed_cookie(
        CODE_COOKIE,
        code,
        salt=CODE_SALT,
        max_age=CODE_SECONDS,
        path=reverse("portal:home"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _limited(request: HttpRequest, scope: str, key: str) -> bool:
    limit, seconds = settings.PORTAL_LIMITS[scope]
    return not ratelimit.allow(scope, key, limit, seconds)


def home(request: HttpRequest) -> HttpResponse:
    latest = Petition.objects.filter(published=True).select_related("place", "topic").order_by("-published_at")[:5]
    return render(request, "portal/home.html", {"latest": latest})


def _page(request: HttpRequest, form: PetitionForm, status: int = 200) -> HttpResponse:
    """The petition form, with the consent text it asks the citizen to agree to."""
    return render(request, "portal/new.html", {"form": form, "consent_text": consent_text()}, status=status)


def petition_new(request: HttpRequest) -> HttpResponse:
    form = PetitionForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _page(request, form)
    address = client_ip(request)
    if _limited(request, "submit_address", address):
        form.add_error(None, _("Too many petitions were sent from this connection. Please try again in an hour."))
        return _page(request, form, status=429)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    if data["website"]:  # a robot filled the honeypot: it is told nothing went wrong, nothing is kept
        return _sent(services.new_code())
    for contact in {data["sender_email"].lower(), _phone_key(data["sender_phone"])} - {""}:
        if _limited(request, "submit_contact", contact):
            form.add_error(None, _("Too many petitions were sent with this e-mail or phone. Please try again later."))
            return _page(request, form, status=429)
    try:
        petition = services.receive(
            None,
            place=form.place,
            level=data["level"],
            channel=Channel.PORTAL,
            kind=data["kind"],
            topic=data["topic"],
            title=data["title"],
            content=data["content"],
            sender=form.sender(),
            files=data["attachments"],
            consent=consent_version(),
        )
    except PetitionError as exc:
        form.add_error(None, str(exc))
        return _page(request, form, status=400)
    return _sent(petition.code)


def _phone_key(text: str) -> str:
    """The phone number as the rate limit counts it: as stored, or as typed when not valid."""
    try:
        return services.clean_phone(text)
    except PetitionError:
        return text.strip()


def sent(request: HttpRequest) -> HttpResponse:
    """The tracking code, once, after sending (Post/Redirect/Get: a reload sends nothing again)."""
    code = request.get_signed_cookie(CODE_COOKIE, default=None, salt=CODE_SALT, max_age=CODE_SECONDS)
    if not code:
        return redirect("portal:new")
    return render(request, "portal/sent.html", {"code": code})


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    petition = None
    status = 200
    if form.is_bound and form.is_valid():
        if _limited(request, "track_address", client_ip(request)):
            form.add_error(None, _("Too many look-ups from this connection. Please try again in a few minutes."))
            status = 429
        else:
            petition = services.track(form.cleaned_data["code"])
            if petition is None:
                form.add_error("code", _("No petition has this code. Check it on your receipt."))
                status = 404
    context: dict[str, Any] = {"form": form, "petition": petition}
    if petition is not None:
        context["steps"] = services.public_steps(petition)
    return render(request, "portal/track.html", context, status=status)


def answers(request: HttpRequest) -> HttpResponse:
    """The published answers, searched without accents, by place and topic."""
    rows = Petition.objects.filter(published=True).select_related("place", "topic", "unit")
    q = fold(request.GET.get("q", ""))
    rows = search.matching(rows, q, "public_key")
    province = request.GET.get("province", "")
    chosen = Unit.objects.filter(pk=province, level=Level.PROVINCE).first() if province.isdigit() else None
    if chosen is not None:
        rows = rows.filter(place__path__startswith=chosen.path or "")
    topic = request.GET.get("topic", "")
    if topic.isdigit():
        rows = rows.filter(topic_id=int(topic))
    shown = Petition.objects.filter(published=True).select_related("place", "topic", "unit")
    page = paged_ids(rows.order_by("-published_at", "pk"), shown, PAGE, request.GET.get("page"))
    context = {"page": page, "provinces": provinces(), "topics": Topic.objects.filter(active=True)}
    return render(request, "portal/answers.html", context)


def answer(request: HttpRequest, pk: int) -> HttpResponse:
    petition = get_object_or_404(Petition.objects.select_related("place", "topic", "unit"), pk=pk, published=True)
    return render(request, "portal/answer.html", {"petition": petition, "name": services.public_name(petition)})


@require_GET
def places(request: HttpRequest) -> HttpResponse:
    """The options of the next list (communes of a province, villages of a commune), filtered
    without accents by what the citizen typed: for the form's HTMX."""
    level = request.GET.get("level", "commune")
    # The list above sends its own value under its name (province, commune); "parent" also works.
    parent = request.GET.get("parent") or request.GET.get("province" if level == "commune" else "commune", "")
    parent_id = int(parent) if parent.isdigit() else 0
    rows = communes(parent_id) if level == "commune" else villages(parent_id)
    q = fold(request.GET.get("q", ""))
    if q:
        rows = rows.filter(name_key__contains=q)
    return render(request, "portal/_options.html", {"rows": rows[:500], "optional": level == "village"})


def meetings(request: HttpRequest) -> HttpResponse:
    """Voter meetings announced by the committees, the coming ones first."""
    now = timezone.now()
    rows = VoterMeeting.objects.filter(published=True).select_related("unit", "area")
    coming = rows.filter(starts_at__gte=now).order_by("starts_at")[:50]
    past = rows.filter(starts_at__lt=now).order_by("-starts_at")[:20]
    return render(request, "portal/meetings.html", {"coming": coming, "past": past})


def forget_code(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("The code is no longer shown on this device."))
    response = redirect("portal:home")
    response.delete_cookie(CODE_COOKIE, path=reverse("portal:home"), samesite="Lax")
    return response


def recognition(request: HttpRequest) -> HttpResponse:
    """The awards the committees chose to make public: who was commended, with what, for what,
    by which decision (nothing else of a person than the name the decision gives); and the
    exemplary models they chose to show."""
    rows = (
        Nomination.objects.filter(status=NominationStatus.DECIDED, decision__public=True)
        .select_related("decision__unit", "recipient_unit", "recipient_person")
        .order_by("-decision__decided_on", "decision_id", "pk")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    models = Exemplar.objects.filter(public=True).select_related("unit").order_by("-created_at", "-pk")[:50]
    return render(request, "portal/recognition.html", {"page": page, "models": models})
