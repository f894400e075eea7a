"""Fit the chiVe sentence similarity (index/sentence_vectors.py) on JSTS and report it.

JSTS (JGLUE, github:yahoojapan/JGLUE, datasets/jsts-v1.3: image-caption pairs with human
similarity 0-5) is read by path and never committed. Each variant's Spearman correlation
between cosine and label: chosen on train (12,451 pairs), reported on valid (1,457) beside
the plain mean of the word vectors, a word-alignment score (each word's best match in the
other sentence, SIF-weighted, both ways) and USE-m3 (the dense channel's encoder).
Word shares p(w) come from the train sentences.

    .venv/bin/python bench/fit_chive_similarity.py --jsts DATA/jsts-v1.3 [--no-use]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results_out import add_out_option, documented_defaults, results_path, write_results  # noqa: E402

import index.sentence_vectors  # noqa: E402
from index.sentence_vectors import (  # noqa: E402
    SentenceEncoder,
    SifParameters,
    first_component,
    shared_chive,
)
from planqa.settings import PROJECT_ROOT, Settings  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "chive-similarity.md"
SMOOTHING = (1.0, 3e-1, 1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 1e-4)


def load(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return (
        [r["sentence1"] for r in rows],
        [r["sentence2"] for r in rows],
        np.asarray([r["label"] for r in rows], dtype=np.float64),
    )


def cosine_rows(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return np.sum(left * right, axis=1)


def alignment(encoder: SentenceEncoder, left: str, right: str) -> float:
    """Each word's best cosine in the other sentence, weighted as SIF weighs it, both ways."""
    rows_l, rows_r = encoder.rows(left), encoder.rows(right)
    if not rows_l or not rows_r:
        return 0.0
    vectors = encoder.chive.vectors
    sims = vectors[list(rows_l)] @ vectors[list(rows_r)].T
    w_l = np.asarray([encoder.weight(r) for r in rows_l])
    w_r = np.asarray([encoder.weight(r) for r in rows_r])
    one = float(w_l @ sims.max(axis=1) / w_l.sum())
    other = float(w_r @ sims.max(axis=0) / w_r.sum())
    return (one + other) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jsts", type=Path, default=Path("/work/data/JGLUE/jsts-v1.3"))
    parser.add_argument("--no-use", action="store_true", help="skip USE-m3 (slow)")
    add_out_option(parser)
    args = parser.parse_args()
    settings = Settings()
    started = time.perf_counter()
    index.sentence_vectors.ROW_CACHE = None  # every JSTS sentence analysed once
    chive = shared_chive(settings.paths.var_dir / "cache")
    if chive is None:
        sys.exit("chiVe (the ja-ginza wheel) is not installed")
    train = load(args.jsts / "train-v1.3.json")
    valid = load(args.jsts / "valid-v1.3.json")
    shares = SentenceEncoder.shares_of([*train[0], *train[1]], chive)
    # One analysis of each sentence, shared by every variant's encoder.
    rows = SentenceEncoder(chive, shares).rows

    def encoder_of(params: SifParameters, component=None) -> SentenceEncoder:
        encoder = SentenceEncoder(chive, shares, params, component)
        encoder.rows = rows
        return encoder

    print(f"loaded chiVe and word shares in {time.perf_counter() - started:.1f} s", flush=True)

    def score(params: SifParameters, data, component) -> float:
        encoder = encoder_of(params, component)
        left = encoder.embed_many(data[0])
        right = encoder.embed_many(data[1])
        return float(spearmanr(cosine_rows(left, right), data[2]).statistic)

    results: list[tuple[str, float, float]] = []
    plain = SifParameters(a=float("inf"), remove_component=False)
    results.append(("plain mean", score(plain, train, None), score(plain, valid, None)))
    best: tuple[float, SifParameters] | None = None
    for a in SMOOTHING:
        for remove in (False, True):
            params = SifParameters(a, remove)
            component = None
            if remove:
                encoder = encoder_of(params)
                component = first_component(
                    np.vstack([encoder.raw(t) for t in [*train[0], *train[1]]])
                )
            on_train = score(params, train, component)
            on_valid = score(params, valid, component)
            name = f"SIF a={a:g}" + (", component removed" if remove else "")
            results.append((name, on_train, on_valid))
            if best is None or on_train > best[0]:
                best = (on_train, params)
            print(f"{name}: train {on_train:.4f} valid {on_valid:.4f}", flush=True)
    assert best is not None
    chosen = best[1]
    for a in (chosen.a,):
        encoder = encoder_of(SifParameters(a, False))
        cells = []
        for data in (train, valid):
            values = [alignment(encoder, x, y) for x, y in zip(data[0], data[1], strict=True)]
            cells.append(float(spearmanr(values, data[2]).statistic))
        results.append((f"word alignment (max-sim), SIF weights a={a:g}", *cells))
    if not args.no_use:
        from index.encoders import build_encoder

        use = build_encoder("use-m3")
        t0 = time.perf_counter()
        cells = []
        for data in (train, valid):
            left = np.asarray(use.embed_documents(data[0]))
            right = np.asarray(use.embed_documents(data[1]))
            cells.append(float(spearmanr(cosine_rows(left, right), data[2]).statistic))
        results.append(("USE-m3 (the dense channel's encoder)", *cells))
        print(f"USE-m3 {cells} in {time.perf_counter() - t0:.1f} s", flush=True)
    lines = [
        "# chiVe sentence similarity on JSTS (bench/fit_chive_similarity.py)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M')} UTC. Spearman "
        "correlation of the cosine with the human label; chosen on train (12,451 pairs), "
        "reported on valid (1,457). Word shares from the train sentences.",
        "",
        "| similarity | JSTS train | JSTS valid |",
        "|---|---|---|",
        *(f"| {name} | {tr:.4f} | {va:.4f} |" for name, tr, va in results),
        "",
        f"Chosen by train: **a={chosen.a:g}, component removed: {chosen.remove_component}** "
        "(index/sentence_vectors.py PARAMETERS).",
        "",
        "Command: `.venv/bin/python bench/fit_chive_similarity.py --jsts DATA/jsts-v1.3`",
    ]
    documented = documented_defaults(parser, args, free=("out", "jsts"))
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, documented))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
