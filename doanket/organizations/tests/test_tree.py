"""The hierarchy: paths, subtrees, moves, mergers with history, and the official units."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import World, make_unit
from doanket.core.models import AuditEntry
from doanket.organizations.models import Level, Unit, UnitKind, UnitSuccession, path_upper_bound
from doanket.organizations.services import load_administrative_units, merge_units, update_unit


def test_the_subtree_of_a_province_is_one_range_query(world: World) -> None:
    with CaptureQueriesContext(connection) as ctx:
        names = set(Unit.objects.subtree_of(world.lao_cai).values_list("name", flat=True))
    assert len(ctx.captured_queries) == 1
    assert names == {
        world.lao_cai.name,
        world.bac_ha.name,
        world.bac_ha_village.name,
        world.sa_pa.name,
        world.sa_pa_village.name,
        world.farmers_union.name,
    }
    assert world.lang_son.name not in names


def test_paths_nest_and_the_upper_bound_excludes_siblings(world: World) -> None:
    assert (world.bac_ha_village.path or "").startswith(world.bac_ha.path or "-")
    assert world.bac_ha_village.depth == 3
    assert path_upper_bound("0000000100000002") == "0000000100000003"
    assert world.sa_pa not in Unit.objects.subtree_of(world.bac_ha)


def test_moving_a_unit_carries_its_subtree(world: World) -> None:
    update_unit(None, world.bac_ha, parent=world.lang_son)
    world.bac_ha_village.refresh_from_db()
    assert (world.bac_ha_village.path or "").startswith(world.lang_son.path or "-")
    assert world.bac_ha_village in Unit.objects.subtree_of(world.lang_son)
    assert world.bac_ha_village not in Unit.objects.subtree_of(world.lao_cai)
    assert AuditEntry.objects.filter(
        model="organizations.unit", object_id=str(world.bac_ha.pk), action="update"
    ).exists()


def test_a_unit_cannot_be_placed_under_its_own_village(world: World) -> None:
    with pytest.raises(ValidationError):
        update_unit(None, world.bac_ha, parent=world.bac_ha_village)


def test_search_ignores_accents_and_tone_placement(world: World) -> None:
    assert set(Unit.objects.search("lao cai")) == {world.lao_cai, world.farmers_union}
    make_unit(world.bac_ha, "Ban công tác Mặt trận thôn Hoà Bình", Level.VILLAGE, UnitKind.VILLAGE_BOARD)
    assert Unit.objects.search("hòa bình").count() == 1
    assert Unit.objects.search("HOA BINH").count() == 1


def test_a_merger_keeps_history_and_dates(world: World) -> None:
    new = make_unit(world.lao_cai, "Ủy ban MTTQ xã Bắc Hà mới", Level.COMMUNE)
    merge_units(None, [world.bac_ha, world.sa_pa], new, datetime.date(2025, 7, 1), "Nghị quyết 1656/NQ-UBTVQH15")
    world.bac_ha.refresh_from_db()
    assert world.bac_ha.valid_to == datetime.date(2025, 6, 30)
    assert not world.bac_ha.is_active
    assert set(UnitSuccession.objects.filter(successor=new).values_list("predecessor__name", flat=True)) == {
        world.bac_ha.name,
        world.sa_pa.name,
    }
    assert Unit.objects.active_on(datetime.date(2025, 6, 1)).filter(pk=world.bac_ha.pk).exists()
    assert not Unit.objects.active_on(datetime.date(2025, 8, 1)).filter(pk=world.bac_ha.pk).exists()
    merge_units(None, [world.bac_ha, world.sa_pa], new, datetime.date(2025, 7, 1))
    assert UnitSuccession.objects.filter(successor=new).count() == 2


@pytest.mark.django_db
def test_loading_the_official_units_twice_changes_nothing() -> None:
    first = load_administrative_units(None)
    assert Unit.objects.filter(level=Level.PROVINCE).count() == 34
    assert Unit.objects.filter(level=Level.COMMUNE).count() == 3321
    assert first.created == 34 + 3321
    entries = AuditEntry.objects.count()
    assert entries >= 34 + 3321
    second = load_administrative_units(None)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 34 + 3321)
    assert AuditEntry.objects.count() == entries
    lao_cai = Unit.objects.get(level=Level.PROVINCE, official_code="15")
    assert lao_cai.name == "Ủy ban MTTQ tỉnh Lào Cai"
    assert Unit.objects.subtree_of(lao_cai).filter(level=Level.COMMUNE).count() == 99


@pytest.mark.django_db
def test_a_renamed_commune_is_refreshed_and_audited() -> None:
    load_administrative_units(None, {15})
    commune = Unit.objects.filter(level=Level.COMMUNE).first()
    assert commune is not None
    real_name = commune.name
    Unit.objects.filter(pk=commune.pk).update(name="Tên cũ")
    result = load_administrative_units(None, {15})
    assert result.updated == 1
    commune.refresh_from_db()
    assert commune.name == real_name
    assert AuditEntry.objects.filter(object_id=str(commune.pk), action="update").exists()


def test_bulk_created_units_get_the_same_paths_as_one_by_one(world: World) -> None:
    from doanket.organizations.models import path_segment
    from doanket.organizations.services import bulk_create_units

    made = bulk_create_units(
        [
            Unit(parent=parent, name=f"Thôn {i}", level=Level.VILLAGE, kind=UnitKind.VILLAGE_BOARD)
            for i, parent in enumerate([world.bac_ha, world.sa_pa, world.lang_son] * 3)
        ],
        batch_size=4,
    )
    for unit in made:
        stored = Unit.objects.get(pk=unit.pk)
        assert stored.path == unit.path == (unit.parent.path or "") + path_segment(unit.pk)  # type: ignore[union-attr]
        assert stored.depth == unit.depth == unit.parent.depth + 1  # type: ignore[union-attr]
        assert stored.name_key == f"thon {made.index(unit)}"


def test_postgresql_searches_the_folded_names_through_trigram_indexes(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%name_key_trgm"])
        assert {row[0] for row in cursor.fetchall()} == {"unit_name_key_trgm", "person_name_key_trgm"}
