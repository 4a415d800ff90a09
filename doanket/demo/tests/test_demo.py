import pytest
from django.apps import apps
from django.core.management import call_command

from doanket.organizations.models import Level, Unit, UnitKind


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
