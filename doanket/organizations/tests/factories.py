"""factory_boy factories for volume in tests (named records live in the root conftest.py)."""

from __future__ import annotations

import factory

from doanket.organizations.models import Level, Person, Unit, UnitKind


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Ban công tác Mặt trận thôn {n} (mẫu)")
    level = Level.VILLAGE
    kind = UnitKind.VILLAGE_BOARD
    is_sample = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Người mẫu số {n}")
    is_sample = True
