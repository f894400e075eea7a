"""The chunk ceiling (ingest/bounds.py): no chunk passes ``max_chunk_chars`` whatever a file
holds, every piece is a verbatim substring cited like the chunk it came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.bounds import MAX_CHUNK_CHARS, bounded, pieces
from ingest.model import Chunk
from ingest.pipeline import ingest_file

ROOT = Path(__file__).resolve().parents[2]
# A title repeated with no sentence end, as a list export is: one "sentence" to the parser.
RUN_ON = "業務改善計画に基づく照会対応状況の一覧表 " * 12_000


def test_a_run_on_file_becomes_bounded_pieces_that_keep_their_page_and_label(tmp_path: Path):
    path = tmp_path / "export.txt"
    path.write_text(f"{RUN_ON}[中期P12]\n", encoding="utf-8")
    result = ingest_file(path)
    assert result.error is None
    assert len(result.chunks) > 200
    assert max(len(chunk.text) for chunk in result.chunks) <= MAX_CHUNK_CHARS
    text = path.read_text(encoding="utf-8")
    assert all(chunk.text in text for chunk in result.chunks)
    assert {chunk.page for chunk in result.chunks} == {result.chunks[0].page}
    # Every piece is cited by the file's own page and keeps the plan page its text cites.
    assert {chunk.labels for chunk in result.chunks} == {result.chunks[0].labels}
    assert all(chunk.cites == ("中期P12",) for chunk in result.chunks)
    assert len({chunk.id for chunk in result.chunks}) == len(result.chunks)


def test_the_ceiling_is_a_setting_and_never_below_the_target(tmp_path: Path):
    from planqa.settings import ChunkingSettings

    path = tmp_path / "export.txt"
    path.write_text(RUN_ON[:5000], encoding="utf-8")
    assert (
        max(len(c.text) for c in ingest_file(path, max_chars=200, max_chunk_chars=300).chunks)
        <= 300
    )
    with pytest.raises(ValueError, match="MAX_CHUNK_CHARS"):
        ChunkingSettings(max_chars=800, max_chunk_chars=500)


def test_pieces_cut_after_a_sentence_end_before_a_comma_or_a_space():
    sentence = "年金記録の確認を進める。" * 3  # 36 characters, ending in 。
    text = sentence + "照会、相談、届出を受け付ける 窓口を増やす" * 4
    cut = list(pieces(text, 50))
    assert cut[0] == sentence
    no_sentence_end = "照会、相談、届出を受け付ける 窓口を増やす" * 4
    assert list(pieces(no_sentence_end, 30))[0].endswith(("、", "る"))


def test_a_cut_never_falls_inside_a_bracketed_plan_reference():
    text = "あ" * 45 + "[資料1-3 P61]" + "い" * 100
    for piece in pieces(text, 50):
        assert piece.count("[") == piece.count("]")
    assert "[資料1-3 P61]" in "".join(pieces(text, 50))


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("あい年金。、 \n[]中期P1【】"), max_size=3000),
    limit=st.integers(min_value=20, max_value=400),
)
def test_pieces_are_bounded_verbatim_and_lose_no_text(text: str, limit: int):
    cut = list(pieces(text, limit))
    assert all(0 < len(piece) <= limit and piece in text for piece in cut)
    assert "".join("".join(cut).split()) == "".join(text.split())


def test_the_bundled_plans_are_under_the_ceiling_and_unchanged_by_it():
    for path in sorted((ROOT / "data" / "plans").glob("*.txt")):
        chunks = ingest_file(path).chunks
        assert max(len(chunk.text) for chunk in chunks) <= MAX_CHUNK_CHARS
        assert bounded(chunks, MAX_CHUNK_CHARS) == chunks


def test_a_long_chunk_keeps_every_field_but_its_text_locator_and_id():
    chunk = Chunk.build(
        text="照会" * 800,
        source="x.txt",
        locator="p1/h0/c1",
        page=3,
        kind="measure",
        title="見出し",
        refs=("年度P5",),
        heading_path=("第1章", "見出し"),
        context="第1章 > 見出し",
    )
    cut = bounded([chunk], 700)
    assert [piece.locator for piece in cut] == [
        "p1/h0/c1/part1",
        "p1/h0/c1/part2",
        "p1/h0/c1/part3",
    ]
    for piece in cut:
        assert (piece.page, piece.kind, piece.title, piece.refs, piece.heading_path) == (
            3,
            "measure",
            "見出し",
            ("年度P5",),
            ("第1章", "見出し"),
        )
