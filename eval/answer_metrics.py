"""Answer metrics over one /ask response and its gold question: pure functions.

The rules are those of the outside question set's scorer (``../shared/eval/README.md``), so
our figures and the review's are the same figures:

- text is compared after NFKC, with HTML tags and all whitespace removed (``matchable``);
- **recall@k**: some evidence string lies inside one of the first k ``contexts``;
- **fact coverage**: every fact of the question is inside ``answer`` (1 or 0);
- **citation precision**: the share of cited labels (``citations[].label`` and the 【…】
  labels written in ``answer``) that are in the gold labels or belong to a context holding
  the evidence; a label that is not a plan page (``overview p.3``) counts as correct;
- **citation recall**: the share of the gold labels cited;
- **declines**: answerable questions with ``answered: false`` (false declines) and
  unanswerable ones with ``answered: false``.

Two figures of our own sit beside them: whether the first statement (the answer's first
line, up to its first 【…】 label group) holds every fact, and faithfulness (every number
of the answer is in a cited passage).

A response is the /ask JSON as a mapping, so the same functions score an in-process answer
and one fetched over HTTP. A metric that does not apply to a question is ``None`` and left
out of the means, never counted as 0 or 1.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eval.gold import GoldQuestion
from eval.labels import LABEL_GROUP, cited_labels, is_plan_page, matchable
from ingest.clean import normalize_for_match

Response = Mapping[str, Any]

RECALL_KS = (1, 5, 10)
# Digit runs with inner separators (1,441  115.5  80); a trailing "." ends a sentence.
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


def chunk_texts(response: Response) -> dict[str, str]:
    """Text of every passage the response carries, by chunk id.

    A cited chunk missing from ``contexts`` (an LLM answer may omit them) falls back to its
    verbatim quote: a sentence of that chunk, so anything found in it is in the chunk too.
    """
    texts = {c["chunk_id"]: c["text"] for c in response.get("contexts", [])}
    for citation in response.get("citations", []):
        texts.setdefault(citation["chunk_id"], citation.get("quote", ""))
    return texts


def _chunks_by_label(response: Response) -> dict[str, set[str]]:
    """Chunk ids each label (matchable form) belongs to: a context's labels and refs, or a
    citation pairing the label with a chunk."""
    owners: dict[str, set[str]] = {}
    for context in response.get("contexts", []):
        for label in [*context.get("labels", []), *context.get("refs", [])]:
            owners.setdefault(matchable(label), set()).add(context["chunk_id"])
    for citation in response.get("citations", []):
        owners.setdefault(matchable(citation["label"]), set()).add(citation["chunk_id"])
    return owners


# --- retrieval ------------------------------------------------------------------------------
def holds_evidence(text: str, evidence: Sequence[str]) -> bool:
    """Whether ``text`` contains one of the evidence strings."""
    plain = matchable(text)
    return any(matchable(e) in plain for e in evidence if matchable(e))


def recall_at_k(response: Response, evidence: Sequence[str], k: int) -> float | None:
    """1 when some evidence string lies in one of the first ``k`` contexts, else 0; None for
    a question without evidence."""
    if not any(matchable(e) for e in evidence):
        return None
    contexts = response.get("contexts", [])[:k]
    return 1.0 if any(holds_evidence(c["text"], evidence) for c in contexts) else 0.0


# --- facts ----------------------------------------------------------------------------------
def missing_facts(answer: str, facts: Sequence[str]) -> list[str]:
    """The gold facts the answer does not state."""
    said = matchable(answer)
    return [fact for fact in facts if matchable(fact) not in said]


def fact_coverage(answer: str, facts: Sequence[str]) -> float | None:
    """1 when the answer states every gold fact, else 0; None for a question without facts."""
    if not facts:
        return None
    return 0.0 if missing_facts(answer, facts) else 1.0


def first_statement(answer: str) -> str:
    """The answer's first non-empty line, up to its first 【…】 group of labels: what an
    agent reads out while the caller waits."""
    line = next((line for line in answer.splitlines() if line.strip()), "")
    return line.split("【", 1)[0]


def first_statement_holds(answer: str, facts: Sequence[str]) -> float | None:
    """1 when the first statement states every gold fact, else 0; None without facts."""
    if not facts:
        return None
    return 0.0 if missing_facts(first_statement(answer), facts) else 1.0


# --- citations ------------------------------------------------------------------------------
def citation_precision(
    response: Response, evidence: Sequence[str], gold_labels: Sequence[str]
) -> float | None:
    """Share of cited labels that are gold labels, belong to a context holding the evidence,
    or name no plan page (``results p.14``). None when nothing is cited."""
    labels = cited_labels(response)
    if not labels:
        return None
    gold = {matchable(label) for label in gold_labels}
    texts = chunk_texts(response)
    owners = _chunks_by_label(response)

    def correct(label: str) -> bool:
        key = matchable(label)
        if key in gold or not is_plan_page(label):
            return True
        return any(holds_evidence(texts.get(chunk, ""), evidence) for chunk in owners.get(key, ()))

    return sum(correct(label) for label in labels) / len(labels)


def citation_recall(response: Response, gold_labels: Sequence[str]) -> float | None:
    """Share of the gold labels cited; None for a question without gold labels (its passage
    has no plan-page reference, so nothing can be missed)."""
    gold = list(dict.fromkeys(matchable(label) for label in gold_labels))
    if not gold:
        return None
    cited = {matchable(label) for label in cited_labels(response)}
    return sum(label in cited for label in gold) / len(gold)


# --- faithfulness ---------------------------------------------------------------------------
def numbers_in(text: str) -> list[str]:
    """Distinct numbers of ``text`` after NFKC, thousands separators dropped (1,441 = 1441)."""
    plain = unicodedata.normalize("NFKC", text)
    return list(dict.fromkeys(n.replace(",", "") for n in _NUMBER.findall(plain)))


def answer_numbers(answer: str) -> list[str]:
    """Numbers the answer states, not counting the page numbers inside its 【…】 label tags."""
    return numbers_in(LABEL_GROUP.sub(" ", unicodedata.normalize("NFKC", answer)))


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
METRICS = (
    *(f"recall@{k}" for k in RECALL_KS),
    "fact_coverage",
    "citation_precision",
    "citation_recall",
    "faithfulness",
    "first_statement",
)


@dataclass(frozen=True)
class AnswerScores:
    """Every answer metric of one question, with what explains a low score."""

    recall: dict[int, float | None]
    fact_coverage: float | None
    citation_precision: float | None
    citation_recall: float | None
    faithfulness: float | None
    first_statement: float | None
    answer_chars: int
    cited_labels: tuple[str, ...]
    missing_facts: tuple[str, ...]
    unsupported_numbers: tuple[str, ...]

    def metrics(self) -> dict[str, float | None]:
        """The figures of ``METRICS`` by name."""
        recall = {f"recall@{k}": value for k, value in self.recall.items()}
        return {name: recall[name] if name in recall else getattr(self, name) for name in METRICS}


def score_answer(response: Response, question: GoldQuestion) -> AnswerScores:
    """All metrics of one response. Retrieval, facts and citations are scored on answerable
    questions only (an unanswerable one is judged by its decline); a declined answerable
    question states no fact and cites no gold label, so it scores 0 there."""
    answer = response.get("answer", "")
    answerable = question.answerable
    return AnswerScores(
        recall={
            k: recall_at_k(response, question.evidence, k) if answerable else None
            for k in RECALL_KS
        },
        fact_coverage=fact_coverage(answer, question.facts) if answerable else None,
        citation_precision=(
            citation_precision(response, question.evidence, question.labels) if answerable else None
        ),
        citation_recall=citation_recall(response, question.labels) if answerable else None,
        faithfulness=faithfulness(response),
        first_statement=first_statement_holds(answer, question.facts) if answerable else None,
        answer_chars=len(answer),
        cited_labels=tuple(cited_labels(response)),
        missing_facts=tuple(missing_facts(answer, question.facts)),
        unsupported_numbers=tuple(unsupported_numbers(response)),
    )


__all__ = [
    "METRICS",
    "RECALL_KS",
    "AnswerScores",
    "answer_numbers",
    "citation_precision",
    "citation_recall",
    "cited_labels",
    "decline_rates",
    "fact_coverage",
    "faithfulness",
    "first_statement",
    "first_statement_holds",
    "missing_facts",
    "recall_at_k",
    "score_answer",
    "unsupported_numbers",
]
