"""The answer half of the evaluation: ask every gold question through /ask and score it.

``ask`` is any async callable from a question to the /ask JSON, so one runner measures the
service in-process (``service_ask``) or a deployed server over HTTP (``http_ask``). Questions
are asked one at a time: the latencies are those of a single user, not of a loaded server
(bench/api_bench.py measures that).
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.answer_metrics import METRICS, decline_rates, score_answer
from eval.answer_report import TARGETS, WORST, overall_table, write_report
from eval.gold import GoldQuestion, load_gold
from planqa.settings import Settings

if TYPE_CHECKING:
    import httpx

    from api.answer import AnswerService
    from index.encoders import Encoder

Ask = Callable[[str], Awaitable[dict[str, Any]]]


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
    cited_labels: list[str]
    missing_facts: list[str]
    unsupported_numbers: list[str]
    latency_ms: float
    mode: str = ""
    error: str | None = None

    @property
    def decided_right(self) -> bool:
        """Answered an answerable question, or declined an unanswerable one."""
        return self.answered == self.answerable

    @property
    def quality(self) -> float:
        """One figure to rank failures by: a wrong decision is 0, else the mean metric."""
        if not self.decided_right:
            return 0.0
        values = [v for v in self.scores.values() if v is not None]
        return statistics.fmean(values) if values else 1.0


@dataclass
class AnswerReport:
    rows: list[AnswerRow]
    meta: dict[str, Any] = field(default_factory=dict)

    def by_type(self) -> dict[str, dict[str, float | None]]:
        """Mean of every metric (None where it applies to no question), overall and per type,
        with the share of right answer/decline decisions."""
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
            line["decision"] = statistics.fmean(r.decided_right for r in rows) if rows else None
            table[name] = line
        return table

    def overall(self) -> dict[str, float | None]:
        """The figures the targets apply to."""
        summary = self.by_type().get("all", {})
        declined, false_declines = decline_rates((r.answerable, r.answered) for r in self.rows)
        figures = {m: summary.get(m) for m in METRICS}
        figures["unanswerable_declined"] = declined
        figures["false_declines"] = false_declines
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
            "questions": [asdict(r) | {"quality": r.quality} for r in self.rows],
        }


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
    """Ask each question once, in order, and score the answers.

    A question whose request fails is kept as a declined row carrying the error, so one bad
    request does not lose the run; if every request fails the run raises instead.
    """
    if warm_up and questions:
        # Loads lazy caches outside the timings; a failure here shows again in its row.
        with contextlib.suppress(Exception):
            await ask(questions[0].question)
    rows: list[AnswerRow] = []
    for question in questions:
        started = time.perf_counter()
        try:
            response = await ask(question.question)
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
                cited_labels=list(scores.cited_labels),
                missing_facts=list(scores.missing_facts),
                unsupported_numbers=list(scores.unsupported_numbers),
                latency_ms=latency,
                mode=response.get("mode", ""),
                error=error,
            )
        )
    if rows and all(r.error for r in rows):
        raise AnswerEvalError(f"every one of {len(rows)} questions failed: {rows[0].error}")
    return AnswerReport(rows)


def service_ask(service: AnswerService) -> Ask:
    """``ask`` over an in-process ``api.answer.AnswerService``."""
    from api.schemas import AskRequest

    async def ask(question: str) -> dict[str, Any]:
        return (await service.answer(AskRequest(question=question))).model_dump()

    return ask


@asynccontextmanager
async def http_ask(
    url: str,
    api_key: str | None = None,
    timeout: float = 60.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[Ask]:
    """``ask`` over HTTP: POST {url}/ask on one pooled connection; checks /health first.

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

        async def ask(question: str) -> dict[str, Any]:
            response = await client.post("/ask", json={"question": question})
            if response.status_code != 200:
                raise AnswerEvalError(f"HTTP {response.status_code}: {response.text[:200]}")
            return response.json()

        yield ask


async def _run(
    settings: Settings,
    url: str | None,
    questions: Sequence[GoldQuestion],
    encoder: Encoder | None,
) -> AnswerReport:
    if url:
        key = settings.api.api_key.get_secret_value() if settings.api.api_key else None
        async with http_ask(url, key) as ask:
            return await run_answer_eval(questions, ask)
    from api.app import build_service

    service = build_service(settings, encoder)
    if service.live.searcher is None:
        raise AnswerEvalError(
            f"no index under {settings.paths.index_dir}; run 'planqa index' first"
        )
    return await run_answer_eval(questions, service_ask(service))


def main_answers(
    settings: Settings,
    url: str | None,
    split: str,
    out_dir: Path,
    *,
    questions: Sequence[GoldQuestion] | None = None,
    encoder: Encoder | None = None,
) -> AnswerReport:
    """Evaluate answers (in-process, or against ``url``), write answers.md/.json/.png to
    ``out_dir`` and print the overall table. ``questions`` replaces the gold split and
    ``encoder`` the one built from settings (tests pass both).

    Raises ``AnswerEvalError`` (no index, server unreachable, every request failed) and, in
    process, ``EncoderMismatchError`` from ``build_service``: both are for the CLI to turn
    into ``click.ClickException``."""
    chosen = list(questions) if questions is not None else load_gold(split=split)
    report = asyncio.run(_run(settings, url, chosen, encoder))
    report.meta = {
        "target": url or "in-process",
        "split": split if questions is None else "custom",
        "questions": len(chosen),
        "encoder": settings.embedding.backend,
        "llm": settings.llm.model if settings.llm.enabled and not url else None,
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    written = write_report(report, out_dir)
    print(overall_table(report))
    print("\nwrote " + ", ".join(str(p) for p in written))
    return report


__all__ = [
    "AnswerEvalError",
    "AnswerReport",
    "AnswerRow",
    "TARGETS",
    "http_ask",
    "main_answers",
    "run_answer_eval",
    "service_ask",
    "write_report",
]
