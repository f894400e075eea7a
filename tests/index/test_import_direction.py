"""The query half of the index never imports the build half, and the settings nothing of
the pipeline: each is imported in a fresh interpreter, which then lists what came with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = {"index", "ingest", "question", "answer", "api", "plantrace", "eval"}


def _loaded_after(imports: list[str]) -> list[str]:
    """The modules ``sys.modules`` holds after importing ``imports`` in a new interpreter."""
    code = (
        "import json, sys\n"
        + "".join(f"import {name}\n" for name in imports)
        + "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _query_half() -> list[str]:
    """Every module of ``index/`` outside ``index/build/``."""
    return sorted(f"index.{path.stem}" for path in (ROOT / "index").glob("*.py"))


def test_the_query_half_and_the_answer_service_never_import_the_build():
    modules = _query_half()
    assert {"index.retriever", "index.snapshot", "index.live", "index.manifest"} <= set(modules)
    loaded = _loaded_after([*modules, "answer.service"])
    assert "index.snapshot" in loaded and "answer.service" in loaded
    assert [name for name in loaded if name.split(".")[:2] == ["index", "build"]] == []


def test_question_analysis_imports_nothing_of_the_index():
    """The retriever takes an analysis; the analysis must not reach back into the index."""
    modules = sorted(f"question.{path.stem}" for path in (ROOT / "question").glob("*.py"))
    assert {"question.analysis", "question.unknown_terms", "question.stoplist"} <= set(modules)
    loaded = _loaded_after(modules)
    assert [name for name in loaded if name.split(".")[0] == "index"] == []


def test_the_settings_import_nothing_of_the_pipeline():
    loaded = _loaded_after(["planqa.settings"])
    assert [name for name in loaded if name.split(".")[0] in PIPELINE] == []
