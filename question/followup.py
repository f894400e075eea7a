"""Follow-up questions in a chat: what a question leans on from the turns before it.

A follow-up takes its topic from the conversation when it opens with a demonstrative or a
connective that takes the topic as given (それの目標は？ / じゃあ…は？), or when it has no
topic word of its own: every content word it holds changes only the aspect — a year, a
period, plan or result, which figure (前の年は？ / 目標は？). A short question that names its
own topic (ねんきんネットとは？) stands alone. The topic carried is what the last user turn
that named one was about, so a chain of follow-ups keeps the first subject: the plan pages it
named, as their labels (中期計画の46ページ → 中期P46), then the content words of the rest.

The word lists are data (``data/question/rules.toml``); the test of "content word" is
Sudachi's part of speech.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from question.demonstrative import demonstrative
from question.morphemes import morphemes
from question.normal import nfkc
from question.page_refs import page_references, strip_page_references
from question.rules import rules
from question.side import side_words

# A topic is named by nouns (Sudachi's 名詞): 普通名詞, 固有名詞. Not by a noun that
# works as an adverb (全部, 今, 最近: 副詞可能) or as a counter (件, 人分: 助数詞可能), nor
# by a verb alone (出してくれない人は？ names no topic); 代名詞 points, it names nothing.
_TOPIC_SUBCLASSES = frozenset({"普通名詞", "固有名詞"})
_NOT_TOPIC = frozenset({"副詞可能", "助数詞可能"})
_GENERIC = frozenset(
    "こと もの ところ 所 事 物 ため 為 よう 様 とき 時 的 等 方 中 場合 人 方々 皆 みんな "
    "ほう 感じ 話 件 分 点 辺 あたり 具合 様子 気 本当 ホント 大丈夫 ダメ 駄目".split()
)
_ERA_OR_NUMBER = re.compile(r"^(?:令和|平成|昭和|[0-9０-９]+|元|第)$")
_FISCAL_YEAR = re.compile(r"令和\s*([0-9]{1,2}|元)\s*年度?")
_PERIOD = re.compile(r"第\s*([0-9]+)\s*期")


def topic_words(text: str, *, stems: bool = False) -> list[str]:
    """Nouns of ``text`` that name a topic (not an aspect, a year or a question word), as
    written, in order; neighbouring ones stay one compound (コールセンター, 応答率). With
    ``stems``, a verb's stem right before a noun starts a compound (待ち時間) and a
    counter-like noun ends one: what a follow-up carries from the turn before is read so,
    while whether a question names a topic of its own (and so stands alone) is not."""
    aspect = rules().aspect_words
    words: list[str] = []
    last = -2
    prefix = (-2, "")  # a prefix (未, 再, 各) joins the noun right after it
    tokens = morphemes(text, "A")
    asked = _asked_kinds(tokens)
    for position, token in enumerate(tokens):
        if position in asked:
            continue
        if token.pos[0] == "接頭辞" or (stems and _verb_stem_of_compound(tokens, position)):
            prefix = (position, token.surface)
            continue
        if token.pos[0] == "接尾辞" and position == last + 1 and token.pos[1] == "名詞的":
            words[-1] += token.surface  # 事業+所, 納付+率: the suffix completes the noun
            last = position
            continue
        if token.pos[0] != "名詞" or token.pos[1] not in _TOPIC_SUBCLASSES:
            continue
        # A counter-like noun ends a compound after a verb's stem or a noun (待ち時間,
        # 相談時間): there it is part of the name, not a count or a time.
        joined = stems and (
            position == last + 1
            or (prefix[0] == position - 1 and tokens[prefix[0]].pos[0] == "動詞")
        )
        # A counter-like noun may head a compound (時間外勤務, 月平均); an adverb-like one
        # does not (そもそも電子申請 is そもそも + 電子申請: in the first place, not a name).
        heads = token.pos[2] == "助数詞可能" and _heads_compound(tokens, position)
        if token.pos[2] in _NOT_TOPIC and not (joined or heads):
            continue
        if token.surface in aspect or token.normalized in aspect:
            continue
        if token.normalized in _GENERIC or token.surface in _GENERIC:
            continue
        if _ERA_OR_NUMBER.match(token.surface):
            continue
        surface = (prefix[1] if prefix[0] == position - 1 else "") + token.surface
        if position == last + 1 or (prefix[0] == position - 1 and last == position - 2):
            words[-1] += surface
        else:
            words.append(surface)
        last = position
    return words


# Interrogative determiners (Sudachi's 連体詞): the noun they modify names the kind of answer
# asked (どの職員？ asks which staff), not what the question is about; so does 何の.
_INTERROGATIVE_DETERMINERS = frozenset({"どの", "どんな", "どういう", "どのような", "いかなる"})


def _asked_kinds(tokens: Sequence[Any]) -> set[int]:
    """Positions of the nouns an interrogative determiner modifies (the compound right after
    どの / どんな / 何の, prefixes and suffixes with it): in 特にどの職員の？ the question
    names no topic of its own; 職員 is what it asks for, of the topic of the turn before."""
    asked: set[int] = set()
    for position, token in enumerate(tokens):
        determiner = token.pos[0] == "連体詞" and token.surface in _INTERROGATIVE_DETERMINERS
        what_of = (
            token.surface == "何"
            and position + 1 < len(tokens)
            and tokens[position + 1].surface == "の"
        )
        if not (determiner or what_of):
            continue
        following = position + (2 if what_of else 1)
        while following < len(tokens) and (
            tokens[following].pos[0] in ("名詞", "接頭辞")
            or (tokens[following].pos[0] == "接尾辞" and tokens[following].pos[1] == "名詞的")
        ):
            asked.add(following)
            following += 1
    return asked


def _verb_stem_of_compound(tokens: Sequence[Any], position: int) -> bool:
    """Whether the token at ``position`` is a verb's stem (連用形) written right before a
    noun, the first part of one compound (待ち|時間, 取り|扱い): Sudachi's short units split
    it, and the noun alone (時間) is a counter, no topic; with the stem it is one."""
    token = tokens[position]
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    return (
        token.pos[0] == "動詞"
        and token.pos[5].startswith("連用形")
        and following is not None
        and following.pos[0] == "名詞"
        and following.pos[1] in _TOPIC_SUBCLASSES
        and not _ERA_OR_NUMBER.match(following.surface)
    )


def _heads_compound(tokens: Sequence[Any], position: int) -> bool:
    """Whether the noun at ``position`` begins a compound with the topic noun right after
    it: 時間 of 時間外勤務, 月 of 月平均 name no time or count there but the first part of
    the thing named (without it, 時間外勤務 was carried as 外勤務)."""
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    return (
        following is not None
        and following.pos[0] == "名詞"
        and following.pos[1] in _TOPIC_SUBCLASSES
        and following.pos[2] not in _NOT_TOPIC
        and not _ERA_OR_NUMBER.match(following.surface)
    )


def subject_of(text: str, *, stems: bool = False) -> list[str]:
    """What a question is about: the labels of the plan pages it names (中期P46), then the
    topic words of the rest. Topic words alone would take a label apart (中期P46 → P)."""
    labels = list(dict.fromkeys(ref.label for ref in page_references(text)))
    rest = strip_page_references(text) if labels else text
    return [*labels, *topic_words(rest, stems=stems)]


def leans_on_history(question: str) -> bool:
    """True when ``question`` takes its topic from the conversation: it opens with a
    demonstrative or a connective, holds a demonstrative standing for a thing anywhere
    (なぜそれに力を入れるの？ / 令和5年度のその数は？: question/demonstrative.py), or names
    no topic of its own."""
    text = nfkc(question).strip()
    found = rules()
    if found.pointing.match(text) or found.follow_on.match(text) or demonstrative(text):
        return True
    return not subject_of(text)


def repeats_last_exchange(question: str, history: Sequence[object]) -> bool:
    """True when every topic word of ``question`` was already said in the last exchange
    (the last user turn or the answer to it): a speaker who goes on about what was just
    said repeats its noun as the topic of the next question (訪問しました → 訪問はいつから？,
    外国人の対策 → 外国人向けの対策はなぜ？) rather than a new subject. A word counts as said
    when each noun it is built of was (外国人向け → 外国, 被保険者数 → 保険), a page when it
    was named in any of its written forms (中期計画の46ページ, 【中期P46】)."""
    text = nfkc(question)
    if page_references(text) and not rules().asks_else.search(text):
        # A page named is a subject of its own (年度P47を見せて), even one the last answer
        # cited: it asks for that page, not about what was just said (unless 他に).
        return False
    words = subject_of(text)
    said = nfkc(" ".join(_last_exchange(history)))
    if not words or not said.strip():
        return False
    pages = {ref.label for ref in page_references(said)}
    return all(
        word in pages or all(noun in said for noun in _nouns_of(word) or [word]) for word in words
    )


def _nouns_of(word: str) -> list[str]:
    """The nouns ``word`` is built of, without a last one-character noun that names what is
    measured of the ones before it (被保険者数, 納付率, 削減額): the measure is what the
    question asks, not its subject."""
    nouns = [t.surface for t in morphemes(word, "A") if t.pos[0] == "名詞"]
    return nouns[:-1] if len(nouns) > 1 and len(nouns[-1]) == 1 else nouns


def _last_exchange(history: Sequence[object]) -> list[str]:
    """The last user turn and the answers after it, a declined exchange left out
    (``answered_turns``)."""
    turns: list[str] = []
    for turn in reversed(answered_turns(history)):
        content = str(getattr(turn, "content", ""))
        turns.append(content)
        if getattr(turn, "role", None) == "user" and content.strip():
            break
    return turns


_OPENING = re.compile(r"^[、,\s]*")


def changes_topic(question: str) -> bool:
    """Whether ``question`` opens with a marker of a new topic (話は変わりますが, ところで),
    after a connective too (じゃあ、話が変わるけど…): it announces that it does not lean on
    the turns before it, so it stands alone."""
    text = nfkc(question).strip()
    found = rules()
    opening = found.follow_on.match(text)
    if opening:
        text = text[opening.end() :]
    return bool(found.topic_change.match(text[_OPENING.match(text).end() :]))


def continues(question: str, history: Sequence[object]) -> bool:
    """True when ``question`` goes on from the conversation: it leans on it
    (``leans_on_history``) or names only what its last exchange said, unless it opens by
    changing the topic (``changes_topic``)."""
    return (
        bool(history)
        and not changes_topic(question)
        and (
            leans_on_history(question)
            or repeats_last_exchange(question, history)
            or pointed_exchange(question, history) is not None
            or leaves_out_predicate(question)
            or compares_with_said(question)
        )
    )


def compares_with_said(question: str) -> bool:
    """Whether ``question`` names one term of a comparison only (第3期全体と比べると？): the
    other is what was just said (rules.toml compares_with_said); AとBを比べると names both,
    and its を比べ is no such cue."""
    return bool(rules().compares_with_said.search(nfkc(question)))


def leaves_out_predicate(question: str) -> bool:
    """Whether ``question`` ends on its topic with no predicate (役割分担については？ /
    女性は？): it asks what the question before it asked, of that topic (rules.toml
    predicate_left_out). A topic ending on what is measured (利用者数は？, 納付率は？) or a
    phrase with a bare は (年金事務所の体制は？) asks its own question."""
    text = nfkc(question).strip()
    marked = rules().predicate_left_out.search(text)
    words = topic_words(text)
    if not marked or not words:
        return False
    last = words[-1]
    if len(_nouns_of(last)) < len([t for t in morphemes(last, "A") if t.pos[0] == "名詞"]):
        return False  # 利用者数, 納付率: the measure asked is named
    if marked.group(0).startswith("は"):
        return len(words) == 1 and text[: marked.start()] == last
    return True


_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


def pointed_exchange(question: str, history: Sequence[object]) -> int | None:
    """The place in ``answered_turns(history)`` of the user turn ``question`` points at by
    its order (最初の県のほうは？ / 2つ目の件は？: rules.toml nth_exchange), None when it
    points at none, or the conversation holds fewer than two exchanges to choose from."""
    said = rules().nth_exchange.search(nfkc(question))
    if not said:
        return None
    turns = answered_turns(history)
    asked = [
        place
        for place, turn in enumerate(turns)
        if getattr(turn, "role", None) == "user" and str(getattr(turn, "content", "")).strip()
    ]
    written = said.group("n")
    order = 1 if not written else _ORDINALS.get(written) or int(written)
    return asked[order - 1] if len(asked) >= 2 and order <= len(asked) else None


def _user_turns(history: Sequence[object]) -> list[str]:
    return [
        str(getattr(turn, "content", ""))
        for turn in answered_turns(history)
        if getattr(turn, "role", None) == "user" and str(getattr(turn, "content", "")).strip()
    ]


# planqa's decline says it found nothing that answers (…記載が見当たりませんでした), before
# the nearest passages it lists; so does a client's LLM that keeps the wording
# (answer/llm.py reads the same mark).
_DECLINE_MARK = "見当たりません"


def declined(answer: str) -> bool:
    """Whether ``answer`` (an assistant turn's text) is a decline: the question before it
    was not answered, so it named no topic the conversation goes on with, and the passages
    it lists are the nearest ones, not what was said."""
    first = next((line for line in answer.split("\n") if line.strip()), "")
    return _DECLINE_MARK in first


def answered_turns(history: Sequence[object]) -> list[object]:
    """``history`` without its declined exchanges (a user turn whose answer is a decline,
    and that answer): a question the plans could not answer (an English one, one off
    their subject) gives a follow-up no topic, no year and no passages."""
    turns = list(history)
    kept: list[object] = []
    for place, turn in enumerate(turns):
        role = getattr(turn, "role", None)
        if role == "assistant" and declined(str(getattr(turn, "content", ""))):
            continue
        if role == "user" and declined(_answer_after(turns, place)):
            continue
        kept.append(turn)
    return kept


def carried_topic(question: str, history: Sequence[object]) -> str:
    """The topic ``question`` takes from ``history`` ('' when it stands alone): the subject
    of the last user turn that named one (its page labels and topic words, a noun named by
    a clause as the whole phrase: ``topic_phrases``); for a thing described by a clause,
    the subject of the figure the answer to that turn gave (``answered_subject``) in
    place of the clause: the plans' own name for what a caller described
    (電話がつながる割合 → 応答率)."""
    if not continues(question, history):
        return ""
    turns = answered_turns(history)
    pointed = pointed_exchange(question, history)
    latest_first = list(range(len(turns) - 1, -1, -1))
    # A turn pointed at by its order (最初の…) gives the topic; else the latest naming one.
    for place in [pointed, *latest_first] if pointed is not None else latest_first:
        turn = turns[place]
        content = str(getattr(turn, "content", ""))
        if getattr(turn, "role", None) != "user" or not _JAPANESE.search(content):
            continue  # a turn in another language names its topic in words no plan holds
        subject = subject_of(content, stems=True)
        if not subject:
            continue
        phrases = topic_phrases(content)
        asked = _with_phrases(content, subject, phrases)
        # Only a thing described by a clause is renamed: a noun the caller chose (ミス) is
        # searched as said, and the answer's figure may be of an attribute (発生件数).
        named = answered_subject(_answer_after(turns, place), content) if phrases else ""
        if named:
            # The answer's name stands for the caller's description of the thing: the
            # clause's own words (電話, つながる) are in no sentence that answers.
            words = [w for w in subject if not any(w in phrase for phrase in phrases)]
            words = [*words, named] if not any(named in w for w in words) else words
        else:
            words = asked
        if leans_on_history(content):
            # That turn was itself a follow-up (それの利用者数は？): its topic was carried
            # from the turns before it, and the conversation is still about that.
            earlier = carried_topic(content, turns[:place]).split()
            words = [*earlier, *(w for w in words if not any(w in e for e in earlier))]
        return " ".join(dict.fromkeys(words))
    return ""


# The plans are written in Japanese (kana, kanji): a question with none of it (an English
# one) is declined, whether or not the client sends that decline back.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _answer_after(turns: Sequence[object], place: int) -> str:
    """The assistant turn right after the user turn at ``place`` ('' when none follows)."""
    following = turns[place + 1] if place + 1 < len(turns) else None
    if following is None or getattr(following, "role", None) != "assistant":
        return ""
    return str(getattr(following, "content", ""))


def _with_phrases(text: str, words: list[str], phrases: list[str]) -> list[str]:
    """``words`` (a turn's subject) with the topic words a clause phrase of ``text`` holds
    replaced by the phrase, in the order the text says them."""
    if not phrases:
        return words
    normalized = nfkc(text)
    kept = [w for w in words if not any(w in phrase for phrase in phrases)]
    # In the order the text says them; a word written otherwise there (NFKC) goes last.
    return sorted([*kept, *phrases], key=lambda w: (w not in normalized, normalized.find(w)))


# A clause that names a topic ends on a verb (or its auxiliaries) in the attributive form
# right before the noun it describes (電話が|つながる|割合); it starts after the main
# clause's topic (は, も), a comma, a demonstrative, or a date, which say when or what of,
# not which thing.
_CLAUSE_STOPS = frozenset({"補助記号", "接続詞", "副詞", "感動詞", "代名詞", "連体詞"})
_TOPIC_PARTICLES = frozenset({"係助詞", "終助詞", "接続助詞"})


def topic_phrases(text: str) -> list[str]:
    """Noun phrases of ``text`` whose noun is named by a clause (電話がつながる割合,
    口座から払う人の割合), as written in NFKC: a caller describes a thing by what happens
    (電話がつながる) where the plans name it (応答率), so the clause is the name; one noun
    of it (電話) is another topic. A clause with no topic word of its own (来てくれない人)
    names nothing."""
    tokens = morphemes(text, "A")
    topics = topic_words(text)
    phrases: list[str] = []
    for end, token in enumerate(tokens):
        if not token.pos[5].startswith("連体形") or end + 1 >= len(tokens):
            continue
        if tokens[end + 1].pos[0] != "名詞" or token.pos[0] not in ("動詞", "助動詞"):
            continue
        head_end = _noun_end(tokens, end + 1)
        if head_end + 2 < len(tokens) and tokens[head_end].surface == "の":
            # 払う人の割合: a generic head (人, もの) is named by what follows の.
            head = "".join(t.surface for t in tokens[end + 1 : head_end])
            if head in _GENERIC:
                head_end = _noun_end(tokens, head_end + 1)
        if _names_a_side(tokens[end + 1 : head_end]):
            continue  # …規模でやる目標: the plan or result asked of the topic, not the topic
        start = _clause_start(tokens, end)
        phrase = "".join(t.surface for t in tokens[start:head_end])
        arguments = "".join(t.surface for t in tokens[start:end])
        if any(word in arguments for word in topics) and phrase not in phrases:
            phrases = [p for p in phrases if p not in phrase]
            phrases.append(phrase)
    return phrases


def _names_a_side(head: Sequence[Any]) -> bool:
    """Whether the noun a clause describes is a plan's or the results' own word (目標,
    実績, 計画: question/side.py), which names what is asked of a topic, not a topic."""
    words = side_words()
    return any(t.normalized in words.plan or t.normalized in words.results for t in head)


def _noun_end(tokens: Sequence[Any], start: int) -> int:
    """The end of the noun compound starting at ``start`` (nouns, prefixes, suffixes)."""
    end = start
    while end < len(tokens) and (
        tokens[end].pos[0] in ("名詞", "接頭辞")
        or (tokens[end].pos[0] == "接尾辞" and tokens[end].pos[1] == "名詞的")
    ):
        end += 1
    return end


def _clause_start(tokens: Sequence[Any], end: int) -> int:
    """Where the clause ending at ``end`` starts: after the main clause's topic particle, a
    comma or a date before it, and never on a particle."""
    start = end
    while start > 0:
        before = tokens[start - 1]
        if before.pos[0] in _CLAUSE_STOPS or before.pos[1] in _TOPIC_PARTICLES:
            break
        if before.pos[0] == "名詞" and (
            _ERA_OR_NUMBER.match(before.surface) or before.pos[1] == "数詞"
        ):
            break
        if before.surface in ("年度", "年", "月", "期") and start >= 2:
            break
        start -= 1
    while start < end and tokens[start].pos[0] == "助詞":
        start += 1
    return start


# The subject a figure is stated of: the noun compound right before は / が / も (or right
# before the figure), the figure within the same clause; a date's digits are no figure. A
# noun as written: kanji, katakana, Latin letters, okurigana inside it (待ち時間).
_NOUN = r"(?:[\u4e00-\u9fff\u30a0-\u30ffー々〆ヶA-Za-z]|(?<=[\u4e00-\u9fff])[いきしちみりれ](?=[\u4e00-\u9fff]))"
_SUBJECT_OF_FIGURE = re.compile(
    rf"({_NOUN}{{2,}})(?:[はがも]、?[^。、【]{{0,12}}?)?(?<![\d.,])\d[\d,.]*(?![\d年月])"
)
_LABELS = re.compile(r"【[^】]*】|[（(][^）)]*[）)]")


def answered_subject(answer: str, asked: str = "") -> str:
    """What the first statement of ``answer`` gives a figure of (コールセンター全体の応答率は
    70%以上 → 応答率), '' when it states none: a follow-up asks the next thing about the
    thing the answer named, in the plans' own words. Of several, the one whose characters
    stand latest in the question ``asked`` (summed by place): Japanese puts the head of a
    noun phrase last, so 予約しないで…待つ時間 asks 待ち時間, not the 来所相談予約率 before it."""
    first = next((line for line in nfkc(answer).split("\n") if line.strip()), "")
    first = _LABELS.sub(" ", first.split("。")[0])
    subjects = [
        found.group(1)
        for found in _SUBJECT_OF_FIGURE.finditer(first)
        if not _ERA_OR_NUMBER.match(found.group(1)) and topic_words(found.group(1))
    ]
    if not subjects:
        return ""
    text = nfkc(asked)
    return max(subjects, key=lambda subject: sum(text.rfind(c) + 1 for c in set(subject)))


# planqa's answers end each statement with its labels: 「…77.6％。【資料1-3 P6・資料1-4 P4】」.
# Chat clients (Open WebUI, LangChain) send the history back as that plain text; a client
# that rewrites the answer (an LLM paraphrasing it) often puts the labels in parentheses,
# 「…99万人でした（資料1-3 P1、資料1-4 P1）。」, which are labels only when nothing but plan
# page labels stands inside them (not （令和6年4月時点）).
_STATEMENT = re.compile(r"([^\n【】]+?)【([^【】\n]+)】")
_PARENTHESES = re.compile(r"[（(]([^（）()\n]+)[)）]")
_SEPARATORS = re.compile(r"[\s、,，・;；]*")


def _bracketed_labels(content: str) -> str:
    """``content`` with each parenthesis that holds only page labels written as 【labels】."""

    def labels(match: re.Match[str]) -> str:
        inside = match.group(1)
        found = [ref.label for ref in page_references(inside)]
        if not found or not _SEPARATORS.fullmatch(strip_page_references(inside)):
            return match.group(0)
        return "【" + "・".join(dict.fromkeys(found)) + "】"

    return _PARENTHESES.sub(labels, content)


def previous_statements(
    question: str, history: Sequence[object]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The statements of the last answer in ``history`` with their labels, when ``question``
    takes its topic from the conversation; () otherwise. An answer sent back without any
    label gives its sentences, each with no label.

    A follow-up that names no topic of its own (前の年は？ / 増えたの？) asks about what was
    just said: the passages that answer quoted are where its answer most likely is."""
    if not continues(question, history):
        return ()
    pointed = pointed_exchange(question, history)
    if pointed is not None:
        # 最初の…: what the answer to that exchange said, not the last answer.
        turns = answered_turns(history)
        history = turns[: pointed + 2]
    for turn in reversed(history):
        if getattr(turn, "role", None) != "assistant":
            continue
        if declined(str(getattr(turn, "content", ""))):
            return ()  # its passages are the nearest ones listed, not what was said
        content = _bracketed_labels(str(getattr(turn, "content", "")))
        if "【" not in content:
            # A client that rewords the answer may drop its labels: its sentences are
            # still what was just said, found again by the figures they state.
            return tuple(
                (sentence.strip(), ())
                for sentence in _SENTENCE_END.split(content)
                if sentence.strip()
            )
        found = (
            (match.group(1).strip().lstrip("。．.、,"), match.group(2))
            for match in _STATEMENT.finditer(content)
        )
        return tuple(
            (statement, tuple(label.strip() for label in labels.split("・")))
            for statement, labels in found
            if statement.strip()
        )
    return ()


_SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n")


def previous_context(history: Sequence[object]) -> str:
    """The last user turn ('' when there is none)."""
    turns = _user_turns(history)
    return turns[-1] if turns else ""


def resolve_relative_year(question: str, history: Sequence[object]) -> str:
    """``question`` with 前の年 / 翌年 written out from the fiscal year the conversation
    last named (令和5年度 → 前の年 is 令和4年度), and 前の期 / 次の期 from the plan period
    it named (第4期 → 前の期 is 第3期); unchanged when none was named. The relative words
    are replaced, not kept beside the year: a 前年度 left in would name the year before."""
    text = nfkc(question)
    found = rules()
    turns = [nfkc(t) for t in reversed(_user_turns(history))]
    if not _PERIOD.search(text):
        for cue, shift in ((found.previous_period, -1), (found.next_period, 1)):
            if cue.search(text):
                named = next((_PERIOD.findall(t) for t in turns if _PERIOD.search(t)), [])
                if named:
                    return _replace(cue, f"第{int(named[-1]) + shift}期", question, text)
    if _FISCAL_YEAR.search(text):
        return question
    for cue, shift in ((found.previous_year, -1), (found.next_year, 1)):
        said = cue.search(text)
        if not said:
            continue
        # 去年 / 昨年度 are relative to the caller's today: only a year the caller named
        # moves them; 前の年 / その前の年 step from the year just discussed.
        deictic = bool(_DEICTIC.match(said.group(0)))
        year, by_caller = _year_of_conversation(history, answers=not deictic)
        if year is not None and (by_caller or not deictic):
            return _replace(cue, f"令和{year + shift}年度", question, text)
    return question


_DEICTIC = re.compile(r"去年|昨年")


def conversation_year(history: Sequence[object], *, answers: bool = True) -> int | None:
    """The fiscal year (令和, as a number) the conversation is last about
    (``_year_of_conversation``)."""
    return _year_of_conversation(history, answers=answers)[0]


def _year_of_conversation(
    history: Sequence[object], *, answers: bool = True
) -> tuple[int | None, bool]:
    """The fiscal year (令和, as a number) the conversation is last about: the year the last
    user turn naming one named, its relative words read from the turns before it (so
    前の年は？ then その前の年は？ step back a year each), or, for an exchange whose
    question named none (去年度は何件？), the latest year the first statement of its
    answer gives a figure of (the results report states the year it reports, beside the
    years before it compares with); with ``answers`` False, the user turns' years only.
    With it, whether the caller named that year (or stepped to it from one named)."""
    found = rules()
    year: int | None = None
    by_caller = False  # the year was named (or stepped from one named) by the caller
    named_here = False
    for turn in answered_turns(history):
        content = nfkc(str(getattr(turn, "content", "")))
        if getattr(turn, "role", None) == "user" and content.strip():
            named = _FISCAL_YEAR.findall(content)
            named_here = bool(named)
            if named:
                year, by_caller = _year_number(named[-1]), True
                continue
            for cue, shift in ((found.previous_year, -1), (found.next_year, 1)):
                said = cue.search(content)
                if not said:
                    continue
                if _DEICTIC.match(said[0]) and not by_caller:
                    # 去年度 with no year named: the caller's last fiscal year, the one the
                    # results report reports (rules.toml [calendar]); its answer may date it.
                    year = found.results_fiscal_year
                elif year is not None:
                    year, named_here = year + shift, True
                break
        elif answers and getattr(turn, "role", None) == "assistant" and not named_here:
            first = next((line for line in content.split("\n") if line.strip()), "")
            answered = [_year_number(y) for y in _FISCAL_YEAR.findall(_LABELS.sub(" ", first))]
            if answered:
                year, by_caller = max(answered), False
    return year, by_caller


def _year_number(written: str) -> int:
    return 1 if written == "元" else int(written)


def _replace(cue: re.Pattern[str], absolute: str, question: str, normalized: str) -> str:
    """The first relative word of ``question`` replaced, in the question as typed when the
    word is written there as in its NFKC form."""
    if cue.search(question):
        return cue.sub(absolute, question, count=1)
    return cue.sub(absolute, normalized, count=1)


_PART_OF = re.compile(r"^(?:うち|内)(?![容訳部])[、,\s]*")
_AFTER_POINTING = re.compile(r"^(?:って|の|は|で|に|が|を|も)?[、,\s]*")


def without_connective(question: str) -> str:
    """``question`` without an opening connective (じゃあ, では, あと) or demonstrative (それの,
    その): once the topic they stand for is written beside it, they carry no content."""
    text = question.lstrip()
    found = rules()
    for pattern in (found.follow_on, found.pointing):
        match = pattern.match(text)
        # Only a demonstrative (こ・そ・あ words) stands for the topic; 前の, 同じ keep meaning.
        if match and (pattern is found.follow_on or match.group(0)[:1] in "こそあ"):
            text = text[match.end() :]
            if pattern is found.pointing:
                # その内 / このうち ("of it") is one demonstrative phrase: a part of the topic.
                part = _PART_OF.match(text) if match.group(0)[:1] in "こそ" else None
                text = text[part.end() :] if part else text
                text = text[_AFTER_POINTING.match(text).end() :]
            text = text.lstrip("、, ")
    return text or question


class Followup(NamedTuple):
    topic: str  # carried from the conversation; '' for a question that stands alone
    resolved: str  # the question with its relative years and periods written out
    search_text: str  # resolved, with the topic in place of a demonstrative or connective


def followup(question: str, history: Sequence[object]) -> Followup:
    """What ``question`` takes from ``history``, resolved once."""
    if not history:
        return Followup("", question, question)
    if changes_topic(question):
        return Followup("", question, question)  # a new topic announced: it stands alone
    resolved = resolve_relative_year(question, history)
    topic = carried_topic(question, history)
    searched = f"{topic} {without_connective(resolved)}".strip() if topic else resolved
    return Followup(topic, resolved, searched)


def standalone(question: str, history: Sequence[object]) -> str:
    """The text searched for ``question`` after ``history`` (``QuestionAnalysis.search_text``)."""
    return followup(question, history).search_text
