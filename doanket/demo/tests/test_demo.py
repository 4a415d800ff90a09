import pytest
from django.apps import apps
from django.core.management import call_command

from doanket.organizations.models import Level, Unit, UnitKind
from doanket.programs.models import Assignment, Program, Reminder


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_the_demo_loads_two_real_provinces_and_loading_it_twice_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "tinh.laocai" in out and "xa.laocai" in out and "quantri" in out
    provinces = set(Unit.objects.filter(level=Level.PROVINCE, kind=UnitKind.COMMITTEE).values_list("name", flat=True))
    assert provinces == {"Ủy ban MTTQ tỉnh Lào Cai", "Ủy ban MTTQ tỉnh Lạng Sơn"}
    assert Unit.objects.filter(level=Level.COMMUNE, kind=UnitKind.COMMITTEE).count() == 99 + 65
    villages = Unit.objects.filter(kind=UnitKind.VILLAGE_BOARD)
    assert villages.count() == (99 + 65) * 4
    assert not villages.filter(is_sample=False).exists()
    assert Unit.objects.filter(kind=UnitKind.MEMBER_ORGANIZATION).count() == 10
    # The seeds are the provinces' programmes; a commune's programme is built from Lào Cai's.
    # (Its congress resolution, imported by the congresses demo, is a programme of the province too.)
    lao_cai = Program.objects.get(unit__name="Ủy ban MTTQ tỉnh Lào Cai", congress__isnull=True)
    assert lao_cai.kind == "work_program" and len(lao_cai.key_tasks) == 10
    assert Program.objects.get(unit__name="Ủy ban MTTQ tỉnh Lạng Sơn").kind == "emulation_launch"
    assert lao_cai.derived.get().items.filter(upper_item__program=lao_cai).exists()
    assert Assignment.objects.filter(program=lao_cai).exists()
    assert Reminder.objects.exists()
    before = _counts()
    call_command("load_demo")
    assert _counts() == before


@pytest.mark.django_db
def test_the_demo_is_refused_on_a_production_database(settings: pytest.FixtureRequest) -> None:
    from django.core.management.base import CommandError

    settings.DOANKET_PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="DOANKET_PRODUCTION"):
        call_command("load_demo")
    assert not Unit.objects.exists()
