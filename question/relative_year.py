"""Relative years and periods in a follow-up, written out from the conversation.

前の年 / 翌年 step from the fiscal year the conversation last named (令和5年度 → 令和4年度),
前の期 / 次の期 from the plan period (第4期 → 第3期); 去年 / 昨年度 are relative to the
caller's today and move only from a year the caller named. The cue patterns are data
(``data/question/rules.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from question.conversation import ANSWER_LABELS, answered_turns, user_turns
from question.normal import nfkc
from question.rules import rules

_FISCAL_YEAR = re.compile(r"令和\s*([0-9]{1,2}|元)\s*年度?")
_PERIOD = re.compile(r"第\s*([0-9]+)\s*期")


def resolve_relative_year(question: str, history: Sequence[object]) -> str:
    """``question`` with 前の年 / 翌年 written out from the fiscal year the conversation
    last named (令和5年度 → 前の年 is 令和4年度), and 前の期 / 次の期 from the plan period
    it named (第4期 → 前の期 is 第3期); unchanged when none was named. The relative words
    are replaced, not kept beside the year: a 前年度 left in would name the year before."""
    text = nfkc(question)
    found = rules()
    turns = [nfkc(t) for t in reversed(user_turns(history))]
    if not _PERIOD.search(text):
        for cue, shift in ((found.previous_period, -1), (found.next_period, 1)):
            if cue.search(text):
                named = next((_PERIOD.findall(t) for t in turns if _PERIOD.search(t)), [])
                if named:
                    return _replace(cue, f"第{int(named[-1]) + shift}期", question, text)
    if _FISCAL_YEAR.search(text):
        return question
    for cue, shift in ((found.previous_year, -1), (found.next_year, 1)):
        said = cue.search(text)
        if not said:
            continue
        # 去年 / 昨年度 are relative to the caller's today: only a year the caller named
        # moves them; 前の年 / その前の年 step from the year just discussed.
        deictic = bool(_DEICTIC.match(said.group(0)))
        year, by_caller = _year_of_conversation(history, answers=not deictic)
        if year is not None and (by_caller or not deictic):
            return _replace(cue, f"令和{year + shift}年度", question, text)
    return question


_DEICTIC = re.compile(r"去年|昨年")


def _year_of_conversation(
    history: Sequence[object], *, answers: bool = True
) -> tuple[int | None, bool]:
    """The fiscal year (令和, as a number) the conversation is last about: the year the last
    user turn naming one named, its relative words read from the turns before it (so
    前の年は？ then その前の年は？ step back a year each), or, for an exchange whose
    question named none (去年度は何件？), the latest year the first statement of its
    answer gives a figure of (the results report states the year it reports, beside the
    years before it compares with); with ``answers`` False, the user turns' years only.
    With it, whether the caller named that year (or stepped to it from one named)."""
    found = rules()
    year: int | None = None
    by_caller = False  # the year was named (or stepped from one named) by the caller
    named_here = False
    for turn in answered_turns(history):
        content = nfkc(str(getattr(turn, "content", "")))
        if getattr(turn, "role", None) == "user" and content.strip():
            named = _FISCAL_YEAR.findall(content)
            named_here = bool(named)
            if named:
                year, by_caller = _year_number(named[-1]), True
                continue
            for cue, shift in ((found.previous_year, -1), (found.next_year, 1)):
                said = cue.search(content)
                if not said:
                    continue
                if _DEICTIC.match(said[0]) and not by_caller:
                    # 去年度 with no year named: the caller's last fiscal year, the one the
                    # results report reports (rules.toml [calendar]); its answer may date it.
                    year = found.results_fiscal_year
                elif year is not None:
                    year, named_here = year + shift, True
                break
        elif answers and getattr(turn, "role", None) == "assistant" and not named_here:
            first = next((line for line in content.split("\n") if line.strip()), "")
            answered = [
                _year_number(y) for y in _FISCAL_YEAR.findall(ANSWER_LABELS.sub(" ", first))
            ]
            if answered:
                year, by_caller = max(answered), False
    return year, by_caller


def _year_number(written: str) -> int:
    return 1 if written == "元" else int(written)


def _replace(cue: re.Pattern[str], absolute: str, question: str, normalized: str) -> str:
    """The first relative word of ``question`` replaced, in the question as typed when the
    word is written there as in its NFKC form."""
    if cue.search(question):
        return cue.sub(absolute, question, count=1)
    return cue.sub(absolute, normalized, count=1)
