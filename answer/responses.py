"""The responses the answer service builds: citations, a decline, "no such page"."""

from __future__ import annotations

from collections.abc import Mapping

from answer.extractive import Picked
from answer.schemas import AskResponse, Citation, Context
from answer.sentences import sentences_of
from ingest.model import Chunk
from question import QuestionAnalysis

NOT_FOUND = "申し訳ありません。ご質問の内容は、計画文書には記載が見当たりませんでした。"
PROMISE = "近い内容の箇所を参考として示します。"  # said only when passages follow
DECLINE_TEXT = NOT_FOUND + PROMISE


def citations_for(
    picked: list[Picked], page_documents: Mapping[str, str] | None = None
) -> list[Citation]:
    """Each statement's labels as its line cites them (``Chunk.answer_labels``: an upload's
    own page, then the plan pages it cites, titled from ``page_documents``)."""
    citations: list[Citation] = []
    seen: set[tuple[str, str]] = set()
    for item in picked:
        for label in item.chunk.answer_labels:
            key = (label, item.chunk.id)
            if key not in seen:
                seen.add(key)
                citations.append(Citation.of(label, item.chunk, item.quote, page_documents))
    return citations


def quote_for(chunk: Chunk, answer: str) -> str:
    """The sentence of ``chunk`` sharing the most character pairs with the answer."""
    pairs = {answer[i : i + 2] for i in range(len(answer) - 1)}
    sentences = sentences_of(chunk) or [chunk.text]
    return max(sentences, key=lambda s: sum(s[i : i + 2] in pairs for i in range(len(s) - 1)))


def no_such_page(contexts: list[Context], analysis: QuestionAnalysis) -> AskResponse:
    """A named page the plans do not have: said plainly, never taken for an unknown name."""
    named = "・".join(analysis.labels)
    return AskResponse(
        answer=f"{named}というページは、索引された計画文書にありません。ページ番号をご確認ください。",
        answered=False,
        citations=[],
        contexts=contexts,
        mode="extractive",
        question_used=analysis.search_text,
        notes=[f"ページがありません: {named} / no such page in the indexed plans: {named}"],
    )


def asks_referent(analysis: QuestionAnalysis) -> AskResponse:
    """A demonstrative whose referent is nowhere (question/referent.py): any passage would
    be a guess, so none is given; the reply asks the user to name what it points at."""
    word = analysis.unresolved_reference
    return AskResponse(
        answer=(
            f"「{word}」が何を指すのか、この質問だけでは分かりません。"
            "知りたい施策や項目の名前を入れて、もう一度お尋ねください。\n"
            f"It is not clear what 「{word}」 refers to: please ask again, naming the measure "
            "or item you mean."
        ),
        answered=False,
        citations=[],
        contexts=[],
        mode="extractive",
        question_used=analysis.search_text,
        notes=[
            f"指示語「{word}」の指す先が会話にも質問にもありません / "
            f"the demonstrative 「{word}」 refers to nothing in the question or the conversation"
        ],
    )


def asks_document(analysis: QuestionAnalysis, labels: list[str]) -> AskResponse:
    """Pages named with no document (46ページの内容は？): each bundled document has its own
    page of that number, so the reply names the ones the index holds and asks which is
    meant, rather than quoting whatever passage holds the number 46."""
    pages = "・".join(f"{page}ページ" for page in analysis.unnamed_pages)
    listed = "、".join(labels)
    if len(labels) > 1:
        japanese = f"どの文書の{pages}ですか。{listed} のいずれかを指定してお尋ねください。"
        english = f"Which document's page? Ask again naming one of: {', '.join(labels)}."
    elif labels:
        japanese = f"{pages}は {listed} のことでしょうか。{listed} と指定してお尋ねください。"
        english = f"Which document's page? Only {listed} exists: ask again naming it."
    else:
        japanese = f"{pages}はどの文書にもありません。文書名とページ番号をご確認ください。"
        english = "No indexed document has that page: check the document and page number."
    return AskResponse(
        answer=f"{japanese}\n{english}",
        answered=False,
        citations=[],
        contexts=[],
        mode="extractive",
        question_used=analysis.search_text,
        notes=[f"文書名のないページ: {pages} / a page named with no document: {listed or '-'}"],
    )


NEAREST_PASSAGES = 3
NEAREST_CHARS = 60


def _nearest(contexts: list[Context]) -> list[str]:
    """Up to ``NEAREST_PASSAGES`` lines ・start of the passage…【label】."""
    nearest = []
    for context in contexts:
        if not context.labels:
            continue
        text = " ".join(context.text.split())
        shown = text if len(text) <= NEAREST_CHARS else text[:NEAREST_CHARS] + "…"
        nearest.append(f"・{shown}【{context.labels[0]}】")
        if len(nearest) == NEAREST_PASSAGES:
            break
    return nearest


def decline_text(missing: str | None, contexts: list[Context]) -> str:
    """What a decline says: what the plans do not give, named when the service knows what
    was asked (計画文書には最寄り駅の記載はありません), then the nearest passages with their
    labels, so a member of staff sees at once where the plans come closest. With no passage
    to show (a filter naming no indexed document) nothing is promised."""
    nearest = _nearest(contexts)
    if missing:
        lead = f"計画文書には{missing}の記載はありません。ご質問に答える記載が見当たりませんでした"
        lead += f"ので、{PROMISE}" if nearest else "。"
    else:
        lead = NOT_FOUND + PROMISE if nearest else NOT_FOUND
    return "\n".join([lead, *nearest])


def declined(
    contexts: list[Context],
    question: str,
    notes: list[str] | None = None,
    missing: str | None = None,
) -> AskResponse:
    """A decline: ``missing`` names what was asked and the plans do not give."""
    return AskResponse(
        answer=decline_text(missing, contexts),
        answered=False,
        citations=[],
        contexts=contexts,
        mode="extractive",
        question_used=question,
        notes=notes or [],
    )


ASK_IN_JAPANESE = (
    "計画文書は日本語で書かれています。日本語で質問してください。\n"
    "The plans are written in Japanese: please ask your question in Japanese."
)


def asks_in_japanese(contexts: list[Context], analysis: QuestionAnalysis) -> AskResponse:
    """A question in another language (question/language.py): the plans' words are
    Japanese, so the reply asks for the question in Japanese instead of naming each foreign
    word as a term the plans lack; the nearest passages (the multilingual dense list finds
    some) are still listed."""
    nearest = _nearest(contexts)
    lines = [ASK_IN_JAPANESE, PROMISE, *nearest] if nearest else [ASK_IN_JAPANESE]
    return AskResponse(
        answer="\n".join(lines),
        answered=False,
        citations=[],
        contexts=contexts,
        mode="extractive",
        question_used=analysis.search_text,
        notes=[
            "日本語の語を含まない質問です / the question holds no Japanese word; "
            "the plans are in Japanese"
        ],
    )
