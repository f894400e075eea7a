"""An upload cut short by a `kill -9` (issue 21 row 3): the next `serve` finishes it (the file
is indexed while the previous index answers) or undoes it, and a retry of the same bytes is
a success, not a 409; other bytes under the name still need `?replace=true`.

The kill is real: a `planqa serve` process is sent SIGKILL once the upload's file is in the
data folder and before the re-index has published, then `serve` is started again on the
same folders. The journal's undo rules are tested on the module with real files and a real
build refused by a held index lock.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from api.upload_journal import UploadJournal, finish_interrupted_uploads, interrupted_uploads
from api.uploads import STAGING_DIR, StagedUpload
from index.build.builder import build_index
from index.generations import IndexDirectory
from planqa.settings import Settings

API_KEY = "test-key-0123456789abcdef"
KEY = {"Authorization": f"Bearer {API_KEY}"}
NAME = "巡回相談.txt"
QUESTION = "巡回相談バスはいつ北港地区に停車する？"


def memo(lines: int) -> bytes:
    """Own wording on a topic the plans do not cover; ``lines`` distinct sentences, so the
    re-index has that many new passages to embed (it takes long enough to be killed in)."""
    body = "".join(
        f"巡回相談バスの運行記録{n}号：北港地区の集会所で{n % 28 + 1}人の相談を受けた。\n\n"
        for n in range(lines)
    )
    return f"# 巡回相談\n\n巡回相談バスは毎月第二火曜日に北港地区の集会所へ停車する。\n\n{body}".encode()


def serve(settings: Settings, port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PLANQA_PATHS__DATA_DIR": str(settings.paths.data_dir),
        "PLANQA_PATHS__VAR_DIR": str(settings.paths.var_dir),
        "PLANQA_API__API_KEY": API_KEY,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_healthy(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve stopped: {process.stdout.read() if process.stdout else ''}")
        try:
            if httpx.get(f"{url}/health", timeout=2).json().get("status") == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail("serve did not answer /health")


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sources(url: str) -> set[str]:
    body = httpx.get(f"{url}/documents", timeout=30).json()
    return {document["source"] for document in body["documents"]}


def indexed_sources(settings: Settings) -> set[str]:
    live = IndexDirectory(settings.paths.index_dir).current()
    assert live is not None
    return set(json.loads((live / "manifest.json").read_text())["sources"])


def post_file(url: str, content: bytes, **params: str) -> httpx.Response:
    return httpx.post(
        f"{url}/documents",
        files={"file": (NAME, content, "text/plain")},
        params=params,
        headers=KEY,
        timeout=300,
    )


def test_a_kill_during_an_upload_is_finished_by_the_next_serve_and_a_retry_succeeds(
    writable_copy, port_factory, tmp_path: Path
):
    settings = writable_copy(tmp_path)
    data = settings.paths.data_dir
    content = memo(300)
    port = port_factory()
    url = f"http://127.0.0.1:{port}"
    first = serve(settings, port)
    try:
        wait_healthy(url, first)
        sender = threading.Thread(target=lambda: _post_ignoring_the_kill(url, content))
        sender.start()
        deadline = time.monotonic() + 120
        while not (data / NAME).exists():  # committed: the re-index is starting
            assert time.monotonic() < deadline, "the upload never reached the data folder"
            time.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        sender.join(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    # What the kill left: the file in the data folder, not in the index.
    assert (data / NAME).read_bytes() == content
    assert NAME not in indexed_sources(settings), "the kill came after the re-index"
    assert [j.name for j in interrupted_uploads(data, STAGING_DIR)] == [NAME]

    second = serve(settings, port)
    try:
        wait_healthy(url, second)  # the previous index answers while the upload is finished
        deadline = time.monotonic() + 180
        while NAME not in sources(url):
            assert time.monotonic() < deadline, "serve never indexed the file the kill left"
            time.sleep(0.5)
        answer = httpx.post(f"{url}/ask", json={"question": QUESTION}, timeout=60).json()
        assert answer["contexts"][0]["source"] == NAME, answer
        assert not list(data.glob(f"{STAGING_DIR}/*"))  # the journal is closed

        retry = post_file(url, content)  # the client never got its answer: it sends again
        assert retry.status_code == 200, retry.text
        assert retry.json()["stored_as"] == NAME
        assert (data / NAME).read_bytes() == content
        other = post_file(url, memo(3))  # other bytes under the name: still a conflict
        assert other.status_code == 409, other.text
        same_size = content.replace("第二火曜日".encode(), "第三水曜日".encode())
        assert post_file(url, same_size).status_code == 409
        assert (data / NAME).read_bytes() == content
        assert post_file(url, same_size, replace="true").status_code == 200
    finally:
        stop(second)


def _post_ignoring_the_kill(url: str, content: bytes) -> None:
    try:
        post_file(url, content)
    except httpx.HTTPError:
        pass  # the server is killed under it: no answer is the point


def test_a_file_left_in_the_data_folder_is_indexed_on_a_retry_of_the_same_bytes(
    writable_copy, use_encoder, launch, tmp_path: Path
):
    settings = writable_copy(tmp_path)
    content = memo(2)
    (settings.paths.data_dir / NAME).write_bytes(content)  # committed, never indexed
    for server in launch(settings, use_encoder):
        retry = post_file(server.url, content)
        assert retry.status_code == 200, retry.text
        assert NAME in sources(server.url)
        assert post_file(server.url, memo(3)).status_code == 409


# --- the journal, on the module -----------------------------------------------------------


def _committed(data: Path, content: bytes, *, replace: bool) -> StagedUpload:
    """An upload committed to the data folder, as a kill before its re-index leaves it."""
    folder = data / STAGING_DIR / "cut-short"
    folder.mkdir(parents=True)
    upload = StagedUpload(NAME, data, folder)
    upload.staged.write_bytes(content)
    upload.commit(replace)
    return upload


def _refused_rebuild(settings: Settings, encoder):
    """A real build that fails before writing anything (it is asked to drop a document the
    index does not hold: ``IndexBuildError``)."""
    return lambda: build_index(
        [settings.paths.data_dir], settings, encoder, remove=["not-indexed.txt"]
    )


@pytest.mark.parametrize("replace", [False, True])
def test_an_upload_whose_finishing_fails_is_undone(tmp_path: Path, use_encoder, replace: bool):
    settings = Settings.model_validate(
        {"paths": {"data_dir": tmp_path / "plans", "var_dir": tmp_path / "var"}}
    )
    data = settings.paths.data_dir
    data.mkdir()
    if replace:
        (data / NAME).write_bytes(b"# before\n\nthe previous text\n")
    _committed(data, memo(1), replace=replace)
    finished, undone = finish_interrupted_uploads(
        data, STAGING_DIR, _refused_rebuild(settings, use_encoder)
    )
    assert (finished, undone) == ([], [NAME])
    if replace:
        assert (data / NAME).read_bytes() == b"# before\n\nthe previous text\n"
    else:
        assert not (data / NAME).exists()
    assert not list(data.glob(f"{STAGING_DIR}/*"))


def test_an_upload_whose_finishing_was_itself_cut_short_is_undone(tmp_path: Path):
    data = tmp_path / "plans"
    data.mkdir()
    upload = _committed(data, memo(1), replace=False)
    journal = UploadJournal.read(upload.folder)
    assert journal is not None
    journal.attempts = 1  # the start-up that tried to finish it was killed too
    journal.write()

    def never() -> None:
        raise AssertionError("a file that may have killed the server is not indexed again")

    assert finish_interrupted_uploads(data, STAGING_DIR, never) == ([], [NAME])
    assert not (data / NAME).exists()
    assert not list(data.glob(f"{STAGING_DIR}/*"))


def test_undo_leaves_a_file_the_upload_did_not_write(tmp_path: Path):
    data = tmp_path / "plans"
    data.mkdir()
    (data / NAME).write_bytes(memo(1))  # there before, with the same bytes: kept, not linked
    upload = _committed(data, memo(1), replace=False)
    assert upload.kept
    upload.roll_back()
    assert (data / NAME).read_bytes() == memo(1)


def test_finishing_waits_for_another_build_to_let_go_of_the_index(tmp_path: Path, use_encoder):
    settings = Settings.model_validate(
        {"paths": {"data_dir": tmp_path / "plans", "var_dir": tmp_path / "var"}}
    )
    data = settings.paths.data_dir
    data.mkdir()
    _committed(data, memo(1), replace=False)
    directory = IndexDirectory(settings.paths.index_dir)
    held, release = threading.Event(), threading.Event()

    def other_build() -> None:  # a `planqa index` running when serve starts
        with directory.lock():
            held.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=other_build)
    holder.start()
    held.wait(timeout=10)
    threading.Timer(1.0, release.set).start()
    finished, undone = finish_interrupted_uploads(
        data,
        STAGING_DIR,
        lambda: build_index([data], settings, use_encoder),
        busy_pause=0.1,
    )
    holder.join()
    assert (finished, undone) == ([NAME], [])
    assert indexed_sources(settings) == {NAME}
    assert not list(data.glob(f"{STAGING_DIR}/*"))
