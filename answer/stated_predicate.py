"""What a sentence states of its figure or date: the predicate that governs it.

A count is a count *of* something done: 受け付けた件数 and 処理した件数 are both 件 in the same
sentence or the next, and only the verb tells them apart. A question asking 何件…受け付けた
asks the figure whose clause holds 受け付ける (or its verbal noun 受付); a sentence whose
figure belongs to another verb (判明した６件) answers another question. Likewise いつから asks a
start: the date bound to から/より (令和３年７月から実施) or to a start predicate (開始した,
導入した), not any date the sentence names. Both are read from Sudachi units (mode B), so
a verb and its verbal noun meet on the kanji of their normalized forms (受け付ける, 受付 →
受付).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.sudachi import Token, analyze
from question.answer_type import counter_units

# Verbs that say nothing of what was done (do, be, become): they govern every figure alike.
_LIGHT = frozenset({"為る", "行う", "遣る", "有る", "居る", "成る", "出来る", "致す", "図る"})
# Where a clause ends in the plans and in questions: a figure's verb is within its clause.
_CLAUSE_END = re.compile(r"[、。，\n？?！!]|,(?!\d)")  # 1,200 is one figure
# The question asks for the figure here (何件, 何人, どのくらい, いくつ).
_ASKED = re.compile(r"何|どのくらい|どれくらい|どれだけ|いくつ|幾")
_DIGIT = re.compile(r"\d")
# The question asks when something began (いつから, 何年から, いつ開始…); いつからいつまで
# asks a span, not a start.
_ASKS_START = re.compile(
    r"(?:いつ|何年度?|何月)から(?!.{0,12}まで)|いつ.{0,12}?(?:開始|始め|始ま|導入|スタート|着手|創設|開設)"
    r"|(?:開始|始め|始ま|導入|スタート|着手|創設|開設)\S{0,8}?(?:いつ|何年|何月)"
)
# A date: a year, fiscal year, month or day in figures, or an era's first year.
_DATE = r"(?:\d+\s*(?:年度|年|月|日)|元年度?)(?:\s*(?:上旬|中旬|下旬|末|頃|以降))?"
# A start bound to a date: the date with から/より, or a start predicate in the date's clause.
_START_AT = re.compile(
    _DATE + r"\s*(?:から|より)"
    rf"|{_DATE}[^、。\n]{{0,16}}?(?:開始|始め|始ま|導入|スタート|着手|創設|開設|運用開始|稼働)"
)


def asks_start(question: str) -> bool:
    """The question asks when something began (NFKC text)."""
    return bool(_ASKS_START.search(question))


def states_start(sentence: str) -> bool:
    """The sentence (NFKC) binds a date to a start: …から/より, or 開始/導入… in its clause."""
    return bool(_START_AT.search(sentence))


def asked_predicates(question: str) -> frozenset[str]:
    """The predicates of the question's clause that asks for the figure (何件…受け付けた →
    受付): verbs that say what was done, and verbal nouns used as a verb (採用した; 何件の記録:
    a noun). Empty when the question asks no figure or names only light verbs."""
    clause = next((c for c in _CLAUSE_END.split(question) if _ASKED.search(c)), "")
    if not clause:
        return frozenset()
    units = _units(clause)
    keys = set()
    for i, unit in enumerate(units):
        following = units[i + 1].normalized if i + 1 < len(units) else ""
        if _is_verb(unit) or (_is_verbal_noun(unit) and following == "為る"):
            keys.add(_key(unit))
    return frozenset(k for k in keys if k)


def figure_predicates(sentence: str, counter: str | None) -> frozenset[str]:
    """The verbs and verbal nouns in the clauses of ``sentence`` (NFKC) that hold a figure in
    ``counter`` (any figure when None): 受付件数は1,200件 → 受付; 記録が６件判明 → 判明."""
    unit = re.compile(rf"(?:万|千|百|億)?(?:{counter_units(counter)})") if counter else None
    keys: set[str] = set()
    for clause in _CLAUSE_END.split(sentence):
        if not _DIGIT.search(clause):
            continue
        units = _units(clause)
        holds = any(
            u.pos[1] == "数詞"
            and _DIGIT.search(u.surface)
            and (unit is None or unit.match("".join(v.surface for v in units[i + 1 :])))
            for i, u in enumerate(units)
        )
        if holds:
            keys.update(_key(u) for u in units if _is_verb(u) or _is_verbal_noun(u))
    return frozenset(k for k in keys if k)


def counted_by_asked(sentence: str, counter: str | None, asked: frozenset[str]) -> bool:
    """A figure of the sentence is governed by a predicate the question asks with."""
    return bool(asked) and bool(figure_predicates(sentence, counter) & asked)


@lru_cache(maxsize=16384)
def _units(text: str) -> tuple[Token, ...]:
    return tuple(analyze(text, "B"))


def _is_verb(unit: Token) -> bool:
    return unit.pos[0] == "動詞" and unit.pos[1] == "一般" and unit.normalized not in _LIGHT


def _is_verbal_noun(unit: Token) -> bool:
    return unit.pos[0] == "名詞" and unit.pos[2] == "サ変可能"


def _key(unit: Token) -> str:
    """A verb and its verbal noun share their kanji (受け付ける, 受付); kana-only words
    (シフト) are their own key."""
    kanji = "".join(ch for ch in unit.normalized if "\u4e00" <= ch <= "\u9fff" or ch == "々")
    return kanji or unit.normalized
