"""Sudachi tokenisation shared by every stage: one cached tokenizer per thread and mode.

SudachiPy 0.6 tokenizers are not safe to share between threads (the API serves requests
from a thread pool), so each thread gets its own; the dictionary itself is loaded once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from sudachipy import Dictionary, SplitMode

SplitModeName = Literal["A", "B", "C"]
TokenForm = Literal["surface", "normalized"]

_MODES = {"A": SplitMode.A, "B": SplitMode.B, "C": SplitMode.C}
# Sudachi refuses inputs over 49,149 bytes; stay well below, cutting at line/sentence ends.
MAX_INPUT_BYTES = 12_000

# Parts of speech that carry no topic: particles, auxiliaries, symbols, blanks.
STOP_POS = frozenset({"助詞", "助動詞", "補助記号", "記号", "空白"})


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    normalized: str
    pos: tuple[str, ...]
    synonym_groups: tuple[int, ...] = ()
    a_units: tuple[str, ...] = ()  # normalized forms of the mode-A split, when finer

    def form(self, form: TokenForm) -> str:
        return self.normalized if form == "normalized" else self.surface


@lru_cache(maxsize=4)
def _dictionary(edition: str) -> Dictionary:
    return Dictionary(dict=edition)


_local = threading.local()


def _tokenizer(mode: SplitModeName, edition: str):
    cache = getattr(_local, "tokenizers", None)
    if cache is None:
        cache = _local.tokenizers = {}
    key = (mode, edition)
    if key not in cache:
        cache[key] = _dictionary(edition).create(_MODES[mode])
    return cache[key]


def _pieces(text: str) -> Iterator[str]:
    """Cut text into pieces Sudachi accepts, at line or sentence ends where possible."""
    if len(text.encode("utf-8")) <= MAX_INPUT_BYTES:
        yield text
        return
    piece = ""
    for part in re.split(r"(?<=[\n。！？])", text):
        while len(part.encode("utf-8")) > MAX_INPUT_BYTES:  # one absurdly long line
            cut = MAX_INPUT_BYTES // 4
            yield part[:cut]
            part = part[cut:]
        if len((piece + part).encode("utf-8")) > MAX_INPUT_BYTES:
            yield piece
            piece = ""
        piece += part
    if piece:
        yield piece


def analyze(
    text: str, mode: SplitModeName = "C", *, edition: str = "core", with_a_units: bool = False
) -> list[Token]:
    """Morphemes of ``text`` as plain tokens (no Sudachi objects leak out)."""
    tokenizer = _tokenizer(mode, edition)
    tokens: list[Token] = []
    for piece in _pieces(text):
        for morpheme in tokenizer.tokenize(piece):
            a_units: tuple[str, ...] = ()
            if with_a_units and mode != "A":
                split = morpheme.split(SplitMode.A)
                if len(split) > 1:
                    a_units = tuple(m.normalized_form() for m in split)
            tokens.append(
                Token(
                    surface=morpheme.surface(),
                    normalized=morpheme.normalized_form(),
                    pos=tuple(morpheme.part_of_speech()),
                    synonym_groups=tuple(morpheme.synonym_group_ids()),
                    a_units=a_units,
                )
            )
    return tokens


def content_morphemes(text: str, edition: str = "core") -> Iterator:
    """Sudachi's own mode-C morphemes of ``text`` that are content words (``is_content``),
    for a reader that asks some of them for more (their mode-A split) than ``analyze``
    gives every token."""
    tokenizer = _tokenizer("C", edition)
    for piece in _pieces(text):
        for morpheme in tokenizer.tokenize(piece):
            if morpheme.part_of_speech()[0] not in STOP_POS and morpheme.surface().strip():
                yield morpheme


def is_content(token: Token, stop_pos: Iterable[str] = STOP_POS) -> bool:
    """False for particles, auxiliaries, symbols and blanks."""
    return token.pos[0] not in stop_pos and bool(token.surface.strip())


def tokenize(
    text: str,
    mode: SplitModeName = "C",
    form: TokenForm = "normalized",
    *,
    drop_stopwords: bool = True,
    edition: str = "core",
) -> list[str]:
    """Token strings of ``text`` in the chosen split mode and form."""
    return [
        token.form(form)
        for token in analyze(text, mode, edition=edition)
        if not drop_stopwords or is_content(token)
    ]


_SENTENCE_END = "。！？!?"
_OPENERS = "「『（(【［[〈《"
_CLOSERS = "」』）)】］]〉》"


def split_sentences(text: str) -> list[str]:
    """Japanese sentences: split after 。！？ outside brackets, and at every line break.

    Callers join broken lines first, so a line is a paragraph or a bullet item. A closing
    bracket right after the full stop stays with its sentence (「…。」), and so does a plan
    ref after it (``…実施する。 [中期P5]``). Every sentence is a verbatim substring of
    ``text``: answers quote them and look them up in it.
    """
    sentences: list[str] = []
    for line in text.split("\n"):
        sentences.extend(_keep_refs_with_sentence(_pieces_of_line(line.strip())))
    return sentences


def _pieces_of_line(line: str) -> list[str]:
    """The line cut after each sentence end; a piece keeps the whitespace it starts with."""
    pieces: list[str] = []
    depth = 0
    start = 0
    ended = False
    for index, char in enumerate(line):
        if ended and char not in _CLOSERS:
            pieces.append(line[start:index])
            start, ended = index, False
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif char in _SENTENCE_END and depth == 0 and not _inside_name(line, index):
            ended = True
    pieces.append(line[start:])
    return pieces


def _inside_name(line: str, index: int) -> bool:
    """Whether the ASCII ! or ? at ``index`` belongs to a Latin name (Yahoo!は…, Yahoo!の):
    right after a Latin letter and with text right after it, it ends no sentence; a sentence
    ending with one is followed by a space, the line's end or a closing bracket."""
    if line[index] not in "!?" or index == 0 or index + 1 >= len(line):
        return False
    before, after = line[index - 1], line[index + 1]
    return before.isascii() and before.isalpha() and not after.isspace() and after not in _CLOSERS


_LEADING_REF_RE = re.compile(r"^\s*[\[【［〔]\s*(?:中期|年度)[^\]】］〕]*[\]】］〕]")


def _keep_refs_with_sentence(pieces: list[str]) -> list[str]:
    """``…実施する。 [中期P5]``: the plan ref belongs to the sentence before it."""
    merged: list[str] = []
    for piece in pieces:
        match = _LEADING_REF_RE.match(piece)
        if match and merged:
            merged[-1] += piece[: match.end()]
            piece = piece[match.end() :]
        if piece.strip():
            merged.append(piece.strip())
    return merged
