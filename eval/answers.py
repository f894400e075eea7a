"""The answer half of the evaluation: ask every gold question through /ask and score it.

``ask`` is any async callable from a question to the /ask JSON, so one runner measures the
service in-process (``service_ask``) or a deployed server over HTTP (``http_ask``). Questions
are asked one at a time: the latencies are those of a single user, not of a loaded server
(bench/api_bench.py measures that).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import statistics
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.answer_metrics import METRICS, decline_rates, score_answer
from eval.gold import GoldQuestion, load_gold
from planqa.settings import Settings

if TYPE_CHECKING:
    import httpx

    from api.answer import AnswerService
    from index.encoders import Encoder

Ask = Callable[[str], Awaitable[dict[str, Any]]]

# name → (comparison, target); decline figures sit beside the four answer metrics.
TARGETS: dict[str, tuple[str, float]] = {
    "fact_coverage": (">=", 0.85),
    "citation_precision": (">=", 0.95),
    "citation_recall": (">=", 0.85),
    "faithfulness": (">=", 0.98),
    "unanswerable_declined": (">=", 0.80),
    "false_declines": ("<=", 0.05),
}
WORST = 15


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


# --- report -----------------------------------------------------------------------------
def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", "<br>")


def overall_table(report: AnswerReport) -> str:
    """Markdown: each target figure, its value, the target and pass/fail."""
    lines = ["| metric | value | target | |", "|---|---|---|---|"]
    passes = report.passes()
    for name, value in report.overall().items():
        op, target = TARGETS[name]
        mark = {True: "pass", False: "**FAIL**", None: "n/a"}[passes[name]]
        lines.append(f"| {name} | {_figure(value)} | {op} {target:.2f} | {mark} |")
    latency = report.latency()
    if latency:
        lines.append(
            f"\nlatency per question (sequential, {report.meta.get('target', '?')}): "
            f"p50 {latency['p50_ms']:.1f} ms, p95 {latency['p95_ms']:.1f} ms, "
            f"max {latency['max_ms']:.1f} ms"
        )
    return "\n".join(lines)


def type_table(report: AnswerReport) -> str:
    columns = [*METRICS, "decision"]
    lines = ["| type | n | " + " | ".join(columns) + " |", "|---" * (len(columns) + 2) + "|"]
    for name, line in report.by_type().items():
        cells = " | ".join(_figure(line[c]) for c in columns)
        lines.append(f"| {name} | {int(line['n'] or 0)} | {cells} |")
    return "\n".join(lines)


def worst_table(report: AnswerReport, count: int = WORST) -> str:
    lines = [
        "| id | type | answered | " + " | ".join(METRICS) + " | missing facts | unsupported "
        "numbers | cited | answer |",
        "|---" * (len(METRICS) + 7) + "|",
    ]
    for row in report.worst(count):
        metrics = " | ".join(_figure(row.scores[m]) for m in METRICS)
        answer = row.error or row.answer
        lines.append(
            f"| {row.id} | {row.type} | {'yes' if row.answered else 'no'} | {metrics} | "
            f"{_cell('、'.join(row.missing_facts))} | {', '.join(row.unsupported_numbers)} | "
            f"{_cell(', '.join(row.cited_labels))} | {_cell(answer)} |"
        )
    return "\n".join(lines)


def markdown(report: AnswerReport) -> str:
    meta = ", ".join(f"{k}: {v}" for k, v in report.meta.items() if v is not None)
    errors = sum(r.error is not None for r in report.rows)
    return "\n".join(
        [
            "# Answer evaluation",
            "",
            meta + (f", **{errors} failed requests**" if errors else ""),
            "",
            "## Overall against targets",
            "",
            overall_table(report),
            "",
            "## Per question type",
            "",
            "`decision`: share answered when answerable, declined when not. "
            "`–`: the metric applies to no question of the type.",
            "",
            type_table(report),
            "",
            f"## The {WORST} weakest answers",
            "",
            worst_table(report),
            "",
        ]
    )


def plot(report: AnswerReport, path: Path) -> None:
    """Grouped bars: one group per question type, one bar per metric (ASCII labels only)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    table = report.by_type()
    columns = [*METRICS, "decision"]
    figure = Figure(figsize=(11, 5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    width = 0.8 / len(columns)
    for i, metric in enumerate(columns):
        values = [math.nan if line[metric] is None else line[metric] for line in table.values()]
        xs = [x + (i - (len(columns) - 1) / 2) * width for x in range(len(table))]
        axes.bar(xs, values, width, label=metric)
    axes.set_xticks(range(len(table)), [f"{t}\n(n={int(v['n'] or 0)})" for t, v in table.items()])
    axes.set_ylim(0, 1.22)  # headroom above 1.0 for the legend
    axes.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    axes.set_ylabel("score")
    axes.set_title(f"planqa answers by question type ({report.meta.get('target', '')})")
    axes.legend(loc="upper center", fontsize="small", ncols=len(columns))
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, format="png")


def write_report(report: AnswerReport, out_dir: Path) -> list[Path]:
    """answers.md, answers.json and answers.png under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md, js, png = (out_dir / f"answers.{ext}" for ext in ("md", "json", "png"))
    md.write_text(markdown(report), encoding="utf-8")
    js.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    plot(report, png)
    return [md, js, png]


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
