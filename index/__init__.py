"""Index: chunks → Chroma + BM25 → ranked chunks.

Import from the modules (``index.builder``, ``index.retriever`` …): this package imports
nothing itself, so ``planqa index`` loads only what a build needs.
"""
