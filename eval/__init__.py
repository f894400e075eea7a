"""Evaluation: the gold set, metrics, and runners for retrieval (and answers)."""

from eval.gold import GoldQuestion, load_gold
from eval.metrics import ndcg_at, recall_at, reciprocal_rank
from eval.retrieval import NaiveBaseline, SystemReport, evaluate, format_table

__all__ = [
    "GoldQuestion",
    "NaiveBaseline",
    "SystemReport",
    "evaluate",
    "format_table",
    "load_gold",
    "ndcg_at",
    "recall_at",
    "reciprocal_rank",
]
