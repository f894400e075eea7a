"""The check of bench/rescale_cv.py on JSQuAD's valid split: R@1, R@5 and MRR@10 of every
setting of its grid, search only (nothing is fitted on this split).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/rescale_valid.py /work/data/JGLUE/valid-v1.3.json \
        --var /tmp/NAME-jsq-valid [--limit N]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from common.retrieval_runs import cached_encoder  # noqa: E402
from jsquad_bench import _outside_project  # noqa: E402
from rescale_cv import GRID, jsquad_rows  # noqa: E402

from planqa.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, help="JSQuAD valid-v1.3.json")
    parser.add_argument("--var", type=Path, required=True, help="keep the JSQuAD index here")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    root = _outside_project(args.var, "--var")
    hits, ranks, firsts = jsquad_rows(args.dataset, root, cached_encoder(Settings()), args.limit)
    print("| setting (ngram, dense, phrase, sentence) | R@1 | R@5 | MRR@10 |")
    print("|---|---|---|---|")
    for i, setting in enumerate(GRID):
        print(
            f"| {setting} | {firsts[i].mean():.4f} | {hits[i].mean():.4f} | {ranks[i].mean():.4f} |"
        )


if __name__ == "__main__":
    main()
