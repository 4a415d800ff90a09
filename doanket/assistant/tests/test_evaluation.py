"""The evaluation set on the demo: the right source in the top 3 for at least 90 % of the
questions (quality, not time: the time is measured by bench/assistant_eval.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from doanket.assistant import evaluation, retrieval
from doanket.demo.loader import load_demo


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        retrieval._index = None
        yield
        retrieval._index = None
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_the_set_has_at_least_fifty_questions_of_every_kind() -> None:
    cases = evaluation.load()
    assert len(cases) >= 50
    kinds = {c["expect"] if c["expect"] == "unknown" else c["expect"][0].split(":")[0] for c in cases}
    assert kinds == {"directive", "item", "report", "intent", "unknown"}


def test_the_right_source_is_in_the_top_three_for_nine_questions_in_ten() -> None:
    result = evaluation.run()
    misses = [(o.case["q"], o.case["expect"], o.kind, o.keys[:3]) for o in result.misses]
    assert result.rate(3) >= 0.9, misses


def test_the_demo_library_has_the_full_texts_the_questions_need_once() -> None:
    from doanket.demo.assistant import FULL_TEXTS
    from doanket.programs.models import Directive

    with_text = Directive.objects.filter(code__in=FULL_TEXTS).exclude(full_text="")
    assert with_text.count() == len(FULL_TEXTS)
    load_demo()  # a second load keeps them as they are
    assert Directive.objects.filter(code__in=FULL_TEXTS).exclude(full_text="").count() == len(FULL_TEXTS)
