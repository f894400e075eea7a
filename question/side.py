"""Which side a question asks about — the plan, the results, both, or neither — from its
grammar.

The two documents hold a plan (the 4th plan's measures and targets) and its results (the
report on the 3rd period). ``question.intent.asks`` reads cue strings; a polite past
(増えましたか, どうでしたか) or a past in a relative clause (実施した研修の回数) carries
none of them, so such questions read neutral there. Here the predicate's tense is read from
Sudachi's parts of speech:

- a verb with the auxiliary た (連用形 + た, in any politeness: 増えた, 行われました) asks
  what happened, unless the た is conditional (申請したら), describes a person or a
  condition (退職した人, 届いた後), or follows a verb that sets a plan (目標とした水準);
- the copula's past (でした, だった) recalls what something was: results, unless it is a
  plan noun that was (目標は何％でしたか);
- intention (予定, つもり, 目指す, 〜ていく, 〜しよう, a non-past する as the predicate)
  and the plan's own nouns (目標, 計画, 方針) ask for the plan;
- the results report's nouns (実績, 結果, 推移) and a year named relative to now (前年度比,
  去年より) ask for the results;
- a target set against what was achieved (達成できたか, 目標に対して, both periods named)
  asks for both;
- with no cue of tense or side, a period or fiscal year the calendar of the plans places on
  one side (第3期, 令和5年度 → results; 第4期, 令和6年度 → plan) decides.

The words are data (``data/question/side.toml``) with their reasons; the calendar is the
rules file's (``data/question/rules.toml``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from ingest.sudachi import Token
from question.intent import asks
from question.morphemes import morphemes
from question.normal import nfkc
from question.rules import rules

Side = Literal["plan", "results", "both"]

SIDE_PATH = Path(__file__).resolve().parent.parent / "data" / "question" / "side.toml"

_PAST = "助動詞-タ"
_COPULAS = frozenset({"助動詞-デス", "助動詞-ダ"})
# Auxiliaries that may stand between a verb and its た (passive, polite, potential, causative).
_BETWEEN = frozenset({"助動詞-レル", "助動詞-マス", "助動詞-セル", "助動詞-ナイ"})
_NOMINALISERS = frozenset({"の", "ん", "か", "っけ", "と", "かしら", "?", "？"})
_PERIOD = re.compile(r"第\s*(\d+)\s*期")
# A fiscal year (a date such as 令和6年4月時点 states where a figure stood: no side).
_FISCAL_YEAR = re.compile(r"令和\s*(\d+|元)\s*年度")


@dataclass(frozen=True)
class SideWords:
    plan: frozenset[str]
    results: frozenset[str]
    previous_year: frozenset[str]
    setting: frozenset[str]
    target_met: frozenset[str]
    against: frozenset[str]
    aim_verbs: frozenset[str]
    bounds: frozenset[str]


@cache
def side_words(path: Path = SIDE_PATH) -> SideWords:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return SideWords(
        plan=frozenset(raw["plan_words"]),
        results=frozenset(raw["result_words"]),
        previous_year=frozenset(raw["previous_year"]),
        setting=frozenset(raw["setting_verbs"]),
        target_met=frozenset(raw["target_met"]),
        against=frozenset(raw["against"]),
        aim_verbs=frozenset(raw["aim_verbs"]),
        bounds=frozenset(raw["bounds"]),
    )


@dataclass(frozen=True)
class SideReading:
    """What the question's grammar says, cue by cue; ``side`` combines them."""

    past_event: bool = False  # a verb in the past: something happened
    past_copula: bool = False  # でした / だった
    intent: bool = False  # 予定, 目指す, 〜ていく, 〜しよう, する as the predicate
    plan_words: bool = False  # 目標, 計画, 方針
    result_words: bool = False  # 実績, 結果, 推移, a previous year
    target_against_result: bool = False  # 達成, 目標に対して, both periods named
    aim: bool = False  # a quantity to be moved or bounded, in the non-past (増やす, 何時間まで)
    calendar: Side | None = None  # the side of the periods and years named

    @property
    def side(self) -> Side | None:
        """The side the grammar and the side words say; None when they say nothing."""
        results = self.past_event or self.result_words
        plan = self.intent or self.plan_words or self.aim
        if self.target_against_result or (results and plan):
            return "both"
        if results:
            return "results"
        if plan:
            return "plan"
        if self.past_copula:
            return "results"
        return self.calendar


def asked_side(question: str, *, cues: bool = True) -> Side | None:
    """The side ``question`` asks about: "plan", "results", "both", or None (no cue).

    Grammar first; with ``cues``, a question whose grammar says nothing keeps
    ``question.intent.asks``'s cues (a count or share asked in the present, 利用者は何人？,
    reads as results: the plans state targets, the report the figures)."""
    side = read_side(question).side
    if side is not None or not cues:
        return side
    wants_results, wants_plans = asks(nfkc(question))
    if wants_results and wants_plans:
        return "both"
    return "results" if wants_results else "plan" if wants_plans else None


def read_side(question: str) -> SideReading:
    """What the grammar of ``question`` says of its side, read once per question: the
    analysis and the sentence ranker both ask it (``asked_side``)."""
    return _read_side(nfkc(question))


@lru_cache(maxsize=1024)
def _read_side(text: str) -> SideReading:
    tokens = morphemes(text, "A")
    words = side_words()
    lemmas = [t.normalized for t in tokens]
    plan_words = any(lemma in words.plan for lemma in lemmas)
    past_event = past_copula = False
    for i, token in enumerate(tokens):
        if token.pos[4] != _PAST or token.pos[5].startswith("仮定形"):
            continue
        verb = _verb_before(tokens, i)
        if verb is None:
            past_copula = past_copula or _copula_before(tokens, i)
        elif _is_event(tokens, i, verb, words):
            past_event = True
    intent = _intends(tokens, words)
    met = any(lemma in words.target_met for lemma in lemmas) and not (
        intent and not past_event and "出来る" not in lemmas
    )
    against = plan_words and _sets_against(tokens, words)
    aim = not (past_event or past_copula) and (
        _moves_quantity(tokens, words) or _bounds_quantity(tokens, words)
    )
    calendar = _calendar_sides(text)
    return SideReading(
        past_event=past_event,
        past_copula=past_copula,
        intent=intent,
        plan_words=plan_words,
        result_words=any(lemma in words.results or lemma in words.previous_year for lemma in lemmas)
        or any(token.surface in words.previous_year for token in tokens),
        target_against_result=met or against or len(calendar) == 2,
        calendar=next(iter(calendar)) if len(calendar) == 1 else None,
        aim=aim,
    )


def _verb_before(tokens: tuple[Token, ...], i: int) -> Token | None:
    """The verb a た at ``i`` inflects (増えた, 行われました, 達成できた), past the
    auxiliaries between; None when it is the copula's or an adjective's."""
    j = i - 1
    while j >= 0 and tokens[j].pos[4] in _BETWEEN:
        j -= 1
    if j >= 0 and tokens[j].pos[0] == "動詞":
        return tokens[j]
    return None


def _copula_before(tokens: tuple[Token, ...], i: int) -> bool:
    return i > 0 and tokens[i - 1].pos[4] in _COPULAS


def _is_event(tokens: tuple[Token, ...], i: int, verb: Token, words: SideWords) -> bool:
    """A past verb asks what happened, unless it set a plan or describes a noun of person
    or condition (退職した人, 申請した場合)."""
    j = tokens.index(verb)
    head = tokens[j - 1] if verb.normalized in {"為る", "出来る"} and j > 0 else verb
    if head.normalized in words.setting or verb.normalized in words.setting:
        return False
    if verb.normalized == "為る" and j > 0 and tokens[j - 1].normalized == "と":
        return False  # 目標とした: a target set, not an event
    # The predicate's past (増えましたか, 達成できたのか, 削減されたとしている); a past
    # inside a noun phrase describes the noun (退職した人, 改善を求めた事項), it asks nothing.
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if following is None or following.normalized in _NOMINALISERS:
        return True
    return following.pos[0] in {"補助記号", "助詞"}


def _intends(tokens: tuple[Token, ...], words: SideWords) -> bool:
    """Intention or the future: a volitional form (しよう), 〜ていく, or する (for a verbal
    noun) as the question's predicate in the non-past (どうする, 導入しますか)."""
    for i, token in enumerate(tokens):
        if token.pos[5] == "意志推量形":
            return True
        if (
            token.normalized == "行く"
            and i > 0
            and tokens[i - 1].normalized == "て"
            and not token.pos[5].startswith("連用形")
        ):
            return True
    predicate = _predicate(tokens)
    if predicate is not None:
        verb, tense = predicate
        if verb.normalized == "為る" and tense == "non-past":
            return True
    return False


def _moves_quantity(tokens: tuple[Token, ...], words: SideWords) -> bool:
    """A verb that moves a quantity (増やす, 減らす, 抑える) as the question's predicate in
    the non-past: how far it is to go (どれくらいに増やすの, 何割減らす)."""
    predicate = _predicate(tokens)
    if predicate is None:
        return False
    verb, _ = predicate
    return verb.normalized in words.aim_verbs or verb.surface in words.aim_verbs


# What asks for a quantity: 何 read as a numeral before its counter (何時間, 何件), or
# どれ / どの / いくら before くらい, ぐらい, だけ.
_QUANTITY_WORDS = frozenset({"どれ", "どの", "いくら", "どこ"})


def _bounds_quantity(tokens: tuple[Token, ...], words: SideWords) -> bool:
    """A quantity asked with a bound after it (何時間まで, 何件以内, どこまで): a limit or a
    target level, which a plan sets. 何時まで (a clock time) and いつまで (a date) ask no
    quantity."""
    for i, token in enumerate(tokens):
        numeral = token.normalized == "何" and token.pos[:2] == ("名詞", "数詞")
        if not numeral and token.surface not in _QUANTITY_WORDS:
            continue
        if any(t.surface in words.bounds for t in tokens[i + 1 : i + 4]):
            return True
    return False


def _predicate(tokens: tuple[Token, ...]) -> tuple[Token, str] | None:
    """The last verb of the question and whether its ending is past or non-past; None
    when it ends on a noun or the verb is progressive (していますか: how things stand)."""
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if token.pos[0] != "動詞":
            continue
        rest = tokens[i + 1 :]
        if any(t.pos[0] in {"名詞", "代名詞"} for t in rest):
            return None
        if any(t.pos[4] == _PAST for t in rest) or any(
            t.normalized in {"て", "てる", "居る"} for t in rest
        ):
            return None
        return token, "non-past"
    return None


def _sets_against(tokens: tuple[Token, ...], words: SideWords) -> bool:
    """A plan noun set against something (目標に対して, 計画と比べると), or the baseline a
    result is measured from (計画額からの削減額, 目標より多い: から and より mark it)."""
    for i, token in enumerate(tokens):
        if token.normalized in words.plan:
            ahead = tokens[i + 1 : i + 4]
            if any(t.normalized in words.against for t in ahead):
                return True
            rest = [t for t in ahead if t.pos[0] != "名詞"]
            if rest and rest[0].normalized in {"から", "より"}:
                return True
    return False


def _calendar_sides(text: str) -> set[Side]:
    """The sides of the periods and fiscal years named, by the plans' calendar: the
    results period and its years are the results report's, the plan period's the plan's."""
    found: set[Side] = set()
    calendar = rules()
    kinds = {p.name: p.kind for p in calendar.periods}
    for number in _PERIOD.findall(text):
        kind = kinds.get(f"第{number}期")
        if kind is not None:
            found.add("plan" if kind == "plan" else "results")
    for year in _FISCAL_YEAR.findall(text):
        n = 1 if year == "元" else int(year)
        found.add("plan" if n >= calendar.plan_fiscal_year else "results")
    return found


__all__ = ["Side", "SideReading", "asked_side", "read_side"]
