"""CPU time the HTTP path adds to an /ask answer: in process, through the ASGI app, and
through a real ``planqa serve`` over loopback.

bench/api_bench.py measures wall time, which moves with the machine's load; this measures
CPU time (every thread of the measured process), which a busy neighbour barely moves.
The same questions (own gold, warm: each asked once before, so the answer's own caches
are the same in every mode) are answered three ways, each ``--passes`` times:

- ``service``: ``AnswerService.answer`` on an event loop (the worker-thread hop included);
- ``asgi``: the whole FastAPI app (middleware, routing, request validation, response
  serialisation) driven by a minimal ASGI caller in this process, no sockets;
- ``serve``: ``planqa serve`` as a subprocess on a loopback port, its CPU read from
  /proc/<pid>/stat around the sequential requests of one httpx client (whose own CPU, on
  the same cores, is printed too: api_bench's wall time includes it).

The difference between the modes is what the HTTP layer costs per request. ``--stored``
measures the HTTP layer alone: each question's response is computed once and the service
hands it back through the same answer-worker hop (``asgi-stored``, and over loopback
``serve-stored``: this script run as ``--stored-server PORT``), so the answer's own CPU
and its noise drop out. Prints the median per-request CPU of each pass and the median of
the passes; the load average with it.

    .venv/bin/python bench/http_cpu.py [--passes 5] [--serve] [--stored] [--profile OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from anyio import to_thread  # noqa: E402
from fastapi import Request, Response  # noqa: E402

from answer import service as answer_service  # noqa: E402
from answer.schemas import AskRequest, AskResponse  # noqa: E402
from answer.service import AnswerService  # noqa: E402
from api.app import build_service, create_app  # noqa: E402
from eval.gold import load_gold  # noqa: E402
from planqa.settings import Settings  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_bench import free_port, machine, server_env  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
HOST = "127.0.0.1"
PLANQA = Path(sys.executable).with_name("planqa")


async def asgi_post(app, path: str, body: bytes) -> tuple[int, bytes]:
    """One POST through the ASGI app, as uvicorn would call it (no socket)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"user-agent", b"http_cpu"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # a disconnect never comes while answering

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def store_answers(service: AnswerService, requests: list[AskRequest]) -> None:
    """Make ``service`` hand back each question's response computed now, through the same
    answer-worker hop (``ANSWER_WORKERS`` threads), so only the HTTP layer does work."""
    stored: dict[str, AskResponse] = {}
    for request in requests:
        stored[request.question] = await service.answer(request)

    async def stored_answer(request: AskRequest) -> AskResponse:
        limiter = answer_service._answer_workers()
        return await to_thread.run_sync(stored.__getitem__, request.question, limiter=limiter)

    service.answer = stored_answer  # type: ignore[method-assign]


def bodies(questions) -> list[bytes]:
    return [
        json.dumps({"question": q.question, "top_k": 10}, ensure_ascii=False).encode()
        for q in questions
    ]


def process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def run_passes(name: str, one, items: list, passes: int) -> tuple[float, float]:
    """(median over passes of the per-request median, of the per-request mean), in CPU
    time of this process. All passes run in one task, as a server's requests do: anyio
    keeps its worker thread while the task that started it lives."""
    medians, means = [], []
    for number in range(1, passes + 1):
        per_pass = []
        for item in items:
            start = time.process_time()
            await one(item)
            per_pass.append((time.process_time() - start) * 1000)
        medians.append(statistics.median(per_pass))
        means.append(statistics.fmean(per_pass))
        print(f"{name} pass {number}: median {medians[-1]:.2f} ms CPU, mean {means[-1]:.2f} ms")
    return statistics.median(medians), statistics.median(means)


async def in_process(args: argparse.Namespace, payloads: list[bytes], requests) -> dict:
    settings = Settings()
    service = build_service(settings)
    app = create_app(settings, service)  # access lines go nowhere: no handler in process

    async def ask(payload: bytes) -> None:
        status, _ = await asgi_post(app, "/ask", payload)
        assert status == 200, status

    start = time.process_time()
    for payload in payloads:  # every question asked once: the caches are warm
        await ask(payload)
    first = (time.process_time() - start) * 1000 / len(payloads)
    print(f"asgi, first time each question (fresh service): mean {first:.2f} ms CPU")
    results = {}
    results["service"] = await run_passes("service", service.answer, requests, args.passes)
    results["asgi"] = await run_passes("asgi", ask, payloads, args.passes)
    if args.stored:
        await store_answers(service, requests)
        results["asgi-stored"] = await run_passes("asgi-stored", ask, payloads, args.passes)
    if args.pieces:
        await pieces(settings, service, requests, payloads, args.passes)
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for payload in payloads:
            await ask(payload)
        profile.disable()
        profile.dump_stats(args.profile)
    return results


async def pieces(settings, service, requests, payloads, passes: int) -> None:
    """What each layer costs, stored answers: each step removes one more layer, and the
    steps are interleaved pass by pass (CPU time still drifts with the machine's load)."""
    stored = {r.question: await service.answer(r) for r in requests}

    async def direct(request: AskRequest) -> AskResponse:
        return stored[request.question]

    app = create_app(settings, service)
    bare = create_app(settings, service)
    bare.user_middleware = []  # planqa's middleware gone; FastAPI's and Starlette's stay
    bare.middleware_stack = None

    @bare.post("/ask-no-deps", response_model=AskResponse)
    async def ask_no_deps(body: AskRequest, request: Request) -> AskResponse:
        return await request.app.state.service.answer(body)

    @bare.post("/ask-no-model")
    async def ask_no_model(body: AskRequest, request: Request) -> Response:
        answer = await request.app.state.service.answer(body)
        return Response(answer.model_dump_json(), media_type="application/json")

    async def floor(scope, receive, send) -> None:  # an ASGI app that only answers
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    steps = [
        ("/ask, everything (stored answers through the answer worker)", app, "/ask", None),
        ("- the answer-worker thread hop", app, "/ask", direct),
        ("- planqa's middleware (access log, body limit, hosts, headers)", bare, "/ask", direct),
        ("- the route's dependencies (read access, service)", bare, "/ask-no-deps", direct),
        ("- response_model (the model's own model_dump_json)", bare, "/ask-no-model", direct),
        ("an ASGI app that only answers (this harness)", floor, "/ask", None),
    ]
    await store_answers(service, requests)
    hopped = service.answer
    figures: dict[str, list[float]] = {name: [] for name, *_ in steps}
    for _ in range(passes):
        for name, target, path, answer in steps:
            service.answer = answer or hopped  # type: ignore[method-assign]
            start = time.process_time()
            for payload in payloads:
                status, _ = await asgi_post(target, path, payload)
                assert status == 200, (name, status)
            figures[name].append((time.process_time() - start) * 1000 / len(payloads))
    service.answer = hopped  # type: ignore[method-assign]
    body = await asgi_post(bare, "/ask-no-model", payloads[0])
    assert body == await asgi_post(app, "/ask", payloads[0]), "the bodies differ"
    print("\nthe HTTP layer in process, piece by piece (mean ms CPU per request, median of")
    print(f"{passes} interleaved passes):")
    for name, values in figures.items():
        print(f"  {statistics.median(values):6.3f}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--serve", action="store_true", help="also a real server over loopback")
    parser.add_argument("--stored", action="store_true", help="also the HTTP layer alone")
    parser.add_argument("--pieces", action="store_true", help="the HTTP layer piece by piece")
    parser.add_argument("--profile", type=Path, help="cProfile of one asgi pass (event loop)")
    parser.add_argument("--stored-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stored_server:
        stored_server(args.stored_server)
        return
    load = os.getloadavg()[0]
    questions = load_gold()
    requests = [AskRequest(question=q.question, top_k=10) for q in questions]
    payloads = bodies(questions)
    results = asyncio.run(in_process(args, payloads, requests))
    if args.serve:
        var_dir = Settings().paths.var_dir
        results["serve"] = served(
            payloads, args.passes, [str(PLANQA), "serve", "--host", HOST, "--port"], var_dir
        )
        if args.stored:
            command = [sys.executable, str(Path(__file__).resolve()), "--stored-server"]
            results["serve-stored"] = served(payloads, args.passes, command, var_dir)
    print(f"Machine: {machine()}")
    print(f"Command: .venv/bin/python bench/http_cpu.py {' '.join(sys.argv[1:])}")
    print(f"load at start {load:.2f}, at end {os.getloadavg()[0]:.2f}; {len(payloads)} questions")
    base_median, base_mean = results["service"]
    for name, (median, mean) in results.items():
        print(
            f"{name}: per request, median of passes: median {median:.2f} ms CPU "
            f"(+{median - base_median:.2f}), mean {mean:.2f} ms (+{mean - base_mean:.2f})"
        )


def served(
    payloads: list[bytes], passes: int, command: list[str], var_dir: Path
) -> tuple[float, float]:
    """(nan, median over passes of the mean CPU per request) of a server started as
    ``command + [PORT]``: /proc counts in clock ticks (10 ms), so only a pass's total is
    read."""
    import httpx

    port = free_port()
    argv = [*command, str(port)]
    log = Path(f"/tmp/http_cpu-serve-{os.getpid()}.log")
    env = server_env(var_dir)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    with log.open("wb") as sink:
        process = subprocess.Popen(argv, env=env, stdout=sink, stderr=subprocess.STDOUT)
    name = "serve-stored" if "--stored-server" in command else "serve"
    try:
        with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as client:
            wait_up(client, process, log)
            headers = {"content-type": "application/json"}

            def post(payload: bytes) -> None:
                client.post("/ask", content=payload, headers=headers).raise_for_status()

            start = process_cpu(process.pid)
            for payload in payloads:
                post(payload)
            first = (process_cpu(process.pid) - start) * 1000 / len(payloads)
            print(f"{name}, first time each question: mean {first:.2f} ms CPU per request")
            means = []
            for number in range(1, passes + 1):
                start, client_start = process_cpu(process.pid), time.process_time()
                for payload in payloads:
                    post(payload)
                means.append((process_cpu(process.pid) - start) * 1000 / len(payloads))
                client_cpu = (time.process_time() - client_start) * 1000 / len(payloads)
                print(
                    f"{name} pass {number}: mean {means[-1]:.2f} ms CPU per request "
                    f"(the httpx client: {client_cpu:.2f} ms)"
                )
    finally:
        process.terminate()
        process.wait(timeout=30)
    return float("nan"), statistics.median(means)


def wait_up(client, process: subprocess.Popen, log: Path) -> None:
    import httpx

    deadline = time.perf_counter() + 180
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server exited:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            if client.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    sys.exit(f"no server within 180 s:\n{log.read_text(errors='replace')[-2000:]}")


def stored_server(port: int) -> None:
    """uvicorn as ``planqa serve`` runs it (access log on), answering stored responses."""
    import uvicorn

    from api.access_log import log_to_stderr

    settings = Settings()
    service = build_service(settings)
    questions = load_gold()
    requests = [AskRequest(question=q.question, top_k=10) for q in questions]
    asyncio.run(store_answers(service, requests))
    log_to_stderr()
    app = create_app(settings, service)
    uvicorn.run(app, host=HOST, port=port, log_level="warning")


if __name__ == "__main__":
    main()
