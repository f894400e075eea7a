"""Whose attribute a question asks for: the owner A in …AのB？, B the asked attribute.

Japanese puts what is asked last and qualifies it with の: 重点三事案の発生件数は何件 asks
the count of 重点三事案, not of the errors as a whole named earlier in the question, and
適用・徴収業務の決裁権者 asks who decides for those duties. A sentence stating the
attribute of another owner (all errors' 発生件数: 324件) answers another question, and
one naming the owner without the attribute (a preamble announcing a list of changes)
answers none. A year or period before の (令和5年度の発生件数) says when, not whose: the
ranker's year features read it, so it is no owner.
"""

from __future__ import annotations

import re

# A compound right before の + the attribute: kanji, katakana, and Latin letters (GビズID).
_OWNER = r"([\u4e00-\u9fff\u30a0-\u30ffー々〆ヶA-Za-z]{2,})の"
# A compound ending so names a time, not an owner (今年度の, 上期の, 4月の, 2年目の).
_TIME_ENDINGS = ("年度", "年", "年目", "月", "期", "期間", "時点", "末")


def asked_owner(text: str, attribute: str | None) -> str | None:
    """The compound ``text`` (NFKC) names as the owner of ``attribute`` (…AのB), None when
    it names none; the last such phrase when the attribute is named twice."""
    if not attribute:
        return None
    found = re.findall(_OWNER + re.escape(attribute), text)
    if not found or found[-1].endswith(_TIME_ENDINGS) or any(w in found[-1] for w in "何幾"):
        return None  # a time, or the asked figure itself (被保険者何人以上の事業所)
    return found[-1]
