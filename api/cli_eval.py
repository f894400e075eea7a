"""``planqa eval``: retrieval, answers and the trace scored against gold, in process or
over HTTP.

The one place the evaluation reaches the answer engine (``_local_ask``): eval/ is handed
callables and never imports the engine itself. Imports stay inside the commands, as in the
rest of the CLI, so ``planqa --help`` loads no model.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from api.cli_encoder import cli_encoder
from planqa.settings import Settings


def _local_ask(settings: Settings, top_k: int):
    """``ask(question, history)`` over the in-process answer service, for ``planqa eval``.

    The one place the evaluation reaches the answer engine: eval/ is handed this callable
    and never imports the engine itself."""
    from answer import AskRequest
    from api.app import build_service

    service = build_service(settings)
    if service.live.searcher is None:
        raise click.ClickException(
            f"no index under {settings.paths.index_dir}; run 'planqa index' first"
        )

    async def ask(question: str, history: list[dict[str, str]]) -> dict:
        request = AskRequest(question=question, history=history, top_k=top_k)
        return (await service.answer(request)).model_dump()

    return ask


def _local_standalone():
    """``standalone(question, history)``: the text /ask searches for a follow-up, for
    ``planqa eval retrieval``."""
    from answer import Turn
    from question.followup import standalone

    def resolve(question: str, history: list[dict[str, str]]) -> str:
        return standalone(question, [Turn(**turn) for turn in history])

    return resolve


def _gold_questions(gold: Path, split: str) -> list:
    from eval.gold import load_gold

    try:
        questions = load_gold(gold, split=split)
    except (OSError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    if not questions:
        raise click.ClickException(f"no gold question of split {split!r} in {gold}")
    return questions


def _report_name(kind: str, gold: Path) -> str:
    """``answers`` for the project's own gold set, ``answers-<name>`` for another set, so
    reports of two sets do not overwrite each other."""
    from eval.gold import GOLD_DIR

    if gold.resolve() == GOLD_DIR.resolve():
        return kind
    return f"{kind}-{gold.stem if gold.is_file() else gold.name}"


_GOLD_OPTION = click.option(
    "--gold",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Gold questions: a .jsonl file or a directory of them, in the project's format "
    "(labels, split) or the outside set's (refs, history). Default: eval/gold/.",
)
_SPLIT_OPTION = click.option(
    "--split",
    type=click.Choice(["all", "dev", "test", "outside"]),
    default="all",
    show_default=True,
    help="Questions of one split; an outside set's questions are 'outside'.",
)


@click.group("eval")
def eval_group() -> None:
    """Evaluate against gold questions (default: eval/gold/*.jsonl)."""


@eval_group.command("retrieval")
@_GOLD_OPTION
@_SPLIT_OPTION
@click.option("--k", "top_k", default=10, show_default=True, type=click.IntRange(1, 50))
@click.option("--no-baseline", is_flag=True, help="Skip the naive LangChain baseline.")
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the JSON report (default: var/eval/retrieval[-<gold name>].json).",
)
@click.pass_obj
def eval_retrieval(
    settings: Settings,
    gold: Path | None,
    split: str,
    top_k: int,
    no_baseline: bool,
    json_path: Path | None,
) -> None:
    """Recall@1/5/10, MRR@10 and nDCG@10, overall and per question type, vs the baseline.

    A follow-up is searched as /ask resolves it from its history."""
    from eval.gold import GOLD_DIR
    from eval.run import RetrievalEvalError, run_retrieval_eval
    from index.snapshot import EncoderMismatchError, IndexNotFoundError

    gold = gold or GOLD_DIR
    questions = _gold_questions(gold, split)
    try:
        evaluation = run_retrieval_eval(
            settings,
            cli_encoder(settings),
            questions,
            k=top_k,
            baseline=not no_baseline,
            standalone=_local_standalone(),
        )
    except (IndexNotFoundError, EncoderMismatchError, RetrievalEvalError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"gold: {gold} ({len(questions)} questions, split {split})")
    click.echo(evaluation.table())
    out = json_path or settings.paths.var_dir / "eval" / f"{_report_name('retrieval', gold)}.json"
    evaluation.write_json(out)
    click.echo(f"\nwrote {out}")


@eval_group.command("answers")
@_GOLD_OPTION
@_SPLIT_OPTION
@click.option(
    "--url", default=None, help="Evaluate a running server (POST {url}/ask); default: in-process."
)
@click.option(
    "--top-k",
    "top_k",
    default=10,
    show_default=True,
    type=click.IntRange(1, 50),
    help="Contexts asked for per question (/ask's top_k).",
)
@click.option(
    "--json-out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the JSON report (overall, by type, one row per question) here.",
)
@click.pass_obj
def eval_answers(
    settings: Settings,
    gold: Path | None,
    split: str,
    url: str | None,
    top_k: int,
    json_out: Path | None,
) -> None:
    """Recall@k, fact coverage, citation precision/recall, first statement, declines and
    answer length, against targets; follow-ups are asked with their history.

    Writes var/eval/answers[-<gold name>].md, .json and .png.
    """
    from eval.answers import AnswerEvalError, http_ask, main_answers
    from eval.gold import GOLD_DIR
    from index.snapshot import EncoderMismatchError

    gold = gold or GOLD_DIR
    questions = _gold_questions(gold, split)
    meta = {
        "target": url or "in-process",
        "gold": str(gold),
        "split": split,
        "top_k": top_k,
        "encoder": None if url else settings.embedding.backend,
        "llm": settings.llm.model if settings.llm.enabled and not url else None,
    }
    try:
        if url:
            key = settings.api.api_key.get_secret_value() if settings.api.api_key else None
            ask = http_ask(url, key, top_k=top_k)
        else:
            ask = _local_ask(settings, top_k)
        main_answers(
            questions,
            ask,
            settings.paths.var_dir / "eval",
            name=_report_name("answers", gold),
            meta=meta,
            json_out=json_out,
        )
    except (AnswerEvalError, EncoderMismatchError) as error:
        raise click.ClickException(str(error)) from error


@eval_group.command("trace")
@click.option(
    "--gold",
    "gold_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Hand-labelled links (default: eval/gold/trace.jsonl).",
)
@click.option(
    "--json-out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the scores and every disagreement as JSON here.",
)
@click.pass_obj
def eval_trace(settings: Settings, gold_path: Path | None, json_out: Path | None) -> None:
    """Link precision and recall of the plan ↔ results trace of the current index, and
    metric-pair accuracy, against hand-labelled links."""
    from eval.trace import TRACE_GOLD, load_trace_gold, score_trace
    from index.generations import IndexDirectory
    from plantrace.store import load_trace

    generation = IndexDirectory(settings.paths.index_dir).current()
    if generation is None:
        raise click.ClickException(
            f"no index under {settings.paths.index_dir}; run 'planqa index' first"
        )
    gold_path = gold_path or TRACE_GOLD
    try:
        gold = load_trace_gold(gold_path)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    scores = score_trace(load_trace(generation), gold)
    click.echo(f"gold: {gold_path} ({len(gold)} measures); index: {generation.name}")
    click.echo(scores.table())
    for error in scores.errors:
        click.echo(f"  {error}")
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(scores.to_json(), ensure_ascii=False, indent=1))
        click.echo(f"wrote {json_out}")
