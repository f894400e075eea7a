"""Question understanding: a question and its chat history, analysed once per request.

``analyse(question, history)`` returns a frozen ``QuestionAnalysis`` that the retriever, the
sentence selection and the decline model read, instead of each re-deriving pieces. Cue
words, answer types, connectives and the plans' calendar are data
(``data/question/rules.toml``).
"""

from question.analysis import QuestionAnalysis, analyse
from question.page_refs import PageReference, page_references, strip_page_references
from question.parts import QuestionPart
from question.rules import Rules, rules

__all__ = [
    "PageReference",
    "QuestionAnalysis",
    "QuestionPart",
    "Rules",
    "analyse",
    "page_references",
    "rules",
    "strip_page_references",
]
