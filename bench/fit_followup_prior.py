"""Fit the follow-up prior (answer/followup_prior.py) and report it under cross-validation.

Every training follow-up (eval/gold/train/: the follow-ups of the blind set
written-2026-12-07c.jsonl and followups.jsonl) is answered in process for each pair of
weights of a grid: what a sentence gains on the ranker's scale when its passage is one the
last answer quoted, and when it is under the last answer's labels; (0, 0) is the answer
without the prior. A pair is chosen on a set of questions by the most facts, then the most
first statements holding every fact, then the best citation precision, then the smallest
weights. 5 folds grouped by conversation (the history's first user turn), 3 seeds: each
question is scored at the pair chosen on the folds without it. ``--write`` saves the pair
chosen on all of them, with its provenance, to data/answer/followup_prior.json.

    .venv/bin/python bench/fit_followup_prior.py [--write]
"""

from __future__ import annotations

import argparse
import collections
import json
import platform
import time

from common.answer_runs import Scored, answer_all, row, summary
from common.folds import cross_validate

from answer.followup_prior import DEFAULT_MODEL, FollowupPrior
from api.app import build_service
from eval.gold import GoldQuestion, load_gold
from planqa.settings import PROJECT_ROOT, Settings

RESULTS = PROJECT_ROOT / "bench" / "results" / "followup_prior.md"
TRAIN = PROJECT_ROOT / "eval" / "gold" / "train"
SETS = ("written-2026-12-07c.jsonl", "followups.jsonl")
QUOTED = (0.0, 0.5, 1.0, 2.0, 3.0)
PAGE = (0.0, 0.5, 1.0, 2.0)
READ = (False, True)
Pair = tuple[float, float, bool]


def followups() -> list[GoldQuestion]:
    """The training follow-ups: every question with a history."""
    return [q for name in SETS for q in load_gold(TRAIN / name) if q.history]


def conversation(question: GoldQuestion) -> str:
    """The group of a question: the first user turn of its conversation."""
    first = next((t for t in question.history_messages() if t.get("role") == "user"), {})
    return str(first.get("content", question.id))


def choose(by_pair: dict[Pair, list[Scored]]) -> Pair:
    figures = {pair: summary(rows) for pair, rows in by_pair.items()}
    return max(
        figures,
        key=lambda p: (
            figures[p]["F"],
            figures[p]["1st"],
            figures[p]["P"],
            -p[2],
            -p[0] - p[1],
            -p[1],
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="save the pair chosen on all")
    args = parser.parse_args()
    started = time.time()
    service = build_service(Settings())
    questions = followups()
    groups = [conversation(q) for q in questions]
    table: dict[Pair, list[Scored]] = {}
    for quoted in QUOTED:
        for page in PAGE:
            for read in READ:
                service.selection.followup_prior = FollowupPrior(quoted, page, read)
                table[(quoted, page, read)] = answer_all(service, questions)
                print((quoted, page, read), summary(table[(quoted, page, read)]), flush=True)
    held, chosen = cross_validate(table, groups, choose)
    by_question: dict[int, list[Scored]] = collections.defaultdict(list)
    for index, scored in held:
        by_question[index].append(scored)
    cv_rows = [scored for rows in by_question.values() for scored in rows]
    off = summary(table[(0.0, 0.0, False)])
    cv = summary(cv_rows)
    whole = choose(table)
    counts = collections.Counter(chosen)
    lines = [
        "# Follow-up prior (answer/followup_prior.py)",
        "",
        f"`bench/fit_followup_prior.py`, {len(questions)} training follow-ups "
        f"({', '.join(SETS)}), {len(set(groups))} conversations; {platform.node()}, "
        f"{time.time() - started:.0f} s.",
        "",
        "| setting | F | 1st | P | R | len | FD | UD |",
        "|---|---|---|---|---|---|---|---|",
        row("off (0, 0, False)", off),
        row("under CV (5 folds by conversation, 3 seeds)", cv),
        row(f"chosen on all {whole}", summary(table[whole])),
        "",
        "Settings (quoted, page, read_page) chosen in the 15 folds: "
        + ", ".join(f"{pair} ×{n}" for pair, n in counts.most_common()),
        "",
        "Every pair in sample:",
        "",
        "| (quoted, page, read_page) | F | 1st | P | R | len | FD | UD |",
        "|---|---|---|---|---|---|---|---|",
        *(row(str(pair), summary(rows)) for pair, rows in table.items()),
    ]
    print("\n".join(lines))
    if args.write:
        RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
        stored = {
            "quoted": whole[0],
            "page": whole[1],
            "read_page": whole[2],
            "provenance": (
                f"bench/fit_followup_prior.py, {time.strftime('%Y-%m-%d')}: chosen on "
                f"{len(questions)} training follow-ups ({', '.join(SETS)}) from quoted "
                f"{QUOTED} x page {PAGE} x read_page {READ} (most facts, then first statements, then citation "
                f"precision, then the smallest weights); under 5-fold CV grouped by "
                f"conversation, seeds 0-2: F {off['F']:.3f} -> {cv['F']:.3f}, 1st "
                f"{off['1st']:.3f} -> {cv['1st']:.3f} (bench/results/followup_prior.md)"
            ),
        }
        DEFAULT_MODEL.write_text(
            json.dumps(stored, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
