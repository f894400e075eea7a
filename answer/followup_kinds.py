"""Follow-ups with answers of their own kind: how it was done, why, and on which page.

After an answer, 「どうやって減らした？」 asks by what means the result just given came about,
not for the result again: the plans state a means before the result it brought (…を実施した
結果、…削減した / 取組の結果) or mark it (により, ことで, を通じて), so the answer is a
sentence stating a means, about the same measure, from the passages the last answer quoted
or the search's. 「なぜ？」 / 「どうして少ないの？」 asks the reason for what was just said: the
plans state a cause (…の拡大に伴い停止) or a purpose (…を図るため, …が不可欠であること等を踏まえ)
with what it explains, so the answer is such a sentence, found as a means is. 「何ページ？」 asks where the last answer is written: the labels of the
passages it quoted, said in words with the document's title, before the statement itself.

The cue words and the means and reason markers are data (``data/question/rules.toml``, grammar).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from answer.extractive import Picked
from answer.other_year import stated_figures
from answer.sentences import display, is_heading, sentences_of
from ingest.model import Chunk
from question import QuestionAnalysis
from question.followup import without_connective
from question.normal import nfkc
from question.rules import rules
from question.topic_words import topic_words


def asks_how(analysis: QuestionAnalysis) -> bool:
    """Whether a follow-up asks by what means (どうやって減らした？) and names no topic of
    its own: a question that names one (どうやって申請する？ about 電子申請) is searched as
    any question is."""
    question = nfkc(analysis.question)
    return (
        bool(analysis.carried_topic)
        and bool(rules().asks_how.search(question))
        and not topic_words(without_connective(question))
    )


# A sentence opening with a demonstrative (以下の取組の結果、… / これらの取組の結果、…)
# points at the lines after or before it for its means and states none itself.
_POINTS_AWAY = re.compile(r"^[○〇●・◆■□※\s]*(?:(?:以下|次|下記|これら|それら)の|この|その)")


def states_means(sentence: str) -> bool:
    """Whether ``sentence`` states a means: what was done before the result it brought (…
    した結果), or marked as a means (により, ことで, を通じて)."""
    text = nfkc(sentence)
    return bool(rules().states_means.search(text)) and not _POINTS_AWAY.match(text)


def asks_why(analysis: QuestionAnalysis) -> bool:
    """Whether a follow-up asks why a measure just stated is taken (なぜそれに力を入れるの？):
    it goes on from the conversation, whose last answer stated no figure. After a figure
    (なぜ増えたの？) the passage stating it gives what brought it in the figure's own
    sentence or beside it, which the search's answer already reads (rose or fell, means)."""
    said = (statement for statement, _ in analysis.previous_statements)
    return (
        bool(analysis.carried_topic)
        and bool(rules().asks_why.search(nfkc(analysis.question)))
        and not stated_figures(said)
    )


def states_reason(sentence: str) -> bool:
    """Whether ``sentence`` states a reason: a cause (…に伴い, …ことから) or a purpose (…を図る
    ため, …観点から) of what it says."""
    text = nfkc(sentence)
    return bool(rules().states_reason.search(text)) and not _POINTS_AWAY.match(text)


def means_of_figure(
    chunks: Sequence[Chunk], figures: set[str], keep: Callable[[str], bool] = states_means
) -> list[Picked]:
    """The statement of the means that brought a figure just given, where the passage that
    states the figure gives it: the plans write a result after what brought it (…取組を進めた
    結果、…件数が減少。→…324件となった。), so it is the nearest statement of a means at or
    before the figure's sentence. [] when no such passage states one there. With ``keep``
    ``states_reason``, the nearest statement of a reason, written there the same way."""
    for chunk in chunks:
        sentences = sentences_of(chunk)
        at = next((i for i, s in enumerate(sentences) if stated_figures([s]) & figures), None)
        if at is None:
            continue
        for sentence in reversed(sentences[: at + 1]):
            if keep(sentence) and not is_heading(sentence):
                return [Picked(sentence, " ".join(display(sentence).split()), chunk, 0.0)]
    return []


def asks_page(analysis: QuestionAnalysis) -> bool:
    """Whether a follow-up asks on which page the last answer is written (何ページ？)."""
    return bool(analysis.carried_topic) and bool(rules().asks_page.search(nfkc(analysis.question)))


def asks_else(analysis: QuestionAnalysis) -> bool:
    """Whether a follow-up asks for what the last answer did not say (他に何が書いてある？,
    それ以外は？): its answer is the statements that answer left out, never those again."""
    return bool(analysis.previous_statements) and bool(
        rules().asks_else.search(nfkc(analysis.question))
    )


def _with_document(label: str, title: str | None) -> str:
    """A label with the title of its passage's document, as /documents names it:
    資料1-3 P123（第3期中期計画の取組及び令和5年度の取組のポイント）."""
    return f"{label}（{title}）" if title else label


def nothing_else(picked: Sequence[Picked], labels: Sequence[str]) -> list[Picked]:
    """The answer to 他に on a page whose every statement the last answer quoted: that the
    page (with its document's title) says nothing more, citing the page, rather than the
    same statements again; [] when the page has no statement."""
    if not picked:
        return []
    first = picked[0]
    where = _with_document("・".join(labels), first.chunk.document_title)  # one document
    shown = f"{where}の記載は、先の回答で示した内容ですべてです。"
    return [Picked(first.quote, shown, first.chunk, first.score)]


def page_statement(picked: Sequence[Picked]) -> list[Picked]:
    """The answer to a page follow-up: a first line naming the pages of the passage the
    answer quotes first, with its document's title (中期P55・中期P56（…中期計画（案）…）に
    記載があります。), each label with the title of its document, cited by them, then the statements themselves; ``picked`` as it is
    when it quotes nothing."""
    if not picked:
        return list(picked)
    first = picked[0]
    where = _with_document("・".join(first.chunk.labels), first.chunk.document_title)
    said = Picked(first.quote, f"{where}に記載があります。", first.chunk, first.score)
    return [said, *picked]
