"""The ``planqa`` command: a thin click layer over the library.

Errors a person can act on become ``click.ClickException``; a run with failed files exits
non-zero after ingesting everything else.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ingest.errors import bilingual
from ingest.pipeline import IngestReport, expand_paths, ingest_file
from planqa.settings import Settings, invalid_settings_message

PROGRESS_THRESHOLD = 3  # show a progress bar from this many files on


@click.group()
@click.version_option(package_name="planqa")
@click.pass_context
def main(ctx: click.Context) -> None:
    """planqa: 計画文書への質問応答 / retrieval Q&A over plan documents."""
    try:
        ctx.obj = Settings()
    except ValidationError as error:
        raise click.ClickException(invalid_settings_message(error)) from None


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
            console.print(
                f"[red]エラー / error[/red] {escape(failure.path)}: {bilingual(failure.error)}",
                soft_wrap=True,
            )
        sys.exit(1)


def run_ingest(paths: list[Path], settings: Settings, console: Console) -> IngestReport:
    files, failures = expand_paths(paths)
    report = IngestReport(files=list(failures))
    bounds = {
        "max_chars": settings.chunking.max_chars,
        "max_chunk_chars": settings.chunking.max_chunk_chars,
    }
    if len(files) < PROGRESS_THRESHOLD:
        report.files.extend(ingest_file(path, **bounds) for path in files)
        return report
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(files))
        for path in files:
            progress.update(task, description=path.name)
            report.files.append(ingest_file(path, **bounds))
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
            bilingual(result.error) if result.error else "",
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
    from index.encoders import EncoderError, configured_encoder

    try:
        return configured_encoder(settings)
    except EncoderError as error:
        raise click.ClickException(str(error)) from error


@main.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="Also drop indexed documents whose file is gone.")
@click.pass_obj
def index_command(settings: Settings, paths: tuple[Path, ...], prune: bool) -> None:
    """Add or update plan files in the search index (default: the data folder).

    Every other indexed document is kept; a folder given drops the documents whose file left
    it, --prune those whose file is gone anywhere, 'planqa remove' the ones named. Unchanged
    texts keep their embeddings; the new index replaces the old one atomically. Each phase
    is shown with counts, rate and time (a bar on a terminal, log lines otherwise).
    """
    from api.cli_index import console, print_report, run_build

    out = console()
    encoder = _encoder(settings)
    report = run_build(list(paths) or [settings.paths.data_dir], settings, encoder, prune=prune)
    print_report(report, encoder, out)
    from index.chive_missing import sentence_vectors_missing

    if missing := sentence_vectors_missing(settings):
        out.print(missing, soft_wrap=True, markup=False)
    if report.failures:
        sys.exit(1)


@main.command()
@click.argument("names", nargs=-1, required=True)
@click.option(
    "--delete-file",
    is_flag=True,
    help="Also delete the document's file when it lies in the data folder.",
)
@click.pass_obj
def remove(settings: Settings, names: tuple[str, ...], delete_file: bool) -> None:
    """Drop documents (by file name, as 'planqa index' lists them) from the index.

    Files are left alone unless --delete-file: a file still in the data folder comes back
    with the next 'planqa index' of that folder (or POST /index)."""
    from api.cli_index import console, data_folder_files, print_report, run_build

    out = console()
    encoder = _encoder(settings)
    files = data_folder_files(names, settings)
    report = run_build([], settings, encoder, remove=names)
    print_report(report, encoder, out)
    for path in files:
        if delete_file:
            path.unlink(missing_ok=True)
            out.print(f"deleted {path}", markup=False)
        else:
            out.print(
                f"note: {path} is still in the data folder; the next 'planqa index' adds it "
                "again (delete it, or use --delete-file)",
                markup=False,
            )


@main.command()
@click.argument("query")
@click.option("--k", "top_k", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def search(settings: Settings, query: str, top_k: int, as_json: bool) -> None:
    """Print the chunks ranked for QUERY, with their labels and scores."""
    from index.loader import load_searcher
    from index.snapshot import EncoderMismatchError, IndexNotFoundError
    from planqa.disk_full import DiskFullError

    if not query.strip():
        raise click.ClickException(
            "検索する語が空です。語を入れてください / the query is empty: give words to search for"
        )
    try:
        searcher = load_searcher(settings, _encoder(settings))
    except (IndexNotFoundError, EncoderMismatchError, DiskFullError) as error:
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


@main.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="Port (default 8000).")
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None) -> None:
    """Serve the API and the chat page; index the data folder first if no index exists.

    Uploads a killed server left unindexed are finished (or undone) in the background."""
    import uvicorn

    from api.app import build_service, create_app
    from api.port_check import PortUnavailableError, ensure_port_free
    from index.chroma_probe import ChromaUnavailableError
    from index.generations import IndexDirectory
    from index.snapshot import EncoderMismatchError
    from planqa.disk_full import DiskFullError

    host = host or settings.api.host
    port = port or settings.api.port
    try:  # before indexing: a port in use is said at once, not after the build
        ensure_port_free(host, port)
    except PortUnavailableError as error:
        raise click.ClickException(str(error)) from error
    encoder = _encoder(settings)
    if IndexDirectory(settings.paths.index_dir).current() is None:
        click.echo(f"no index yet: indexing {settings.paths.data_dir} first …")
        from api.cli_index import run_build  # the phases, as `planqa index` shows them
        from index.build.builder import IndexBuildError

        try:
            report = run_build([settings.paths.data_dir], settings, encoder)
        except (IndexBuildError, ChromaUnavailableError) as error:
            raise click.ClickException(str(error)) from error
        if report.reason:  # as `planqa index` says it: why this index was built
            click.echo(report.reason)
        click.echo(f"indexed {report.chunks} chunks in {report.seconds:.1f} s")
    try:
        service = build_service(settings, encoder)
    except (EncoderMismatchError, ChromaUnavailableError, DiskFullError) as error:
        raise click.ClickException(str(error)) from error
    _finish_interrupted_uploads(settings, service)
    settings.api.host = host  # the Host names the server answers to include the bound one
    click.echo(f"planqa: http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    if settings.api.access_log:
        from api.access_log import log_to_stderr

        log_to_stderr()
    uvicorn.run(create_app(settings, service), host=host, port=port, log_level="warning")


def _finish_interrupted_uploads(settings: Settings, service) -> None:
    """Uploads a killed server left in the data folder unindexed are finished (or undone)
    in the background, the loaded index answering meanwhile (api/upload_journal.py)."""
    import threading

    from api.upload_journal import finish_interrupted_uploads, interrupted_uploads
    from api.uploads import STAGING_DIR

    pending = interrupted_uploads(settings.paths.data_dir, STAGING_DIR)
    if not pending:
        return
    click.echo(
        f"finishing {len(pending)} upload(s) cut short by a stop of the server: "
        + ", ".join(journal.name for journal in pending)
    )
    threading.Thread(
        target=finish_interrupted_uploads,
        args=(settings.paths.data_dir, STAGING_DIR, service.live.rebuild),
        name="planqa-upload-recovery",
        daemon=True,
    ).start()


@main.command()
@click.pass_obj
def mcp(settings: Settings) -> None:
    """Serve ask, search, page and trace as MCP tools over stdio (for assistants that call tools).

    Reads the existing index (run 'planqa index' first); messages go to stderr."""
    from api.app import build_service
    from api.mcp_server import serve_stdio, stdout_to_stderr
    from index.chroma_probe import ChromaUnavailableError
    from index.snapshot import EncoderMismatchError
    from planqa.disk_full import DiskFullError

    with stdout_to_stderr():
        try:
            service = build_service(settings, _encoder(settings))
        except (EncoderMismatchError, ChromaUnavailableError, DiskFullError) as error:
            raise click.ClickException(str(error)) from error
    serve_stdio(service)


if __name__ == "__main__":
    main()
