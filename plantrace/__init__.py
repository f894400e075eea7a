"""The plan ↔ results trace: each measure of a mid-term plan beside what the period before
achieved on the same topic, built at index time from the documents' own structure."""

from plantrace.link_model import LinkModel, LinkModelError
from plantrace.linker import LinkParameters, build_trace
from plantrace.model import Figure, Link, Measure, Section, Trace
from plantrace.overrides import Overrides, TraceOverrideError

__all__ = [
    "Figure",
    "Link",
    "LinkModel",
    "LinkModelError",
    "LinkParameters",
    "Measure",
    "Overrides",
    "Section",
    "Trace",
    "TraceOverrideError",
    "build_trace",
]
