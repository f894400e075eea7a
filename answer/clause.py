"""The answering clause: a long first statement cut to the clauses that state the asked
figure.

The plans write long sentences that chain what was done with what it came to
(…を実施し、…を行うとともに、削減額は1,234百万円となった): a caller asking how much hears
the figure first. When the question asks for a figure and the first statement is longer
than ``long_chars``, the statement (with ``every_statement``, each statement of the
answer: bench/results/clause.md) is cut to its clauses (split after 、) from the first to
the last one holding a figure of the asked kind, or a level stated as a floor or a ceiling
(``_LEVEL``), a figure the question itself gives aside (…は312か所で、何番目？ asks the
rank): still a verbatim run of the sentence, still cited with its passage's pages,
its citation quoting the whole sentence. The clause naming the figure's topic
(…の応答率は、) stays with it, and where the cut leaves out text of the sentence an ellipsis
(…) says so: nothing is written that the plans do not say. A follow-up is cut only when its own words ask
for a figure (answer/rank.py): the figure the turn before asked for was given then. A question
asking for no figure keeps the whole sentence: which clause answers "what is done" is not
something a figure can tell, and cutting by the question's words lost facts (measured:
bench/results/clause.md). The length is fitted (``bench/fit_clause.py``, grouped k-fold CV)
and kept as data (``data/answer/clause.json``); with no file nothing is cut.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from answer.extractive import Picked
from answer.figures import AskedFigure
from question.answer_type import DATE
from question.intent import STATED_PERIOD

DEFAULT_CLAUSE = Path(__file__).resolve().parents[1] / "data" / "answer" / "clause.json"
_CLAUSE_END = re.compile(r"(?<=、)")
# A level stated as a floor or a ceiling: a figure bounding a class (100人超規模の企業,
# 100人以下の事業所) says which ones the figures beside it count, and the plans state a
# target as a floor, with or without a number (70％以上, 前年度の実績以上). Neither is the
# asked figure (answer/figures.py gives a bound no figure bonus), but a count cut loose
# from its bound counts something else, and a target's floor is what a question on the
# level asks: the cut keeps such a clause with the figures.
_LEVEL = re.compile(r"以上|以下|未満|超")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# A clause that only names a topic (…の応答率は、 / …の調査では、) says what the figure in the
# next clause measures: a cut that kept the figure and dropped it quoted 76.8％ of nothing.
_TOPIC = re.compile(r"(?:は|では|には|とは|については|においては)、$")
ELLIPSIS = "…"  # where a cut statement leaves out the rest of its sentence


@dataclass(frozen=True)
class ClauseCut:
    """Cut a first statement longer than ``long_chars`` to the clauses of the asked figure;
    with ``every_statement``, each further statement too (a statement admitted for the
    figure it adds is read for that figure as the first is)."""

    long_chars: int
    provenance: str = ""
    every_statement: bool = False

    @classmethod
    def load(cls, path: Path | None = DEFAULT_CLAUSE) -> ClauseCut | None:
        """The fitted cut saved at ``path``; None when there is none (nothing is cut)."""
        if path is None or not Path(path).is_file():
            return None
        saved = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            int(saved["long_chars"]),
            saved.get("provenance", ""),
            bool(saved.get("every_statement", False)),
        )

    def clause(self, shown: str, figure: AskedFigure | None, question: str = "") -> str:
        """``shown``, or the run of its clauses that states the asked figure; a figure
        ``question`` itself states is given, not asked (…は312か所で、何番目？)."""
        if figure is None or len(shown) <= self.long_chars:
            return shown
        given = _numbers(question)
        clauses = _CLAUSE_END.split(shown)
        holding = [i for i, clause in enumerate(clauses) if _states(clause, figure, given)]
        if not holding:
            return shown
        holding += [i for i, clause in enumerate(clauses) if _LEVEL.search(clause)]
        start, end = min(holding), max(holding)
        while start > 0 and _TOPIC.search(clauses[start - 1]):
            start -= 1  # the figure's topic, split off by its comma: what the figure measures
        run = "".join(clauses[start : end + 1])
        # An elision is marked, never written over: a clause cut at its comma does not end
        # the sentence, so no 。 stands for the 、 it ended with.
        if end < len(clauses) - 1:
            run = run.removesuffix("、") + ELLIPSIS
        return (ELLIPSIS if start > 0 else "") + run

    def lead(
        self, picked: list[Picked], figure: AskedFigure | None, question: str = ""
    ) -> list[Picked]:
        """``picked`` with its first statement (every statement, with
        ``every_statement``) cut to the answering clauses."""
        if not picked:
            return picked
        if self.every_statement:
            return [replace(p, shown=self.clause(p.shown, figure, question)) for p in picked]
        first = picked[0]
        shown = self.clause(first.shown, figure, question)
        if shown == first.shown:
            return picked
        return [replace(first, shown=shown), *picked[1:]]


def _numbers(text: str) -> frozenset[str]:
    """The numbers ``text`` writes (NFKC, thousands separators dropped)."""
    plain = unicodedata.normalize("NFKC", text)
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(plain))


def _states(text: str, figure: AskedFigure, given: frozenset[str] = frozenset()) -> bool:
    """Whether ``text`` states a figure of the asked kind that is not ``given``, a date
    aside unless one is asked."""
    plain = unicodedata.normalize("NFKC", text)
    if figure.pattern is not STATED_PERIOD:
        plain = DATE.sub(" ", plain)  # a date says when, not how much
    return any(not _numbers(found.group(0)) <= given for found in figure.pattern.finditer(plain))
