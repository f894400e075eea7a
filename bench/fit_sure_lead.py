"""Fit how sure the ranker must be of a lead stating what was asked before a one-part
question's lead is shown alone (answer/admission.py, ``sure_lead``), under cross-validation.

Every labelled question is answered in process with the shipped admission and, for each
share of a grid, the rule that when the question has one part, the lead holds the figure or
kind of answer asked and the ranker gives it at least that share of its probability, the
lead is shown alone (the decline still reads every statement admitted); off is the choice
the rule must beat. A share is chosen on a set of questions as the new-pages gain
is (bench/fit_new_pages.py): the most facts, then the most first statements holding every
fact, then the best citation precision, then the shortest median answer. Own dev, the
outside set and every training file (eval/gold/train/) pooled, 5 folds grouped by question,
3 seeds; the fresh test split only reported. The two newest training files (written blind,
eval/gold/train/uncovered.jsonl and written-2026-12-07c.jsonl) are reported on their own.
``--write`` saves the share into the shipped admission file with its provenance, the other
fields as they were.

    .venv/bin/python bench/fit_sure_lead.py [--outside ../shared/eval/outside-questions.jsonl]
        [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_admission import (  # noqa: E402
    FOLDS,
    SEEDS,
    Scored,
    _row,
    answer_all,
    cross_validate,
    summary,
)
from fit_new_pages import choose  # noqa: E402
from results_out import add_out_option, results_path, write_results  # noqa: E402

from answer.admission import DEFAULT_ADMISSION, Admission  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.gold import OUTSIDE_SET, TRAIN_DIR, GoldQuestion, load_gold  # noqa: E402
from planqa.settings import PROJECT_ROOT, Settings  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "sure_lead.md"
SHARES: tuple[float | None, ...] = (None, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)  # None: off
BLIND = ("uncovered.jsonl", "written-2026-12-07c.jsonl")  # reported on their own
FITTED = ("own dev", "outside", "own train")


def labelled_sets(outside: Path) -> dict[str, list[GoldQuestion]]:
    """Own dev, fresh test (reported only), outside, the earlier training files, and each
    blind-written training file on its own."""
    own = load_gold()
    sets = {
        "own dev": [q for q in own if q.split == "dev"],
        "fresh test": [q for q in own if q.split == "test"],
        "outside": load_gold(outside),
        "own train": [],
    }
    for file in sorted(TRAIN_DIR.glob("*.jsonl")):
        name = f"train {file.stem}" if file.name in BLIND else "own train"
        sets.setdefault(name, []).extend(load_gold(file))
    return sets


def _name(share: float | None) -> str:
    return "off" if share is None else f"lead alone at probability {share:g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    parser.add_argument("--write", action="store_true")
    add_out_option(parser)
    args = parser.parse_args()
    started = time.time()
    sets = labelled_sets(args.outside)
    service = build_service(Settings())
    shipped = service.selection.admission or Admission.within(None)
    table: dict[str, dict[float | None, list[Scored]]] = {name: {} for name in sets}
    for share in SHARES:
        service.selection.admission = replace(shipped, sure_lead=share)
        for name, questions in sets.items():
            table[name][share] = answer_all(service, questions)
        print(_name(share), "answered", flush=True)

    header = "| one-part question, lead stating what was asked | facts | first statement | cit. precision"
    header += " | cit. recall | median chars | false declines | unanswerable declined |\n"
    header += "|---|---|---|---|---|---|---|---|"
    lines = [
        "# How sure of a lead stating what was asked the ranker must be to show it alone "
        "(bench/fit_sure_lead.py)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "Each labelled question answered in process (top_k 10), with the shipped ranker, "
        "admission and clause cut; scored as `planqa eval answers` scores it. A row: when the "
        "question has one part, the lead holds the figure or kind of answer asked and the "
        "ranker gives it at least that share of its probability, the lead is shown alone.",
        "",
    ]
    for name in sets:
        lines += [f"## {name} ({len(sets[name])} questions)", "", header]
        lines += [_row(_name(s), summary(rows)) for s, rows in table[name].items()]
        lines.append("")

    fitted = [name for name in sets if name != "fresh test"]
    pooled = {s: [r for name in fitted for r in table[name][s]] for s in SHARES}
    groups = [f"{name}:{q.id}" for name in fitted for q in sets[name]]
    sources = [name for name in fitted for _ in sets[name]]
    held, chosen = cross_validate(pooled, groups, choose)
    lines += [
        f"## Cross-validated ({FOLDS} folds grouped by question, seeds {SEEDS}; "
        f"{', '.join(fitted)} pooled; each question at the share chosen without it)",
        "",
        header,
    ]
    for name in fitted:
        lines.append(_row(f"{name}, CV", summary([r for i, r in held if sources[i] == name])))
        lines.append(_row(f"{name}, off", summary(table[name][None])))
    lines.append(_row("pooled, CV", summary([r for _, r in held])))
    lines.append(_row("pooled, off", summary(pooled[None])))
    counts = {_name(s): chosen.count(s) for s in dict.fromkeys(chosen)}
    final = choose(pooled)
    lines += [
        "",
        f"Shares chosen across the {len(chosen)} folds: {counts}.",
        f"Chosen on {', '.join(fitted)} together: **{_name(final)}**.",
        "",
        "Command: `.venv/bin/python bench/fit_sure_lead.py --write`",
    ]
    # the results file documents the fitted data: only the run that writes them writes it
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, args.write))
    print("\n".join(lines))
    if args.write:
        saved = json.loads(DEFAULT_ADMISSION.read_text(encoding="utf-8"))
        saved.pop("sure_lead", None)
        saved.pop("sure_lead_provenance", None)
        if final is not None:
            saved["sure_lead"] = final
            saved["sure_lead_provenance"] = (
                f"bench/fit_sure_lead.py, {time.strftime('%Y-%m-%d', time.gmtime())}: share "
                "chosen on "
                + ", ".join(f"{name} ({len(sets[name])})" for name in fitted)
                + f" from {[s for s in SHARES if s is not None]} and off (most facts, then "
                "most first statements holding them, then the best citation precision, then "
                f"the shortest median answer); estimated by {FOLDS}-fold CV grouped by "
                f"question, seeds {SEEDS} (bench/results/sure_lead.md)"
            )
        DEFAULT_ADMISSION.write_text(
            json.dumps(saved, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print("wrote", DEFAULT_ADMISSION)
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
