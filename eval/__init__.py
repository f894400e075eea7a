"""Evaluation: gold questions (ours and outside sets), metrics, and runners for retrieval and
answers. The answer runner is handed an ``ask`` callable; this package never imports the
answer engine or the HTTP API."""

from eval.answers import AnswerEvalError, AnswerReport, Ask, http_ask, main_answers, run_answer_eval
from eval.gold import GOLD_DIR, GoldQuestion, Turn, load_gold
from eval.metrics import hit_at, ndcg_at, recall_at, reciprocal_rank
from eval.retrieval import NaiveBaseline, SystemReport, evaluate, format_table

__all__ = [
    "GOLD_DIR",
    "AnswerEvalError",
    "AnswerReport",
    "Ask",
    "GoldQuestion",
    "NaiveBaseline",
    "SystemReport",
    "Turn",
    "evaluate",
    "format_table",
    "hit_at",
    "http_ask",
    "load_gold",
    "main_answers",
    "ndcg_at",
    "recall_at",
    "reciprocal_rank",
    "run_answer_eval",
]
