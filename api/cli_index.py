"""What ``planqa index``, ``planqa remove`` and ``serve``'s first index print: the phases as
they run (index/build/progress.py) and, at the end, which documents were added, updated, removed
and kept, so nobody has to guess whether a command dropped something."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from index.build.builder import BuildReport, IndexBuildError, build_index
from index.build.progress import LogProgress, RichProgress, progress_for
from index.encoders import Encoder
from index.generations import IndexBusyError
from ingest.errors import bilingual
from planqa.disk_full import DiskFullError
from planqa.settings import Settings

NAMES_SHOWN = 8  # a long list of names is cut, the count is always whole


def console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 160)


def run_build(
    paths: Sequence[Path],
    settings: Settings,
    encoder: Encoder,
    *,
    prune: bool = False,
    remove: Sequence[str] = (),
    out: Console | None = None,
) -> BuildReport:
    """One build with progress shown; errors a person can act on become ClickException."""
    from index.chroma_probe import ChromaUnavailableError

    out = out or console()
    progress = progress_for(sys.stdout, out)
    try:
        return build_index(
            list(paths), settings, encoder, progress=progress, prune=prune, remove=remove
        )
    except (IndexBuildError, IndexBusyError, ChromaUnavailableError, DiskFullError) as error:
        raise click.ClickException(str(error)) from error
    finally:
        if isinstance(progress, RichProgress):
            progress.close()
        elif isinstance(progress, LogProgress):
            progress.done()


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return f": {shown}" + (f", … (+{more})" if more > 0 else "") if names else ""


def change_lines(report: BuildReport) -> list[str]:
    """``added 1: extra.txt`` and so on, one line per kind of change, each with its count."""
    changes = report.changes
    rows = (
        ("added", changes.added),
        ("updated", changes.updated),
        ("removed", changes.removed),
        ("unchanged", changes.unchanged),
        ("kept", changes.kept),
    )
    return [f"{label} {len(names)}{_names(names)}" for label, names in rows]


def print_report(report: BuildReport, encoder: Encoder, out: Console) -> None:
    if report.unchanged:
        out.print(f"index is up to date ({report.chunks} chunks) → {report.generation}")
    else:
        if report.reason:  # one line: the first reason the live index could not be kept
            out.print(report.reason, soft_wrap=True, markup=False)
        out.print(
            f"indexed {report.chunks} chunks with {encoder.name}: {report.embedded} embedded, "
            f"{report.reused} reused, {report.removed} removed, in {report.seconds:.1f} s "
            f"→ {report.generation}",
            soft_wrap=True,
        )
    for line in change_lines(report):
        out.print(f"documents {line}", soft_wrap=True, markup=False)
    for failure in report.failures:
        out.print(
            f"[red]エラー / error[/red] {escape(failure.path)}: {bilingual(failure.error or '')}",
            soft_wrap=True,
        )


def data_folder_files(names: Sequence[str], settings: Settings) -> list[Path]:
    """The files these indexed documents were read from that lie in the data folder (what
    the next ``planqa index`` with no path would read again)."""
    from index.build.document_set import read_generation
    from index.generations import IndexDirectory

    _, paths = read_generation(IndexDirectory(settings.paths.index_dir).current())
    data_dir = settings.paths.data_dir.resolve()
    found = []
    for name in names:
        path = Path(paths.get(name) or data_dir / name).resolve()
        if path.is_file() and data_dir in path.parents:
            found.append(path)
    return found
