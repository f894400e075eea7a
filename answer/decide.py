"""Decide: answer with the picked sentences, or decline.

The decision is the fitted decline model's (answer/decline.py), over the signals the
answer already computed (answer/signals.py); a decline names what is missing
(answer/decline_subject.py) and tells staff which signal declined (answer/decline_note.py).
A question on a named page is never declined by it: the page answers, or the page does
not exist; nor is a follow-up asking on which page the last answer is written, once that
answer's passages are found again.
"""

from __future__ import annotations

from dataclasses import dataclass

from answer.decline import ATTRIBUTE_SIGNALS, DeclineModel, DeclineSignals
from answer.decline_note import decline_note
from answer.decline_subject import missing_subject
from answer.extractive import Picked
from answer.followup_kinds import asks_page
from answer.retrieve import Retrieval, quoted_passages
from answer.signals import decline_signals
from planqa.settings import AnswerSettings

# What ``first_statement_score`` reads with no ranker or no sentence: none of the
# answerable questions' first statements scores this low (bench/results/decline_model.md).
NO_SCORE = -5.0


@dataclass(frozen=True)
class Decision:
    signals: DeclineSignals | None  # None when the model was not asked (a named page)
    decline_note: str | None  # why it declines, with the probability; None: answer
    missing: str | None = None  # what the plans do not give, named in the decline


def decide(
    retrieval: Retrieval,
    picked: list[Picked],
    model: DeclineModel,
    settings: AnswerSettings,
) -> Decision:
    if any(h.label_match for h in retrieval.hits):
        return Decision(None, None)
    if (
        picked
        and asks_page(retrieval.analysis)
        and quoted_passages(retrieval.searcher, retrieval.analysis)
    ):
        # On which page the last answer is written: its passages were found again, so
        # their labels answer, as a named page does; nothing is left to weigh.
        return Decision(None, None)
    contexts = [h.chunk for h in retrieval.hits]

    def read(reading: frozenset[str]):
        return decline_signals(
            retrieval.analysis,
            contexts,
            picked,
            retrieval.searcher.snapshot,
            settings.known_word_similarity,
            lead_score(picked),
            reading=reading,
        )

    # The asked attribute is read (a Sudachi phrase reading and a count over the plans'
    # text) only when the model weighs it, or for the decline that names it.
    signals, details = read(model.attribute_signals_read)
    # Nothing picked is never an empty answer, whatever the model says.
    against = model.against(signals) if picked else "no_sentence"
    if not against:
        return Decision(signals, None)
    if not model.reads_attribute:
        # What a decline names needs the attribute; its signals weigh 0: the decision stands.
        details = read(frozenset(ATTRIBUTE_SIGNALS))[1]
    note = decline_note(against, signals, details, retrieval.analysis)
    return Decision(
        signals,
        f"{note}（p={model.probability(signals):.2f}）",
        missing_subject(against, details, retrieval.analysis),
    )


def lead_score(picked: list[Picked]) -> float:
    """The sentence ranker's score of the first statement, as selection scored it when it
    chose it (its rank among the part's contexts, its position, the part's coverage);
    ``NO_SCORE`` without a ranker, a sentence, or for a named page's digest."""
    ranked = picked[0].ranked if picked else None
    return NO_SCORE if ranked is None else ranked
