"""The answer report: Markdown tables against the targets, JSON, and a PNG chart by type."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

from eval.answer_metrics import METRICS

if TYPE_CHECKING:
    from eval.answers import AnswerReport

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
