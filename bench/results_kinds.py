"""The kinds of the results document's passages, slide by slide, and how a parser change moves them.

    python bench/results_kinds.py                       # one line per slide: its kinds in order
    python bench/results_kinds.py --write before.json   # keep them (run with PYTHONPATH at the base)
    python bench/results_kinds.py --compare before.json # slides whose kinds changed, and counts
    python bench/results_kinds.py --second-rows --compare before.json   # the rule that ships off

A passage's kind (plan_summary, result, fy_plan, fy_result, table, text) says which column
of the slide's table it stands in; the answer ranker and the plan ↔ results trace read it.
Parser changes split or merge passages, so the comparison goes line by line: each text line
of a slide carries the kind of the passage holding it, before and after, and a passage
counts as changed when any of its lines changed kind (or is new text).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from itertools import groupby
from pathlib import Path

from ingest.loaders import load_document
from ingest.parsers import results

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "data" / "plans" / "jps-3rd-midterm-fy2023-results.txt"


def passages(path: Path, second_rows: bool = results.SECOND_ROWS) -> list[dict]:
    """Every passage of the document: slide, first 資料 label, kind, text lines."""
    return [
        {
            "slide": c.page,
            "ref": c.refs[0] if c.refs else "",
            "kind": c.kind,
            "lines": c.text.split("\n"),
        }
        for c in results.parse(load_document(path), second_rows=second_rows)
    ]


def by_slide(rows: list[dict]) -> dict[int, list[dict]]:
    return {slide: list(group) for slide, group in groupby(rows, key=lambda r: r["slide"])}


def listing(rows: list[dict]) -> list[str]:
    return [
        f"s{slide} {group[0]['ref']}: {' '.join(r['kind'] for r in group)}"
        for slide, group in by_slide(rows).items()
    ]


def compare(before: list[dict], after: list[dict]) -> list[str]:
    old_slides = by_slide(before)
    out: list[str] = []
    changed_passages = 0
    moves: Counter[tuple[str, str]] = Counter()
    slides = 0
    for slide, group in by_slide(after).items():
        old_kind: dict[str, list[str]] = {}
        for row in old_slides.get(slide, []):
            for line in row["lines"]:
                old_kind.setdefault(line, []).append(row["kind"])
        changed_here = []
        for row in group:
            olds = [old_kind[line].pop(0) if old_kind.get(line) else None for line in row["lines"]]
            if any(old != row["kind"] for old in olds):
                changed_here.append(row)
                for old in olds:
                    if old != row["kind"]:
                        moves[(old or "(new)", row["kind"])] += 1
        if not changed_here:
            continue
        slides += 1
        changed_passages += len(changed_here)
        old_seq = " ".join(r["kind"] for r in old_slides.get(slide, []))
        out.append(f"s{slide} {group[0]['ref']}")
        out.append(f"  before: {old_seq}")
        out.append(f"  after:  {' '.join(r['kind'] for r in group)}")
        for row in changed_here:
            out.append(f"    -> {row['kind']}: {row['lines'][0][:40]}")
    out.append("")
    out.append(
        f"passages: {len(before)} before, {len(after)} after; {changed_passages} passages "
        f"on {slides} slides hold a line whose kind changed"
    )
    out.append("lines moved: " + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(moves.items())))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--document", type=Path, default=RESULTS)
    parser.add_argument("--write", type=Path, help="keep the passages as JSON")
    parser.add_argument("--compare", type=Path, help="passages kept by --write, to compare")
    parser.add_argument(
        "--second-rows",
        action="store_true",
        help="parse with a table's further rows given their own columns' kinds (off in the "
        "shipped parser: results.SECOND_ROWS)",
    )
    args = parser.parse_args()
    rows = passages(args.document, args.second_rows or results.SECOND_ROWS)
    if args.write:
        args.write.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        print("\n".join(compare(before, rows)))
    elif not args.write:
        print("\n".join(listing(rows)))


if __name__ == "__main__":
    main()
