"""Measure what the OpenAI-compatible endpoint adds to /ask: latency of
/v1/chat/completions against /ask for the same questions, and how soon a stream starts.

Starts ``planqa serve`` on a free loopback port (as ``api_bench.py`` does) and asks each
gold question in turn three ways, one request after another over one keep-alive
connection: ``POST /ask``, ``POST /v1/chat/completions`` and the same with
``"stream": true``. Prints medians (and the median of the per-question difference, which
cancels out which question was asked) and writes them to bench/results/openai_bench.md;
nothing is asserted.

    .venv/bin/python bench/openai_bench.py [--runs 3] [--requests 100] [--var-dir DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from api_bench import REQUEST_TIMEOUT, Server, ServerFailed, build_index, machine
from results_out import add_out_option, documented_defaults, results_path, write_results

from eval.answers import percentile
from eval.gold import load_gold
from planqa.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results"


@dataclass
class Timings:
    ask_ms: list[float] = field(default_factory=list)
    chat_ms: list[float] = field(default_factory=list)
    added_ms: list[float] = field(default_factory=list)  # chat - ask, per question
    first_event_ms: list[float] = field(default_factory=list)
    first_content_ms: list[float] = field(default_factory=list)
    stream_total_ms: list[float] = field(default_factory=list)
    mismatches: int = 0


def timed(call) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = call()
    return (time.perf_counter() - started) * 1000, response


def stream_times(client: httpx.Client, body: dict) -> tuple[float, float, float, str]:
    """(ms to the first event, ms to the first content, ms to [DONE], streamed text)."""
    started = time.perf_counter()
    first_event = first_content = None
    text = ""
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if not line.startswith("data: "):
                continue
            now = (time.perf_counter() - started) * 1000
            first_event = first_event if first_event is not None else now
            if line == "data: [DONE]":
                break
            delta = json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
            if delta and first_content is None:
                first_content = now
            text += delta
    total = (time.perf_counter() - started) * 1000
    return first_event or total, first_content or total, total, text


def measure(url: str, questions: list[str], requests: int) -> Timings:
    """Each question is asked once through /ask untimed first, so every measured request
    meets the same warm caches; the order of the three calls rotates from round to round
    so none always goes first."""
    timings = Timings()
    asked = list(itertools.islice(itertools.cycle(questions), requests))
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        for question in dict.fromkeys(asked):
            client.post("/ask", json={"question": question}).raise_for_status()
        for number, question in enumerate(asked):
            chat_body = {"model": "planqa", "messages": [{"role": "user", "content": question}]}
            calls = {
                "ask": lambda q=question: timed(lambda: client.post("/ask", json={"question": q})),
                "chat": lambda b=chat_body: timed(
                    lambda: client.post("/v1/chat/completions", json=b)
                ),
                "stream": lambda b=chat_body: stream_times(client, {**b, "stream": True}),
            }
            order = list(calls)[number % 3 :] + list(calls)[: number % 3]
            done = {name: calls[name]() for name in order}
            ask_ms, ask = done["ask"]
            chat_ms, chat = done["chat"]
            first, content, total, text = done["stream"]
            ask.raise_for_status()
            chat.raise_for_status()
            timings.ask_ms.append(ask_ms)
            timings.chat_ms.append(chat_ms)
            timings.added_ms.append(chat_ms - ask_ms)
            timings.first_event_ms.append(first)
            timings.first_content_ms.append(content)
            timings.stream_total_ms.append(total)
            answer = ask.json()["answer"]
            same = chat.json()["choices"][0]["message"]["content"] == answer == text
            timings.mismatches += not same
    return timings


ROWS = (
    ("`/ask`", "ask_ms"),
    ("`/v1/chat/completions`", "chat_ms"),
    ("added by `/v1/chat/completions` (per-question difference)", "added_ms"),
    ("stream: first chunk (role delta)", "first_event_ms"),
    ("stream: first content chunk", "first_content_ms"),
    ("stream: until `[DONE]`", "stream_total_ms"),
)


def table(runs: list[Timings]) -> list[str]:
    """Per figure: the median over runs of each run's median, each run's median and p95."""
    header = "| figure (ms) | median of runs | " + " | ".join(
        f"run {i} median / p95" for i in range(1, len(runs) + 1)
    )
    lines = [header + " |", "|---" * (len(runs) + 2) + "|"]
    for title, name in ROWS:
        medians, cells = [], []
        for run in runs:
            values = sorted(getattr(run, name))
            medians.append(statistics.median(values))
            cells.append(f"{medians[-1]:.2f} / {percentile(values, 0.95):.2f}")
        lines.append(f"| {title} | {statistics.median(medians):.2f} | {' | '.join(cells)} |")
    return lines


def arguments() -> argparse.ArgumentParser:
    """The command line; its defaults are the documented run (bench/results_out.py)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="rounds per run")
    parser.add_argument("--runs", type=int, default=3, help="runs on the same server")
    parser.add_argument(
        "--var-dir", type=Path, default=None, help="existing index (default: build a fresh one)"
    )
    add_out_option(parser)
    return parser


def main() -> None:
    parser = arguments()
    args = parser.parse_args()
    questions = [q.question for q in load_gold()]
    load = os.getloadavg()
    scratch = Path(tempfile.mkdtemp(prefix="planqa-openai-bench-"))
    server = None
    try:
        var_dir = args.var_dir
        index_note = f"existing index under {var_dir}"
        if var_dir is None:
            var_dir = scratch / "var"
            index_note = f"fresh index (`planqa index`: {build_index(var_dir):.1f} s)"
        server = Server(var_dir, scratch / "serve.log")
        server.wait_first_answer(questions[0])
        runs = []
        for number in range(1, args.runs + 1):
            runs.append(measure(server.url, questions, args.requests))
            added = statistics.median(runs[-1].added_ms)
            print(f"run {number}/{args.runs}: added median {added:.2f} ms", flush=True)
    except ServerFailed as error:
        sys.exit(f"openai_bench: {error}")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    command = " ".join([".venv/bin/python", "bench/openai_bench.py", *sys.argv[1:]])
    lines = [
        "# OpenAI-compatible endpoint — added latency over /ask",
        "",
        f"Machine: {machine()}; load average {load[0]:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end (other processes share the cores).",
        f"Command: `{command}`",
        f"Index: {index_note}. {args.requests} sequential rounds over the gold questions "
        f"({len(questions)}), each asked once through /ask untimed first; each round asks "
        "one question through /ask, /v1/chat/completions and the streamed "
        "/v1/chat/completions (in rotating order), over one keep-alive connection from a "
        "client on the same machine.",
        f"Rounds where the three texts differed: {sum(run.mismatches for run in runs)}.",
        "",
        *table(runs),
        "",
        "The first chunk (the assistant role) is sent before the answer is composed; the "
        "first content chunk waits for the whole answer, since the service composes it "
        "before yielding its first line. The per-question difference is the median of "
        "(chat - ask) over rounds: its p95 is load noise, not a cost of the wrapper.",
        "",
    ]
    print("\n".join(lines))
    documented = documented_defaults(parser, args)
    tracked = RESULTS / "openai_bench.md"
    write_results("\n".join(lines), results_path(tracked, args.out, documented))


if __name__ == "__main__":
    main()
