"""Answer metrics over one /ask response and its gold question: pure functions.

The retrieval half (eval/metrics.py) asks whether the right passages were found; these ask
whether the answer built from them says the gold facts, cites the right pages, and invents
no figure. Text is compared in the form evidence strings are matched in
(``normalize_for_match``: NFKC, tags stripped, whitespace removed), so full- and half-width
forms (``８０％`` / ``80%``) are alike.

A response is the /ask JSON as a mapping (``api.schemas.AskResponse`` dumped), so the same
functions score an in-process answer and one fetched over HTTP. A metric that does not apply
to a question is ``None`` and left out of the means, never counted as 0 or 1.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eval.gold import GoldQuestion
from ingest.clean import normalize_for_match

Response = Mapping[str, Any]

# Digit runs with inner separators (1,441  115.5  80); a trailing "." ends a sentence.
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
# The 【中期P62・資料1-3 P6】 tags the answer appends: their digits are page numbers.
_LABEL_TAG = re.compile(r"【[^】]*】")
# NFKC keeps the wave dash (U+301C) while folding the full-width tilde (U+FF5E) to "~";
# the plans write ranges with either (令和6年4月～令和11年3月).
_DASH_FOLD = str.maketrans({"〜": "~"})


def matchable(text: str) -> str:
    """The form facts and evidence are compared in."""
    return normalize_for_match(text).translate(_DASH_FOLD)


def cited_labels(response: Response) -> list[str]:
    """Distinct cited labels, in the order the answer cites them."""
    return list(dict.fromkeys(c["label"] for c in response.get("citations", [])))


def chunk_texts(response: Response) -> dict[str, str]:
    """Text of every passage the response carries, by chunk id.

    A cited chunk missing from ``contexts`` (an LLM answer may omit them) falls back to its
    verbatim quote: a sentence of that chunk, so anything found in it is in the chunk too.
    """
    texts = {c["chunk_id"]: c["text"] for c in response.get("contexts", [])}
    for citation in response.get("citations", []):
        texts.setdefault(citation["chunk_id"], citation.get("quote", ""))
    return texts


# --- facts ----------------------------------------------------------------------------------
def missing_facts(answer: str, facts: Sequence[str]) -> list[str]:
    """The gold facts the answer does not state."""
    said = matchable(answer)
    return [fact for fact in facts if matchable(fact) not in said]


def fact_coverage(answer: str, facts: Sequence[str]) -> float | None:
    """Share of the gold facts present in the answer; None for a question without facts."""
    if not facts:
        return None
    return 1 - len(missing_facts(answer, facts)) / len(facts)


# --- citations ------------------------------------------------------------------------------
def _chunks_by_label(response: Response) -> dict[str, set[str]]:
    """Chunk ids each label belongs to: paired in a citation, or among a context's refs."""
    owners: dict[str, set[str]] = {}
    for citation in response.get("citations", []):
        owners.setdefault(citation["label"], set()).add(citation["chunk_id"])
    for context in response.get("contexts", []):
        for ref in context.get("refs", []):
            owners.setdefault(ref, set()).add(context["chunk_id"])
    return owners


def citation_precision(
    response: Response, evidence: Sequence[str], gold_labels: Sequence[str]
) -> float | None:
    """Share of cited labels that are gold labels or belong to an evidence-bearing chunk.

    Evidence decides where the gold labels are incomplete (a results passage without a
    footer cites ``results p.14``; a fact repeated on another plan page is still supported).
    None when nothing is cited.
    """
    labels = cited_labels(response)
    if not labels:
        return None
    texts = chunk_texts(response)
    wanted = [matchable(e) for e in evidence if e.strip()]
    owners = _chunks_by_label(response)

    def supported(label: str) -> bool:
        if label in gold_labels:
            return True
        return any(
            any(e in matchable(texts.get(chunk_id, "")) for e in wanted)
            for chunk_id in owners.get(label, ())
        )

    return sum(supported(label) for label in labels) / len(labels)


def citation_recall(response: Response, gold_labels: Sequence[str]) -> float | None:
    """Share of the gold labels the answer cites.

    None for a question without gold labels: its passage carries no plan-page footer, so a
    ``results p.N`` citation is the right one and nothing can be missed.
    """
    gold = list(dict.fromkeys(gold_labels))
    if not gold:
        return None
    cited = set(cited_labels(response))
    return sum(label in cited for label in gold) / len(gold)


# --- faithfulness ---------------------------------------------------------------------------
def numbers_in(text: str) -> list[str]:
    """Distinct numbers of ``text`` after NFKC, thousands separators dropped (1,441 = 1441)."""
    plain = unicodedata.normalize("NFKC", text)
    return list(dict.fromkeys(n.replace(",", "") for n in _NUMBER.findall(plain)))


def answer_numbers(answer: str) -> list[str]:
    """Numbers the answer states, not counting the page numbers inside its 【…】 label tags."""
    return numbers_in(_LABEL_TAG.sub(" ", unicodedata.normalize("NFKC", answer)))


def unsupported_numbers(response: Response) -> list[str]:
    """Numbers of the answer found in none of the cited chunks.

    A number is found when it is a whole number of the chunk (80 is not found in 800),
    looked up both in the NFKC text and in the whitespace-free form, so a figure broken
    across a PDF line still counts.
    """
    texts = chunk_texts(response)
    cited_ids = dict.fromkeys(c["chunk_id"] for c in response.get("citations", []))
    available: set[str] = set()
    for chunk_id in cited_ids:
        text = texts.get(chunk_id, "")
        available.update(numbers_in(text))
        available.update(numbers_in(normalize_for_match(text)))
    return [n for n in answer_numbers(response.get("answer", "")) if n not in available]


def faithfulness(response: Response) -> float | None:
    """1 when every number of the answer is in a cited chunk, else 0; None when declined."""
    if not response.get("answered"):
        return None
    return 0.0 if unsupported_numbers(response) else 1.0


# --- declines -------------------------------------------------------------------------------
def decline_rates(outcomes: Iterable[tuple[bool, bool]]) -> tuple[float | None, float | None]:
    """From (answerable, answered) pairs: the share of unanswerable questions declined, and
    the share of answerable questions declined (false declines). None for an empty group."""
    declined_unanswerable: list[bool] = []
    declined_answerable: list[bool] = []
    for answerable, answered in outcomes:
        (declined_answerable if answerable else declined_unanswerable).append(not answered)
    return _share(declined_unanswerable), _share(declined_answerable)


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


# --- one question ---------------------------------------------------------------------------
@dataclass(frozen=True)
class AnswerScores:
    """Every answer metric of one question, with what explains a low score."""

    fact_coverage: float | None
    citation_precision: float | None
    citation_recall: float | None
    faithfulness: float | None
    cited_labels: tuple[str, ...]
    missing_facts: tuple[str, ...]
    unsupported_numbers: tuple[str, ...]

    def metrics(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in METRICS}


METRICS = ("fact_coverage", "citation_precision", "citation_recall", "faithfulness")


def score_answer(response: Response, question: GoldQuestion) -> AnswerScores:
    """All metrics of one response. Facts and citations are scored on answerable questions
    only (an unanswerable one is judged by its decline); a declined answerable question
    covers no fact and cites no gold label, so it scores 0 there."""
    answer = response.get("answer", "")
    answerable = question.answerable
    return AnswerScores(
        fact_coverage=fact_coverage(answer, question.facts) if answerable else None,
        citation_precision=(
            citation_precision(response, question.evidence, question.labels) if answerable else None
        ),
        citation_recall=citation_recall(response, question.labels) if answerable else None,
        faithfulness=faithfulness(response),
        cited_labels=tuple(cited_labels(response)),
        missing_facts=tuple(missing_facts(answer, question.facts)),
        unsupported_numbers=tuple(unsupported_numbers(response)),
    )


__all__ = [
    "METRICS",
    "AnswerScores",
    "citation_precision",
    "citation_recall",
    "cited_labels",
    "decline_rates",
    "fact_coverage",
    "faithfulness",
    "missing_facts",
    "score_answer",
    "unsupported_numbers",
]
