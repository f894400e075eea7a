"""``planqa mcp`` driven by the MCP SDK's own client over stdio: the real command in a
subprocess, reading the session's test index. The tools answer with the JSON the HTTP API
gives for the same input (checked against the loopback server over the same index)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from click.testing import CliRunner
from mcp import Client, StdioServerParameters

from api.cli import main

ROOT = Path(__file__).resolve().parents[2]
PLANQA = Path(sys.executable).parent / "planqa"
QUESTION = "電話窓口の応答率はどこまで上げる目標？"
OPENER = "ねんきんネットを使ってもらうための施策は？"
LABEL = "中期P62"
# A passage with no plan-page reference is cited by its file's page; answers give such labels.
FILE_LABEL = "overview p.2"


def environment(var_dir: Path) -> dict[str, str]:
    return {
        "PLANQA_PATHS__VAR_DIR": str(var_dir),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PYTHONPATH": str(ROOT),  # this checkout's code, whichever one the venv was installed from
    }


def session(var_dir: Path, calls: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Spawn ``planqa mcp``, list its tools and make ``calls`` in one session; the results
    by position. One subprocess serves a whole module: loading the index is the slow part."""
    params = StdioServerParameters(
        command=str(PLANQA), args=["mcp"], env=environment(var_dir), cwd=ROOT
    )

    async def run() -> dict[str, Any]:
        async with Client(params) as client:
            tools = await client.list_tools()
            results = [await client.call_tool(name, arguments) for name, arguments in calls]
        return {"tools": tools.tools, "results": results}

    return anyio.run(run)


CALLS: list[tuple[str, dict[str, Any]]] = [
    ("ask", {"question": QUESTION}),
    ("ask", {"question": "それの目標は？", "history": "FILLED IN BY THE FIXTURE"}),
    ("search", {"query": QUESTION, "top_k": 3}),
    ("page", {"label": LABEL}),
    ("page", {"label": "中期P999"}),
    ("ask", {"question": "   "}),
    ("trace", {"label": "中期P46"}),
    ("trace", {"label": "中期P999"}),
    ("search", {"query": QUESTION, "top_k": 0}),
    ("ask", {"top_k": "many"}),
    ("summarise", {"question": QUESTION}),
    ("page", {"label": FILE_LABEL}),
    ("ask", {"question": "その件数は？"}),
    ("page", {"label": "中期計画の46ページ"}),
    ("trace", {"label": "中期計画P46"}),
    ("search", {"query": QUESTION, "top_k": True}),  # 15: not read as 1
    ("ask", {"question": QUESTION, "top_k": 2.5}),
    ("ask", {"question": QUESTION, "top_k": None, "filters": None, "history": None}),  # 17
    ("search", {"query": QUESTION, "top_k": None, "filters": None}),
    ("search", {"query": QUESTION, "limit": 3}),  # 19: not dropped in silence
]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def transcript(indexed_settings, server) -> dict[str, Any]:
    opener = httpx.post(f"{server.url}/ask", json={"question": OPENER}, timeout=60).json()
    history = [
        {"role": "user", "content": OPENER},
        {"role": "assistant", "content": opener["answer"]},
    ]
    calls = [(n, {**a, "history": history} if "history" in a else a) for n, a in CALLS]
    result = session(indexed_settings.paths.var_dir, calls)
    result["history"] = history
    return result


def test_lists_the_ask_search_page_and_trace_tools_with_their_parameters(transcript) -> None:
    tools = {tool.name: tool for tool in transcript["tools"]}
    assert set(tools) == {"ask", "search", "page", "trace"}
    assert set(tools["ask"].input_schema["properties"]) == {
        "question",
        "history",
        "top_k",
        "filters",
    }
    assert tools["ask"].input_schema["required"] == ["question"]
    assert tools["page"].input_schema["required"] == ["label"]
    assert all(tool.description for tool in tools.values())


def test_ask_gives_what_post_ask_gives(transcript, server) -> None:
    result = transcript["results"][0]
    expected = httpx.post(f"{server.url}/ask", json={"question": QUESTION}, timeout=60).json()
    assert not result.is_error
    assert result.structured_content == expected
    assert json.loads(result.content[0].text) == expected
    assert "【" in expected["answer"] and expected["citations"]


def test_ask_takes_the_history_of_a_follow_up(transcript, server) -> None:
    result = transcript["results"][1]
    body = {"question": "それの目標は？", "history": transcript["history"]}
    expected = httpx.post(f"{server.url}/ask", json=body, timeout=60).json()
    assert result.structured_content == expected
    assert expected["question_used"] != "それの目標は？"


def test_search_gives_what_post_search_gives(transcript, server) -> None:
    result = transcript["results"][2]
    body = {"query": QUESTION, "top_k": 3}
    expected = httpx.post(f"{server.url}/search", json=body, timeout=60).json()
    assert result.structured_content == expected
    assert len(expected["results"]) == 3


def test_page_gives_what_get_refs_gives(transcript, server) -> None:
    result = transcript["results"][3]
    expected = httpx.get(f"{server.url}/refs/{LABEL}", timeout=60).json()
    assert result.structured_content == expected
    assert expected["label"] == LABEL and expected["chunks"]


def test_an_unknown_label_is_an_error_result_in_both_languages(transcript) -> None:
    result = transcript["results"][4]
    assert result.is_error
    text = result.content[0].text
    assert "ラベル '中期P999' の箇所はありません" in text
    assert "no passage carries the label '中期P999'" in text


def test_an_empty_question_is_an_error_result_and_the_session_goes_on(transcript) -> None:
    result = transcript["results"][5]
    assert result.is_error and "質問が空です" in result.content[0].text


def test_without_an_index_tools_say_so_and_stdout_holds_only_protocol(tmp_path: Path) -> None:
    """Driven by hand to see the raw pipes: every stdout line is a JSON-RPC message, and the
    start-up warning about the missing index went to stderr."""
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "test", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "ask", "arguments": {"question": QUESTION}},
        },
    ]
    env = {**os.environ, **environment(tmp_path / "var")}
    process = subprocess.Popen(
        [str(PLANQA), "mcp"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    replies = []
    try:
        for message in messages:
            process.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
            process.stdin.flush()
            if "id" in message:
                replies.append(json.loads(process.stdout.readline()))
        rest, stderr = process.communicate(timeout=60)  # closes stdin: the server exits
    finally:
        process.kill()
    lines = [line for line in rest.splitlines() if line.strip()]
    assert all(json.loads(line)["jsonrpc"] == "2.0" for line in lines)
    assert replies[0]["result"]["serverInfo"]["name"] == "planqa"
    call = replies[1]["result"]
    assert call["isError"] is True
    assert "索引が読み込まれていません" in call["content"][0]["text"]
    assert f"no index under {tmp_path / 'var'}" in stderr and "no index under" not in rest


def test_trace_gives_what_get_trace_gives_and_refuses_an_unknown_label(transcript, server) -> None:
    result = transcript["results"][6]
    expected = httpx.get(f"{server.url}/trace/中期P46", timeout=60).json()
    assert result.structured_content == expected
    assert any(r["labels"][0] == "資料1-3 P61" for m in expected["measures"] for r in m["results"])
    unknown = transcript["results"][7]
    assert unknown.is_error and "つながりはありません" in unknown.content[0].text
    assert "を確かめてください / no plan measure" in unknown.content[0].text  # what to check


def test_tools_are_titled_read_only_and_described_in_japanese_then_english(transcript) -> None:
    for tool in transcript["tools"]:
        assert tool.title and " / " in tool.title and JAPANESE.search(tool.title)
        hints = tool.annotations
        assert hints.read_only_hint is True and hints.destructive_hint is False
        assert hints.idempotent_hint is True and hints.open_world_hint is False
        japanese, english = tool.description.split("\n\n", 1)
        assert JAPANESE.search(japanese) and english[:1].isascii()
        assert "\n " not in tool.description, f"{tool.name}: docstring indentation kept"
        for name, schema in tool.input_schema["properties"].items():
            japanese, _, english = schema["description"].partition(" / ")
            assert JAPANESE.search(japanese) and english, f"{tool.name}.{name}"


def test_wrong_arguments_are_a_bilingual_error_naming_each_argument_without_a_url(
    transcript,
) -> None:
    out_of_range, missing, unknown = transcript["results"][8:11]
    text = out_of_range.content[0].text
    assert out_of_range.is_error
    assert "ツール search の引数が正しくありません（top_k：1 以上にしてください）" in text
    assert "invalid arguments for the tool search (top_k: Input should be greater" in text
    text = missing.content[0].text
    assert "question：指定がありません" in text and "top_k：整数で指定してください" in text
    assert "question: Field required" in text
    for result in (out_of_range, missing):
        body = result.content[0].text
        assert "http" not in body and "pydantic" not in body and "input_value" not in body
    assert unknown.is_error
    assert "ツール 'summarise' はありません" in unknown.content[0].text
    assert "unknown tool 'summarise'" in unknown.content[0].text


def test_page_opens_a_files_own_label_an_answer_cites_as_get_refs_does(transcript, server) -> None:
    result = transcript["results"][11]
    expected = httpx.get(f"{server.url}/refs/{FILE_LABEL}", timeout=60).json()
    assert expected["label"] == FILE_LABEL and expected["chunks"]
    assert not result.is_error, result.content[0].text
    assert result.structured_content == expected


def test_ask_asks_what_a_demonstrative_with_no_conversation_points_at(transcript, server) -> None:
    result = transcript["results"][12]
    expected = httpx.post(f"{server.url}/ask", json={"question": "その件数は？"}, timeout=60).json()
    assert result.structured_content == expected
    assert expected["answered"] is False and expected["contexts"] == []
    assert "「その」が何を指すのか" in expected["answer"]


def test_page_and_trace_open_a_page_written_after_its_documents_name(transcript, server) -> None:
    page, trace = transcript["results"][13:15]
    assert not page.is_error, page.content[0].text
    assert page.structured_content == httpx.get(f"{server.url}/refs/中期P46", timeout=60).json()
    assert not trace.is_error, trace.content[0].text
    assert trace.structured_content == httpx.get(f"{server.url}/trace/中期P46", timeout=60).json()


def test_the_commands_help_names_every_tool_it_serves(transcript) -> None:
    # `planqa mcp --help` said "ask, search and page": the trace tool was missing
    help_text = CliRunner().invoke(main, ["mcp", "--help"]).output
    for tool in transcript["tools"]:
        assert tool.name in help_text, tool.name


def test_a_refusal_is_the_bilingual_message_alone_without_an_english_prefix(transcript) -> None:
    # the SDK put "Error executing tool page: " before planqa's Japanese and English
    for at in (4, 5, 7):  # an unknown page, an empty question, an unknown trace label
        result = transcript["results"][at]
        text = result.content[0].text
        assert result.is_error and JAPANESE.match(text), text
        assert "Error executing tool" not in text


def test_top_k_as_true_or_a_fraction_is_an_error_result_naming_its_range(transcript) -> None:
    for result in transcript["results"][15:17]:
        text = result.content[0].text
        assert result.is_error, text
        assert "top_k：整数で指定してください（1 から 50 まで" in text, text
        assert "top_k: Input should be a whole number from 1 to 50" in text, text


def test_null_arguments_are_their_defaults(transcript, server) -> None:
    asked, searched = transcript["results"][17:19]
    assert not asked.is_error and not searched.is_error, (asked, searched)
    expected = httpx.post(f"{server.url}/search", json={"query": QUESTION}, timeout=60).json()
    assert json.loads(searched.content[0].text) == expected
    assert len(json.loads(asked.content[0].text)["contexts"]) == 5


def test_an_argument_a_tool_does_not_take_is_an_error_result_naming_it(transcript) -> None:
    result = transcript["results"][19]
    text = result.content[0].text
    assert result.is_error, text
    assert "ツール search の引数が正しくありません（limit：この項目は使えません" in text, text
    assert "limit: Extra inputs are not permitted" in text, text
