"""The chat page's 「ファイルを追加」 in Debian's chromium (Playwright): shown only when the server
takes uploads (it has a write key); the file chosen and the key entered go to POST /documents,
and the page says in Japanese what was added or why not, by keyboard alone, with no axe-core
violation while the form is open. A real server over loopback with a copy of the plans (an
upload changes its index), and one without a write key."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from support.chat_page import ask, axe_violations

from planqa.settings import ApiSettings

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
IPHONE = {"width": 375, "height": 667}
# How many lines an element's text takes: the distinct tops of its text's line boxes.
TEXT_LINES = """e => {
  const range = document.createRange();
  range.selectNodeContents(e);
  const rects = [...range.getClientRects()].filter(r => r.width > 0);
  return new Set(rects.map(r => Math.round(r.top))).size;
}"""
# own wording, about nothing the plans say: an answer quoting it came from the upload
MEMO = "北港出張所メモ\n\n北港出張所の臨時窓口は、毎月第二土曜日に開く。\n"
MEMO_QUESTION = "北港出張所の臨時窓口はいつ開く？"
# own wording, no line set apart as a title: the server titles it by the file's stem
UNTITLED = "南港出張所の臨時窓口は、毎月第一土曜日に開く。\n受付は午前九時からとする。\n"
WRONG_KEY = "not-the-key-0123456789"


@pytest.fixture(scope="module")
def writable(writable_copy, use_encoder, launch, tmp_path_factory):
    """A server with the write key over its own copy of the plans and their index."""
    yield from launch(writable_copy(tmp_path_factory.mktemp("upload-page")), use_encoder)


@pytest.fixture(scope="module")
def keyless(indexed_settings, use_encoder, launch):
    """A server with no write key: POST /documents is off."""
    yield from launch(indexed_settings.model_copy(update={"api": ApiSettings()}), use_encoder)


@pytest.fixture
def memo(tmp_path: Path) -> Path:
    path = tmp_path / "北港メモ.txt"
    path.write_text(MEMO, encoding="utf-8")
    return path


def open_upload_by_keyboard(chat: Page) -> None:
    """Focus 「ファイルを追加」 and press Enter: the form opens with the file field focused."""
    opener = chat.locator("#upload-open")
    expect(opener).to_be_visible()
    expect(opener).to_have_attribute("aria-expanded", "false")
    opener.focus()
    chat.keyboard.press("Enter")
    expect(opener).to_have_attribute("aria-expanded", "true")
    expect(chat.locator("#upload-file")).to_be_focused()


def submit_with_key(chat: Page, file: Path, key: str) -> None:
    """Choose ``file``, Tab to the key field, type ``key`` and press Enter."""
    chat.locator("#upload-file").set_input_files(str(file))
    expect(chat.locator("#upload-file-name")).to_have_text(file.name)
    chat.locator("#upload-file").focus()
    chat.keyboard.press("Tab")
    expect(chat.locator("#upload-key")).to_be_focused()
    chat.locator("#upload-key").fill("")
    chat.keyboard.type(key)
    chat.keyboard.press("Enter")


def listed_title(server, source: str) -> str:
    """The title GET /documents lists for ``source`` (the one citations name it by)."""
    body = httpx.get(f"{server.url}/documents", timeout=30).json()
    [title] = [d["title"] for d in body["documents"] if d["source"] == source]
    assert title and title != source
    return title


def test_a_server_without_a_write_key_shows_no_upload_control(open_chat, keyless) -> None:
    assert httpx.get(f"{keyless.url}/health").json()["uploads"] is False
    for chat in open_chat(keyless.url, DESKTOP):
        expect(chat.locator("#upload-open")).to_be_hidden()
        expect(chat.locator("#upload-form")).to_be_hidden()


def test_a_file_added_by_keyboard_is_answered_from_and_a_wrong_key_is_refused(
    open_chat, writable, memo
) -> None:
    key = writable.settings.api.api_key.get_secret_value()
    assert httpx.get(f"{writable.url}/health").json()["uploads"] is True
    for chat in open_chat(writable.url, DESKTOP):
        open_upload_by_keyboard(chat)
        note = chat.locator("#upload-note")

        submit_with_key(chat, memo, WRONG_KEY)
        expect(note).to_have_attribute("data-state", "error")
        expect(note).to_contain_text("このキーは受け付けられませんでした")
        expect(chat.locator("#upload-key")).to_be_focused()
        assert chat.evaluate("sessionStorage.getItem('planqa.apiKey')") is None

        submit_with_key(chat, memo, key)
        expect(note).to_have_attribute("data-state", "done", timeout=180_000)
        # The document as its citations will name it, then the file it was stored as.
        expect(note).to_contain_text(
            f"「{listed_title(writable, memo.name)}」（{memo.name}）を追加しました"
        )
        assert chat.evaluate("sessionStorage.getItem('planqa.apiKey')") == key
        turn = ask(chat, MEMO_QUESTION)
        expect(turn).to_have_attribute("data-state", "answered")
        expect(turn.locator(".answer")).to_contain_text("第二土曜日")

        memo.write_text(MEMO.replace("第二", "第三"), encoding="utf-8")
        submit_with_key(chat, memo, key)  # another file of that name, replacing not asked
        expect(note).to_have_attribute("data-state", "error", timeout=60_000)
        expect(note).to_contain_text("同じ名前のファイルがすでにあります")
        chat.locator("#upload-replace").check()
        submit_with_key(chat, memo, key)
        expect(note).to_have_attribute("data-state", "done", timeout=180_000)
        expect(ask(chat, MEMO_QUESTION).locator(".answer")).to_contain_text("第三土曜日")

        # A file with no title line: its title is the file's stem, so the name is said once.
        untitled = memo.with_name("南港メモ.txt")
        untitled.write_text(UNTITLED, encoding="utf-8")
        submit_with_key(chat, untitled, key)
        expect(note).to_have_attribute("data-state", "done", timeout=180_000)
        expect(note).to_contain_text(f"「{untitled.name}」を追加しました")
        expect(note).not_to_contain_text(f"（{untitled.name}）")

        chat.locator("#upload-key").press("Escape")
        expect(chat.locator("#upload-form")).to_be_hidden()
        expect(chat.locator("#upload-open")).to_be_focused()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "360px"])
def test_axe_finds_no_violation_with_the_upload_form_open_and_its_messages_shown(
    open_chat, writable, viewport
) -> None:
    for chat in open_chat(writable.url, viewport):
        found = {"closed": axe_violations(chat)}
        open_upload_by_keyboard(chat)
        found["open"] = axe_violations(chat)
        chat.locator("#upload-send").click()  # nothing chosen: said, not sent
        expect(chat.locator("#upload-note")).to_contain_text("追加するファイルを選んでください")
        expect(chat.locator("#upload-file")).to_be_focused()
        found["refused"] = axe_violations(chat)
        assert {state: v for state, v in found.items() if v} == {}
        fits = "document.scrollingElement.scrollWidth <= window.innerWidth"
        assert chat.evaluate(fits)


@pytest.mark.parametrize("viewport", [IPHONE, PHONE], ids=["375px", "360px"])
def test_on_a_phone_the_header_keeps_its_title_and_both_buttons_on_one_row(
    open_chat, writable, viewport
) -> None:
    """With 「ファイルを追加」 shown the header held one control too many for a phone row, and
    「新しい会話」 wrapped onto a row of its own: the title and both buttons share one row,
    each one line high, none overlapping another, the status line below them."""
    for chat in open_chat(writable.url, viewport):
        expect(chat.locator("#upload-open")).to_be_visible()
        title, upload_open, new_chat, status = (
            chat.locator(selector).bounding_box()
            for selector in (".bar h1", "#upload-open", "#new-chat", "#health")
        )
        row = [title, upload_open, new_chat]
        line = chat.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.bar h1')).lineHeight)"
        )
        assert title["height"] <= line * 1.5, title  # the title on one line
        for button in ("#upload-open", "#new-chat"):
            assert chat.locator(button).evaluate(TEXT_LINES) == 1, button  # label not wrapped
        middles = [box["y"] + box["height"] / 2 for box in row]
        assert max(middles) - min(middles) <= 2, row  # one row
        assert title["x"] + title["width"] <= upload_open["x"], row
        assert upload_open["x"] + upload_open["width"] <= new_chat["x"], row
        assert new_chat["x"] + new_chat["width"] <= viewport["width"], row
        assert status["y"] >= max(box["y"] + box["height"] for box in row), (status, row)
        fits = "document.scrollingElement.scrollWidth <= window.innerWidth"
        assert chat.evaluate(fits)
