"""The signals the decline model weighs, computed from an answer and its passages.

Each is something the answer already knows: how much of the question the chosen sentences
and the best passage cover, whether the kind of answer asked for is there, whether a year
named is missing (the plans' calendar dates a page its text does not), and the terms the
plans never write nor any equivalent of them. Beside them come the details a decline names
(the years missing, the unknown terms): what it names is answer/decline_subject.py, the
line for staff answer/decline_note.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from functools import lru_cache

from answer.asked_terms import (
    absent_share,
    asked_compounds,
    compounds_missing,
    proper_nouns,
    share_held_together,
    unwritten_share,
    written,
)
from answer.attribute_missing import attribute_missing, attribute_missing_in, rarity
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
from answer.decline_subject import UNDATED, unnamed_subject
from answer.decline_years import results_asked, row_years
from answer.event_date import DATED_PASSAGES, event_undated
from answer.extractive import Picked
from answer.name_binding import (
    asked_name_kind,
    asks_located,
    asks_place,
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
from question.attribute import acted_on, asked_attribute
from question.counters import NATIVE, asks_native_count, counts_a_thing, natively_counted
from question.intent import RESULT_KINDS
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
        attribute_figure_unwritten=float(
            "attribute_figure_unwritten" in reading
            and where == "plans"
            and asks_figure(analysis)
            and not acted_on(typed, attribute or "")
        ),
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


def _without_resolved_relative_years(typed: str, analysis: QuestionAnalysis) -> str:
    """``typed`` without the relative years a follow-up wrote out from the conversation
    (前年度 → 令和4年度): the year it stands for is checked as a year, and a sentence that
    names it (a table's 令和4年度 column) need not write 前年度 as well."""
    found = rules()
    for cue in (found.previous_year, found.next_year, found.previous_period, found.next_period):
        if cue.search(typed) and not cue.search(analysis.searched):
            typed = cue.sub(" ", typed)
    return typed


@lru_cache(maxsize=4096)
def _years_beside_figures(text: str) -> frozenset[str]:
    return frozenset(fiscal_years_beside_figures(unicodedata.normalize("NFKC", text)))
