"""Citizens' opinions and petitions (phản ánh, kiến nghị): what arrives by every channel, where it
lands, how it is handled, what the citizen is told and what is published.

A petition always sits at one Front committee (``unit``): the committee of the level it concerns,
found from the place it is about. Authorisation filters on that unit's path, as everywhere else.

The citizen's identity (name and contacts) is personal data: it is kept out of the audit log's
values (only the fact that it changed is logged), never shown on public pages, and for the
protected kinds (complaints, denunciations, corruption reports) shown only to the officer the
petition is assigned to, each reading logged in ``IdentityReading``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doanket.core.text import fold, nfc
from doanket.organizations.models import Level, Unit


class Channel(models.TextChoices):
    PORTAL = "portal", _("Public portal")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    SOCIAL = "social", _("Social media")
    RECEPTION = "reception", _("Citizen reception")
    VOTER_MEETING = "voter_meeting", _("Voter meeting")
    DIALOGUE = "dialogue", _("Dialogue or opinion gathering")


class Kind(models.TextChoices):
    PETITION = "petition", _("Opinion or petition")
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    CORRUPTION = "corruption", _("Corruption report")


# The kinds whose sender is protected: identity seen only by the officer handling the petition.
PROTECTED_KINDS = frozenset({Kind.COMPLAINT, Kind.DENUNCIATION, Kind.CORRUPTION})

# Days to answer, by kind, unless a ``KindRule`` says otherwise (Luật Khiếu nại, Luật Tố cáo: 30).
DEFAULT_DAYS = {Kind.PETITION: 15, Kind.COMPLAINT: 30, Kind.DENUNCIATION: 30, Kind.CORRUPTION: 30}

# The levels a petition can concern: where a Front committee answers it.
HANDLING_LEVELS = (Level.COMMUNE, Level.PROVINCE, Level.CENTRAL)


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    FORWARDED = "forwarded", _("Forwarded to the competent agency")
    ANSWERED = "answered", _("Answered")
    MERGED = "merged", _("Merged with another")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.FORWARDED)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Topic(models.Model):
    """What a petition is about (land, environment, social welfare ...): a list the
    administrators keep; the portal offers it, officers classify with it."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        super().save(*args, **kwargs)


class KindRule(models.Model):
    """How many days a kind of petition has to be answered (configurable)."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("days to answer"))

    class Meta:
        verbose_name = _("deadline by kind")
        verbose_name_plural = _("deadlines by kind")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days}"


class Agency(models.Model):
    """A competent agency petitions are forwarded to (a department, a People's Committee ...),
    registered by the Front committee of its area."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("registered by"))
    name = models.CharField(_("name"), max_length=300)
    name_key = models.CharField(max_length=300, editable=False, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("competent agency")
        verbose_name_plural = _("competent agencies")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class Body(models.TextChoices):
    NATIONAL_ASSEMBLY = "national_assembly", _("National Assembly deputies")
    PROVINCIAL_COUNCIL = "provincial_council", _("Provincial People's Council deputies")
    COMMUNE_COUNCIL = "commune_council", _("Commune People's Council deputies")


class MeetingKind(models.TextChoices):
    VOTER_MEETING = "voter_meeting", _("Voter meeting")
    DIALOGUE = "dialogue", _("Dialogue with the people")
    GATHERING = "gathering", _("Gathering the opinions of prestigious persons and dignitaries")


class VoterMeeting(models.Model):
    """A meeting where the Front listens, organised by a Front committee: deputies meeting voters
    (tiếp xúc cử tri), a dialogue with the people, or a periodic gathering of the opinions of
    prestigious persons, elders and religious dignitaries. Announced on the portal beforehand if
    wanted; the opinions raised are recorded against it and flow into the synthesis."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="voter_meetings", verbose_name=_("organised by")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.VOTER_MEETING)
    body = models.CharField(_("deputies of"), max_length=30, choices=Body.choices, blank=True)
    deputies = models.TextField(
        _("deputies or leaders attending"),
        blank=True,
        help_text=_("One name per line. A voter meeting names its deputies."),
    )
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    area = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voters of"),
        help_text=_("The commune or village whose voters are invited."),
    )
    expected = models.PositiveIntegerField(_("expected participants"), default=0)
    attended = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    published = models.BooleanField(_("announced on the portal"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("voter meeting")
        verbose_name_plural = _("voter meetings")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title, self.place = nfc(self.title), nfc(self.place)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


IDENTITY_FIELDS = ("sender_name", "sender_email", "sender_phone", "sender_address")


class Petition(models.Model):
    code = models.CharField(_("tracking code"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="petitions", verbose_name=_("handled by"))
    place = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="petitions_about", verbose_name=_("place"), null=True, blank=True
    )
    level = models.CharField(_("level concerned"), max_length=16, choices=Level.choices, default=Level.COMMUNE)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PETITION)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("topic"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("subject"), max_length=300)
    content = models.TextField(_("content"))
    search_key = models.TextField(editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("received"))
    due_date = models.DateField(_("answer due"))
    # The sender: personal data (see the module's docstring).
    sender_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    sender_email = models.EmailField(_("sender's e-mail"), blank=True)
    sender_phone = models.CharField(_("sender's phone"), max_length=20, blank=True)
    sender_address = models.CharField(_("sender's address"), max_length=300, blank=True)
    show_name = models.BooleanField(_("name may be published"), default=False)
    notify_email = models.BooleanField(_("tell by e-mail"), default=False)
    notify_sms = models.BooleanField(_("tell by SMS"), default=False)
    # Handling.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by officer"),
    )
    meeting = models.ForeignKey(
        VoterMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("raised at"),
    )
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("forwarded to"))
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.CharField(_("answered by"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # What the public sees, when the officer publishes it.
    published = models.BooleanField(_("published"), default=False)
    public_title = models.CharField(_("subject as published"), max_length=300, blank=True)
    public_question = models.TextField(_("question as published"), blank=True)
    public_answer = models.TextField(_("answer as published"), blank=True)
    public_key = models.TextField(editable=False, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [
            # The inbox: the committees' petitions of a status, the most urgent first (the index
            # holds what the order needs, so the page's ids are read from it alone).
            models.Index(fields=["unit", "status", "due_date", "-received_at"], name="petition_inbox"),
            models.Index(fields=["status", "due_date"], name="petition_due"),
            models.Index(fields=["published", "-published_at"], name="petition_public"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        self.search_key = fold(f"{self.code} {self.title} {self.content}")
        self.public_key = (
            fold(f"{self.public_title} {self.public_question} {self.public_answer}") if self.published else ""
        )
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""

    @property
    def protected(self) -> bool:
        return self.kind in PROTECTED_KINDS

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Consent(models.Model):
    """A citizen's consent to the processing of their personal data, given on the portal's form
    (Luật 91/2025/QH15, Nghị định 356/2025/NĐ-CP): which text they agreed to, and when. It holds
    no personal data itself, so it stays when the sender's identity is erased by retention."""

    petition = models.OneToOneField(
        "Petition", on_delete=models.CASCADE, related_name="consent", verbose_name=_("petition")
    )
    # ``portal.forms.CONSENT_VERSION`` and the retention in days then: the text shown is rebuilt from them.
    version = models.CharField(_("consent text version"), max_length=40)
    given_at = models.DateTimeField(_("consent given"))

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.version} @ {self.given_at:%d/%m/%Y %H:%M}"


class Attachment(models.Model):
    class Role(models.TextChoices):
        CITIZEN = "citizen", _("Sent by the citizen")
        ANSWER = "answer", _("Answer document")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.CITIZEN)
    file = models.FileField(upload_to="petitions/%Y/%m/")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def audit_unit_path(self) -> str:
        return self.petition.unit.path or ""


class Action(models.TextChoices):
    RECEIVED = "received", _("Received")
    CLASSIFIED = "classified", _("Classified")
    ASSIGNED = "assigned", _("Assigned")
    MERGED = "merged", _("Merged")
    FORWARDED = "forwarded", _("Forwarded")
    RETURNED = "returned", _("Passed to another level")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Published")
    REMINDED = "reminded", _("Reminded")


# The steps a citizen follows on the tracking page and can ask to be told about.
PUBLIC_ACTIONS = frozenset({Action.RECEIVED, Action.FORWARDED, Action.RETURNED, Action.ANSWERED, Action.PUBLISHED})


class Event(models.Model):
    """One step of a petition's handling, in order: its history and the citizen's tracking page."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(blank=True)  # for officers; the public wording is derived from the action
    from_unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.action}"

    @property
    def public(self) -> bool:
        return self.action in PUBLIC_ACTIONS

    def audit_unit_path(self) -> str:
        return self.petition.unit.path or ""


class Notice(models.Model):
    """What the citizen was told, by which channel, and whether it went out."""

    class Medium(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="notices")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notices")
    medium = models.CharField(max_length=10, choices=Medium.choices)
    text = models.TextField()
    sent_at = models.DateTimeField(null=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "medium"], name="notice_once_per_event")]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.medium}"


class IdentityReading(models.Model):
    """Each time a protected sender's identity was shown, and to whom (Luật 91/2025/QH15)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="identity_readings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    purpose = models.CharField(max_length=100)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.user_id} {self.at:%d/%m/%Y %H:%M}"


# --- Synthesis -------------------------------------------------------------------------------------


class Synthesis(models.Model):
    """The opinions of a period and scope grouped into themes (tổng hợp ý kiến, kiến nghị), e.g.
    before a session of the People's Council: computed by the worker, then edited by officers
    (themes merged, split, renamed, reordered) and exported as the synthesis report."""

    class State(models.TextChoices):
        PENDING = "pending", _("being grouped")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="syntheses", verbose_name=_("committee"))
    title = models.CharField(_("title"), max_length=300)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    only_meetings = models.BooleanField(
        _("only opinions raised at voter meetings"),
        default=False,
        help_text=_("Otherwise every petition and opinion received in the period, from every channel."),
    )
    meeting = models.ForeignKey(
        VoterMeeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="syntheses",
        verbose_name=_("only the opinions of the meeting"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    error = models.CharField(max_length=300, blank=True)
    petition_count = models.PositiveIntegerField(_("opinions"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("synthesis")
        verbose_name_plural = _("syntheses")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class Theme(models.Model):
    """A group of opinions raising one issue; ``position`` is its place in the report."""

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("theme"), max_length=300)
    representative = models.ForeignKey(
        Petition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("representative")
    )
    terms = models.CharField(_("key words"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.synthesis.unit.path or ""


class ThemeMember(models.Model):
    """A petition in a theme; ``copy_of`` is the first of the near-duplicates it repeats."""

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="members")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="members")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    copy_of = models.ForeignKey(Petition, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["synthesis", "petition"], name="synthesis_member_once")]

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.petition_id}"


# --- Citizen reception ------------------------------------------------------------------------------


class Reception(models.Model):
    """A citizen received in person (tiếp công dân, Thông tri 36/TT-MTTW-BTT): who received whom,
    when, about what. The visitors' names and address are personal data; when what they brought
    is recorded as a complaint, denunciation or corruption report, they are protected like the
    petition's sender."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="receptions", verbose_name=_("committee"))
    received_at = models.DateTimeField(_("date and time"))
    host = models.CharField(
        _("received by"), max_length=300, help_text=_("Who received the citizens: name and position.")
    )
    visitors = models.CharField(_("citizens received"), max_length=500, help_text=_("Names, as they gave them."))
    visitor_count = models.PositiveIntegerField(_("number of people"), default=1)
    address = models.CharField(_("their address"), max_length=300, blank=True)
    subject = models.CharField(_("about"), max_length=300)
    summary = models.TextField(_("what they said, and what they were told"))
    petition = models.OneToOneField(
        Petition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reception",
        verbose_name=_("recorded as petition"),
    )
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("citizen reception")
        verbose_name_plural = _("citizen receptions")

    def __str__(self) -> str:
        return f"{self.received_at:%d/%m/%Y} — {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.host, self.visitors = nfc(self.host), nfc(self.visitors)
        self.address, self.subject = nfc(self.address), nfc(self.subject)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""
