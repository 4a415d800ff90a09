"""Awards: a commune proposes, the province reviews and decides by a numbered decision written in
the official layout; the recipient's past awards are on its record; nothing outside the scope."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.core.text import fold
from doanket.emulation import awards
from doanket.emulation.models import AwardDecision, AwardKind, Nomination, NominationStatus
from doanket.emulation.services import EmulationError


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _nominate(users: People, world: World, **fields: object) -> Nomination:
    values: dict[str, object] = {
        "proposed_by": world.bac_ha,
        "decided_by": world.lao_cai,
        "kind": AwardKind.MERIT,
        "achievement": "Vận động xây 5 nhà Đại đoàn kết năm 2026",
        "recipient_unit": world.bac_ha_village,
    }
    values.update(fields)
    return awards.nominate(users.commune_officer, **values)  # type: ignore[arg-type]


def test_a_nomination_goes_from_proposal_to_a_decision_in_the_official_layout(world: World, users: People) -> None:
    first = _nominate(users, world)
    person = _nominate(users, world, recipient_unit=None, recipient_person=world.person_bac_ha,
                       achievement="Hoà giải thành 12 vụ việc")  # fmt: skip
    awards.review(users.province_officer, first, accept=True)
    awards.review(users.province_officer, person, accept=True)
    decision = awards.decide(
        users.province_officer, world.lao_cai, [first, person], number="15/QĐ-MTTQ", decided_on=dt.date(2026, 11, 20),
        signer="Nguyễn Văn Thắng", signer_title="CHỦ TỊCH", public=True,
    )  # fmt: skip
    first.refresh_from_db()
    assert (first.status, first.decision) == (NominationStatus.DECIDED, decision)
    written = docx.Document(io.BytesIO(awards.decision_docx(decision)))
    cells = [cell.text for table in written.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in written.paragraphs] + cells)  # header and signature sit in tables
    assert "QUYẾT ĐỊNH" in text and "Về việc tặng Bằng khen" in text
    assert "Điều 1." in text and "Ban công tác Mặt trận thôn Na Hối: Bằng khen" in text
    assert "Vàng Thị Hoà: Bằng khen" in text and "Hoà giải thành 12 vụ việc" in text
    assert "Nguyễn Văn Thắng" in text and "Số: 15/QĐ-MTTQ" in text and "ỦY BAN MTTQ TỈNH LÀO CAI" in text
    # The next nomination of the same village shows what it already received.
    again = _nominate(users, world, kind=AwardKind.FLAG, achievement="Dẫn đầu phong trào thi đua")
    assert [(n.kind, n.decision) for n in awards.history(again)] == [(AwardKind.MERIT, decision)]
    assert AuditEntry.objects.filter(model="emulation.nomination").count() == 3 + 2 + 2  # made, reviewed, decided
    assert AuditEntry.objects.filter(model="emulation.awarddecision").count() == 1


def test_nominations_and_decisions_are_refused_with_their_reason(world: World, users: People) -> None:
    with pytest.raises(EmulationError, match="decides no award proposed by"):
        _nominate(users, world, decided_by=world.sa_pa)  # a sibling, not above
    with pytest.raises(EmulationError, match="only within its own units"):
        _nominate(users, world, recipient_unit=world.sa_pa_village)
    with pytest.raises(EmulationError, match="either the unit or the person"):
        _nominate(users, world, recipient_person=world.person_bac_ha)
    with pytest.raises(EmulationError, match="Describe the achievement"):
        _nominate(users, world, achievement="  ")
    with pytest.raises(PermissionDenied):
        awards.nominate(users.other_commune_officer, proposed_by=world.bac_ha, decided_by=world.lao_cai,
                        kind=AwardKind.MERIT, achievement="x", recipient_unit=world.bac_ha)  # fmt: skip
    made = _nominate(users, world)
    with pytest.raises(PermissionDenied):  # the commune does not review what the province decides
        awards.review(users.commune_officer, made, accept=True)
    with pytest.raises(EmulationError, match="Say why"):
        awards.review(users.province_officer, made, accept=False)
    with pytest.raises(EmulationError, match="only nominations its unit reviewed"):
        awards.decide(users.province_officer, world.lao_cai, [made], number="1/QĐ", decided_on=dt.date(2026, 1, 1),
                      signer="A", signer_title="CHỦ TỊCH")  # fmt: skip
    awards.review(users.province_officer, made, accept=False, comment="Bổ sung số liệu")
    assert Nomination.objects.get().status == NominationStatus.RETURNED
    with pytest.raises(EmulationError, match="already been reviewed"):
        awards.review(users.province_officer, made, accept=True)
    second = _nominate(users, world)
    awards.review(users.province_officer, second, accept=True)
    awards.decide(users.province_officer, world.lao_cai, [second], number="2/QĐ", decided_on=dt.date(2026, 1, 1),
                  signer="A", signer_title="CHỦ TỊCH")  # fmt: skip
    third = _nominate(users, world)
    awards.review(users.province_officer, third, accept=True)
    with pytest.raises(EmulationError, match="already has a decision numbered 2/QĐ"):
        awards.decide(users.province_officer, world.lao_cai, [third], number="2/QĐ", decided_on=dt.date(2026, 1, 2),
                      signer="A", signer_title="CHỦ TỊCH")  # fmt: skip
    third.refresh_from_db()
    assert third.status == NominationStatus.ACCEPTED and third.decision is None  # nothing half-saved


def test_an_award_is_proposed_reviewed_decided_and_downloaded_through_the_pages(
    client: Client, world: World, users: People
) -> None:
    login(client, users.commune_officer)
    proposed = client.post(
        reverse("emulation:award_new"),
        {"proposed_by": world.bac_ha.pk, "decided_by": world.lao_cai.pk, "kind": AwardKind.MERIT,
         "recipient_unit": world.bac_ha_village.pk, "achievement": "Vận động xây 5 nhà Đại đoàn kết"},
    )  # fmt: skip
    nomination = Nomination.objects.get()
    assert proposed.status_code == 302 and proposed["Location"] == reverse("emulation:award", args=[nomination.pk])
    page = client.get(proposed["Location"]).content.decode()
    assert "Vận động xây 5 nhà Đại đoàn kết" in page and 'data-testid="review-nomination"' not in page
    refused = client.post(
        reverse("emulation:award_new"),
        {"proposed_by": world.bac_ha.pk, "decided_by": world.sa_pa.pk, "kind": AwardKind.MERIT,
         "recipient_unit": world.bac_ha_village.pk, "achievement": "x"},
    )  # fmt: skip
    assert refused.status_code == 400 and Nomination.objects.count() == 1  # Sa Pa is not above Bắc Hà

    province = Client()
    login(province, users.province_officer)
    assert 'data-testid="review-nomination"' in province.get(proposed["Location"]).content.decode()
    assert province.post(reverse("emulation:award_review", args=[nomination.pk]), {"accept": "1"}).status_code == 302
    decided = province.post(
        reverse("emulation:award_decide"),
        {"unit": world.lao_cai.pk, "nominations": [nomination.pk], "number": "15/QĐ-MTTQ", "decided_on": "2026-11-20",
         "signer": "Nguyễn Văn Thắng", "signer_title": "CHỦ TỊCH"},
    )  # fmt: skip
    decision = AwardDecision.objects.get()
    assert decided.status_code == 302 and decided["Location"] == reverse("emulation:decision", args=[decision.pk])
    download = province.get(reverse("emulation:decision_docx", args=[decision.pk]))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxml")
    assert docx.Document(io.BytesIO(download.content)).paragraphs
    # The commune that proposed reads the decision; another commune does not.
    assert client.get(reverse("emulation:decision", args=[decision.pk])).status_code == 200
    other = Client()
    login(other, users.other_commune_officer)
    assert other.get(reverse("emulation:decision", args=[decision.pk])).status_code == 404
    assert other.get(reverse("emulation:award", args=[nomination.pk])).status_code == 404


def test_only_the_awards_a_decision_made_public_reach_the_portal_with_nothing_but_a_name(
    client: Client, world: World, users: People
) -> None:
    shown = _nominate(users, world, recipient_unit=None, recipient_person=world.person_bac_ha,
                      achievement="Hoà giải thành 12 vụ việc")  # fmt: skip
    hidden = _nominate(users, world, achievement="Thành tích chưa công bố")
    for nomination, number, public in ((shown, "1/QĐ", True), (hidden, "2/QĐ", False)):
        awards.review(users.province_officer, nomination, accept=True)
        awards.decide(users.province_officer, world.lao_cai, [nomination], number=number,
                      decided_on=dt.date(2026, 11, 20), signer="A", signer_title="CHỦ TỊCH", public=public)  # fmt: skip
    page = client.get(reverse("portal:recognition")).content.decode()  # no login
    assert "Vàng Thị Hoà" in page and "Hoà giải thành 12 vụ việc" in page and "1/QĐ" in page
    assert "Thành tích chưa công bố" not in page and "2/QĐ" not in page
    assert world.person_bac_ha.phone not in page  # nothing of the person but the name the decision gives


def test_a_person_is_found_by_name_without_accents_and_proposed_through_the_pages(
    client: Client, world: World, users: People
) -> None:
    login(client, users.commune_officer)
    form = client.get(reverse("emulation:award_new")).content.decode()
    assert f"{world.person_bac_ha.full_name} — {world.bac_ha.name}" in form
    assert world.person_sa_pa.full_name not in form
    assert 'data-testid="recipient_person-filter"' in form
    found = client.get(reverse("emulation:award_people"), {"recipient_person_q": "giang seo"}).content.decode()
    assert world.person_sa_pa.full_name not in found  # Sa Pa's people are not Bắc Hà's to propose
    bac_ha_name = world.person_bac_ha.full_name
    typed = " ".join(bac_ha_name.split()[-2:])
    assert (
        f"{bac_ha_name} — {world.bac_ha.name}"
        in client.get(reverse("emulation:award_people"), {"recipient_person_q": fold(typed)}).content.decode()
    )

    fields = {"proposed_by": world.bac_ha.pk, "decided_by": world.lao_cai.pk, "kind": AwardKind.CERTIFICATE,
              "achievement": "Mười năm làm Trưởng ban công tác Mặt trận"}  # fmt: skip
    both = client.post(
        reverse("emulation:award_new"),
        {**fields, "recipient_unit": world.bac_ha_village.pk, "recipient_person": world.person_bac_ha.pk},
    )
    assert both.status_code == 400 and "Hãy chọn tập thể hoặc cá nhân được đề nghị khen thưởng" in both.content.decode()
    outside = client.post(reverse("emulation:award_new"), {**fields, "recipient_person": world.person_sa_pa.pk})
    assert outside.status_code == 400 and not Nomination.objects.exists()
    made = client.post(reverse("emulation:award_new"), {**fields, "recipient_person": world.person_bac_ha.pk})
    nomination = Nomination.objects.get()
    assert made.status_code == 302 and nomination.recipient_person == world.person_bac_ha
    assert nomination.recipient_unit is None and bac_ha_name in client.get(made["Location"]).content.decode()


def test_the_people_search_sends_fifty_names_and_says_there_are_more(
    client: Client, world: World, users: People
) -> None:
    from doanket.organizations.models import Person

    Person.objects.bulk_create(
        [Person(unit=world.bac_ha, full_name=f"Nguyễn Văn {n:03}", name_key=f"nguyen van {n:03}") for n in range(60)]
    )
    login(client, users.commune_officer)
    form = client.get(reverse("emulation:award_new")).content.decode()
    assert form.count("Nguyễn Văn 0") == 50  # the first fifty, the rest found by typing
    found = client.get(reverse("emulation:award_people"), {"recipient_person_q": "nguyen van 05"}).content.decode()
    assert found.count('<option value="') == 1 + 10 and "Nguyễn Văn 059" in found  # the empty choice and ten
    many = client.get(reverse("emulation:award_people"), {"recipient_person_q": "nguyen"}).content.decode()
    assert "50 kết quả đầu tiên: gõ thêm để thu hẹp" in many and "Nguyễn Văn 050" not in many
