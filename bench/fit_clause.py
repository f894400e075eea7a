"""Fit the clause cut (answer/clause.py) and report it under cross-validation.

Every labelled question is answered in process with the first statement, or every
statement, cut at each length of a grid, and uncut, the choice a cut must beat; each answer
is scored as the eval scores it. A setting is chosen on a set of questions by: the most
facts, then the most first statements holding every fact (a cut must never lose a fact),
then the best citation precision, then the shortest median answer. Cross-validation: own
dev, the outside set and the training questions pooled, 5 folds grouped by question, 3
seeds (bench/common/folds.py); the fresh test split only reported.

    .venv/bin/python bench/fit_clause.py [--outside ../shared/eval/outside-questions.jsonl]
        [--write]
"""

from __future__ import annotations

import json
import time

from common.answer_runs import MOST_FACTS_RULE, chosen_on, estimated, header, labelled_sets
from common.grid_fit import GridFit
from common.options import fitter_options

from answer.clause import DEFAULT_CLAUSE, ClauseCut
from api.app import build_service
from planqa.settings import PROJECT_ROOT, Settings

LENGTHS: tuple[int | None, ...] = (None, 40, 60, 80, 100, 150, 200)  # None: never cut
# A setting: the length, and whether every statement is cut (else the first alone).
Setting = tuple[int | None, bool]
SETTINGS: tuple[Setting, ...] = ((None, False),) + tuple(
    (n, every) for every in (False, True) for n in LENGTHS if n is not None
)


def _name(setting: Setting) -> str:
    length, every = setting
    if length is None:
        return "uncut"
    return f"{'every statement' if every else 'first statement'} cut past {length} chars"


# The questions written to fit the answer stage (eval/gold/train/) join when present.
FIT = GridFit(
    script="fit_clause.py",
    results=PROJECT_ROOT / "bench" / "results" / "clause.md",
    title="# Clause cut of the first statement (bench/fit_clause.py)",
    about="Each labelled question answered in process (top_k 10), with the shipped ranker and "
    "admission; scored as `planqa eval answers` scores it.",
    head=header("cut", first_statement="first statement holds"),
    settings=SETTINGS,
    name=_name,
    off=(None, False),
    noun="setting",
    plural="Settings",
)


def main() -> None:
    args = fitter_options(__doc__)
    started = time.time()
    sets = labelled_sets(args.outside)
    service = build_service(Settings())

    def apply(setting: Setting) -> None:
        length, every = setting
        cut = None if length is None else ClauseCut(length, every_statement=every)
        service.selection.clause_cut = cut

    chosen = FIT.run(args, service, sets, apply)
    final = chosen.setting
    if args.write:
        if final[0] is None:
            DEFAULT_CLAUSE.unlink(missing_ok=True)
            print("no cut chosen: removed", DEFAULT_CLAUSE)
        else:
            provenance = (
                chosen_on("fit_clause.py", "length", sets, chosen.fitted)
                + f" from {[n for n in LENGTHS if n is not None]}, the first statement or "
                f"every statement cut ({MOST_FACTS_RULE}); " + estimated("clause.md")
            )
            saved = {"long_chars": final[0], "every_statement": final[1]}
            DEFAULT_CLAUSE.write_text(
                json.dumps(saved | {"provenance": provenance}, ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
            print("wrote", DEFAULT_CLAUSE)
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
