"""question/rules.py: the shipped rules.toml and how a broken copy is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from question.rules import RULES_PATH, Period, Rules, RulesError, load_rules, rules


@pytest.fixture(scope="module")
def shipped() -> Rules:
    return load_rules(RULES_PATH)


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    text = RULES_PATH.read_text(encoding="utf-8")
    assert old in text, f"the shipped rules no longer hold {old!r}"
    path = tmp_path / "rules.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_shipped_rules_load_and_are_read_once(shipped: Rules):
    assert isinstance(shipped, Rules)
    assert rules() is rules()  # compiled once per process
    assert rules().periods == shipped.periods
    assert "目標" in shipped.aspect_words and "コールセンター" not in shipped.aspect_words


def test_every_answer_type_is_named_in_order(shipped: Rules):
    names = [t.name for t in shipped.answer_types]
    assert names == ["period", "phone", "clock", "money", "day", "count"]
    assert shipped.answer_type("phone").answer.search("0570-05-1165")
    assert shipped.answer_type("day").answer.search("毎月15日に") is not None
    assert shipped.answer_type("day").answer.search("週2日") is None


def test_an_unknown_answer_type_is_not_invented(shipped: Rules):
    with pytest.raises(StopIteration):
        shipped.answer_type("colour")


def test_the_calendar_holds_the_third_and_fourth_periods_with_their_spans(shipped: Rules):
    assert shipped.periods == (
        Period(name="第3期", start="平成31年4月", end="令和6年3月", kind="results"),
        Period(name="第4期", start="令和6年4月", end="令和11年3月", kind="plan"),
    )
    assert shipped.plan_fiscal_year == 6
    assert shipped.results_fiscal_year == 5


def test_the_stated_period_pattern_matches_the_plans_own_span(shipped: Rules):
    assert shipped.stated_period.search("（令和6年4月～令和11年3月）") is not None
    assert shipped.stated_period.search("令和6年4月から") is None


@pytest.mark.parametrize(
    ("old", "new", "entry"),
    [
        ('cue = "電話番号|', 'cue = "電話番号(|', "answer_types.phone.cue"),
        ('"実績", "実際"', '"実績(", "実際"', "intent.results"),
        ('"それと", "(?<![のただ])あと[、,]"', '"それと", "あと)"', "connectives.between_parts"),
    ],
)
def test_a_bad_pattern_is_refused_naming_its_entry(tmp_path: Path, old: str, new: str, entry: str):
    path = _copy_with(tmp_path, old, new)
    with pytest.raises(RulesError, match=re.escape(f"[{entry}]")):
        load_rules(path)


def test_a_bad_pattern_is_refused_naming_the_file_it_is_in(tmp_path: Path):
    path = _copy_with(tmp_path, 'cue = "電話番号|', 'cue = "電話番号(|')
    with pytest.raises(RulesError) as raised:
        load_rules(path)
    message = str(raised.value)
    assert str(path) in message, message
    assert str(RULES_PATH) not in message, message


def test_a_missing_section_is_refused_naming_the_file_and_the_section(tmp_path: Path):
    path = _copy_with(tmp_path, "[intent]", "[intentions]")
    with pytest.raises(RulesError, match=rf"{re.escape(str(path))}: .*'intent'"):
        load_rules(path)


def test_a_period_with_an_unknown_field_is_refused(tmp_path: Path):
    path = _copy_with(tmp_path, 'kind = "plan" }', 'kind = "plan", length = 5 }')
    with pytest.raises(RulesError, match=re.escape(str(path))):
        load_rules(path)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("plan_fiscal_year = 6", "plan_fiscal_year = "),  # not TOML
        ("plan_fiscal_year = 6", 'plan_fiscal_year = "six"'),  # not a number
    ],
    ids=["unparsable-toml", "year-not-a-number"],
)
def test_an_unusable_rules_file_is_refused_as_rules_error_naming_the_file(
    tmp_path: Path, old: str, new: str
):
    path = _copy_with(tmp_path, old, new)
    with pytest.raises(RulesError, match=re.escape(str(path))):
        load_rules(path)


def test_a_missing_rules_file_is_refused_as_rules_error_naming_the_file(tmp_path: Path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(RulesError, match=re.escape(str(path))):
        load_rules(path)
