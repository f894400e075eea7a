"""The question-word stoplist: words of the question form, not of its topic.

One list for every reader of a question (the lexical query, the unknown-term check, the
asked-terms signal, the page digest), in Sudachi's normalized forms and the spellings a
long unit may keep (いくら). A word here is never searched for, never reported as absent
from the plans and never taken for the thing asked.
"""

from __future__ import annotations

QUESTION_WORDS = frozenset(
    {
        "何",
        "なに",
        "どう",
        "どの",
        "どんな",
        "どれ",
        "いつ",
        "どこ",
        "誰",
        "ある",
        "有る",
        "居る",
        "いる",
        "する",
        "為る",
        "成る",
        "なる",
        "書く",
        "教える",
        "知る",
        "分かる",
        "ください",
        "下さい",
        "くださる",
        "いう",
        "言う",
        "思う",
        "内容",
        "について",
        "こと",
        "事",
        "もの",
        "物",
        "の",
        "か",
        "よう",
        "様",
        "ます",
        "です",
        # Formal nouns of intent and expectation (…するつもり, …のはず, …というわけ) and
        # 本当 (本当ですか: asks to confirm) shape the question, they name nothing asked.
        "つもり",
        "積もり",
        "はず",
        "筈",
        "わけ",
        "訳",
        "本当",
        # how much / how many: Sudachi may keep them apart from the counter (いくら → 幾ら)
        "幾ら",
        "幾つ",
        "いくら",
        "いくつ",
        "幾",
        # 内訳 asks for the parts of a total the question names (its rows or its list):
        # the plans give a breakdown as the parts themselves, never under the word.
        "内訳",
        "うちわけ",
    }
)

# Question words that open a compound asking for a figure (何人, 何階, 幾日).
ASKING_PREFIXES = ("何", "幾", "いく")
