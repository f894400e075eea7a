"""Whether the passages state a name of the kind a question asks, about what it asks.

A question asking who (理事長は誰), where (本部の住所はどこ, どこと連携), which body (どの
機関) or what a thing is called (何という制度) is answered by a name: a person, a place or a
body, a scheme or a service. The plans often share such a question's topic (理事長,
年金事務所) and state no name at all, or only the names the question itself writes; the
figure check (answer/value_binding.py) never fires on them, since no figure is asked, and
they were answered with the nearest sentence about the topic.

What states a name is read from Sudachi's parts of speech (固有名詞: 人名, 地名, and 一般
for a named body such as 日本年金機構) and from the documents' conventions: a service or a
publication is named in 「…」, a body or scheme by what it is (…事務所, …センター,
…システム). A name the question itself writes (年金事務所 in 年金事務所はどこ) answers
nothing. A name is bound to the asked thing when its sentence, read with its headings,
also holds one of the question's compounds (as written or an equivalent). The kinds, their
question words and what states each are data: data/answer/name_kinds.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from answer.asked_terms import compounds_missing
from answer.extractive import Picked
from answer.sentences import passage_sentences
from ingest.model import Chunk
from question import QuestionAnalysis
from question.morphemes import morphemes
from question.normal import nfkc
from question.owner import asked_owners

KINDS_PATH = Path(__file__).resolve().parent.parent / "data" / "answer" / "name_kinds.toml"
_QUOTED = re.compile(r"「([^「」]{2,40})」")
_KATAKANA = re.compile(r"[\u30a1-\u30faー]{3,}")
# A foreign person's name: katakana parts joined by ・ (given and family name).
_DOTTED = re.compile(r"[\u30a1-\u30faー]+・[\u30a1-\u30faー・]+")
# 何という before a noun asks which one of that noun it is: the name ends with it.
_WHICH_NOUN = re.compile(r"(?:何|なん)という([\u4e00-\u9fff\u30a1-\u30faー]+)")
_NOUNS = frozenset({"名詞", "接頭辞", "接尾辞"})
# Era names Sudachi tags as proper nouns: they date, they name no one.
_ERAS = frozenset({"令和", "平成", "昭和"})
# After どこ/誰, the copula or the question's end asks which one a thing is; so does どこに
# with a verb of being somewhere (どこにある, どこに位置する): where the thing itself is.
_LOCATED = re.compile(
    r"\s*(?:です|でした|だ|なの|[?？。]|$|に(?:あ(?:る|り)|所在|位置|置かれ|設置されて))"
)
_LOCATED_VERB = re.compile(r"どこに(?:あ(?:る|り)|所在|位置|置かれ|設置されて)")
# Question words joined by と (どことどこ, 誰と誰): two of the same asked, in one place.
_JOINED_ASKED = re.compile(r"(?:(?:どこ|誰|だれ|どなた)と)+$")
# A question word inside an embedded question (誰のものか分からない) asks nothing.
_EMBEDDED = re.compile(r"[^、。？?]{0,12}?か(?:分から|わから|不明)")


@dataclass(frozen=True)
class NameKind:
    """A kind of name a question asks, and how a sentence states one."""

    id: str
    asks: re.Pattern[str]
    proper: frozenset[str]  # Sudachi's 固有名詞 subtypes that name one (人名, 地名, 一般)
    suffixes: tuple[str, ...]  # endings of a compound naming one (…事務所, …システム)
    quoted: bool  # a name in 「…」 names one
    katakana: bool  # a katakana word names one
    # Nouns naming the class the answer is one of (人物, 都市, 名前): asked of, they bind
    # no name; the question's other words do.
    classes: frozenset[str] = frozenset()
    class_endings: tuple[str, ...] = ()
    post_endings: tuple[str, ...] = ()  # a post one person holds (理事長, 講師)

    def people_only(self) -> NameKind:
        """This kind as a post asked of reads it (理事長は誰): a person's name only."""
        if "人名" not in self.proper or self.id != "person":
            return self
        return replace(self, proper=frozenset({"人名"}), suffixes=())

    def doers(self) -> NameKind:
        """This kind as asked who does something (誰が担当する, 誰が行っている) reads it: the
        plans name no individual and answer with a role or a kind of person (職員, 社会保険
        労務士, 最終責任者), a noun ending in a post or a class ending."""
        if self.id != "person":
            return self
        return replace(self, suffixes=(*self.suffixes, *self.post_endings, *self.class_endings))


@lru_cache(maxsize=1)
def name_kinds(path: Path = KINDS_PATH) -> tuple[NameKind, ...]:
    """The kinds of data/answer/name_kinds.toml, in file order (the first asked wins)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        NameKind(
            id=kind["id"],
            asks=re.compile("|".join(f"(?:{p})" for p in kind["asks"])),
            proper=frozenset(kind["proper"]),
            suffixes=tuple(sorted(kind["suffixes"], key=len, reverse=True)),
            quoted=bool(kind["quoted"]),
            katakana=bool(kind["katakana"]),
            classes=frozenset(kind.get("classes", ())),
            class_endings=tuple(kind.get("class_endings", ())),
            post_endings=tuple(kind.get("post_endings", ())),
        )
        for kind in raw["kind"]
    )


def asked_name_kind(question: str) -> NameKind | None:
    """The kind of name ``question`` (NFKC) asks, None when it asks none."""
    for kind in name_kinds():
        for match in kind.asks.finditer(question):
            if not _EMBEDDED.match(question, match.end()):
                return kind
    return None


def names_in(sentence: str, kind: NameKind, ending: str | None = None) -> list[str]:
    """The names of ``kind`` that ``sentence`` states: proper nouns of its subtypes, noun
    compounds ending in its suffixes (or in ``ending``, the noun 何という asks of), and,
    where the kind allows, names in 「…」 and katakana words; a person's, katakana parts
    joined by ・."""
    text = nfkc(sentence)
    found: list[str] = []
    run: list[str] = []
    previous = None
    for token in (*morphemes(text, "C"), None):
        if token is not None and token.pos[0] in _NOUNS:
            run.append(token.surface)
            if token.pos[1] == "固有名詞" and token.pos[2] in kind.proper:
                found.append(token.surface)
            elif (
                "人名" in kind.proper
                and token.pos[1] == "固有名詞"
                and previous is not None
                and previous.pos[1] == "固有名詞"
            ):
                # A family and a given name Sudachi does not know are read as two proper
                # nouns of other kinds in a row (田代 地名 + 文久 一般): a person's name.
                found.append(previous.surface + token.surface)
            previous = token
            continue
        previous = token
        # A name keeps its ending before 内, 等, など (経営企画部内, 出入国在留管理庁等).
        compound = re.sub(r"(?:内|等|など)$", "", "".join(run))
        endings = (*kind.suffixes, ending) if ending else kind.suffixes
        if len(compound) >= 2 and compound.endswith(endings):
            found.append(compound)
        run = []
    if kind.quoted:
        found += _QUOTED.findall(text)
    if kind.katakana:
        found += _KATAKANA.findall(text)
    if "人名" in kind.proper:
        found += [n for n in _DOTTED.findall(text) if not _common_nouns_listed(n)]
    return [name for name in found if len(name) >= 2 and name not in _ERAS]


def _common_nouns_listed(dotted: str) -> bool:
    """Whether katakana parts joined by ・ are each one common noun (カリキュラム・コース,
    システム・ネットワーク): ・ lists things there; a foreign name's parts are names."""
    parts = [p for p in dotted.split("・") if p]
    for part in parts:
        tokens = list(morphemes(part, "C"))
        if len(tokens) != 1 or tokens[0].pos[1] != "普通名詞":
            return False
    return True


def identifies(question: str, kind: NameKind) -> bool:
    """Whether the question asks which one a thing is (年金事務所はどこ？, 理事長は誰ですか,
    何という銀行, どの機関): the question word ends the question or the copula follows it,
    or a determiner asks it of a noun; not where something is done (どこに設置した,
    誰がやる), which asks a name beside the event."""
    for match in kind.asks.finditer(question):
        # A question word joined to one before it by と (…のはどことどこ) is that one's twin.
        before = _JOINED_ASKED.sub("", question[: match.start()])
        if before.endswith(("のは", "のが")):
            continue  # a cleft (…に生まれたのは誰) asks who did it, as 誰が生まれた does
        rest = question[match.end() :]
        if _LOCATED.match(rest) or not match.group().startswith(("どこ", "誰", "だれ", "どなた")):
            return True
    return False


def states_bound_name(
    sentence: str,
    headings: str,
    kind: NameKind,
    question: str,
    bound_to: Sequence[str],
    equivalents: Callable[[str], Iterable[str]],
    ending: str | None = None,
    exact: str | None = None,
    title: str | None = None,
) -> bool:
    """Whether ``sentence`` states a name of ``kind`` the question does not write itself
    (a noun ending in ``ending`` counts: 何という制度 → …制度; with ``exact`` only one
    ending so: a 年金事務所 is named …年金事務所) and holds (with its ``headings``) one of
    the ``bound_to`` compounds, as written or an equivalent. A proper name its passage's
    ``title`` gives counts as the sentence's own (``title_names``)."""
    plain_question = "".join(question.split())
    new = [
        n
        for n in (*names_in(sentence, kind, exact or ending), *title_names(title, kind))
        if "".join(n.split()) not in plain_question
        and not own_words(n, question)
        and (exact is None or n.endswith(exact))
    ]
    if not new:
        return False
    if not bound_to:  # a class named by its ending (…年金事務所): one of it is the answer
        return True
    return len(compounds_missing(bound_to, f"{headings} {sentence}", equivalents)) < len(bound_to)


def title_names(title: str | None, kind: NameKind) -> list[str]:
    """The proper names of ``kind`` a passage's title gives (Sudachi's 固有名詞 of the kind's
    subtypes, a foreign person's katakana parts joined by ・), which its sentences may leave
    unwritten: a Japanese sentence drops the subject its heading names (an article titled
    with a person's name says …に生まれた, not who). A compound named by its ending, a quote
    or a katakana word in a title names a topic, not the one the sentence speaks of."""
    if not title:
        return []
    return names_in(title, replace(kind, suffixes=(), quoted=False, katakana=False))


def own_words(name: str, question: str) -> bool:
    """Whether ``name`` is made only of the question's own words (日本年金機構本部 for
    日本年金機構の本部はどこ): each of its short units is written in the question, so it
    repeats what was asked and names nothing new."""
    units = [t.surface for t in morphemes(name, "A") if t.surface.strip()]
    return bool(units) and all(unit in question for unit in units)


def blank_own_words(text: str, question: str, keep: str | None = None) -> str:
    """``text`` (NFKC) with each noun compound made only of the question's own words
    blanked, but ``keep`` written alone: where a place is asked, such a compound
    (日本年金機構本部 of 日本年金機構の本部はどこ) is what was asked, not a place stated of
    it; the asked attribute alone (州都 of …の州都はどこ) may be the answer's own word
    (州都はハノーファー)."""
    out: list[str] = []
    run: list[str] = []
    for token in (*morphemes(text, "C"), None):
        if token is not None and token.pos[0] in _NOUNS:
            run.append(token.surface)
            continue
        compound = "".join(run)
        own = compound and compound != keep and own_words(compound, question)
        out.append(" " if own else compound)
        run = []
        if token is not None:
            out.append(token.surface)
    return "".join(out)


def _is_class(attribute: str, kind: NameKind) -> bool:
    """Whether ``attribute`` names the class the answer is one of: a class noun of the kind,
    or a noun ending in one of its class endings (設計者, 建築家: a person by what they
    do; 生誕地, 出身地: a place by what happened there)."""
    return attribute in kind.classes or attribute.endswith(kind.class_endings)


def name_unbound(
    analysis: QuestionAnalysis,
    attribute: str | None,
    asked: list[str],
    picked: Sequence[Picked],
    passages: Sequence[Chunk],
    equivalents: Callable[[str], list[str]],
) -> bool:
    """Whether the question asks a name (a person, a place or body, what a thing is called)
    and neither a picked sentence nor any sentence of the top ``passages`` states one of
    that kind bound to the asked thing.

    Asked which one a thing is, the asked ``attribute`` (question/attribute.py) is either
    the class the answer is one of (年金事務所はどこ, 人物は誰, 都市はどこ, 名前は: the kind's
    ``classes``, or a noun ending in one of its endings) or what the name is of (住所は
    どこ, 理事長は誰). A class binds nothing: the name's sentence holds another of the
    question's compounds, and names one of the class when it ends in a named ending of
    two characters or more (…年金事務所). Otherwise the sentence holds the attribute, and a
    post asked (理事長は誰) is answered by a person's name only. Asked where or by whom
    something is done (どこと連携する, 誰が担当する), the sentence holds one of the
    ``asked`` compounds. False when it asks no name, names no compound to bind to, or
    nothing is picked."""
    question = analysis.normalized_without_pages
    kind = asked_name_kind(question)
    if kind is None or not picked:
        return False
    which = bool(attribute) and identifies(question, kind)
    ending = _WHICH_NOUN.search(question)
    suffix = None if ending is None else ending.group(1)  # 何という制度 → …制度
    exact = None  # the ending every name must have: a class named by its body's ending
    if which and attribute:
        named = next((e for e in kind.suffixes if attribute.endswith(e)), None)
        if _is_class(attribute, kind) or named is not None:
            bound_to = [c for c in asked if c != attribute]
            if named is not None and len(named) >= 2:
                exact = named
        else:
            bound_to = [attribute]
            kind = kind.people_only()
    else:
        bound_to = asked
        kind = kind.doers()
    if not bound_to and exact is None:
        return False
    read = [(p.quote, p.chunk) for p in picked]
    read += [(s, c) for c in passages for s in passage_sentences(c.text)]
    return not any(
        states_bound_name(
            sentence, c.headings, kind, question, bound_to, equivalents, suffix, exact, c.title
        )
        for sentence, c in read
    )


_NAME_WORDS = frozenset({"名前", "氏名", "お名前"})


def asked_post(question: str, attribute: str | None) -> str | None:
    """The post whose holder's name ``question`` (NFKC) asks, None when it asks none: which
    one holds it (理事長は誰, 講師はどなた) or the post's own 名前/氏名 (理事長の名前は). A
    post is a noun ending in one of the person kind's ``post_endings``; a person named by
    what they do (設計者, 作者) is a class, whose answer may be a body, and is left to
    ``name_unbound``."""
    kind = asked_name_kind(question)
    person = next((k for k in name_kinds() if k.id == "person"), None)
    if kind is None or person is None or not attribute:
        return None
    if attribute in _NAME_WORDS:
        owners = asked_owners(question, attribute)
        post = owners[-1] if owners else None
    elif kind.id == "person" and identifies(question, kind):
        post = attribute
    else:
        return None
    if post is None or _is_class(post, person) or not post.endswith(person.post_endings):
        return None
    return post


def holder_unnamed(
    analysis: QuestionAnalysis,
    attribute: str | None,
    asked: Sequence[str],
    picked: Sequence[Picked],
    passages: Sequence[Chunk],
    equivalents: Callable[[str], list[str]],
) -> bool:
    """Whether the question asks who holds a post (``asked_post``) and neither a picked
    sentence nor any sentence of the top ``passages`` names a person (Sudachi's 人名, a
    foreign name's katakana parts joined by ・, two proper nouns in a row) beside the post or
    another of the ``asked`` compounds. A person's name
    is a kind of value asked, as a phone number is: the decline signal ``type_missing``
    reads it, so 「…長の名前は」 answered by a sentence on the post's office (…室を設置)
    or on a kind of person (外部講師) is declined. False when nothing is picked."""
    question = analysis.normalized_without_pages
    post = asked_post(question, attribute)
    if post is None or not picked:
        return False
    person = next(k for k in name_kinds() if k.id == "person").people_only()
    read = [(p.quote, p.chunk) for p in picked]
    read += [(s, c) for c in passages for s in passage_sentences(c.text)]
    # Beside the post or any other ``asked`` compound: a text names a holder without
    # repeating the post (…の宮本岳志が落選 for 落選した党員は誰); a word Sudachi misreads as
    # a name (マイナ of マイナポータル) in a sentence on another topic names no holder.
    bound_to = list(dict.fromkeys([post, *asked]))
    return not any(
        states_bound_name(
            sentence, c.headings, person, question, bound_to, equivalents, title=c.title
        )
        for sentence, c in read
    )


def place_unstated(
    analysis: QuestionAnalysis,
    attribute: str | None,
    asked: list[str],
    picked: Sequence[Picked],
    passages: Sequence[Chunk],
    equivalents: Callable[[str], list[str]],
) -> bool:
    """Whether the question asks a place or body (どこ, 所在地, どの機関: the place kind) and
    no picked sentence nor top passage states one bound to the asked thing (``name_unbound``
    for that kind); the caller also requires that no top passage writes the asked attribute. A place is a kind of value asked, as a phone number, a time or an amount
    is: the decline signal ``type_missing`` reads it, so 「…の本部はどこ」 answered by a
    sentence naming no 本部 is declined as a question for a phone number answered by none."""
    if not asks_place(analysis):
        return False
    return name_unbound(analysis, attribute, asked, picked, passages, equivalents)


def asks_located(question: str) -> bool:
    """Whether ``question`` (NFKC) asks where a thing itself is (…はどこにありますか,
    どこに位置する): the thing written alone is then the question's own word, no place."""
    return bool(_LOCATED_VERB.search(question))


def asks_where_it_is(question: str, attribute: str | None) -> bool:
    """Whether ``question`` (NFKC) asks where one thing is, not which one of a class: where
    it is (どこにある), or どこ of a thing of its owner (…の本部はどこ): its location is
    missing, not its name (相談が最も多い年金事務所はどこ asks which office)."""
    if asks_located(question):
        return True
    return (
        bool(attribute) and re.search(rf"の{re.escape(attribute)}は\s*どこ", question) is not None
    )


def asks_place(analysis: QuestionAnalysis) -> bool:
    """Whether the question asks a place or body (the place kind of data/answer/name_kinds.toml)."""
    kind = asked_name_kind(analysis.normalized_without_pages)
    return kind is not None and kind.id == "place"
