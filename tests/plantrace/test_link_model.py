"""The fitted linker (plantrace/link_model.py) over the real bundled plans: real Sudachi, the
real chiVe vectors of the ja-ginza wheel, the shipped data/trace_model.json."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from eval.trace import find_measure, load_trace_gold, score_trace
from index.analyzer import Analyzer, analyzer_config
from index.build.analysis_step import analyse_chunks
from index.build.sentence_step import embed_sentences
from index.chive import ChiveVectors, chive_dir
from ingest.pipeline import ingest_paths
from planqa.settings import Settings
from plantrace import LinkModel, LinkModelError, Trace, build_trace
from plantrace.content_signals import SIGNALS, SectionContent, _subsections, passage_vectors
from plantrace.linker import _idf, _sections
from plantrace.store import link_parameters

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
ICT_SECTION = "資料1-3 P107"  # Ⅱ-４．ICT化の推進


@pytest.fixture(scope="module")
def linked():
    """The bundled plans analysed as the index build does, their chiVe passage vectors and
    the shipped model."""
    directory = chive_dir()
    if directory is None:
        pytest.skip("chiVe (the ja-ginza wheel) is not installed")
    settings = Settings()
    chunks = ingest_paths([PLANS]).chunks
    analyzer = Analyzer(analyzer_config(settings))
    counts, own_terms = analyse_chunks(chunks, analyzer)
    sentences = embed_sentences(chunks, ChiveVectors.load(directory), settings.sudachi.dictionary)
    vectors = passage_vectors(chunks, sentences.vector)
    model = LinkModel.load(settings.trace.model)
    return settings, chunks, counts, own_terms, analyzer, vectors, model


def fitted_trace(linked, model: LinkModel | None, vectors: np.ndarray | None) -> Trace:
    settings, chunks, counts, own_terms, analyzer, _, _ = linked
    parameters = link_parameters(settings)
    return build_trace(chunks, counts, analyzer.terms, None, parameters, own_terms, model, vectors)


def linked_labels(trace: Trace, label: str) -> set[str]:
    """The results labels the (first) gold measure of a plan label links to."""
    gold = next(g for g in load_trace_gold() if g.label == label)
    measure = find_measure(trace, gold)
    assert measure is not None
    links = trace.links_of_measure(measure.chunk_id)
    return {lab for link in links for lab in trace.section[link.section_key].labels}


def test_the_fitted_linker_meets_the_targets_on_the_labelled_links(linked):
    _, _, _, _, _, vectors, model = linked
    scores = score_trace(fitted_trace(linked, model, vectors), load_trace_gold())
    assert scores.unmatched == []
    assert scores.precision >= 0.90
    assert scores.recall >= 0.85
    assert scores.pair_accuracy >= 0.85


def test_an_electronic_application_planned_for_benefits_continues_the_ict_section(linked):
    """中期P34 (its one ●) widens the forms filed online under 年金給付; the report's
    ICT化の推進 reports the same forms. The rule finds only the home section."""
    _, _, _, _, _, vectors, model = linked
    fitted = linked_labels(fitted_trace(linked, model, vectors), "中期P34")
    by_rule = linked_labels(fitted_trace(linked, None, None), "中期P34")
    assert ICT_SECTION in fitted
    assert ICT_SECTION not in by_rule


def test_without_chive_vectors_the_rule_links(linked):
    _, _, _, _, _, _, model = linked
    assert fitted_trace(linked, model, None).links == fitted_trace(linked, None, None).links


def test_content_signals_are_shares_of_the_measures_best_section(linked):
    _, chunks, _, own_terms, analyzer, vectors, _ = linked
    own_sets = [frozenset(t) for t in own_terms]
    content = SectionContent(
        chunks,
        _sections(chunks),
        own_sets,
        _idf([Counter(s) for s in own_sets]),
        analyzer.terms,
        vectors,
    )
    measure_row = next(i for i, c in enumerate(chunks) if c.kind == "measure")
    table = content.signals(measure_row)
    assert table.shape[1] == len(SIGNALS)
    assert np.allclose(table.max(axis=0), 1.0)
    word_shares = [k for k, name in enumerate(SIGNALS) if name != "meaning"]
    assert table[:, word_shares].min() >= 0.0  # a chiVe cosine may be below 0


def test_subsections_are_the_headings_below_the_section_not_its_slide_kinds(linked):
    """事務センター and 業務の合理化 are parts of 効率的効果的な業務運営; ICT化の推進 reports
    most of its items straight under slide kinds (主な取組実績, 令和５年度計画): those are
    one part, beside its one subsection マイナンバーの活用."""
    _, chunks, *_ = linked
    sections = {s.labels[0]: s for s in _sections(chunks)}
    position = {chunk.id: i for i, chunk in enumerate(chunks)}

    def part_names(label: str) -> list[set[str]]:
        rows = [position[cid] for cid in sections[label].chunk_ids]
        return [
            {chunks[r].heading_path[1] if len(chunks[r].heading_path) > 2 else "" for r in part}
            for part in _subsections(chunks, rows)
        ]

    operations = part_names("資料1-3 P87")  # Ⅱ-１．効率的効果的な業務運営
    assert all(len(names) == 1 for names in operations)
    assert {"事務センター", "業務の合理化", "本部"} <= set().union(*operations)
    assert len(operations) == 6
    ict = part_names(ICT_SECTION)
    assert sorted(map(sorted, ict)) == [[""], ["マイナンバーの活用"]]


def test_a_model_fitted_on_other_signals_is_refused_naming_its_file(tmp_path, linked):
    _, _, _, _, _, _, model = linked
    stale = tmp_path / "trace_model.json"
    raw = model.to_json()
    stale.write_text(json.dumps({**raw, "signals": raw["signals"][:-1]}), encoding="utf-8")
    with pytest.raises(LinkModelError, match="trace_model.json.*bench/fit_trace_model.py"):
        LinkModel.load(stale)
