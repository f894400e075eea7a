"""Which decline path fired for each declined answerable question, and why.

Every question goes through the in-process answer service (``AnswerService.assess``, top_k
10). For each one declined the script prints the decline note, the decline model's
probability and each signal's share of the decision (weight × value, bias aside), the
rule signals that set a hard input (type_missing: the asked kind of answer; years_missing:
decline_years.py / calendar_years.py; a place asked: name_binding.py through type_missing),
where the gold evidence stands among the returned contexts (None: retrieval missed it),
and a cause: ``retrieval`` (no evidence in the contexts), ``selection`` (evidence in the
contexts, the first statement quotes none of it), ``model`` (the first statement holds it
and the model still declines), or ``rule`` when a rule signal fired with evidence quoted.

    python bench/caller_declines.py eval/gold/train/caller-2026-12-08.jsonl \
        [--question TEXT ...] [--out FILE]

Rows given with ``--question`` have no evidence: their cause is printed as ``-``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from answer.decline import DeclineSignals  # noqa: E402
from answer.retrieve import retrieve  # noqa: E402
from answer.schemas import AskRequest  # noqa: E402
from api.app import build_service  # noqa: E402
from planqa.settings import Settings  # noqa: E402
from question import analyse  # noqa: E402

RULE_SIGNALS = ("type_missing", "years_missing")


def _plain(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def _evidence_rank(evidence: list[str], texts: list[str]) -> list[int | None]:
    """Each evidence string's rank among the contexts (its first 25 characters), or None."""
    plain = [_plain(t) for t in texts]
    return [next((i for i, t in enumerate(plain) if _plain(e)[:25] in t), None) for e in evidence]


def _cause(row: dict, ranks: list[int | None], lead: str, signals: DeclineSignals | None) -> str:
    if not row.get("evidence"):
        return "-"
    if any(r is None for r in ranks):
        return "retrieval"
    if signals is not None and any(getattr(signals, s) for s in RULE_SIGNALS):
        return "rule"
    if all(_plain(e)[:25] in _plain(lead) for e in row["evidence"]):
        return "model"
    return "selection"


def _lead(service, question: str) -> str:
    """The first statement the selection picks (what the decline model weighed)."""
    analysis = analyse(question, [])
    picked = service.selection.picked(retrieve(service._searcher(), analysis, 10, None))
    return picked[0].quote if picked else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="*", type=Path)
    parser.add_argument("--question", action="append", default=[])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = [json.loads(line) for path in args.gold for line in path.open(encoding="utf-8")]
    rows += [{"id": f"q{i + 1}", "question": q} for i, q in enumerate(args.question)]
    service = build_service(Settings())
    model = service.decline_model
    lines = []
    counts: dict[str, int] = {}
    for row in rows:
        if row.get("answer") == "" or row.get("type") == "unanswerable":
            continue
        request = AskRequest(question=row["question"], history=row.get("history", []), top_k=10)
        response, signals = asyncio.run(service.assess(request))
        if response.answered:
            continue
        texts = [c.text for c in response.contexts]
        ranks = _evidence_rank(row.get("evidence", []), texts)
        lead = _lead(service, row["question"]) if not row.get("history") else ""
        cause = _cause(row, ranks, lead, signals)
        counts[cause] = counts.get(cause, 0) + 1
        lines.append(f"## {row['id']} {row['question']}")
        lines.append(f"- cause: {cause}; evidence at context {ranks}")
        lines.append(f"- note: {' / '.join(response.notes)}")
        lines.append(f"- first statement weighed: {lead[:90]}")
        if signals is not None:
            shares = {
                name: model.weights[name] * value
                for name, value in zip(DeclineSignals.names(), signals.vector(), strict=True)
                if model.weights[name] and value
            }
            z = model.bias + sum(shares.values())
            listed = ", ".join(
                f"{n} {v:+.2f}" for n, v in sorted(shares.items(), key=lambda x: x[1])
            )
            lines.append(f"- logit {z:+.2f} (bias {model.bias:+.2f}): {listed}")
            rules = [s for s in RULE_SIGNALS if getattr(signals, s)]
            lines.append(f"- rule signals set: {', '.join(rules) or 'none'}")
        lines.append("")
    total = sum(counts.values())
    summary = f"declined {total} of {len(rows)}: " + ", ".join(
        f"{k} {v}" for k, v in sorted(counts.items())
    )
    text = "\n".join([summary, "", *lines])
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
