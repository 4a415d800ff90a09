"""Exemplary models: recorded with a photo or PDF as evidence (told by their bytes), nominated to a
unit above, replicated by other units whose results the model's unit follows; public ones on the
portal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.emulation import exemplars
from doanket.emulation.models import Adoption, Exemplar, ExemplarKind
from doanket.emulation.services import EmulationError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _record(users: People, world: World, **fields: object) -> Exemplar:
    values: dict[str, object] = {
        "kind": ExemplarKind.MODEL,
        "title": "Camera an ninh khu dân cư",
        "description": "Nhân dân góp tiền lắp camera ở các ngõ xóm; Ban công tác Mặt trận quản lý.",
        "results": "12 camera, tai nạn giao thông giảm một nửa",
    }
    values.update(fields)
    return exemplars.record(users.commune_officer, world.bac_ha, **values)  # type: ignore[arg-type]


def test_a_model_is_recorded_nominated_upward_and_replicated_with_its_results(world: World, users: People) -> None:
    model = _record(users, world, evidence=SimpleUploadedFile("anh.png", PNG, content_type="image/png"))
    assert (model.evidence_type, model.evidence_name) == ("image/png", "anh.png")
    exemplars.nominate_upward(users.commune_officer, model, world.lao_cai)
    assert Exemplar.objects.get().nominated_to == world.lao_cai
    with pytest.raises(EmulationError, match="to a unit above its own"):
        exemplars.nominate_upward(users.commune_officer, model, world.sa_pa)
    adopted = exemplars.adopt(users.other_commune_officer, model, world.sa_pa, dt.date(2026, 10, 1), "Lắp 3 camera")
    again = exemplars.adopt(users.other_commune_officer, model, world.sa_pa, dt.date(2026, 10, 1), "Lắp 8 camera")
    assert again.pk == adopted.pk and Adoption.objects.get().results == "Lắp 8 camera"
    with pytest.raises(EmulationError, match="does not adopt its own"):
        exemplars.adopt(users.commune_officer, model, world.bac_ha, dt.date(2026, 10, 1))
    with pytest.raises(PermissionDenied):  # Sa Pa's officer adopts only for Sa Pa's units
        exemplars.adopt(users.other_commune_officer, model, world.bac_ha_village, dt.date(2026, 10, 1))
    assert AuditEntry.objects.filter(model="emulation.exemplar").count() == 2
    assert AuditEntry.objects.filter(model="emulation.adoption").count() == 2


def test_evidence_that_is_no_photo_or_pdf_is_refused_and_nothing_is_kept(world: World, users: People) -> None:
    with pytest.raises(EmulationError, match="is not a photo"):
        _record(users, world, evidence=SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image"))
    with pytest.raises(EmulationError, match="Give the model's name"):
        _record(users, world, title=" ")
    assert not Exemplar.objects.exists()


def test_models_through_the_pages_and_the_public_ones_on_the_portal(
    client: Client, world: World, users: People
) -> None:
    login(client, users.commune_officer)
    made = client.post(
        reverse("emulation:exemplar_new"),
        {"unit": world.bac_ha.pk, "kind": ExemplarKind.INITIATIVE, "title": "Sổ tay hoà giải",
         "description": "Ghi lại từng vụ hoà giải và cách làm", "public": "on",
         "evidence": SimpleUploadedFile("so-tay.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")},
    )  # fmt: skip
    model = Exemplar.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("emulation:exemplar", args=[model.pk])
    evidence = client.get(reverse("emulation:exemplar_evidence", args=[model.pk]))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    other = Client()
    login(other, users.other_commune_officer)
    assert other.get(reverse("emulation:exemplar", args=[model.pk])).status_code == 404  # a sibling's model
    province = Client()
    login(province, users.province_officer)
    assert province.get(reverse("emulation:exemplar", args=[model.pk])).status_code == 200
    adopted = province.post(
        reverse("emulation:exemplar_adopt", args=[model.pk]),
        {"unit": world.sa_pa.pk, "adopted_on": "2026-10-01", "results": "Đã in 20 cuốn"},
    )
    assert adopted.status_code == 302 and Adoption.objects.get().unit == world.sa_pa
    assert "Đã in 20 cuốn" in client.get(reverse("emulation:exemplar", args=[model.pk])).content.decode()
    portal = Client().get(reverse("portal:recognition")).content.decode()
    assert "Sổ tay hoà giải" in portal and world.bac_ha.name in portal
