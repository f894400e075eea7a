"""Where a bench script writes its table: the tracked results file only for the run it documents.

The files under ``bench/results/`` record one particular run (full set, default settings). An
exploratory run (a sample, another setting) used to overwrite them silently, so the recorded
figures were lost. Such a run now prints only, unless ``--out PATH`` says where to write.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_out_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--out PATH``: write the table there (any run, the documented one included)."""
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write the table here; without it only the documented run writes bench/results/",
    )


def results_path(tracked: Path, out: Path | None, documented: bool) -> Path | None:
    """The file to write, or None to print only.

    ``--out`` wins; otherwise the tracked file is written only when this run is the one it
    documents (``documented``), so a sample or a changed setting never replaces it.
    """
    if out is not None:
        return out
    return tracked if documented else None


def write_results(text: str, path: Path | None) -> None:
    """Write ``text`` to ``path`` (making its folder) and say so; say why not when None."""
    if path is None:
        print("not the documented run: printed only (--out PATH writes it)")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")


def documented_cv(args: argparse.Namespace) -> bool:
    """A cross-validation script's documented run: 5 folds x 3 repeats, seed 0 (where the
    script has a seed); other splits are exploratory."""
    return (args.folds, args.repeats, getattr(args, "seed", 0)) == (5, 3, 0)
