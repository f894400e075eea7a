"""A demonstrative that points at nothing: 「それの目標は？」 asked with no conversation.

A こ・そ・あ demonstrative (それ, あれ, ここ; その, あの) stands for something said before
(anaphora) or in front of the speaker (deixis); a chat has nothing in front of it, so only
the turns before can hold its referent. When there are none and the question names no
topic of its own (its nouns only change the aspect: 目標, 件数, 実績; question/continuation.py),
the referent is nowhere: answering would answer an arbitrary passage. The service asks what
it refers to instead (answer/service.py).

What counts as a demonstrative standing for a thing is question/demonstrative.py's reading.
"""

from __future__ import annotations

from collections.abc import Sequence

from question.demonstrative import demonstrative
from question.normal import nfkc
from question.page_refs import page_references, strip_unnamed_pages, unnamed_pages
from question.topic_words import subject_of


def demonstrative_without_referent(question: str, history: Sequence[object]) -> str:
    """The demonstrative of ``question`` (as written) whose referent is nowhere: no
    conversation before it, and no topic word nor plan page of its own; '' otherwise."""
    if history:
        return ""
    text = nfkc(question).strip()
    if page_references(text) or subject_of(text):
        return ""
    return demonstrative(text)


def page_without_document(question: str, history: Sequence[object]) -> tuple[int, ...]:
    """The pages ``question`` names with no document (46ページの内容を教えて) when that page
    is all it asks about: no conversation before it (whose document it would be) and no
    topic word of its own (46ページの応答率は？ is searched by its topic). Each bundled
    document has a page 46, so the page alone names none of them."""
    if history:
        return ()
    pages = unnamed_pages(question)
    if not pages or subject_of(strip_unnamed_pages(question)):
        return ()
    return pages


__all__ = ["demonstrative_without_referent", "page_without_document"]
