"""SudachiDict's synonym groups: the shipped selection, the loader's flags and its errors."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from index.synonyms import SynonymsError, load_synonyms

ROOT = Path(__file__).resolve().parents[2]
SYNONYMS_DIR = ROOT / "data" / "synonyms"
SHIPPED = SYNONYMS_DIR / "synonyms.txt"
PLANS = ROOT / "data" / "plans"


def _normalize(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def shipped_groups() -> tuple[tuple[str, ...], ...]:
    return load_synonyms(SHIPPED)


@pytest.fixture(scope="module")
def plans_text() -> str:
    return "".join(_normalize(p.read_text(encoding="utf-8")) for p in sorted(PLANS.glob("*.txt")))


def _group_of(word: str, groups: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    found = [group for group in groups if word in group]
    assert len(found) == 1, f"{word} is in {len(found)} shipped groups"
    return found[0]


def test_shipped_groups_link_an_abbreviation_to_the_plans_wording(shipped_groups, plans_text):
    group = _group_of("社労士", shipped_groups)
    assert "社会保険労務士" in group
    assert "社労士" not in plans_text and "社会保険労務士" in plans_text


def test_every_shipped_group_has_a_word_in_the_plans_and_one_not(shipped_groups, plans_text):
    assert len(shipped_groups) > 500
    for group in shipped_groups:
        found = [_normalize(word) in plans_text for word in group]
        assert any(found) and not all(found), group


def test_shipped_file_keeps_sudachidict_lines_and_names_its_source():
    text = SHIPPED.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("github.com/WorksApplications/SudachiDict" in line for line in header)
    assert any(re.search(r"Commit: [0-9a-f]{40}", line) for line in header)
    assert any("Apache License 2.0" in line for line in header)
    assert any("select_groups.py" in line for line in header)
    # 不明確 reaches 曖昧 in SudachiDict group 000001; its lines travel unchanged.
    assert "000001,1,0,2,0,0,0,(),不明確,," in text.splitlines()
    notice = (SYNONYMS_DIR / "NOTICE").read_text(encoding="utf-8")
    assert "Works Applications" in notice and "Apache License" in notice
    assert "Apache License" in (SYNONYMS_DIR / "LICENSE").read_text(encoding="utf-8")


def test_only_words_that_expand_are_kept(tmp_path: Path):
    path = tmp_path / "synonyms.txt"
    path.write_text(
        "# a comment line\n"
        "\n"
        "000010,1,0,1,0,0,0,(),納付書,,\n"
        "000010,1,0,1,0,0,2,(),納付用紙,,\n"
        "000010,1,,2,0,0,0,(),払込票,,\n"
        "000010,1,1,3,0,0,0,(),伝票,,\n"
        "000010,1,2,4,0,0,0,(),請求書,,\n"
        "\n"
        "000011,1,0,1,0,0,0,(),窓口,,\n"
        "000011,1,1,2,0,0,0,(),カウンター,,\n"
        "000011,1,2,3,0,0,0,(),受付,,\n",
        encoding="utf-8",
    )
    # 伝票 (flag 1) may only be reached, so a symmetric group cannot hold it; 請求書 (flag 2)
    # is deleted; group 000011 keeps a single expanding word and so is no group at all.
    assert load_synonyms(path) == (("納付書", "納付用紙", "払込票"),)


def test_a_quoted_headword_may_hold_a_comma(tmp_path: Path):
    path = tmp_path / "synonyms.txt"
    path.write_text('000020,1,0,1,0,0,0,(),"A,B",,\n000020,1,0,2,0,0,0,(),AB,,\n', encoding="utf-8")
    assert load_synonyms(path) == (("A,B", "AB"),)


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("000030,1,0,2,0,0,0,(),口座振替", "expected 11"),
        ("000030,1,3,2,0,0,0,(),口座振替,,", "expansion flag '3'"),
        ("30,1,0,2,0,0,0,(),口座振替,,", "not six digits"),
        ("000030,1,0,2,0,0,0,(), ,,", "headword"),
        ('000030,1,0,2,0,0,0,(),"口座"振替,,', "quoting"),
    ],
)
def test_a_malformed_line_is_refused_with_its_line_number(
    tmp_path: Path, bad_line: str, message: str
):
    path = tmp_path / "synonyms.txt"
    path.write_text(
        "# header\n000030,1,0,1,0,0,0,(),引き落とし,,\n" + bad_line + "\n", encoding="utf-8"
    )
    with pytest.raises(SynonymsError, match=rf"synonyms\.txt:3: .*{re.escape(message)}"):
        load_synonyms(path)


def test_a_missing_file_is_refused_with_its_path(tmp_path: Path):
    with pytest.raises(SynonymsError, match="nowhere.txt"):
        load_synonyms(tmp_path / "nowhere.txt")


def test_selection_keeps_groups_bridging_to_the_plans_with_their_lines(tmp_path: Path):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "plan.txt").write_text("保険料の 口座振替 を進める。", encoding="utf-8")
    source = tmp_path / "synonyms.txt"
    bridging = ["000040,1,0,1,0,0,0,(),口座振替,,", "000040,1,0,2,0,0,0,(),自動引き落とし,,"]
    flag_one_only = ["000041,1,0,1,0,0,0,(),保険料,,", "000041,1,1,2,0,0,0,(),掛金,,"]
    unrelated = ["000042,1,0,1,0,0,0,(),粗筋,,", "000042,1,0,2,0,0,0,(),概略,,"]
    source.write_text(
        "\n\n".join("\n".join(g) for g in (bridging, flag_one_only, unrelated)) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "selected.txt"
    subprocess.run(
        [
            sys.executable,
            str(SYNONYMS_DIR / "select_groups.py"),
            str(source),
            str(plans),
            "--commit",
            "0" * 40,
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    body = [
        line for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    assert [line for line in body if line] == bridging
    assert load_synonyms(out) == (("口座振替", "自動引き落とし"),)
