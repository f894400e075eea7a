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

from api.cli_encoder import cli_encoder
from api.cli_eval import eval_group
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


main.add_command(eval_group)  # planqa eval …: api/cli_eval.py


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
    encoder = cli_encoder(settings)
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
    encoder = cli_encoder(settings)
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
        searcher = load_searcher(settings, cli_encoder(settings))
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
    encoder = cli_encoder(settings)
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
            service = build_service(settings, cli_encoder(settings))
        except (EncoderMismatchError, ChromaUnavailableError, DiskFullError) as error:
            raise click.ClickException(str(error)) from error
    serve_stdio(service)


if __name__ == "__main__":
    main()
