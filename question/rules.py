"""The question rules of ``data/question/rules.toml``, loaded once and compiled.

Cue words, answer-type patterns, connectives and the calendar of the plans are data, each
with the reason it exists written beside it in the file; this module only compiles them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "question" / "rules.toml"


class RulesError(ValueError):
    """The rules file cannot be used; the message names the entry."""


@dataclass(frozen=True)
class Period:
    name: str  # 第4期
    start: str  # 令和6年4月
    end: str  # 令和11年3月
    kind: str  # "plan" or "results": which document speaks of it


@dataclass(frozen=True)
class AnswerType:
    name: str
    cue: re.Pattern[str]
    answer: re.Pattern[str]
    counts: bool = False  # also cued by any 何 + counter (question/counters.py)


@dataclass(frozen=True)
class Rules:
    periods: tuple[Period, ...]
    plan_fiscal_year: int
    results_fiscal_year: int
    results_cue: re.Pattern[str]
    figure_cue: re.Pattern[str]
    figure_question: re.Pattern[str]
    plan_cue: re.Pattern[str]
    fiscal_year_cue: re.Pattern[str]
    period_question: re.Pattern[str]
    stated_period: re.Pattern[str]
    answer_types: tuple[AnswerType, ...]
    between_parts: re.Pattern[str]
    coordinators: frozenset[str]
    each: re.Pattern[str]
    both: re.Pattern[str]
    value_asked: re.Pattern[str]
    results_side: re.Pattern[str]
    plan_side: re.Pattern[str]
    across_sides: re.Pattern[str]
    target_met: re.Pattern[str]
    pointing: re.Pattern[str]
    nth_exchange: re.Pattern[str]
    predicate_left_out: re.Pattern[str]
    compares_with_said: re.Pattern[str]
    follow_on: re.Pattern[str]
    topic_change: re.Pattern[str]
    aspect_words: frozenset[str]
    previous_year: re.Pattern[str]
    next_year: re.Pattern[str]
    previous_period: re.Pattern[str]
    next_period: re.Pattern[str]
    asks_how: re.Pattern[str]
    asks_page: re.Pattern[str]
    asks_else: re.Pattern[str]
    asks_why: re.Pattern[str]
    states_reason: re.Pattern[str]
    states_means: re.Pattern[str]
    asks_measure: re.Pattern[str]
    states_target: re.Pattern[str]
    states_measure: re.Pattern[str]

    def answer_type(self, name: str) -> AnswerType:
        return next(t for t in self.answer_types if t.name == name)


def _any(patterns: list[str], where: str, *, anchored: bool = False) -> re.Pattern[str]:
    try:
        body = "|".join(f"(?:{p})" for p in patterns)
        return re.compile(f"^(?:{body})" if anchored else body)
    except re.error as error:
        raise RulesError(f"[{where}] has a bad pattern: {error}") from error


def load_rules(path: Path = RULES_PATH) -> Rules:
    """The rules of ``path``; any problem (unreadable, not TOML, a missing entry, a bad
    pattern or number) is a ``RulesError`` naming the file."""
    try:
        return _parse(tomllib.loads(path.read_text(encoding="utf-8")), path)
    except RulesError as error:
        raise RulesError(f"{path}: {error}") from error
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as error:
        raise RulesError(f"{path}: cannot use the rules file: {error}") from error


def _parse(raw: dict, path: Path) -> Rules:
    try:
        calendar, intent = raw["calendar"], raw["intent"]
        period_question = raw["period_question"]
        connectives = raw["connectives"]
        named = {
            "@period_question": _any(period_question["asks"], "period_question.asks"),
            "@period_stated": _any(period_question["stated"], "period_question.stated"),
            "@period_any": _any(period_question["any_span"], "period_question.any_span"),
        }

        def pattern(text: str, where: str) -> re.Pattern[str]:
            return named[text] if text in named else _any([text], where)

        return Rules(
            periods=tuple(Period(**p) for p in calendar["periods"]),
            plan_fiscal_year=int(calendar["plan_fiscal_year"]),
            results_fiscal_year=int(calendar["results_fiscal_year"]),
            results_cue=_any(intent["results"], "intent.results"),
            figure_cue=_any(intent["figures"], "intent.figures"),
            figure_question=_any(intent["figures"] + intent["figure_words"], "intent.figure_words"),
            plan_cue=_any(intent["plans"], "intent.plans"),
            fiscal_year_cue=_any(intent["fiscal_year"], "intent.fiscal_year"),
            period_question=named["@period_question"],
            stated_period=named["@period_stated"],
            answer_types=tuple(
                AnswerType(
                    t["name"],
                    pattern(t["cue"], f"answer_types.{t['name']}.cue"),
                    pattern(t["answer"], f"answer_types.{t['name']}.answer"),
                    bool(t.get("counts", False)),
                )
                for t in raw["answer_types"]
            ),
            results_side=_any(raw["comparison"]["results_side"], "comparison.results_side"),
            plan_side=_any(raw["comparison"]["plan_side"], "comparison.plan_side"),
            across_sides=_any(raw["comparison"]["across"], "comparison.across"),
            target_met=_any(raw["comparison"]["target_met"], "comparison.target_met"),
            between_parts=_any(connectives["between_parts"], "connectives.between_parts"),
            coordinators=frozenset(connectives["coordinators"]),
            each=_any(connectives["each"], "connectives.each"),
            both=_any(connectives["both"], "connectives.both"),
            value_asked=_any(connectives["value_asked"], "connectives.value_asked"),
            pointing=_any(connectives["pointing"], "connectives.pointing", anchored=True),
            nth_exchange=_any([connectives["nth_exchange"]], "connectives.nth_exchange"),
            compares_with_said=_any(
                connectives["compares_with_said"], "connectives.compares_with_said"
            ),
            predicate_left_out=_any(
                [connectives["predicate_left_out"]], "connectives.predicate_left_out"
            ),
            follow_on=_any(connectives["follow_on"], "connectives.follow_on", anchored=True),
            topic_change=_any(
                connectives["topic_change"], "connectives.topic_change", anchored=True
            ),
            aspect_words=frozenset(connectives["aspect_words"]),
            previous_year=_any(connectives["previous_year"], "connectives.previous_year"),
            next_year=_any(connectives["next_year"], "connectives.next_year"),
            previous_period=_any(connectives["previous_period"], "connectives.previous_period"),
            next_period=_any(connectives["next_period"], "connectives.next_period"),
            asks_how=_any(connectives["asks_how"], "connectives.asks_how"),
            asks_page=_any(connectives["asks_page"], "connectives.asks_page"),
            asks_else=_any(connectives["asks_else"], "connectives.asks_else"),
            asks_why=_any(connectives["asks_why"], "connectives.asks_why"),
            states_reason=_any(connectives["states_reason"], "connectives.states_reason"),
            states_means=_any(connectives["states_means"], "connectives.states_means"),
            asks_measure=_any(connectives["asks_measure"], "connectives.asks_measure"),
            states_target=_any(connectives["states_target"], "connectives.states_target"),
            states_measure=_any(connectives["states_measure"], "connectives.states_measure"),
        )
    except (KeyError, TypeError) as error:
        raise RulesError(f"missing or malformed entry {error}") from error


@cache
def rules() -> Rules:
    """The shipped rules, read once per process."""
    return load_rules()
