"""A loaded generation is frozen out of the collector's full passes, and a replaced one is
still freed: frozen objects are never collected, so the live index unfreezes, collects and
freezes again whenever a generation closes (index/frozen_heap.py). Real builds, real
Chroma on disk."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.build.builder import build_index
from index.live import LiveIndex
from planqa.settings import PathSettings, Settings

LATER = "\n\n●南浜支所では、窓口の呼出し番号を画面にも表示する。\n"  # own wording: a new generation


def _tracked(thing: object) -> bool:
    """Whether the collector's generations hold ``thing`` (a frozen object is in none)."""
    return any(held is thing for held in gc.get_objects())


def _new_generation(corpus: Path, settings: Settings, encoder) -> None:
    plan = next(corpus.glob("*.txt"))
    plan.write_text(plan.read_text(encoding="utf-8") + LATER, encoding="utf-8")
    build_index([corpus], settings, encoder)


@pytest.fixture()
def live(corpus: Path, tmp_path: Path, use_encoder) -> Iterator[LiveIndex]:
    """A live index over the corpus, loaded (and so frozen)."""
    settings = Settings(paths=PathSettings(data_dir=corpus, var_dir=tmp_path / "var"))
    build_index([corpus], settings, use_encoder)
    live = LiveIndex(settings, use_encoder)
    try:
        live.load()
        yield live
    finally:
        live.close()


def test_a_loaded_generation_is_frozen_and_a_replaced_one_freed(
    live: LiveIndex, corpus: Path, use_encoder
):
    first = live.searcher
    assert first is not None
    assert not _tracked(first.snapshot.lexical)
    old_lexical = weakref.ref(first.snapshot.lexical)
    del first

    _new_generation(corpus, live.settings, use_encoder)
    assert live.load_published()
    assert old_lexical() is None  # no lease held it: closed, unfrozen and collected
    assert live.searcher is not None and not _tracked(live.searcher.snapshot.lexical)


def test_a_generation_leased_through_a_swap_is_freed_when_its_lease_ends(
    live: LiveIndex, corpus: Path, use_encoder
):
    with live.lease() as searcher:
        assert searcher is not None
        old_lexical = weakref.ref(searcher.snapshot.lexical)
        del searcher
        _new_generation(corpus, live.settings, use_encoder)
        assert live.load_published()
        assert old_lexical() is not None  # the request still reads it
    assert old_lexical() is None
