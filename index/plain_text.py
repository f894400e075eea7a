"""The plans' text as the unknown-term checks read it, remembering what it was asked.

Whether the plans ever write a phrase (a compound, two words side by side, a name) is asked
a dozen times per question (the decline signals: unknown compounds, unwritten compounds,
proper nouns), half of them twice, and the phrases recur from question to question. Each
answer is a scan of the whole text (0.2 ms for the bundled plans on a miss). The text of
one index generation never changes, so its answers are kept with it, and die with it.
"""

from __future__ import annotations

# Phrases remembered per generation; past that the memory starts again (questions bring
# new phrases for as long as the server runs).
REMEMBERED = 65536


class PlainText(str):
    """A ``str`` whose ``phrase in text`` is answered once per phrase."""

    __slots__ = ("_held",)

    def __new__(cls, text: str) -> PlainText:
        made = super().__new__(cls, text)
        made._held = {}
        return made

    def __contains__(self, phrase: object) -> bool:
        if not isinstance(phrase, str):
            return super().__contains__(phrase)  # the str error, unchanged
        held = self._held.get(phrase)
        if held is None:
            held = super().__contains__(phrase)
            if len(self._held) >= REMEMBERED:
                self._held.clear()
            self._held[phrase] = held
        return held
