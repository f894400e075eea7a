"""The answer half of the evaluation: ask every gold question through /ask and score it.

``ask`` is handed in: any async callable from a question and its history to the /ask JSON.
The CLI builds one over HTTP (``http_ask``) or over the in-process answer service, so this
package never imports the answer engine. Questions are asked one at a time: the latencies
are those of a single user, not of a loaded server (bench/api_bench.py measures that).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.answer_metrics import METRICS, decline_rates, score_answer
from eval.answer_report import TARGETS, WORST, overall_table, type_table, write_report
from eval.gold import GoldQuestion

if TYPE_CHECKING:
    import httpx

History = list[dict[str, str]]
Ask = Callable[[str, History], Awaitable[dict[str, Any]]]
"""``ask(question, history)`` → the /ask response JSON; ``history`` is /ask's field."""

DEFAULT_TOP_K = 10  # contexts per question: the review's setting, so recall@10 is measurable


class AnswerEvalError(RuntimeError):
    """The evaluation cannot run (no index, server unreachable, every question failed)."""


@dataclass
class AnswerRow:
    id: str
    type: str
    split: str
    answerable: bool
    answered: bool
    scores: dict[str, float | None]
    answer: str
    answer_chars: int
    cited_labels: list[str]
    missing_facts: list[str]
    unsupported_numbers: list[str]
    latency_ms: float
    history_turns: int = 0
    question_used: str = ""
    mode: str = ""
    error: str | None = None

    @property
    def decided_right(self) -> bool:
        """Answered an answerable question, or declined an unanswerable one."""
        return self.answered == self.answerable

    @property
    def first_statement_holds(self) -> bool | None:
        """Whether the answer's first statement states every fact (None: no facts)."""
        value = self.scores.get("first_statement")
        return None if value is None else value == 1.0

    @property
    def quality(self) -> float:
        """One figure to rank failures by: a wrong decision is 0, else the mean metric."""
        if not self.decided_right:
            return 0.0
        values = [v for v in self.scores.values() if v is not None]
        return statistics.fmean(values) if values else 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "first_statement_holds": self.first_statement_holds,
            "quality": self.quality,
        }


@dataclass
class AnswerReport:
    rows: list[AnswerRow]
    meta: dict[str, Any] = field(default_factory=dict)

    def by_type(self) -> dict[str, dict[str, float | None]]:
        """Per group (all, then each type): n, the mean of every metric (None where it applies
        to no question), the share declined, the share of right answer/decline decisions and
        the median length of the answers given."""
        groups: dict[str, list[AnswerRow]] = defaultdict(list)
        for row in self.rows:
            groups["all"].append(row)
            groups[row.type].append(row)
        table: dict[str, dict[str, float | None]] = {}
        for name in ["all", *sorted(t for t in groups if t != "all")]:
            rows = groups[name]
            line: dict[str, float | None] = {"n": len(rows)}
            for metric in METRICS:
                values = [r.scores[metric] for r in rows if r.scores[metric] is not None]
                line[metric] = statistics.fmean(values) if values else None
            line["declined"] = statistics.fmean(not r.answered for r in rows)
            line["decision"] = statistics.fmean(r.decided_right for r in rows)
            line["median_answer_chars"] = median_answer_chars(rows)
            table[name] = line
        return table

    def overall(self) -> dict[str, float | None]:
        """The figures the targets apply to, and the other recalls."""
        summary = self.by_type().get("all", {})
        declined, false_declines = decline_rates((r.answerable, r.answered) for r in self.rows)
        figures = {m: summary.get(m) for m in METRICS}
        figures["false_declines"] = false_declines
        figures["unanswerable_declined"] = declined
        figures["median_answer_chars"] = median_answer_chars(self.rows)
        return figures

    def latency(self) -> dict[str, float]:
        values = sorted(r.latency_ms for r in self.rows if r.error is None)
        if not values:
            return {}
        return {
            "p50_ms": statistics.median(values),
            "p95_ms": percentile(values, 0.95),
            "max_ms": values[-1],
        }

    def passes(self) -> dict[str, bool | None]:
        return {name: meets(value, name) for name, value in self.overall().items()}

    def worst(self, count: int = WORST) -> list[AnswerRow]:
        return sorted(self.rows, key=lambda r: (r.quality, r.id))[:count]

    def to_dict(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "overall": self.overall(),
            "targets": {n: {"op": op, "value": v} for n, (op, v) in TARGETS.items()},
            "passes": self.passes(),
            "by_type": self.by_type(),
            "latency": self.latency(),
            "questions": [r.to_dict() for r in self.rows],
        }


def median_answer_chars(rows: Sequence[AnswerRow]) -> float | None:
    """Median length in characters of the answers given (``answered``), as returned: labels,
    punctuation and line breaks included. Declines are left out."""
    lengths = [r.answer_chars for r in rows if r.answered]
    return float(statistics.median(lengths)) if lengths else None


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values (the convention of eval/retrieval)."""
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def meets(value: float | None, name: str) -> bool | None:
    if value is None or name not in TARGETS:
        return None
    op, target = TARGETS[name]
    return value >= target if op == ">=" else value <= target


# --- running ----------------------------------------------------------------------------
async def run_answer_eval(
    questions: Sequence[GoldQuestion], ask: Ask, *, warm_up: bool = True
) -> AnswerReport:
    """Ask each question once, in order, with its history, and score the answers.

    A question whose request fails is kept as a declined row carrying the error, so one bad
    request does not lose the run; if every request fails the run raises instead.
    """
    if warm_up and questions:
        # Loads lazy caches outside the timings; a failure here shows again in its row.
        with contextlib.suppress(Exception):
            await ask(questions[0].question, questions[0].history_messages())
    rows: list[AnswerRow] = []
    for question in questions:
        started = time.perf_counter()
        try:
            response = await ask(question.question, question.history_messages())
            error = None
        except Exception as failure:  # reported per question, see the docstring
            response = {"answer": "", "answered": False, "citations": [], "contexts": []}
            error = f"{type(failure).__name__}: {failure}"
        latency = (time.perf_counter() - started) * 1000
        scores = score_answer(response, question)
        rows.append(
            AnswerRow(
                id=question.id,
                type=question.type,
                split=question.split,
                answerable=question.answerable,
                answered=bool(response.get("answered")),
                scores=scores.metrics(),
                answer=response.get("answer", ""),
                answer_chars=scores.answer_chars,
                cited_labels=list(scores.cited_labels),
                missing_facts=list(scores.missing_facts),
                unsupported_numbers=list(scores.unsupported_numbers),
                latency_ms=latency,
                history_turns=len(question.history),
                question_used=response.get("question_used", ""),
                mode=response.get("mode", ""),
                error=error,
            )
        )
    if rows and all(r.error for r in rows):
        raise AnswerEvalError(f"every one of {len(rows)} questions failed: {rows[0].error}")
    return AnswerReport(rows)


@asynccontextmanager
async def http_ask(
    url: str,
    api_key: str | None = None,
    *,
    top_k: int = DEFAULT_TOP_K,
    timeout: float = 60.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[Ask]:
    """``ask`` over HTTP: POST {url}/ask with the question, its history and ``top_k``, on
    one pooled connection; checks /health first.

    ``transport`` is handed to ``httpx.AsyncClient`` (an ``httpx.ASGITransport`` serves an
    app without a socket)."""
    import httpx

    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    base = url.rstrip("/")
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=timeout, transport=transport
    ) as client:
        try:
            health = (await client.get("/health")).json()
        except (httpx.HTTPError, ValueError) as error:
            raise AnswerEvalError(f"cannot reach planqa at {base}: {error}") from error
        if not health.get("index_loaded"):
            raise AnswerEvalError(f"{base} has no index loaded; run 'planqa index' there")

        async def ask(question: str, history: History) -> dict[str, Any]:
            body = {"question": question, "history": history, "top_k": top_k}
            response = await client.post("/ask", json=body)
            if response.status_code != 200:
                raise AnswerEvalError(f"HTTP {response.status_code}: {response.text[:200]}")
            return response.json()

        yield ask


async def _evaluate(
    questions: Sequence[GoldQuestion], ask: Ask | AbstractAsyncContextManager[Ask]
) -> AnswerReport:
    if isinstance(ask, AbstractAsyncContextManager):
        async with ask as opened:
            return await run_answer_eval(questions, opened)
    return await run_answer_eval(questions, ask)


def main_answers(
    questions: Sequence[GoldQuestion],
    ask: Ask | AbstractAsyncContextManager[Ask],
    out_dir: Path,
    *,
    name: str = "answers",
    meta: dict[str, Any] | None = None,
    json_out: Path | None = None,
) -> AnswerReport:
    """Evaluate the answers to ``questions``, write ``{name}.md/.json/.png`` under
    ``out_dir`` (and the same JSON to ``json_out``) and print the overall table.

    ``ask`` is the /ask callable, or an async context manager yielding one (``http_ask``
    opens its connection for the run). Raises ``AnswerEvalError`` (server unreachable,
    every request failed) for the CLI to turn into ``click.ClickException``."""
    report = asyncio.run(_evaluate(questions, ask))
    report.meta = {
        **(meta or {}),
        "questions": len(questions),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    written = write_report(report, out_dir, name)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        written.append(json_out)
    print(overall_table(report))
    print()
    print(type_table(report))
    print("\nwrote " + ", ".join(str(p) for p in written))
    return report


__all__ = [
    "DEFAULT_TOP_K",
    "TARGETS",
    "Ask",
    "AnswerEvalError",
    "AnswerReport",
    "AnswerRow",
    "http_ask",
    "main_answers",
    "median_answer_chars",
    "run_answer_eval",
    "write_report",
]
