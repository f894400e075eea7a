"""The sentence ranker: which candidate sentence answers, learned from labelled questions.

Selection used to add a figure bonus, a period bonus and a rank decay to the lexical
coverage, each constant set by hand on the dev split. Here each candidate sentence is a row
of features the code can compute (coverage with and without its headings, whether it holds
what the question asks for, the question's compounds found whole, character overlap,
year agreement, context rank, position, kind), and a linear model fitted as a conditional
logit over each question's candidates (``bench/fit_ranker.py``: the answering sentence
against the others of the same question, under cross-validation) weighs them. The weights
are data (``data/answer/ranker.json``) with how they were fitted; with no file there is no
ranker and selection keeps the hand-set score (bench/fit_ranker.py compares the two on the
same candidates).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from answer.bound_value import (
    AskedValue,
    asked_value,
    attribute_of_other,
    grammar_attribute,
    value_bound,
)
from answer.calendar_years import year_marks
from answer.change_base import without_change_bases
from answer.passage_side import side_features
from answer.start_date import asks_start, asks_when, is_dated, states_start
from answer.stated_change import states_two_points
from answer.year_column import answers_asked_year, column_years
from index import phrase
from ingest.model import Chunk
from question.answer_type import YEARS, asked_counter, expected_answer, provides
from question.change import asks_change
from question.normal import nfkc
from question.owner import asked_owners
from question.side import Side, asked_side
from question.stoplist import ASKING_PREFIXES

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "data" / "answer" / "ranker.json"

FEATURES = (
    "coverage",  # idf-weighted share of the question, headings at part weight, kind-weighted
    "own_coverage",  # the same, the sentence's own words only
    "asked_figure",  # holds a figure in the asked unit, or the asked period (0 when none asked)
    "any_figure",  # holds any figure
    "provides_type",  # holds the kind of answer expected (a count in the asked counter, an
    # amount, a period, a day...; question/answer_type.py), 0 when none is expected
    "attribute",  # the question's last compound, the attribute it asks for, found whole
    "compounds",  # share of the question's kanji/katakana compounds found whole (neither
    # this nor attribute counts a change's base: answer/change_base.py)
    "longest_compound",  # the longest such compound found, as a share of the longest asked
    "bigrams",  # share of the question's character bigrams in the sentence
    "year_agrees",  # names a year or period the question names (not a change's base)
    "year_differs",  # names only years or periods the question does not name (when it names one)
    "inverse_rank",  # 1 / (1 + the context's rank)
    "first_sentence",  # first sentence of its passage
    "log_chars",  # log of the sentence's length
    "table_row",  # a table row or chart line
    "result_kind",  # from the results report (results, yearly plan and results, tables)
    "chive_similarity",  # cosine of the question's and the sentence's chiVe SIF vectors
    # (index/sentence_vectors.py): a paraphrase shares meaning, not characters
    "chive_passage",  # the same, the passage's most similar sentence
    "chive_alignment",  # each question word's best chiVe cosine with a word of the sentence,
    # SIF-weighted: a coverage that gives a paraphrased word part credit
    "asked_side",  # the passage is of the side the question asks about (question/side.py)
    "other_side",  # the passage is of the other side
    "owner_attribute",  # the attribute asked of an owner (…AのB) stated with that owner
    # (+1: A in the sentence, the one before or the headings) or without it (-1)
    "dense_similarity",  # cosine of the question's dense vector (retrieval's) and the
    # sentence's, stored at index time (index/dense_sentences.py)
    "dense_passage",  # the same, the passage's most similar sentence
    "dense_uncovered",  # dense_similarity times the share of the question that the best
    # candidate's own words leave uncovered: a caller's paraphrase shares few words with
    # the answering sentence, and then the meaning has to decide, not the context's rank
    "dated",  # the question asks when (いつ, 何年, 何世紀) and the sentence names a year,
    # month, century or era year: a sentence with no time cannot answer when
    "restated",  # the question asks something (an interrogative) and holds every character
    # 4-gram of the sentence (index/phrase.py): a sentence the question restates whole says
    # nothing the asker did not already say (a yes/no question is answered by it: 0)
    "after_restated",  # the sentence just before it in its passage is restated whole: a
    # question restating one sentence asks what the next one says (こうした…は, その為の…が)
    "start_date",  # the question asks when something began (いつから) and the sentence binds
    # a date to a start (…から実施, …より開始, 導入した): answer/start_date.py
    "year_column",  # the question asks a fiscal year and the sentence is a row of figures
    # under a table header naming that year (answer/year_column.py): the row names no year
    "two_points",  # the question asks whether a figure rose or fell (question/change.py) and
    # the sentence states two points of it: a change, the year before's figure, a start and
    # an end, or a series' row (answer/stated_change.py)
    "value_bound",  # the question asks a figure of an attribute its grammar names
    # (question/attribute.py) and the sentence states one of the asked kind in that
    # attribute's clause (answer/bound_value.py): the value is the asked attribute's
    "attribute_of_other",  # the sentence writes the asked attribute only qualified by
    # nouns the question does not write (ネット予約の割合 for the share of all bookings):
    # another subject's attribute (answer/bound_value.py)
)
# Features that need the generation's sentence vectors: computed only for a ranker that
# weighs them (a server whose ranker does not never loads the chiVe table).
SIMILARITY_FEATURES = ("chive_similarity", "chive_passage", "chive_alignment")
# Features that read the dense encoder's sentence vectors: computed only for a ranker that
# weighs them.
DENSE_FEATURES = ("dense_similarity", "dense_passage", "dense_uncovered")

# An interrogative: the question asks for something it does not say. Without one it asks
# whether what it says holds (…で導入したか？), and the sentence it restates answers it.
_INTERROGATIVE = re.compile(
    r"何|なに|なん|いつ|どこ|どなた|誰|だれ|どれ|どちら|どう|いくら|いくつ|幾|どの|どんな|如何"
)
_PERIOD = re.compile(r"第\s*\d+\s*期")
_COMPOUND = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffー々〆ヶ]{2,}")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[。\n]")
# A line opening a top-level list item in the plans (○, ●, ◎, ◯, ■, □, ◆, ◇).
_ITEM_START = re.compile(r"(?m)^[○●◎◯■□◆◇]")
_RESULT_KINDS = frozenset({"result", "fy_plan", "fy_result", "table", "review", "plan_summary"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence that could answer, with what scoring it needs."""

    quote: str  # verbatim from the chunk text
    shown: str  # as the answer shows it
    chunk: Chunk
    rank: int  # the context's rank among those read (0 = first)
    position: int  # the sentence's index in its passage
    coverage: float
    own_coverage: float
    asked_figure: bool
    figure_bonus: float  # what the hand-set score adds for the asked figure (0: none asked)
    similarity: float = 0.0  # chiVe similarity to the question (0: not computed)
    passage_similarity: float = 0.0  # the passage's best sentence's
    alignment: float = 0.0  # chiVe word alignment of the question to the sentence
    dense: float = 0.0  # the dense encoder's cosine with the question (0: not computed)
    dense_passage: float = 0.0  # the passage's best sentence's
    uncovered: float = 0.0  # 1 - the best own coverage among the question's candidates


@dataclass(frozen=True, slots=True)
class QuestionText:
    """What the features read of the question, computed once per question."""

    compounds: tuple[str, ...]
    bigrams: frozenset[str]
    years: frozenset[str]
    answer_type: str | None
    counter: str | None
    side: Side | None = None
    owners: tuple[str, ...] = ()  # whose attribute is asked (…AのB → A): question/owner.py
    grams: frozenset[str] = frozenset()  # character 4-grams (index/phrase.py)
    asks_when: bool = False
    asks_what: bool = False  # holds an interrogative: not a yes/no question
    asks_start: bool = False  # asks when something began (いつから)
    # The fiscal years asked whose figures the results report gives only in its tables'
    # columns (answer/year_column.py): every year asked but the report's own.
    column_years: frozenset[str] = frozenset()
    asks_change: bool = False  # asks whether a figure rose or fell (question/change.py)
    value: AskedValue | None = None  # the figure asked of the attribute (answer/bound_value.py)
    asked_attribute: str | None = None  # the attribute the grammar asks (question/attribute.py)

    @classmethod
    def of(cls, question: str) -> QuestionText:
        text = nfkc(question)  # the analysis' form when given it: no second pass
        # Years and periods are read apart (year_agrees); a compound is what is left.
        plain = YEARS.sub(" ", text)
        compounds = tuple(
            dict.fromkeys(c for c in _COMPOUND.findall(plain) if not c.startswith(ASKING_PREFIXES))
        )
        return cls(
            compounds,
            _bigrams(text),
            frozenset(_years(text)),
            expected_answer(text),
            asked_counter(text),
            asked_side(text),
            asked_owners(plain, compounds[-1] if compounds else None),
            phrase.normalized_grams(text),
            asks_when(text),
            bool(_INTERROGATIVE.search(text)),
            asks_start(text),
            column_years(text),
            asks_change(text),
            asked_value(text),
            grammar_attribute(text),
        )

    @property
    def owner(self) -> str | None:
        """The owner named last (…AとXのB → X); ``owners`` holds every one."""
        return self.owners[-1] if self.owners else None

    @property
    def attribute(self) -> str | None:
        """Japanese puts what is asked last (…の応答率は？): the last compound."""
        return self.compounds[-1] if self.compounds else None


def features(candidate: Candidate, question: QuestionText) -> list[float]:
    text = _nfkc(candidate.shown)
    # The base a change is counted from (…平成30年度末の受講率から＋4.2ポイント) is
    # neither the year nor the measure the sentence states a figure of.
    stated = without_change_bases(text)
    found = [c for c in question.compounds if c in stated]
    longest_asked = max((len(c) for c in question.compounds), default=0)
    years = _years(stated)
    named = bool(question.years)
    return [
        candidate.coverage,
        candidate.own_coverage,
        float(candidate.asked_figure),
        float(bool(_DIGIT.search(text))),
        float(
            question.answer_type is not None
            and provides(question.answer_type, [text], question.counter)
        ),
        float(question.attribute is not None and question.attribute in stated),
        len(found) / len(question.compounds) if question.compounds else 0.0,
        max((len(c) for c in found), default=0) / longest_asked if longest_asked else 0.0,
        len(question.bigrams & _bigrams(text)) / len(question.bigrams) if question.bigrams else 0.0,
        float(named and bool(years & question.years)),
        float(named and bool(years) and not years & question.years),
        1.0 / (1.0 + candidate.rank),
        float(candidate.position == 0),
        math.log(max(len(text), 1)),
        float(candidate.chunk.kind == "table" or "\u3000" in candidate.quote.strip()),
        float(candidate.chunk.kind in _RESULT_KINDS),
        candidate.similarity,
        candidate.passage_similarity,
        candidate.alignment,
        *side_features(candidate.chunk, question.side),
        owner_attribute(candidate, question),
        candidate.dense,
        candidate.dense_passage,
        candidate.dense * candidate.uncovered,
        float(question.asks_when and is_dated(text)),
        float(question.asks_what and phrase.restates(question.grams, text)),
        float(
            question.asks_what
            and phrase.restates(
                question.grams, _sentence_before(candidate.chunk.text, candidate.quote)
            )
        ),
        float(question.asks_start and states_start(text)),
        float(
            bool(question.column_years)
            and answers_asked_year(
                _nfkc(candidate.chunk.text), _nfkc(candidate.quote), question.column_years
            )
        ),
        float(question.asks_change and states_two_points(text)),
        value_bound(text, question.value),
        attribute_of_other(text, question.asked_attribute, question.bigrams),
    ]


def owner_attribute(candidate: Candidate, question: QuestionText) -> float:
    """+1 when the sentence states the attribute asked of an owner (…AのB: B) and the owner
    A (any owner the question names: AとBのC) is stated in it, in the sentence just before
    it, earlier in its ○ list item, or in the passage's headings; -1
    when it states the attribute without that owner (all errors' 発生件数 for 重点三事案の
    発生件数: the attribute of another owner); 0 when it does not state the attribute (a
    preamble naming only the owner's measure) or the question names no owner
    (question/owner.py). The plans state a subject once and then leave it unsaid
    (…重点三事案…の発生防止に向けた取組…。→令和５年度の発生件数は82件): Japanese drops the
    topic the previous sentence or the heading gave its reader, so the owner is read where
    the reader got it."""
    owners, attribute = question.owners, question.attribute
    if not owners or attribute is None:
        return 0.0
    text = _nfkc(candidate.shown)
    if attribute not in text:
        return 0.0
    chunk = candidate.chunk
    context = (
        text,
        _sentence_before(chunk.text, candidate.quote),
        _item_before(chunk.text, candidate.quote),
        _nfkc(chunk.headings),
    )
    stated = any(owner in part for owner in owners for part in context)
    return 1.0 if stated else -1.0


@lru_cache(maxsize=8192)
def _sentence_before(passage: str, quote: str) -> str:
    """The sentence before ``quote`` in ``passage`` (NFKC), "" for the first: the plans end
    a sentence with 。 or a line break (a list item)."""
    before = passage[: max(passage.find(quote), 0)].rstrip("。\n \u3000")
    return _nfkc(_SENTENCE_END.split(before)[-1]) if before else ""


@lru_cache(maxsize=8192)
def _item_before(passage: str, quote: str) -> str:
    """The text of ``quote``'s list item (or paragraph) before it (NFKC): the plans name a
    subject once at the start of a ○/● item and leave it out of the item's later sentences
    and its ・ sub-items, so the item reaches back to the last line opening with a
    top-level mark. "" outside a marked item: in plain prose a later sentence may bring
    another subject (障害請求も調べた), so there only the sentence before is read."""
    before = passage[: max(passage.find(quote), 0)]
    starts = [m.start() for m in _ITEM_START.finditer(before)]
    return _nfkc(before[starts[-1] :]) if starts else ""


class SentenceRanker:
    """A linear score over ``FEATURES``; ``hand_set()`` is the score selection used before."""

    def __init__(self, weights: dict[str, float], provenance: str = "") -> None:
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise ValueError(f"ranker weights for unknown features: {sorted(unknown)}")
        self.weights = [float(weights.get(name, 0.0)) for name in FEATURES]
        self.provenance = provenance
        # Whether selection must compute the chiVe similarities for this ranker.
        self.uses_similarity = any(
            self.weights[FEATURES.index(name)] != 0 for name in SIMILARITY_FEATURES
        )
        # Whether selection must read the dense sentence vectors for this ranker.
        self.uses_dense = any(self.weights[FEATURES.index(name)] != 0 for name in DENSE_FEATURES)

    @classmethod
    def load(cls, path: Path | None = DEFAULT_MODEL) -> SentenceRanker | None:
        """The fitted ranker saved at ``path``; None when there is none (hand-set score)."""
        if path is None or not Path(path).is_file():
            return None
        saved = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(saved["weights"], saved.get("provenance", ""))

    def scores(self, candidates: Sequence[Candidate], question: str) -> list[float]:
        asked = QuestionText.of(question)
        return [
            sum(w * x for w, x in zip(self.weights, features(c, asked), strict=True))
            for c in candidates
        ]


@lru_cache(maxsize=8192)
def _nfkc(text: str) -> str:
    """A candidate's NFKC, kept: the passages' sentences are candidates question after
    question."""
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=8192)
def _bigrams(text: str) -> frozenset[str]:
    compact = "".join(text.split())
    return frozenset(compact[i : i + 2] for i in range(len(compact) - 1))


@lru_cache(maxsize=8192)
def _years(text: str) -> frozenset[str]:
    """The years and plan periods ``text`` (NFKC) names, years on one calendar
    (``calendar_years.year_marks``: 2023年度 is 令和5年度), periods as written (第3期).
    Kept per text, as ``_bigrams``: a passage's sentences are read for every question."""
    return year_marks(text) | frozenset("".join(p.split()) for p in _PERIOD.findall(text))
