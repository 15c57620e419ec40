# Two commands do all the set-up (see README):
#   make demo   install into .venv, then run the main job on corpus/ into out/records.jsonl + out/zhnews.db
#   make test   install into .venv (with the dev, train and dask extras), then run the test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test install clean prefect-server deploy worker train-ner

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "zhnews needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev,train,dask]"
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/zhnews reprocess corpus/ --db sqlite:///out/zhnews.db --jsonl out/records.jsonl

test: $(STAMP)
	$(PY) -m pytest

# The nightly deployment (README, "Running it every night"): a Prefect server in one terminal ...
PREFECT_PORT ?= 4200
prefect-server: $(STAMP)
	PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 $(VENV)/bin/prefect server start --host 127.0.0.1 --port $(PREFECT_PORT)

# ... then, with PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api: the deployment and a worker
INBOX ?= inbox
DB ?= sqlite:///out/zhnews.db
deploy: $(STAMP)
	$(VENV)/bin/zhnews deploy --inbox $(INBOX) --db $(DB)

worker: $(STAMP)
	$(VENV)/bin/prefect worker start --pool zhnews

# Retrain the entity model into models/ner (about 40 CPU-minutes, one thread, seeded, with the lexicon and segmenter
# words the shipped model's config.json records: it rebuilds the shipped model.onnx and vocab.npz byte for byte,
# MODEL_CARD.md), then print its dev figures (MSRA+PD98 0.917). The first run fetches the MSRA training archive and
# BosonNLP's file named in training/data.py into ~/.cache/zhnews/ner (checked by their sha256; ZHNEWS_NER_EXTRA to
# put them elsewhere). A new model on today's rules/: $(PY) -m training.ner_train --out DIR --resources rules
train-ner: $(STAMP)
	$(PY) -m training.ner_train --out models/ner
	$(PY) -m training.ner_eval --model models/ner

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
