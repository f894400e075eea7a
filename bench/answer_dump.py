"""Every answer the service gives, as JSON, to check a speed change changes none of them.

A change meant only to make answering cheaper (a cache, work skipped, the same arithmetic
in another order) must leave every response as it was: dump before and after, then
``--compare`` the two files. The dump holds each whole response (answer, citations,
contexts with their scores, notes) and the decline signals, for every own gold and outside
question (their histories too), or for a seeded sample of JSQuAD valid asked of an index of
its paragraphs (the same sample as ``bench/jsquad_bench.py --limit N``). Every question is
asked twice, the second time with the per-question caches warm: the second answer must be
the first (it is written only when it differs).

    .venv/bin/python bench/answer_dump.py gold OUT.json [--outside PATH] [--heldout]
    .venv/bin/python bench/answer_dump.py jsquad OUT.json --data DATA/valid-v1.3.json \
        [--limit 600] [--var DIR]
    .venv/bin/python bench/answer_dump.py --compare BEFORE.json AFTER.json

JSQuAD is CC BY-SA: its dump and index stay outside the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from answer.schemas import AskRequest  # noqa: E402
from answer.service import AnswerService  # noqa: E402
from eval.gold import GOLD_DIR, OUTSIDE_SET, load_gold  # noqa: E402
from planqa.settings import PROJECT_ROOT, PathSettings, Settings  # noqa: E402

HELDOUT_DIR = GOLD_DIR.parent / "heldout"


def answered(service: AnswerService, request: AskRequest) -> dict[str, Any]:
    """The whole response and the decline signals, as plain JSON values."""
    response, signals = service._assess_leased(request)
    return {
        "response": response.model_dump(mode="json"),
        "signals": None if signals is None else repr(signals),
    }


def dump_all(service: AnswerService, asked: list[tuple[str, AskRequest]]) -> dict[str, Any]:
    """Each question's first answer; its second (caches warm) only where it differs."""
    first = {key: answered(service, request) for key, request in asked}
    out: dict[str, Any] = {}
    for key, request in asked:
        again = answered(service, request)
        out[key] = first[key] if again == first[key] else {"first": first[key], "again": again}
    return out


def gold_requests(outside: Path, heldout: bool = False) -> list[tuple[str, AskRequest]]:
    """Own gold (train and decline files too) and the outside set, keyed by their text; with
    ``heldout`` the held-out files as well, keyed by file and line number only, so that a
    difference is reported without showing a held-out question."""
    questions = [
        (f"{number}:{q.question}", q)
        for number, q in enumerate(
            [*load_gold(), *load_gold(GOLD_DIR / "train"), *load_gold(GOLD_DIR / "decline")]
        )
    ]
    if outside.is_file():
        questions += [(f"outside:{q.question}", q) for q in load_gold(outside)]
    else:
        print(f"outside set not found at {outside}: own gold only", file=sys.stderr)
    if heldout:
        for file in sorted(HELDOUT_DIR.glob("*.jsonl")):
            questions += [(f"heldout:{file.stem}:{n}", q) for n, q in enumerate(load_gold(file))]
    return [
        (
            key,
            AskRequest(
                question=q.question,
                history=[{"role": t.role, "content": t.content} for t in (q.history or [])],
                top_k=10,
            ),
        )
        for key, q in questions
    ]


def jsquad_service(data: Path, limit: int, var: Path) -> tuple[AnswerService, list]:
    """The answer service over an index of JSQuAD's paragraphs under ``var`` (built once,
    reused), and the seeded sample of its questions."""
    from jsquad_bench import load_jsquad, write_paragraphs  # bench/, the script's folder

    from index.build.builder import build_index
    from index.encoders import build_encoder
    from index.live import LiveIndex

    corpus = load_jsquad(data)
    questions = list(corpus.questions)
    random.Random(13).shuffle(questions)  # bench/jsquad_bench.py's sample
    questions = questions[:limit] if limit else questions
    settings = Settings(paths=PathSettings(data_dir=var / "data", var_dir=var / "var"))
    write_paragraphs(corpus, settings.paths.data_dir)
    encoder = build_encoder(settings.embedding.backend)
    build_index([settings.paths.data_dir], settings, encoder)
    live = LiveIndex(settings, encoder)
    live.load()
    asked = [(q.id, AskRequest(question=q.text)) for q in questions]
    return AnswerService(settings, live), asked


def compare(before: Path, after: Path) -> int:
    """Prints how many answers differ (and the first few keys); 1 when any does."""
    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    unstable = [k for k, v in new.items() if "again" in v] + [
        k for k, v in old.items() if "again" in v
    ]
    differ = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    print(
        f"{len(old)} before, {len(new)} after: {len(differ)} differ; {len(unstable)} differ on asking again"
    )
    for key in differ[:10]:
        print("  differs:", key)
    return 1 if differ or unstable else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", choices=("gold", "jsquad"))
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    parser.add_argument(
        "--heldout", action="store_true", help="gold: the held-out files too (keyed by line)"
    )
    parser.add_argument("--data", type=Path, help="JSQuAD valid-v1.3.json")
    parser.add_argument("--limit", type=int, default=600)
    parser.add_argument("--var", type=Path, help="JSQuAD's files and index (kept, reused)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        raise SystemExit(compare(*args.compare))
    if args.set is None or args.out is None:
        parser.error("give a set and an output file, or --compare BEFORE AFTER")
    if args.set == "gold":
        from api.app import build_service

        service, asked = build_service(Settings()), gold_requests(args.outside, args.heldout)
        args.out.write_text(json.dumps(dump_all(service, asked), ensure_ascii=False, indent=1))
        print(f"wrote {len(asked)} answers to {args.out}")
        return
    if args.data is None:
        parser.error("jsquad needs --data")
    for path in (args.out, args.var or args.out):
        if path.resolve().is_relative_to(PROJECT_ROOT.resolve()):
            raise SystemExit(f"{path} is inside the repository; JSQuAD (CC BY-SA) stays out")
    var = args.var or Path(tempfile.mkdtemp("-jsquad"))
    try:
        service, asked = jsquad_service(args.data, args.limit, var)
        args.out.write_text(json.dumps(dump_all(service, asked), ensure_ascii=False, indent=1))
    finally:
        if args.var is None:
            shutil.rmtree(var, ignore_errors=True)
    print(f"wrote {len(asked)} answers to {args.out}")


if __name__ == "__main__":
    main()
