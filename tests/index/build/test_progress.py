"""Progress of a build: phases with counts, rate and time; log lines per 10 % off a terminal."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

from index.build.builder import build_index
from index.build.progress import LogProgress, NoProgress, Progress, RichProgress, progress_for
from planqa.settings import PathSettings, Settings

PLANS = Path(__file__).resolve().parents[3] / "data" / "plans"


def test_log_progress_writes_a_line_per_phase_start_tenth_and_end():
    out = io.StringIO()
    progress = LogProgress(out)
    progress.phase("embed", 100, "texts")
    for _ in range(100):
        progress.advance(1)
    progress.done()
    progress.done()  # a second end says nothing more
    lines = out.getvalue().splitlines()
    assert lines[0] == "index embed: 0/100 texts"
    tenths = [line for line in lines if "%)" in line]
    assert [re.search(r"\((\d+)%\)", line).group(1) for line in tenths] == [
        str(10 * i) for i in range(1, 10)
    ]
    assert re.fullmatch(r"index embed: 10/100 texts \(10%\) [\d.]+ texts/s [\d.]+ s", tenths[0])
    assert re.fullmatch(r"index embed: 100 texts done in [\d.]+ s \([\d.]+ texts/s\)", lines[-1])
    assert len(lines) == 11


def test_a_coarse_step_prints_the_tenth_it_reaches_once():
    out = io.StringIO()
    progress = LogProgress(out)
    progress.phase("analyse", 10)
    progress.advance(4)  # 40 %: one line, not four
    progress.advance(6)  # 100 %: the end line says it
    progress.phase("write", 0)  # a new phase ends the last one
    lines = out.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines[1:3]] == [
        "index analyse: 4/10 chunks",
        "index analyse: 10 chunks done in " + lines[2].split("done in ")[1].split(" (")[0],
    ]
    assert lines[-1] == "index write: 0/0 chunks"


def test_the_cli_gets_log_lines_off_a_terminal_and_a_bar_on_one():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(progress_for(io.StringIO()), LogProgress)
    assert isinstance(progress_for(Terminal()), RichProgress)
    for implementation in (NoProgress(), LogProgress(io.StringIO()), RichProgress()):
        assert isinstance(implementation, Progress)


def test_a_build_reports_read_analyse_embed_and_write_with_their_counts(
    tmp_path: Path, use_encoder
):
    data = tmp_path / "plans"
    data.mkdir()
    shutil.copy(PLANS / "jps-4th-midterm-plan-overview.txt", data)
    settings = Settings(paths=PathSettings(data_dir=data, var_dir=tmp_path / "var"))
    out = io.StringIO()
    report = build_index([data], settings, use_encoder, progress=LogProgress(out))
    lines = out.getvalue().splitlines()
    ends = [line for line in lines if " done in " in line]
    assert [line.split(":")[0] for line in ends] == [
        "index read",
        "index analyse",
        "index embed",
        "index write",
    ]
    assert ends[0].startswith("index read: 1 files done")
    assert ends[1].startswith(f"index analyse: {report.chunks} chunks done")
    assert ends[3].startswith(f"index write: {report.chunks} chunks done")
    embed_tenths = [line for line in lines if line.startswith("index embed:") and "%)" in line]
    assert len(embed_tenths) >= 5
