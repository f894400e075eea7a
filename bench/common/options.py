"""Command-line options the JSQuAD cross-validation benches share (phrase_cv, topic_heading_cv):
the JSQuAD test file they fit on, the outside set by path, where the JSQuAD index is kept,
and the folds."""

from __future__ import annotations

import argparse
from pathlib import Path

from eval.gold import OUTSIDE_SET


def add_jsquad_cv_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", type=Path, help="JSQuAD test-v1.3.json")
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    parser.add_argument("--var", type=Path, default=None, help="keep the JSQuAD index here")
    parser.add_argument("--jsquad-limit", type=int, default=None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
