"""Staff corrections to the trace, without code: ``data/trace.txt``.

One link per line, a plan label and a results label: ``中期P46 = 資料1-3 P61`` adds the
link between every measure carrying 中期P46 and the results section carrying 資料1-3 P61;
``中期P46 != 資料1-3 P61`` removes it. ``#`` starts a comment. Label forms are those of
``/refs`` (中期Ｐ４６, 資料１－３ P61). A line that cannot be used stops the index build with
its file and line number, so a typo never silently changes what agents are shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scipy import sparse

from ingest.refs import normalize_label
from plantrace.model import Link, Measure, Section

_LINE = re.compile(r"^(?P<plan>.+?)\s*(?P<op>!=|=|＝|≠)\s*(?P<results>.+)$")


class TraceOverrideError(ValueError):
    """A line of the override file cannot be used; the message names file and line."""


@dataclass(frozen=True)
class Overrides:
    added: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()

    @classmethod
    def load(cls, path: Path | None) -> Overrides:
        if path is None or not path.exists():
            return cls()
        return cls.parse(path.read_text(encoding="utf-8"), str(path))

    @classmethod
    def parse(cls, text: str, name: str = "trace.txt") -> Overrides:
        added: list[tuple[str, str]] = []
        removed: list[tuple[str, str]] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            match = _LINE.match(line)
            if match is None:
                raise TraceOverrideError(
                    f"{name}:{number}: 「中期P46 = 資料1-3 P61」の形で書いてください / "
                    f"write a link as '中期P46 = 資料1-3 P61' or '中期P46 != 資料1-3 P61'"
                )
            plan = normalize_label(match["plan"])
            results = normalize_label(match["results"])
            if plan is None or not plan.startswith(("中期", "年度")):
                raise TraceOverrideError(
                    f"{name}:{number}: '{match['plan']}' は計画のラベル（中期P46, 年度P47）では"
                    f"ありません / is not a plan label (中期P46, 年度P47)"
                )
            if results is None or not results.startswith("資料"):
                raise TraceOverrideError(
                    f"{name}:{number}: '{match['results']}' は実績のラベル（資料1-3 P61）では"
                    f"ありません / is not a results label (資料1-3 P61)"
                )
            (removed if match["op"] in ("!=", "≠") else added).append((plan, results))
        return cls(tuple(added), tuple(removed))

    def apply(
        self,
        links: list[Link],
        measures: list[Measure],
        sections: list[Section],
        vectors: sparse.csr_matrix,
        position: dict[str, int],
    ) -> list[Link]:
        labels_of_measure = {m.chunk_id: set(m.labels) for m in measures}
        labels_of_section = {s.key: set(s.labels) for s in sections}

        def matches(link_pairs: tuple[tuple[str, str], ...], measure_id: str, key: str) -> bool:
            return any(
                plan in labels_of_measure[measure_id] and results in labels_of_section[key]
                for plan, results in link_pairs
            )

        kept = [
            link for link in links if not matches(self.removed, link.measure_id, link.section_key)
        ]
        present = {(link.measure_id, link.section_key) for link in kept}
        for measure in measures:
            for section in sections:
                pair = (measure.chunk_id, section.key)
                if pair in present or not matches(self.added, *pair):
                    continue
                members = [position[cid] for cid in section.chunk_ids]
                cosines = (vectors[position[measure.chunk_id]] @ vectors[members].T).toarray()
                slide = section.chunk_ids[int(cosines.argmax())]
                kept.append(Link(measure.chunk_id, section.key, 1.0, "override", slide))
                present.add(pair)
        return kept
