"""The calendar: the Front's days with lunar dates converted, programme events placed in the year
asked (anniversaries counted again), who sees which unit's calendar, the iCalendar feed a phone
subscribes to with a secret address, and a fixed number of queries however many programmes."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import People, World, login, make_user
from doanket.core.models import AuditEntry
from doanket.organizations.models import Unit
from doanket.programs import calendar
from doanket.programs.calendar import CalendarEntry, anniversary_number, calendar_entries, same_name
from doanket.programs.models import Event, FeedToken, Program

PARTY = "Ngày thành lập Đảng Cộng sản Việt Nam"


def _program(unit: Unit, title: str, year: int | None = 2022) -> Program:
    return Program.objects.create(unit=unit, title=title, year=year)


def _party_event(program: Program) -> Event:
    """As the parser stores "kỷ niệm 92 năm Ngày thành lập Đảng Cộng sản Việt Nam (3/2/1930 - 3/2/2022)"."""
    return Event.objects.create(
        program=program, name=PARTY, origin_date=dt.date(1930, 2, 3), date=dt.date(2022, 2, 3), anniversary=92
    )


def _on(entries: list[CalendarEntry], date: dt.date) -> list[CalendarEntry]:
    return [e for e in entries if e.date == date]


def _month_url(unit: Unit, year: int, month: int) -> str:
    return f"{reverse('calendar:month')}?unit={unit.pk}&year={year}&month={month}"


def _feed_events(content: bytes) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(content).walk("VEVENT"))


# --- The Front's days ---------------------------------------------------------------------------


def test_anniversary_numbers() -> None:
    assert anniversary_number(1930, 2022) == 92
    assert anniversary_number(1930, 2026) == 96
    assert anniversary_number(1930, 1930) is None
    assert anniversary_number(None, 2026) is None


def test_lunar_front_days_are_converted_for_the_year_asked(db: None) -> None:
    entries_2022 = calendar_entries(Program.objects.none(), 2022)
    hung_kings = [e for e in entries_2022 if e.name == "Giỗ Tổ Hùng Vương"]
    assert [e.date for e in hung_kings] == [dt.date(2022, 4, 10)]
    assert hung_kings[0].lunar and hung_kings[0].lunar_label == "10/3 âm lịch"
    tet_2026 = [e for e in calendar_entries(Program.objects.none(), 2026) if e.name == "Tết Nguyên đán"]
    assert [e.date for e in tet_2026] == [dt.date(2026, 2, 17)]


def test_front_days_carry_their_anniversary_for_the_year(db: None) -> None:
    entries = calendar_entries(Program.objects.none(), 2022)
    (front,) = [e for e in _on(entries, dt.date(2022, 11, 18))]
    assert front.name.startswith("Ngày truyền thống Mặt trận Tổ quốc Việt Nam")
    assert front.anniversary == 92
    assert front.title.startswith("Kỷ niệm 92 năm Ngày truyền thống Mặt trận")
    assert entries == sorted(entries, key=lambda e: e.date)
    february = calendar_entries(Program.objects.none(), 2022, month=2)
    assert {e.date.month for e in february} == {2}
    assert [e.name for e in february] == ["Tết Nguyên đán", PARTY, "Tết Nguyên tiêu"]  # 1/2, 3/2, 15/2/2022


def test_a_late_twelfth_lunar_month_falls_in_january_or_february_of_the_next_year() -> None:
    # 23 tháng Chạp of lunar year 2025 is in 2026; that of lunar year 2026 in 2027.
    assert [d.year for d in calendar.lunar_dates_in(23, 12, 2026)] == [2026]
    assert calendar.lunar_dates_in(23, 12, 2026)[0].month in (1, 2)


def test_names_are_compared_without_accents_or_abbreviations() -> None:
    front = "Ngày truyền thống Mặt trận Tổ quốc Việt Nam – Ngày hội Đại đoàn kết toàn dân tộc"
    assert same_name("ngày truyền thống MTTQ Việt Nam", front)
    assert same_name("Ngày hội Đại đoàn kết toàn dân tộc", front)
    assert same_name("Kỷ niệm 96 năm ngày thành lập Đảng cộng sản Việt Nam", PARTY)
    assert not same_name("Ngày Biên phòng toàn dân", "Ngày truyền thống Bộ đội Biên phòng")


# --- Programme events placed in the year asked ---------------------------------------------------


def test_a_2022_programme_event_shows_its_2026_anniversary_once(world: World) -> None:
    program = _program(world.lao_cai, "Chương trình công tác năm 2022")
    _party_event(program)
    entries = calendar_entries(Program.objects.all(), 2026)
    (entry,) = _on(entries, dt.date(2026, 2, 3))  # the Front day of the same name is not repeated
    assert entry.source == "program"
    assert entry.anniversary == 96
    assert entry.title == "Kỷ niệm 96 năm Ngày thành lập Đảng Cộng sản Việt Nam"
    assert entry.program_title == "Chương trình công tác năm 2022"
    assert entry.unit_name == "Ủy ban MTTQ tỉnh Lào Cai"
    assert _on(calendar_entries(Program.objects.all(), 2022), dt.date(2022, 2, 3))[0].anniversary == 92


def test_lunar_and_dated_events_of_a_programme(world: World) -> None:
    program = _program(world.lao_cai, "Chương trình công tác năm 2022")
    Event.objects.create(program=program, name="Lễ hội Gầu Tào", lunar=True, lunar_day=10, lunar_month=3)
    Event.objects.create(program=program, name="Hội nghị tổng kết", date=dt.date(2022, 12, 15))
    in_2022 = calendar_entries(Program.objects.all(), 2022)
    assert [e.name for e in _on(in_2022, dt.date(2022, 4, 10))] == ["Giỗ Tổ Hùng Vương", "Lễ hội Gầu Tào"]
    assert [e.name for e in _on(in_2022, dt.date(2022, 12, 15))] == ["Hội nghị tổng kết"]
    in_2026 = calendar_entries(Program.objects.all(), 2026)
    (festival,) = [e for e in in_2026 if e.name == "Lễ hội Gầu Tào"]
    assert festival.date == dt.date(2026, 4, 26)  # 10/3 âm lịch in 2026
    assert festival.lunar_label == "10/3 âm lịch"
    assert not [e for e in in_2026 if e.name == "Hội nghị tổng kết"]  # a dated event stays in its year


def test_the_same_event_in_two_years_programmes_is_shown_once(world: World) -> None:
    _party_event(_program(world.lao_cai, "Chương trình năm 2022"))
    latest = _program(world.bac_ha, "Chương trình năm 2026", 2026)
    Event.objects.create(program=latest, name="ngày thành lập Đảng CSVN", date=dt.date(2026, 2, 3))
    (entry,) = _on(calendar_entries(Program.objects.all(), 2026), dt.date(2026, 2, 3))
    assert entry.program_title == "Chương trình năm 2026"  # the programme of the year asked
    assert entry.anniversary == 96  # taken from the Front day it repeats


# --- The month page ----------------------------------------------------------------------------


def test_the_month_needs_a_login(client: Client, world: World) -> None:
    response = client.get(reverse("calendar:month"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_commune_officer_sees_the_province_programme_but_not_a_sibling_commune(
    client: Client, world: World, users: People
) -> None:
    _party_event(_program(world.lao_cai, "Chương trình công tác năm 2022 của tỉnh"))
    sibling = _program(world.sa_pa, "Chương trình của phường Sa Pa", 2026)
    Event.objects.create(program=sibling, name="Hội nghị riêng của Sa Pa", date=dt.date(2026, 2, 10))
    login(client, users.commune_officer)
    response = client.get(_month_url(world.bac_ha, 2026, 2))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chương trình công tác năm 2022 của tỉnh" in body
    assert "96" in body
    assert "Ngày thành lập Đảng Cộng sản Việt Nam" in body
    assert "Tết Nguyên đán" in body  # 17/02/2026
    assert "17/02/2026" in body
    assert "Sa Pa" not in body
    assert f'href="?unit={world.bac_ha.pk}&amp;year=2026&amp;month=1"' in body
    assert f'href="?unit={world.bac_ha.pk}&amp;year=2026&amp;month=3"' in body
    assert reverse("calendar:subscribe") in body


def test_the_default_unit_is_the_users_own(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    response = client.get(reverse("calendar:month"), {"year": "2026", "month": "12"})
    assert response.status_code == 200
    assert response.context["unit"] == world.bac_ha
    assert response.context["previous"] == {"year": 2026, "month": 11}
    assert response.context["next"] == {"year": 2027, "month": 1}


def test_a_unit_outside_the_users_scope_is_not_found(client: Client, world: World, users: People) -> None:
    login(client, make_user("langson", world.lang_son))
    assert client.get(_month_url(world.bac_ha, 2026, 2)).status_code == 404
    assert client.get(_month_url(world.lao_cai, 2026, 2)).status_code == 404
    assert client.get(reverse("calendar:month"), {"unit": "nope"}).status_code == 404
    assert client.get(_month_url(world.lang_son, 2026, 2)).status_code == 200


def test_a_user_without_a_unit_is_refused(client: Client, world: World) -> None:
    login(client, make_user("nobody"))
    assert client.get(reverse("calendar:month")).status_code == 403


def test_the_month_page_costs_the_same_queries_for_1_or_20_programmes(
    client: Client, world: World, users: People
) -> None:
    login(client, users.commune_officer)
    url = _month_url(world.bac_ha, 2026, 2)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _party_event(_program(world.lao_cai, "Chương trình 0"))
    one = count()
    for n in range(1, 20):
        unit = world.lao_cai if n % 2 else world.bac_ha
        program = _program(unit, f"Chương trình {n}", 2026)
        Event.objects.create(program=program, name=f"Hội nghị số {n}", date=dt.date(2026, 2, 1 + n))
        Event.objects.create(program=program, name=f"Lễ hội {n}", lunar=True, lunar_day=n, lunar_month=1)
    twenty = count()
    assert twenty == one
    assert "Hội nghị số 19" in client.get(url).content.decode()


# --- The feed ----------------------------------------------------------------------------------


def _feed_url(client: Client, user: object) -> str:
    login(client, user)  # type: ignore[arg-type]
    response = client.get(reverse("calendar:subscribe"))
    assert response.status_code == 200
    url = response.context["feed_url"]
    assert url.startswith("http://testserver/calendar/feed/") and url.endswith(".ics")
    assert url in response.content.decode()
    return url


def test_the_feed_parses_back_with_the_expected_events(client: Client, world: World, users: People) -> None:
    _party_event(_program(world.lao_cai, "Chương trình công tác năm 2022 của tỉnh"))
    commune = _program(world.bac_ha, "Chương trình của xã Bắc Hà")
    Event.objects.create(program=commune, name="Lễ hội Gầu Tào", lunar=True, lunar_day=10, lunar_month=3)
    sibling = _program(world.sa_pa, "Chương trình của phường Sa Pa")
    Event.objects.create(program=sibling, name="Lễ hội của Sa Pa", lunar=True, lunar_day=5, lunar_month=5)
    url = _feed_url(client, users.commune_officer)

    response = Client().get(url)  # a phone: no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=3600"
    parsed = icalendar.Calendar.from_ical(response.content)
    assert str(parsed["PRODID"]) == "-//Đoàn Kết//lich//VI"
    assert "Ủy ban MTTQ xã Bắc Hà" in str(parsed["X-WR-CALNAME"])
    events = list(parsed.walk("VEVENT"))
    year = timezone.localdate().year
    by_summary = {(str(e["SUMMARY"]), e.decoded("DTSTART")): e for e in events}
    party = by_summary[(f"Kỷ niệm {year - 1930} năm {PARTY}", dt.date(year, 2, 3))]
    assert party.decoded("DTEND") == dt.date(year, 2, 4)
    assert "Chương trình công tác năm 2022 của tỉnh" in str(party["DESCRIPTION"])
    assert (f"Kỷ niệm {year + 1 - 1930} năm {PARTY}", dt.date(year + 1, 2, 3)) in by_summary  # and next year
    assert ("Lễ hội Gầu Tào", calendar.lunar_dates_in(10, 3, year)[0]) in by_summary
    assert ("Tết Nguyên đán", calendar.lunar_dates_in(1, 1, year + 1)[0]) in by_summary
    assert not [e for e in events if "Sa Pa" in str(e["SUMMARY"])]
    assert all(type(e.decoded("DTSTART")) is dt.date for e in events)
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)) and all(u.endswith("@doanket") for u in uids)
    assert uids == [str(e["UID"]) for e in _feed_events(Client().get(url).content)]  # stable


def test_a_wrong_token_or_an_inactive_user_gets_404(client: Client, world: World, users: People) -> None:
    assert Client().get(reverse("calendar:feed", args=["not-a-token"])).status_code == 404
    url = _feed_url(client, users.commune_officer)
    users.commune_officer.is_active = False
    users.commune_officer.save()
    assert Client().get(url).status_code == 404


def test_making_a_new_address_kills_the_old_one(client: Client, world: World, users: People) -> None:
    old_url = _feed_url(client, users.commune_officer)
    old_token = FeedToken.objects.get(user=users.commune_officer).token
    assert Client().get(old_url).status_code == 200
    response = client.post(reverse("calendar:subscribe"))
    assert response.status_code == 302
    new_url = client.get(reverse("calendar:subscribe")).context["feed_url"]
    assert new_url != old_url
    assert Client().get(old_url).status_code == 404
    assert Client().get(new_url).status_code == 200
    new_token = FeedToken.objects.get(user=users.commune_officer).token
    assert len(new_token) >= 43
    logged = AuditEntry.objects.filter(model="programs.feedtoken")
    assert logged.count() == 2  # made, then replaced
    assert not [e for e in logged if old_token in str(e.changes) or new_token in str(e.changes)]


def test_the_subscription_page_needs_a_login(client: Client, world: World) -> None:
    assert client.get(reverse("calendar:subscribe")).status_code == 302
    assert client.post(reverse("calendar:subscribe")).status_code == 302
    assert not FeedToken.objects.exists()


def test_ical_writes_whole_day_events_with_stable_uids() -> None:
    entries = [
        CalendarEntry(date=dt.date(2026, 11, 18), name="Ngày truyền thống MTTQ Việt Nam", anniversary=96),
        CalendarEntry(
            date=dt.date(2026, 4, 26),
            name="Giỗ Tổ Hùng Vương",
            lunar=True,
            lunar_label="10/3 âm lịch",
            lunar_day=10,
            lunar_month=3,
        ),
    ]
    data = calendar.ical(entries, "Lịch Đoàn Kết")
    assert isinstance(data, bytes)
    text = data.decode("utf-8")
    assert "X-WR-CALNAME:Lịch Đoàn Kết" in text
    assert "DTSTART;VALUE=DATE:20261118" in text and "DTEND;VALUE=DATE:20261119" in text
    parsed = icalendar.Calendar.from_ical(data)
    summaries = [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")]
    assert summaries == ["Kỷ niệm 96 năm Ngày truyền thống MTTQ Việt Nam", "Giỗ Tổ Hùng Vương"]
    assert "10/3 âm lịch" in str(parsed.walk("VEVENT")[1]["DESCRIPTION"])
    assert calendar.entry_uid(entries[0]) == calendar.entry_uid(CalendarEntry(dt.date(2026, 11, 18), entries[0].name))
