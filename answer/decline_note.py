"""The note a decline gives staff: which signal declined, and what is missing.

One line, Japanese then English, that a member of staff can act on (the service's
``notes``); the decline's own text names what is absent (answer/decline_subject.py).
"""

from __future__ import annotations

from answer.decline import DeclineSignals
from answer.decline_subject import KIND_NAMES, LOCATION, asked_kind
from answer.decline_years import figure_asked, results_asked
from question import QuestionAnalysis


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
        if named.endswith(LOCATION):
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
