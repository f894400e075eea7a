"""Reading gold questions in the project's format and in the outside set's."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from eval.gold import GOLD_DIR, TRAIN_DIR, Turn, load_gold

OWN = {
    "id": "t-001",
    "question": "令和5年度の国民年金の現年度納付率は？",
    "type": "factual",
    "answer": "77.6%",
    "evidence": ["前年度納付率＋1.6ポイントの77.6％"],
    "facts": ["77.6%"],
    "labels": ["資料1-3 P6"],
    "source": "jps-3rd-midterm-fy2023-results.txt",
    "split": "test",
}
OUTSIDE_FOLLOWUP = {
    "id": "x002",
    "question": "その前の年はどうだった？",
    "history": [
        {"role": "user", "content": "令和5年度の国民年金の現年度納付率は？"},
        {"role": "assistant", "content": "77.6%です。【資料1-3 P6】"},
    ],
    "answer": "76.1%",
    "evidence": ["76.1％"],
    "facts": ["76.1%"],
    "refs": ["資料1-3 P6"],
    "doc": "002",
    "type": "followup",
}
OUTSIDE_UNANSWERABLE = {
    "id": "x003",
    "question": "窓口の駐車場は何台とめられますか？",
    "history": [],
    "answer": "",
    "evidence": [],
    "facts": [],
    "refs": [],
    "doc": "both",
    "type": "unanswerable",
}


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_outside_questions_read_refs_as_labels_and_keep_their_history(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "outside.jsonl", [OUTSIDE_FOLLOWUP, OUTSIDE_UNANSWERABLE])

    followup, unanswerable = load_gold(gold)

    assert followup.labels == ("資料1-3 P6",)
    assert followup.source == "002"
    assert followup.split == "outside"
    assert followup.history == (
        Turn("user", "令和5年度の国民年金の現年度納付率は？"),
        Turn("assistant", "77.6%です。【資料1-3 P6】"),
    )
    assert followup.history_messages()[0] == {
        "role": "user",
        "content": "令和5年度の国民年金の現年度納付率は？",
    }
    assert followup.answerable and not unanswerable.answerable
    assert unanswerable.history == ()


def test_own_questions_keep_labels_and_split_and_have_no_history(tmp_path: Path) -> None:
    (question,) = load_gold(write_jsonl(tmp_path / "own.jsonl", [OWN]))

    assert question.labels == ("資料1-3 P6",)
    assert question.split == "test"
    assert question.history == ()


def test_a_directory_holds_both_formats_and_split_all_includes_outside(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a-own.jsonl", [OWN])
    write_jsonl(tmp_path / "b-outside.jsonl", [OUTSIDE_FOLLOWUP, OUTSIDE_UNANSWERABLE])

    assert [q.id for q in load_gold(tmp_path)] == ["t-001", "x002", "x003"]
    assert [q.id for q in load_gold(tmp_path, split="outside")] == ["x002", "x003"]
    assert [q.id for q in load_gold(tmp_path, split="test")] == ["t-001"]
    assert load_gold(tmp_path, split="dev") == []


def test_the_default_is_the_projects_own_gold_set() -> None:
    questions = load_gold()
    assert questions and {q.split for q in questions} <= {"dev", "test"}
    assert questions == load_gold(GOLD_DIR)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "trivia"}, "unknown type"),
        ({"labels": ["中期P1"]}, "'labels' and 'refs'"),
        ({"history": [{"role": "system", "content": "…"}]}, "history turn"),
        ({"split": "holdout"}, "unknown split"),
    ],
)
def test_a_bad_line_is_refused_with_its_file_and_line(
    tmp_path: Path, change: dict, message: str
) -> None:
    gold = write_jsonl(tmp_path / "bad.jsonl", [OUTSIDE_UNANSWERABLE, OUTSIDE_FOLLOWUP | change])

    with pytest.raises(ValueError, match=message) as raised:
        load_gold(gold)
    assert "bad.jsonl:2" in str(raised.value)


def test_a_missing_gold_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such gold"):
        load_gold(tmp_path / "nowhere.jsonl")


def test_the_written_decline_set_is_unanswerable_and_outside_the_default_gold() -> None:
    # Written blind from the plans to fit the decline model (bench/fit_decline.py); kept
    # in a subfolder so `planqa eval answers` reads the same default set as before.
    written = load_gold(GOLD_DIR / "decline" / "unanswerable-written.jsonl")
    assert len(written) >= 60
    assert {q.type for q in written} == {"unanswerable"}
    assert {q.split for q in written} == {"decline-train"}
    assert len({q.id for q in written}) == len(written)
    assert not {q.id for q in written} & {q.id for q in load_gold()}


def test_every_written_decline_file_is_unanswerable_and_read_with_the_folder() -> None:
    # bench/decline_features.py reads the whole decline folder: a second written file
    # (unanswerable-written-2.jsonl) must be in the same format, with ids of its own.
    folder = GOLD_DIR / "decline"
    files = sorted(folder.glob("*.jsonl"))
    assert len(files) >= 2
    written = load_gold(folder)
    assert len(written) == sum(len(load_gold(file)) for file in files)
    assert {q.type for q in written} == {"unanswerable"}
    assert {q.split for q in written} == {"decline-train"}
    assert len({q.id for q in written}) == len(written)
    assert not {q.id for q in written} & {q.id for q in load_gold()}
    second = [json.loads(line) for line in (folder / "unanswerable-written-2.jsonl").open("rb")]
    assert len(second) >= 40 and all(row.get("category") for row in second)


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
HELD_OUT = GOLD_DIR.parent / "heldout"


@pytest.mark.parametrize(
    "path", [GOLD_DIR, TRAIN_DIR, HELD_OUT], ids=["own gold", "written to train", "held out"]
)
def test_every_labelled_evidence_string_and_fact_is_in_its_plan_document(path: Path) -> None:
    # A question whose evidence is not in the documents scores retrieval against nothing,
    # and one whose fact is not there can never be answered: both would mislead a fit.
    documents = {file.name: _plain(file.read_text(encoding="utf-8")) for file in PLANS.glob("*")}
    everything = "".join(documents.values())
    questions = [q for q in load_gold(path) if q.answerable]
    assert questions
    for question in questions:
        text = documents.get(question.source, everything)
        for evidence in question.evidence:
            assert _plain(evidence) in text, (question.id, evidence)
        for fact in question.facts:
            assert _plain(fact) in text, (question.id, fact)


def test_the_sets_written_to_train_and_to_hold_out_are_apart_from_the_default_gold() -> None:
    # Neither is read by `planqa eval answers` by default: the training questions only feed
    # the fitters (bench/fit_ranker.py), the held-out ones are only measured.
    default_ids = {q.id for q in load_gold()}
    trained = load_gold(TRAIN_DIR)
    held_out = load_gold(HELD_OUT)
    assert {q.split for q in trained} == {"train"}
    assert {q.split for q in held_out} == {"test"}
    ids = [q.id for q in [*trained, *held_out]]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & default_ids


@pytest.mark.parametrize(
    "path", [GOLD_DIR, TRAIN_DIR, HELD_OUT], ids=["own gold", "written to train", "held out"]
)
def test_every_document_page_label_is_a_page_holding_the_evidence(path: Path) -> None:
    # A passage with no plan-page bracket is cited by its document and page (`overview p.3`),
    # numbered as the parsers number pages: the overview's concept page is p.1 and each
    # table page, opened by its header row, the next (eval/gold/train/README.md). A label
    # by another count would teach a citation fit to cite a page that holds nothing asked.
    from ingest.pipeline import ingest_file

    chunks = [chunk for file in sorted(PLANS.glob("*.txt")) for chunk in ingest_file(file).chunks]
    checked = 0
    for question in load_gold(path):
        for label in question.labels:
            if " p." not in label:
                continue
            holding = [_plain(c.text) for c in chunks if label in c.labels]
            assert any(_plain(ev) in text for ev in question.evidence for text in holding), (
                question.id,
                label,
            )
            checked += 1
    assert checked or path != TRAIN_DIR
