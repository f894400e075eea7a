"""Filters (source, section, kind, label) checked against the index they restrict.

A label value is read as a page lookup reads it (``question/label_lookup.py``): every label
an answer cites is a value (中期P46, a document's own overview p.2, an upload's メモ.txt p.1,
the plan page an upload cites), and a pasted list (中期P46・年度P47, 中期P46,47) means any
of its pages: ``label_reader``.

A value no passage carries (a misspelt file name, a document's title given as its
``source``, a label the plans never cite) made /search and /ask return nothing with no word
why: a caller could not tell a wrong value from a question the plans do not answer. Such a
value, also one in a list beside known values, or values that each exist but that no
passage meets together, is refused with the values the index knows, in Japanese and
English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence

from answer.errors import FilterMatchError
from answer.source_titles import sources_by_title
from index.filters import FILTER_NAMES, Filters
from ingest.model import Chunk
from ingest.refs import is_label
from question.label_lookup import labels_for_lookup

# How many known values a refusal lists for one filter; the rest are counted. The plans give
# 2 files, 11 kinds and 35 sections (all listed) but about 130 plan-page labels and their
# own pages (overview p.2).
SHOWN_VALUES = 40


def check_filters_match(filters: Filters, chunks: Sequence[Chunk]) -> None:
    """Nothing when no filter is set, or every value given is one the index knows and some
    passage meets them all; else FilterMatchError naming each unknown value with the values
    known, or saying that the values exist but meet in no passage.

    A list means any of its values, so one unknown value among known ones would still find
    passages: it is checked all the same, since it is a typo the caller should hear about
    rather than a restriction silently dropped."""
    if not filters:
        return
    seen = seen_in(chunks)
    known = seen.known
    unknown = [
        (name, value, _candidates(value, known[name]))
        for name in FILTER_NAMES
        for value in getattr(filters, name)
        if value not in known[name]
    ]
    if unknown:
        japanese = "、".join(
            f"{name} '{_printable(value)}'（使える値: {_listed(values, '、', 'ほか', '件')}）"
            for name, value, values in unknown
        )
        english = "; ".join(
            f"{name} '{_printable(value)}' (known values: {_listed(values, ', ', 'and', 'more')})"
            for name, value, values in unknown
        )
        raise FilterMatchError(
            f"絞り込み条件に合う箇所がありません: {japanese}。値を直すか、その条件を外して"
            f"送り直してください / no passage matches the filter value(s): {english}; correct "
            "the value or drop that filter and send again"
        )
    if seen.met(filters):
        return
    given = ", ".join(
        f"{name}={[_printable(value) for value in getattr(filters, name)]}"
        for name in FILTER_NAMES
        if getattr(filters, name)
    )
    raise FilterMatchError(
        f"絞り込み条件（{given}）の値はそれぞれ索引にありますが、全部に合う箇所はありません。"
        f"条件を減らして送り直してください / each filter value ({given}) exists, but no "
        "passage meets them all together: drop one and send again"
    )


def label_reader(known: Container[str]) -> Callable[[str], tuple[str, ...]]:
    """The labels one ``label`` filter value names, given the labels the index ``known``:
    the value itself when a passage carries it as written (a file's label), else every page
    it names as ``/refs`` reads it (one label in any typed form, or a list); else the value
    as sent, which ``check_filters_match`` then refuses naming the known ones."""

    def read(value: str) -> tuple[str, ...]:
        if value in known:
            return (value,)
        return labels_for_lookup(value, known) or (value,)

    return read


class _Seen:
    """What one index generation's passages hold for the filters: the known values (read
    on the generation's first filtered request) and, per filter set, whether some passage
    meets it. A filtered request read every passage twice (0.2–0.3 ms of a 662-passage
    index); the values change only with a new generation, whose chunk list is another."""

    # Filter sets remembered per generation; more (a client trying many) start afresh.
    KEPT = 256

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.chunks = chunks
        self.known = _known_values(chunks)
        self._met: dict[Filters, bool] = {}
        self._titles: dict[str, tuple[str, ...]] | None = None

    @property
    def titles(self) -> dict[str, tuple[str, ...]]:
        """Each document title (as ``source_titles`` keys it) → the files it names, read on
        the first request sending a title as ``source``."""
        if self._titles is None:
            self._titles = sources_by_title(self.chunks)
        return self._titles

    def met(self, filters: Filters) -> bool:
        """Whether some passage meets every filter of ``filters``."""
        found = self._met.get(filters)
        if found is None:
            found = any(filters.accepts(chunk) for chunk in self.chunks)
            if len(self._met) >= self.KEPT:
                self._met = {}
            self._met[filters] = found
        return found


# The generation last filtered on. A served generation's chunk list is never changed in
# place (a new upload or POST /index loads a new snapshot with a new list), so the list's
# identity names the generation; holding it keeps its id from being reused.
_last: _Seen | None = None


def seen_in(chunks: Sequence[Chunk]) -> _Seen:
    """What the generation whose chunk list is ``chunks`` holds for the filters."""
    global _last
    last = _last
    if last is None or last.chunks is not chunks:
        last = _last = _Seen(chunks)
    return last


def _known_values(chunks: Sequence[Chunk]) -> dict[str, dict[str, str]]:
    """Each filter's values as the index holds them, in first-seen order, each with how a
    refusal shows it: a source with the title citations name it by, so a caller who sent
    the title finds the file name ("" shows the value itself)."""
    known: dict[str, dict[str, str]] = {name: {} for name in FILTER_NAMES}
    for chunk in chunks:
        title = chunk.document_title
        known["source"].setdefault(chunk.source, f"{chunk.source}（{title}）" if title else "")
        known["section"].setdefault(chunk.section or "", "")
        known["kind"].setdefault(chunk.kind, "")
        for label in chunk.answer_labels:
            known["label"].setdefault(label, "")
    return known


def _candidates(value: str, known: dict[str, str]) -> list[str]:
    """The known values to show for ``value``: those holding it (年金相談 → Ⅰ-７．年金相談),
    else all; labels in page order."""
    keys = [key for key in known if key]
    near = [key for key in keys if value and value in key]
    chosen = near or sorted(keys, key=_page_order)
    return [known[key] or key for key in chosen]


def _printable(value: str) -> str:
    """A value as a JSON error can hold it: a lone surrogate cannot be encoded."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _page_order(value: str) -> tuple[bool, str, list[int]]:
    """Plan-page labels first (what a caller most likely meant), then documents' own pages."""
    numbers = [int(number) for number in re.findall(r"\d+", value)]
    return not is_label(value), re.sub(r"\d+", "", value), numbers


def _listed(values: list[str], separator: str, more: str, unit: str) -> str:
    shown = separator.join(values[:SHOWN_VALUES])
    rest = len(values) - SHOWN_VALUES
    if rest <= 0:
        return shown
    return f"{shown} {more} {rest} {unit}" if unit == "more" else f"{shown}{more}{rest}{unit}"
