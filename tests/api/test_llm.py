"""LLM answers through LangChain against FakeOpenAI: a tiny OpenAI-compatible server the
test starts on loopback (a fake, because no real LLM endpoint exists on this machine)."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.app import build_service
from api.schemas import AskRequest, Turn
from planqa.settings import LlmSettings

Reply = Callable[[str], "str | int | float"]  # prompt → text, an HTTP status, or a delay (s)


class FakeOpenAI:
    """Answers POST /v1/chat/completions with whatever ``reply`` returns for the prompt."""

    def __init__(self) -> None:
        self.reply: Reply = lambda prompt: "ok"
        self.prompts: list[str] = []
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def completions(request: Request) -> JSONResponse:
            body = await request.json()
            prompt = body["messages"][-1]["content"]
            self.prompts.append(prompt)
            result = self.reply(prompt)
            if isinstance(result, float):
                await asyncio.sleep(result)
                result = "遅すぎる回答【中期P46】"
            if isinstance(result, int):
                return JSONResponse({"error": {"message": "boom"}}, status_code=result)
            return JSONResponse(
                {
                    "id": "fake-1",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": result},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
            )

        self.app = app


@pytest.fixture(scope="module")
def fake_llm(port_factory) -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI()
    port = port_factory()
    server = uvicorn.Server(
        uvicorn.Config(fake.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/v1"
    for _ in range(200):
        try:
            httpx.get(url, timeout=0.5)
            break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield fake, url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def service(indexed_settings, use_encoder, fake_llm):
    fake, url = fake_llm
    fake.prompts.clear()
    llm = LlmSettings(base_url=url, model="fake-model", timeout=2.0)
    settings = indexed_settings.model_copy(update={"llm": llm})
    return build_service(settings, use_encoder)


def first_label(prompt: str) -> str:
    return re.search(r"ラベル: ([^・\n]+)", prompt).group(1)


# One event loop for the module, as in the server: LangChain's OpenAI client keeps an HTTP
# connection pool bound to the loop it first ran on.
LOOP = asyncio.new_event_loop()


def ask(service, question: str, history: list[Turn] | None = None):
    request = AskRequest(question=question, history=history or [])
    return LOOP.run_until_complete(service.answer(request))


def test_valid_citations_are_kept_and_invented_ones_removed(service, fake_llm):
    fake, _ = fake_llm
    fake.reply = lambda p: f"応答率は70%以上を確保します。【{first_label(p)}・中期P999】"
    response = ask(service, "電話窓口の応答率はどこまで上げる目標？")
    assert response.mode == "llm" and response.answered
    assert "中期P999" not in response.answer
    assert response.citations and all(c.label != "中期P999" for c in response.citations)
    assert any("中期P999" in note for note in response.notes)
    context_ids = {c.chunk_id for c in response.contexts}
    assert all(c.chunk_id in context_ids for c in response.citations)
    prompt = fake.prompts[-1]
    assert "電話窓口の応答率はどこまで上げる目標？" in prompt  # the question goes in
    assert "【】" in prompt and "ラベル: " in prompt  # and the labels the model may cite


def test_no_valid_citation_falls_back_to_the_extractive_answer(service, fake_llm):
    fake, _ = fake_llm
    fake.reply = lambda p: "応答率は100%です。【中期P999】"
    response = ask(service, "電話窓口の応答率はどこまで上げる目標？")
    assert response.mode == "extractive" and response.answered
    assert any("no valid citation" in note for note in response.notes)


@pytest.mark.parametrize("failure", [500, 429, 5.0])
def test_endpoint_errors_and_timeouts_fall_back_with_the_reason(service, fake_llm, failure):
    fake, _ = fake_llm
    fake.reply = lambda p: failure
    started = time.perf_counter()
    response = ask(service, "電話窓口の応答率はどこまで上げる目標？")
    assert response.mode == "extractive" and response.answered
    assert any("LLM unavailable" in note for note in response.notes)
    assert time.perf_counter() - started < 4.5  # the 2 s timeout, not the 5 s delay


def test_the_model_saying_the_plans_do_not_cover_it_declines(service, fake_llm):
    fake, _ = fake_llm
    fake.reply = lambda p: "計画文書には該当する記載が見当たりません。"
    response = ask(service, "電話窓口の応答率はどこまで上げる目標？")
    assert response.answered is False and response.citations == []
    assert response.contexts


def test_a_follow_up_is_condensed_by_the_model(service, fake_llm):
    fake, _ = fake_llm

    def reply(prompt: str) -> str:
        if "書き換えて" in prompt:
            return "電話窓口の応答率はどこまで上げる目標？"
        return f"70%以上です。【{first_label(prompt)}】"

    fake.reply = reply
    history = [
        Turn(role="user", content="コールセンターの応答率は？"),
        Turn(role="assistant", content="…"),
    ]
    response = ask(service, "それの目標は？", history)
    assert response.question_used == "電話窓口の応答率はどこまで上げる目標？"
    assert response.mode == "llm"
    assert any("書き換えて" in p for p in fake.prompts)


UPLOAD = "支所メモ.txt"
UPLOAD_TEXT = (
    "# 東浜支所の窓口メモ\n\n"
    "●東浜支所では、障害年金の請求書類の一覧表を相談ブースごとに置き、来所前に電話で"
    "必要書類を案内する。[中期P46]\n"
)


@pytest.fixture()
def service_with_upload(writable_copy, use_encoder, fake_llm, tmp_path):
    """A service whose index holds a user's file citing 中期P46, answering through the fake."""
    from index.build.builder import build_index

    fake, url = fake_llm
    fake.prompts.clear()
    settings = writable_copy(tmp_path)
    (settings.paths.data_dir / UPLOAD).write_text(UPLOAD_TEXT, encoding="utf-8")
    build_index([settings.paths.data_dir], settings, use_encoder)
    llm = LlmSettings(base_url=url, model="fake-model", timeout=2.0)
    return build_service(settings.model_copy(update={"llm": llm}), use_encoder)


def test_the_model_may_cite_the_plan_page_a_users_file_cites(service_with_upload, fake_llm):
    fake, _ = fake_llm
    fake.reply = lambda p: f"一覧表を相談ブースごとに置きます。【{UPLOAD} p.1・中期P46】"
    response = ask(service_with_upload, "東浜支所では請求書類の一覧表をどこに置く？")
    # The passage is headed by its own page and the plan page it cites, as answers cite it
    # (before: its own page alone, so the model could not link the plan page it rests on).
    assert f"ラベル: {UPLOAD} p.1・中期P46\n" in fake.prompts[-1]
    assert response.mode == "llm" and response.answered, response
    cited = {c.label: c.document_title for c in response.citations}
    assert cited[f"{UPLOAD} p.1"] == "東浜支所の窓口メモ"
    assert cited["中期P46"] not in (None, "東浜支所の窓口メモ")  # the plan's title
