"""The question's morphemes, one Sudachi pass per split mode.

Several readers of a question (the unknown-compound check, the follow-up topic, the asked
terms) need its long units (C) or short units (A); each ran Sudachi itself. Read through
this cache, a text is analysed once per mode however many readers ask.

The unknown-compound check splits each long unit on its own (not inside the question):
an unknown name such as a foreign place is one short unit in context but several alone,
and the decline model was fitted on the split alone; its units repeat across questions,
so the cache serves them too.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ingest.sudachi import SplitModeName, Token, analyze
from question.normal import nfkc

# Questions asked again (a retried request, a follow-up over the same words) reuse theirs,
# and the passages' sentences and names the value and name bindings read are kept across
# questions. 1,024 held about 190 questions' texts: the 249 labelled questions asked again
# missed 1,330 times (every text again). 4,096 hold the 662 of own gold, training and outside
# (3,525 texts, 12 MB); full, about 16 MB.
CACHED_TEXTS = 4096


def morphemes(text: str, mode: SplitModeName = "C") -> tuple[Token, ...]:
    """The morphemes of ``text`` in NFKC, in one split mode.

    Kept by the NFKC form: readers hand the question as typed (？, 全角 digits) or in NFKC,
    and each form was analysed on its own (about one Sudachi pass in four per question)."""
    normal = text if unicodedata.is_normalized("NFKC", text) else nfkc(text)
    return _analysed(normal, mode)


@lru_cache(maxsize=CACHED_TEXTS)
def _analysed(normal: str, mode: SplitModeName) -> tuple[Token, ...]:
    return tuple(analyze(normal, mode))


morphemes.cache_clear = _analysed.cache_clear  # type: ignore[attr-defined]
morphemes.cache_info = _analysed.cache_info  # type: ignore[attr-defined]
