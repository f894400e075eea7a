"""The domain glossary: staff-editable groups of equivalent terms (call-centre ↔ plan wording).

Format of ``data/glossary.txt``: one group per line, terms separated by ``=`` (or ``,``
``、``); ``#`` starts a comment. A question containing one term of a group is searched with
the other terms of the group as well, at a lower weight.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from question.normal import nfkc

_NEGATION = re.compile(r"(ない|ず|ぬ|無い)")
_SEPARATORS = re.compile(r"\s*[=＝,，、]\s*")


class GlossaryError(Exception):
    """A glossary line cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Glossary:
    """Staff groups (a term occurs as written or by its words) and dictionary groups
    (SudachiDict's synonyms: a word occurs only as a word of the question, so 本 never
    fires inside 日本年金機構)."""

    groups: tuple[tuple[str, ...], ...] = ()
    word_groups: tuple[tuple[str, ...], ...] = ()

    @property
    def all_groups(self) -> tuple[tuple[str, ...], ...]:
        return self.groups + self.word_groups

    def with_word_groups(self, word_groups: tuple[tuple[str, ...], ...]) -> Glossary:
        return Glossary(self.groups, word_groups)

    @classmethod
    def load(cls, path: Path | None, synonyms: Path | None = None) -> Glossary:
        word_groups: tuple[tuple[str, ...], ...] = ()
        if synonyms is not None and synonyms.exists():
            from index.synonyms import load_synonyms

            word_groups = load_synonyms(synonyms)
        if path is None or not path.exists():
            return cls((), word_groups)
        groups = []
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            terms = tuple(dict.fromkeys(t for t in _SEPARATORS.split(line) if t))
            if len(terms) < 2:
                raise GlossaryError(
                    f"{path}:{number}: a group needs at least two terms separated by '='"
                )
            groups.append(terms)
        return cls(tuple(groups), word_groups)

    def expansions(
        self,
        question: str,
        question_terms: set[str] | None = None,
        terms_of: Callable[[str], set[str]] | None = None,
    ) -> list[str]:
        """Other terms of every group one of whose terms occurs in the question.

        A term occurs when its text is in the question or, given ``terms_of`` (the lexical
        analyzer), when all its normalized words are among the question's (払える ↔ 払う).
        """
        pairs = self.matches(question, question_terms or set(), terms_of or (lambda _: set()))
        return list(dict.fromkeys(phrase for phrase, _ in pairs))

    def matches(
        self,
        question: str,
        question_terms: set[str],
        terms_of: Callable[[str], set[str]],
        word_groups_of: Callable[[set[str]], Collection[int]] | None = None,
        groups_of: Callable[[str, set[str]], Collection[int]] | None = None,
    ) -> list[tuple[str, str]]:
        """(equivalent term, the group term found in the question) pairs.

        ``word_groups_of`` (an index from words to the dictionary groups holding them) lets
        a question test only the few groups its words can occur in: the dictionary holds
        hundreds. ``groups_of`` does the same for the staff groups, from the question's
        squashed text (``squashed``) and its words: a staff term occurs only if its first
        character is in the text or one of its words is the question's."""
        normalized = _norm(question)

        def occurs(term: str) -> bool:
            if _norm(term) in normalized:
                return True
            if _NEGATION.search(term):
                return False
            words = terms_of(term)
            return bool(words) and words <= question_terms

        def occurs_as_words(term: str) -> bool:
            words = terms_of(term)
            return bool(words) and words <= question_terms

        candidates = None if word_groups_of is None else word_groups_of(question_terms)
        staff = None if groups_of is None else groups_of(normalized, question_terms)
        return self._matches(occurs, occurs_as_words, candidates, staff)

    def _matches(
        self,
        occurs: Callable[[str], bool],
        occurs_as_words: Callable[[str], bool],
        word_candidates: Collection[int] | None = None,
        staff_candidates: Collection[int] | None = None,
    ) -> list[tuple[str, str]]:
        word_groups = (
            self.word_groups
            if word_candidates is None
            else [self.word_groups[i] for i in sorted(word_candidates)]
        )
        staff_groups = (
            self.groups
            if staff_candidates is None
            else [self.groups[i] for i in sorted(staff_candidates)]
        )
        pairs: list[tuple[str, str]] = []
        for groups, test in ((staff_groups, occurs), (word_groups, occurs_as_words)):
            for group in groups:
                present = [t for t in group if test(t)]
                if present:
                    pairs.extend((t, present[0]) for t in group if t not in present)
        return pairs


def squashed(text: str) -> str:
    """``text`` as glossary terms are compared: NFKC, no spaces, lower case."""
    return _norm(text)


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    """NFKC, no spaces, lower case; kept, since every question compares the same glossary
    terms."""
    return re.sub(r"\s+", "", nfkc(text)).lower()
