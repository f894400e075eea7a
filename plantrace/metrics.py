"""Figures on named metrics: a plan's target (応答率は70%以上) and a report's result
(応答率は、76.8％), read verbatim so both sides can be shown together.

A metric is named the way Japanese names rates: a two-kanji verbal noun and 率 or 割合
(応答率, 納付率, 予約率, 達成率), or a measured quantity (待ち時間, 取得日数). Two sides
match on that name, so 来所相談予約率 in a plan meets 全体の予約率 in a report. A
percentage that is the object of a verbal noun (経費の10%以上を削減) is that noun's
rate (削減率): the plan states the target as an amount to cut, the report as a 削減率.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from plantrace.model import Figure

_NUMBER = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_UNIT = r"(?:%|％|ポイント|ｐｔ|pt|日|件|人|分|時間)"
_QUALIFIER = r"(?:以上|以下|未満|超|台前半|台後半|程度)?"
_VALUE = rf"{_NUMBER}\s*{_UNIT}{_QUALIFIER}"
# A 比率 is named by the group it counts (管理職比率), so three kanji before it.
_METRIC = r"(?:[一-龥々]{3}比率|[一-龥々]{2}(?:率|割合)|待ち時間|[一-龥々]{2}日数)"
# A metric and its figure: the figure follows within a short clause (particles, a comma,
# a colon, 「については」), never across a sentence end.
_WHEN = r"令和\s*[0-9０-９元]+\s*年度末?(?:時点)?"
_STATED = re.compile(
    rf"(?P<metric>{_METRIC})(?P<gap>(?:{_WHEN}|[^。0-9０-９]){{0,16}}?)(?P<value>{_VALUE})"
    rf"(?P<series>(?:\s+{_VALUE}){{2,}})?"
)
# 20%以上を削減 / 20％を向上: a percentage object of a two-kanji verbal noun.
_OBJECT_RATE = re.compile(
    rf"(?P<value>{_NUMBER}\s*(?:%|％){_QUALIFIER})を(?P<verb>[一-龥々]{{2}})(?:する|し|させ|を)"
)
# A report restating the plan's target before the result (目標に定めた…割合70％を達成).
_RESTATED = re.compile(r"目標")
_ANY_PERCENT = re.compile(rf"{_NUMBER}\s*(?:%|％){_QUALIFIER}")
_ANY_METRIC = re.compile(_METRIC)
_SENTENCE = re.compile(r"[^。\n]+(?:。|$)")
_PERIOD = re.compile(r"令和\s*[0-9０-９元]+\s*年度|第\s*[0-9０-９]\s*期")
# A figure in brackets after another is its change or its baseline, never the metric:
# 76.8％（対前年度比：＋3.8％）.
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")


def metric_name(phrase: str) -> str:
    """The comparable name of a metric phrase: 来所相談予約率 → 予約率."""
    phrase = unicodedata.normalize("NFKC", phrase)
    if phrase.endswith("待ち時間"):
        return "待ち時間"
    if phrase.endswith("比率"):
        return phrase[-5:]
    for suffix in ("割合", "率", "日数"):
        if phrase.endswith(suffix):
            stem = phrase[: -len(suffix)]
            return stem[-2:] + suffix
    return phrase


def sentences(text: str) -> list[str]:
    joined = re.sub(r"(?<=[^。\n])\n(?=[^○●・\n])", "", text)  # slides break lines mid-word
    return [s.strip() for s in _SENTENCE.findall(joined) if s.strip()]


def targets(text: str, chunk_id: str) -> tuple[Figure, ...]:
    """The figures a plan measure sets, one per metric, in the order stated."""
    found: dict[str, Figure] = {}
    for sentence in sentences(text):
        used: list[tuple[int, int]] = []
        for match in _STATED.finditer(sentence):
            name = metric_name(match["metric"])
            used.append(match.span("value"))
            found.setdefault(name, Figure(name, _clean(match["value"]), sentence, chunk_id))
        for match in _OBJECT_RATE.finditer(sentence):
            if any(a <= match.start("value") < b for a, b in used):
                continue
            name = match["verb"] + "率"
            used.append(match.span("value"))
            found.setdefault(name, Figure(name, _clean(match["value"]), sentence, chunk_id))
        # A percentage far from its metric (収納率について…最高値（99.1%）への回復): the
        # nearest metric named before it in the same sentence.
        for match in _ANY_PERCENT.finditer(sentence):
            if any(a <= match.start() < b for a, b in used):
                continue
            before = list(_ANY_METRIC.finditer(sentence, 0, match.start()))
            if not before:
                continue
            name = metric_name(before[-1].group(0))
            found.setdefault(name, Figure(name, _clean(match.group(0)), sentence, chunk_id))
    return tuple(found.values())


def results(
    metric: str, passages: Iterable[tuple[str, str, str]], limit: int = 2
) -> tuple[Figure, ...]:
    """Figures on ``metric`` in a report's passages ``(chunk_id, text, period)``, in the
    order given (the caller puts the latest year first), at most ``limit``, one per period.

    ``period`` is the passage's own period (its block marker 令和５年度の取組実績, or the
    report's 第３期); a year written in the sentence before the figure wins over it."""
    figures: list[Figure] = []
    periods: set[str | None] = set()
    for chunk_id, text, period in passages:
        for sentence in sentences(text):
            plain = _BRACKETED.sub(lambda m: "＿" * len(m.group(0)), sentence)
            for match in _STATED.finditer(plain):
                if metric_name(match["metric"]) != metric:
                    continue
                if _RESTATED.search(plain, max(0, match.start() - 8), match.start()):
                    continue  # 目標に定めた電子申請割合70％を達成: the target, restated
                value = match["value"]
                if match["series"]:
                    # A table row (予約率 93.9% 95.6% … 93.4%) under its years: the last
                    # value is the latest year's.
                    value = match["series"].split()[-1]
                    row = text.find(match["metric"] + match["gap"])
                    years = list(_PERIOD.finditer(text, 0, max(row, 0)))
                else:
                    years = list(_PERIOD.finditer(sentence, 0, match.start("value")))
                when = _normal_period(years[-1].group(0)) if years else period
                if when in periods:
                    break
                periods.add(when)
                figures.append(Figure(metric, _clean(value), sentence, chunk_id, when or None))
                break
            if len(figures) >= limit:
                return tuple(figures)
    return tuple(figures)


def stated_metrics(passages: list[tuple[str, str, str]]) -> set[str]:
    """The metrics a report's passages state a figure on, by their comparable names: every
    metric ``results`` would find a figure for."""
    names = {
        metric_name(match["metric"])
        for _, text, _ in passages
        for sentence in sentences(text)
        for match in _STATED.finditer(sentence)
    }
    return {name for name in names if results(name, passages, limit=1)}


def block_period(text: str) -> str | None:
    """The year of a passage's block marker: （令和５年度の取組実績） → 令和5年度."""
    if match := re.match(r"\s*[（(]\s*(令和\s*[0-9０-９元]+\s*年度)", text):
        return _normal_period(match.group(1))
    return None


def document_period(context: str) -> str | None:
    """The period a report covers, from its title in the passage context (第３期)."""
    if match := re.search(r"第\s*[0-9０-９]\s*期", context):
        return _normal_period(match.group(0))
    return None


def _normal_period(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _clean(value: str) -> str:
    return re.sub(r"\s+", "", value)
