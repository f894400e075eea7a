"""Driving the chat page in a browser test: asking a question as a user does, and axe-core's
findings on the page as it is now. The browser test modules share these."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

FINISHED = re.compile(r"^(answered|declined|error)$")
AXE = Path(__file__).parents[1] / "api" / "vendor" / "axe-core" / "axe.min.js"  # 4.14.1, MPL-2.0


def ask(page: Page, question: str) -> Locator:
    """Type a question, press Enter, and return its turn once the final rendering is shown."""
    page.locator("#question").fill(question)
    page.locator("#question").press("Enter")
    turn = page.locator(".turn").first  # newest first
    expect(turn.locator(".turn-q")).to_contain_text(question[:40])
    expect(turn).to_have_attribute("data-state", FINISHED)
    return turn


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations of the page as it is now (every rule axe runs by default, best
    practices included), one line each: rule, impact, the elements. axe is evaluated
    through the devtools protocol, which the page's CSP does not govern."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => (await axe.run(document)).violations")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}" for v in results]
