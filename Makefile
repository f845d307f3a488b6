# The two commands of the README:
#   make demo   set up .venv, ingest seeds/, answer a sample question
#   make test   set up .venv (if needed) and run the test suite
# Everything is installed from the package registry; nothing is downloaded at run time.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: demo test setup lint bench clean

$(BIN)/briefbot: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need Python 3.11 ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first and pinned: the CPU build; unpinned, pip would pull a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@

setup: $(BIN)/briefbot

demo: setup
	$(BIN)/briefbot ingest seeds
	$(BIN)/briefbot ask "What did Algeria's president say about military intervention in Niger?"

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data .pytest_cache
