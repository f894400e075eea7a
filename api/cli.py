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


if __name__ == "__main__":
    main()
