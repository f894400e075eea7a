"""Index: chunks → Chroma + BM25 → ranked chunks.

Two halves. ``index/build/`` writes a generation (builder, the analysis, lexical and
embedding steps, the Chroma writer); the modules here read one and rank chunks (snapshot,
loader, live, lexical, retriever, fusion) or are shared by both (analyzer, bm25, ngrams,
presence, records, store, encoders, generations and the manifest of a generation:
index/manifest.py). A module here never imports ``index.build`` at import time.

Import from the modules (``index.build.builder``, ``index.retriever`` …): this package
imports nothing itself, so ``planqa index`` loads only what a build needs.
"""
