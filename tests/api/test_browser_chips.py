"""The chat page's example chips in Debian's chromium (Playwright), against the shared
loopback server: each chip, clicked, is answered from the page it is about.

A chip names that page in ``data-label``. The test reads the chips from the page itself, so
a chip added later is checked too. It checks the answer's first citation, not any citation:
the first line is what a reader takes as the answer, and an answer that leads with another
passage and cites the right page third (or only in a trailing sentence) still answers the
chip from the wrong place. Before the fix, 電話がつながる割合の目標は？ led with a sentence
on delinquent employers (資料1-3 P32) instead of the call centres' 応答率 target.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

DESKTOP = {"width": 1280, "height": 900}
FINISHED = re.compile(r"^(answered|declined|error)$")


@pytest.fixture()
def page(open_chat, server) -> Iterator[Page]:
    yield from open_chat(server.url, DESKTOP, 30_000)


def chips(page: Page) -> list[tuple[str, str | None]]:
    """Each example chip's question and the label it names."""
    return page.locator(".example").evaluate_all(
        "(buttons) => buttons.map((b) => [b.textContent, b.getAttribute('data-label')])"
    )


def test_every_example_chip_names_the_page_it_is_about(page: Page):
    found = chips(page)
    assert found, "the chat page shows no example chips"
    assert all(label for _, label in found), found


def test_every_example_chip_is_answered_from_the_page_it_is_about(page: Page):
    found = chips(page)
    first_citations = {}
    for number, (question, _) in enumerate(found):
        if number:
            page.locator("#new-chat").click()  # the chips come back with a new conversation
        page.locator(".example").nth(number).click()
        turn = page.locator(".turn").first  # newest first
        expect(turn.locator(".turn-q")).to_contain_text(question)
        expect(turn).to_have_attribute("data-state", FINISHED)
        expect(turn).to_have_attribute("data-state", "answered")
        first_citations[question] = turn.locator(".answer .cite").first.get_attribute("data-label")
    assert first_citations == dict(found)
