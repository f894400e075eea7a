"""``planqa ingest``: summary table, JSON Lines output, failures reported with exit 1."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from api.cli import main

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "data" / "plans"


def test_ingest_prints_a_summary_of_both_plans(tmp_path: Path):
    out = tmp_path / "chunks.jsonl"
    result = CliRunner().invoke(
        main, ["ingest", *map(str, sorted(PLANS.glob("*.txt"))), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "jps-4th-midterm-plan-overview.txt" in result.output
    assert "jps-3rd-midterm-fy2023-results.txt" in result.output
    assert "overview" in result.output and "results" in result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) > 500
    assert {"id", "text", "source", "page", "kind", "refs", "section", "title"} <= set(rows[0])
    assert any("中期P62" in row["refs"] for row in rows)


def test_ingest_reports_bad_files_and_keeps_the_good_ones(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK\x03\x04 not really a docx")
    out = tmp_path / "chunks.jsonl"
    args = [
        "ingest",
        str(PLANS / "jps-4th-midterm-plan-overview.txt"),
        str(empty),
        str(docx),
        str(tmp_path / "missing.md"),
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "empty" in result.output and "unsupported file type '.docx'" in result.output
    assert "no such file" in result.output
    sources = {json.loads(line)["source"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert sources == {"jps-4th-midterm-plan-overview.txt"}


def test_ingest_without_paths_reads_the_configured_data_dir(tmp_path: Path, monkeypatch):
    plan = tmp_path / "plan.md"
    plan.write_text("# 第１章 目標\n\n応答率70%以上を確保する。[中期P46]\n", encoding="utf-8")
    monkeypatch.setenv("PLANQA_PATHS__DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["ingest"])
    assert result.exit_code == 0, result.output
    assert "plan.md" in result.output and "generic" in result.output


def test_ingest_errors_say_in_japanese_and_english_what_to_do(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK\x03\x04 not really a docx")
    args = ["ingest", str(empty), str(docx), str(tmp_path / "missing.md")]
    result = CliRunner().invoke(main, args, terminal_width=400)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("エラー / error ")]
    assert len(errors) == 3, result.output
    expected = {
        "missing.md": ("パスを確かめてください", "check the path"),
        "empty.txt": ("中身のあるファイルを指定してください", "give a file with text"),
        "plan.docx": (".txt .md .pdf のどれかで保存し直してください", "save it as one of them"),
    }
    for name, (japanese, english) in expected.items():
        [line] = [line for line in errors if f"{name}: " in line]
        assert japanese in line.split(" / ")[1] and english in line.split(" / ")[-1], line
