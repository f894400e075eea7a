"""The NFKC form of a question's text, computed once per text.

Every reader of a question compares it in NFKC (全角 digits and letters, ？ as ?). The
analysis computes the forms once and carries them (``QuestionAnalysis.normalized`` and
``.searched``, ``QuestionPart.normalized``); a reader handed a text rather than the analysis
(a public reader function, a test, a bench) asks here, and a text the analysis already read
costs a dict lookup, not another pass. NFKC is idempotent, so each form is also kept as its
own key: a reader given the form gets it back as it is.

Passages are not kept here: their NFKC is computed where they are read or indexed.
"""

from __future__ import annotations

import unicodedata

# Texts kept: a question, its search text, its parts and the turns of its history, for the
# last few hundred questions; past that the forms are dropped and computed again.
KEPT = 4096
_forms: dict[str, str] = {}


def nfkc(text: str) -> str:
    """``text`` in NFKC."""
    form = _forms.get(text)
    if form is None:
        form = unicodedata.normalize("NFKC", text)
        if len(_forms) >= KEPT:
            _forms.clear()
        _forms[text] = form
        _forms[form] = form
    return form
