"""Conditioned admission rules for one-part questions, measured end to end (none shipped).

Each variant adds one rule in front of the shipped admission (answer/admission.py) for a
question with one part (not two parts, not both sides of a comparison): a cap on the
statements, a tighter ranker margin, no further statement when the ranker is sure of the
lead (every further statement, or only those citing new pages, or only those adding no
compound, figure or kind of answer), no further statement adding none of those when the lead
already holds the asked figure or kind. Every labelled set is answered at each variant and
scored as `planqa eval answers` scores it; the variant is chosen under grouped k-fold CV over
own dev, outside and every training file pooled, as bench/fit_sure_lead.py chooses (most
facts, then first statements, then citation precision, then the shortest median answer).
The rules live here only: a variant that passed would move into answer/admission.py as a
fitted field.

    .venv/bin/python bench/admission_variants.py [--outside PATH] [--out PATH]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from common.answer_runs import (
    BLIND_TRAIN,
    Pooled,
    answer_at_each,
    header,
    labelled_sets,
    machine_line,
    most_facts,
    row,
    set_tables,
    summary,
)
from common.folds import FOLDS, SEEDS
from common.options import fitter_options
from results_out import results_path, write_results

from answer.admission import Admission
from answer.further import Further
from api.app import build_service
from planqa.settings import PROJECT_ROOT, Settings

RESULTS = PROJECT_ROOT / "bench" / "results" / "admission_variants.md"
Drops = Callable[[Further], bool]


def _adds_nothing(f: Mapping[str, float]) -> bool:
    return not (f.get("new_figure") or f.get("new_kind") or f.get("new_compounds"))


def _cap(n: int) -> Drops:
    return lambda x: len(x.before) >= n


def _margin(m: float) -> Drops:
    return lambda x: x.features["ranker_margin"] > m


def _sure(share: float, *, new_pages_only: bool, adds_nothing_only: bool) -> Drops:
    def drops(x: Further) -> bool:
        f = x.features
        return (
            f.get("lead_probability", 0.0) >= share
            and (not new_pages_only or bool(f.get("new_pages")))
            and (not adds_nothing_only or _adds_nothing(f))
        )

    return drops


def _lead_holds_kind(*, new_pages_only: bool, or_new_pages: bool = False) -> Drops:
    def drops(x: Further) -> bool:
        f = x.features
        if not (f.get("lead_has_figure") or f.get("lead_has_kind")):
            return False
        if or_new_pages and f.get("new_pages"):
            return True
        return _adds_nothing(f) and (not new_pages_only or bool(f.get("new_pages")))

    return drops


VARIANTS: dict[str, Drops | None] = {
    "shipped": None,
    **{f"at most {n} statements": _cap(n) for n in (1, 2, 3)},
    **{f"ranker margin {m:g}": _margin(m) for m in (1.0, 2.0, 3.0)},
    **{
        f"lead probability >= {s:g}, every further": _sure(
            s, new_pages_only=False, adds_nothing_only=False
        )
        for s in (0.5, 0.7, 0.9)
    },
    **{
        f"lead probability >= {s:g}, adding no compound/figure/kind": _sure(
            s, new_pages_only=False, adds_nothing_only=True
        )
        for s in (0.0, 0.5, 0.7)
    },
    **{
        f"lead probability >= {s:g}, new pages adding no compound/figure/kind": _sure(
            s, new_pages_only=True, adds_nothing_only=True
        )
        for s in (0.0, 0.5, 0.7)
    },
    "lead holds the asked figure/kind, further adding none": _lead_holds_kind(new_pages_only=False),
    "lead holds the asked figure/kind, new pages adding none": _lead_holds_kind(
        new_pages_only=True
    ),
    "lead holds the asked figure/kind, further adding none or citing new pages": (
        _lead_holds_kind(new_pages_only=False, or_new_pages=True)
    ),
}


@dataclass(frozen=True)
class _Conditioned(Admission):
    """The shipped admission with one more rule for one-part questions."""

    drops: Drops | None = None

    @property
    def reads_features(self) -> bool:
        return True

    def admits(self, further: Further) -> bool:
        one_part = not further.features.get("multi_part")
        if self.drops is not None and one_part and self.drops(further):
            return False
        return super().admits(further)


def main() -> None:
    args = fitter_options(__doc__, write=False)
    started = time.time()
    sets = labelled_sets(args.outside, apart=BLIND_TRAIN)
    service = build_service(Settings())
    shipped = service.selection.admission or Admission.within(None)
    base = {k: getattr(shipped, k) for k in Admission.__dataclass_fields__}

    def apply(variant: str) -> None:
        service.selection.admission = _Conditioned(**base, drops=VARIANTS[variant])

    table = answer_at_each(service, sets, VARIANTS, apply, str)
    service.selection.admission = replace(shipped)

    head = header("one-part questions")
    lines = [
        "# Conditioned admission rules for one-part questions (bench/admission_variants.py)",
        "",
        machine_line() + "Each labelled question answered in process (top_k 10) with the "
        "shipped ranker, admission and clause cut, and the row's rule in front for one-part "
        "questions.",
        "",
        *set_tables(sets, table, str, head),
    ]
    fitted = tuple(name for name in sets if name != "fresh test")
    cv = Pooled.of(sets, table, fitted, most_facts)
    lines += [
        f"## Cross-validated ({FOLDS} folds grouped by question, seeds {SEEDS}; "
        f"{', '.join(fitted)} pooled)",
        "",
        head,
        row("pooled, CV", summary([r for _, r in cv.held])),
        row("pooled, shipped", summary(cv.table["shipped"])),
        "",
        f"Variants chosen across the {len(cv.chosen)} folds: {cv.counts(str)}.",
        "",
        "Command: `.venv/bin/python bench/admission_variants.py --out "
        "bench/results/admission_variants.md`",
    ]
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, False))
    print("\n".join(lines))
    print(f"{time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
