"""Do the answer guards generalise beyond the two plans? JSQuAD (JGLUE) through planqa.

Every paragraph of the JSQuAD validation set (or the test set) becomes one plain-text file
(its article title as the heading line), the files are indexed with the normal indexing code
into a temporary var directory, and every answerable question goes through the in-process
answer service. Every JSQuAD question is answerable from its paragraph, so each decline is a
false one.

Prints, and writes to bench/results/jsquad.md (only a full run of the validation set at the
default settings; otherwise where --out says): retrieval R@1 and R@5 (the gold paragraph's
file among the contexts), false declines overall and when the gold paragraph ranked first,
how often the answer contains a gold answer text, the decline reasons grouped, BM25-only
R@1 for reference, timings and memory. Example questions per decline reason go to stdout
only (and all answers to ``--dump``): the dataset is CC BY-SA and stays out of this repository.

    .venv/bin/python bench/jsquad_bench.py /work/data/JGLUE/valid-v1.3.json \
        [--limit N] [--var DIR] [--dense-weight W] [--budget-minutes 25] [--dump FILE] [--out FILE]

Get the data with the ``fetch`` step in bench/README.md (never commit it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from results_out import (  # noqa: E402
    add_out_option,
    results_path,
    settings_overrides,
    write_results,
)

from index.analyzer import Analyzer, analyzer_config  # noqa: E402
from index.build.builder import build_index  # noqa: E402
from index.encoders import Encoder, build_encoder  # noqa: E402
from ingest.model import Chunk  # noqa: E402
from planqa.settings import PROJECT_ROOT, PathSettings, RetrievalSettings, Settings  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "jsquad.md"
DOCUMENTED_SPLIT = "valid-v1.3.json"  # the split RESULTS records
SPLITS = {DOCUMENTED_SPLIT: "validation", "test-v1.3.json": "test"}
SEP = " [SEP] "
EXAMPLES = 5
_LABEL_RE = re.compile(r"【[^】]*】")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[str, ...]
    paragraph: str  # the paragraph's file name, e.g. a10336p0.txt


@dataclass
class Outcome:
    question: Question
    rank: int | None  # 1-based rank of the gold paragraph among the contexts
    answered: bool
    contains_gold: bool
    note: str
    answer: str
    ms: float


@dataclass
class Corpus:
    paragraphs: dict[str, tuple[str, str]] = field(default_factory=dict)  # file → (title, text)
    questions: list[Question] = field(default_factory=list)
    impossible: int = 0


def _answer_service(settings: Settings, encoder: Encoder) -> tuple[Any, type]:
    """The in-process answer service over the index under ``settings.paths.var_dir``, and
    its request model. The one place that knows where they live (moving from api/ to answer/)."""
    try:
        from answer import AnswerService, AskRequest
        from index.live import LiveIndex
    except ImportError:
        from api.answer import AnswerService
        from api.live_index import LiveIndex
        from api.schemas import AskRequest
    live = LiveIndex(settings, encoder)
    live.load()
    return AnswerService(settings, live), AskRequest


def load_jsquad(path: Path) -> Corpus:
    """Paragraphs keyed by a file name from the question ids (a10336p0q1 → a10336p0.txt);
    the same context twice is one paragraph."""
    corpus = Corpus()
    file_of: dict[str, str] = {}
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            qas = paragraph["qas"]
            if not qas:
                continue
            name = file_of.setdefault(context, qas[0]["id"].rsplit("q", 1)[0] + ".txt")
            title, _, text = context.partition(SEP) if SEP in context else ("", "", context)
            corpus.paragraphs[name] = (title.strip() or article.get("title", ""), text.strip())
            for qa in qas:
                if qa.get("is_impossible"):
                    corpus.impossible += 1
                    continue
                answers = tuple(dict.fromkeys(a["text"] for a in qa["answers"] if a["text"]))
                corpus.questions.append(Question(qa["id"], qa["question"], answers, name))
    return corpus


def write_paragraphs(corpus: Corpus, data_dir: Path) -> None:
    """One UTF-8 file per paragraph: the title alone on the first line (the generic parser
    takes a short line between blank lines as a heading), then the text."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, (title, text) in corpus.paragraphs.items():
        heading = f"{title}\n\n" if title else ""
        (data_dir / name).write_text(f"{heading}{text}\n", encoding="utf-8")


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def in_first_statement(answer: str, answers: tuple[str, ...]) -> bool:
    """A gold answer text inside the answer's first line, up to its labels: what an agent
    reads out first (eval.answer_metrics.first_statement)."""
    from eval.answer_metrics import first_statement

    return contains_gold(first_statement(answer), answers)


def contains_gold(answer: str, answers: tuple[str, ...]) -> bool:
    """A gold answer text inside the answer, its 【labels】 removed (a label p.1 is no 1)."""
    shown = _plain(_LABEL_RE.sub("", answer))
    return any(_plain(a) in shown for a in answers)


def reason_group(note: str) -> tuple[str, list[str]]:
    """A decline note's leading words with its variable parts masked, and those parts.

    Notes read ``日本語 / English``; a word of the English half that also appears in the
    Japanese half is the variable part (a term, a year, a coverage figure) and becomes …,
    as does any other number.
    Terms in Latin letters (iDeCo) and in Japanese (国民年金基金) are told apart: different
    checks name them."""
    japanese, _, english = note.rpartition(" / ")
    if not japanese:
        return note, []
    words: list[str] = []
    named: list[str] = []
    for word in english.split():
        core = word.strip(",.;:")
        if core and core in japanese:
            named.append(core)
            if not words or words[-1] != "…":
                words.append("…")
        else:
            words.append(_NUMBER_RE.sub("…", word))  # for（p=0.24） → for（p=…）
    if named and all(re.search("[A-Za-z]", n) for n in named):
        words.append("[Latin letters]")
    return " ".join(words), named


async def ask_all(
    service: Any, ask_request: type, questions: list[Question], deadline: float
) -> tuple[list[Outcome], int]:
    outcomes: list[Outcome] = []
    for number, question in enumerate(questions, start=1):
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        response = await service.answer(ask_request(question=question.text))
        ms = (time.perf_counter() - started) * 1000
        sources = [c.source for c in response.contexts]
        rank = sources.index(question.paragraph) + 1 if question.paragraph in sources else None
        outcomes.append(
            Outcome(
                question,
                rank,
                response.answered,
                response.answered and contains_gold(response.answer, question.answers),
                response.notes[-1] if response.notes else "",
                response.answer,
                ms,
            )
        )
        if number % 250 == 0:
            print(f"  {number}/{len(questions)} asked", file=sys.stderr, flush=True)
    return outcomes, len(questions) - len(outcomes)


def bm25_recall_at_1(settings: Settings, chunks: list[Chunk], questions: list[Question]) -> float:
    """bm25s over the same chunks (title + text) with the index's Sudachi terms, nothing else."""
    import bm25s

    analyzer = Analyzer(analyzer_config(settings))
    corpus = [analyzer.terms(f"{c.title or ''}\n{c.text}") or ["∅"] for c in chunks]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    queries = [analyzer.terms(q.text) or ["∅"] for q in questions]
    found, _ = retriever.retrieve(queries, k=1, show_progress=False, n_threads=1)
    return sum(
        chunks[int(row[0])].source == q.paragraph for row, q in zip(found, questions, strict=True)
    ) / max(1, len(questions))


def code_version() -> str:
    """The commit measured, and whether the tree had uncommitted changes."""
    try:
        git = ["git", "-C", str(PROJECT_ROOT)]
        commit = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%} ({part}/{whole})" if whole else "–"


def report(
    outcomes: list[Outcome],
    corpus: Corpus,
    *,
    command: str,
    split: str,
    chunks: int,
    index_s: float,
    wall_s: float,
    bm25_r1: float,
    index_reused: bool,
    skipped: int,
) -> tuple[list[str], dict[str, list[Outcome]]]:
    asked = len(outcomes)
    first = [o for o in outcomes if o.rank == 1]
    declined = [o for o in outcomes if not o.answered]
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in declined:
        groups[reason_group(outcome.note)[0]].append(outcome)
    latencies = sorted(o.ms for o in outcomes)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sample = (
        f"all {len(corpus.questions)} answerable questions"
        if asked == len(corpus.questions)
        else f"{asked} of {len(corpus.questions)} answerable questions (seeded random sample"
        + (f"; the time budget stopped {skipped} more" if skipped else "")
        + ")"
    )
    lines = [
        f"# JSQuAD {split} set through planqa",
        "",
        f"Machine: {cpu_model()}, nproc {os.cpu_count()}, {platform.machine()}, "
        f"Python {platform.python_version()}.",
        f"Command: `{command}` ({code_version()}).",
        f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}. Data: JGLUE JSQuAD v1.3 {split}, "
        f"{len(corpus.paragraphs)} paragraphs → {chunks} chunks; {sample}; "
        f"{corpus.impossible} unanswerable questions in the file (skipped).",
        "Every question is answerable from its paragraph, so every decline is a false decline.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| retrieval R@1 (gold paragraph's file is the first context) | {pct(len(first), asked)} |",
        f"| retrieval R@5 | {pct(sum(o.rank is not None for o in outcomes), asked)} |",
        f"| BM25-only R@1 (bm25s, same chunks, Sudachi terms) | {bm25_r1:.1%} |",
        f"| false declines, all questions | {pct(len(declined), asked)} |",
        f"| false declines, gold paragraph ranked first | "
        f"{pct(sum(not o.answered for o in first), len(first))} |",
        f"| answer contains a gold answer text, of answered | "
        f"{pct(sum(o.contains_gold for o in outcomes), asked - len(declined))} |",
        f"| answer contains a gold answer text, of all | "
        f"{pct(sum(o.contains_gold for o in outcomes), asked)} |",
        f"| first statement contains a gold answer text, of all | "
        f"{pct(sum(o.answered and in_first_statement(o.answer, o.question.answers) for o in outcomes), asked)} |",
        f"| /ask in-process latency, median / p95 | {statistics.median(latencies):.1f} / "
        f"{latencies[int(0.95 * (len(latencies) - 1))]:.1f} ms |"
        if latencies
        else "| /ask in-process latency | – |",
        f"| index build (ingest, embed, BM25, chiVe neighbours) | {index_s:.1f} s"
        + (" (unchanged index reused) |" if index_reused else " |"),
        f"| wall time | {wall_s / 60:.1f} min |",
        f"| peak RSS of the bench process | {peak_mb:.0f} MB |",
        "",
        "Decline reasons (the service's last note, variable parts masked as …):",
        "",
        "| reason | declines | of them gold paragraph first |",
        "|---|---|---|",
    ]
    for reason, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        lines.append(
            f"| {reason or '(no note)'} | {pct(len(members), len(declined))} | "
            f"{sum(o.rank == 1 for o in members)} |"
        )
    return lines, groups


def print_examples(groups: dict[str, list[Outcome]]) -> None:
    """Spread examples of each reason, and the terms most often named in it (stdout only)."""
    print("\n## Decline examples (not written to the repository: CC BY-SA data)\n")
    for reason, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        print(f"### {reason} — {len(members)}")
        named = Counter(n for o in members for n in reason_group(o.note)[1])
        if named:
            print("most named: " + ", ".join(f"{n} {c}" for n, c in named.most_common(12)))
        step = max(1, len(members) // EXAMPLES)
        for outcome in members[::step][:EXAMPLES]:
            q = outcome.question
            print(f"- {q.id} {q.text} | gold: {' / '.join(q.answers)} | rank {outcome.rank}")
            print(f"    note: {outcome.note}")
        print()


def dump(outcomes: list[Outcome], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for o in outcomes:
            record = {
                "id": o.question.id,
                "question": o.question.text,
                "gold": list(o.question.answers),
                "paragraph": o.question.paragraph,
                "rank": o.rank,
                "answered": o.answered,
                "contains_gold": o.contains_gold,
                "note": o.note,
                "answer": o.answer,
                "ms": round(o.ms, 2),
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _outside_project(path: Path, what: str) -> Path:
    path = path.resolve()
    if path.is_relative_to(PROJECT_ROOT.resolve()):
        raise SystemExit(f"{what} {path} is inside the repository; JSQuAD (CC BY-SA) stays out")
    return path


def documented_run(args: argparse.Namespace, retrieval: RetrievalSettings, skipped: int) -> bool:
    """Whether this run is the one bench/results/jsquad.md records: every question of the
    validation split, defaults.

    Another split, a sample (--limit), a dense weight asked for, any PLANQA_* setting in the
    environment (an answer setting such as another decline model changes the figures as much
    as a retrieval one) or a question the time budget stopped makes it exploratory (``--var``
    only keeps the index, so it counts).
    """
    return (
        args.dataset.name == DOCUMENTED_SPLIT
        and args.limit is None
        and args.dense_weight is None
        and skipped == 0
        and retrieval.model_dump() == RetrievalSettings().model_dump()
        and not settings_overrides()
    )


def split_of(dataset: Path) -> str:
    """The JSQuAD split a file holds, as a report names it (else the file's name)."""
    return SPLITS.get(dataset.name, dataset.name)


def shown_command(argv: Sequence[str], dataset: Path) -> str:
    """The command as run, the dataset's folder written DATA/ (it differs per machine; the
    file's name says which split was asked: valid-v1.3.json, test-v1.3.json)."""
    shown = (f"DATA/{dataset.name}" if Path(arg) == dataset else arg for arg in argv)
    return " ".join([".venv/bin/python bench/jsquad_bench.py", *shown])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, help="JSQuAD valid-v1.3.json (or test-v1.3.json)")
    parser.add_argument("--limit", type=int, default=None, help="ask a seeded sample of N")
    parser.add_argument(
        "--var", type=Path, default=None, help="keep data files and index here (reused)"
    )
    parser.add_argument("--dense-weight", type=float, default=None, help="0 = lexical only")
    parser.add_argument("--budget-minutes", type=float, default=25.0, help="stop asking after")
    parser.add_argument("--dump", type=Path, default=None, help="every answer as JSON Lines")
    add_out_option(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    command = shown_command(sys.argv[1:], args.dataset)
    corpus = load_jsquad(args.dataset)
    questions = list(corpus.questions)
    random.Random(13).shuffle(questions)
    questions = questions[: args.limit] if args.limit else questions

    dump_path = _outside_project(args.dump, "--dump") if args.dump else None
    root = _outside_project(args.var, "--var") if args.var else Path(tempfile.mkdtemp("-jsquad"))
    try:
        settings = Settings(
            paths=PathSettings(data_dir=root / "data", var_dir=root / "var"),
            # The configured retrieval (PLANQA_RETRIEVAL__*), the dense weight as asked.
            retrieval=Settings().retrieval.model_copy(update={"dense_weight": args.dense_weight}),
        )
        write_paragraphs(corpus, settings.paths.data_dir)
        encoder = build_encoder(settings.embedding.backend)
        index_started = time.perf_counter()
        build = build_index([settings.paths.data_dir], settings, encoder)
        index_s = time.perf_counter() - index_started
        print(f"indexed {build.chunks} chunks in {index_s:.1f} s", file=sys.stderr)
        service, ask_request = _answer_service(settings, encoder)
        chunks = service.live.searcher.snapshot.chunks
        deadline = time.monotonic() + args.budget_minutes * 60
        outcomes, skipped = asyncio.run(ask_all(service, ask_request, questions, deadline))
        bm25_r1 = bm25_recall_at_1(settings, chunks, [o.question for o in outcomes])
    finally:
        if args.var is None:
            shutil.rmtree(root, ignore_errors=True)
    lines, groups = report(
        outcomes,
        corpus,
        command=command,
        split=split_of(args.dataset),
        chunks=len(chunks),
        index_s=index_s,
        wall_s=time.perf_counter() - started,
        bm25_r1=bm25_r1,
        index_reused=build.unchanged,
        skipped=skipped,
    )
    print("\n".join(lines))
    print_examples(groups)
    if dump_path:
        dump(outcomes, dump_path)
        print(f"wrote {dump_path}")
    documented = documented_run(args, Settings().retrieval, skipped)
    write_results("\n".join(lines) + "\n", results_path(RESULTS, args.out, documented))


if __name__ == "__main__":
    main()
