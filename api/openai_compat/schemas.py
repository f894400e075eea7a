"""OpenAI's chat request and response shapes, as far as planqa reads and writes them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from answer.request_fields import NullMeansDefault, StrictBool, TopK, whole_number
from answer.schemas import AskResponse, Citation, Context
from api.openai_compat.parameters import document_accepted_arguments

MODEL_ID = "planqa"
MODEL_CREATED = 1_735_689_600  # 2025-01-01: a fixed date, so /v1/models is stable


# --- request --------------------------------------------------------------------------
# a whole number, true/false refused (answer/request_fields.py); its range is the contracts'
Count = Annotated[int, whole_number()]


class TextPart(BaseModel):
    """One part of a message given as a list; only text parts carry a question."""

    model_config = ConfigDict(extra="ignore")

    type: str
    text: str | None = None


def _kind_of(value: Any) -> str | None:
    """Which alternative a value is, read from its JSON type (None: neither), so a wrong
    value gets one error naming the field, not one per alternative under pydantic's type
    names (``content.str``, ``content.list[TextPart]``)."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "parts"
    if isinstance(value, dict):
        return "object"
    return None


# a message's content: text, or a list of parts ({"type": "text", "text": "…"})
Content = Annotated[
    Annotated[str, Tag("text")] | Annotated[list[TextPart], Tag("parts")],
    Discriminator(
        _kind_of,
        custom_error_type="text_or_parts",
        custom_error_message='Input should be a string or a list of parts ({"type": "text", '
        '"text": "…"})',
    ),
]
# a tool choice: "auto" / "none" / "required", or an object naming a tool
ToolChoice = Annotated[
    Annotated[str, Tag("text")] | Annotated[dict[str, Any], Tag("object")],
    Discriminator(
        _kind_of,
        custom_error_type="tool_choice_type",
        custom_error_message="Input should be 'auto', 'none' or an object naming a tool",
    ),
]


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")  # name, tool_calls … are not used

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: Content | None = None

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text or "" for part in self.content if part.type == "text")
        return self.content or ""

    @property
    def has_other_parts(self) -> bool:
        """True when the content holds a part that is not text (an image, audio, a file)."""
        return isinstance(self.content, list) and any(p.type != "text" for p in self.content)


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")

    include_usage: StrictBool = False


class ChatCompletionRequest(NullMeansDefault):
    """OpenAI's chat request. Every parameter OpenAI documents is accepted; those that tune
    sampling (temperature, max_tokens …) are not used: the answer is quoted from the plans,
    not sampled. An argument OpenAI does not document is refused with a 400 naming it, and
    so are output contracts planqa cannot keep (JSON output, a forced tool call, audio,
    several choices, log probabilities): api/openai_compat/contracts.py. A null is the
    parameter's default, as OpenAI reads it (answer/request_fields.py)."""

    # undeclared arguments are kept (model_extra) to be accepted or named in the refusal
    model_config = ConfigDict(extra="allow", json_schema_extra=document_accepted_arguments)

    model: str = Field(description=f"Must be '{MODEL_ID}' (GET /v1/models).")
    messages: list[ChatMessage] = Field(
        description="The last user message is the question; the latest user and assistant "
        "turns before it are the history; system and developer messages are not used."
    )
    stream: StrictBool = False
    stream_options: StreamOptions | None = Field(
        default=None,
        description="include_usage: a last chunk with usage (counted in characters).",
    )
    n: Count | None = Field(default=None, description="Only 1: there is one answer.")
    logprobs: StrictBool | None = Field(
        default=None, description="Not available: nothing is sampled."
    )
    top_logprobs: Count | None = Field(default=None, description="Not available.")
    response_format: dict[str, Any] | None = Field(
        default=None, description="Only {'type': 'text'}: the answer is quoted text."
    )
    tools: list[dict[str, Any]] | None = Field(
        default=None, description="Accepted and never called (chat clients send theirs)."
    )
    tool_choice: ToolChoice | None = Field(
        default=None, description="'auto' or 'none'; a required tool call is refused."
    )
    function_call: ToolChoice | None = Field(
        default=None, description="tool_choice's old name: 'auto' or 'none'; a call is refused."
    )
    modalities: list[str] | None = Field(default=None, description="Only ['text'].")
    audio: dict[str, Any] | None = Field(
        default=None, description="Not available: the answer is text."
    )
    top_k: TopK = Field(default=5, description="planqa: contexts to retrieve.")
    filters: dict[str, Any] = Field(
        default_factory=dict, description="planqa: source, section, kind, label."
    )


# --- response -------------------------------------------------------------------------
class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


PLANQA_CARD = ModelCard(id=MODEL_ID, created=MODEL_CREATED, owned_by="planqa")


class PlanqaExtra(BaseModel):
    """The /ask response without its answer text (that is the message content); a field
    /ask gains later travels along too."""

    model_config = ConfigDict(extra="allow")

    answered: bool
    citations: list[Citation]
    contexts: list[Context]
    mode: Literal["extractive", "llm"]
    question_used: str
    notes: list[str]

    @classmethod
    def of(cls, response: AskResponse) -> PlanqaExtra:
        return cls(**response.model_dump(exclude={"answer"}))


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Usage(BaseModel):
    """What was read and written, counted in characters, not tokens: planqa samples no
    tokens, and characters are what its own limits count (``api.max_question_chars``)."""

    prompt_tokens: int = Field(description="Characters of the question and the history used.")
    completion_tokens: int = Field(description="Characters of the message content.")
    total_tokens: int

    @classmethod
    def of(cls, prompt_chars: int, content: str) -> Usage:
        return cls(
            prompt_tokens=prompt_chars,
            completion_tokens=len(content),
            total_tokens=prompt_chars + len(content),
        )


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL_ID
    choices: list[Choice]
    usage: Usage = Field(description="Counted in characters, not tokens (see Usage).")
    planqa: PlanqaExtra = Field(description="Citations, contexts and notes of the answer.")


class OpenAIErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIErrorResponse(BaseModel):
    error: OpenAIErrorBody
