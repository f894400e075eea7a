"""The ``planqa`` command: a thin click layer over the library.

Errors a person can act on become ``click.ClickException``; a run with failed files exits
non-zero after ingesting everything else.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ingest.pipeline import IngestReport, expand_paths, ingest_file
from planqa.settings import Settings

PROGRESS_THRESHOLD = 3  # show a progress bar from this many files on


@click.group()
@click.version_option(package_name="planqa")
@click.pass_context
def main(ctx: click.Context) -> None:
    """planqa: 計画文書への質問応答 / retrieval Q&A over plan documents."""
    ctx.obj = Settings()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the chunks as JSON Lines to this file.",
)
@click.pass_obj
def ingest(settings: Settings, paths: tuple[Path, ...], out: Path | None) -> None:
    """Parse plan files (.txt .md .pdf, UTF-8 or Shift_JIS) into chunks and print a summary.

    With no PATH, the bundled plans are ingested.
    """
    console = Console(width=None if sys.stdout.isatty() else 160)
    report = run_ingest(list(paths) or [settings.paths.data_dir], settings, console)
    console.print(summary_table(report))
    if out is not None:
        write_jsonl(report, out)
        console.print(f"wrote {len(report.chunks)} chunks to {out}")
    if report.failures:
        for failure in report.failures:
            console.print(f"[red]error[/red] {failure.path}: {failure.error}")
        sys.exit(1)


def run_ingest(paths: list[Path], settings: Settings, console: Console) -> IngestReport:
    files, failures = expand_paths(paths)
    report = IngestReport(files=list(failures))
    max_chars = settings.chunking.max_chars
    if len(files) < PROGRESS_THRESHOLD:
        report.files.extend(ingest_file(path, max_chars=max_chars) for path in files)
        return report
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(files))
        for path in files:
            progress.update(task, description=path.name)
            report.files.append(ingest_file(path, max_chars=max_chars))
            progress.advance(task)
    return report


def summary_table(report: IngestReport) -> Table:
    table = Table(title="planqa ingest", show_lines=False)
    for column in ("file", "format", "pages", "chunks", "by kind", "refs", "error"):
        table.add_column(column, overflow="fold")
    for result in report.files:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(result.kinds.items()))
        table.add_row(
            Path(result.path).name or result.path,
            result.format or "-",
            str(result.pages) if result.format else "-",
            str(len(result.chunks)),
            kinds or "-",
            str(len(result.refs)),
            result.error or "",
        )
    total = len(report.chunks)
    table.add_row(
        "total",
        "",
        "",
        str(total),
        "",
        str(len({r for f in report.files for r in f.refs})),
        f"{len(report.failures)} failed" if report.failures else "",
    )
    return table


def write_jsonl(report: IngestReport, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for chunk in report.chunks:
            handle.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
    tmp.replace(out)


def _encoder(settings: Settings):
    from index.encoders import EncoderError, build_encoder

    try:
        return build_encoder(
            settings.embedding.backend,
            query_prefix=settings.embedding.query_prefix,
            document_prefix=settings.embedding.document_prefix,
        )
    except EncoderError as error:
        raise click.ClickException(str(error)) from error


@main.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def index_command(settings: Settings, paths: tuple[Path, ...]) -> None:
    """Build or update the search index from plan files (default: the bundled plans).

    The index mirrors the given paths: unchanged chunks keep their embeddings, chunks of
    files no longer given are removed, and the new index replaces the old one atomically.
    """
    from index.builder import IndexBuildError, build_index
    from index.generations import IndexBusyError

    console = Console(width=None if sys.stdout.isatty() else 160)
    encoder = _encoder(settings)
    with Progress(
        TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    ) as progress:
        task = progress.add_task("embedding", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            report = build_index(
                list(paths) or [settings.paths.data_dir], settings, encoder, progress=advance
            )
        except (IndexBuildError, IndexBusyError) as error:
            raise click.ClickException(str(error)) from error
    if report.unchanged:
        console.print(f"index is up to date ({report.chunks} chunks) → {report.generation}")
    else:
        console.print(
            f"indexed {report.chunks} chunks from {len(report.files) - len(report.failures)} files "
            f"with {encoder.name}: {report.embedded} embedded, {report.reused} reused, "
            f"{report.removed} removed, in {report.seconds:.1f} s → {report.generation}"
        )
    for failure in report.failures:
        console.print(f"[red]error[/red] {failure.path}: {failure.error}")
    if report.failures:
        sys.exit(1)


@main.command()
@click.argument("query")
@click.option("--k", "top_k", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def search(settings: Settings, query: str, top_k: int, as_json: bool) -> None:
    """Print the chunks ranked for QUERY, with their labels and scores."""
    from index.loader import load_searcher
    from index.snapshot import EncoderMismatchError, IndexNotFoundError

    if not query.strip():
        raise click.ClickException("the query is empty")
    try:
        searcher = load_searcher(settings, _encoder(settings))
    except (IndexNotFoundError, EncoderMismatchError) as error:
        raise click.ClickException(str(error)) from error
    hits = searcher.search(query, top_k)
    if as_json:
        rows = [
            {
                "rank": rank,
                "score": round(hit.score, 6),
                "labels": list(hit.chunk.labels),
                **hit.chunk.to_dict(),
            }
            for rank, hit in enumerate(hits, start=1)
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"planqa search: {query}")
    for column in ("#", "score", "labels", "section / title", "text"):
        table.add_column(column, overflow="fold")
    for rank, hit in enumerate(hits, start=1):
        chunk = hit.chunk
        heading = " / ".join(p for p in (chunk.section, chunk.title) if p)
        table.add_row(
            str(rank), f"{hit.score:.4f}", "・".join(chunk.labels), heading, chunk.text[:160]
        )
    Console(width=None if sys.stdout.isatty() else 160).print(table)


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


@main.group("eval")
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
            _encoder(settings),
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


@main.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="Port (default 8000).")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None) -> None:
    """Serve the API and the chat page; index the data folder first if no index exists."""
    import uvicorn

    from api.app import build_service, create_app
    from index.generations import IndexDirectory
    from index.snapshot import EncoderMismatchError

    encoder = _encoder(settings)
    if IndexDirectory(settings.paths.index_dir).current() is None:
        click.echo(f"no index yet: indexing {settings.paths.data_dir} first …")
        from index.builder import IndexBuildError, build_index

        try:
            report = build_index([settings.paths.data_dir], settings, encoder)
        except IndexBuildError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"indexed {report.chunks} chunks in {report.seconds:.1f} s")
    try:
        service = build_service(settings, encoder)
    except EncoderMismatchError as error:
        raise click.ClickException(str(error)) from error
    host = host or settings.api.host
    port = port or settings.api.port
    click.echo(f"planqa: http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(settings, service), host=host, port=port, log_level="warning")


if __name__ == "__main__":
    main()
