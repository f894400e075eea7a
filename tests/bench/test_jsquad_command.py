"""bench/jsquad_bench.py: the command and the split a report shows are the ones run, whichever
JSQuAD split it read (only the data folder, which differs per machine, is written DATA/)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import jsquad_bench  # noqa: E402

RUN = ".venv/bin/python bench/jsquad_bench.py"


def test_a_run_on_the_test_split_shows_the_test_split():
    dataset = Path("/somewhere/JGLUE/test-v1.3.json")
    argv = [str(dataset), "--limit", "600", "--out", "/tmp/jsquad-test.md"]
    shown = jsquad_bench.shown_command(argv, dataset)
    assert shown == f"{RUN} DATA/test-v1.3.json --limit 600 --out /tmp/jsquad-test.md"


def test_the_dataset_is_found_however_its_path_was_written():
    dataset = Path("data/valid-v1.3.json")  # as argparse makes it of ./data/valid-v1.3.json
    shown = jsquad_bench.shown_command(["./data/valid-v1.3.json", "--dense-weight", "0"], dataset)
    assert shown == f"{RUN} DATA/valid-v1.3.json --dense-weight 0"


def test_the_report_names_the_split_it_read():
    assert jsquad_bench.split_of(Path("/d/valid-v1.3.json")) == "validation"
    assert jsquad_bench.split_of(Path("/d/test-v1.3.json")) == "test"
    assert jsquad_bench.split_of(Path("/d/sample.json")) == "sample.json"
