"""Document titles read from the documents themselves, so citations name documents in Japanese."""

from __future__ import annotations

from pathlib import Path

from answer.schemas import Citation, Context
from ingest import ingest_file
from ingest.titles import document_title

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
OVERVIEW = PLANS / "jps-4th-midterm-plan-overview.txt"
RESULTS = PLANS / "jps-3rd-midterm-fy2023-results.txt"


def test_bundled_plans_are_titled_by_their_title_lines_with_half_width_digits():
    overview = ingest_file(OVERVIEW).chunks
    results = ingest_file(RESULTS).chunks

    assert {c.document_title for c in overview} == {
        "日本年金機構の第4期中期計画（案）及び令和6年度計画（案）"
    }
    assert {c.document_title for c in results} == {
        "第3期中期計画の取組及び令和5年度の取組のポイント"
    }


def test_a_label_names_the_document_it_points_to_as_the_text_names_it():
    overview = ingest_file(OVERVIEW).chunks
    results = ingest_file(RESULTS).chunks
    slide = next(c for c in results if "資料1-3 P61" in c.refs)
    measure = next(c for c in overview if "中期P46" in c.refs and "年度P47" in c.refs)
    own_page = next(c for c in overview if not c.refs)

    assert slide.document_of("資料1-3 P61") == "令和5年度業務実績報告書（案）"
    assert slide.document_of("資料1-4 P4") == "第3期中期業務実績報告書（案）"
    assert measure.document_of("中期P46") == "第4期中期計画（案）"
    assert measure.document_of("年度P47") == "令和6年度計画（案）"
    assert own_page.document_of(own_page.citation) == own_page.document_title


def test_a_file_without_a_title_line_is_named_by_its_stem_never_its_file_name(tmp_path):
    plan = tmp_path / "窓口案内メモ.txt"
    plan.write_text(
        "窓口では本人確認書類を確認する。\n予約は電話で受け付ける。\n", encoding="utf-8"
    )

    chunks = ingest_file(plan).chunks

    assert chunks and {c.document_title for c in chunks} == {"窓口案内メモ"}
    assert document_title("○年金の相談は予約制とする。\n", "docs/notes.md") == "notes"


def test_a_markdown_heading_on_top_is_the_title():
    text = "# 事務処理の手引き\n\n届書は受付日に処理する。\n"
    assert document_title(text, "manual.md") == "事務処理の手引き"


def test_citations_and_contexts_carry_the_document_title_and_keep_their_fields():
    slide = next(c for c in ingest_file(RESULTS).chunks if "資料1-3 P61" in c.refs)

    citation = Citation.of("資料1-3 P61", slide, slide.text)
    context = Context.from_chunk(slide, 1.0)

    # One title per document: the one it gives itself, as /documents and contexts name it.
    assert citation.document_title == "第3期中期計画の取組及び令和5年度の取組のポイント"
    assert citation.label == "資料1-3 P61" and citation.chunk_id == slide.id
    assert context.document_title == "第3期中期計画の取組及び令和5年度の取組のポイント"
    assert context.source.endswith(".txt")  # the file stays in `source` for clients that use it
