"""The answer report: Markdown tables against the targets, JSON, and a PNG chart by type."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eval.answers import AnswerReport

# name → (comparison, target): issue 13's targets (the review's), faithfulness our own.
TARGETS: dict[str, tuple[str, float]] = {
    "recall@5": (">=", 0.92),
    "fact_coverage": (">=", 0.80),
    "citation_precision": (">=", 0.90),
    "citation_recall": (">=", 0.85),
    "faithfulness": (">=", 0.98),
    "first_statement": (">=", 0.70),
    "false_declines": ("<=", 0.05),
    "unanswerable_declined": (">=", 0.85),
    "median_answer_chars": ("<=", 150),
}
# What each figure of the overall table is, for a reader of the report.
MEANINGS = {
    "recall@1": "some evidence string in the first context",
    "recall@5": "some evidence string in the first 5 contexts",
    "recall@10": "some evidence string in the first 10 contexts",
    "fact_coverage": "answer states every fact",
    "citation_precision": "cited labels in refs, on an evidence context, or not a plan page",
    "citation_recall": "share of refs cited",
    "faithfulness": "every number of the answer is in a cited passage",
    "first_statement": "first line, up to its first 【…】, states every fact",
    "false_declines": "answerable questions declined",
    "unanswerable_declined": "unanswerable questions declined",
    "median_answer_chars": "median length of the answers given, labels included",
}
# Columns of the per-type table and chart.
TYPE_COLUMNS = (
    "recall@5",
    "fact_coverage",
    "citation_precision",
    "citation_recall",
    "faithfulness",
    "first_statement",
    "declined",
    "decision",
)
WORST = 15


def _figure(value: float | None, name: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if name.endswith("_chars") else f"{value:.3f}"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", "<br>")


def overall_table(report: AnswerReport) -> str:
    """Markdown: each overall figure, its value, the target and pass/fail, and what it is."""
    lines = ["| metric | value | target | | what |", "|---|---|---|---|---|"]
    passes = report.passes()
    for name, value in report.overall().items():
        if name in TARGETS:
            op, target = TARGETS[name]
            goal = f"{op} {_figure(target, name)}"
        else:
            goal = "–"
        mark = {True: "pass", False: "**FAIL**", None: "n/a"}[passes[name]]
        lines.append(
            f"| {name} | {_figure(value, name)} | {goal} | {mark} | {MEANINGS.get(name, '')} |"
        )
    latency = report.latency()
    if latency:
        lines.append(
            f"\nlatency per question (sequential, {report.meta.get('target', '?')}): "
            f"p50 {latency['p50_ms']:.1f} ms, p95 {latency['p95_ms']:.1f} ms, "
            f"max {latency['max_ms']:.1f} ms"
        )
    return "\n".join(lines)


def type_table(report: AnswerReport) -> str:
    """Markdown: one line per question type (all first), the median answer length last."""
    columns = [*TYPE_COLUMNS, "median_answer_chars"]
    lines = ["| type | n | " + " | ".join(columns) + " |", "|---" * (len(columns) + 2) + "|"]
    for name, line in report.by_type().items():
        cells = " | ".join(_figure(line[c], c) for c in columns)
        lines.append(f"| {name} | {int(line['n'] or 0)} | {cells} |")
    return "\n".join(lines)


def worst_table(report: AnswerReport, count: int = WORST) -> str:
    metrics = TYPE_COLUMNS[:-2]
    lines = [
        "| id | type | answered | " + " | ".join(metrics) + " | missing facts | unsupported "
        "numbers | cited | answer |",
        "|---" * (len(metrics) + 7) + "|",
    ]
    for row in report.worst(count):
        scores = " | ".join(_figure(row.scores[m]) for m in metrics)
        answer = row.error or row.answer
        lines.append(
            f"| {row.id} | {row.type} | {'yes' if row.answered else 'no'} | {scores} | "
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
            "`declined`: share declined. `decision`: share answered when answerable, declined "
            "when not. `median_answer_chars`: over the answers given. `–`: the metric applies "
            "to no question of the type.",
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
    columns = list(TYPE_COLUMNS)
    figure = Figure(figsize=(11, 5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    width = 0.8 / len(columns)
    for i, metric in enumerate(columns):
        values = [math.nan if line[metric] is None else line[metric] for line in table.values()]
        xs = [x + (i - (len(columns) - 1) / 2) * width for x in range(len(table))]
        axes.bar(xs, values, width, label=metric)
    axes.set_xticks(range(len(table)), [f"{t}\n(n={int(v['n'] or 0)})" for t, v in table.items()])
    axes.set_ylim(0, 1.3)  # headroom above 1.0 for the legend
    axes.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    axes.set_ylabel("score")
    axes.set_title(f"planqa answers by question type ({report.meta.get('target', '')})")
    axes.legend(loc="upper center", fontsize="small", ncols=4)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, format="png")


def write_report(report: AnswerReport, out_dir: Path, name: str = "answers") -> list[Path]:
    """``{name}``.md, .json and .png under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md, js, png = (out_dir / f"{name}.{ext}" for ext in ("md", "json", "png"))
    md.write_text(markdown(report), encoding="utf-8")
    js.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    plot(report, png)
    return [md, js, png]
