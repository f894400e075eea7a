"""The attribute a question asks the value of, read from its grammar: what a decline names
as absent from the plans (計画文書には回収率の記載はありません).

The ranker took the question's last kanji/katakana run for the asked attribute ("Japanese
puts what is asked last"). The last run is often the predicate instead: a verb's stem
(目指していますか, 見直されましたか), a サ変 noun used as a verb (到達しましたか,
削減されましたか), the time a figure stood at (令和6年4月時点で何％), or the asked figure
with its counter (何人以上). Here the question's nouns are read as phrases (runs of
Sudachi long units: 名詞, 接頭辞, 接尾辞) with the particle that marks each, and the
attribute is the phrase the interrogative (何, いくら, どの, どれ, いつ, どう …) asks about:

- with a copula predicate (…は何％ですか, …はどれくらいですか, …の目標は？) the value asked
  is the topic's: the nearest phrase before the interrogative marked as a topic (は, って,
  とは, には, では, も), a subject (が), or by a comma (casual speech drops は before a
  pause: …の目標、どのくらい？);
- with a verb predicate the noun an interrogative determiner qualifies is the kind of
  thing asked (どんな情報誌を出して, どの部署が設置され → 情報誌, 部署; a figure before
  の counts the noun after it: 何人の相談員), unless that noun only asks a degree or a
  time (どの水準を目指す, どのタイミングで) or is an action (何%の達成); a figure or manner
  asked of a verb (何％に到達した, いくら削減された, どう見直された) is the topic's, or its
  object's (を), or what について names;
- with no interrogative, a yes/no question (…スマホで払える？) asks whether its predicate
  holds of the phrase right before the verb, whatever marks it: the topic is what both
  already know; a noun ending (…の相談件数は？, …を教えて) asks the topic's value.

A phrase is no attribute when it says when (a date or a point in time: 令和6年度,
3月末時点, 定年後, 前年; a span with a noun before it is a thing: 保存期間), stands alone
as an adverb (最近, 結果、: Sudachi's 副詞可能 nouns with no head), is a figure or the
asked figure itself (何人以上), is a question word, or is a サ変 noun followed by する (the
verb, not a thing: 削減された). A figure written after a noun leaves the noun
(相談件数120件は → 相談件数). A plan or results noun alone after の
(予約率の目標は, 納付率の実績は) names which side of the measure is asked, which the side
reading (question/side.py) reads: the attribute is the measure before の, past a time
that says which year's side (納付率の2023年度の実績は). A one-character
head (方, 人) is named by the noun before の (ベテランの方) or by its relative clause's
noun (新卒で入った人 → 新卒; 追納をした人 → 追納, a verbal noun only when the clause has
no other); a bound noun (個別に, 最終の, 全面的な: Sudachi's 形状詞可能 / 副詞可能, and
最終, 当初, 初回) only qualifies and names no one. A theme opening the message (沖縄って,
…とは, …というのは) before a clause end (…と聞くけど、) says what the message is about, not
what its asking clause asks. Past the marked phrases, the nearest unmarked or の phrase before the
interrogative is taken; a phrase marked as a place, means or time (に, で, から, まで) is no
thing asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.sudachi import Token
from question.answer_type import YEARS
from question.morphemes import morphemes
from question.normal import nfkc
from question.side import side_words
from question.stoplist import ASKING_PREFIXES, QUESTION_WORDS

# A compound as the ranker matches it: kanji, katakana, Latin letters (GビズID).
_COMPOUND = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffー々〆ヶA-Za-z]{2,}")
# Years and periods, read apart by the ranker's year features (year_agrees).
# Endings that make a noun name a point in time, whatever precedes them (3月末時点, 定年後).
_POINT_ENDINGS = ("時点", "末", "頃", "以降", "以前", "後", "年目")
# Endings of a date or a span: a time when a numeral or a one-character prefix comes with
# them (令和6年4月, 今年度, 上期, 前年), a thing when a noun does (保存期間, 処理日数の日).
_DATE_ENDINGS = ("年度", "年", "月", "日", "期", "期間", "時間")
_ERAS = frozenset({"令和", "平成", "昭和"})
# Suffixes placing a time relative to an event (設立後, 定年後, 施行前).
_AFTER_BEFORE = frozenset({"後", "前", "中", "以降", "以前"})
_NOUNS = frozenset({"名詞", "接頭辞", "接尾辞"})
# Interrogatives standing alone (何を, いくら, いつ, どう) and determiners (どの, どんな):
# Sudachi's normalized forms and the spellings a long unit keeps.
_INTERROGATIVES = frozenset(
    {
        "何",
        "幾ら",
        "いくら",
        "幾つ",
        "いくつ",
        "いつ",
        "どこ",
        "誰",
        "どれ",
        "どちら",
        "どう",
        "如何",
        "いかが",
        "どれだけ",
        "どれほど",
        "どれくらい",
        "どのくらい",
    }
)
_DETERMINERS = frozenset({"どの", "どんな", "どのような", "どういう", "どういった", "如何なる"})
# Nouns after a determiner that ask a degree, a figure (どの水準, どの程度): the value asked
# is the topic's, as with どれくらい.
# A determiner's noun asking when (どの時期, どのタイミング) asks a time, as いつ does.
_DEGREE_NOUNS = frozenset(
    {"水準", "程度", "値", "規模", "位", "くらい", "ぐらい", "範囲", "時期", "タイミング"}
)
# Particles marking what a predicate is about: the topic (は, って, とは, も), its subject
# (が); with a verb also its object (を). について is read from its three units.
_TOPIC = frozenset({"は", "って", "とは", "というのは", "には", "では", "からは", "も", "が", "、"})
# Particles that set up what a whole question is about (沖縄って…, 電子申請とは…).
_THEME = frozenset({"って", "とは", "というのは"})
# Nouns that only qualify by position (最終の, 当初の, 初回の; Sudachi tags them as plain
# nouns): a bound modifier, no thing or person of its own.
_BOUND_NOUNS = frozenset({"最終", "当初", "初回"})
# Sudachi's tags of a noun used as an adjective or adverb (個別に, 自主的に, 一部の).
_ADVERBIAL_TAGS = frozenset({"形状詞可能", "副詞可能"})
_QUALIFYING = frozenset({"の", "に", ""})  # a bound noun's marks: 最終の分, 個別に, 便利だ
_OBJECT = frozenset({"を"})
_DO = "為る"


@dataclass(frozen=True)
class _Phrase:
    """A run of nouns and the particle after it."""

    tokens: tuple[Token, ...]
    start: int  # index of its first token in the question
    end: int  # index past its last token
    marker: str  # the particle after it ("について" read whole), "" for none
    verbal: bool  # a サ変 noun followed by する (削減された, 追納をした)
    pause: bool = False  # a comma after its particle (調査で、): a clause ends there

    @property
    def compound(self) -> str | None:
        """The compound this phrase names for matching, None when it names none (a time,
        a figure, a question word)."""
        tokens = list(self.tokens)
        digits = [i for i, t in enumerate(tokens) if t.pos[1] == "数詞"]
        ordinal = bool(digits) and digits[0] > 0 and tokens[digits[0] - 1].surface == "第"
        if digits and not ordinal and all(_in_figure(t) for t in tokens[digits[0] :]):
            # A figure ends the phrase (18%, 51人以上): the noun before it, if any, is
            # what it measures (相談件数120件 → 相談件数); a figure alone names
            # nothing. A numeral inside a name (重点三事案, 第1号被保険者) stays.
            tokens = tokens[: digits[0]]
            if not tokens or tokens[-1].surface in _ERAS:
                return None
        last = tokens[-1]
        if last.pos[0] == "接尾辞" and last.surface in _AFTER_BEFORE:
            return None  # a time relative to an event (設立後, 定年後)
        if last.normalized in QUESTION_WORDS or last.surface in QUESTION_WORDS:
            return None
        if last.pos[2] == "副詞可能" and (len(tokens) == 1 or tokens[-2].pos[1] == "数詞"):
            return None  # an adverbial noun standing alone (最近, 結果、, 3件以上)
        text = YEARS.sub(" ", nfkc("".join(t.surface for t in tokens)))
        found = [c for c in _COMPOUND.findall(text) if not c.startswith(ASKING_PREFIXES)]
        if not found:
            return None
        compound = found[-1]
        if compound.endswith(_POINT_ENDINGS) or compound in _ERAS:
            return None
        ending = next((e for e in _DATE_ENDINGS if compound.endswith(e)), None)
        if ending is not None and (digits or len(compound) - len(ending) <= 1):
            return None
        if any(t.surface.startswith(ASKING_PREFIXES) for t in tokens):
            return None  # the asked figure itself (被保険者何人以上)
        return compound


@lru_cache(maxsize=1024)
def asked_attribute(question: str) -> str | None:
    """The compound (NFKC) whose value ``question`` asks, None when its grammar names none.
    Kept per question: the selection's asked figure, the ranker's bound value and the
    decline signals each read it."""
    tokens = morphemes(nfkc(question), "C")
    phrases = _phrases(tokens)
    asking = _interrogative(tokens)
    if asking is None:
        end, kind, copula = len(tokens), None, _copula_predicate(tokens, 0)
    else:
        end, kind = asking
        copula = _copula_predicate(tokens, end)
        phrases = _without_opening_theme(tokens, phrases, end)
    if asking is None and not copula:
        # A yes/no question asks whether its predicate holds of the phrase right before it
        # (スマホで払える？ → スマホ): the topic (は, って) is what both already know.
        chosen = _nearest(phrases, end, None)
    elif copula:
        chosen = _nearest(phrases, end, _TOPIC) or kind
    else:
        chosen = kind or _nearest(phrases, end, _TOPIC | _OBJECT | {"について"})
    if chosen is None:
        # Past the marked phrases: one with no particle or qualifying another (の); a
        # phrase marked as a place, means or time (に, で, から, まで) is no thing asked.
        loose = _TOPIC | _OBJECT | {"について", "の", ""}
        chosen = _nearest(phrases, end, loose) or _nearest(phrases, end, loose, verbal=True)
    if chosen is None:
        return None
    return _measure_of_side_noun(phrases, chosen)


def acted_on(question: str, attribute: str) -> bool:
    """Whether ``attribute`` is a サ変 noun the question uses as its verb (電話で催促して、
    どのくらい解消した → 催促): read only when no noun phrase is asked, it names the action
    whose outcome is asked, not a kind of value, so a figure asked of it may be written under
    other words."""
    tokens = morphemes(nfkc(question), "C")
    return any(p.verbal and p.compound == attribute for p in _phrases(tokens))


def _without_opening_theme(
    tokens: tuple[Token, ...], phrases: list[_Phrase], asking: int
) -> list[_Phrase]:
    """``phrases`` without the one opening the question marked って, とは or というのは
    (沖縄って…) when a clause ends between it and the interrogative at ``asking``: such a
    theme says what the whole message is about, and the clause that asks comes after it
    (沖縄って払ってない人が多いって聞くけど、最近はどのくらい払う → not 沖縄). A clause ends at
    a comma after a predicate or a conjunctive particle (聞くけど、, 調べたら、); in the same
    clause (納付率って何％？, 業務経費って、各年度でいくら) the theme is what is asked."""
    if not phrases or phrases[0].start != 0 or phrases[0].marker not in _THEME:
        return phrases
    _, after = _marker(tokens, phrases[0].end)
    for i in range(max(after, 1), asking):
        if tokens[i].pos[1] == "読点" and _ends_clause(tokens[i - 1]):
            return phrases[1:]
    return phrases


def _ends_clause(token: Token) -> bool:
    """A predicate or a conjunctive particle (けど, ので, たら): a clause ends after it."""
    return token.pos[0] in {"動詞", "形容詞", "助動詞"} or token.pos[1] == "接続助詞"


def _bound(phrase: _Phrase) -> bool:
    """A phrase that only qualifies (個別に, 最終の, 自主的に, 一部の): a manner, a degree
    or a position, naming no thing or person of its own."""
    last = phrase.tokens[-1]
    return last.surface in _BOUND_NOUNS or last.pos[2] in _ADVERBIAL_TAGS


def _phrases(tokens: tuple[Token, ...]) -> list[_Phrase]:
    phrases: list[_Phrase] = []
    i = 0
    while i < len(tokens):
        if tokens[i].pos[0] not in _NOUNS or _is_interrogative(tokens[i]):
            i += 1
            continue
        j = i
        while j < len(tokens) and tokens[j].pos[0] in _NOUNS and not _is_interrogative(tokens[j]):
            j += 1
        marker, after = _marker(tokens, j)
        verbal = tokens[j - 1].pos[2] == "サ変可能" and (
            _is_do(tokens, j) or (marker == "を" and _is_do(tokens, after))
        )
        pause = marker != "、" and after < len(tokens) and tokens[after].pos[1] == "読点"
        phrases.append(_Phrase(tokens[i:j], i, j, marker, verbal, pause))
        i = j
    return phrases


def _marker(tokens: tuple[Token, ...], j: int) -> tuple[str, int]:
    """The particle after a phrase ending before ``j`` and the index past it."""
    if j < len(tokens) and tokens[j].pos[1] == "読点":
        return "、", j + 1  # casual speech drops は before a pause (…の目標、どのくらい？)
    if j < len(tokens) and tokens[j].pos[0] == "助動詞" and tokens[j].surface == "に":
        # The copula's adverbial form (個別に, 最終的に): a manner, marked as a means is.
        return "に", j + 1
    if j >= len(tokens) or tokens[j].pos[0] != "助詞":
        return "", j
    if (
        tokens[j].surface == "に"
        and j + 2 < len(tokens)
        and tokens[j + 1].normalized in {"つく", "付く", "就く"}
        and tokens[j + 2].surface == "て"
    ):
        return "について", j + 3
    if (
        tokens[j].surface == "と"
        and j + 3 < len(tokens)
        and tokens[j + 1].normalized == "言う"
        and tokens[j + 2].surface == "の"
        and tokens[j + 3].surface == "は"
    ):
        return "というのは", j + 4  # a topic defined (事務センターというのは)
    if j + 1 < len(tokens) and tokens[j + 1].surface == "は" and tokens[j].surface != "は":
        return tokens[j].surface + "は", j + 2  # には, では, とは: the topic of a place or scope
    return tokens[j].surface, j + 1


def _in_figure(token: Token) -> bool:
    """A unit of a written figure: a numeral, a counter (人, %, 件), or 以上, 以下, 超."""
    return (
        token.pos[1] == "数詞"
        or token.pos[2] in {"助数詞", "助数詞可能", "副詞可能"}
        or (token.pos[0] == "接尾辞" and token.pos[1] == "名詞的")
    )


def _is_do(tokens: tuple[Token, ...], j: int) -> bool:
    return j < len(tokens) and tokens[j].pos[0] == "動詞" and tokens[j].normalized == _DO


def _is_interrogative(token: Token) -> bool:
    if token.normalized in _INTERROGATIVES or token.surface in _INTERROGATIVES:
        return True
    if token.surface in _DETERMINERS or token.normalized in _DETERMINERS:
        return True
    return token.pos[0] in {"名詞", "代名詞"} and token.surface.startswith(("何", "幾"))


def _interrogative(tokens: tuple[Token, ...]) -> tuple[int, str | None] | None:
    """The last interrogative's index and, for a determiner (どの, どんな, 何の), the
    compound it qualifies unless that asks a degree (どの水準); None with no
    interrogative."""
    found = [i for i, t in enumerate(tokens) if _is_interrogative(t)]
    if not found:
        return None
    index = found[-1]
    token = tokens[index]
    determiner = token.surface in _DETERMINERS or token.normalized in _DETERMINERS
    start = index + 1
    via_no = not determiner
    if not determiner:
        # 何の話, 何人の人員, 何%以上の事業所: a figure or 何 before の qualifies the
        # noun after it; the noun is what is asked of (its kind, or what is counted).
        while start < len(tokens) and tokens[start].pos[0] in _NOUNS and _in_figure(tokens[start]):
            start += 1
        determiner = start < len(tokens) and tokens[start].surface == "の"
        start += 1
    kind = None
    if determiner:
        j = start
        while j < len(tokens) and tokens[j].pos[0] in _NOUNS:
            j += 1
        nouns = tokens[start:j]
        if nouns and nouns[-1].normalized not in _DEGREE_NOUNS:
            # A figure of an action (何%の達成, 何件の削減) is the topic's figure.
            if not via_no or nouns[-1].pos[2] != "サ変可能":
                kind = _Phrase(nouns, start, j, "", False).compound
    return index, kind


def _copula_predicate(tokens: tuple[Token, ...], index: int) -> bool:
    """Whether the predicate after the interrogative is a noun with the copula (何％です
    か, どれくらい？, いつまでに達成する目標ですか), not a verb (到達しましたか)."""
    for token in reversed(tokens[index:]):
        if token.pos[0] in {"補助記号", "助詞", "助動詞", "空白"}:
            continue
        return token.pos[0] in {"名詞", "代名詞", "接尾辞"} or _is_interrogative(token)
    return True


def _nearest(
    phrases: list[_Phrase], before: int, markers: frozenset[str] | None, *, verbal: bool = False
) -> str | None:
    """The compound of the nearest phrase ending before token ``before`` with one of
    ``markers`` (any, None) that names a thing; ``verbal`` admits a サ変 noun used as a
    verb."""
    for phrase in reversed(phrases):
        if phrase.end > before:
            continue
        if markers is not None and phrase.marker not in markers:
            continue
        if phrase.verbal and not verbal:
            continue
        if phrase.marker in _QUALIFYING and _bound(phrase):
            continue  # 個別の, 最終の: it qualifies what follows, as a manner or position
        compound = phrase.compound or _qualifier(phrases, phrase)
        if compound is not None:
            return compound
    return None


def _qualifier(phrases: list[_Phrase], phrase: _Phrase) -> str | None:
    """A head of one character (a person, a formal noun: 方, 人) names nothing itself: it
    is named by the noun before の (ベテランの方) or by its relative clause's noun, the
    nearest before it up to the clause's start, a comma or a topic (新卒で入った人,
    申告書を提出した人; a サ変 noun used as a verb only when the clause has no other:
    追納をした人); None for any other phrase."""
    if len(phrase.tokens) != 1 or len(phrase.tokens[0].surface) != 1:
        return None
    i = phrases.index(phrase)
    if i > 0 and phrases[i - 1].marker == "の" and phrases[i - 1].end + 1 == phrase.start:
        return None if _bound(phrases[i - 1]) else phrases[i - 1].compound
    clause: list[_Phrase] = []
    for before in reversed(phrases[:i]):
        if before.marker in _TOPIC - {"が"} or before.pause:
            break
        if not _bound(before):  # 個別に対応した人: the manner names no one
            clause.append(before)
    for verbal in (False, True):
        for before in clause:
            if before.verbal == verbal and before.compound is not None:
                return before.compound
    return None


def _measure_of_side_noun(phrases: list[_Phrase], chosen: str) -> str:
    """予約率の目標 → 予約率: a plan or results noun alone names the side, the measure before
    の is what the figure is of."""
    words = side_words()
    if chosen not in words.plan and chosen not in words.results:
        return chosen
    for i, phrase in enumerate(phrases):
        if phrase.compound != chosen:
            continue
        # A time between (納付率の2023年度の実績) says which year's side is asked and names
        # no thing: the measure is the noun before it, each joined by の.
        after = phrase
        for before in reversed(phrases[:i]):
            if before.marker != "の" or before.end + 1 != after.start:
                break
            if before.compound:
                return before.compound
            if not _is_time(before):
                break
            after = before
    return chosen


def _is_time(phrase: _Phrase) -> bool:
    """Whether ``phrase`` names a year or a point in time (令和5年度, 2023年度, 3月末)."""
    text = nfkc("".join(t.surface for t in phrase.tokens))
    return bool(YEARS.fullmatch(text.strip())) or text.endswith(_POINT_ENDINGS)
