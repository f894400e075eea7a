"""Where an answer's characters and its imprecise citations go, per set.

Each labelled question of own dev, own fresh (test split), the outside set and the training
questions (eval/gold/train/, when present) is answered in
process (top_k 10, shipped settings). Every answered answer is split into what it is made of:
the first statement's text, the further statements the selection picked, the statements the
trace added for the other side, the 【label】 blocks and the line breaks; for answerable
questions, each further statement is marked by whether it states a gold fact no other
statement of the answer states (needed) or not. Every cited label the eval counts wrong
(eval/answer_metrics.citation_precision: not a gold label, and no context carrying it holds
the evidence) is put in one category by the statement citing it: the first statement's
passage, a further statement's passage (holding a fact or not), a trace side added (to a
question that compares both or not), a table span quoted with its header line. The first
statement is also read for the clause cut (answer/clause.py): how many first statements are
long, whether the question asks for a figure, and the shortest run of its clauses holding
every gold fact it holds (what a perfect cut could save). Counts and medians only, never a
question.

    .venv/bin/python bench/compose_breakdown.py [--outside PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import answer.compose as compose_stage  # noqa: E402
from answer.clause import _CLAUSE_END  # noqa: E402
from answer.figures import asked_figure  # noqa: E402
from answer.schemas import AskRequest  # noqa: E402
from api.app import build_service  # noqa: E402
from eval.answer_metrics import _chunks_by_label, chunk_texts, holds_evidence  # noqa: E402
from eval.gold import OUTSIDE_SET, TRAIN_DIR, GoldQuestion, load_gold  # noqa: E402
from eval.labels import LABEL_GROUP, is_plan_page, matchable  # noqa: E402
from planqa.settings import Settings  # noqa: E402

LONG = (60, 80, 100, 150)  # first-statement lengths reported


@dataclass
class Tally:
    answered: int = 0
    total: list[int] = field(default_factory=list)
    first: list[int] = field(default_factory=list)
    further: list[int] = field(default_factory=list)
    trace: list[int] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)
    further_needed: int = 0
    further_unneeded: int = 0
    further_needed_chars: int = 0
    further_unneeded_chars: int = 0
    answers_with_further: int = 0
    answers_needing_further: int = 0
    wrong: Counter[str] = field(default_factory=Counter)
    wrong_questions: Counter[str] = field(default_factory=Counter)
    cited: int = 0
    table_spans: int = 0
    table_span_chars: int = 0
    trace_sides: Counter[str] = field(default_factory=Counter)
    first_long: Counter[str] = field(default_factory=Counter)
    clause_saving: list[int] = field(default_factory=list)


def _has(text: str, fact: str) -> bool:
    return matchable(fact) in matchable(text)


def _shortest_clause_run(sentence: str, facts: list[str]) -> str | None:
    """The shortest run of ``sentence``'s clauses (split after 、) holding every fact it
    holds; None when it holds none."""
    held = [f for f in facts if _has(sentence, f)]
    if not held:
        return None
    clauses = _CLAUSE_END.split(sentence)
    best = sentence
    for start in range(len(clauses)):
        for end in range(start + 1, len(clauses) + 1):
            run = "".join(clauses[start:end]).removesuffix("、")
            if len(run) < len(best) and all(_has(run, f) for f in held):
                best = run
    return best


def read(service, question: GoldQuestion, seen: dict, tally: Tally) -> None:
    seen.clear()
    request = AskRequest(question=question.question, history=question.history_messages(), top_k=10)
    response = asyncio.run(service.answer(request)).model_dump()
    if not response["answered"]:
        return
    answer = response["answer"]
    tally.answered += 1
    tally.total.append(len(answer))
    label_chars = sum(len(m.group(0)) for m in LABEL_GROUP.finditer(answer))
    tally.labels.append(label_chars)
    tally.breaks.append(answer.count("\n"))
    if "final" not in seen:  # a page digest or a named page: no selection split
        tally.first.append(len(answer) - label_chars - answer.count("\n"))
        tally.further.append(0)
        tally.trace.append(0)
        return
    picked, final = seen["picked"], seen["final"]
    lengths = [len(p.shown) + (not p.shown.endswith(("。", "）", "」", ")"))) for p in final]
    for item, length in zip(final, lengths, strict=True):
        if "\n" in item.quote.strip():  # a table's header line quoted with its row
            tally.table_spans += 1
            tally.table_span_chars += length
    if len(final) > len(picked):
        tally.trace_sides["comparing" if seen["compares"] else "not comparing"] += 1
    tally.first.append(lengths[0])
    tally.further.append(sum(lengths[1 : len(picked)]))
    tally.trace.append(sum(lengths[len(picked) :]))
    if not question.answerable:
        return
    facts = list(question.facts)
    first = final[0].shown
    figure = asked_figure(question.question)
    for size in LONG:
        if len(first) > size:
            tally.first_long[f"longer than {size}"] += 1
            if figure is not None:
                tally.first_long[f"longer than {size}, figure asked"] += 1
    run = _shortest_clause_run(first, facts)
    if run is not None and len(first) > LONG[0]:
        tally.clause_saving.append(len(first) - len(run))
    if len(picked) > 1:
        tally.answers_with_further += 1
    needs = False
    for index in range(1, len(picked)):
        others = " ".join(p.shown for j, p in enumerate(final) if j != index)
        needed = any(_has(final[index].shown, f) and not _has(others, f) for f in facts)
        needs = needs or needed
        if needed:
            tally.further_needed += 1
            tally.further_needed_chars += lengths[index]
        else:
            tally.further_unneeded += 1
            tally.further_unneeded_chars += lengths[index]
    tally.answers_needing_further += needs
    _wrong_citations(response, question, picked, final, tally, compares=seen["compares"])


def _wrong_citations(
    response, question: GoldQuestion, picked, final, tally: Tally, *, compares: bool
) -> None:
    gold = {matchable(label) for label in question.labels}
    texts, owners = chunk_texts(response), _chunks_by_label(response)

    def correct(label: str) -> bool:
        key = matchable(label)
        if key in gold or not is_plan_page(label):
            return True
        return any(
            holds_evidence(texts.get(chunk, ""), question.evidence) for chunk in owners.get(key, ())
        )

    facts = list(question.facts)
    found: Counter[str] = Counter()
    seen_labels: set[str] = set()
    for index, item in enumerate(final):
        for label in item.chunk.labels:
            key = matchable(label)
            if key in seen_labels:
                continue
            seen_labels.add(key)
            tally.cited += 1
            if correct(label):
                continue
            holds_fact = any(_has(item.shown, f) for f in facts)
            if "\n" in item.quote.strip():
                category = "a table span quoted with its header line"
            elif index >= len(picked):
                category = "trace side added" + ("" if compares else " to a question not comparing")
            elif index == 0:
                category = "first statement's passage lacks the evidence"
            else:
                category = "further statement, passage lacks the evidence" + (
                    ", it states a fact" if holds_fact else ", it states no fact"
                )
            found[category] += 1
    for category, count in found.items():
        tally.wrong[category] += count
        tally.wrong_questions[category] += 1


def _median(values: list[int]) -> float:
    return float(statistics.median(values)) if values else 0.0


def report(name: str, tally: Tally) -> None:
    total = sum(tally.total) or 1
    print(f"### {name} ({tally.answered} answered)\n")
    print("| part | median chars | mean chars | share of all characters |")
    print("|---|---|---|---|")
    for part, values in (
        ("whole answer", tally.total),
        ("first statement", tally.first),
        ("further statements", tally.further),
        ("trace side added", tally.trace),
        ("【label】 blocks", tally.labels),
        ("line breaks", tally.breaks),
    ):
        mean = sum(values) / len(values) if values else 0.0
        print(f"| {part} | {_median(values):.0f} | {mean:.1f} | {sum(values) / total:.3f} |")
    print()
    print(
        f"Further statements (answerable): {tally.answers_with_further} answers have one or"
        f" more, {tally.answers_needing_further} need one (a gold fact no other statement"
        f" states); {tally.further_needed} statements needed ({tally.further_needed_chars}"
        f" chars), {tally.further_unneeded} not ({tally.further_unneeded_chars} chars)."
    )
    longs = ", ".join(f"{k} {v}" for k, v in sorted(tally.first_long.items()))
    print(f"First statements (answerable): {longs}.")
    if tally.clause_saving:
        print(
            f"A perfect clause cut (shortest clause run keeping every fact the first statement"
            f" holds, first statements over {LONG[0]} chars holding a fact):"
            f" {sum(1 for s in tally.clause_saving if s > 0)} of {len(tally.clause_saving)}"
            f" shorter, median saving {_median(tally.clause_saving):.0f} chars."
        )
    sides = ", ".join(f"{v} to a question {k}" for k, v in tally.trace_sides.items()) or "none"
    print(
        f"Table spans quoted with their header line: {tally.table_spans}"
        f" ({tally.table_span_chars} chars). Answers the trace added a side to: {sides}."
    )
    wrong = sum(tally.wrong.values())
    print(f"\nCited labels (answerable, distinct per answer): {tally.cited}, wrong {wrong}:\n")
    for category, count in tally.wrong.most_common():
        print(f"- {count} labels in {tally.wrong_questions[category]} questions: {category}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outside", type=Path, default=OUTSIDE_SET)
    args = parser.parse_args()
    service = build_service(Settings())
    seen: dict = {}
    complete = compose_stage.complete_sides

    def spy(analysis, picked, *rest, **options):
        final = complete(analysis, picked, *rest, **options)
        seen["picked"], seen["final"] = list(picked), list(final)
        seen["compares"] = analysis.wants_both_sides
        return final

    compose_stage.complete_sides = spy
    own = load_gold()
    sets = {
        "own dev": [q for q in own if q.split == "dev"],
        "fresh test": [q for q in own if q.split == "test"],
        "outside": load_gold(args.outside),
    }
    if TRAIN_DIR.is_dir():  # the questions written to fit the answer stage
        sets["own train"] = load_gold(TRAIN_DIR)
    print("# Where the characters and wrong citations go (bench/compose_breakdown.py)\n")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python"
        f" {platform.python_version()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.\n"
    )
    for name, questions in sets.items():
        tally = Tally()
        for question in questions:
            read(service, question, seen, tally)
        report(name, tally)
    print("Command: `.venv/bin/python bench/compose_breakdown.py`")


if __name__ == "__main__":
    main()
