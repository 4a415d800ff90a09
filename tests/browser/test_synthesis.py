"""A voter meeting's opinions synthesised in a real browser: the officer groups them from the
meeting's page, the page updates itself when the worker has grouped them, the officer renames,
reorders, merges and splits the themes and downloads the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from doanket.demo.opinions import opinions
from doanket.petitions import services
from doanket.petitions.models import Body, Synthesis, Theme, VoterMeeting
from tests.browser.conftest import Commune, log_in

pytestmark = pytest.mark.browser


def test_a_meetings_opinions_grouped_edited_and_exported(page: Page, live_server: Any, commune: Commune) -> None:
    base = live_server.url
    meeting = services.plan_meeting(
        commune.officer,
        VoterMeeting(
            unit=commune.bac_ha,
            body=Body.COMMUNE_COUNCIL,
            deputies="Đại biểu Lò Văn Sáng",
            title="Tiếp xúc cử tri thôn Na Hối",
            starts_at=timezone.now() - dt.timedelta(hours=3),
            place="Nhà văn hóa thôn Na Hối",
        ),
    )
    text = "\n".join(o.content for o in opinions(40, seed=4, themes=4, duplicates=0.2))
    services.record_opinions(commune.officer, meeting, text)

    log_in(page, base, commune.officer.username)
    page.goto(f"{base}/petitions/meetings/{meeting.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("synthesise").click()
    expect(page.get_by_test_id("pending")).to_be_visible()
    call_command("worker", batch=True, verbosity=0)  # the worker groups them; the page polls
    made = Synthesis.objects.get()
    themes = Theme.objects.filter(synthesis=made).count()
    assert made.petition_count == 40 and themes >= 4, "four themes were planted"
    expect(page.get_by_test_id("theme-row")).to_have_count(themes, timeout=10_000)

    # Rename the first theme.
    page.get_by_test_id("title-1").fill("Đường giao thông nông thôn")
    with page.expect_navigation():
        page.get_by_test_id("rename-1").click()
    expect(page.get_by_test_id("title-1")).to_have_value("Đường giao thông nông thôn")
    # Move the second theme up: it becomes the first.
    second = page.get_by_test_id("title-2").input_value()
    with page.expect_navigation():
        page.get_by_test_id("up-2").click()
    expect(page.get_by_test_id("title-1")).to_have_value(second)
    # Merge the third and fourth into the third.
    sizes = [int(page.get_by_test_id(f"size-{n}").inner_text().split()[0]) for n in (3, 4)]
    page.get_by_test_id("choose-3").check()
    page.get_by_test_id("choose-4").check()
    into = page.get_by_test_id("choose-3").get_attribute("value")
    assert into is not None
    page.select_option("[data-testid='merge-into']", value=into)
    with page.expect_navigation():
        page.get_by_test_id("merge").click()
    expect(page.get_by_test_id("theme-row")).to_have_count(themes - 1)
    expect(page.get_by_test_id("size-3")).to_contain_text(str(sum(sizes)))

    # Split: two opinions of the merged theme to a new theme.
    with page.expect_navigation():
        page.get_by_test_id("open-3").click()
    boxes = page.locator("input[name='opinions']")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_test_id("split-title").fill("Ý kiến tách riêng")
    with page.expect_navigation():
        page.get_by_test_id("split").click()
    assert Theme.objects.filter(synthesis=made, title="Ý kiến tách riêng").exists()
    page.goto(f"{base}/petitions/syntheses/{made.pk}/")
    expect(page.get_by_test_id("theme-row")).to_have_count(themes)
    expect(page.get_by_test_id("title-4")).to_have_value("Ý kiến tách riêng")

    with page.expect_download() as download:
        page.get_by_test_id("export-docx").click()
    assert download.value.suggested_filename.endswith(".docx")
