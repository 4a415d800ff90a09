"""The evaluation of the assistant on questions with known answers (eval/questions.yaml).

``run`` asks every question as its demo login and scores it: a hit at k when one of the expected
sources is among the answer's first k sources (and the answer holds ``contains`` when given); an
``unknown`` case is a hit when the assistant says it does not know. Used by bench/assistant_eval.py
(hit rates, latencies) and by the test suite (the top-3 rate on the demo stays ≥ 0.9).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

import yaml

from doanket.accounts.models import User
from doanket.assistant import services

QUESTIONS = Path(__file__).resolve().parent / "eval" / "questions.yaml"


@dataclass
class Outcome:
    case: dict[str, Any]
    keys: list[str]
    kind: str
    rank: int | None  # 1-based rank of the first expected source; 1 for a right "unknown"
    seconds: float


@dataclass
class Result:
    outcomes: list[Outcome] = field(default_factory=list)

    def rate(self, k: int) -> float:
        return sum(1 for o in self.outcomes if o.rank is not None and o.rank <= k) / len(self.outcomes)

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.rank is None or o.rank > 3]

    def latency(self, share: float) -> float:
        times = sorted(o.seconds for o in self.outcomes)
        if share == 0.5:
            return median(times)
        return times[min(len(times) - 1, round(share * (len(times) - 1)))]


def load(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])


def score(case: dict[str, Any], answer: services.Answer) -> int | None:
    expected = case["expect"]
    if expected == "unknown":
        return 1 if answer.kind == "unknown" else None
    if case.get("contains") and case["contains"] not in answer.text:
        return None
    for rank, key in enumerate(answer.keys, 1):
        if key in expected:
            return rank
    return None


def run(cases: list[dict[str, Any]] | None = None) -> Result:
    result = Result()
    users: dict[str, User] = {}
    for case in cases if cases is not None else load():
        user = users.get(case["user"]) or users.setdefault(case["user"], User.objects.get(username=case["user"]))
        started = time.perf_counter()
        answer = services.ask(user, case["q"])
        seconds = time.perf_counter() - started
        result.outcomes.append(Outcome(case, answer.keys, answer.kind, score(case, answer), seconds))
    return result
