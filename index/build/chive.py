"""The build reads chiVe through the loader both halves share (index/chive.py)."""

from index.chive import ChiveVectors, chive_dir

__all__ = ["ChiveVectors", "chive_dir"]
