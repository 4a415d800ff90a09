"""The named world every test can use.

Lào Cai province with two communes (Bắc Hà, Sa Pa), their villages, the provincial Farmers'
Union; Lạng Sơn beside it. Users, as in STYLE.md: a province officer, a commune officer, an
officer of another commune, a member-organisation officer, a viewer, a leader, a unit
administrator, a system administrator and the anonymous visitor.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from doanket.accounts.models import Role, User
from doanket.accounts.services import grant_role
from doanket.core.middleware import RenewIdleSessionMiddleware
from doanket.organizations.models import Level, Person, Unit, UnitKind
from doanket.organizations.services import create_unit
from doanket.reporting.models import DueRule, Schedule
from doanket.reporting.periods import Frequency
from doanket.reporting.services import create_form


@pytest.fixture(scope="session", autouse=True)
def _ledger_keys_in_tmp(tmp_path_factory: Any) -> None:
    """The ledger's signing key of a session (the demo's, loaded once per module) goes to a
    temporary folder, never to var/ledger-keys that a running server signs with; each test then
    gets its own copy (``_media_in_tmp``)."""
    django_settings.LEDGER_KEY_DIR = tmp_path_factory.mktemp("ledger-keys") / "keys"


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _cache_in_memory(settings: Any) -> None:
    """Each test process its own cache, never the var/ folder a running server uses."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()  # nor another test's pages, counters or pending work


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded files of a test go to its own folder, never into var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # A copy of the session's ledger key (the demo's, if a module loaded it): a test may rotate or
    # break its own copy without touching the others'.
    session_keys = Path(django_settings.LEDGER_KEY_DIR)
    settings.LEDGER_KEY_DIR = tmp_path / "ledger-keys"
    if session_keys.exists():
        shutil.copytree(session_keys, settings.LEDGER_KEY_DIR)


@dataclass
class World:
    central: Unit
    lao_cai: Unit
    bac_ha: Unit
    bac_ha_village: Unit
    sa_pa: Unit
    sa_pa_village: Unit
    farmers_union: Unit
    lang_son: Unit
    person_bac_ha: Person
    person_sa_pa: Person
    person_lang_son: Person


def make_unit(parent: Unit | None, name: str, level: str, kind: str = UnitKind.COMMITTEE, **extra: Any) -> Unit:
    return create_unit(None, parent=parent, name=name, level=level, kind=kind, **extra)


@pytest.fixture
def world(db: Any) -> World:
    central = make_unit(None, "Ủy ban Trung ương MTTQ Việt Nam", Level.CENTRAL, official_code="VN")
    lao_cai = make_unit(central, "Ủy ban MTTQ tỉnh Lào Cai", Level.PROVINCE, official_code="15")
    bac_ha = make_unit(lao_cai, "Ủy ban MTTQ xã Bắc Hà", Level.COMMUNE, official_code="02839")
    sa_pa = make_unit(lao_cai, "Ủy ban MTTQ phường Sa Pa", Level.COMMUNE, official_code="02647")
    lang_son = make_unit(central, "Ủy ban MTTQ tỉnh Lạng Sơn", Level.PROVINCE, official_code="20")
    return World(
        central=central,
        lao_cai=lao_cai,
        bac_ha=bac_ha,
        bac_ha_village=make_unit(bac_ha, "Ban công tác Mặt trận thôn Na Hối", Level.VILLAGE, UnitKind.VILLAGE_BOARD),
        sa_pa=sa_pa,
        sa_pa_village=make_unit(sa_pa, "Ban công tác Mặt trận tổ dân phố 5", Level.VILLAGE, UnitKind.VILLAGE_BOARD),
        farmers_union=make_unit(lao_cai, "Hội Nông dân tỉnh Lào Cai", Level.PROVINCE, UnitKind.MEMBER_ORGANIZATION),
        lang_son=lang_son,
        person_bac_ha=Person.objects.create(
            unit=bac_ha, full_name="Vàng Thị Hoà", ethnicity="Mông", religion="Tin Lành", phone="0912345678"
        ),
        person_sa_pa=Person.objects.create(unit=sa_pa, full_name="Giàng Seo Phử", ethnicity="Mông"),
        person_lang_son=Person.objects.create(unit=lang_son, full_name="Hoàng Văn Khoá", ethnicity="Tày"),
    )


def make_user(username: str, unit: Unit | None = None, role: str = Role.OFFICER, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery", **extra)
    if unit is not None:
        grant_role(None, user, unit, role)
    return user


@dataclass
class People:
    province_officer: User
    commune_officer: User
    other_commune_officer: User
    member_org_officer: User
    viewer: User
    leader: User
    unit_admin: User
    system_admin: User


@pytest.fixture
def users(world: World) -> People:
    return People(
        province_officer=make_user("tinh", world.lao_cai),
        commune_officer=make_user("bacha", world.bac_ha),
        other_commune_officer=make_user("sapa", world.sa_pa),
        member_org_officer=make_user("hoind", world.farmers_union),
        viewer=make_user("xem", world.lao_cai, Role.VIEWER),
        leader=make_user("lanhdao", world.lao_cai, Role.LEADER),
        unit_admin=make_user("quantri_tinh", world.lao_cai, Role.UNIT_ADMIN),
        system_admin=make_user("quantri", None, is_superuser=True, is_staff=True),
    )


def login(client: Client, user: User) -> Client:
    """Log ``user`` in, with a verified second factor (required of administrators)."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # Just renewed, as after a real login: query counts then measure the steady state.
    session[RenewIdleSessionMiddleware.KEY] = int(time.time())
    session.save()
    return client


def quarterly_schedule(province: Unit, code: str, title: str, sections: list[dict[str, Any]]) -> Schedule:
    """A form made of ``sections`` and the province's quarterly schedule of it for its communes
    (due the 20th of a quarter's last month, from 2026); no period opened yet."""
    version = create_form(None, province, code, title, sections)
    return Schedule.objects.create(
        unit=province,
        form=version.form,
        name="Báo cáo quý của các xã",
        level=Level.COMMUNE,
        kind="committee",
        frequency=Frequency.QUARTERLY,
        due_rule=DueRule.DAY_OF_LAST_MONTH,
        due_day=20,
        starts=dt.date(2026, 1, 1),
    )
