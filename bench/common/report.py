"""The lines every printed table of a bench script shares: the machine, a spread."""

from __future__ import annotations

import os
import platform
import shlex
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


def machine() -> str:
    """The CPU, the cores this process may use and the Python version."""
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    cpu = models[0] if models else platform.processor() or platform.machine()
    cores = len(os.sched_getaffinity(0))
    return f"{cores} cores (nproc), {cpu}, Python {platform.python_version()}"


def spread(values: list[float]) -> str:
    """Mean ± sample standard deviation (0 for one value), three decimals."""
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.fmean(values):.3f} ± {sd:.3f}"


def run_lines(started: float) -> list[str]:
    """The machine, date and wall time since ``started`` (``time.perf_counter``), and the
    command that printed the table."""
    return [
        f"Machine: {machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        f"Wall time: {time.perf_counter() - started:.0f} s.",
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python {shlex.join(sys.argv)}`",
    ]
