"""The years the plans cover are read from every indexed document, not the quoted page."""

from __future__ import annotations

from pathlib import Path

from answer.covered_years import corpus_years, covered_by, years_not_covered
from index.snapshot import Snapshot
from ingest.model import Chunk
from question import analyse


def _chunk(text: str, label: str) -> Chunk:
    return Chunk(id=label, text=text, source="plan.txt", page=1, kind="measure", refs=(label,))


def _generation(folder: Path, chunks: list[Chunk]) -> Snapshot:
    """An index generation of ``chunks`` as the year readers see it (its passages only)."""
    return Snapshot(folder, {}, chunks, lexical=None, store=None)  # type: ignore[arg-type]


def test_a_plan_period_covers_every_fiscal_year_of_its_span():
    # 第4期 runs 令和6年4月 to 令和11年3月 (data/question/rules.toml): 令和6年度 … 令和10年度.
    covered = covered_by("第4期", spans=True)
    assert {2024, 2025, 2026, 2027, 2028} <= covered.fiscal
    assert 2029 not in covered.fiscal
    assert 2026 not in covered_by("第4期").fiscal  # one page covers only what it dates


def test_a_year_the_corpus_covers_is_not_missing_though_the_quoted_page_names_no_year(tmp_path):
    corpus = corpus_years(
        _generation(
            tmp_path / "generation",
            [_chunk("収納対策を進める。", "中期P20"), _chunk("令和6年度の取組を行う。", "年度P9")],
        )
    )
    asked = analyse("令和8年度の計画で収納対策の取組は？")
    quoted = "収納対策を進める。"
    assert years_not_covered(asked, quoted) == {"令和8年度"}  # the page alone
    assert years_not_covered(asked, quoted, corpus) == set()
    assert years_not_covered(analyse("令和12年度の計画で収納対策の取組は？"), quoted, corpus) == {
        "令和12年度"
    }


def test_a_figure_asked_of_a_year_needs_a_quoted_passage_of_that_year(tmp_path):
    # A count belongs to one year: the corpus covering the year does not give its count.
    corpus = corpus_years(
        _generation(tmp_path / "generation", [_chunk("令和6年度の取組を行う。", "年度P9")])
    )
    asked = analyse("令和6年度の督促状は何件？")
    assert years_not_covered(asked, "令和6年3月末までに督促状を12件送付した。", corpus) == {
        "令和6年度"
    }


def test_a_new_generation_reads_its_own_covered_years_not_the_last_ones(tmp_path):
    # The covered years are kept with the generation they were read from: a re-index that
    # adds a results report of 令和2年度 (at the same folder name, as a rebuilt generation
    # may be) is read afresh, and the old generation keeps its own years.
    old = _generation(tmp_path / "generation", [_chunk("令和6年度の取組を行う。", "年度P9")])
    assert 2020 not in corpus_years(old).fiscal
    new = _generation(
        tmp_path / "generation",
        [
            _chunk("令和6年度の取組を行う。", "年度P9"),
            _chunk("令和2年度の実績は10件。", "資料1-4 P3"),
        ],
    )
    assert 2020 in corpus_years(new).fiscal
    assert 2020 not in corpus_years(old).fiscal
