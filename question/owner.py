"""Whose attribute a question asks for: the owner A in …AのB？, B the asked attribute.

Japanese puts what is asked last and qualifies it with の: 重点三事案の発生件数は何件 asks
the count of 重点三事案, not of the errors as a whole named earlier in the question, and
適用・徴収業務の決裁権者 asks who decides for those duties. A sentence stating the
attribute of another owner (all errors' 発生件数: 324件) answers another question, and
one naming the owner without the attribute (a preamble announcing a list of changes)
answers none. A year or period before の (令和5年度の発生件数) says when, not whose: the
ranker's year features read it, so it is no owner.

Coordination names the owner without の right before the attribute: AのBとC asks C of A
as well (の qualifies the whole coordinated phrase BとC), and AとBのC asks C of A and of B.
The topic (AはB…？) is not read as an owner: は marks what the question is about, most
often the subject of its verb (…はどう見直されましたか), not the owner of a noun; read so it
fired in three times as many training groups, moved none under cross-validation, and
churned JSQuAD answers (bench/results/owner-reading-extended.md).
"""

from __future__ import annotations

import re

# A compound: kanji, katakana, and Latin letters (GビズID).
_COMPOUND = r"[\u4e00-\u9fff\u30a0-\u30ffー々〆ヶA-Za-z]{2,}"
# Words joining coordinated nouns (BとC, B・C, B及びC).
_AND = r"(?:と|・|及び|並びに|や)"
# A compound ending so names a time, not an owner (今年度の, 上期の, 4月の, 2年目の).
_TIME_ENDINGS = ("年度", "年", "年目", "月", "期", "期間", "時点", "末")
# …AのB with the attribute B read from the subject (the question, NUL, the attribute) by a
# back-reference instead of written into the pattern: compiling the pattern anew for each
# attribute took 1.8 ms, for every question whose attribute had not been asked before (more
# than the rest of its analysis). The look-ahead sits after の, so it runs only where an
# owner could start; it always succeeds and consumes nothing, so the matches, and the order
# they are tried in, are the written pattern's.
_SEPARATOR = "\x00"
_OWNED = re.compile(
    rf"(?P<owner>{_COMPOUND})の(?=[^\x00]*\x00(?P<attribute>[^\x00]*)\Z)"
    rf"(?:{_COMPOUND}{_AND})*(?P=attribute)"
)
# The owner named just before another by coordination (AとXのB: A).
_JOINED = re.compile(rf"({_COMPOUND}){_AND}$")


def asked_owner(text: str, attribute: str | None) -> str | None:
    """The compound ``text`` (NFKC) names as the owner of ``attribute`` (…AのB), None when
    it names none; the last such phrase when the attribute is named twice."""
    owners = asked_owners(text, attribute)
    return owners[-1] if owners else None


def asked_owners(text: str, attribute: str | None) -> tuple[str, ...]:
    """Every compound ``text`` (NFKC) names as an owner of ``attribute``: …AのB, AのXとB
    (coordination), AとXのB (each of A and X); () when none."""
    if not attribute or _is_time(attribute) or _asks(attribute):
        return ()
    owned = _owned(text, attribute)
    if owned:
        last = owned[-1]
        owner = last.group(1)
        if _is_time(owner) or _asks(owner):
            return ()  # a time, or the asked figure itself (被保険者何人以上の事業所)
        before = text[: last.start(1)]
        joined = _JOINED.search(before)
        other = joined.group(1) if joined else None
        if other and not _is_time(other) and not _asks(other):
            return (other, owner)
        return (owner,)
    return ()


def _owned(text: str, attribute: str) -> list[re.Match[str]]:
    """Every non-overlapping …AのB in ``text`` (B = ``attribute``), as ``finditer`` of the
    pattern written with B finds them (group 1 the owner A, at the same offsets). A NUL in
    the text cannot be inside a match, so a space stands for it, which cannot be either."""
    if _SEPARATOR in attribute:  # no compound holds one: the written pattern, compiled
        att = re.escape(attribute)
        return list(re.finditer(rf"({_COMPOUND})の(?:{_COMPOUND}{_AND})*{att}", text))
    return list(_OWNED.finditer(f"{text.replace(_SEPARATOR, ' ')}{_SEPARATOR}{attribute}"))


def _is_time(compound: str) -> bool:
    return compound.endswith(_TIME_ENDINGS)


def _asks(compound: str) -> bool:
    return any(w in compound for w in "何幾")
