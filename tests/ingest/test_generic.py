"""The generic parser on real files: a generated Japanese PDF, Markdown and plain text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.loaders import load_document
from ingest.model import Chunk
from ingest.parsers import choose_parser, generic
from ingest.pipeline import ingest_file
from ingest.sudachi import split_sentences

# (heading, drawn lines): every page breaks a sentence across two lines and cites plan pages.
PDF_PAGES = [
    (
        "第１章 国民年金の適用",
        ["国民年金の適用促進に取り組み、最終納", "付率の向上を目指す。[中期P10,11]"],
    ),
    (
        "第２章 保険料の収納",
        ["口座振替とキャッシュレス納付の利用を促", "進し、収納率を改善する。【年度P20】"],
    ),
    (
        "第３章 年金給付",
        ["年金の請求手続を簡素化し、お客様の負担", "を軽減する。[中期P30,年度P31,32]"],
    ),
]


def write_pdf(path: Path, pages: list[tuple[str, list[str]]] = PDF_PAGES) -> Path:
    """A Japanese PDF drawn with reportlab's built-in CID font (no font file needed)."""
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for heading, lines in pages:
        pdf.setFont("HeiseiMin-W3", 16)
        pdf.drawString(72, 780, heading)
        pdf.setFont("HeiseiMin-W3", 11)
        for row, line in enumerate(lines):
            pdf.drawString(72, 740 - 18 * row, line)
        pdf.showPage()
    pdf.save()
    return path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _chunks(path: Path, max_chars: int = 400) -> list[Chunk]:
    result = ingest_file(path, max_chars=max_chars)
    assert result.error is None, result.error
    return result.chunks


@pytest.fixture
def pdf_chunks(tmp_path: Path) -> list[Chunk]:
    return _chunks(write_pdf(tmp_path / "第5期計画.pdf"))


def test_pdf_chunks_carry_their_physical_page(pdf_chunks: list[Chunk]):
    assert {chunk.page for chunk in pdf_chunks} == {1, 2, 3}
    assert {chunk.source for chunk in pdf_chunks} == {"第5期計画.pdf"}


def test_pdf_chunks_cite_the_plan_pages_written_on_their_page(pdf_chunks: list[Chunk]):
    # A file that is not one of the plans cites their pages: its chunks keep their own labels.
    cites_by_page = {page: set() for page in (1, 2, 3)}
    for chunk in pdf_chunks:
        cites_by_page[chunk.page].update(chunk.cites)
        assert chunk.refs == () and chunk.labels == (f"第5期計画.pdf p.{chunk.page}",)
    assert cites_by_page == {
        1: {"中期P10", "中期P11"},
        2: {"年度P20"},
        3: {"中期P30", "年度P31", "年度P32"},
    }


def test_pdf_line_break_inside_a_sentence_is_joined_without_space(pdf_chunks: list[Chunk]):
    texts = "\n".join(chunk.text for chunk in pdf_chunks)
    for joined in ("最終納付率", "利用を促進し", "お客様の負担を軽減する"):
        assert joined in texts
    assert "最終納 付率" not in texts and "最終納\n付率" not in texts


def test_pdf_page_headings_become_titles_not_text(pdf_chunks: list[Chunk]):
    titles = {chunk.page: chunk.title for chunk in pdf_chunks}
    assert titles == {1: "第１章 国民年金の適用", 2: "第２章 保険料の収納", 3: "第３章 年金給付"}
    assert all("第１章" not in chunk.text for chunk in pdf_chunks)


def test_unknown_files_go_to_the_generic_parser(tmp_path: Path):
    doc = load_document(write_pdf(tmp_path / "plan.pdf"))
    assert generic.detect(doc)
    assert choose_parser(doc) is generic


LONG_SECTION = "".join(
    f"第{n}の取組として、年金事務所ごとに未適用事業所の調査を計画的に実施し、加入指導を行う。"
    for n in range(1, 13)
)

MARKDOWN = f"""# 第５期中期計画

## 第１章 国民年金

{LONG_SECTION}

## 第２章 厚生年金

### １．適用促進

●未適用事業所の適用を着実に進める。[中期P46,年度P47,48]
・調査の実施
・加入指導

本章の取組は以上である。
"""


@pytest.fixture
def markdown_chunks(tmp_path: Path) -> list[Chunk]:
    return _chunks(_write(tmp_path / "plan.md", MARKDOWN), max_chars=120)


def test_long_section_splits_into_several_chunks_under_max_chars(markdown_chunks: list[Chunk]):
    section = [c for c in markdown_chunks if c.title == "第１章 国民年金"]
    assert len(section) >= 4
    assert all(len(chunk.text) <= 120 for chunk in section)
    assert "".join(chunk.text for chunk in section) == LONG_SECTION


def test_chunks_hold_whole_sentences_only(markdown_chunks: list[Chunk]):
    sentences = set(split_sentences(LONG_SECTION))
    for chunk in markdown_chunks:
        if chunk.title == "第１章 国民年金":
            assert chunk.text.endswith("。")
            assert set(split_sentences(chunk.text)) <= sentences


def test_markdown_headings_give_title_section_and_path(markdown_chunks: list[Chunk]):
    first = next(c for c in markdown_chunks if "第1の取組" in c.text)
    assert first.heading_path == ("第５期中期計画", "第１章 国民年金")
    assert (first.section, first.title) == ("第５期中期計画", "第１章 国民年金")
    assert first.context == "第５期中期計画 > 第１章 国民年金"
    measure = next(c for c in markdown_chunks if c.text.startswith("●"))
    assert measure.heading_path == ("第５期中期計画", "第２章 厚生年金", "１．適用促進")


def test_bullet_item_with_sub_points_is_one_measure(markdown_chunks: list[Chunk]):
    measure = next(c for c in markdown_chunks if c.text.startswith("●"))
    assert measure.kind == "measure"
    assert (
        measure.text
        == "●未適用事業所の適用を着実に進める。[中期P46,年度P47,48]\n・調査の実施\n・加入指導"
    )
    assert measure.cites == ("中期P46", "年度P47", "年度P48") and measure.refs == ()
    closing = next(c for c in markdown_chunks if "以上である" in c.text)
    assert closing.kind == "text" and closing.cites == () and closing.refs == ()


def test_locators_are_unique_within_a_file(markdown_chunks: list[Chunk]):
    locators = [chunk.locator for chunk in markdown_chunks]
    assert len(set(locators)) == len(locators)
    assert all(locator.startswith("p1/h") for locator in locators)


def test_a_sentence_longer_than_max_chars_is_its_own_chunk_uncut(tmp_path: Path):
    long_sentence = "年金" * 80 + "を支払う。"
    text = f"短い文である。{long_sentence}次の文である。"
    chunks = _chunks(_write(tmp_path / "long.txt", text), max_chars=50)
    assert [chunk.text for chunk in chunks] == ["短い文である。", long_sentence, "次の文である。"]


def test_ref_after_a_full_stop_stays_with_its_sentence(tmp_path: Path):
    text = "適用調査を実施する。[中期P5]収納対策を実施する。【年度P6】"
    chunks = _chunks(_write(tmp_path / "refs.txt", text), max_chars=15)
    assert [(chunk.text, chunk.cites) for chunk in chunks] == [
        ("適用調査を実施する。[中期P5]", ("中期P5",)),
        ("収納対策を実施する。【年度P6】", ("年度P6",)),
    ]


def test_form_feed_starts_a_new_page_in_a_text_file(tmp_path: Path):
    text = "第１章 総則\n本計画は年金事業の運営を定める。\f第２章 適用\n適用事業所を把握する。\f"
    chunks = _chunks(_write(tmp_path / "pages.txt", text))
    assert [(c.page, c.title, c.text) for c in chunks] == [
        (1, "第１章 総則", "本計画は年金事業の運営を定める。"),
        (2, "第２章 適用", "適用事業所を把握する。"),
    ]


def test_heading_path_continues_onto_a_page_without_heading(tmp_path: Path):
    text = "第１章 総則\n一頁目の本文である。\f二頁目の本文である。"
    chunks = _chunks(_write(tmp_path / "carry.txt", text))
    assert [(c.page, c.title, c.locator) for c in chunks] == [
        (1, "第１章 総則", "p1/h1/c1"),
        (2, "第１章 総則", "p2/h0/c1"),
    ]


def test_headings_of_many_forms_are_recognised():
    assert generic.heading_of("第１章 国民年金").text == "第１章 国民年金"
    assert generic.heading_of("１．適用促進") is not None
    assert generic.heading_of("Ⅰ-２．国民年金の保険料収納対策") is not None
    assert generic.heading_of("【令和５年度における重点取組施策】") is not None
    assert generic.heading_of("## 概要").text == "概要"
    assert generic.heading_of("本文の途中で改行された行", isolated=True) is not None


def test_sentences_refs_and_broken_lines_are_not_headings():
    assert generic.heading_of("第１章で述べたとおり実施する。") is None
    assert generic.heading_of("【年度P20】") is None
    assert generic.heading_of("●未適用事業所の適用") is None
    assert generic.heading_of("1.5倍に増加") is None
    assert generic.heading_of("国民年金の適用促進に取り組み、最終納") is None


def test_html_is_stripped_but_japanese_angle_labels_and_full_width_stay(tmp_path: Path):
    text = '<p data-bbox="1 2 3 4">＜本部＞と<年金事務所>が連携し、１００％を目指す。</p>'
    chunks = _chunks(_write(tmp_path / "html.txt", text))
    assert [chunk.text for chunk in chunks] == [
        "＜本部＞と<年金事務所>が連携し、１００％を目指す。"
    ]


def test_ids_are_stable_across_runs(tmp_path: Path):
    pdf = write_pdf(tmp_path / "plan.pdf")
    markdown = _write(tmp_path / "plan.md", MARKDOWN)
    for path in (pdf, markdown):
        first = [chunk.id for chunk in _chunks(path, max_chars=120)]
        again = [chunk.id for chunk in _chunks(path, max_chars=120)]
        assert first == again
        assert len(set(first)) == len(first)


_sentence = st.text(alphabet="年金保険料の納付率を向上させる事業所", min_size=1, max_size=60).map(
    lambda body: body + "。"
)
_paragraphs = st.lists(
    st.lists(_sentence, min_size=1, max_size=6).map("".join), min_size=1, max_size=5
)


@given(paragraphs=_paragraphs, max_chars=st.integers(min_value=10, max_value=200))
def test_packing_keeps_every_sentence_whole_and_in_order(paragraphs: list[str], max_chars: int):
    chunks = generic.pack_sentences(paragraphs, max_chars)
    assert "".join(chunks).replace("\n", "") == "".join(paragraphs)
    source_sentences = [s for paragraph in paragraphs for s in split_sentences(paragraph)]
    chunk_sentences = [s for chunk in chunks for s in split_sentences(chunk)]
    assert chunk_sentences == source_sentences
    for chunk in chunks:
        assert len(chunk) <= max_chars or len(split_sentences(chunk)) == 1


# Headings with no blank line around them, in the forms plans use, between sentences of our
# own wording; two headings replace each other before any text, and the file ends on one.
GLUED_HEADINGS = """事業計画メモ
【表紙】
第１章 総論
＜お客様サービス＞
電話の応答率を高める。窓口の待ち時間を短くする。
■ 人材の育成
研修を年に二回行う。
◆ 情報セキュリティ
外部の監査を受ける。
第２ 業務運営の改善
事務の手順を見直す。
窓口サービスの質の向上
予約制の窓口を全ての拠点で運用する。
■ 研修の実施
■ 監査の実施
【事務処理の正確性】
【付記】
"""

# (heading, the sentence right under it)
HEADED = [
    ("＜お客様サービス＞", "電話の応答率を高める。"),
    ("■ 人材の育成", "研修を年に二回行う。"),
    ("◆ 情報セキュリティ", "外部の監査を受ける。"),
    ("第２ 業務運営の改善", "事務の手順を見直す。"),
    ("窓口サービスの質の向上", "予約制の窓口を全ての拠点で運用する。"),
]


@pytest.fixture
def glued_chunks(tmp_path: Path) -> list[Chunk]:
    return _chunks(_write(tmp_path / "メモ.txt", GLUED_HEADINGS))


def test_every_line_of_a_text_upload_is_inside_some_chunk(glued_chunks: list[Chunk]):
    held = {line for c in glued_chunks for line in (*c.text.split("\n"), *c.heading_path)}
    missing = [line for line in GLUED_HEADINGS.split("\n") if line and line not in held]
    sentences = "".join(c.text for c in glued_chunks)
    assert [line for line in missing if line not in sentences] == []


@pytest.mark.parametrize(("heading", "sentence"), HEADED)
def test_a_heading_without_blank_lines_heads_the_text_under_it(
    glued_chunks: list[Chunk], heading: str, sentence: str
):
    [under] = [c for c in glued_chunks if sentence in c.text]
    assert under.title == heading
    # The sentence starts a line of its own: read on its own, not glued to the heading.
    assert any(line.startswith(sentence) for line in under.text.split("\n"))


def test_a_noun_phrase_a_line_break_cut_from_its_sentence_is_no_heading(tmp_path: Path):
    text = "口座振替を勧める。\nお客様の手続の負担\nを軽減する。\n"
    chunks = _chunks(_write(tmp_path / "wrapped.txt", text))
    assert [(c.title, c.text) for c in chunks] == [
        (None, "口座振替を勧める。お客様の手続の負担を軽減する。")
    ]


_words = st.text(alphabet="年金窓口の向上を整える。【】＜＞■◆●・※第１章 ", min_size=0, max_size=24)
_topic = st.text(alphabet="年金窓口相談予約", min_size=1, max_size=8)
# Lines in the forms a heading takes, and any line at all.
_line = st.one_of(
    _words,
    _topic.map(lambda t: f"【{t}】"),
    _topic.map(lambda t: f"＜{t}＞"),
    _topic.map(lambda t: f"■ {t}の向上"),
    _topic.map(lambda t: f"第１章 {t}"),
    _topic.map(lambda t: f"{t}の向上"),
    _topic.map(lambda t: f"{t}を整える。"),
)


@given(lines=st.lists(_line, min_size=1, max_size=14))
def test_no_line_of_a_text_file_is_lost(tmp_path_factory: pytest.TempPathFactory, lines: list[str]):
    path = tmp_path_factory.mktemp("lines") / "メモ.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    chunks = ingest_file(path).chunks

    def flat(text: str) -> str:
        return "".join(text.split())

    held = flat("".join(chunk.text for chunk in chunks))
    headings = {flat(heading) for chunk in chunks for heading in chunk.heading_path}
    lost = [line for line in lines if flat(line) and flat(line) not in held]
    assert [line for line in lost if flat(line) not in headings] == []
