"""SudachiDict's synonym dictionary read as glossary groups (``data/synonyms/synonyms.txt``).

The file is in SudachiDict's own format (its ``docs/synonyms.md``), with leading ``#``
comment lines added: one word per line as an 11-field CSV record, blank lines between
groups. The fields used here are 0 (group id, six digits), 2 (expansion flag) and 8 (the
headword). Expansion flags:

- 0 or empty: the word expands to the other words of its group and is expanded to;
- 1: the word never triggers an expansion, it is only reached from other words;
- 2: deleted (kept by SudachiDict as history so the word is not registered again).

A glossary group is symmetric (any member brings in all the others), so it cannot hold a
word that may be reached but must not trigger: flag 1 words are left out along with the
deleted ones, and a group keeps only its flag 0 words, if at least two remain.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

_FIELDS = 11
_GROUP_ID = re.compile(r"\d{6}")
_EXPANDS = {"", "0"}
_NOT_EXPANDED = {"1", "2"}


class SynonymsError(Exception):
    """A synonyms line cannot be read; the message names the file and line."""


def load_synonyms(path: Path) -> tuple[tuple[str, ...], ...]:
    """Groups of equivalent words, in file order, shaped like ``Glossary.groups``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SynonymsError(f"{path}: cannot read the synonyms file: {error}") from error
    return parse_synonyms(text, source=str(path))


def parse_synonyms(text: str, source: str = "<synonyms>") -> tuple[tuple[str, ...], ...]:
    """The groups of a synonyms text; ``source`` names it in error messages."""
    groups: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        fields = _fields(line, where)
        group_id, flag, word = fields[0], fields[2], fields[8].strip()
        if not _GROUP_ID.fullmatch(group_id):
            raise SynonymsError(f"{where}: group id {group_id!r} is not six digits")
        if not word:
            raise SynonymsError(f"{where}: the headword (field 9 of 11) is empty")
        if flag in _EXPANDS:
            groups.setdefault(group_id, []).append(word)
        elif flag not in _NOT_EXPANDED:
            raise SynonymsError(f"{where}: expansion flag {flag!r} is not 0, 1, 2 or empty")
    return tuple(
        members for words in groups.values() if len(members := tuple(dict.fromkeys(words))) >= 2
    )


def _fields(line: str, where: str) -> list[str]:
    if '"' in line:
        try:
            fields = next(csv.reader([line], strict=True))
        except csv.Error as error:
            raise SynonymsError(f"{where}: bad CSV quoting: {error}") from error
    else:
        fields = line.split(",")
    if len(fields) != _FIELDS:
        raise SynonymsError(
            f"{where}: expected {_FIELDS} comma-separated fields"
            f" (group id, …, headword, reserved, reserved), found {len(fields)}"
        )
    return fields
