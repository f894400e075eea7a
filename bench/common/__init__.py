"""What several bench scripts share, each piece in one place.

``answer_runs``: answer every labelled question in process and score it as the eval does
(the answer-stage fitters); ``grid_fit``: one setting of one grid chosen end to end and
reported (fit_clause, fit_new_pages, fit_sure_lead); ``options``: the command-line options
several scripts read; ``folds``: the grouped k-fold splits and the cross-validated
choice of a setting; ``retrieval_runs``: search every answerable question and score
recall@5 / MRR@10 (the retrieval lever and weight fitters); ``ranker_groups``: record the sentence
ranker's candidate groups by answering every labelled question, and ``ranker_fit``: fit
and score the ranker on them under grouped CV (the ranker fitters); ``report``: the machine
line and a mean ± sd cell of the printed tables; ``trace_inputs``: the bundled plans as the
index build analyses them, for the trace fitters, and ``trace_model_fit``: the trace link
model's fit and its folds grouped by plan label (fit_trace_model, trace_candidates).

Scripts run as ``python bench/NAME.py``: Python puts bench/ first on the path, so a script
imports this package (and its neighbours, results_out) as it is; the repository root is put
on the path here, so a script that imports this package also reaches the packages it
measures (import it before them), and the models stay offline.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
