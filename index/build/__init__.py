"""The build half of the index: files → a published generation (index/build/builder.py).

Read → analyse → embed → write: parsed files, Sudachi terms, the embedding cache and the
encoder's workers, the Chroma writer in its own process, BM25 and the chiVe neighbour table.
It reads what the query half shares (the analyzer, BM25, the store, the encoders, the
generations and their manifest: index/manifest.py). Outside it only what starts a build
imports it (the CLI, the API's re-index and uploads, ``LiveIndex.rebuild`` when it runs, the
benchmarks); the query side never does (tests/index/test_import_direction.py). Like
``index``, this package imports nothing itself.
"""
