"""The LangChain face of the hybrid searcher: a ``BaseRetriever`` whose documents carry the
plan-page labels in their metadata.

Its own module because ``langchain_core.retrievers`` pulls in the tracers and langsmith
(0.6 s of imports): ``planqa index`` and the answer path never need it.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from index.filters import Filters
from index.records import to_document


class PlanRetriever(BaseRetriever):
    """LangChain retriever over a hybrid searcher; ``Document.metadata`` carries the labels."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 5
    filters: dict[str, Any] = {}

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.searcher.search(query, self.k, Filters.from_mapping(self.filters))
        return [
            to_document(h.chunk, h.score, label_match=h.label_match, lexical_rank=h.lexical_rank)
            for h in hits
        ]
