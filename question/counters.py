"""The one list of counters: what a figure counts in, asked (何枚) or stated (二十名).

Japanese counts with a counter after the numeral (三件, 20人, 5枚), and asks a count with 何
in the numeral's place (何件, 何人, 何枚). Sudachi knows the counters: it tags 何 as a
numeral (名詞-数詞) before a counter and the counter as 助数詞 / 助数詞可能 or as a suffix
(何枚 → 何 + 枚 接尾辞-助数詞; 何件 → 何 + 件 助数詞可能; 何人 → 何 + 人 接尾辞), and 何 as a
pronoun before most other nouns (何機関, 何年度), so the counter asked is read from the
tags — no hand list to keep. The analysis (``QuestionAnalysis.counter``, the answer type,
the results cue) and the selection's figure bonus all read it here; the four lists that
once disagreed (何名 expected a count the selection did not look for) are gone.

The documents' units complete it: the ways the plans write a figure in a counter (人 and 名
both count people; 個 and the native つ the same things; ％, パーセント and ポイント a
share; か所, カ所, ヶ所, 箇所 a place), and the units a share is stated in (``RATIO_UNITS``: a 割合 asked is never a count). A figure
written in kanji numerals (二十名, 百万人) is read in digits (``arabic_figures``), with
Sudachi's value for the numeral.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ingest.sudachi import Token, analyze
from question.morphemes import morphemes
from question.normal import nfkc
from question.rules import rules

# 何 with a counter after it is a numeral; 何万 / 何千 / 何百 too (何万人 → 人).
_NUMERAL = ("名詞", "数詞")
# 何年, 何月, 何時 ask which year, month or hour: a point on the calendar or the clock,
# said of when something happened, not a count (the ranker and the decline signals read
# dates apart from figures). Counted spans are written with their own counters (何年間,
# 何か月, 何時間). 何番, 何番目, 何位, 何号 ask a position in an order, not a count.
_POINTS_IN_TIME = frozenset({"年", "月", "時"})
# A position in an order or in a document (何番, 何ページに書いてある: where, not how many).
_ORDINALS = frozenset({"番", "番目", "位", "号", "ページ", "頁", "枚目", "行目"})
# A counter followed by the adverbial particle か (副助詞) is an indefinite (何回か行った,
# 何人かに: "several"); the sentence-final か (終助詞: 何件かな, 何人か？) asks, and a verb
# after the counter (何日かかる) is no particle at all. Sudachi tells the three apart.
_INDEFINITE = ("助詞", "副助詞")

# The counter a span of time is asked in, whatever unit the question names (``asks_span``).
SPAN = "期間"

# The units a share is stated in (12.5％, 2ポイント, 約8割).
_SHARE_UNITS = "%|％|パーセント|ポイント|pt|割"

# The ways the documents write a figure in a counter (the documents' units).
_SAME_UNITS: dict[str, str] = {
    "人": "人|名",
    "名": "人|名",
    "%": _SHARE_UNITS,  # ％ for text read as written, not NFKC
    "パーセント": _SHARE_UNITS,
    "歳": "歳|才",
    # Firms are counted in 事業所 as well as 社: the unit social insurance covers is the
    # establishment (適用事業所), so the plans count firms in arrears, surveyed or visited
    # in 事業所, and a service's users or partner firms in 社.
    "社": "社|事業所",
    # A deadline in working days (２営業日以内) is a count of days; the plans state their
    # processing times so.
    "日": "日|営業日|開庁日",
    # 何度 asks a temperature or an angle (39.3℃, 135°) or how many times (2度).
    "度": "度|℃|°",
    "メートル": "メートル|m",
    # A span in any unit of time (SPAN: 何日かかる → 2ヶ月, 1週間, 5営業日). Years only as
    # 年間: a number before a bare 年 is a date in the plans (令和5年, 2023年), and read as a
    # span it made every dated sentence hold the asked figure.
    SPAN: "日|営業日|開庁日|週間|週|か月|カ月|ヶ月|ケ月|ヵ月|箇月|年間|時間",
    # 個 and the native counter つ (3つ, 二つ) count the same things: a figure in either
    # answers a count asked in the other (何個 → 3つ追加).
    "個": "個|つ",
    "つ": "個|つ",
    # 割 counts tenths of a whole (3割 = 30%): a share asked in 割 (何割) is answered in
    # percent or points, as the plans state shares, and one asked in percent by 約8割.
    "割": _SHARE_UNITS,
}
# いくつ asks a count in the native counter of a thing that exists (いくつある, いくつの拠点
# が): not of a value (目標はいくつ, a level), which a figure in any unit answers. It is
# answered by a figure in a native or generic counter (3つ, 2か所, 5種類, 82件 of events),
# in the documents' counter of offices (12拠点), or by one followed by the noun counted
# (312年金事務所: question/answer_type.provides adds the counted nouns).
NATIVE = "いくつ"
_NATIVE_COUNT = re.compile(
    r"(?:いくつ|幾つ)(?=\s*(?:ある|あり|存在|設置され|置かれ|の[\u4e00-\u9fff\u30a1-\u30faー]))"
)
_SAME_UNITS[NATIVE] = "個|つ|か所|カ所|ヶ所|箇所|種類|項目|件|拠点"
_SAME_UNITS["％"] = _SAME_UNITS["%"]
_SAME_UNITS["才"] = _SAME_UNITS["歳"]
# A counter written with the small ヶ (or か, カ, ケ, ヵ, 箇: one counter in six writings):
# Sudachi reads each as it is typed (何ヶ国 → ヶ国), so whichever a question types, a figure
# in any of them answers it (何ヶ国語 → 14か国語版; 何ヶ月 → 3か月).
_KA = ("か", "カ", "ヶ", "ケ", "ヵ", "箇")
for _unit in ("所", "国", "月"):
    _written = "|".join(f"{ka}{_unit}" for ka in _KA)
    for _ka in _KA:
        _SAME_UNITS[f"{_ka}{_unit}"] = _written


# A span of time asked: 何日, 何週間, 何か月 (normalized 箇月), 何年 … followed by a verb of
# taking time (かかる, 要する: normalized 掛かる), by 以内 (a bound on the span) or by the
# particle で before a verb (何日で届く: the span within which). A span is stated in any
# unit of time (2ヶ月, 1週間), so it is asked as ``SPAN``, in all of them. A date (何日に),
# a count of days (何日開催) or a point in time without such a verb is not a span.
_SPAN_COUNTERS = frozenset({"日", "週", "週間", "箇月", "年", "年間", "時間"})
_TAKING = frozenset({"掛かる", "要する", "以内"})
_ABOUT = ("助詞", "副助詞")  # 何日ぐらいかかる: くらい, ほど between


def quantity_counter(text: str) -> str | None:
    """The counter of the first 何 + counter question word of ``text`` (何枚 → 枚, 何万人 →
    人), points in time (何年, 何月) included; None when it has none or only an indefinite
    (何回か行った)."""
    found = _asked_counter_at(text)
    return found[0][found[1]].surface if found else None


def asks_span(text: str) -> bool:
    """Whether ``text`` asks how long something takes (何日かかる, 何か月で届く, 何日以内)."""
    found = _asked_counter_at(text)
    if not found:
        return False
    tokens, position = found
    if tokens[position].normalized not in _SPAN_COUNTERS:
        return False
    after = [t for t in tokens[position + 1 :] if t.pos[:2] != _ABOUT]
    if after and after[0].normalized in _TAKING:
        return True
    return len(after) > 1 and after[0].surface == "で" and after[1].pos[0] == "動詞"


@lru_cache(maxsize=1024)
def _asked_counter_at(text: str) -> tuple[tuple[Token, ...], int] | None:
    """The morphemes of ``text`` and the place of the counter of its first 何 + counter
    question word (as ``quantity_counter``). Kept per text: the answer type, the asked
    counter, the span and the figure the question asks each read it, about nine times a
    question."""
    tokens = morphemes(text, "A")
    for position, token in enumerate(tokens):
        if not token.surface.startswith("何") or token.pos[:2] != _NUMERAL:
            continue
        if position and tokens[position - 1].surface == "第":
            continue  # 第何章: an ordinal, a position in an order
        following = position + 1
        while following < len(tokens) and tokens[following].pos[:2] == _NUMERAL:
            following += 1  # 何 + 万 + 件
        if following == len(tokens) or not _is_counter(tokens[following]):
            continue
        after = tokens[following + 1] if following + 1 < len(tokens) else None
        if after is not None and after.surface == "か" and after.pos[:2] == _INDEFINITE:
            continue
        if after is not None and after.surface == "も" and after.pos[0] == "助詞":
            continue  # 何度も, 何人も: "many", said of a count, not asking one
        return tokens, following
    return None


# Suffixes that count though Sudachi tags them 接尾辞-名詞的-一般, as it tags the suffixes
# that name a kind (何化, 何教, 何派, 何湖, 何区, 何権: which one, not how many): the part of
# speech cannot tell them apart, so the counting ones are listed.
_COUNTING_SUFFIXES = frozenset({"人", "校", "店", "軒", "局", "園", "戸", "世帯"})


def _is_counter(token: Token) -> bool:
    """A counter as Sudachi tags one: 助数詞 or 助数詞可能 (枚, 件, 名, %), or a counting
    suffix bound to the numeral (人, 校, 店). 何 is tagged a numeral before other nouns and
    suffixes too (何主義, 何楽器, 何化, 何派: what kind of), which count nothing."""
    if token.pos[2] in ("助数詞", "助数詞可能"):
        return True
    return token.pos[:2] == ("接尾辞", "名詞的") and token.surface in _COUNTING_SUFFIXES


def counted_in(text: str) -> str | None:
    """The counter ``text`` asks a count in (何人 → 人), None for none, for a point in
    time or for a position in an order."""
    counter = quantity_counter(text)
    if counter is not None and asks_span(text):
        return SPAN
    if counter is None or counter in _POINTS_IN_TIME or counter in _ORDINALS:
        return None
    return counter


def asks_native_count(text: str) -> bool:
    """Whether ``text`` (NFKC) asks how many of a thing there are with いくつ (``NATIVE``)."""
    return _NATIVE_COUNT.search(text) is not None


# The noun いくつ asks the number of: the topic or subject before it (事務所はいくつある,
# 拠点がいくつ), or the noun after いくつの (いくつの拠点); a noun of a clause modifying it
# (相談ブースを置く事務所) is not what is counted.
_NOUN = r"[\u4e00-\u9fff\u30a1-\u30faー々A-Za-z0-9]+"
_NATIVE_SUBJECT = re.compile(rf"({_NOUN})(?:は|が|って|も)[^、。?？は]{{0,12}}?(?:いくつ|幾つ)")
_NATIVE_NOUN = re.compile(rf"(?:いくつ|幾つ)の({_NOUN})")


def natively_counted(text: str) -> str | None:
    """The noun ``text`` (NFKC) asks how many of with いくつ, None when none is marked."""
    found = _NATIVE_NOUN.search(text) or _NATIVE_SUBJECT.search(text)
    return found.group(1) if found else None


def counts_a_thing(text: str) -> bool:
    """Whether ``text`` writes a figure followed by a common noun, not a counter (1,688ブース,
    312年金事務所, not 20件, 700名, 4月): Japanese counts a thing by its own name so."""
    tokens = list(morphemes(nfkc(text), "A"))
    return any(
        token.pos[:2] == _NUMERAL and following.pos[:3] == ("名詞", "普通名詞", "一般")
        for token, following in zip(tokens, tokens[1:], strict=False)
    )


def counter_units(counter: str) -> str:
    """A regex alternation of the ways a figure in ``counter`` is written (人 → 人|名)."""
    return _SAME_UNITS.get(counter, re.escape(counter))


# A share or a ratio is stated in these units (the documents: 77.6％, 前年度比＋3.8ポイント,
# 約3割, 1.5倍): whatever noun asks it (割合, 比率, 納付率), its value is one of them.
RATIO_UNITS = f"{_SHARE_UNITS}|倍"
# …or, for a target, as a level against the year before with no figure (前年度と同等以上,
# 前年度実績以上, 当該率と同等以上): the plans set many rates' targets so.
_RATIO_LEVEL = r"(?:前年度[^\s。、,]{0,6}|同等)以上"


def or_ratio_level(figures: re.Pattern[str]) -> re.Pattern[str]:
    """``figures`` (a share's, in ``RATIO_UNITS``) or a target's level against the year
    before: what answers a share asked, in the selection and in the value binding alike."""
    return re.compile(f"{figures.pattern}|{_RATIO_LEVEL}")


# Nouns naming a share or ratio (grammar: …率 is a rate, …比 a comparison of two amounts).
_RATIO_HEADS = ("割合", "比率", "率", "比")


# Heads of a measure given in another unit than a share: an amount, a count.
_OTHER_MEASURES = r"(?:額|金|費|料|数|件|人)"


def asks_ratio(question: str, attribute: str | None) -> bool:
    """Whether ``question`` asks only a share or ratio: the attribute it asks the value of
    (question/attribute.py) is one (利用割合, 女性職員の比率, 納付率), so its value is given
    in ``RATIO_UNITS``, never in a count (1,234件 is no 割合), and it is not coordinated
    with a measure of another unit (削減額と削減率: both are asked; coordinators of
    rules.toml [connectives])."""
    if not attribute or not attribute.endswith(_RATIO_HEADS):
        return False
    before, after = _coordination(rules().coordinators)
    text = nfkc(question)
    start = text.find(attribute)
    while start >= 0:
        end = start + len(attribute)
        if before.search(text, 0, start) or after.match(text, end):
            return False
        start = text.find(attribute, start + 1)
    return True


# A share set as a bound (半分以上, 3割を超えた, 50％未満, 半数に達した): 半分 and 半数 are
# half of a whole (50%), 割 tenths of one; a question comparing with such a bound asks the
# share the plans state, in a share's unit, whatever noun it names.
_SHARE_BOUND = re.compile(
    r"(?:半分|半数|\d+(?:\.\d+)?\s*(?:割|%|％|パーセント))\s*"
    r"(?:以上|以下|未満|超|を超|を上回|を下回|を切|に達|に届|に満た)"
)


# A question word asking something else than the share (いつ 60％を超えた, 5割以上を占める
# のは何): the bound then only describes what is asked.
_ASKS_OTHER = re.compile(r"いつ|どこ|誰|だれ|何|なに|どれ|どんな|どの(?!くらい|ぐらい)|なぜ")


def asks_share_bound(question: str) -> bool:
    """Whether ``question`` compares a figure with a share set as a bound (半分以上？, 3割を
    超えた？) and asks nothing else: what answers it is the share the plans state (58.8％),
    in ``RATIO_UNITS``."""
    text = nfkc(question)
    return _SHARE_BOUND.search(text) is not None and _ASKS_OTHER.search(text) is None


# What a noun phrase of a question may hold around its head (no space, comma or end).
_IN_PHRASE = r"[^\s、。,?？]"


@cache
def _coordination(coordinators: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Another measure coordinated with an attribute: before it (a match ending where the
    attribute starts: 削減額と|削減率) and after it (one starting where it ends: 削減率|と削減額).
    Compiled once, not with each question's attribute inside: a pattern per attribute was
    one regex compilation per question asking a share (about 1 ms)."""
    joined = "|".join(re.escape(c) for c in (*coordinators, "、", ","))
    other = rf"{_IN_PHRASE}*{_OTHER_MEASURES}"
    return (
        re.compile(rf"{other}\s*(?:{joined})\s*{_IN_PHRASE}*\Z"),
        re.compile(rf"\s*(?:{joined})\s*{other}(?!{_IN_PHRASE})"),
    )


# Kanji numerals as Sudachi reads them (名詞-数詞 with only these characters: 二十, 千二百,
# 百万); it gives their value as the normalized form (二十 → 20). A numeral written with
# digits (1,600万) is already a figure.
_KANJI_DIGITS = frozenset("〇一二三四五六七八九十百千万億兆")
# Only a text holding a kanji numeral other than a lone 一 is read by Sudachi here.
_MAY_HOLD = re.compile(r"[〇二三四五六七八九十百千]|一[〇一二三四五六七八九十百千万億兆]")
FIGURE_TEXTS = 8192  # passage sentences are read for question after question


@lru_cache(maxsize=FIGURE_TEXTS)
def arabic_figures(text: str) -> str:
    """``text`` (NFKC) with each kanji numeral that states a figure written in digits, as the
    readers of figures match them (二十名 → 20名, 三件 → 3件, 百万人 → 1000000人, 千二百 →
    1200). A figure is a numeral Sudachi reads as one (名詞-数詞, so 一部, 一層, 一体 are
    words, not numerals) followed by a counter or a suffix (三件, 百万人), or of two
    characters or more (千二百の事業所). An ordinal (第一, 第三: after 第) counts nothing; a
    lone 一 before a counter is mostly a set phrase (一日も早く, 一度に), not a count of one."""
    if not _MAY_HOLD.search(text):
        return text
    tokens = analyze(text, "C")
    pieces: list[str] = []
    for position, token in enumerate(tokens):
        previous = tokens[position - 1] if position else None
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        figure = _states_figure(token, previous, following)
        pieces.append(token.normalized if figure else token.surface)
    return "".join(pieces)


def _states_figure(token: Token, previous: Token | None, following: Token | None) -> bool:
    if token.pos[:2] != _NUMERAL or not set(token.surface) <= _KANJI_DIGITS:
        return False
    if not token.normalized.isdigit() or token.surface == "一":
        return False
    if previous is not None and (previous.surface == "第" or previous.pos[:2] == _NUMERAL):
        return False
    counted = following is not None and (
        following.pos[0] == "接尾辞" or following.pos[2] in ("助数詞", "助数詞可能")
    )
    return counted or len(token.surface) > 1


__all__ = [
    "RATIO_UNITS",
    "SPAN",
    "asks_span",
    "arabic_figures",
    "asks_ratio",
    "asks_share_bound",
    "or_ratio_level",
    "asks_native_count",
    "counts_a_thing",
    "natively_counted",
    "counted_in",
    "counter_units",
    "quantity_counter",
]
