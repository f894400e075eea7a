"""Why ``planqa index`` rebuilds rather than keeping the live generation: the first reason.

A rebuild over unchanged files used to happen without a word, so a caller could not tell a
settings change from a damaged file or an upgrade. Each check of the up-to-date test
(index/build/builder.py) is made here in the same order, and the first one failing is
returned in Japanese and English; ``None`` means the live generation is kept as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.analyzer import AnalyzerConfig
from index.build.chunk_terms import analysed_with, analysis_key
from index.build.embedding_cache import encoder_key, revision_of
from index.build.embedding_step import same_vectors
from index.dense_sentences import DenseSentences, passage_sentences
from index.encoders import Encoder
from index.manifest import FORMAT_VERSION, Manifest
from index.sentence_file import SentenceFileError
from index.sentence_vectors import chive_edition, read_sentence_file
from ingest.model import Chunk
from planqa.settings import Settings
from plantrace.store import TraceBuild

# The analyser key's parts (AnalyzerConfig.key) and the settings that set them.
_ANALYSIS_SETTINGS = (
    "sudachi.split_mode",
    "sudachi.form",
    "sudachi.drop_stopwords",
    "sudachi.synonyms",
)


@dataclass(frozen=True)
class RebuildReason:
    japanese: str
    english: str

    def __str__(self) -> str:
        return f"作り直す理由: {self.japanese} / rebuilding because {self.english}"


def _settings_changed(names: Sequence[str]) -> RebuildReason:
    shown = ", ".join(names)
    return RebuildReason(f"設定が変わりました（{shown}）", f"settings changed ({shown})")


def rebuild_reason(
    previous: Path | None,
    manifest: Manifest,
    previous_chunks: Sequence[Chunk],
    previous_paths: dict[str, str],
    chunks: list[Chunk],
    paths: dict[str, str],
    encoder: Encoder,
    config: AnalyzerConfig,
    trace: TraceBuild,
    settings: Settings,
) -> RebuildReason | None:
    """The first reason the live generation ``previous`` cannot stand for these chunks."""
    retrieval = settings.retrieval
    if previous is None:
        return RebuildReason("索引がまだありません", "there is no index yet")
    if (
        manifest.get("format") != FORMAT_VERSION
        or manifest.get("ngram") is not True
        or manifest.get("text_terms") is not True
    ):
        return RebuildReason("索引の形式が新しくなりました", "the index format changed")
    if manifest.get("chroma") != ("http" if settings.chroma.host else "local"):
        return _settings_changed(["chroma.host"])
    if not same_vectors(manifest, encoder):
        return RebuildReason(
            f"エンコーダが変わりました（{manifest.get('encoder')} → {encoder.name}）",
            f"the encoder changed ({manifest.get('encoder')} → {encoder.name})",
        )
    if manifest.get("analyzer") != config.key:
        stored = str(manifest.get("analyzer", "")).split("/")
        now = config.key.split("/")
        changed = [
            name
            for index, name in enumerate(_ANALYSIS_SETTINGS)
            if index >= len(stored) or stored[index] != now[index]
        ]
        return _settings_changed(changed or list(_ANALYSIS_SETTINGS))
    for name in ("continued_weight", "sentence_vectors", "dense_sentences"):
        stored, now = manifest.get(name), getattr(retrieval, name)
        if (stored if name == "continued_weight" else bool(stored)) != now:
            return _settings_changed([f"retrieval.{name}"])
    if manifest.get("word_vectors") and manifest.get("chive", chive_edition()) != chive_edition(
        retrieval.chive_dir
    ):
        return _settings_changed(["retrieval.chive_dir"])
    if [c.id for c in previous_chunks] != [c.id for c in chunks] or previous_paths != paths:
        return RebuildReason("文書が変わりました", "the documents changed")
    if not trace.is_current(previous):
        return RebuildReason(
            "計画と実績の対応付けの設定が変わりました（trace.* / data/trace.txt）",
            "the trace settings or overrides changed (trace.*, data/trace.txt)",
        )
    if not analysed_with(previous, analysis_key(config)):
        return RebuildReason(
            "解析のコードか辞書が変わりました",
            "the analysis code or dictionary changed",
        )
    return _sentence_file_reason(previous, manifest, chunks, encoder, settings)


def _sentence_file_reason(
    generation: Path, manifest: Manifest, chunks: list[Chunk], encoder: Encoder, settings: Settings
) -> RebuildReason | None:
    """Each sentence-vector file the settings ask for is there, readable, of this format
    and made from these sentences by this encoder (chiVe, SIF parameters): a missing or
    damaged one is rebuilt with its generation, its vectors from the embedding cache."""
    retrieval = settings.retrieval
    file = "dense sentence-vector file"
    try:
        if retrieval.dense_sentences:
            stored = DenseSentences.read(generation, encoder.name, revision_of(encoder))
            if stored.encoder != encoder_key(encoder) or stored.texts != passage_sentences(chunks):
                return _stale(file)
            if stored.vectors.shape[1] != manifest.get("dim"):
                return _stale(file)
        # chiVe vectors are written only where chiVe is installed (the neighbour table).
        file = "chiVe sentence-vector file"
        if retrieval.sentence_vectors and manifest.get("word_vectors"):
            texts, _ = read_sentence_file(
                generation,
                settings.sudachi.dictionary,
                chive=chive_edition(retrieval.chive_dir),
            )
            if texts != passage_sentences(chunks):
                return _stale(file)
    except SentenceFileError as error:
        return RebuildReason(
            f"{file} が使えません（{error.japanese}）", f"the {file}: {error.english}"
        )
    return None


def _stale(file: str) -> RebuildReason:
    return RebuildReason(
        f"{file} が今の文書・エンコーダのものではありません", f"the {file} is out of date"
    )
