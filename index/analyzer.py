"""Text → lexical terms for BM25, with Sudachi. One analyzer for documents and queries.

Which split mode and form work best is measured on the gold set (bench/lexical_modes.py);
every choice stays selectable. Plan-page labels (中期P62, 資料1-3 P6) are kept whole so a
query naming one can match it exactly.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from ingest.refs import label_spans
from ingest.sudachi import STOP_POS, analyze
from question.numerals import era_fiscal_years, numeral_word_terms

if TYPE_CHECKING:
    from planqa.settings import Settings

AnalyzerMode = Literal["A", "B", "C", "C+A"]
# Period and year names are one term each (第4期 vs 第3期, 令和5年度 vs 令和6年度): split
# into 第/4/期 they would match every period alike. Added beside the ordinary words.
_PERIOD_RE = re.compile(r"第\s*[0-9０-９]+\s*期|(?:令和|平成)\s*(?:[0-9０-９]{1,2}|元)\s*年度?")
# Punctuation-only or single kana tokens add noise and no meaning.
_NOISE_RE = re.compile(r"^[\W_ぁ-ゖー]$")


@dataclass(frozen=True, slots=True)
class AnalyzerConfig:
    mode: AnalyzerMode = "C+A"
    form: Literal["surface", "normalized"] = "normalized"
    drop_stopwords: bool = True
    synonyms: bool = False
    dictionary: str = "core"

    @property
    def key(self) -> str:
        """Names the analysis so an index built one way is never queried another way."""
        return f"{self.mode}/{self.form}/{int(self.drop_stopwords)}/{int(self.synonyms)}"


def analyzer_config(settings: Settings) -> AnalyzerConfig:
    """The configured analysis: a build records its key in the manifest, a reader opens
    only a generation analysed the same way (index/manifest.py)."""
    sudachi = settings.sudachi
    return AnalyzerConfig(
        mode=sudachi.split_mode,
        form=sudachi.form,
        drop_stopwords=sudachi.drop_stopwords,
        synonyms=sudachi.synonyms,
        dictionary=sudachi.dictionary,
    )


# Texts whose terms one process keeps: a question's sentences, headings and glossary
# phrases. The bundled plans have about 2,000 sentences and headings; room for several
# such corpora and the questions beside them.
TERM_CACHE_SIZE = 16384


class Analyzer:
    def __init__(self, config: AnalyzerConfig | None = None) -> None:
        self.config = config or AnalyzerConfig()

    def cached_terms(self, text: str) -> tuple[str, ...]:
        """``terms`` kept per process and configuration, not per index generation: the
        analysis of a text depends on nothing else, so a re-index finds the sentences it
        kept analysed and a server's first questions find the ones ``warm`` read."""
        return _cached_terms(self.config, text)

    def warm(self, texts: Iterable[str]) -> int:
        """Analyse ``texts`` now (at index load) rather than during a caller's question;
        at most the cache's size of them, since more would only evict each other.
        Returns how many were analysed."""
        done = 0
        for text in itertools.islice(texts, TERM_CACHE_SIZE // 2):
            _cached_terms(self.config, text)
            done += 1
        return done

    def terms(self, text: str) -> list[str]:
        """Terms of ``text`` in order (repeats kept: BM25 counts them)."""
        config = self.config
        terms: list[str] = []
        last = 0
        for span in label_spans(text):
            if span.start < last:
                continue
            terms.extend(self._words(text[last : span.start]))
            terms.extend(span.labels)
            last = span.end
        terms.extend(self._words(text[last:]))
        terms.extend(_period(m.group(0)) for m in _PERIOD_RE.finditer(text))
        # A Western fiscal year is also the era year the plans date by (2023年度 → 令和5年度).
        terms.extend(era_fiscal_years(text))
        if not config.drop_stopwords:
            return terms
        return [t for t in terms if not _NOISE_RE.match(t)]

    def _words(self, text: str) -> list[str]:
        if not text.strip():
            return []
        config = self.config
        base_mode = "C" if config.mode == "C+A" else config.mode
        tokens = analyze(
            text, base_mode, edition=config.dictionary, with_a_units=config.mode == "C+A"
        )
        words: list[str] = []
        for token in tokens:
            if config.drop_stopwords and (token.pos[0] in STOP_POS or not token.surface.strip()):
                continue
            form = token.form(config.form)
            words.append(form.lower())
            # 二十歳 (and ハタチ) is one common noun; the plans' 20歳 is two words. A name
            # written so (千歳, a place) is no age.
            if token.pos[1] == "普通名詞":
                words.extend(numeral_word_terms(token.normalized))
            if token.a_units:
                words.extend(unit.lower() for unit in token.a_units if unit != form)
            if config.synonyms:
                words.extend(f"syn:{group}" for group in token.synonym_groups)
        return words

    def counts(self, text: str) -> Counter[str]:
        return Counter(self.terms(text))


def _period(text: str) -> str:
    """``第４期`` → ``第4期``, ``令和 5 年度`` → ``令和5年度`` (元年 is 1)."""
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return compact.replace("元年", "1年")


@lru_cache(maxsize=TERM_CACHE_SIZE)
def _cached_terms(config: AnalyzerConfig, text: str) -> tuple[str, ...]:
    return tuple(Analyzer(config).terms(text))
