"""A build after an edit reuses the previous generation's analysis, neighbour rows and Chroma
collection, gives the index a build from scratch gives, and never touches the previous one."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from index.build.builder import build_index
from index.build.chroma_write import BASE
from index.build.progress import NoProgress
from index.generations import IndexDirectory
from index.store import ChromaStore, local_client
from planqa.settings import PathSettings, Settings

PLANS = Path(__file__).resolve().parents[3] / "data" / "plans"
OVERVIEW = PLANS / "jps-4th-midterm-plan-overview.txt"
ROOT = Path(__file__).resolve().parents[3]


class Phases(NoProgress):
    """Records each phase's total."""

    def __init__(self) -> None:
        self.totals: dict[str, int] = {}

    def phase(self, name: str, total: int, unit: str = "chunks") -> None:
        self.totals[name] = total


def _settings(data: Path, var: Path) -> Settings:
    return Settings(paths=PathSettings(data_dir=data, var_dir=var))


def _edit(corpus: Path) -> None:
    plan = corpus / OVERVIEW.name
    text = plan.read_text(encoding="utf-8")
    assert "応答率" in text
    plan.write_text(
        text.replace("応答率", "応答の率", 1) + "\n●窓口の受付時間を見直す（試行）。\n",
        encoding="utf-8",
    )


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _collection(generation: Path) -> dict[str, tuple[dict, np.ndarray]]:
    manifest = json.loads((generation / "manifest.json").read_text())
    folder = generation / "chroma"
    store = ChromaStore(local_client(folder), manifest["collection"], reader_of=folder)
    try:
        got = store.collection.get(include=["embeddings", "metadatas", "documents"])
    finally:
        store.close()
    assert not any(got["documents"])  # the texts live in chunks.jsonl only
    return {
        i: (m, np.asarray(e))
        for i, m, e in zip(got["ids"], got["metadatas"], got["embeddings"], strict=True)
    }


def test_an_edit_reuses_the_previous_generation_and_equals_a_build_from_scratch(
    corpus: Path, tmp_path: Path, use_encoder
):
    settings = _settings(corpus, tmp_path / "var")
    first = build_index([corpus], settings, use_encoder)
    before = _files(first.generation)
    _edit(corpus)
    phases = Phases()
    edited = build_index([corpus], settings, use_encoder, progress=phases)
    assert edited.embedded == 2 and edited.removed == 1 and edited.chunks == first.chunks + 1
    assert phases.totals == {"read": 1, "analyse": 2, "embed": 2, "write": edited.chunks}
    assert _files(first.generation) == before  # the previous generation is left as it was
    manifest = json.loads((edited.generation / "manifest.json").read_text())
    assert manifest["collection"] == "planqa-" + first.generation.name.removeprefix("gen-")
    assert manifest["chroma_churn"] == 1 and (edited.generation / BASE).is_dir()

    scratch_var = tmp_path / "scratch"
    (scratch_var / "cache").mkdir(parents=True)
    shutil.copy(settings.paths.var_dir / "cache" / "embeddings.sqlite", scratch_var / "cache")
    scratch = build_index([corpus], _settings(corpus, scratch_var), use_encoder)
    assert scratch.embedded == 0
    ours, theirs = edited.generation, scratch.generation
    for name in ("bm25.npz", "ngram.npz", "text_terms.npz"):
        assert (sparse.load_npz(ours / name) != sparse.load_npz(theirs / name)).nnz == 0, name
    for name in ("bm25.json", "ngram.json", "trace.json", "chunks.jsonl"):
        assert (ours / name).read_text() == (theirs / name).read_text(), name
    with np.load(ours / "neighbours.npz", allow_pickle=True) as left:
        with np.load(theirs / "neighbours.npz", allow_pickle=True) as right:
            for name in ("terms", "neighbour_ids", "neighbour_sims"):
                assert np.array_equal(left[name], right[name]), name
    updated, written = _collection(ours), _collection(theirs)
    assert updated.keys() == written.keys()
    for chunk_id, (metadata, vector) in written.items():
        assert updated[chunk_id][0] == metadata
        assert np.allclose(updated[chunk_id][1], vector, atol=1e-6)


def test_chunks_analysed_another_way_are_analysed_again(corpus: Path, tmp_path: Path, use_encoder):
    settings = _settings(corpus, tmp_path / "var")
    first = build_index([corpus], settings, use_encoder)
    other = settings.model_copy(
        update={"sudachi": settings.sudachi.model_copy(update={"split_mode": "C"})}
    )
    phases = Phases()
    build_index([corpus], other, use_encoder, progress=phases)
    assert phases.totals["analyse"] == first.chunks and phases.totals["embed"] == 0


def test_a_spare_collection_that_does_not_hold_its_generation_is_not_used(
    corpus: Path, tmp_path: Path, use_encoder
):
    settings = _settings(corpus, tmp_path / "var")
    first = build_index([corpus], settings, use_encoder)
    spare = first.generation / BASE
    shutil.rmtree(spare)
    local_client(spare)  # an empty Chroma folder: no collection of that name
    _edit(corpus)
    edited = build_index([corpus], settings, use_encoder)
    manifest = json.loads((edited.generation / "manifest.json").read_text())
    assert manifest["collection"] == "planqa-" + edited.generation.name.removeprefix("gen-")
    assert manifest["chroma_churn"] == 0
    assert len(_collection(edited.generation)) == edited.chunks


_BUILD = """
import sys
from pathlib import Path
from index.build.builder import IndexBuildError, build_index
from index.build.chroma_write import CollectionWriter
from index.encoders import UseM3Encoder
from planqa.settings import PathSettings, Settings

data, var, fail = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "fail"
if fail:
    def broken(self, vectors, progress=None):
        raise OSError("disk full")
    CollectionWriter.add = broken
settings = Settings(paths=PathSettings(data_dir=data, var_dir=var))
try:
    report = build_index([data], settings, UseM3Encoder())
except IndexBuildError as error:
    print("error:", error)
else:
    print("chromadb" in sys.modules, report.generation.name)
"""


def _build_in_a_fresh_process(corpus: Path, var: Path, mode: str = "ok") -> str:
    result = subprocess.run(
        [sys.executable, "-c", _BUILD, str(corpus), str(var), mode],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return result.stdout.strip()


def test_planqa_index_writes_chroma_from_a_forked_process_and_survives_its_failure(
    corpus: Path, tmp_path: Path, use_encoder
):
    settings = _settings(corpus, tmp_path / "var")
    first = build_index([corpus], settings, use_encoder)
    _edit(corpus)
    # A fresh single-threaded process never imports Chroma itself: a forked one writes.
    imported, name = _build_in_a_fresh_process(corpus, settings.paths.var_dir).split()
    assert imported == "False"
    current = IndexDirectory(settings.paths.index_dir).current()
    assert current is not None and current.name == name
    assert len(_collection(current)) == first.chunks + 1
    before = _files(current)
    (corpus / OVERVIEW.name).write_text(OVERVIEW.read_text(encoding="utf-8"), encoding="utf-8")
    failed = _build_in_a_fresh_process(corpus, settings.paths.var_dir, "fail")
    assert failed.startswith("error:") and "disk full" in failed
    assert "previous index is kept" in failed
    assert IndexDirectory(settings.paths.index_dir).current() == current
    assert _files(current) == before
    assert sorted(p.name for p in settings.paths.index_dir.glob("gen-*")) == sorted(
        [first.generation.name, current.name]
    )


def test_chunks_are_written_as_asdict_writes_them():
    """``Chunk.to_dict`` skips ``asdict``'s deep copy; the lines are the same."""
    from dataclasses import asdict

    from ingest.pipeline import ingest_paths

    for chunk in ingest_paths([PLANS]).chunks:
        assert json.dumps(chunk.to_dict(), ensure_ascii=False) == json.dumps(
            asdict(chunk), ensure_ascii=False
        )


def test_only_the_files_that_changed_are_parsed_again(
    tmp_path: Path, use_encoder, monkeypatch: pytest.MonkeyPatch
):
    import index.build.parsed_files

    data = tmp_path / "plans"
    data.mkdir()
    for name, text in (
        ("甲.md", "窓口の待ち時間を短くする。"),
        ("乙.md", "電話の応答率を上げる。"),
    ):
        (data / name).write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
    settings = _settings(data, tmp_path / "var")
    build_index([data], settings, use_encoder)
    parsed: list[str] = []
    real = index.build.parsed_files.ingest_file

    def counting(path: Path, **kwargs):
        parsed.append(path.name)
        return real(path, **kwargs)

    monkeypatch.setattr(index.build.parsed_files, "ingest_file", counting)
    (data / "乙.md").write_text("# 乙.md\n\n電話の応答率を70%以上にする。\n", encoding="utf-8")
    report = build_index([data], settings, use_encoder)
    assert parsed == ["乙.md"] and report.changes.unchanged == ["甲.md"]
    assert report.changes.updated == ["乙.md"] and report.embedded == 1
    assert build_index([data], settings, use_encoder).unchanged and parsed == ["乙.md"]


def _processes_on(var: Path) -> list[int]:
    """Processes whose environment points planqa at ``var``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            environ = (entry / "environ").read_bytes()
        except (OSError, ValueError):
            continue
        if f"PLANQA_PATHS__VAR_DIR={var}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
def test_a_build_killed_while_its_workers_embed_leaves_no_process_and_no_lock(tmp_path: Path):
    import os
    import signal
    import time

    data = tmp_path / "plans"
    shutil.copytree(PLANS, data)
    var = tmp_path / "var"
    env = {**os.environ, "PLANQA_PATHS__DATA_DIR": str(data), "PLANQA_PATHS__VAR_DIR": str(var)}
    build = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "index"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert build.stdout is not None
        for line in build.stdout:  # the workers embed in the background while it analyses
            if line.startswith("index analyse:"):
                break
        assert len(_processes_on(var)) >= 3  # the build, the Chroma writer, the workers
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
    finally:
        if build.poll() is None:
            build.kill()
    deadline = time.monotonic() + 10
    while _processes_on(var) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_on(var) == []
    with IndexDirectory(var / "index").lock():  # not held by anything left behind
        pass
