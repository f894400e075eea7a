"""question/page_refs.py: plan pages named in questions → labels and the spans they were written in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.refs import find_bracket_refs, find_footer_refs
from question.page_refs import (
    PAGE_DOCUMENTS,
    PageDocumentsError,
    PageReference,
    document_names,
    page_references,
    strip_page_references,
)

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"

# (question, [(label, the text its span covers, onward), ...])
CASES = [
    ("中期P46の取組を知りたい", [("中期P46", "中期P46", False)]),
    ("中期 P46 には何とある？", [("中期P46", "中期 P46", False)]),
    ("中期計画P46の要点", [("中期P46", "中期計画P46", False)]),
    ("中期計画のP46を要約して", [("中期P46", "中期計画のP46", False)]),
    ("中期計画46ページの目標は", [("中期P46", "中期計画46ページ", False)]),
    ("中期計画の46頁について", [("中期P46", "中期計画の46頁", False)]),
    ("第4期中期計画の46ページの内容", [("中期P46", "第4期中期計画の46ページ", False)]),
    ("第４期中期計画（案）のp.46を見たい", [("中期P46", "第４期中期計画（案）のp.46", False)]),
    ("年度計画56ページに載っている数値", [("年度P56", "年度計画56ページ", False)]),
    ("年度計画のP33は何の話？", [("年度P33", "年度計画のP33", False)]),
    ("令和6年度計画のP47の目標値", [("年度P47", "令和6年度計画のP47", False)]),
    ("令和６年度計画の47ページを説明して", [("年度P47", "令和６年度計画の47ページ", False)]),
    ("年度P47には何が", [("年度P47", "年度P47", False)]),
    ("資料1-3 P6の実績", [("資料1-3 P6", "資料1-3 P6", False)]),
    ("資料１－３の２１ページの事業所数", [("資料1-3 P21", "資料１－３の２１ページ", False)]),
    ("資料1-3の21ページ以降をまとめて", [("資料1-3 P21", "資料1-3の21ページ以降", True)]),
    (
        "資料1-3（令和5年度業務実績報告書案）の87ページの件数",
        [("資料1-3 P87", "資料1-3（令和5年度業務実績報告書案）の87ページ", False)],
    ),
    (
        "令和5年度業務実績報告書（案）の39ページで触れている点",
        [("資料1-3 P39", "令和5年度業務実績報告書（案）の39ページ", False)],
    ),
    (
        "令和5年度業務実績報告書の45ページ以降の内容",
        [("資料1-3 P45", "令和5年度業務実績報告書の45ページ以降", True)],
    ),
    (
        "業務実績報告書（令和5年度）の12ページを読みたい",
        [("資料1-3 P12", "業務実績報告書（令和5年度）の12ページ", False)],
    ),
    (
        "第3期中期業務実績報告書の18ページに何が",
        [("資料1-4 P18", "第3期中期業務実績報告書の18ページ", False)],
    ),
    ("第３期の業務実績報告書P18の成果", [("資料1-4 P18", "第３期の業務実績報告書P18", False)]),
    ("中期業務実績報告書の18ページとは", [("資料1-4 P18", "中期業務実績報告書の18ページ", False)]),
    ("中期計画のＰ４６に書かれた方針", [("中期P46", "中期計画のＰ４６", False)]),
    (
        "中期P46～48の施策は",
        [
            ("中期P46", "中期P46～48", False),
            ("中期P47", "中期P46～48", False),
            ("中期P48", "中期P46～48", False),
        ],
    ),
    (
        "中期計画の46、47ページを比べて",
        [
            ("中期P46", "中期計画の46、47ページ", False),
            ("中期P47", "中期計画の46、47ページ", False),
        ],
    ),
    ("中期計画では、46ページに何が", [("中期P46", "中期計画では、46ページ", False)]),
    # the forms written in the plans themselves
    (
        "[中期P46,年度P47,48]の件",
        [
            ("中期P46", "中期P46", False),
            ("年度P47", "年度P47,48", False),
            ("年度P48", "年度P47,48", False),
        ],
    ),
    (
        "資料１－３：令和５年度業務実績報告書（案）6ページ～",
        [("資料1-3 P6", "資料１－３：令和５年度業務実績報告書（案）6ページ～", True)],
    ),
    # more spellings of the page part
    ("中期計画 page 46 の話", [("中期P46", "中期計画 page 46", False)]),
    ("中期計画の第46頁", [("中期P46", "中期計画の第46頁", False)]),
    ("資料1ー3 P6", [("資料1-3 P6", "資料1ー3 P6", False)]),
    ("資料1-4の4ページから", [("資料1-4 P4", "資料1-4の4ページから", True)]),
    (
        "中期計画の46から48ページまで",
        [
            ("中期P46", "中期計画の46から48ページ", False),
            ("中期P47", "中期計画の46から48ページ", False),
            ("中期P48", "中期計画の46から48ページ", False),
        ],
    ),
    ("中期計画46ﾍﾟｰｼﾞ", [("中期P46", "中期計画46ﾍﾟｰｼﾞ", False)]),
    ("中期P46と年度P47", [("中期P46", "中期P46", False), ("年度P47", "年度P47", False)]),
    ("令和5年度計画と中期計画のP3", [("中期P3", "中期計画のP3", False)]),
]

NEGATIVES = [
    "P20には何が書いてある？",
    "20ページの内容",
    "令和5年度はどうだった",
    "第4期の方針",
    "納付率は70%を超えた",
    "中期計画の5年間で何をする",
    "4ページ以上の資料",
    "令和5年度計画のP33",  # 令和5年度計画 is no bundled plan
    "業務実績報告書の18ページ",  # which of the two reports?
    "第3期中期計画のP5",  # not in the corpus
    "第2期中期業務実績報告書の10ページ",
    "資料1-34 P6",
    "資料2-1のP5",
    "中期P12345",  # five digits: no page
    "中期P0",
    "中期 P 4 6",  # a space inside a number: cannot tell which page
    "中期計画で70%",
]


def _written(question: str, refs: tuple[PageReference, ...]) -> list[tuple[str, str, bool]]:
    return [(ref.label, question[ref.start : ref.end], ref.onward) for ref in refs]


def _full_width(text: str) -> str:
    """Half-width ASCII as full-width, one character for one (spans stay the same)."""
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text
    )


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_page_references_give_labels_and_written_spans(question, expected):
    assert _written(question, page_references(question)) == expected


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_full_width_questions_give_the_same_references(question, expected):
    assert page_references(_full_width(question)) == page_references(question)


@pytest.mark.parametrize("question", NEGATIVES)
def test_no_label_without_a_named_bundled_document_and_page(question):
    assert page_references(question) == ()
    assert strip_page_references(question) == question


@pytest.mark.parametrize(
    ("question", "stripped"),
    [
        ("中期計画では、46ページに何が", " に何が"),
        ("資料1-3の21ページ以降をまとめて", " をまとめて"),
        ("[中期P46,年度P47,48]の件", "[ , ]の件"),
        ("中期P46～48の施策は", " の施策は"),
        ("ページ数は？", "ページ数は？"),
    ],
)
def test_strip_page_references_blanks_each_reference(question, stripped):
    assert strip_page_references(question) == stripped


def test_every_bracket_ref_in_the_overview_gives_the_ingest_labels():
    text = (PLANS / "jps-4th-midterm-plan-overview.txt").read_text(encoding="utf-8")
    spans = find_bracket_refs(text)
    assert len(spans) > 40
    for span in spans:
        written = text[span.start : span.end]
        assert tuple(ref.label for ref in page_references(written)) == span.labels, written


def test_every_results_footer_gives_the_ingest_label():
    text = (PLANS / "jps-3rd-midterm-fy2023-results.txt").read_text(encoding="utf-8")
    spans = find_footer_refs(text)
    assert len(spans) > 40
    for span in spans:
        written = text[span.start : span.end]
        refs = page_references(written)
        assert [ref.label for ref in refs] == list(span.labels), written
        assert (refs[0].start, refs[0].end) == (0, len(written))


def test_each_document_name_says_where_it_comes_from():
    lines = PAGE_DOCUMENTS.read_text(encoding="utf-8").splitlines()
    entries = [n for n, line in enumerate(lines) if line.strip() and not line.startswith("#")]
    assert len(entries) == len(document_names())
    for n in entries:
        assert lines[n - 1].startswith("# "), f"line {n + 1} has no comment line above it"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("中期計画\n", r"bad\.tsv:1: expected"),
        ("# ok\n中期計画\t中間\n", r"bad\.tsv:2: label prefix '中間'"),
        ("(中期\t中期\n", r"bad\.tsv:1: bad regex"),
    ],
)
def test_a_bad_document_line_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PageDocumentsError, match=message):
        document_names(path)


# --- properties -----------------------------------------------------------------------------

FRAGMENTS = [
    "中期",
    "計画",
    "中期計画",
    "年度",
    "年度計画",
    "令和6",
    "令和5",
    "資料1-3",
    "資料１－４",
    "業務実績報告書",
    "（案）",
    "(",
    ")",
    "の",
    "では、",
    "P",
    "ｐ",
    "p.",
    "ページ",
    "頁",
    "page",
    "～",
    "-",
    "から",
    "以降",
    "、",
    ",",
    "第",
    "期",
    " ",
    "\u3000",
    "ﾞ",
    "\u3099",
]
_ANY_CHAR = st.characters(exclude_categories=())  # lone surrogates and control characters too


def _digits(shortest: int) -> st.SearchStrategy[str]:
    """Runs of one digit up to 10,000 long (half- or full-width)."""
    return st.builds(
        lambda digit, n: digit * n, st.sampled_from("09１"), st.integers(shortest, 10_000)
    )


_QUESTION = st.lists(
    st.one_of(st.text(_ANY_CHAR, max_size=8), st.sampled_from(FRAGMENTS), _digits(1)),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_QUESTION)
def test_any_text_gives_spans_inside_it(question):
    refs = page_references(question)
    for ref in refs:
        assert 0 <= ref.start < ref.end <= len(question)
    stripped = strip_page_references(question)
    assert len(stripped) <= len(question)


_DOCUMENTS = ["中期", "中期計画の", "年度計画", "令和6年度計画の", "資料1-3 ", "資料１－４の"]


@settings(deadline=None)
@given(
    st.sampled_from(_DOCUMENTS),
    st.sampled_from(["P", "ｐ", "p.", ""]),
    st.from_regex(re.compile(r"[0-9０-９]{5,12}"), fullmatch=True) | _digits(5),
    st.sampled_from(["ページ", "頁", "", "以降"]),
)
def test_a_page_number_of_more_than_four_digits_gives_no_label(document, prefix, number, unit):
    assert page_references(f"{document}{prefix}{number}{unit}") == ()


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("overview p.10には何が書いてある？", "overview p.10"),
        ("（Overview P.2）の内容は？", "overview p.2"),  # as a client writes it back
        ("results p.60を見せて", "results p.60"),
    ],
)
def test_the_services_own_document_labels_are_pages_too(question, label):
    # A passage with no plan label is cited as overview p.10; a user or a chat client that
    # sends it back names that page, not a word "overview" the plans never write.
    assert [ref.label for ref in page_references(question)] == [label]


# The names the index cites its users' files by (Snapshot.document_names), passed in.
FILES = frozenset({"支所だより.txt", "窓口 手順.md", "memo2.txt"})


@pytest.mark.parametrize(
    ("question", "labels"),
    [
        ("支所だより.txt p.1の要点を教えて", ["支所だより.txt p.1"]),  # as answers cite it
        ("支所だより.txt p1の内容は？", ["支所だより.txt p.1"]),
        ("支所だより.txtの2ページを見せて", ["支所だより.txt p.2"]),
        ("窓口 手順.md p.3の要点は？", ["窓口 手順.md p.3"]),  # a name with a space
        ("MEMO2.TXT P.4には？", ["memo2.txt p.4"]),  # typed in capitals
        ("中期P46とmemo2.txt p.1を比べて", ["中期P46", "memo2.txt p.1"]),
        ("xmemo2.txt p.1は？", []),  # inside a longer name: another file
    ],
)
def test_a_users_file_label_is_a_page_when_the_index_holds_the_file(question, labels):
    assert [ref.label for ref in page_references(question, FILES)] == labels


def test_a_file_label_is_read_only_for_files_the_index_holds():
    assert page_references("支所だより.txt p.1の要点を教えて") == ()
    question = "支所だより.txt p.1の内容は？"
    assert strip_page_references(question, FILES).strip() == "の内容は？"
