"""One setting of one grid chosen end to end: the run the one-grid answer fitters share.

bench/fit_clause.py, fit_new_pages.py and fit_sure_lead.py each answer every labelled set at
every setting of a grid, print a table per set, choose a setting on every set but the fresh
test split pooled (``most_facts`` under grouped CV, common/answer_runs.py ``Pooled``) and
report that choice beside the setting it must beat. That run is here once; each fitter keeps
what is its own: the grid, how a setting is put on the service, the report's words and what
``--write`` saves. Where the setting is one field of the shipped admission (fit_new_pages,
fit_sure_lead), ``fit_admission_field`` is the fitter's whole run.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Generic, TypeVar

from results_out import results_path, write_results

from answer.admission import Admission
from api.app import build_service
from common.answer_runs import (
    MOST_FACTS_RULE,
    Pooled,
    answer_at_each,
    chosen_on,
    estimated,
    labelled_sets,
    machine_line,
    most_facts,
    row,
    set_tables,
    summary,
    write_admission_field,
)
from common.options import fitter_options
from eval.gold import GoldQuestion
from planqa.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Chosen(Generic[T]):
    """The setting chosen on the fitted sets together, and those sets."""

    setting: T
    fitted: tuple[str, ...]


@dataclass(frozen=True)
class GridFit(Generic[T]):
    """One grid a fitter chooses from, and the words of its report."""

    script: str  # the fitter's file name under bench/, as its command line names it
    results: Path  # the tracked results file a writing run replaces
    title: str  # the report's heading
    about: str  # after the machine line: how each question was answered
    head: str  # the header of every table (common/answer_runs.py ``header``)
    settings: Sequence[T]
    name: Callable[[T], str]
    off: T  # the setting a choice must beat, shown beside each cross-validated row
    noun: str  # what each fold chooses ("gain"), in the cross-validated table's heading
    plural: str  # the same, opening the line of the folds' choices ("Gains")
    pooled_rows: bool = False  # also the pooled sets' cross-validated row and its off row
    # Sets only reported, never chosen on (the fresh test split; a fitter that keeps the
    # outside set for measuring names it too).
    reported: tuple[str, ...] = ("fresh test",)

    def run(
        self,
        args: argparse.Namespace,
        service,  # noqa: ANN001
        sets: Mapping[str, Sequence[GoldQuestion]],
        apply: Callable[[T], None],
    ) -> Chosen[T]:
        """Every set answered at every setting (``apply`` puts one on ``service``), the
        report printed and written (``results_path``: the tracked file only with --write),
        and the setting chosen on every set but those ``reported``, pooled."""
        table = answer_at_each(service, sets, self.settings, apply, self.name)
        lines = [
            self.title,
            "",
            machine_line() + self.about,
            "",
            *set_tables(sets, table, self.name, self.head),
        ]
        fitted = tuple(name for name in sets if name not in self.reported)
        cv = Pooled.of(sets, table, fitted, most_facts)
        lines += [cv.title(self.noun), "", self.head]
        off = self.name(self.off)
        for name in fitted:
            lines.append(row(f"{name}, CV", summary(cv.held_of(name))))
            lines.append(row(f"{name}, {off}", summary(table[name][self.off])))
        if self.pooled_rows:
            lines.append(row("pooled, CV", summary([r for _, r in cv.held])))
            lines.append(row(f"pooled, {off}", summary(cv.table[self.off])))
        final = most_facts(cv.table)
        lines += [
            "",
            f"{self.plural} chosen across the {len(cv.chosen)} folds: {cv.counts(self.name)}.",
            f"Chosen on {', '.join(fitted)} together: **{self.name(final)}**.",
            "",
            f"Command: `.venv/bin/python bench/{self.script} --write`",
        ]
        # the results file documents the fitted data: only the run that writes them writes it
        write_results("\n".join(lines) + "\n", results_path(self.results, args.out, args.write))
        print("\n".join(lines))
        return Chosen(final, fitted)


def fit_admission_field(
    fit: GridFit[float | None],
    description: str,
    field: str,
    apart: Collection[str] = (),
) -> None:
    """A fitter's run when its setting is ``field`` of the shipped admission (None: the rule
    off): the labelled sets (``apart``: training files reported on their own) answered with
    the shipped admission at each setting, the report, and with --write the chosen value
    saved to data/answer/admission.json with its provenance, the other fields kept."""
    args = fitter_options(description)
    started = time.time()
    sets = labelled_sets(args.outside, apart=apart)
    service = build_service(Settings())
    shipped = service.selection.admission or Admission.within(None)

    def apply(value: float | None) -> None:
        service.selection.admission = replace(shipped, **{field: value})

    chosen = fit.run(args, service, sets, apply)
    if args.write:
        provenance = (
            chosen_on(fit.script, fit.noun, sets, chosen.fitted)
            + f" from {[v for v in fit.settings if v is not None]} and off ({MOST_FACTS_RULE}); "
            + estimated(fit.results.name)
        )
        write_admission_field(field, chosen.setting, provenance)
    print(f"{time.time() - started:.0f} s")
