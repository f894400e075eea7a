"""Caller words' query levers, each alone, on every labelled set: recall@5 / MRR@10 per set.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/caller_words.py \
        [--outside ../shared/eval/outside-questions.jsonl] [--synonyms FILE ...] [--out PATH]

Arms, against the index as built (its analysis, so the figure normaliser of
``question/numerals.py`` is in every arm; measure it by indexing with and without it):
the shipped settings; clipped loanwords off (``ExpansionConfig.clipped_loanwords``); and
the shipped settings with each synonyms file given (a wider SudachiDict selection:
``data/synonyms/select_groups.py`` over the full ``synonyms.txt``). The sets are
``bench/kanji_neighbours.labelled``'s: own dev, own fresh, outside, each training file.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from common.report import run_lines
from common.retrieval_runs import lexical_like, plan_searcher, recalls_per_lexical
from kanji_neighbours import labelled, set_masks
from results_out import add_out_option, publish

from eval.gold import OUTSIDE_SET
from index.glossary import Glossary
from index.lexical import LexicalSearcher
from planqa.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results" / "caller-words.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET, help="the outside set")
    parser.add_argument("--synonyms", type=Path, nargs="*", default=[], help="synonyms files")
    add_out_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    settings, _, searcher = plan_searcher()
    base = searcher.snapshot
    old = base.lexical
    groups, texts, questions = labelled(args.outside)

    def lexical(glossary: Glossary, clipped: bool) -> LexicalSearcher:
        expansion = dataclasses.replace(old.expansion, clipped_loanwords=clipped)
        return lexical_like(old, glossary=glossary, expansion=expansion)

    arms = [("shipped", old), ("clipped loanwords off", lexical(old.glossary, False))]
    for path in args.synonyms:
        glossary = Glossary.load(settings.paths.glossary, path)
        label = f"synonyms {path.name} ({len(glossary.word_groups)} groups)"
        arms.append((label, lexical(glossary, old.expansion.clipped_loanwords)))
    hit, rank = recalls_per_lexical(searcher, [arm for _, arm in arms], questions, texts)
    masks = set_masks(groups, questions)
    lines = [
        "## Query levers, each alone (recall@5 / MRR@10)",
        "",
        f"{len(groups)} answerable questions; index `{base.generation.name}`.",
        *run_lines(started),
        "",
        "| arm | " + " | ".join(masks) + " |",
        "|---" * (len(masks) + 1) + "|",
    ]
    for row, (label, _) in enumerate(arms):
        cells = " | ".join(
            f"{hit[row, m].mean():.3f} / {rank[row, m].mean():.3f}" for m in masks.values()
        )
        lines.append(f"| {label} | {cells} |")
    publish(lines, RESULTS, args.out, documented=False)


if __name__ == "__main__":
    main()
