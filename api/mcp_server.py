"""planqa as an MCP server (``planqa mcp``, stdio): the tools ``ask``, ``search`` and
``page`` for assistants that call tools, answering with the HTTP API's shapes.

Each tool is one method of ``PlanqaTools`` named in ``TOOL_NAMES``, with a title and a
Japanese description in ``TITLES`` and ``JAPANESE`` (the docstring is the English one), and
annotated read-only. A tool returns the same pydantic model as its
HTTP route, so a client gets the JSON of /ask, /search or /refs/{label} both as the
structured result and as the text. An error a caller can act on (no index, an empty
question, a label no passage carries) is an error result with the API's bilingual message,
never a crash of the server.

stdout is the protocol channel: nothing else may write to it, so logging goes to stderr
and the index is loaded with stdout pointed at stderr.
"""

from __future__ import annotations

import inspect
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field, ValidationError

from answer.request_fields import TopK as WholeTopK
from answer.schemas import AskRequest, AskResponse, Context, Turn
from answer.service import AnswerService, IndexUnavailableError, QuestionError
from api.field_errors import field_problems
from api.label_messages import no_passage_message
from api.label_suggest import suggested_labels
from api.refs_view import ref_response
from api.schemas import RefResponse, SearchResponse
from api.trace import trace_lookup
from plantrace.view import TraceResponse

TOOL_NAMES = ("ask", "search", "page", "trace")
# What a client shows for each tool: a title, and a Japanese description before the English
# one (the method's docstring). All four only read the index.
TITLES = {
    "ask": "計画文書への質問 / Ask the plans",
    "search": "箇所の検索 / Search passages",
    "page": "ラベルの箇所 / What a label says",
    "trace": "計画と実績のつながり / Plan ↔ results trace",
}
JAPANESE = {
    "ask": "計画文書から質問に答えます（POST /ask と同じ）。回答の各文の後に根拠の【ラベル】が付き、"
    "計画に記載があるか（answered）、引用（citations）と箇所（contexts）を返します。",
    "search": "質問に近い箇所を順位付きで返します（POST /search と同じ）。回答は作りません。",
    "page": "ページラベル（中期P62、年度P47、資料1-3 P6）の箇所をすべて返します"
    "（GET /refs/{label} と同じ）。",
    "trace": "ラベルの前後のつながりを返します（GET /trace/{label} と同じ）。計画の施策には目標と"
    "第3期の実績を、実績のページにはそれを引き継ぐ第4期の施策を示します。",
}
READ_ONLY = {
    "read_only_hint": True,
    "destructive_hint": False,
    "idempotent_hint": True,
    "open_world_hint": False,
}
INSTRUCTIONS = (
    "planqa は日本年金機構の計画文書（第4期中期計画、令和6年度計画、業務実績報告書）に答えます。"
    "回答の各文には根拠のページが【中期P62】のようなラベルで付きます。ラベルの内容は page で読めます。"
    " / planqa answers from Japanese plan documents, citing the plan page of every statement "
    "with a 【label】; read what a label says with the page tool."
)

TopK = Annotated[
    WholeTopK | None,
    Field(description="取り出す箇所の数（null は 5） / Passages to retrieve (null: 5)."),
]
Filters = Annotated[
    dict[str, Any] | None,
    Field(
        description="絞り込み（任意） / Optional restrictions: source, section, kind, label "
        "(a value or a list).",
    ),
]


class PlanqaTools:
    """The MCP tools over one answer service; service errors become tool errors."""

    def __init__(self, service: AnswerService) -> None:
        self.service = service

    async def ask(
        self,
        question: Annotated[str, Field(description="質問（日本語） / The question, in Japanese.")],
        history: Annotated[
            list[Turn] | None,
            Field(
                description="これまでの会話（続きの質問のため） / Earlier turns "
                "({role: user|assistant, content}) for follow-ups.",
            ),
        ] = None,
        top_k: TopK = 5,
        filters: Filters = None,
    ) -> AskResponse:
        """Answer a question from the plans, as POST /ask: the answer with a 【label】 after
        each statement, whether the plans cover it (answered), citations and passages."""
        request = AskRequest(
            question=question, history=history or [], top_k=top_k or 5, filters=filters or {}
        )
        with tool_errors():
            return await self.service.answer(request)

    def search(
        self,
        query: Annotated[
            str, Field(description="探す内容（日本語） / What to look for, in Japanese.")
        ],
        top_k: TopK = 5,
        filters: Filters = None,
    ) -> SearchResponse:
        """Ranked passages for a query, as POST /search, without composing an answer."""
        with tool_errors():
            hits = self.service.search(query, top_k or 5, filters or {})
        return SearchResponse(results=[Context.from_chunk(h.chunk, h.score) for h in hits])

    def page(
        self,
        label: Annotated[
            str,
            Field(description="ページラベル / A plan-page label: 中期P62, 年度P47, 資料1-3 P6."),
        ],
    ) -> RefResponse:
        """What a plan-page label says, as GET /refs/{label}: every passage carrying it; a
        資料 page inside a section gives that section, named in section_start."""
        with tool_errors():  # no index: the snapshot too is an error result saying so
            found = ref_response(label, self.service)
        if found is None:
            held = self.service.snapshot().by_label
            raise ToolError(no_passage_message(label, suggested_labels(label, held)))
        return found

    def trace(
        self,
        label: Annotated[
            str,
            Field(
                description="計画または実績のラベル / A plan label (中期P46, 年度P47) or a "
                "results label (資料1-3 P61).",
            ),
        ],
        metric: Annotated[
            str | None,
            Field(
                description="先に示す指標 / a metric (応答率) whose figures come first.",
                max_length=200,
            ),
        ] = None,
    ) -> TraceResponse:
        """The plan ↔ results trace around a label, as GET /trace/{label}: a plan measure
        with its targets beside what the 3rd period achieved on the same topic (labels,
        heading, figures, quote), or a results section with the measures that continue it."""
        with tool_errors():
            found = trace_lookup(label, self.service, metric)
        if isinstance(found, str):  # as GET /trace says it: what to check, or to read the page
            raise ToolError(found)
        return found


@contextmanager
def tool_errors() -> Iterator[None]:
    """The service's errors for a caller, as the error result of the tool."""
    try:
        yield
    except (QuestionError, IndexUnavailableError) as error:
        raise ToolError(str(error)) from error


class PlanqaMCPServer(MCPServer):
    """The SDK's server, with a bilingual error result for arguments that do not fit a
    tool's input schema (the SDK's own is pydantic's English dump with a docs URL)."""

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        tool = self._tool_manager.get_tool(name)
        known = set(tool.parameters.get("properties", {})) if tool is not None else set()
        unknown = sorted(set(arguments or {}) - known)
        if tool is not None and unknown:
            # the SDK drops an argument it does not know: a caller's "limit" for top_k
            # would silently give five passages; /ask refuses an unknown field the same way
            raise ToolError(unknown_arguments(name, unknown))
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as error:
            if self._tool_manager.get_tool(name) is None:
                raise ToolError(
                    f"ツール '{name}' はありません（{'、'.join(TOOL_NAMES)} が使えます） / "
                    f"unknown tool '{name}': use one of {', '.join(TOOL_NAMES)}"
                ) from error
            if isinstance(error.__cause__, ValidationError):
                raise ToolError(invalid_arguments(name, error.__cause__)) from error.__cause__
            if type(error.__cause__) is ToolError:
                # planqa's own refusal (an unknown label, an empty question, no index): its
                # bilingual message as it is, without the SDK's English-only "Error
                # executing tool page: " before it. A crash stays the SDK's generic text.
                raise ToolError(str(error.__cause__)) from error.__cause__
            raise


def invalid_arguments(tool: str, error: ValidationError) -> str:
    """Each wrong argument by name, what to give instead in Japanese, then in English;
    never the value given (a caller's question) nor a URL."""
    japanese, english = field_problems(error.errors(include_url=False, include_input=False))
    return (
        f"ツール {tool} の引数が正しくありません（{'、'.join(japanese)}） / "
        f"invalid arguments for the tool {tool} ({'; '.join(english)}): see its input schema"
    )


def unknown_arguments(tool: str, names: list[str]) -> str:
    """Arguments a tool does not take, by name, said as ``invalid_arguments`` says them."""
    japanese, english = field_problems(
        {"loc": (name,), "type": "extra_forbidden", "msg": "Extra inputs are not permitted"}
        for name in names
    )
    return (
        f"ツール {tool} の引数が正しくありません（{'、'.join(japanese)}） / "
        f"invalid arguments for the tool {tool} ({'; '.join(english)}): see its input schema"
    )


def build_mcp_server(service: AnswerService) -> MCPServer:
    server = PlanqaMCPServer("planqa", instructions=INSTRUCTIONS, log_level="WARNING")
    tools = PlanqaTools(service)
    for name in TOOL_NAMES:
        method = getattr(tools, name)
        server.add_tool(
            method,
            name=name,
            title=TITLES[name],
            description=f"{JAPANESE[name]}\n\n{inspect.cleandoc(method.__doc__ or '')}",
            annotations=ToolAnnotations(title=TITLES[name], **READ_ONLY),
        )
    return server


@contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Anything printed meanwhile, by Python or by a native library, goes to stderr: the
    MCP client reads stdout as protocol messages."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def serve_stdio(service: AnswerService) -> None:
    """Serve the tools over stdin/stdout until the client closes stdin."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    build_mcp_server(service).run("stdio")


__all__ = [
    "TOOL_NAMES",
    "PlanqaMCPServer",
    "PlanqaTools",
    "build_mcp_server",
    "invalid_arguments",
    "serve_stdio",
    "unknown_arguments",
    "stdout_to_stderr",
]
