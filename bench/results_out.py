"""Where a bench script writes its table: the tracked results file only for the run it documents.

The files under ``bench/results/`` record one particular run (full set, default settings). An
exploratory run (a sample, another setting) used to overwrite them silently, so the recorded
figures were lost. Such a run now prints only, unless ``--out PATH`` says where to write.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable, Mapping
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


def publish(lines: Iterable[str], tracked: Path, out: Path | None, documented: bool) -> None:
    """Print the table's ``lines`` and write them where ``results_path`` says: every bench's
    ending, one place."""
    text = "\n".join(lines) + "\n"
    print(text)
    write_results(text, results_path(tracked, out, documented))


def documented_cv(args: argparse.Namespace) -> bool:
    """A cross-validation script's documented run: 5 folds x 3 repeats, seed 0 (where the
    script has a seed); other splits are exploratory."""
    return (args.folds, args.repeats, getattr(args, "seed", 0)) == (5, 3, 0)


def settings_overrides(environ: Mapping[str, str] | None = None) -> list[str]:
    """The ``PLANQA_*`` variables set in the environment: each changes what a run measures."""
    environ = os.environ if environ is None else environ
    return sorted(name for name in environ if name.upper().startswith("PLANQA_"))


def documented_defaults(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    free: Iterable[str] = ("out",),
    environ: Mapping[str, str] | None = None,
) -> bool:
    """A benchmark's documented run: every option at the parser's default and no ``PLANQA_*``
    setting in the environment; the options in ``free`` (where to write, which per-option
    file) do not change what is measured.

    A speed figure is comparable only with the run it replaces: fewer runs, another index or
    a changed setting measure something else, so such a run prints only.
    """
    free = set(free)
    for action in parser._actions:  # the parser's own list: options added later count too
        name = action.dest
        if name in free or name == "help" or not hasattr(args, name):
            continue
        if getattr(args, name) != action.default:
            return False
    return not settings_overrides(environ)
