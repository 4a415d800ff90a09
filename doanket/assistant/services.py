"""The assistant: a question in Vietnamese, an answer built only from the platform's own records
within the asker's scope, every statement linked to its source; or a plain "not found".

First the rules of ``intents`` (counts computed from the database); otherwise the passages of
``retrieval`` whose BM25 score and share of the question's words pass the thresholds. Every
question is logged (``doanket.assistant``: who, what, which kind of answer, how many sources).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from doanket.assistant import intents, retrieval
from doanket.core.text import fold, nfc

logger = logging.getLogger("doanket.assistant")

NOT_FOUND = gettext_lazy("Nothing on this was found in the system's documents and data (within what you may see).")
MAX_QUESTION = 300
# A passage answers when it holds at least MIN_COVERAGE of the question's words (place names aside),
# one of its pairs of neighbouring words when it has any, and every number in it (retrieval.search).
# BM25 scores only rank: their scale depends on the size of the corpus (a library of four articles
# scores far below the demo's), so no absolute score threshold is used. Set on the evaluation set.
MIN_COVERAGE = 0.5
MAX_PASSAGES = 3
EXCERPT = 420


@dataclass
class Source:
    key: str
    label: str
    url: str


@dataclass
class Statement:
    text: str
    sources: list[Source] = field(default_factory=list)


@dataclass
class Answer:
    question: str
    kind: str  # "computed", "passages" or "unknown"
    statements: list[Statement] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """The sources in rank order (what the evaluation checks)."""
        return [s.key for st in self.statements for s in st.sources[:1]]

    @property
    def text(self) -> str:
        return " ".join(st.text for st in self.statements)


def excerpt(text: str, question: str, size: int = EXCERPT) -> str:
    """The sentences of ``text`` that hold most of the question's words, in their order, up to ``size``."""
    sentences = [s for s in re.split(r"(?<=[.;])\s+", text) if s]
    if len(text) <= size or not sentences:
        return text
    asked = set(retrieval.words(question))
    ranked = sorted(range(len(sentences)), key=lambda i: (-len(asked & set(retrieval.words(sentences[i]))), i))
    chosen: list[int] = []
    total = 0
    for i in ranked:
        if total + len(sentences[i]) > size and chosen:
            break
        chosen.append(i)
        total += len(sentences[i]) + 1
    picked = " ".join(sentences[i] for i in sorted(chosen))
    return picked if len(picked) <= size else picked[: size - 1].rstrip() + "…"


def _from_passages(user: Any, question: str) -> list[Statement]:
    hits = [
        h for h in retrieval.search(user, question, limit=MAX_PASSAGES * 4) if h.coverage >= MIN_COVERAGE and h.pairs
    ]
    return [
        Statement(excerpt(h.passage.text, question), [Source(h.passage.key, h.passage.title, h.passage.url)])
        for h in hits[:MAX_PASSAGES]
    ]


def ask(user: Any, question: str, today: dt.date | None = None) -> Answer:
    question = nfc(question)[:MAX_QUESTION]
    answer = Answer(question, "unknown")
    if fold(question):
        try:
            computed = intents.answer(user, question, today)
        except intents.OutOfScope:
            computed = intents.Computed("out_of_scope", [])
        if computed is not None:
            if computed.statements:
                answer.kind = "computed"
                answer.statements = [
                    Statement(
                        st.text,
                        [Source(f"intent:{computed.intent}", label, url) for label, url in st.links]
                        or [Source(f"intent:{computed.intent}", "", "")],
                    )
                    for st in computed.statements
                ]
        else:
            statements = _from_passages(user, question)
            if statements:
                answer.kind = "passages"
                answer.statements = statements
    logger.info(
        "assistant question user=%s kind=%s sources=%s question=%r",
        getattr(user, "pk", None),
        answer.kind,
        ",".join(answer.keys),
        question,
    )
    return answer
