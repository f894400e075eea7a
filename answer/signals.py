"""The signals the decline model weighs, computed from an answer and its passages.

Each is something the answer already knows: how much of the question the chosen sentences
and the best passage cover, whether the kind of answer asked for is there, whether a year
named is missing (the plans' calendar dates a page its text does not), and the terms the
plans never write nor any equivalent of them. ``decline_note`` says in a line a member of
staff can act on which one declined.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache

from answer.asked_terms import (
    absent_share,
    asked_compounds,
    compounds_missing,
    proper_nouns,
    share_held_together,
    times_written,
    unwritten_share,
    written,
)
from answer.borrowed_header import header_in_index
from answer.calendar_years import years_not_named
from answer.covered_years import (
    asks_figure,
    corpus_years,
    normalized_dated_text,
    results_years,
    years_covered_elsewhere,
    years_not_covered,
)
from answer.decline import ATTRIBUTE_SIGNALS, DeclineSignals
from answer.decline_years import figure_asked, results_asked, row_years, year_subject
from answer.event_date import DATED_PASSAGES, event_undated
from answer.extractive import Picked
from answer.name_binding import (
    asked_name_kind,
    asked_post,
    asks_located,
    asks_place,
    asks_where_it_is,
    blank_own_words,
    holder_unnamed,
    name_unbound,
    place_unstated,
)
from answer.sentences import passage_sentences
from answer.value_binding import value_unbound
from index.analyzer import Analyzer, AnalyzerConfig
from index.lexical import LexicalSearcher
from index.snapshot import Snapshot
from ingest.model import Chunk
from question import QuestionAnalysis, rules
from question.answer_type import (
    counted_nouns,
    fiscal_years_beside_figures,
    fiscal_years_in,
    plan_periods_in,
    provides,
)
from question.attribute import asked_attribute
from question.counters import NATIVE, SPAN, asks_native_count, counts_a_thing, natively_counted
from question.intent import RESULT_KINDS
from question.normal import nfkc
from question.owner import asked_owners
from question.scope import asks_benefit_amount, compares_with_others, ranking_unstated
from question.unknown_terms import unknown_compounds, unknown_names


def _terms_under_headings(lexical: LexicalSearcher, chunk: Chunk) -> frozenset[str]:
    """The terms of a passage read with its headings, from the analyses of its headings and
    of each sentence, which the index load made (``index.loader``): Sudachi ends a word at
    every 。 and line break, so the union is the whole text's terms without analysing it
    again for each question. Kept per passage and analysis: the top passages recur."""
    return _terms_read_under(lexical.analyzer.config, chunk.headings, chunk.text)


@lru_cache(maxsize=4096)
def _terms_read_under(config: AnalyzerConfig, headings: str, text: str) -> frozenset[str]:
    analyzer = Analyzer(config)
    terms = set(analyzer.cached_terms(headings))
    for sentence in passage_sentences(text):
        terms.update(analyzer.cached_terms(sentence))
    return frozenset(terms)


KIND_NAMES = {
    "period": "期間",
    "phone": "電話番号",
    "clock": "時刻",
    "money": "金額",
    "day": "日付",
    "count": "数値",
}


def decline_signals(
    analysis: QuestionAnalysis,
    contexts: Sequence[Chunk],
    picked: Sequence[Picked],
    snapshot: Snapshot,
    similarity: float,
    first_statement_score: float,
    reading: Collection[str] = ATTRIBUTE_SIGNALS,
) -> tuple[DeclineSignals, dict[str, list[str]]]:
    """What the decline model reads about an answer (``answer.decline``), and what a
    decline note names: the years missing, the unknown terms. ``first_statement_score``:
    the sentence ranker's score of the first statement, as selection chose it
    (``Picked.ranked``, answer/decide.py). ``reading``: the attribute signals to compute
    (``ATTRIBUTE_SIGNALS``: all, and what a decline names); one left out is 0 and unnamed,
    for an answer whose model does not weigh it and that is not declined."""
    question = analysis.search_text
    lexical = snapshot.lexical
    quotes = [p.quote for p in picked]
    # The first two quotes read together; words never run across the space between them,
    # so their terms are the union of each quote's (analysed once per process).
    quoted = {term for quote in quotes[:2] for term in lexical.cached_terms(quote)}
    coverage = lexical.coverage_of(question, quoted) if quotes else 0.0
    context_coverage = max(
        (lexical.coverage_of(question, _terms_under_headings(lexical, c)) for c in contexts[:3]),
        default=0.0,
    )
    # A table's rows whose header of years is in the passage before (answer/borrowed_header.py)
    # cover the years of that header: each row gives one figure per year.
    headers = " ".join(
        unicodedata.normalize("NFKC", header_in_index(p.chunk, snapshot)) for p in picked
    )
    seen = " ".join(normalized_dated_text(p.chunk) for p in picked) + " " + headers
    # The years the question names that no indexed document covers (a figure asked of a
    # year: that no quoted passage covers).
    corpus = corpus_years(snapshot)
    missing = years_not_covered(analysis, seen, corpus)
    # A plan period the calendar knows is one the documents cover, though these sentences
    # may come from the other; one it does not know (第2期) they never cover.
    known_periods = {p.name for p in rules().periods}
    missing |= set(analysis.periods) - known_periods - plan_periods_in(seen)
    if analysis.wants_results:
        results = [p for p in picked if p.chunk.kind in RESULT_KINDS]
        shown = " ".join(normalized_dated_text(p.chunk) for p in results) + " " + headers
        # A year a passage of any kind writes beside a figure is a result it quotes.
        stated = {y for p in picked for y in _years_beside_figures(p.chunk.text)}
        stated |= row_years(picked, snapshot)  # a quoted row: its header's years
        missing |= set(analysis.fiscal_years) - fiscal_years_in(shown) - stated
    typed = analysis.question_without_pages
    # 平成25年度, 2030年度: years in another writing, on the same calendar as the passages'.
    missing |= set(years_not_named(analysis.normalized_without_pages, seen, asks_figure(analysis)))
    # The latest year a figure asked now is read as (question/latest.py) is the reading's,
    # not a year the question names: an index without it does not decline for it.
    missing.discard(analysis.latest_year)

    known: dict[str, list[str]] = {}

    def equivalents(phrase: str) -> list[str]:
        # Once per compound and question: the best sentence, each passage and the plans
        # as a whole are read for the same compounds.
        if phrase not in known:
            known[phrase] = lexical.equivalents(phrase, min_similarity=similarity)
        return known[phrase]

    compounds = unknown_compounds(typed, snapshot.plain_text, equivalents, lexical.equivalents)
    names = unknown_names(analysis.normalized_without_pages, snapshot.plain_text)
    # A name the plans write in another form (協会けんぽ: 全国健康保険協会) is known; only
    # curated wordings count, a word-vector neighbour of a name is another name.
    proper = [
        n
        for n in proper_nouns(typed)
        if not written(n, snapshot.plain_text)
        and not any(written(o, snapshot.plain_text) for o in lexical.equivalents(n) if o)
    ]
    asked = asked_compounds(_without_resolved_relative_years(typed, analysis))
    best = f"{picked[0].chunk.headings} {picked[0].quote}" if picked else ""
    # In the best sentence a compound counts in any spelling of it (ハガキ: はがき).
    lacking = compounds_missing(asked, best, equivalents, spellings=True) if picked else asked
    attribute = asked_attribute(typed) if reading else None
    where = attribute_missing(attribute, best, contexts[:3], snapshot.plain_text, equivalents)
    # A place asked (どこ) is a kind of answer as a phone number is (name_binding.py): missing
    # when the plans write the asked attribute (本部 of …の本部はどこ) but no top passage
    # does, and none names a place bound to what was asked. An attribute no document writes
    # at all is often the question's own coinage (工場名 for …工場) and weighs already as an
    # unwritten compound.
    place_missing = False
    if asks_place(analysis):
        place_attribute = attribute if reading else asked_attribute(typed)
        # The question's own words in a passage (日本年金機構本部 for 日本年金機構の本部;
        # the thing alone when where it is is asked: 年金事務所 of 年金事務所はどこにある)
        # repeat what was asked and write no place of it: a best sentence holding the
        # attribute only so gives no place either.
        question = analysis.normalized_without_pages
        keep = None if asks_located(question) else place_attribute
        place_where = attribute_missing_in(
            place_attribute,
            blank_own_words(best, question, keep),
            [blank_own_words(f"{c.headings} {c.text}", question, keep) for c in contexts[:3]],
            snapshot.plain_text,
            equivalents,
        )
        own_only = (
            place_where == "best"
            and place_attribute is not None
            and not compounds_missing([place_attribute], best, equivalents)
        )
        place_missing = (place_where == "passages" or own_only) and place_unstated(
            analysis, place_attribute, asked, picked, contexts[:3], equivalents
        )
    # Who holds a post (理事長は誰, 理事長の名前) is answered by a person's name only, a
    # kind of value as a place is: missing when no top passage names a person beside it.
    holder_missing = False
    if asked_name_kind(analysis.normalized_without_pages) is not None:
        holder_attribute = attribute if reading else asked_attribute(typed)
        holder_missing = holder_unnamed(
            analysis, holder_attribute, asked, picked, contexts[:3], equivalents
        )
    # When an event happens (いつ届く, いつ設置された) is answered by a date bound to that
    # event (answer/event_date.py), a kind of answer as a place is: missing when no picked
    # sentence nor top passage on its subject dates it.
    undated = event_undated(analysis.normalized_without_pages, picked, contexts[:DATED_PASSAGES])
    # いくつ asking how many of a thing there are (question/counters.NATIVE) is answered by
    # a figure counting it, read here only: as the analysis' counter it moved selection.
    answer_type, counter = analysis.answer_type, analysis.counter
    counted = counted_nouns(analysis.normalized_without_pages, asked)
    typed_quotes = quotes
    if (
        counter is None
        and asks_native_count(analysis.normalized_without_pages)
        and any(counts_a_thing(quote) for quote in quotes)
    ):
        # The lead counts a thing by its own name (1,688ブース): unless it is the one asked
        # (or a top passage counts that one), it answers how many of another thing.
        answer_type, counter = "count", NATIVE
        subject = natively_counted(analysis.normalized_without_pages)
        counted = [subject] if subject else counted
        # A count a top passage states that selection did not pick is a selection miss,
        # not a figure the plans lack (as value_unbound reads it).
        typed_quotes = [*quotes, *(f"{c.headings} {c.text}" for c in contexts[:3])]
    signals = DeclineSignals(
        coverage=(coverage + context_coverage) / 2,
        type_missing=float(
            bool(quotes)
            and (
                not provides(
                    answer_type,
                    typed_quotes,
                    counter,
                    counted=counted,
                )
                or place_missing
                or holder_missing
                or undated
            )
        ),
        years_missing=float(bool(missing)),
        unknown_compounds=float(len(compounds)),
        unknown_names=float(len(names)),
        absent_words=absent_share(typed, lexical, similarity),
        best_compounds=(1 - len(lacking) / len(asked)) if asked else float(bool(picked)),
        first_statement_score=first_statement_score,
        compounds_together=share_held_together(
            asked, (f"{c.headings} {c.text}" for c in contexts[:3]), equivalents
        ),
        unwritten_compounds=unwritten_share(asked, snapshot.plain_text, equivalents),
        unknown_proper_nouns=float(len(proper)),
        attribute_missing_best=float(where in ("best", "passages", "plans")),
        attribute_missing_passages=float(where in ("passages", "plans")),
        attribute_unwritten=float(where == "plans"),
        attribute_missing_rare=(
            rarity(attribute, snapshot.plain_text, equivalents)
            if attribute and where in ("passages", "plans")
            else 0.0
        ),
        value_unbound=float(
            value_unbound(attribute, analysis, asked, picked, contexts[:3], equivalents)
            if "value_unbound" in reading
            else 0.0
        ),
        name_unbound=float(
            "name_unbound" in reading
            and name_unbound(analysis, attribute, asked, picked, contexts[:3], equivalents)
        ),
        ranking_unstated=float(
            ranking_unstated(
                analysis.normalized_without_pages, ranking_evidence(quotes, contexts[:3], asked)
            )
            if quotes
            else False
        ),
        benefit_amount=float(asks_benefit_amount(analysis.normalized_without_pages)),
        others_compared=float(compares_with_others(analysis.normalized_without_pages)),
    )
    details = {
        "years": sorted(missing),
        # Of those, the years the plans cover (their results, when results are asked): what
        # the quotes lack is the figure asked of the year, which a decline names instead.
        "years_covered": years_covered_elsewhere(
            missing,
            results_years() if results_asked(sorted(missing), analysis) else corpus,
        ),
        "asked_attribute": [attribute] if attribute else [],
        "terms": list(dict.fromkeys([*names, *compounds, *proper])),
        "lacking": lacking,
        # Of those, the ones no passage writes at all, in any equivalent wording: only these
        # can a decline say the plans never mention (年金 is lacking from one sentence, not
        # from the plans; 会社 is written as 事業所).
        "unwritten": [c for c in lacking if unwritten_share([c], snapshot.plain_text, equivalents)],
        # The asked attribute when no top passage gives it, with whose it is (…AのB), and
        # whether the plans write it anywhere: what a decline names (missing_subject).
        "attribute": [attribute] if attribute and where in ("passages", "plans") else [],
        "owner": list(asked_owners(typed, attribute)[-1:]) if attribute else [],
        "attribute_unwritten": ["1"] if where == "plans" else [],
        # The asked compounds besides the attribute the best sentence holds: the topic the
        # plans cover (満足度, アンケート of アンケートの回収率).
        "topic": [c for c in asked if c not in lacking and not (attribute and c in attribute)],
        # The attribute whose asked figure no sentence states bound to it (value_unbound).
        "unbound": [attribute] if attribute and signals.value_unbound else [],
        # A count the quotes lack that the plans state elsewhere (312年金事務所 in a list no
        # top passage holds): the decline may not say the plans lack it.
        "count_stated": (
            ["1"]
            if signals.type_missing
            and answer_type == "count"
            and counter is not None
            and provides(
                "count",
                snapshot.plain_text.passages,  # one passage at a time (index/plain_text.py)
                counter,
                counted=counted,
            )
            else []
        ),
        # An event's date asked that no sentence states (event_undated).
        "undated": [UNDATED] if undated else [],
        # What a name was asked of, when no passage names one (name_unbound).
        "unnamed": (
            [unnamed_subject(typed, attribute or asked_attribute(typed), asked)]
            if signals.name_unbound or place_missing or holder_missing
            else []
        ),
    }
    return signals, details


# What a decline names when an event's date is asked and none is stated: the time of it
# (計画文書にはその時期の記載はありません, as a follow-up asking when is told).
UNDATED = "その時期"

# What a decline names for each kind of name asked when the grammar reads no attribute.
_NAME_NOUNS = {"person": "氏名", "place": "名称", "name": "名称"}
_NAME_WORDS = ("名前", "名称", "氏名", "お名前")
_LOCATION = "所在地"


def ranking_evidence(
    quotes: Sequence[str], passages: Sequence[Chunk], asked: Sequence[str]
) -> list[str]:
    """The sentences a ranking asked may be stated in: the quoted ones, and a top passage's
    sentences naming a compound the question asks about. A ranking such a sentence states
    that the selection did not quote (a further statement the admission left out) is a
    selection miss, not a ranking the plans lack; a passage's sentence about something
    else (a share 占める of another total) is no evidence either way."""
    named = [
        sentence
        for chunk in passages
        for sentence in passage_sentences(chunk.text)
        if any(compound in sentence for compound in asked)
    ]
    return [*quotes, *named]


def unnamed_subject(question: str, attribute: str | None, asked: list[str]) -> str:
    """What a name was asked of, for the decline (計画文書には理事長の氏名の記載はありません),
    true of the plans as a whole: the class the answer is one of, which the plans write of
    others (ご質問の年金事務所の名称); a post whose holder is asked (理事長の氏名); what
    a place is asked of (住所, 最寄り駅); else the last asked compound with the kind of
    name, or the kind alone (ご質問の名称)."""
    kind = asked_name_kind(question)
    post = asked_post(nfkc(question), attribute)
    if post is not None:
        return f"{post}の{_NAME_NOUNS['person']}"  # a post's holder: 理事長の氏名
    noun = _NAME_NOUNS.get(kind.id if kind else "name", "名称")
    if kind is not None and kind.id == "place" and asks_where_it_is(nfkc(question), attribute):
        noun = _LOCATION  # where the thing is was asked, not its name
    if attribute and attribute not in _NAME_WORDS and kind is not None:
        if attribute in kind.classes or attribute.endswith(kind.suffixes):
            return f"ご質問の{attribute}の{noun}"
        return attribute if kind.id == "place" else f"{attribute}の{noun}"
    topic = [c for c in asked if c not in _NAME_WORDS]
    return f"{topic[-1]}の{noun}" if topic else f"ご質問の{noun}"


def attribute_missing(
    attribute: str | None,
    best: str,
    passages: Sequence[Chunk],
    plain_text: str,
    equivalents: Callable[[str], list[str]],
) -> str:
    """Where the asked attribute goes missing, as written and in every equivalent: ""
    (no attribute read, or the best sentence gives it), "best" (the best sentence does not,
    a top passage does), "passages" (no top passage does, the plans do somewhere), "plans"
    (the plans never write it)."""
    texts = [f"{c.headings} {c.text}" for c in passages]
    return attribute_missing_in(attribute, best, texts, plain_text, equivalents)


def attribute_missing_in(
    attribute: str | None,
    best: str,
    texts: Sequence[str],
    plain_text: str,
    equivalents: Callable[[str], list[str]],
) -> str:
    """``attribute_missing`` over the top passages' texts (headings and text) as given."""
    if not attribute or not compounds_missing([attribute], best, equivalents):
        return ""
    if any(not compounds_missing([attribute], text, equivalents) for text in texts):
        return "best"
    return "plans" if unwritten_share([attribute], plain_text, equivalents) else "passages"


def rarity(attribute: str, plain_text: str, equivalents: Callable[[str], list[str]]) -> float:
    """1 / (1 + ln(1 + n)), n the times the plans write ``attribute`` or its most written
    equivalent (``plain_text``: Snapshot.plain_text): 1 for one they never write."""
    forms = [attribute, *(o for o in equivalents(attribute) if o)]
    times = max(times_written(form, plain_text) for form in forms)
    return 1.0 / (1.0 + math.log1p(times))


def _without_resolved_relative_years(typed: str, analysis: QuestionAnalysis) -> str:
    """``typed`` without the relative years a follow-up wrote out from the conversation
    (前年度 → 令和4年度): the year it stands for is checked as a year, and a sentence that
    names it (a table's 令和4年度 column) need not write 前年度 as well."""
    found = rules()
    for cue in (found.previous_year, found.next_year, found.previous_period, found.next_period):
        if cue.search(typed) and not cue.search(analysis.searched):
            typed = cue.sub(" ", typed)
    return typed


# What a decline names when a question asks what the plans never state of a topic they
# cover (question/scope.py): the signal that declined, and the thing the plans lack.
SCOPE_SUBJECTS = {
    "ranking_unstated": "ご質問の順位",
    "benefit_amount": "年金制度が定める個人の給付額・保険料額や受給の条件",
    "others_compared": "他の機関や国との比較",
}


def missing_subject(
    against: str, details: dict[str, list[str]], analysis: QuestionAnalysis
) -> str | None:
    """What a decline names as absent (計画文書には○○の記載はありません), only what is
    true of the plans as a whole: the terms they never write, the years they do not cover
    (first when those declined), the attribute the question's grammar asks when no top
    passage gives it and every other compound is written (a topic they cover: 年金事務所の
    最寄り駅; whose it is, or ご質問の…, when the plans write it of something else), the
    asked compounds no passage writes, else the kind of answer asked (ご質問の金額); None
    when nothing names it."""
    if against in SCOPE_SUBJECTS:
        return SCOPE_SUBJECTS[against]
    years = [
        y
        for y in details.get("years", [])
        if not any(other != y and other.startswith(y) for other in details["years"])
    ]  # 令和7年度, not 令和7・令和7年度
    # 令和6年度 is the year of the annual plan: what it lacks is that year's results. A year
    # the plans cover is never said to be missing: the figure asked of it is.
    dated = year_subject(years, details, analysis)
    if dated and asks_figure(analysis) and not details.get("terms"):
        if set(years) - set(details.get("years_covered", [])):
            return dated  # a year no plan covers is why no figure of it is there
    attribute = details.get("attribute", [])
    # The plans cover the topic (the best sentence holds another asked compound) and not
    # what was asked of it when every term they never write is the asked attribute or part
    # of it (回収 of 回収率): the attribute is named,
    # as the plans' whole text allows (written elsewhere: whose it is, or the one asked).
    absent = [*details.get("terms", []), *details.get("unwritten", [])]
    if attribute and details.get("topic") and all(term in attribute[0] for term in absent):
        owner = details.get("owner", [])
        if details.get("attribute_unwritten"):
            asked = attribute[0]
        else:
            asked = f"{owner[0]}の{attribute[0]}" if owner else f"ご質問の{attribute[0]}"
        return dated if against == "years_missing" and years else asked
    if details.get("terms"):
        return "・".join(details["terms"])
    if against == "value_unbound" and details.get("unbound"):
        # The plans write the attribute, or its topic, but no figure of it.
        owner = details.get("owner", [])
        asked = details["unbound"][0]
        return f"{owner[0]}の{asked}の数値" if owner else f"{asked}の数値"
    if against in ("name_unbound", "type_missing") and details.get("unnamed"):
        return details["unnamed"][0]
    if against == "type_missing" and details.get("undated"):
        return details["undated"][0]
    if against == "years_missing" and years:
        return dated
    if details.get("unwritten"):
        return "・".join(details["unwritten"])
    if years:
        return dated
    if against == "type_missing" and not details.get("count_stated"):
        kind = asked_kind(analysis)
        return f"ご質問の{KIND_NAMES.get(kind, kind)}"
    return None


def asked_kind(analysis: QuestionAnalysis) -> str:
    """The kind of answer a decline names as missing: a span of time when the question asks
    how long something takes (何日で届く: a 期間, answered in any unit of time), not the
    count its counter would make it."""
    if analysis.counter == SPAN:
        return "period"
    return analysis.answer_type or "count"


def decline_note(
    against: str, signals: DeclineSignals, details: dict[str, list[str]], analysis: QuestionAnalysis
) -> str:
    """A note a member of staff can read: which signal declined, naming what is missing."""
    if against == "no_sentence":
        return "質問に合う文がありません / no sentence of the passages matches the question"
    if against == "best_compounds" and details.get("lacking"):
        named = "・".join(details["lacking"])
        return (
            f"最も近い文に{named}がありません / "
            f"the best sentence does not give what was asked: {named}"
        )
    if against == "value_unbound" and details.get("unbound"):
        named = details["unbound"][0]
        return (
            f"{named}の数値を述べる文がありません / "
            f"no sentence of the passages states a figure of {named}"
        )
    if against in ("name_unbound", "type_missing") and details.get("unnamed"):
        named = details["unnamed"][0]
        if named.endswith(_LOCATION):
            return (
                f"{named}を述べる文がありません / "
                f"no sentence of the passages states the location asked ({named})"
            )
        return f"{named}を述べる文がありません / no sentence of the passages names {named}"
    if against == "type_missing" and details.get("undated"):
        return "出来事の時期を述べる文がありません / no sentence dates the event asked about"
    if against == "ranking_unstated":
        return (
            "質問が求める順位を述べる文がありません / "
            "no sentence of the passages states the ranking asked"
        )
    if against == "benefit_amount":
        return (
            "個人の給付額・保険料額は年金制度が定め、計画文書にはありません / what a person "
            "receives or pays is set by pension law, not stated in the plans"
        )
    if against == "others_compared":
        return (
            "他の機関や国との比較は計画文書にありません / the plans compare the organisation "
            "only with its own years and targets"
        )
    if against == "absent_words":
        return (
            "質問の語の多くが計画文書にありません / "
            "most of the question's words occur in no passage"
        )
    if against == "type_missing":
        kind = asked_kind(analysis)
        return (
            f"質問が求める{KIND_NAMES.get(kind, kind)}の記載がありません / "
            f"the question asks for a {kind} and the passages give none"
        )
    if against == "years_missing" and details["years"]:
        named = "・".join(details["years"])
        if set(details["years"]) <= set(details.get("years_covered", [])):
            asked = figure_asked(details, analysis)  # the plans cover the year: not a year gap
            return (
                f"{named}の{asked}を述べる箇所がありません / no passage quoted states the "
                f"figure asked ({asked}) for {named}, a year the plans cover"
            )
        if results_asked(details["years"], analysis):  # planned, perhaps; no result given
            return f"{named}の実績の記載がありません / the plans give no results of {named}"
        return f"{named}についての記載がありません / the passages do not cover {named}"
    if against == "compounds_together":
        return (
            "質問の語をそろって含む箇所がありません / "
            "no passage holds the question's terms together"
        )
    if against == "first_statement_score":
        return (
            f"最も近い文も質問に答えていません（{signals.first_statement_score:.1f}） / "
            f"the best sentence does not answer the question "
            f"(ranker score {signals.first_statement_score:.1f})"
        )
    if against == "unwritten_compounds" and details.get("unwritten"):
        named = ", ".join(details["unwritten"])
        return f"計画文書に「{named}」の記載はありません / the plans never mention {named}"
    if (
        against in ("unknown_compounds", "unknown_names", "unknown_proper_nouns")
        and details["terms"]
    ):
        named = ", ".join(details["terms"])
        return f"計画文書に「{named}」の記載はありません / the plans never mention {named}"
    if signals.coverage <= 0:
        return "質問に合う文がありません / no sentence of the passages matches the question"
    return (
        f"選ばれた文が質問の語を十分に含みません（{signals.coverage:.2f}） / "
        f"the selected sentences cover {signals.coverage:.2f} of the question"
    )


@lru_cache(maxsize=4096)
def _years_beside_figures(text: str) -> frozenset[str]:
    return frozenset(fiscal_years_beside_figures(unicodedata.normalize("NFKC", text)))
