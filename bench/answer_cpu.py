"""CPU time of one new question through the answer service, in process.

The HTTP benchmark (bench/api_bench.py) measures what a user meets, and moves with the
load the machine is under; this one measures the answer path alone, by the CPU time of
this process (``time.process_time``, every thread), which a busy neighbour barely moves.

Every gold question (own and the outside set, their histories too) is answered once to
warm the passage-side caches, and what each question adds to the caches kept per question
text (``QUESTION_CACHES``: its morphemes, terms, page references, query vector, the regular
expressions compiled for its words) is noted.
Each pass asks every question again after forgetting what it added, so it is read as a
question the server has not been asked, in a server that has read its passages before.
(Changing the text instead, a suffix, changes the question: its parts, its vector.)
Prints the median per-question CPU time of each pass and the median of the passes.

    .venv/bin/python bench/answer_cpu.py [--passes 5] [--outside PATH] [--profile OUT]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results_out import (  # noqa: E402
    add_out_option,
    documented_defaults,
    results_path,
    write_results,
)

from answer.schemas import AskRequest  # noqa: E402
from answer.service import AnswerService  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.gold import OUTSIDE_SET, load_gold  # noqa: E402
from planqa.settings import PROJECT_ROOT, Settings  # noqa: E402

# Caches whose entries a question's own text decides: (module, function) kept by
# functools.lru_cache. Passage-side caches (sentences, their terms) are left warm.
QUESTION_CACHES = (
    ("question.morphemes", "_analysed"),
    ("question.page_refs", "page_references"),
    ("question.counters", "_asked_counter_at"),
    ("question.attribute", "asked_attribute"),
    ("question.side", "_read_side"),
    ("index.analyzer", "_cached_terms"),
    ("answer.bound_value", "grammar_attribute"),
    ("answer.bound_value", "asked_value"),
    ("answer.bound_value", "_bound"),
)


class Forgetful:
    """An ``lru_cache``d function whose entries added from now on can be forgotten again:
    what the cache held before (the index load's warm-up of the passages' sentences) stays,
    what a question added is noted, and a forgotten entry is computed afresh next time."""

    def __init__(self, cached) -> None:
        self.cached = cached
        self.compute = cached.__wrapped__
        self.forgotten: set = set()
        self.added: list = []

    def __call__(self, *args):
        if args in self.forgotten:
            self.forgotten.discard(args)
            self.added.append(args)
            return self.compute(*args)
        misses = self.cached.cache_info().misses
        value = self.cached(*args)
        if self.cached.cache_info().misses != misses:
            self.added.append(args)
        return value

    def cache_clear(self) -> None:
        self.cached.cache_clear()

    def cache_info(self):
        return self.cached.cache_info()

    def taken(self) -> list:
        added, self.added = self.added, []
        return added

    def forget(self, keys: list) -> None:
        self.forgotten.update(keys)


class ForgetfulForms(dict):
    """A dict kept per text (``question.normal``'s NFKC forms, the phrases the plans' text
    was asked for) whose entries added from now on can be forgotten."""

    def __init__(self, kept: dict) -> None:
        super().__init__(kept)
        self.added: list = []

    def __setitem__(self, key, value) -> None:
        if key not in self:
            self.added.append(key)
        super().__setitem__(key, value)

    def taken(self) -> list:
        added, self.added = self.added, []
        return added

    def forget(self, keys: list) -> None:
        for key in keys:
            self.pop(key, None)


RESULTS = PROJECT_ROOT / "bench" / "results" / "answer_cpu.md"


def forgetful_caches(service: AnswerService) -> list[Forgetful | ForgetfulForms]:
    """``QUESTION_CACHES``, the question's NFKC forms and the caches of the query path's
    objects, each made forgetful where it is held."""
    caches = []
    for module_name, name in QUESTION_CACHES:
        module = sys.modules.get(module_name)
        original = getattr(module, name, None)
        if original is None:
            continue
        cache = Forgetful(original)
        for holder in list(sys.modules.values()):
            for attribute, value in list(vars(holder).items()):
                if value is original:
                    setattr(holder, attribute, cache)
        caches.append(cache)
    # The regular expressions compiled for a question's own words (re's cache of 512): a
    # question's first asking pays for them, and a pattern built from its words was missed
    # here while the cache held it from the warm-up (question/owner.py: 1.8 ms a question).
    re._cache = ForgetfulForms(re._cache)
    caches.append(re._cache)
    normal = sys.modules.get("question.normal")  # the question's NFKC forms, where kept
    if normal is not None:
        normal._forms = ForgetfulForms(normal._forms)
        normal.KEPT = 1 << 30  # never cleared while measuring
        caches.append(normal._forms)
    plain = service._searcher().snapshot.plain_text  # which phrases the plans write, if kept
    if hasattr(plain, "_held"):
        plain._held = ForgetfulForms(plain._held)
        caches.append(plain._held)
    searcher = service._searcher()
    if hasattr(searcher, "_query_vectors"):  # the query vectors the searcher keeps
        searcher._query_vectors = ForgetfulForms(searcher._query_vectors)
        caches.append(searcher._query_vectors)
    # The query vector, and what the lexical index keeps per question text (its term
    # groups) or per question word and compound (their equivalents).
    for holder, name in (
        (searcher.encoder, "_query"),
        (searcher.snapshot.lexical, "_groups"),
        (searcher.snapshot.lexical, "_weighted"),
        (searcher.snapshot.lexical, "_equivalents"),
    ):
        if holder is not None and hasattr(holder, name):
            setattr(holder, name, Forgetful(getattr(holder, name)))
            caches.append(getattr(holder, name))
    return caches


def arguments() -> argparse.ArgumentParser:
    """The command line; its defaults are the documented run (bench/results_out.py)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    parser.add_argument("--profile", type=Path, help="cProfile of one more pass, to this file")
    add_out_option(parser)
    return parser


def main() -> None:
    parser = arguments()
    args = parser.parse_args()
    load = os.getloadavg()[0]
    service = build_service(Settings())
    questions = load_gold()
    if args.outside.is_file():
        questions += load_gold(args.outside)
    else:
        print(f"outside set not found at {args.outside}: own gold only", file=sys.stderr)
    requests = [
        AskRequest(
            question=q.question,
            history=[{"role": t.role, "content": t.content} for t in (q.history or [])],
            top_k=10,
        )
        for q in questions
    ]
    service._assess_leased(AskRequest(question="テスト"))  # loads the encoder's session
    caches = forgetful_caches(service)
    added = []
    for request in requests:  # warm: passages, terms; what each question adds is noted
        service._assess_leased(request)
        added.append([cache.taken() for cache in caches])
    medians = []
    profile = cProfile.Profile() if args.profile else None
    # A profiled pass, when asked, comes after the timed ones and is not counted.
    for number in range(1, args.passes + 1 + (profile is not None)):
        times = []
        last = number > args.passes
        for request, keys in zip(requests, added, strict=True):
            for cache, its in zip(caches, keys, strict=True):
                cache.forget(its)
            start = time.process_time()
            if last:
                profile.enable()
            service._assess_leased(request)
            if last:
                profile.disable()
            times.append((time.process_time() - start) * 1000)
            for cache in caches:
                cache.taken()
        if last:
            break
        medians.append(statistics.median(times))
        print(
            f"pass {number}: {len(times)} questions, median {medians[-1]:.2f} ms CPU, "
            f"mean {statistics.fmean(times):.2f} ms",
            flush=True,
        )
    summary = (
        f"median of {len(medians)} passes: {statistics.median(medians):.2f} ms CPU per question"
    )
    print(summary)
    lines = [f"pass {i}: median {m:.2f} ms CPU" for i, m in enumerate(medians, 1)] + [summary]
    if profile is not None:
        profile.dump_stats(str(args.profile))
        calls = pstats.Stats(profile).total_calls  # the same on any machine and load
        lines.append(
            f"Python function calls per question (profiled pass): {calls / len(requests):.0f}"
        )
        print(lines[-1])
    # the profiled pass comes after the timed ones, so it leaves the figures comparable
    documented = documented_defaults(parser, args, free=("out", "profile"))
    _write(lines, len(requests), load, results_path(RESULTS, args.out, documented))


def _write(lines: list[str], questions: int, load: float, path: Path | None) -> None:
    """The figures, with the machine, the load and the commit, to ``path`` (None: print only)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=PROJECT_ROOT
    ).stdout.strip()
    text = "\n".join(
        [
            "# CPU time of one new question through the answer service, in process",
            "",
            f"Machine: {platform.processor() or platform.machine()}, nproc {os.cpu_count()}, "
            f"Python {platform.python_version()}; load average {load:.2f} at the start.",
            f"Command: `.venv/bin/python {' '.join(['bench/answer_cpu.py', *sys.argv[1:]])}` "
            f"(commit {commit}); {questions} questions per pass.",
            "",
            *(f"- {line}" for line in lines),
            "",
        ]
    )
    write_results(text, path)


if __name__ == "__main__":
    main()
