"""Reading a generation's sentence-vector file (chiVe or dense) where damage is a reason.

Both files are optional extras of a generation: with its setting on, a missing, damaged or
out-of-date file must not crash a server nor silently zero a ranker feature. Every way a
file can be wrong is raised here as ``SentenceFileError`` with a reason in Japanese and
English; the build then rebuilds the generation (index/build/builder.py) and a server
serves without the feature and says so (index/snapshot.py, GET /health).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

# What a damaged .npz raises from np.load or an array read: a cut zip (BadZipFile), no
# bytes (EOFError), garbage (ValueError, OSError), a key or field of the wrong kind.
_DAMAGE = (OSError, ValueError, KeyError, EOFError, TypeError, IndexError, zipfile.BadZipFile)


class SentenceFileError(ValueError):
    """Why a sentence-vector file cannot be used, in Japanese and English."""

    def __init__(self, japanese: str, english: str) -> None:
        super().__init__(f"{japanese} / {english}")
        self.japanese = japanese
        self.english = english


def read_arrays(path: Path, keys: Sequence[str], version: int) -> dict[str, np.ndarray]:
    """The named arrays of ``path``, written with format ``version`` (no pickles)."""
    if not path.exists():
        raise SentenceFileError("ファイルがありません", "the file is missing")
    try:
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError("not an npz archive")
        with data:
            found = int(data["format"]) if "format" in data.files else None
            if found != version:
                raise SentenceFileError(
                    f"形式の版が違います（{found}、必要なのは {version}）",
                    f"format version {found}, expected {version}",
                )
            return {key: data[key] for key in keys}
    except SentenceFileError:
        raise
    except _DAMAGE as error:
        raise SentenceFileError(
            "ファイルが壊れています", f"the file is damaged ({type(error).__name__})"
        ) from error


def texts_of(text: np.ndarray, ends: np.ndarray) -> list[str]:
    """The sentences stored as one UTF-8 run and where each ends (a fixed-width string array
    would give every sentence the longest one's width)."""
    try:
        run = bytes(text).decode("utf-8")
        cuts = [int(end) for end in ends.tolist()]
    except _DAMAGE as error:
        raise SentenceFileError("ファイルが壊れています", "the file is damaged (texts)") from error
    if ends.ndim != 1 or any(b < a for a, b in zip([0, *cuts], cuts, strict=False)):
        raise SentenceFileError("ファイルが壊れています", "the file is damaged (text ends)")
    if (cuts[-1] if cuts else 0) != len(run):
        raise SentenceFileError("ファイルが壊れています", "the file is damaged (text ends)")
    return [run[start:end] for start, end in zip([0, *cuts], cuts, strict=False)]


def text_arrays(texts: Sequence[str]) -> dict[str, np.ndarray]:
    """``texts_of``'s inverse, for saving."""
    return {
        "text": np.frombuffer("".join(texts).encode("utf-8"), dtype=np.uint8),
        "ends": np.cumsum([len(t) for t in texts], dtype=np.int64),
    }


def check_vectors(vectors: np.ndarray, rows: int, dim: int | None = None) -> None:
    """Float16 unit rows, one per sentence (and ``dim`` wide when given), all finite."""
    if vectors.dtype != np.float16 or vectors.ndim != 2 or vectors.shape[0] != rows:
        raise SentenceFileError(
            "ベクトルの形が文の数と合いません",
            f"vectors {vectors.dtype} {vectors.shape} do not fit {rows} sentences",
        )
    if dim is not None and vectors.shape[1] != dim:
        raise SentenceFileError(
            "ベクトルの次元が索引と違います",
            f"vectors of dimension {vectors.shape[1]}, the index's are {dim}",
        )
    if not np.isfinite(vectors).all():
        raise SentenceFileError("ファイルが壊れています", "the file is damaged (not finite)")


def mismatch(what: str, stored: object, expected: object) -> SentenceFileError:
    return SentenceFileError(
        f"索引と合いません（{what}）", f"{what} is {stored!r}, expected {expected!r}"
    )


def notice(file: str, feature: tuple[str, str], error: SentenceFileError) -> str:
    """What a server says when it serves without the file's ``feature`` (Japanese,
    English)."""
    return (
        f"{file} が使えないため（{error.japanese}）、{feature[0]}なしで回答しています。"
        f"`planqa index` を実行して作り直してください。 / {file} cannot be used "
        f"({error.english}): answers are served without {feature[1]}; run `planqa index` to "
        "rebuild it"
    )
