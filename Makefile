# Two commands do all the set-up (see README):
#   make demo   install into .venv, then run the main job on corpus/ into out/records.jsonl + out/zhnews.db
#   make test   install into .venv (with the dev, accurate and dask extras), then run the test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "zhnews needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev,accurate,dask]"
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/zhnews reprocess corpus/ --db sqlite:///out/zhnews.db --jsonl out/records.jsonl

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
