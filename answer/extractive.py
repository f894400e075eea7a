"""Extractive answers: pick the sentences that answer, quote them, cite their pages.

Pure functions over chunks and a sentence scorer: no I/O, deterministic. A sentence is
scored by the share of the question it covers (idf-weighted, each question term once, an
equivalent at its weight, a term found only in the headings above it at part weight), with
a bonus for figures when the question asks for one and a small prior for higher-ranked
contexts. A sentence that would cite new pages must also say something the answer does not
yet say. Quotes stay verbatim; the answer drops only the leading bullet and the bracketed
refs, which reappear as 【labels】.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

from answer.admission import Admission, Asked, Asking, Further, further, ranker_shares
from answer.ranker import Candidate
from ingest.model import Chunk
from ingest.noun_phrase import names_a_topic
from ingest.refs import strip_bracket_refs
from ingest.sudachi import split_sentences
from question.answer_type import asked_counter, counter_units
from question.attribute import asked_attribute
from question.counters import RATIO_UNITS, arabic_figures, asks_ratio, counted_in, or_ratio_level
from question.intent import STATED_PERIOD, asks_for_period
from question.normal import nfkc
from question.rules import rules

_NUMBER = r"[0-9０-９][0-9０-９,，.．]*\s*"
# A figure that bounds a class (50人超規模の企業, 被保険者50人以下の事業所) says which
# ones are meant, not how many there were: it earns no figure bonus.
_BOUND = r"(?!\s*(?:超|規模|以上の|以下の|未満の))"
# The plans state amounts in units of a magnitude (5,678百万円, 1,200千円): the magnitude
# sits between the number and its unit.
_FIGURE = re.compile(
    _NUMBER
    + r"(?:[百千]\s*)?(?:%|％|件|人|回|日|時間|分|か所|万|億|円|pt|ポイント|倍|社|事業所|枚|月|年)"
    + _BOUND
)


def figures_with_units(normalized: str) -> set[str]:
    """The figures ``normalized`` (NFKC) states with their units (91.9%, 1,234件, 115.5万),
    spaces out; a year, month or day is a date (a fraction of one, 15.2日, is a mean count),
    and a single digit is too common to say which sentence it came from."""
    found = {"".join(m.group(0).split()) for m in _FIGURE.finditer(normalized)}
    return {
        f for f in found if (f[-1] not in "年月日" or "." in f) and sum(c.isdigit() for c in f) > 1
    }


_TOTAL_ROW = re.compile(r"^(?:合計|総計|計)\s")
_LEADING_MARK = re.compile(r"^[○〇◯●・◆■□◎※\s]+")
_ANGLE_HEADING = re.compile(r"^[＜<]([^<>＜＞]+)[＞>]$")  # <heading> reads as its words
_TITLE_ONLY = re.compile(r"^[【\[（(＜<][^。]*[】\]）)＞>]$")  # a chart or table title alone
_OPENERS, _CLOSERS = "【[（(＜<", "】]）)＞>"


def _bracketed_whole(line: str) -> bool:
    """Whether the bracket that opens ``line`` closes at its end: （令和５年度計画） is one
    title; （※）令和５年度の件数：12,345件（令和４年度：…） is a note mark, then a
    statement that ends in a parenthesis."""
    depth = 0
    for index, char in enumerate(line):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
            if depth == 0:
                return index == len(line) - 1
    return False


# One or more bracketed headings in a row (＜事業所に対する取組＞［申請］, 【…】, 《…》), a
# parenthesised note after them allowed (【…】 （単位：万月）).
_BRACKETED = re.compile(
    r"^(?:[＜<][^＜＞<>]*[＞>]|【[^【】]*】|［[^［］]*］|\[[^\[\]]*\]|《[^《》]*》|〈[^〈〉]*〉|\s)+"
    r"(?:[（(][^。]*[）)])?$"
)
# People are counted in 名 as in 人 (question/answer_type.py groups the two).
_COUNT_OF_PEOPLE = re.compile(r"[0-9][0-9,]*\s*名")
# A topic with its ＜qualifier＞ and no full stop (窓口の予約制＜小規模拠点への対応＞):
# the plans write ＜…＞ only in headings.
_QUALIFIED_HEAD = re.compile(r"[＜<][^＜＞<>]+[＞>]$")
# A numbered section head (matched on the NFKC form, where Ⅰ reads I): Ⅰ-２．…, 第2章…
_SECTION_HEAD = re.compile(r"^(?:[IVX]+(?:\s*-\s*\d+)?\.|第[0-9一二三四五六七八九十百]+[部編章節])")
# A numbered item head: 1．…, （1）…, or a results report's sub-head ①… of at most 40
# characters (ingest/parsers/results.py).
_NUMBERED_ITEM_HEAD = re.compile(r"^(?:\d{1,2}\.(?!\d)|\(\d{1,2}\)|[①-⑳](?=[^。]{1,40}$))")
_TWO_DIGITS = re.compile(r"\d[\d,.]*\d")  # a table row's figures: 7,114 7,074 …
# An item of a list (● measure, ○ point, ・ sub-point, ※ note) says what is done or found,
# however short: only a line without these marks can be an unbracketed heading. ■ and ◆
# head what follows them (ingest/parsers/generic.py).
_ITEM_MARK = re.compile(r"^[●○〇◯・※＊◎]")
# A line of cells (平成31年4月 令和2年4月 …, 地域 対象拠点 実施時期) is a table's header or
# row, read with the rows it heads, not a topic's name.
_CELLS = re.compile(r"\S\s+\S")
# A further sentence from pages already cited must score this share of the best one.
# Chosen over all labelled questions (own gold and the outside set, bench/results/answers.md):
# 0.3 → 0.5 keeps fact coverage and shortens the median answer by a fifth.
MIN_SHARE_OF_BEST = 0.5
NEW_PASSAGE_SHARE = 0.5  # measured: +0.10 citation precision for -0.03 fact coverage
# A sentence citing pages the answer does not cite yet must add this much of the question
# to what the picked sentences cover together, unless it nearly ties the best sentence
# (then nothing tells which passage is right, and both are shown). Measured on the gold
# set's dev split: citation precision 0.795 → 0.837, fact coverage 0.836 → 0.844; any gain
# from 0.02 to 0.03 gives the same, 0.05 and more lose facts.
MIN_NEW_COVERAGE = 0.03
TIE_SHARE = 0.9
RANK_DECAY = 0.35  # a sentence of the 2nd context counts 1/1.35, of the 3rd 1/1.7
FIGURE_BONUS = 0.25
# A stated period is the answer itself, not a hint: nothing else answers from when to when,
# so it outweighs any coverage. Measured on the gold set's dev split (one period question,
# ov-001): bonus 0.25 → 2.0, fact coverage 0.869 → 0.885, precision 0.907 → 0.923.
PERIOD_BONUS = 2.0
MIN_CHARS = 10  # shorter lines are chart labels, not statements


@dataclass(frozen=True)
class Picked:
    quote: str  # verbatim from the chunk text
    shown: str  # the quote without its bullet and bracket refs
    chunk: Chunk
    score: float
    # The sentence ranker's score of the first statement it chose, as selection read it
    # (the decline model's ``first_statement_score``); None for every other statement.
    ranked: float | None = None
    # What the service says about the quote, on its own line after it and citing nothing:
    # not the plans' words but a note on them (that they give a year only as a change).
    remark: str = ""
    # The lead is shown alone (answer/admission.py, ``sure_lead``); the statements after it
    # were admitted and stay what the decline reads.
    alone: bool = False


@dataclass(frozen=True)
class AskedFigure:
    """The figures that answer a question, and what stating one adds to a sentence."""

    pattern: re.Pattern[str]
    bonus: float = FIGURE_BONUS

    def search(self, text: str) -> re.Match[str] | None:
        """The asked figure in ``text``, kanji numerals (二十名) read as digits."""
        return self.pattern.search(arabic_figures(text))


def asked_figure(question: str) -> AskedFigure | None:
    """The figures that answer ``question``: a period when it asks from when to when, a
    figure in the unit it names (何人 → 人), any figure when it asks how many or for a
    target without one, None when it asks for no figure."""
    if asks_for_period(question):
        return AskedFigure(STATED_PERIOD, PERIOD_BONUS)
    # 何人 asks for people, not for the 600件 beside them: a figure in that unit (4.1万人).
    counter = asked_counter(question)
    if counter is None:
        figure_question = rules().figure_question.search(nfkc(question))
        asks_count = counted_in(question) is not None  # 何日に: a day asked, a figure too
        if not (figure_question or asks_count):
            return None
        if asks_ratio(question, asked_attribute(question)):
            # …の割合は？ asks a share: a figure in a ratio's unit, not any figure (1,234件),
            # or a target's level against the year before (前年度と同等以上).
            return AskedFigure(or_ratio_level(_in_units(RATIO_UNITS)))
        return AskedFigure(_FIGURE)
    return AskedFigure(_in_units(counter_units(counter)))


def _in_units(units: str) -> re.Pattern[str]:
    """A figure in one of ``units`` (a regex alternation), a magnitude allowed between."""
    return re.compile(_NUMBER + r"(?:[百千]\s*)?(?:[万億兆]\s*)?(?:" + units + ")" + _BOUND)


def sentences_of(chunk: Chunk) -> list[str]:
    """Sentences of a chunk's display text, each a verbatim substring of it."""
    return list(_sentences(chunk.text))


@lru_cache(maxsize=4096)
def passage_sentences(text: str) -> tuple[str, ...]:
    """``split_sentences`` kept per passage text: the same passages are read for question
    after question (sentence selection, the decline signals)."""
    return tuple(split_sentences(text))


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(s for s in passage_sentences(text) if s in text and len(s) > 1)


class Coverage(Protocol):
    """How much of one question sentences cover."""

    def of_sentence(self, sentence: str, chunk: Chunk) -> float:
        """Share of the question the sentence covers, read under the headings of its chunk."""

    def of_sentence_alone(self, sentence: str) -> float:
        """Share of the question the sentence covers by its own words."""

    def together(self, sentences: Sequence[str]) -> float:
        """Share of the question the sentences cover between them, headings aside."""


def candidates(
    contexts: Sequence[Chunk],
    coverage: Coverage,
    figure: AskedFigure | None,
    keep: Callable[[str], bool] | None = None,
) -> list[Candidate]:
    """Every statement of ``contexts`` that covers some of the question, once each, in
    reading order (context rank, then position in the passage); with ``keep``, only the
    statements it keeps (a follow-up asking how: those stating a means)."""
    found: list[Candidate] = []
    seen: set[str] = set()
    similar = getattr(coverage, "wants_similarity", False)
    wants_dense = getattr(coverage, "wants_dense", False)
    for rank, chunk in enumerate(contexts):
        sentences = sentences_of(chunk)
        similarities = [coverage.similarity(s) for s in sentences] if similar else []
        best_similarity = max(similarities, default=0.0)
        dense = coverage.dense_similarities(sentences) if wants_dense else []
        best_dense = max(dense, default=0.0)
        for position, sentence in enumerate(sentences):
            shown = display(sentence)
            if shown in seen or not is_statement(sentence):
                continue
            if keep is not None and not keep(sentence):
                continue
            seen.add(shown)
            score = coverage.of_sentence(sentence, chunk)
            if score <= 0:
                continue
            found.append(
                Candidate(
                    quote=sentence,
                    shown=shown,
                    chunk=chunk,
                    rank=rank,
                    position=position,
                    coverage=score,
                    own_coverage=coverage.of_sentence_alone(sentence),
                    asked_figure=figure is not None and bool(figure.search(sentence)),
                    figure_bonus=figure.bonus if figure is not None else 0.0,
                    similarity=similarities[position] if similar else 0.0,
                    passage_similarity=best_similarity,
                    alignment=coverage.alignment(sentence) if similar else 0.0,
                    dense=dense[position] if wants_dense else 0.0,
                    dense_passage=best_dense,
                )
            )
    if wants_dense and found:
        # How much of the question even the best-covering sentence leaves unsaid.
        uncovered = max(0.0, 1.0 - max(c.own_coverage for c in found))
        found = [replace(c, uncovered=uncovered) for c in found]
    return found


def hand_set_score(candidate: Candidate) -> float:
    """The score selection used before the fitted ranker: coverage, a bonus for the asked
    figure, a decay with the context's rank."""
    score = candidate.coverage + (candidate.figure_bonus if candidate.asked_figure else 0.0)
    return score / (1.0 + RANK_DECAY * candidate.rank)


class Ranker(Protocol):
    def scores(self, candidates: Sequence[Candidate], question: str) -> list[float]:
        """A score per candidate, higher first; only differences between scores count."""


def select(
    contexts: Sequence[Chunk],
    coverage: Coverage,
    *,
    figure: AskedFigure | None,
    limit: int,
    tie_only_kinds: Collection[str] = frozenset(),
    ranker: Ranker | None = None,
    question: str = "",
    admission: Admission | None = None,
    asking: Asking | None = None,
    keep: Callable[[str], bool] | None = None,
) -> list[Picked]:
    """The best ``limit`` sentences of ``contexts`` (of those ``keep`` keeps, if given).

    Each further sentence must come close to the best one. One that brings pages the answer
    does not cite yet must come closer, and add to what the answer covers: a passage that
    only repeats what is said is another page to check for nothing. One of a kind the
    question does not ask for (``tie_only_kinds``) brings new pages only as a near tie.

    With a ``ranker`` (answer/ranker.py) its best candidate is the first statement; the
    others are admitted by their hand-set scores, as without one. (Admitting them by the
    ranker's probabilities against the hand-set shares shortened answers but lost facts on
    every set.) With a fitted ``admission`` too (answer/admission.py), a further sentence the
    hand-set score admits must also be one the admission's model says likely adds a fact the
    answer does not state yet, read from what it adds at that point (``asking``: what the
    code reads of the whole question): the hand-set score finds candidates, the model drops
    those that only repeat or wander.
    """
    found = candidates(contexts, coverage, figure, keep)
    if not found:
        return []
    values = [hand_set_score(c) for c in found]
    raw: list[float] | None = None
    if ranker is not None:
        # The ranker chooses the first statement; the others are admitted as before, by
        # their hand-set scores against the best.
        raw = ranker.scores(found, question)
        lead = max(range(len(found)), key=raw.__getitem__)
        values[lead] = max(values) * (1 + 1e-9)
    # Equal scores: a table's total row (計 / 合計) first, since it answers for the whole.
    order = sorted(
        range(len(found)), key=lambda i: (-values[i], not _TOTAL_ROW.match(found[i].shown))
    )
    best = values[order[0]]
    picked: list[Picked] = []
    before: list[Candidate] = []
    cited: set[str] = set()
    asked: Asked | None = None
    shares: list[float] = []
    ranker_place: dict[int, int] = {}
    read = 0  # further statements the admission has read
    for i in order:
        c = found[i]
        lead_score = raw[i] if raw is not None and not picked else None
        item = Picked(c.quote, c.shown, c.chunk, values[i], lead_score)
        if not _admits(item, picked, cited, best, coverage, tie_only_kinds):
            continue
        if picked and raw is not None and admission is not None:
            margin = raw[order[0]] - raw[i]
            if not admission.reads_features:  # a margin alone reads nothing else
                candidate = Further(c.shown, (), {"ranker_margin": margin})
            else:
                if asked is None:  # read once, when a further statement first comes up
                    asked = Asked.of(question, figure_asked=figure is not None)
                    shares = ranker_shares(raw)
                    by_ranker = sorted(range(len(found)), key=lambda j: -raw[j])
                    ranker_place = {j: max(0, n - 1) for n, j in enumerate(by_ranker)}
                quotes = [p.quote for p in picked]
                candidate = further(
                    c,
                    before,
                    asked=asked,
                    asking=asking or Asking(),
                    ranker_margin=margin,
                    ranker_probability=shares[i],
                    lead_probability=shares[order[0]],
                    ranker_place=ranker_place[i],
                    hand_share=values[i] / best if best > 0 else 0.0,
                    hand_place=order.index(i) - 1,
                    position=read + 1,
                    coverage_gain=coverage.together([*quotes, c.quote]) - coverage.together(quotes),
                    new_pages=not cited.issuperset(c.chunk.labels),
                )
            read += 1
            if not admission.admits(candidate):
                continue
        picked.append(item)
        before.append(c)
        cited.update(c.chunk.labels)
        if len(picked) == limit:
            break
    if len(picked) > 1 and raw is not None and admission is not None:
        if admission.sure_lead is not None:
            first = before[0]
            asked = asked or Asked.of(question, figure_asked=figure is not None)
            alone = admission.shows_alone(
                lead_probability=ranker_shares(raw)[order[0]],
                lead_holds_asked=first.asked_figure or asked.provides([first.shown]),
                multi_part=(asking or Asking()).multi_part,
            )
            picked[0] = replace(picked[0], alone=alone)
    return picked


def _admits(
    item: Picked,
    picked: Sequence[Picked],
    cited: set[str],
    best: float,
    coverage: Coverage,
    tie_only_kinds: Collection[str],
) -> bool:
    if cited.issuperset(item.chunk.labels):
        return item.score >= best * MIN_SHARE_OF_BEST
    if item.score < best * NEW_PASSAGE_SHARE:
        return False
    if item.score >= best * TIE_SHARE:  # the best sentence itself, or a near tie
        return True
    if item.chunk.kind in tie_only_kinds:
        return False
    quotes = [p.quote for p in picked]
    gain = coverage.together([*quotes, item.quote]) - coverage.together(quotes)
    return gain >= MIN_NEW_COVERAGE


def is_statement(sentence: str) -> bool:
    """Whether ``sentence`` (a passage's sentence as printed) can be quoted as a statement:
    not a heading (``is_heading``), and not a chart label shorter than ``MIN_CHARS``. One
    exception: a title stating a period (a plan's term, from which month to which) says
    when a plan runs, which nothing else states."""
    shown = display(sentence)
    if len(shown) < MIN_CHARS:
        return False
    return not is_heading(sentence) or bool(STATED_PERIOD.search(shown))


def is_heading(sentence: str) -> bool:
    """Whether ``sentence`` is a heading line alone. Every path that quotes a sentence as
    something the answer says asks this one check (through ``is_statement``, or directly
    where short figure rows are quoted on purpose).

    A heading names a topic and states nothing about it, so it is never a statement, however
    well its words match a question (they match by construction: a heading is the topic's
    name); it stays a heading of its passage, shown as context. The plans mark headings by
    form: a line bracketed whole (＜…＞, 【…】, ［…］, 《…》: a section's name, a chart or
    table title, a unit note after it allowed), a topic ending in its ＜qualifier＞ with no
    full stop, or a numbered section head (Ⅰ-２．…, 第2章…,
    １．…, （１）…, ①…) with no full stop; a numbered line with figures (①納付月数合計
    7,114 7,074 …) is a table row, which is data. The line is read as printed: ``display``
    drops the brackets of ＜…＞, after which a heading reads like a noun-phrase statement.

    A line bracketed whole that states a figure with its unit is a statement: a note in
    parentheses giving the figure the line above leaves to it (（配置人数：120人）), a chart
    title stating its total or target (【一般管理費（令和５年度までに15％削減）】). An
    unbracketed heading is read from grammar: a noun phrase alone on its line with no item
    mark (``_names_a_topic``)."""
    line = _LEADING_MARK.sub("", strip_bracket_refs(sentence)).strip()
    if _TITLE_ONLY.match(line) and _states_a_figure(line):
        return False
    if (_TITLE_ONLY.match(line) and _bracketed_whole(line)) or _BRACKETED.match(line):
        return True
    if "。" in line:
        return False
    if _SECTION_HEAD.match(nfkc(line)) or _QUALIFIED_HEAD.search(line):
        return True
    # NFKC reads ① as 1: the circled number is matched, and then left out, as printed.
    item = _NUMBERED_ITEM_HEAD.match(line) or _NUMBERED_ITEM_HEAD.match(nfkc(line))
    if item is not None:
        return not _TWO_DIGITS.search(nfkc(line[item.end() :]))
    return _names_a_topic(sentence)


def _states_a_figure(line: str) -> bool:
    """Whether ``line`` states a figure with its unit or counter (931人, 1,481名, 20％)."""
    normalized = nfkc(line)
    return bool(figures_with_units(normalized) or _COUNT_OF_PEOPLE.search(normalized))


def _names_a_topic(sentence: str) -> bool:
    """An unbracketed heading (お客様サービスの向上): a noun phrase on a line of its own,
    no item mark, one cell (``ingest/noun_phrase.names_a_topic``)."""
    line = strip_bracket_refs(sentence).strip()
    if _ITEM_MARK.match(line):
        return False
    line = _LEADING_MARK.sub("", line)
    return not _CELLS.search(line) and names_a_topic(line)


@lru_cache(maxsize=8192)
def display(sentence: str) -> str:
    """The sentence as the answer shows it: no leading bullet, no bracketed plan refs.
    Kept per sentence: the passages' sentences are candidates question after question."""
    shown = _LEADING_MARK.sub("", strip_bracket_refs(sentence)).strip()
    return _ANGLE_HEADING.sub(r"\1", shown)


def label_tag(labels: Sequence[str]) -> str:
    return "【" + "・".join(labels) + "】"


def compose(picked: Sequence[Picked]) -> str:
    """One line per statement, each followed by the labels of the chunk it came from; a
    statement that continues the line of its passage (the two read as one run of the
    passage's text) joins that line, so the line an agent reads out says what the passage
    says in one quote, cited once."""
    lines: list[tuple[str, Chunk | None]] = []
    for item in picked:
        text = item.shown
        if not text.endswith(("。", "）", "」", ")", "…")):  # … marks a cut (answer/clause.py)
            text += "。"
        joined = _continuing(lines, text, item.chunk)
        if joined is None:
            lines.append((text, item.chunk))
        else:
            lines[joined] = (lines[joined][0] + text, item.chunk)
        if item.remark:
            lines.append((item.remark, None))  # the service's note: no page says it
    return "\n".join(
        f"{text}{label_tag(chunk.labels)}" if chunk is not None else text for text, chunk in lines
    )


def _continuing(lines: Sequence[tuple[str, Chunk | None]], text: str, chunk: Chunk) -> int | None:
    """The line of ``chunk`` that ``text`` continues verbatim, if any."""
    for index, (line, owner) in enumerate(lines):
        if owner is not None and owner.id == chunk.id and _runs_on(line + text, chunk.text):
            return index
    return None


def _runs_on(text: str, passage: str) -> bool:
    """Whether ``text`` is a verbatim run of ``passage``, line breaks aside."""
    return "".join(text.split()) in "".join(passage.split())
