"""Analyzer, BM25, glossary, chiVe neighbours and fusion: real Sudachi and real vectors."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from index.analyzer import Analyzer, AnalyzerConfig
from index.bm25 import Bm25Index
from index.build.chive import ChiveVectors, chive_dir
from index.build.neighbour_build import build_neighbour_table
from index.fusion import weighted_rrf, weighted_scores
from index.glossary import Glossary, GlossaryError
from index.lexical import LexicalSearcher, _present
from index.presence import build_presence
from index.wordvectors import _lookup, murmurhash64a
from question.intent import MEASURE_KINDS, kind_weights


@pytest.mark.parametrize("mode", ["A", "B", "C", "C+A"])
def test_plan_labels_survive_tokenisation_as_one_term(mode: str):
    terms = Analyzer(AnalyzerConfig(mode=mode)).terms("中期P62と年度 p47、資料１－３の6ページ")
    assert "中期P62" in terms and "年度P47" in terms and "資料1-3 P6" in terms
    assert "p" not in terms and "62" not in terms


def test_mode_c_plus_a_adds_the_short_units_of_compounds():
    c_terms = Analyzer(AnalyzerConfig(mode="C")).terms("国民年金保険料")
    ca_terms = Analyzer(AnalyzerConfig(mode="C+A")).terms("国民年金保険料")
    assert c_terms == ["国民年金保険料"]
    assert ca_terms[0] == "国民年金保険料" and {"国民", "年金", "保険", "料"} <= set(ca_terms)


def test_stopwords_drop_particles_and_symbols():
    terms = Analyzer(AnalyzerConfig(mode="A")).terms("応答率は、70%以上を確保する。")
    assert "は" not in terms and "を" not in terms and "、" not in terms
    assert {"応答", "率", "70", "確保"} <= set(terms)


def test_bm25_matches_the_okapi_formula():
    docs = [Counter({"a": 2, "b": 1}), Counter({"b": 1}), Counter({"c": 3, "a": 1})]
    index = Bm25Index.build(docs, k1=1.2, b=0.75)
    avg = (3 + 1 + 4) / 3
    df_a = 2
    idf = math.log1p((3 - df_a + 0.5) / (df_a + 0.5))
    expected = idf * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 3 / avg))
    assert index.scores({"a": 1.0})[0] == pytest.approx(expected, rel=1e-5)
    assert index.scores({"a": 1.0})[1] == 0
    weighted = index.scores({"a": 1.0, "c": 0.5})
    assert weighted[2] == pytest.approx(index.scores({"a": 1})[2] + 0.5 * index.scores({"c": 1})[2])
    assert not index.scores({"unknown": 1.0}).any()


def test_bm25_round_trips_through_disk(tmp_path: Path):
    index = Bm25Index.build([Counter({"年金": 2}), Counter({"納付": 1, "年金": 1})])
    index.save(tmp_path)
    loaded = Bm25Index.load(tmp_path)
    assert list(loaded.scores({"年金": 1})) == pytest.approx(list(index.scores({"年金": 1})))


def test_glossary_expands_by_text_or_by_words(tmp_path: Path):
    path = tmp_path / "glossary.txt"
    path.write_text("# comment\n電話がつながる割合 = 応答率\n払う = 納付\n", encoding="utf-8")
    glossary = Glossary.load(path)
    assert glossary.expansions("電話がつながる割合は？") == ["応答率"]
    analyzer = Analyzer(AnalyzerConfig(mode="A"))
    question = "スマホで払える？"
    terms = set(analyzer.terms(question))

    def words(phrase: str) -> set[str]:
        return set(analyzer.terms(phrase))

    assert "払う" in terms  # Sudachi's normalized form of 払える
    assert glossary.expansions(question) == []  # the text alone does not contain 払う
    assert glossary.expansions(question, terms, words) == ["納付"]


def test_glossary_line_with_one_term_is_refused_with_its_line(tmp_path: Path):
    path = tmp_path / "glossary.txt"
    path.write_text("応答率 = 電話のつながりやすさ\nひとつだけ\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="glossary.txt:2"):
        Glossary.load(path)


def test_murmurhash_matches_spacy_keys():
    from spacy.strings import hash_string

    for word in ["", "a", "abcdefgh", "abcdefghi", "スマホ", "国民年金保険料"]:
        assert murmurhash64a(word.encode("utf-8")) == hash_string(word)


def test_chive_neighbours_connect_everyday_words_to_plan_words():
    chive = ChiveVectors.load(chive_dir())
    table = build_neighbour_table(
        chive, ["スマートフォン", "インターネット", "退職", "納付"], min_similarity=0.45
    )
    assert table.neighbours("スマホ")[0][0] == "スマートフォン"
    assert table.neighbours("スマホ")[0][1] > 0.85
    assert "インターネット" in dict(table.neighbours("ネット"))
    assert table.neighbours("存在しないかもしれない語xyz") == []


def test_a_number_has_no_word_vector_neighbours():
    # chiVe puts 3 beside 4 (similarity 0.95): 第3期 questions matched 4th-plan text.
    chive = ChiveVectors.load(chive_dir())
    table = build_neighbour_table(chive, ["3", "4", "スマートフォン"], min_similarity=0.3)
    row = _lookup(table.keys, table.rows, "3")
    stored = {table.terms[i] for i in table.neighbour_ids[row] if i >= 0}
    assert "4" in stored  # the table holds the pair; the lookup must not give it
    assert table.neighbours("3") == [] and table.neighbours("３") == []
    assert table.neighbours("スマホ") == [("スマートフォン", pytest.approx(0.91, abs=0.02))]


def test_weighted_rrf_and_zero_weight_drops_a_list():
    fused = weighted_rrf({"lex": ["a", "b"], "dense": ["b", "c"]}, {"lex": 1.0, "dense": 1.0})
    assert [item for item, _ in fused][:1] == ["b"]
    only_lex = weighted_rrf({"lex": ["a", "b"], "dense": ["c"]}, {"lex": 1.0, "dense": 0.0})
    assert [item for item, _ in only_lex] == ["a", "b"]
    scored = weighted_scores({"lex": {"a": 2.0, "b": 1.0}}, {"lex": 1.0})
    assert scored[0] == ("a", 1.0)


def test_coverage_of_many_documents_matches_one_at_a_time():
    analyzer = Analyzer(AnalyzerConfig(mode="A"))
    texts = [
        "コールセンターでの応答率は70%以上を確保する。",
        "応答率の推移。",
        "国民年金保険料の納付率の目標。",
    ]
    bm25 = Bm25Index.build([analyzer.counts(t) for t in texts])
    glossary = Glossary((("電話がつながる割合", "応答率"),))
    lexical = LexicalSearcher(analyzer, bm25, glossary=glossary)
    presence = build_presence((analyzer.terms(t) for t in texts), bm25.vocabulary)
    question = "電話がつながる割合の目標は何%以上？"
    own = lexical.coverages(question, presence, [2, 0, 1])
    weighted = lexical.coverages(question, bm25.weights, [2, 0, 1])
    expected = [lexical.coverage(question, texts[row]) for row in (2, 0, 1)]
    assert list(own) == pytest.approx(expected) and list(weighted) == pytest.approx(expected)
    # A term found only in the headings counts half, the same in both forms.
    headings = ["目標", "", "応答率"]
    heading_matrix = build_presence((analyzer.terms(h) for h in headings), bm25.vocabulary)
    with_headings = lexical.coverages(
        question, presence, [2, 0, 1], nearby=heading_matrix, nearby_weight=0.5
    )
    expected_with_headings = [
        lexical.coverage_of(
            question,
            set(analyzer.terms(texts[row])),
            nearby=set(analyzer.terms(headings[row])),
            nearby_weight=0.5,
        )
        for row in (2, 0, 1)
    ]
    assert list(with_headings) == pytest.approx(expected_with_headings)
    assert with_headings[1] > own[1]  # row 0 gains its heading 目標
    # The passage with the glossary's 応答率 and the asked-for 以上 covers more than the
    # one with 応答率 alone.
    assert own[1] > own[2] > 0


def _coverage(lexical, question, present, nearby=(), nearby_weight=0.0):
    """The one-text coverage as ``coverage_of`` computed it before it had a second result."""
    total = found = 0.0
    for term, group in lexical.term_groups(question).items():
        idf = lexical.bm25.idf(term)
        total += idf
        best = 0.0
        for t, w in group.items():
            if t in present:
                best = max(best, min(1.0, w))
            elif t in nearby:
                best = max(best, min(1.0, w) * nearby_weight)
        found += idf * best
    return found / total if total else 0.0


def test_coverage_with_headings_and_own_in_one_pass_are_the_two_coverages():
    analyzer = Analyzer(AnalyzerConfig(mode="A"))
    texts = ["電話の応答率は7割以上とする。", "納付率の目標。", "研修の実施。"]
    bm25 = Bm25Index.build([analyzer.counts(t) for t in texts])
    glossary = Glossary((("電話がつながる割合", "応答率"),))
    lexical = LexicalSearcher(analyzer, bm25, glossary=glossary)
    question = "電話がつながる割合の目標は何%以上？"
    for text, heading in zip(texts, ["目標", "応答率", ""], strict=True):
        present, nearby = set(analyzer.terms(text)), set(analyzer.terms(heading))
        both = lexical.coverage_and_own(question, present, nearby, 0.5)
        # The same floats, not only close ones: selection must not move.
        assert both == (
            _coverage(lexical, question, present, nearby, 0.5),
            _coverage(lexical, question, present),
        )
        assert lexical.coverage_of(question, present, nearby=nearby, nearby_weight=0.5) == both[0]
    assert lexical.coverage_and_own(question, set(), set(), 0.5) == (0.0, 0.0)


def test_a_question_on_plans_pulls_this_plans_measures_not_the_earlier_plans():
    weights = kind_weights("全国異動の方針はどう変わる？", 2.0)
    assert weights["measure"] == weights["sub_measure"] == 2.0
    assert "fy_plan" not in weights and "plan_summary" not in weights
    # A figure asked for under a plan word is the plan's figure, not a result.
    assert kind_weights("男性の育休取得率はどうする方針？", 2.0) == dict.fromkeys(
        MEASURE_KINDS, 2.0
    )
    assert kind_weights("男性の育休取得率は？", 2.0)["result"] == 2.0
    # A named fiscal year still points at that year's plan and report.
    assert kind_weights("令和5年度計画の全国異動の方針は？", 2.0)["fy_plan"] == 2.0


@settings(max_examples=200, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 12), st.integers(1, 9)),
    density=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_presence_read_from_the_csc_arrays_matches_scipy_indexing(shape, density, seed, data):
    """``_present`` reads the CSC arrays directly; scipy's indexing is the reference, for
    any columns and picked rows (repeats included) and stored zeros or negatives."""
    rng = np.random.default_rng(seed)
    dense = rng.choice([-1.0, 0.0, 0.5, 2.0], size=shape) * (rng.random(shape) < density)
    matrix = sparse.csc_matrix(dense)
    matrix.data[rng.random(matrix.data.shape) < 0.2] = 0.0  # explicit zeros stay stored
    rows = data.draw(st.lists(st.integers(0, shape[0] - 1), max_size=15))
    columns = data.draw(st.lists(st.integers(0, shape[1] - 1), max_size=9, unique=True))
    expected = (
        (matrix[:, columns].tocsr()[np.asarray(rows, dtype=np.int64)].toarray() > 0)
        if rows and columns
        else np.zeros((len(rows), len(columns)))
    )
    assert np.array_equal(_present(matrix, columns, np.asarray(rows, dtype=np.int64)), expected)


@settings(max_examples=100, deadline=None)
@given(
    documents=st.lists(
        st.lists(st.sampled_from(["年金", "保険料", "納付", "相談", "窓口", "目標"]), max_size=8),
        min_size=1,
        max_size=12,
    ),
    query=st.dictionaries(
        st.sampled_from(["年金", "保険料", "納付", "相談", "窓口", "目標", "未知語"]),
        st.floats(0.05, 3.0),
        max_size=7,
    ),
)
def test_bm25_scores_equal_the_sparse_product(documents, query):
    """Scores read from the CSC arrays add in the order a sparse product does: the same
    float32 values bit for bit, so no ranking changes."""
    index = Bm25Index.build([Counter(words) for words in documents])
    known = [t for t in query if t in index.vocabulary]
    expected = (
        np.asarray(
            index.weights[:, [index.vocabulary[t] for t in known]]
            @ np.asarray([query[t] for t in known], dtype=np.float32)
        ).ravel()
        if known
        else np.zeros(index.size, dtype=np.float32)
    )
    assert np.array_equal(index.scores(query), expected)
