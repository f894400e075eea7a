"""Fit the kanji-sharing chiVe neighbour floor by grouped cross-validation.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/kanji_neighbours.py \
        [--outside ../shared/eval/outside-questions.jsonl] [--out PATH]

A caller says a thing with a native word (決まる, 確かめる, 難しい) where the plans write the
Sino-Japanese compound sharing its kanji (決定, 確認, 困難); chiVe puts such pairs at
0.5–0.7, below the neighbour floor, beside loose neighbours that share no kanji. The lever
(``ExpansionConfig.kanji_similarity``) lets a neighbour sharing a kanji count from a lower
similarity. Every answerable labelled question is searched with each floor of ``FLOORS``:
own dev and fresh test, the outside set (read by path), and each training file. The floor
is chosen leave-one-set-out (each set a group: the floor with the best recall@5, ties
MRR@10, then off, on the other sets, the own fresh test split never among them) and
scored on the set left out.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from common.report import machine
from common.retrieval_runs import plan_searcher, recalls_per_lexical, search_text
from results_out import add_out_option, publish

from eval.gold import GOLD_DIR, OUTSIDE_SET, load_gold
from index.glossary import Glossary
from index.lexical import ExpansionConfig, LexicalSearcher
from planqa.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results" / "kanji_neighbours.md"
FLOORS = (1.0, 0.65, 0.6, 0.55, 0.5, 0.45)
TRAIN_DIR = GOLD_DIR / "train"


def labelled(outside: Path) -> tuple[list[str], list[str], list[list[str]]]:
    """(group of each answerable question, its search text, its evidence)."""
    sets: list[tuple[str, Path, str | None]] = [
        ("own dev", GOLD_DIR, "dev"),
        ("own fresh", GOLD_DIR, "test"),
        ("outside", outside, None),
    ]
    sets += [(f"train {p.stem}", p, None) for p in sorted(TRAIN_DIR.glob("*.jsonl"))]
    groups, texts, evidence = [], [], []
    for name, path, split in sets:
        if not path.exists():
            continue
        for q in load_gold(path):
            if not q.answerable or (split and q.split != split):
                continue
            groups.append(name)
            texts.append(search_text(q))
            evidence.append(q)
    return groups, texts, evidence


def set_masks(groups: list[str], questions: list) -> dict[str, np.ndarray]:
    """Each table column's questions: every set (``labelled``'s groups) and the caller
    wording of all of them."""
    group = np.asarray(groups)
    paraphrase = np.asarray([q.type == "paraphrase" for q in questions])
    masks = {f"{g} (n={int((group == g).sum())})": group == g for g in dict.fromkeys(groups)}
    masks[f"caller wording, all sets (n={int(paraphrase.sum())})"] = paraphrase
    return masks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET, help="the outside set")
    parser.add_argument("--glossary", type=Path, help="another glossary, tried as more arms")
    add_out_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    settings, _, searcher = plan_searcher()
    base = searcher.snapshot
    groups, texts, questions = labelled(args.outside)
    arms = [(floor, None) for floor in FLOORS]
    if args.glossary:
        arms += [(1.0, args.glossary), (0.5, args.glossary)]
    lexicals = []
    old = base.lexical
    for floor, glossary_path in arms:
        expansion = ExpansionConfig(
            old.expansion.neighbour_weight, old.expansion.min_similarity,
            old.expansion.glossary_weight, kanji_similarity=floor,
        )  # fmt: skip
        lexicals.append(LexicalSearcher(
            old.analyzer, old.bm25, neighbours=old.neighbours, expansion=expansion,
            glossary=Glossary.load(glossary_path, settings.paths.synonyms)
            if glossary_path else old.glossary,
        ))  # fmt: skip
    hit, rank = recalls_per_lexical(searcher, lexicals, questions, texts)
    group = np.asarray(groups)
    names = list(dict.fromkeys(groups))
    masks = set_masks(groups, questions)
    lines = [
        "# Kanji-sharing chiVe neighbours: floor by leave-one-set-out CV",
        "",
        f"{len(groups)} answerable questions; index `{base.generation.name}`. "
        "Cells: recall@5 / MRR@10.",
        f"Machine: {machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"Wall time: {time.perf_counter() - started:.0f} s.",
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python {shlex.join(sys.argv)}`",
        "",
        "| floor | " + " | ".join(masks) + " |",
        "|---" * (len(masks) + 1) + "|",
    ]
    labels = [("off" if f >= 1 else str(f)) + (f" + {g.name}" if g else "") for f, g in arms]
    for row, label in enumerate(labels):
        cells = " | ".join(
            f"{hit[row, m].mean():.3f} / {rank[row, m].mean():.3f}" for m in masks.values()
        )
        lines.append(f"| {label} | {cells} |")
    held_hit = np.zeros(len(groups))
    held_rank = np.zeros(len(groups))
    picks = []
    for g in names:
        # The fresh test split is scored, never chosen on (eval/gold README).
        train = (group != g) & (group != "own fresh")
        score = [(hit[r, train].mean(), rank[r, train].mean(), r == 0) for r in range(len(arms))]
        best = max(range(len(arms)), key=lambda r: score[r])
        picks.append(f"{g}: {labels[best]}")
        held_hit[group == g] = hit[best, group == g]
        held_rank[group == g] = rank[best, group == g]
    chosen = group != "own fresh"
    final = max(
        range(len(arms)),
        key=lambda r: (hit[r, chosen].mean(), rank[r, chosen].mean(), r == 0),
    )
    lines += [
        "",
        "Leave-one-set-out: floor chosen on the other sets — " + "; ".join(picks) + ".",
        f"Chosen on every set but the own fresh split (the default): {labels[final]}.",
        "",
        "| held out | " + " | ".join(masks) + " |",
        "|---" * (len(masks) + 1) + "|",
        "| chosen on the other sets | "
        + " | ".join(
            f"{held_hit[m].mean():.3f} / {held_rank[m].mean():.3f}" for m in masks.values()
        )
        + " |",
        "| off | "
        + " | ".join(f"{hit[0, m].mean():.3f} / {rank[0, m].mean():.3f}" for m in masks.values())
        + " |",
    ]
    documented = args.outside.exists() and args.glossary is None
    publish(lines, RESULTS, args.out, documented)


if __name__ == "__main__":
    main()
