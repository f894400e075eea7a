# planqa — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
# Two malloc arenas: a long-running server re-indexing under load otherwise keeps growing
# (bench/results/fault_load.md: RSS flat over 20 re-indexes with it, +10% over 50 without).
export MALLOC_ARENA_MAX := 2

.PHONY: install browser run index test lint fix eval bench clean

# Reinstalls only when pyproject.toml changes. torch==2.13.0 first: the CPU wheel on disk;
# a bare `torch` requirement would pull the multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The browser test drives Debian's chromium (never a browser downloaded by playwright).
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "the browser test needs Debian's chromium: sudo apt-get install chromium fonts-noto-cjk" >&2; exit 1; \
	  fi; }

# Index the bundled plans (skipped when nothing changed), then serve API and chat page.
run: install
	$(BIN)/planqa index
	$(BIN)/planqa serve --host $(HOST) --port $(PORT)

index: install
	$(BIN)/planqa index

test: install browser
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fix: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The full gold set, then the outside question set beside it when it is there (read by path,
# never copied in); the printed figures are benchmarks, not tests.
OUTSIDE_GOLD ?= ../shared/eval/outside-questions.jsonl
eval: index
	@echo "== own gold set (eval/gold/) =="
	$(BIN)/planqa eval retrieval
	$(BIN)/planqa eval answers
	@if [ -f "$(OUTSIDE_GOLD)" ]; then \
	  echo "== outside question set ($(OUTSIDE_GOLD)) =="; \
	  $(BIN)/planqa eval retrieval --gold "$(OUTSIDE_GOLD)" && \
	  $(BIN)/planqa eval answers --gold "$(OUTSIDE_GOLD)"; \
	else \
	  echo "outside question set $(OUTSIDE_GOLD) not found: skipped"; \
	fi

bench: index
	$(BIN)/python bench/retrieval_tuning.py
	$(BIN)/python bench/api_bench.py

clean:
	rm -rf var .pytest_cache .ruff_cache
