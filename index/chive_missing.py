"""What to say when chiVe sentence vectors are asked for and cannot be made.

With ``PLANQA_RETRIEVAL__SENTENCE_VECTORS=true`` the build writes ``sentence_vectors.npz``
only where the chiVe word vectors (the ``ja-ginza`` wheel) are installed and word vectors
are on (index/build/lexical_step.py). Otherwise no file is written and the ranker's chiVe
features read 0: ``planqa index`` and GET /health ``notices`` say so, and what to do, rather
than leaving a caller to find the features silently off.
"""

from __future__ import annotations

from index.chive import chive_dir
from planqa.settings import Settings


def sentence_vectors_missing(settings: Settings) -> str | None:
    """The notice (Japanese / English) when the setting asks for chiVe sentence vectors the
    build cannot make; None when it does not ask or they can be made."""
    retrieval = settings.retrieval
    if not retrieval.sentence_vectors:
        return None
    if chive_dir(retrieval.chive_dir) is None:
        return (
            "chiVe の単語ベクトル（ja-ginza パッケージ）が見つからないため、"
            "PLANQA_RETRIEVAL__SENTENCE_VECTORS=true でも文ベクトルファイル"
            "（sentence_vectors.npz）は作られず、chiVe の文類似度特徴量は 0 のままです。"
            "`pip install ja-ginza==5.3.0`（または `make install`）で入れてから "
            "`planqa index` を実行してください。 / the chiVe word vectors (the ja-ginza "
            "package) are not installed, so PLANQA_RETRIEVAL__SENTENCE_VECTORS=true writes no "
            "sentence-vector file (sentence_vectors.npz) and the chiVe sentence features read 0; "
            "install it (`pip install ja-ginza==5.3.0`, or `make install`) and run "
            "`planqa index`"
        )
    if not retrieval.word_vectors:
        return (
            "PLANQA_RETRIEVAL__WORD_VECTORS=false のため、文ベクトルファイル"
            "（sentence_vectors.npz）は作られず、chiVe の文類似度特徴量は 0 のままです。"
            "使うなら PLANQA_RETRIEVAL__WORD_VECTORS=true にして `planqa index` を実行して"
            "ください。 / PLANQA_RETRIEVAL__WORD_VECTORS=false, so no sentence-vector file "
            "(sentence_vectors.npz) is written and the chiVe sentence features read 0; set it "
            "to true and run `planqa index` to use them"
        )
    return None
