"""Command-line options bench scripts share: the JSQuAD cross-validation benches' (phrase_cv,
topic_heading_cv: the JSQuAD test file they fit on, the outside set by path, where the JSQuAD
index is kept, and the folds) and the answer-stage fitters' (the outside set by path,
``--write``, ``--out``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from results_out import add_out_option

from eval.gold import OUTSIDE_SET


def add_jsquad_cv_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", type=Path, help="JSQuAD test-v1.3.json")
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    parser.add_argument("--var", type=Path, default=None, help="keep the JSQuAD index here")
    parser.add_argument("--jsquad-limit", type=int, default=None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)


def jsquad_cv_arguments(description: str) -> argparse.Namespace:
    """The JSQuAD cross-validation options and ``--out``, parsed (``description``: the
    script's docstring; its first paragraph is shown)."""
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    add_jsquad_cv_options(parser)
    add_out_option(parser)
    return parser.parse_args()


def fitter_options(description: str, *, write: bool = True) -> argparse.Namespace:
    """``--outside`` (the outside set by path), ``--write`` (save what is fitted; only a
    writing run replaces the tracked results file) and ``--out``, parsed."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    if write:
        parser.add_argument("--write", action="store_true")
    add_out_option(parser)
    return parser.parse_args()
