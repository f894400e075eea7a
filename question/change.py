"""Whether a question asks how a figure changed (rose, fell, against the year before).

Japanese asks a change with a verb of rising or falling in a question (増えた？, 減ってきてる
の？, 伸びたんでしょうか, 上がった？下がった？) or by naming the year before as the point
of comparison (前年度より, 前の年と比べて). Such a question is answered by a sentence
stating two points of the figure (answer/stated_change.py), not by the latest level alone.
A transitive 減らす/増やす asks what was done (どうやって減らした) or a target (何%減らす),
not how the figure moved, and does not count.
"""

from __future__ import annotations

import re

_ASKS_CHANGE = re.compile(
    r"(?:(?:増え|減っ|減り|伸び|上がっ|下がっ|上がり|下がり|増加し|減少し|向上し|改善し|悪化し)"
    r"(?:た|て|ま)|(?:増える|減る|伸びる|上がる|下がる))[^。]{0,12}?(?:[？?]|か|の$|\s*$)"
    r"|前(?:の)?年度?(?:と比べ|に比べ|より|から)"
)


def asks_change(question: str) -> bool:
    """The question (NFKC) asks whether or how much a figure rose or fell."""
    return bool(_ASKS_CHANGE.search(question))
