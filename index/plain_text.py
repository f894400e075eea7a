"""The plans' text as the unknown-term checks read it, remembering what it was asked.

Whether the plans ever write a phrase (a compound, two words side by side, a name) is asked
a dozen times per question (the decline signals: unknown compounds, unwritten compounds,
proper nouns), half of them twice, and the phrases recur from question to question. Each
answer is a scan of the whole text (0.2 ms for the bundled plans on a miss). The text of
one index generation never changes, so its answers are kept with it, and die with it.

A reader that analyses the text itself (Sudachi, to read a figure written in kanji
numerals) reads its passages one by one (``passages``): only the few holding such a numeral
are analysed (38 of the bundled plans' 662: 33 ms, where the whole text took 0.54 s), and a
figure is read within one passage, as it is written.
"""

from __future__ import annotations

# Phrases remembered per generation; past that the memory starts again (questions bring
# new phrases for as long as the server runs).
REMEMBERED = 65536


class PlainText(str):
    """A ``str`` whose ``phrase in text`` is answered once per phrase."""

    __slots__ = ("_held", "_passages")

    def __new__(cls, text: str) -> PlainText:
        made = super().__new__(cls, text)
        made._held = {}
        made._passages = None
        return made

    @property
    def passages(self) -> tuple[str, ...]:
        """The passages' texts, as the lines this text joins (split once)."""
        if self._passages is None:
            self._passages = tuple(self.split("\n"))
        return self._passages

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
