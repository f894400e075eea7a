"""What a decline names as absent: the ○○ of its line saying the plans do not write ○○.

Only what is true of the plans as a whole is named: the terms they never write, the years
they do not cover, the attribute asked when no top passage gives it, the name or place
asked of a thing, else the kind of answer asked (ご質問の金額). The details it reads are
the ones ``answer.signals.decline_signals`` gathered with the signals.
"""

from __future__ import annotations

from answer.covered_years import asks_figure
from answer.decline_years import year_subject
from answer.name_binding import asked_name_kind, asked_post, asks_where_it_is
from question import QuestionAnalysis
from question.counters import SPAN
from question.normal import nfkc

# The kind of answer asked (QuestionAnalysis.answer_type), as a decline names it missing.
KIND_NAMES = {
    "period": "期間",
    "phone": "電話番号",
    "clock": "時刻",
    "money": "金額",
    "day": "日付",
    "count": "数値",
}


# What a decline names when an event's date is asked and none is stated: the time of it
# (計画文書にはその時期の記載はありません, as a follow-up asking when is told).
UNDATED = "その時期"

# What a decline names for each kind of name asked when the grammar reads no attribute.
_NAME_NOUNS = {"person": "氏名", "place": "名称", "name": "名称"}
_NAME_WORDS = ("名前", "名称", "氏名", "お名前")
LOCATION = "所在地"  # where a thing is, when that and not its name is asked


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
        noun = LOCATION  # where the thing is was asked, not its name
    if attribute and attribute not in _NAME_WORDS and kind is not None:
        if attribute in kind.classes or attribute.endswith(kind.suffixes):
            return f"ご質問の{attribute}の{noun}"
        return attribute if kind.id == "place" else f"{attribute}の{noun}"
    topic = [c for c in asked if c not in _NAME_WORDS]
    return f"{topic[-1]}の{noun}" if topic else f"ご質問の{noun}"


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
