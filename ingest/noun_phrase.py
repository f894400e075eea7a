"""Whether a line reads as a topic's name: a noun phrase with nothing stated about it.

A heading names a topic (お客様サービスの向上, 窓口サービスの質の向上); a statement
says something about one, with a predicate (…を実施する, …を開始) or a figure
(利用件数は6,406件). Japanese marks the difference in grammar, so the reading is read from
Sudachi's parts of speech, not from a list of words:

- the line ends in a noun or a noun suffix (向上, 強化, 等);
- no verb, auxiliary or copula anywhere (an attributive な after an adjectival noun,
  多様な, is the one auxiliary a noun phrase holds);
- every case particle is attributive (への, からの: the particle then の) or joins nouns
  (と, や); a topic or case particle left without its predicate (利用件数は…,
  …を開始, 令和５年度から実施) makes the line a statement whose verb is understood;
- no figure: a number other than a year, month, day or ordinal (第３期) is a quantity
  stated.

Used by the generic parser (a line after ■ or ◆ heads what follows only when it names a
topic) and by the answer stage (a heading is never quoted as a statement).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ingest.sudachi import Token, analyze

MAX_CHARS = 60  # a longer line is a sentence that dropped its full stop, not a name
# Parts of speech that state something: a predicate of its own.
_PREDICATE_POS = frozenset({"動詞", "助動詞", "形容詞", "感動詞", "接続詞"})
# Particles a noun phrase holds between its nouns: の, coordination, など.
_JOINING = frozenset({"の", "と", "や", "か", "など", "及び", "並びに"})
_SKIPPED_POS = frozenset({"補助記号", "空白", "記号"})
# Dates and ordinals name a time or a place in a list, not a quantity.
_DATE_OR_ORDINAL = re.compile(
    r"(?:令和|平成|昭和)?[0-9]+(?:年度|年|月|日)|第[0-9]+|[0-9]+(?=[期次章節部編])"
)


@lru_cache(maxsize=8192)
def names_a_topic(line: str) -> bool:
    """True when ``line`` (one line as printed, marks and brackets allowed) is a noun
    phrase naming a topic: no predicate, no case left without one, no figure."""
    text = unicodedata.normalize("NFKC", line).strip()
    if not text or len(text) > MAX_CHARS or re.search(r"[。!?]", text):
        return False
    if re.search(r"[0-9]", _DATE_OR_ORDINAL.sub("", text)):
        return False
    tokens = [t for t in analyze(text) if t.pos[0] not in _SKIPPED_POS and t.surface.strip()]
    if not tokens or tokens[-1].pos[0] not in ("名詞", "接尾辞", "代名詞"):
        return False
    for index, token in enumerate(tokens):
        if token.pos[0] in _PREDICATE_POS and not _attributive_na(tokens, index):
            return False
        if token.pos[0] == "助詞" and token.surface not in _JOINING:
            following = tokens[index + 1].surface if index + 1 < len(tokens) else ""
            if following != "の":
                return False
    return True


def _attributive_na(tokens: list[Token], index: int) -> bool:
    """な after an adjectival noun before a noun (多様な方法): the noun phrase's own copula."""
    token = tokens[index]
    return (
        token.surface == "な"
        and index > 0
        and tokens[index - 1].pos[0] == "形状詞"
        and index + 1 < len(tokens)
    )
