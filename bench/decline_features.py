"""The rows the decline model is fitted and reported on: each question's decline signals.

Every question goes through the in-process answer service (``AnswerService.assess``), so a
row holds exactly what the service reads when it answers. The sets:

- ``own-dev`` / ``own-unanswerable``: the project's gold dev split (eval/gold/*.jsonl);
- ``written``: the unanswerable questions written to fit the decline
  (every file of eval/gold/decline/, split ``decline-train``);
- ``own-train``: the answerable questions written to train the answer stage
  (eval/gold/train/, split ``train``): in-domain rows the decline must answer;
- ``outside``: the outside set (fitted on under cross-validation, as before);
- ``fresh-test``: the own gold's test split, held out, scored only (never fitted on);
  a set of both kinds has its unanswerable questions in ``…-unanswerable``;
- ``jsquad-plan-test``: JSQuAD test questions asked of the PLAN index (must be declined);
  ``jsquad-own-test``: the same questions asked of an index of their own paragraphs
  (answerable); ``jsquad-plan-valid`` / ``jsquad-own-valid``: the valid split, scored only.

JSQuAD is read by path (CC BY-SA; never committed) with bench/jsquad_bench.py's loader.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from answer.schemas import AskRequest, Turn  # noqa: E402
from eval.gold import load_gold  # noqa: E402
from planqa.settings import PathSettings, Settings  # noqa: E402

GOLD = ROOT / "eval" / "gold"
# The whole folder, so a further written file (unanswerable-written-2.jsonl, …) is fitted on too.
WRITTEN = GOLD / "decline"
TRAIN = GOLD / "train"
# ../shared beside the main checkout, or beside the worktrees' folder (/work/wt/X).
OUTSIDE = next(
    (
        base / "shared" / "eval" / "outside-questions.jsonl"
        for base in (ROOT.parent, ROOT.parent.parent)
        if (base / "shared" / "eval" / "outside-questions.jsonl").exists()
    ),
    ROOT.parent / "shared" / "eval" / "outside-questions.jsonl",
)


@dataclass
class Row:
    id: str
    set: str
    group: str  # questions of one JSQuAD article fall in the same fold
    answerable: int
    signals: list[float]
    answered: bool  # what the shipped model answered (for reference)


async def _ask(service: Any, question: str, history: list[dict[str, str]] | None = None):
    request = AskRequest(question=question, top_k=10, history=[Turn(**t) for t in history or []])
    return await service.assess(request)


async def own_rows(service: Any) -> list[Row]:
    rows: list[Row] = []
    sources = [(GOLD, None), (WRITTEN, "written"), (TRAIN, "own-train")]
    if OUTSIDE.exists():
        sources.append((OUTSIDE, "outside"))
    for path, forced in sources:
        for question in load_gold(path):
            response, signals = await _ask(service, question.question, question.history_messages())
            if signals is None:  # a named page: answered without the model
                continue
            name = forced or {"test": "fresh-test", "dev": "own-dev"}[question.split]
            if not question.answerable and name != "written":
                name = {"own-dev": "own", "fresh-test": "fresh"}.get(name, name) + "-unanswerable"
            rows.append(
                Row(
                    question.id,
                    name,
                    question.id,
                    int(question.answerable),
                    signals.vector(),
                    response.answered,
                )
            )
    return rows


def reading_every_signal(service: Any) -> Any:
    """``service`` with its decline model reading every signal, weighed or not: the shipped
    model reads the asked-attribute signals only when it weighs them (answer/decide.py),
    and a refit must see them. Its decisions are the shipped model's."""
    service.decline_model = replace(service.decline_model, read_every_signal=True)
    return service


async def jsquad_rows(service: Any, questions: list[Any], name: str, answerable: int) -> list[Row]:
    rows = []
    for number, question in enumerate(questions, 1):
        response, signals = await _ask(service, question.text)
        if signals is None:
            continue
        article = question.id.split("p", 1)[0]
        rows.append(
            Row(question.id, name, article, answerable, signals.vector(), response.answered)
        )
        if number % 500 == 0:
            print(f"  {name}: {number}/{len(questions)}", file=sys.stderr, flush=True)
    return rows


def _own_paragraph_service(corpus: Any, root: Path, encoder: Any) -> Any:
    from jsquad_bench import _answer_service, write_paragraphs

    from index.build.builder import build_index

    settings = Settings(paths=PathSettings(data_dir=root / "data", var_dir=root / "var"))
    write_paragraphs(corpus, settings.paths.data_dir)
    build_index([settings.paths.data_dir], settings, encoder)
    service, _ = _answer_service(settings, encoder)
    return reading_every_signal(service)


def collect(
    jsquad_test: Path | None, jsquad_valid: Path | None, limit: int | None, seed: int = 13
) -> list[Row]:
    from jsquad_bench import load_jsquad

    from api.app import build_service
    from index.encoders import configured_encoder

    settings = Settings()
    encoder = configured_encoder(settings)
    plan_service = reading_every_signal(build_service(settings, encoder))
    rows = asyncio.run(own_rows(plan_service))
    for path, split in ((jsquad_test, "test"), (jsquad_valid, "valid")):
        if path is None:
            continue
        corpus = load_jsquad(path)
        questions = list(corpus.questions)
        random.Random(seed).shuffle(questions)
        questions = questions[:limit] if limit else questions
        rows += asyncio.run(jsquad_rows(plan_service, questions, f"jsquad-plan-{split}", 0))
        with tempfile.TemporaryDirectory(suffix="-jsquad") as root:
            own = _own_paragraph_service(corpus, Path(root), encoder)
            rows += asyncio.run(jsquad_rows(own, questions, f"jsquad-own-{split}", 1))
    return rows


def save(rows: list[Row], path: Path) -> None:
    path.write_text(
        "\n".join(json.dumps(asdict(r), ensure_ascii=False) for r in rows) + "\n",
        encoding="utf-8",
    )


def load(path: Path) -> list[Row]:
    return [Row(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]
