"""The chat page as a new user met it (stop 28's probe), in Debian's chromium against a real
loopback server: a decline shows each nearby passage once, a wrong key is not kept."""

from __future__ import annotations

import re
import shutil

import httpx
import pytest
from playwright.sync_api import expect
from support.chat_page import ask

from planqa.settings import ApiSettings

DESKTOP = {"width": 1280, "height": 900}
# Questions the plans do not cover; the first one the server declines is used.
UNANSWERABLE = (
    "年金事務所の駐車場は何台分ありますか？",
    "職員食堂のメニューは？",
    "年金事務所の窓口は何時から何時まで開いていますか？",
)
PASSAGE_LINE = re.compile(r"^・.*【[^【】]+】$")


def declined(server) -> tuple[str, dict]:
    for question in UNANSWERABLE:
        body = httpx.post(f"{server.url}/ask", json={"question": question}, timeout=60).json()
        if not body["answered"]:
            return question, body
    pytest.fail("the server answers every question of UNANSWERABLE; add one it declines")


def test_a_decline_shows_each_nearby_passage_once_as_a_button(open_chat, server):
    question, expected = declined(server)
    listed = [line for line in expected["answer"].split("\n") if PASSAGE_LINE.match(line)]
    assert listed, "the API's decline lists its nearest passages as ・…【label】 lines"
    for chat in open_chat(server.url):
        turn = ask(chat, question)
        expect(turn).to_have_attribute("data-state", "declined")
        reason = turn.locator(".notfound .reason").inner_text()
        kept = [line for line in expected["answer"].split("\n") if line not in listed]
        assert reason.split("\n") == kept  # what is missing and the promise, said once
        for line in listed:
            snippet = line[1:].split("【")[0].rstrip("…")[:20]
            shown = turn.locator(".notfound").inner_text().count(snippet)
            assert shown == 1, f"{snippet!r} is shown {shown} times"
        expect(turn.locator(".nearby button")).to_have_count(len(expected["contexts"]))


@pytest.fixture(scope="module")
def keyed(indexed_settings, use_encoder, launch):
    """A server of its own with PLANQA_API__KEYED_READS=true."""
    api = ApiSettings(api_key=indexed_settings.api.api_key, keyed_reads=True)
    yield from launch(indexed_settings.model_copy(update={"api": api}), use_encoder)


def test_a_wrong_key_is_refused_not_saved_and_the_right_one_is_kept(open_chat, keyed):
    key = keyed.settings.api.api_key.get_secret_value()
    for chat in open_chat(keyed.url):
        refused = ask(chat, "中期P62には何が書いてある？")
        expect(refused.locator(".error")).to_contain_text("（コード 401）")
        field, note = chat.locator("#api-key"), chat.locator("#key-note")

        field.fill("wrong-key-0000000000000000")
        field.press("Enter")
        expect(note).to_contain_text("このキーは受け付けられませんでした")
        expect(note).not_to_contain_text("保存しました")
        expect(field).to_be_focused()
        assert chat.evaluate("sessionStorage.getItem('planqa.apiKey')") is None

        field.fill(key)
        field.press("Enter")
        expect(note).to_contain_text("キーを保存しました")
        assert chat.evaluate("sessionStorage.getItem('planqa.apiKey')") == key
        answered = ask(chat, "中期P62には何が書いてある？")
        expect(answered).to_have_attribute("data-state", "answered")

        field.fill("another-wrong-key-000000000")
        field.press("Enter")
        expect(note).to_contain_text("このキーは受け付けられませんでした")
        assert chat.evaluate("sessionStorage.getItem('planqa.apiKey')") == key  # kept


def test_an_index_deleted_under_the_server_is_named_on_the_status_line(
    browser, writable_copy, use_encoder, launch, tmp_path
):
    """var/index removed while serving: the status line and a question's error say what
    happened and what to do, and the question stays in the box."""
    for server in launch(writable_copy(tmp_path), use_encoder):
        shutil.rmtree(server.settings.paths.index_dir)
        context = browser.new_context(viewport=DESKTOP, locale="ja-JP")
        context.set_default_timeout(20_000)
        chat = context.new_page()
        chat.goto(server.url)
        status = chat.locator("#health")
        expect(status).to_have_attribute("data-state", "no-index")
        expect(status).to_contain_text("削除されました")
        expect(status).to_contain_text("planqa index を実行")
        turn = ask(chat, "電話がつながる割合の目標は？")
        expect(turn).to_have_attribute("data-state", "error")
        expect(turn.locator(".error")).to_contain_text("（コード 503）")
        expect(turn.locator(".error")).to_contain_text("planqa index を実行")
        expect(chat.locator("#question")).to_have_value("電話がつながる割合の目標は？")
        context.close()


def test_nearby_passages_and_the_panel_show_pages_as_answers_cite_them(open_chat, server):
    # Stop 30's probe: a nearby passage read 「…報告書（案）　p.30　資料1-3 P87・資料1-4 P63」 —
    # the results file's own p.30, which holds no passage by that label, beside the labels
    # answers cite; the panel showed ページ p.2 beside 中期P14.
    question, expected = declined(server)
    contexts = expected["contexts"]
    labelled = [i for i, c in enumerate(contexts) if c["refs"]]
    assert labelled, "the decline should list a passage with plan-page labels"
    for chat in open_chat(server.url):
        turn = ask(chat, question)
        expect(turn).to_have_attribute("data-state", "declined")
        wheres = turn.locator(".nearby .where")
        expect(wheres).to_have_count(len(contexts))
        for index in labelled:
            context = contexts[index]
            where = wheres.nth(index).inner_text()
            assert "・".join(context["labels"]) in where, where
            assert f"p.{context['page']}" not in where.replace("・".join(context["labels"]), "")
        turn.locator(".nearby button").nth(labelled[0]).click()
        panel = chat.locator("#passage")
        expect(panel).to_be_visible()
        chips = panel.locator(".chips li")
        expect(chips).to_have_count(len(contexts[labelled[0]]["labels"]))
        expect(panel.locator("dt", has_text="ページ")).to_have_count(0)


def test_a_passage_cited_by_its_own_page_still_shows_that_page(open_chat, server):
    labels = server.app.state.service.snapshot().by_label
    own = next(label for label in labels if label.startswith("overview p."))
    page_number = own.split("p.")[-1]
    for chat in open_chat(server.url):
        turn = ask(chat, f"{own}の内容を教えて")
        expect(turn).to_have_attribute("data-state", "answered")
        turn.locator(f'.cite[data-label="{own}"]').first.click()
        panel = chat.locator("#passage")
        expect(panel.locator("dd", has_text=f"p.{page_number}")).to_have_count(1)
