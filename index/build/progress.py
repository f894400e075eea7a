"""What a long index build tells the person waiting: phases with counts, rate and time.

The builder only calls ``phase(name, total)``, ``advance(n)`` and ``done()``; the CLI picks
how that is shown. On a terminal a rich bar; otherwise (piped, CI logs, ``serve`` under a
process manager) one log line when a phase starts, one per 10 % of it and one when it
ends, so a log shows where a build is and how fast it goes without a line per chunk.
"""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO, runtime_checkable

PHASES = ("read", "analyse", "embed", "write")


@runtime_checkable
class Progress(Protocol):
    def phase(self, name: str, total: int, unit: str = "chunks") -> None:
        """Start a phase of ``total`` units (ends the previous one)."""

    def advance(self, n: int = 1) -> None: ...

    def done(self) -> None:
        """End the current phase (and the build's reporting, if it was the last)."""


class NoProgress:
    """The default for library callers (the server's re-index, tests): says nothing."""

    def phase(self, name: str, total: int, unit: str = "chunks") -> None:
        return None

    def advance(self, n: int = 1) -> None:
        return None

    def done(self) -> None:
        return None


class _Phase:
    def __init__(self, name: str, total: int, unit: str) -> None:
        self.name = name
        self.total = max(0, total)
        self.unit = unit
        self.count = 0
        self.started = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @property
    def rate(self) -> float:
        elapsed = self.elapsed
        return self.count / elapsed if elapsed > 0 else 0.0


class LogProgress:
    """One line per phase start, per 10 % and per phase end, e.g.
    ``embed: 128/634 chunks (20%) 41.3 chunks/s 3.1 s``."""

    def __init__(self, stream: TextIO | None = None, prefix: str = "index") -> None:
        self.stream = stream or sys.stdout
        self.prefix = prefix
        self._phase: _Phase | None = None
        self._tenths = 0

    def _line(self, text: str) -> None:
        print(f"{self.prefix} {text}", file=self.stream, flush=True)

    def phase(self, name: str, total: int, unit: str = "chunks") -> None:
        self.done()
        self._phase = _Phase(name, total, unit)
        self._tenths = 0
        self._line(f"{name}: 0/{total} {unit}")

    def advance(self, n: int = 1) -> None:
        current = self._phase
        if current is None or n <= 0:
            return
        current.count += n
        if not current.total:
            return
        tenths = min(10, current.count * 10 // current.total)
        if tenths > self._tenths and tenths < 10:  # the 100 % line is the phase's end
            self._tenths = tenths
            self._line(
                f"{current.name}: {current.count}/{current.total} {current.unit} "
                f"({tenths * 10}%) {current.rate:.1f} {current.unit}/s {current.elapsed:.1f} s"
            )

    def done(self) -> None:
        current, self._phase = self._phase, None
        if current is None:
            return
        self._line(
            f"{current.name}: {current.count} {current.unit} done in {current.elapsed:.1f} s "
            f"({current.rate:.1f} {current.unit}/s)"
        )


class RichProgress:
    """A bar per phase on a terminal, each left on screen with its count and time.

    Redrawn when the build reports progress (at most every ``REDRAW`` seconds), not by
    rich's refresh thread: a build forks its Chroma writer and the encoder's workers only
    from a single-threaded process, so with that thread a build on a terminal embedded in
    one process and imported Chroma in its own time."""

    REDRAW = 0.1

    def __init__(self, console=None) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as Bars

        self._bars = Bars(
            TextColumn("{task.description:<8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[unit]}"),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console,
            auto_refresh=False,
        )
        self._drawn = 0.0
        self._task = None
        self._phase: _Phase | None = None
        self._started = False

    def phase(self, name: str, total: int, unit: str = "chunks") -> None:
        self.done()
        if not self._started:
            self._bars.start()
            self._started = True
        self._phase = _Phase(name, total, unit)
        self._task = self._bars.add_task(name, total=max(total, 1), unit=unit, rate="")
        self._redraw(force=True)

    def advance(self, n: int = 1) -> None:
        if self._task is None or self._phase is None:
            return
        self._phase.count += n
        self._bars.update(self._task, advance=n, rate=f"{self._phase.rate:.0f}/s")
        self._redraw()

    def done(self) -> None:
        if self._task is not None and self._phase is not None:
            completed = self._phase.count if self._phase.total else 1
            self._bars.update(self._task, completed=completed, rate=f"{self._phase.rate:.0f}/s")
            self._redraw(force=True)
        self._task, self._phase = None, None

    def _redraw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self._drawn >= self.REDRAW:
            self._drawn = now
            self._bars.refresh()

    def close(self) -> None:
        """Stop drawing (after the last phase, or when the build fails)."""
        self.done()
        if self._started:
            self._bars.stop()
            self._started = False


def progress_for(stream: TextIO | None = None, console=None) -> LogProgress | RichProgress:
    """A bar on a terminal, log lines otherwise."""
    stream = stream or sys.stdout
    if stream.isatty():
        return RichProgress(console)
    return LogProgress(stream)
