"""Synthesis of opinions (tổng hợp ý kiến, kiến nghị): the petitions of a period and scope grouped
into themes by ``grouping`` in the worker, then edited by officers — themes renamed, reordered,
merged and split — and exported as the synthesis report (DOCX, official layout) and as XLSX.

What is grouped: every petition and opinion received in the period by the committee and the
committees below it, except complaints, denunciations and corruption reports (they concern
persons, follow their own procedure and never go into a report of public opinion). Nothing of a
sender's identity is read here.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc
from doanket.documents.export import export_docx
from doanket.documents.structure import ParsedDocument, Section
from doanket.organizations.models import Unit
from doanket.petitions.models import (
    PROTECTED_KINDS,
    Channel,
    Petition,
    Synthesis,
    Theme,
    ThemeMember,
    VoterMeeting,
)
from doanket.reporting.exports import as_text


class SynthesisError(ValueError):
    """An edit that cannot be made; the message says why, in the user's language."""


def petitions_in(
    unit: Unit, start: dt.date, end: dt.date, only_meetings: bool = False, meeting: VoterMeeting | None = None
) -> QuerySet[Petition]:
    """The opinions a synthesis of ``unit`` over [start, end] groups, in the order received."""
    tz = timezone.get_current_timezone()
    rows = Petition.objects.filter(
        unit__path__startswith=unit.path or "",
        received_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        received_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    ).exclude(kind__in=PROTECTED_KINDS)
    if only_meetings:
        rows = rows.filter(channel=Channel.VOTER_MEETING)
    if meeting is not None:
        rows = rows.filter(meeting=meeting)
    return rows.order_by("received_at", "pk")


def _check(actor: Any, unit: Unit) -> None:
    if actor is not None and not authz.can(actor, Perm.HANDLE_PETITION, unit):
        raise PermissionDenied


def start(
    actor: Any,
    unit: Unit,
    title: str,
    start: dt.date,
    end: dt.date,
    only_meetings: bool = False,
    meeting: VoterMeeting | None = None,
) -> Synthesis:
    """A new synthesis, grouped by the worker once this transaction commits."""
    _check(actor, unit)
    if end < start:
        raise SynthesisError(_("The end of the period comes before its start."))
    if not nfc(title):
        raise SynthesisError(_("Give the synthesis a title."))
    synthesis = Synthesis.objects.create(
        unit=unit,
        title=title,
        start=start,
        end=end,
        only_meetings=only_meetings or meeting is not None,
        meeting=meeting,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, synthesis)
    _group_later(synthesis)
    return synthesis


def regroup(actor: Any, synthesis: Synthesis) -> Synthesis:
    """Group again from the petitions as they are now; the officers' edits are discarded."""
    _check(actor, synthesis.unit)
    before = audit.snapshot(synthesis)
    synthesis.state = Synthesis.State.PENDING
    synthesis.error = ""
    synthesis.save(update_fields=["state", "error"])
    audit.record(actor, AuditAction.UPDATE, synthesis, before, audit.snapshot(synthesis))
    _group_later(synthesis)
    return synthesis


def _group_later(synthesis: Synthesis) -> None:
    from doanket.petitions import tasks

    pk = synthesis.pk
    transaction.on_commit(lambda: tasks.group_synthesis.enqueue(pk))


def compute(synthesis_id: int) -> int:
    """Group the synthesis's petitions into themes (the worker's job): the themes and their
    members are replaced whole, in one transaction. Returns the number of themes."""
    from doanket.petitions import grouping  # NumPy and scikit-learn: loaded where they are used

    synthesis = Synthesis.objects.select_related("unit").get(pk=synthesis_id)
    rows = list(
        petitions_in(
            synthesis.unit, synthesis.start, synthesis.end, synthesis.only_meetings, synthesis.meeting
        ).values_list("pk", "title", "content")
    )
    found = grouping.group([f"{title}. {content}" for _pk, title, content in rows])
    ids = [pk for pk, _title, _content in rows]
    titles = {pk: title for pk, title, _content in rows}
    with transaction.atomic():
        locked = Synthesis.objects.select_for_update().get(pk=synthesis_id)
        ThemeMember.objects.filter(synthesis=locked).delete()
        Theme.objects.filter(synthesis=locked).delete()
        themes = Theme.objects.bulk_create(
            Theme(
                synthesis=locked,
                position=position + 1,
                title=titles[ids[representative]][:300],
                representative_id=ids[representative],
                terms=", ".join(found.terms[position])[:300],
            )
            for position, representative in enumerate(found.representatives)
        )
        ThemeMember.objects.bulk_create(
            (
                ThemeMember(
                    synthesis=locked,
                    theme=themes[theme],
                    petition_id=ids[i],
                    copy_of_id=ids[found.copies[i]] if found.copies[i] != i else None,
                )
                for i, theme in enumerate(found.themes)
            ),
            batch_size=2000,
        )
        locked.state = Synthesis.State.READY
        locked.petition_count = len(ids)
        locked.computed_at = timezone.now()
        locked.error = ""
        locked.save(update_fields=["state", "petition_count", "computed_at", "error"])
    return len(themes)


def failed(synthesis_id: int, error: str) -> None:
    Synthesis.objects.filter(pk=synthesis_id).update(state=Synthesis.State.FAILED, error=error[:300])


# --- Officers' edits --------------------------------------------------------------------------------


def _ready(actor: Any, synthesis: Synthesis) -> None:
    _check(actor, synthesis.unit)
    if synthesis.state != Synthesis.State.READY:
        raise SynthesisError(_("The opinions are still being grouped; wait until the themes are shown."))


def _renumber(themes: list[Theme]) -> None:
    """Positions 1, 2, 3 ... in the order of ``themes`` (only those that change are written)."""
    for position, theme in enumerate(themes, 1):
        if theme.position != position:
            Theme.objects.filter(pk=theme.pk).update(position=position)
            theme.position = position


def _in_order(synthesis: Synthesis) -> list[Theme]:
    return list(Theme.objects.select_for_update().filter(synthesis=synthesis).order_by("position", "pk"))


@transaction.atomic
def rename(actor: Any, theme: Theme, title: str) -> Theme:
    _ready(actor, theme.synthesis)
    title = nfc(title)
    if not title:
        raise SynthesisError(_("Give the theme a name."))
    before = audit.snapshot(theme)
    theme.title = title[:300]
    theme.save(update_fields=["title"])
    audit.record(actor, AuditAction.UPDATE, theme, before, audit.snapshot(theme))
    return theme


@transaction.atomic
def move(actor: Any, theme: Theme, to: int) -> Theme:
    """Put ``theme`` at place ``to`` (1 = first) in the report; the others follow in order."""
    synthesis = theme.synthesis
    _ready(actor, synthesis)
    order = _in_order(synthesis)
    current = next(t for t in order if t.pk == theme.pk)
    before = audit.snapshot(current)
    order.remove(current)
    order.insert(max(0, min(to - 1, len(order))), current)
    _renumber(order)
    audit.record(actor, AuditAction.UPDATE, current, before, audit.snapshot(current))
    return current


@transaction.atomic
def merge(actor: Any, synthesis: Synthesis, themes: list[Theme], into: Theme) -> Theme:
    """Fold ``themes`` into ``into``: their opinions join it, they disappear from the report."""
    _ready(actor, synthesis)
    others = [t for t in themes if t.pk != into.pk]
    if into.synthesis_id != synthesis.pk or any(t.synthesis_id != synthesis.pk for t in others):
        raise SynthesisError(_("These themes belong to another synthesis."))
    if not others:
        raise SynthesisError(_("Choose at least two themes to merge."))
    size_before = ThemeMember.objects.filter(theme=into).count()
    moved = ThemeMember.objects.filter(theme__in=others).update(theme=into)
    for theme in others:
        audit.record(actor, AuditAction.DELETE, theme, {**audit.snapshot(theme), "merged_into": into.title})
        theme.delete()
    audit.record(actor, AuditAction.UPDATE, into, {"opinions": size_before}, {"opinions": size_before + moved})
    _renumber(_in_order(synthesis))
    into.refresh_from_db()
    return into


@transaction.atomic
def split(actor: Any, theme: Theme, petition_ids: list[int], title: str = "", to: Theme | None = None) -> Theme:
    """Move the chosen opinions of ``theme`` to the theme ``to``, or to a new theme called
    ``title`` placed right after it. Near-duplicates go with the opinion they repeat."""
    theme = Theme.objects.select_for_update().select_related("synthesis__unit").get(pk=theme.pk)
    synthesis = theme.synthesis
    _ready(actor, synthesis)
    chosen = set(petition_ids)
    members = ThemeMember.objects.filter(theme=theme)
    picked = members.filter(Q(petition_id__in=chosen) | Q(copy_of_id__in=chosen))
    count = picked.count()
    total = members.count()
    if not count:
        raise SynthesisError(_("Tick the opinions to move."))
    if count == total:
        raise SynthesisError(_("Leave at least one opinion in the theme, or merge the whole theme instead."))
    if to is not None:
        if to.synthesis_id != synthesis.pk or to.pk == theme.pk:
            raise SynthesisError(_("Choose another theme of this synthesis."))
        target = to
    else:
        title = nfc(title)
        if not title:
            raise SynthesisError(_("Give the new theme a name."))
        Theme.objects.filter(synthesis=synthesis, position__gt=theme.position).update(position=F("position") + 1)
        first = picked.order_by("petition__received_at", "pk").values_list("petition_id", flat=True).first()
        target = Theme.objects.create(
            synthesis=synthesis, position=theme.position + 1, title=title[:300], representative_id=first
        )
        audit.record(actor, AuditAction.CREATE, target)
    size_before = ThemeMember.objects.filter(theme=target).count()
    picked.update(theme=target)
    # A near-duplicate whose first opinion moved away now leads its set in the old theme.
    moved_firsts = set(ThemeMember.objects.filter(theme=target).values_list("petition_id", flat=True))
    ThemeMember.objects.filter(theme=theme, copy_of_id__in=moved_firsts).update(copy_of=None)
    if theme.representative_id in moved_firsts:
        theme.representative_id = (
            ThemeMember.objects.filter(theme=theme)
            .order_by("petition__received_at")
            .values_list("petition_id", flat=True)
            .first()
        )
        theme.save(update_fields=["representative"])
    audit.record(actor, AuditAction.UPDATE, theme, {"opinions": total}, {"opinions": total - count})
    audit.record(actor, AuditAction.UPDATE, target, {"opinions": size_before}, {"opinions": size_before + count})
    return target


# --- Reading --------------------------------------------------------------------------------------


@dataclass
class ThemeView:
    theme: Theme
    size: int = 0
    distinct: int = 0
    places: list[tuple[str, int]] = field(default_factory=list)
    place_count: int = 0

    @property
    def places_text(self) -> str:
        shown = ", ".join(f"{name} ({n})" if n > 1 else name for name, n in self.places)
        more = self.place_count - len(self.places)
        if more <= 0:
            return shown
        return _("%(places)s and %(n)s more") % {"places": shown, "n": more}


def themes_of(synthesis: Synthesis, top_places: int = 5) -> list[ThemeView]:
    """The themes in report order, with their size, distinct requests and places: three queries
    whatever the number of opinions."""
    themes = (
        Theme.objects.filter(synthesis=synthesis)
        .select_related("representative")
        .annotate(size=Count("members"), distinct=Count("members", filter=Q(members__copy_of__isnull=True)))
        .order_by("position", "pk")
    )
    views = {t.pk: ThemeView(t, t.size, t.distinct) for t in themes}
    places: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        ThemeMember.objects.filter(synthesis=synthesis)
        .values_list("theme_id", "petition__place__name")
        .annotate(n=Count("pk"))
    )
    for theme_id, name, n in rows:
        places[theme_id][name or _("place not given")] += n
    for pk, counter in places.items():
        if pk in views:
            views[pk].places = counter.most_common(top_places)
            views[pk].place_count = len(counter)
    return list(views.values())


def members_of(theme: Theme) -> QuerySet[ThemeMember]:
    return (
        ThemeMember.objects.filter(theme=theme)
        .select_related("petition__place", "copy_of")
        .order_by("petition__received_at", "petition_id")
    )


# --- Exports -------------------------------------------------------------------------------------


def _dates(synthesis: Synthesis) -> str:
    return f"{synthesis.start:%d/%m/%Y} – {synthesis.end:%d/%m/%Y}"


def report_docx(synthesis: Synthesis) -> bytes:
    """The synthesis report in the official layout: one numbered section per theme, in the
    officers' order, with its size, places and representative wording."""
    views = themes_of(synthesis)
    sections = []
    for number, view in enumerate(views, 1):
        lines = [
            _("%(size)s opinions (%(distinct)s different requests), from: %(places)s.")
            % {"size": view.size, "distinct": view.distinct, "places": view.places_text},
        ]
        if view.theme.representative is not None:
            lines.append(_("Typical wording: “%(text)s”") % {"text": view.theme.representative.content})
        sections.append(Section(number=f"{number}.", title=view.theme.title, text="\n".join(lines)))
    preamble = _(
        "%(count)s opinions and petitions of voters and citizens received from %(start)s to %(end)s, "
        "grouped into %(themes)s themes."
    ) % {
        "count": synthesis.petition_count,
        "start": f"{synthesis.start:%d/%m/%Y}",
        "end": f"{synthesis.end:%d/%m/%Y}",
        "themes": len(views),
    }
    doc = ParsedDocument(
        kind="report",
        title=synthesis.title,
        issuer=synthesis.unit.name,
        place="",
        date=timezone.localdate(),
        preamble=preamble,
        sections=sections,
    )
    return export_docx(doc)


def report_xlsx(synthesis: Synthesis) -> bytes:
    """Two sheets: the themes (one row each) and the opinions (one row each, with their theme)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("Themes")[:31]
    bold = Font(bold=True)
    sheet.append([synthesis.title])
    as_text(sheet[1])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Period: %(dates)s") % {"dates": _dates(synthesis)}])
    sheet.append([])
    sheet.append([_("No."), _("Theme"), _("Opinions"), _("Different requests"), _("Places"), _("Typical wording")])
    for cell in sheet[4]:
        cell.font = bold
    views = themes_of(synthesis)
    for number, view in enumerate(views, 1):
        representative = view.theme.representative
        sheet.append(
            [
                number,
                view.theme.title,
                view.size,
                view.distinct,
                view.places_text,
                representative.content if representative else "",
            ]
        )
        as_text(sheet[sheet.max_row])
    for column, width in zip("ABCDEF", (6, 45, 10, 12, 45, 90), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    opinions = book.create_sheet(_("Opinions")[:31])
    opinions.append(
        [
            _("Theme no."),
            _("Theme"),
            _("Code"),
            _("Received"),
            _("Place"),
            _("Channel"),
            _("Subject"),
            _("Content"),
            _("Repeats"),
        ]
    )
    for cell in opinions[1]:
        cell.font = bold
    numbers = {view.theme.pk: (n, view.theme.title) for n, view in enumerate(views, 1)}
    channels = dict(Channel.choices)
    rows = (
        ThemeMember.objects.filter(synthesis=synthesis)
        .select_related("petition__place", "copy_of")
        .order_by("theme__position", "theme_id", "petition__received_at", "petition_id")
        .only(
            "theme_id",
            "copy_of__code",
            "petition__code",
            "petition__received_at",
            "petition__place__name",
            "petition__channel",
            "petition__title",
            "petition__content",
        )
    )
    for member in rows.iterator(chunk_size=2000):
        petition = member.petition
        number, title = numbers.get(member.theme_id, (0, ""))
        opinions.append(
            [
                number,
                title,
                petition.code,
                timezone.localtime(petition.received_at).strftime("%d/%m/%Y"),
                petition.place.name if petition.place else "",
                str(channels.get(petition.channel, petition.channel)),
                petition.title,
                petition.content,
                member.copy_of.code if member.copy_of else "",
            ]
        )
        as_text(opinions[opinions.max_row])
    for column, width in zip("ABCDEFGHI", (8, 40, 18, 12, 25, 18, 40, 80, 18), strict=True):
        opinions.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Draft for the quarterly report ----------------------------------------------------------------

DRAFT_THEMES = 8


def draft_section(unit: Unit, start: dt.date, end: dt.date) -> str:
    """The paragraph "issues the people raised" of a period's report: the themes of the latest
    synthesis of ``unit`` within the period, or else the period's petitions grouped now."""
    saved = (
        Synthesis.objects.filter(unit=unit, state=Synthesis.State.READY, start__gte=start, end__lte=end)
        .order_by("-computed_at")
        .first()
    )
    if saved is not None:
        items = [
            (v.theme.title, v.size, [name for name, _n in v.places[:3]], v.place_count)
            for v in themes_of(saved, top_places=3)
        ]
        total = saved.petition_count
    else:
        from doanket.petitions import grouping

        rows = list(petitions_in(unit, start, end).values_list("title", "content", "place__name"))
        if not rows:
            return ""
        found = grouping.group([f"{title}. {content}" for title, content, _place in rows])
        per_theme: dict[int, list[int]] = defaultdict(list)
        for i, theme in enumerate(found.themes):
            per_theme[theme].append(i)
        items = []
        for theme, representative in enumerate(found.representatives):
            members = per_theme[theme]
            at = Counter(rows[i][2] or "" for i in members)
            at.pop("", None)
            items.append((rows[representative][0], len(members), [p for p, _n in at.most_common(3)], len(at)))
        total = len(rows)
    lines = [
        _("%(total)s opinions and petitions were received in the period; the main issues raised:") % {"total": total}
    ]
    for title, size, places, place_count in items[:DRAFT_THEMES]:
        where = ", ".join(places)
        if place_count > len(places):
            where = f"{where}…"
        counted = _("%(n)s opinions") % {"n": size}
        lines.append(f"- {title} ({counted}; {where})." if where else f"- {title} ({counted}).")
    if len(items) > DRAFT_THEMES:
        rest = sum(size for _t, size, _p, _c in items[DRAFT_THEMES:])
        lines.append(_("- Other issues: %(n)s opinions.") % {"n": rest})
    return "\n".join(lines)
