"""Stored and reflected XSS: markup typed into the free-text fields of the modules, and into the
search boxes, comes back escaped on every page that shows it — never as markup."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.emulation import awards, exemplars
from doanket.outreach import services as outreach
from doanket.supervision import criticism
from doanket.supervision import services as supervision

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"
RAW = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _check(body: str, where: str, shown: bool = True) -> None:
    for raw in RAW:
        assert raw not in body, f"{where}: markup came back as markup"
    if shown:
        assert ESCAPED in body, f"{where}: the text is not shown (escaped)"


def test_stored_markup_is_escaped_on_every_page_that_shows_it(client: Client, world: World, users: People) -> None:
    officer, commune = users.province_officer, users.commune_officer
    plan = supervision.create_plan(officer, world.lao_cai, year=2026, title=f"Kế hoạch {PAYLOAD}")
    sup = supervision.add_supervision(officer, plan, topic=f"Giám sát {PAYLOAD}", form="team", subject=PAYLOAD,
                                      content=PAYLOAD, team=PAYLOAD)  # fmt: skip
    supervision.update_supervision(officer, sup, findings=PAYLOAD)
    rec = supervision.recommend(officer, sup, text=PAYLOAD, addressee=PAYLOAD, due_on=dt.date(2026, 12, 1))
    draft = criticism.register(officer, world.lao_cai, drafting_body=PAYLOAD, title=f"Dự thảo {PAYLOAD}",
                               received_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 10, 31))  # fmt: skip
    criticism.add_opinion(officer, draft, source_kind="expert", author=PAYLOAD, text=PAYLOAD)
    criticism.compose(officer, draft)
    spot = outreach.flag_hot_spot(commune, world.bac_ha, title=f"Điểm nóng {PAYLOAD}", description=PAYLOAD,
                                  risk="high", flagged_on=dt.date(2026, 9, 1))  # fmt: skip
    outreach.act_on(commune, spot, taken_on=dt.date(2026, 9, 2), action=PAYLOAD, by=PAYLOAD, risk="low")
    outreach.record_visit(commune, world.bac_ha, occasion="tet", visited_on=dt.date(2026, 2, 1), visitors=PAYLOAD,
                          community=PAYLOAD, gift=PAYLOAD)  # fmt: skip
    nomination = awards.nominate(commune, proposed_by=world.bac_ha, decided_by=world.bac_ha, kind="certificate",
                                 achievement=PAYLOAD, recipient_unit=world.bac_ha_village)  # fmt: skip
    model = exemplars.record(commune, world.bac_ha, kind="model", title=f"Mô hình {PAYLOAD}", description=PAYLOAD)

    login(client, officer)
    for url in (
        reverse("supervision:list"),
        reverse("supervision:plan", args=[plan.pk]),
        reverse("supervision:supervision", args=[sup.pk]),
        reverse("supervision:recommendations"),
        reverse("supervision:drafts"),
        reverse("supervision:draft", args=[draft.pk]),
        reverse("outreach:hot_spots"),
        reverse("outreach:hot_spot", args=[spot.pk]),
        reverse("outreach:visits"),
        reverse("emulation:award", args=[nomination.pk]),
        reverse("emulation:exemplar", args=[model.pk]),
        "/api/v1/recommendations/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if url.startswith("/api/"):
            assert rec.text in response.json()["results"][0]["text"]  # JSON carries the text as data
            assert response["Content-Type"].startswith("application/json")
        else:
            _check(body, url)


def test_reflected_markup_in_searches_and_filters_is_escaped(client: Client, users: People) -> None:
    login(client, users.province_officer)
    for url, params in (
        (reverse("petitions:inbox"), {"q": PAYLOAD}),
        (reverse("organizations:person_list"), {"q": PAYLOAD}),
        (reverse("organizations:unit_list"), {"q": PAYLOAD}),
        (reverse("outreach:people"), {"q": PAYLOAD}),
        (reverse("supervision:recommendations"), {"state": PAYLOAD}),
        (reverse("emulation:award_people"), {"recipient_person_q": PAYLOAD}),
        ("/portal/answers/", {"q": PAYLOAD}),
    ):
        response = client.get(url, params)
        assert response.status_code in (200, 400), url
        _check(response.content.decode(), url, shown=False)
