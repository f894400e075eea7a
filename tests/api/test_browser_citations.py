"""The chat page's labels in Debian's chromium (Playwright), as ``test_browser.py`` drives it:
an upload citing a plan page is shown under its own title, on the page and on the clipboard,
and a follow-up after a page question is searched and answered for that page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from support.chat_page import ask
from support.uploads import upload

# The file of test_upload_citations.py: own wording, a ● item ending in the plan's own label.
NAME = "窓口メモ.txt"
TITLE = "北港支所の窓口改善メモ"
PAGE = "中期P46"
CITING = (
    f"# {TITLE}\n\n●北港支所では、来所予約の案内札を受付の横に掲示し、予約なしで訪れた方にも"
    f"次回の予約方法を手渡しで伝える。[{PAGE}]\n"
).encode()
DESKTOP = {"width": 1280, "height": 900}
CLIPBOARD = {"permissions": ["clipboard-read", "clipboard-write"]}


TIMEOUT_MS = 30_000  # each step's default wait in these tests


@pytest.fixture()
def with_upload(writable_copy, use_encoder, launch, tmp_path: Path):
    """A server of its own whose data folder got the file citing 中期P46 by POST /documents."""
    for server in launch(writable_copy(tmp_path), use_encoder):
        response = upload(server, NAME, CITING)
        assert response.status_code == 200, response.text
        yield server


def test_an_upload_citing_a_plan_page_keeps_its_own_title_on_the_page_and_clipboard(
    open_chat, with_upload
):
    for page in open_chat(with_upload.url, DESKTOP, TIMEOUT_MS, **CLIPBOARD):
        from_file = ask(page, "北港支所の案内札はどこに掲示する？")
        expect(from_file.locator(".cite", has_text=f"{TITLE} p.1")).not_to_have_count(0)
        from_file.locator(".copy").click()
        expect(from_file.locator(".copied")).to_have_text("コピーしました")
        clipboard = page.evaluate("navigator.clipboard.readText()")
        assert f"{TITLE} p.1" in clipboard and f"{TITLE} {PAGE}" not in clipboard, clipboard

        on_page = ask(page, f"{PAGE}について教えて")
        expect(on_page.locator(f'.cite[data-label="{PAGE}"]')).not_to_have_count(0)
        # Before: the label took the upload's title (「北港支所の窓口改善メモ 中期P46」).
        for turn in (from_file, on_page):
            for name in turn.locator(f'.cite[data-label="{PAGE}"]').evaluate_all(
                "(buttons) => buttons.map((b) => b.getAttribute('aria-label') + b.innerText)"
            ):
                assert TITLE not in name, name


def test_a_follow_up_after_a_page_question_is_searched_for_that_page(open_chat, server):
    for page in open_chat(server.url, DESKTOP, TIMEOUT_MS):
        ask(page, f"{PAGE}の内容を教えて")
        follow_up = ask(page, "それの実績は？")
        expect(follow_up).to_have_attribute("data-state", "answered")
        expect(follow_up.locator(".meta")).to_contain_text(f"「{PAGE} 実績は？」として検索")
        expect(follow_up.locator(f'.cite[data-label="{PAGE}"]')).not_to_have_count(0)
        expect(follow_up.locator('.cite[data-label^="資料"]')).not_to_have_count(0)
