"""The data recipe: which files, how their labels map to ours, normalisation, the dev split.

Files: `/work/shared/data/ner/*.jsonl` (override with ZHNEWS_NER_DATA). Our labels: PERSON, ORG, GPE
(the sources' LOC and GPE are both GPE). Each sentence becomes a `Sentence`: normalised text, hard
entities, and *masked* regions whose tags are only partly known (the partial-label CRF sums over every
tagging the region allows; the CRF baseline and the scorer ignore them).

Mapping, per set (why: see models/ner/MODEL_CARD.md):
- msra, pd98: PER -> PERSON, ORG -> ORG, LOC -> GPE. Everything else is O.
- cluener: name -> PERSON; company, government, organization -> ORG, except spans of two characters or
  fewer (政府, 警方: nominal in CLUENER, O in MSRA/PD98), which are masked {O, ORG}; address -> GPE when it
  is a plain Han name of at most 4 characters (巴西, 岷江, 王府井), else masked {O, GPE} (江西省余干县 is
  one address to CLUENER and two places to MSRA); scene -> masked {O, GPE, ORG}; position, book, movie,
  game -> O.
- weibo: PER -> PERSON, ORG -> ORG, GPE and LOC -> GPE; the nominal mentions (*_NOM) -> O.
- resume: PER -> PERSON, ORG -> ORG; LOC (浙江杭州人, 籍贯山西省: the boundaries include 人/籍贯) and CONT
  (中国国籍) -> masked {O, GPE}; TITLE, EDU, PRO, RACE -> O.
- cfsc: only company aspects are marked and never people or places, so every unmarked character is
  *unknown*, not O ("free" policy). Corporate -> ORG; Stock -> ORG when it names a company (not 教育股,
  not ending in 股/板块/概念/指数/行业), else masked; Economy and Market -> masked {O, GPE}.

Further public data (training only, never in the dev split; see EXTRA below): the whole SIGHAN 2006 MSRA
training set, `msra_full` (45,000 sentences), mapped as msra. Its sentences that equal a dev sentence, a
sentence of the shared MSRA part, or a sentence of the MSRA *test* split (read from the same archive for
that exclusion only, as the shared data removed them) are left out.

Normalisation: `pipeline.normalise.normalise(text).text` (via training.adapter); when the length changes,
entity offsets are mapped through the normaliser's offset map (an entity whose characters vanish is
dropped). Dev split: 10% of each file by a seeded shuffle (seed 20240917) of its line numbers; training
sentences whose normalised text equals a dev sentence's are dropped from training.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(os.environ.get("ZHNEWS_NER_DATA", "/work/shared/data/ner"))
FILES = {
    "msra": "msra_train_part.jsonl",
    "pd98": "pd98_dev.jsonl",
    "cluener": "cluener_train.jsonl",
    "weibo": "weibo_train.jsonl",
    "resume": "resume_train.jsonl",
    "cfsc": "cfsc_val.jsonl",
}
# Public data beyond ../shared/data/ner, fetched once for training (never at run time) into EXTRA_DIR and
# checked by its sha256. The archive is a copy of the SIGHAN 2006 MSRA NER data in BIO form (train and test);
# licence as stated by the source: research use (SIGHAN bakeoff).
EXTRA_DIR = Path(os.environ.get("ZHNEWS_NER_EXTRA", Path.home() / ".cache" / "zhnews" / "ner"))
EXTRA = {
    "msra_full": {
        "archive": "MSRA.zip",
        "url": "https://github.com/zhooufeng/Data/raw/8994cd154fded0ae3ba9a9749f904aa644949e2e/MSRA.zip",
        "sha256": "03f6eaf5d146b9f37f19e2e016b4ee9802dd6664f8d68f68baf0aa687ba3a3bf",
        "member": "msra_train_bio",
        "exclude_member": "msra_test_bio",
    },
}
SHARED_SETS = tuple(FILES)
DEFAULT_SETS = (*SHARED_SETS, *EXTRA)
PRIMARY = ("msra", "pd98")  # the figure that matters: micro F1 over their dev splits
DEV_FRACTION = 0.10
SPLIT_SEED = 20240917
CACHE = Path(os.environ.get("ZHNER_CACHE", "/tmp/ner/cache"))

_STOCK_NOT_COMPANY = ("股", "板块", "概念", "指数", "行业")


@dataclass
class Sentence:
    set: str
    id: str
    text: str
    entities: list[tuple[int, int, str]]  # hard (start, end, PERSON|ORG|GPE)
    masked: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)  # (start, end, allowed labels)
    policy: str = "O"  # "O": unmarked characters are O; "free": unmarked characters are unknown (cfsc)


def _map(set_name: str, e: dict) -> tuple[str, object]:
    """('hard', LABEL) | ('mask', labels) | ('O', None) for one source entity."""
    lab, orig, text = e["label"], e.get("orig"), e["text"]
    if set_name in ("msra", "pd98", "msra_full"):
        return "hard", {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}[lab]
    if set_name == "cluener":
        if orig == "name":
            return "hard", "PERSON"
        if orig in ("company", "government", "organization"):
            return ("mask", ("ORG",)) if len(text) <= 2 else ("hard", "ORG")
        if orig == "address":
            plain = len(text) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in text)
            return ("hard", "GPE") if plain else ("mask", ("GPE",))
        if orig == "scene":
            return "mask", ("GPE", "ORG")
        return "O", None  # position, book, movie, game
    if set_name == "weibo":
        if lab.endswith("_NOM"):
            return "O", None
        return "hard", {"PER": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE"}[lab]
    if set_name == "resume":
        if lab == "PER":
            return "hard", "PERSON"
        if lab == "ORG":
            return "hard", "ORG"
        if lab in ("LOC", "CONT"):
            return "mask", ("GPE",)
        return "O", None
    if set_name == "cfsc":
        if orig == "Corporate":
            return "hard", "ORG"
        if lab == "Stock":
            if len(text) >= 2 and not text.endswith(_STOCK_NOT_COMPANY):
                return "hard", "ORG"
            return "mask", ("ORG",)
        return "mask", ("GPE",)  # Economy, Market
    raise KeyError(set_name)


def _normalise(text: str):
    from training import adapter

    norm, starts, ends = adapter.normalise(text)
    if len(norm) == len(text) and all(s == i for i, s in enumerate(starts)):
        return norm, None
    return norm, (starts, ends)


def _remap(span, offsets):
    """Original [s, e) to normalised [s', e') through the offset map; None when nothing is left."""
    if offsets is None:
        return span
    starts, ends = offsets
    s, e = span
    i = bisect.bisect_left(starts, s)
    j = bisect.bisect_right(ends, e)
    return (i, j) if j > i else None


def convert(set_name: str, record: dict) -> Sentence | None:
    text, offsets = _normalise(record["text"])
    if not text.strip():
        return None
    hard, masked = [], []
    for e in record["entities"]:
        kind, value = _map(set_name, e)
        if kind == "O":
            continue
        span = _remap((e["start"], e["end"]), offsets)
        if span is None:
            continue
        if kind == "hard":
            hard.append((span[0], span[1], value))
        else:
            masked.append((span[0], span[1], value))
    # overlapping hard entities (rare in the sources): keep the longer, mask the other
    hard.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    kept: list[tuple[int, int, str]] = []
    for s, e, lab in hard:
        if kept and s < kept[-1][1]:
            masked.append((s, e, (lab,)))
            continue
        kept.append((s, e, lab))
    masked = [m for m in masked if not any(s <= m[0] and m[1] <= e for s, e, _ in kept)]
    return Sentence(set_name, record["id"], text, kept, masked, "free" if set_name == "cfsc" else "O")


def _split_ids(n: int, set_name: str) -> set[int]:
    rng = random.Random(f"{SPLIT_SEED}:{set_name}")
    idx = list(range(n))
    rng.shuffle(idx)
    return set(idx[: round(n * DEV_FRACTION)])


def _cache_file(prefix: str, *inputs: bytes) -> Path:
    """Where converted sentences are kept: named by the inputs, this recipe and the normaliser's code (a
    change to any of them is a new cache)."""
    import pipeline.text

    h = hashlib.sha256()
    for data in inputs:
        h.update(data)
    h.update(Path(__file__).read_bytes())
    for f in sorted(Path(pipeline.text.__file__).parent.glob("*.py")):
        h.update(f.read_bytes())
    return CACHE / f"{prefix}-{h.hexdigest()[:16]}.json"


def load(sets=tuple(FILES)) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev) sentences of `sets`, normalised; cached in ZHNER_CACHE by the files' and the normaliser's contents."""
    cache = _cache_file("sentences", *((DATA_DIR / FILES[name]).read_bytes() for name in FILES))
    if cache.exists():
        raw = json.loads(cache.read_text(encoding="utf-8"))
    else:
        raw = {"train": [], "dev": []}
        for name, fname in FILES.items():
            lines = (DATA_DIR / fname).read_text(encoding="utf-8").splitlines()
            dev_ids = _split_ids(len(lines), name)
            for i, line in enumerate(lines):
                s = convert(name, json.loads(line))
                if s is not None:
                    raw["dev" if i in dev_ids else "train"].append(s.__dict__)
        dev_texts = {s["text"] for s in raw["dev"]}
        raw["train"] = [s for s in raw["train"] if s["text"] not in dev_texts]
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")

    train = [_from_cache(d) for d in raw["train"] if d["set"] in sets]
    dev = [_from_cache(d) for d in raw["dev"] if d["set"] in sets]
    for name in EXTRA:
        if name in sets:
            seen = {d["text"] for d in raw["dev"]} | {d["text"] for d in raw["train"] if d["set"] == "msra"}
            train += [s for s in load_extra(name) if s.text not in seen]
    return train, dev


def extra_archive(name: str) -> Path:
    """The archive of an EXTRA source in EXTRA_DIR, downloaded once when it is missing; checked by sha256."""
    spec = EXTRA[name]
    path = EXTRA_DIR / spec["archive"]
    if not path.exists():
        import urllib.request

        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        try:
            urllib.request.urlretrieve(spec["url"], part)
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise SystemExit(f"training data {name!r} is missing and could not be downloaded ({exc}). "
                             f"Download {spec['url']} to {path} (or set ZHNEWS_NER_EXTRA to its folder), "
                             f"or train on the shared sets only: --sets {','.join(SHARED_SETS)}") from exc
        part.rename(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != spec["sha256"]:
        raise SystemExit(f"{path}: sha256 {digest}, expected {spec['sha256']}: not the archive the model was trained on")
    return path


def _bio_records(text: str, prefix: str):
    """{'id', 'text', 'entities'} records of a character-per-line BIO file (blank line between sentences)."""
    for i, block in enumerate(b for b in text.split("\n\n") if b.strip()):
        chars, ents, start, label = [], [], None, None
        for line in block.splitlines():
            ch, _, tag = line.partition("\t")
            if not ch:
                continue
            if start is not None and not (tag.startswith("I-") and tag[2:] == label):
                ents.append({"start": start, "end": len(chars), "label": label})
                start = None
            if tag.startswith("B-") or (tag.startswith("I-") and start is None):
                start, label = len(chars), tag[2:]
            chars.append(ch)
        if start is not None:
            ents.append({"start": start, "end": len(chars), "label": label})
        sentence = "".join(chars)
        for e in ents:
            e["text"] = sentence[e["start"]:e["end"]]
        yield {"id": f"{prefix}-{i}", "text": sentence, "entities": ents}


def load_extra(name: str) -> list[Sentence]:
    """The training sentences of an EXTRA source, normalised and converted; the exclusion member's
    sentences (a test split) are dropped. Cached like `load`."""
    import zipfile

    spec = EXTRA[name]
    path = extra_archive(name)
    cache = _cache_file(f"extra-{name}", spec["sha256"].encode())
    if cache.exists():
        raw = json.loads(cache.read_text(encoding="utf-8"))
    else:
        with zipfile.ZipFile(path) as z:
            body = z.read(spec["member"]).decode("utf-8")
            excluded = z.read(spec["exclude_member"]).decode("utf-8") if spec.get("exclude_member") else ""
        drop = {_normalise(r["text"])[0] for r in _bio_records(excluded, "x")}
        raw = []
        for r in _bio_records(body, name):
            s = convert(name, r)
            if s is not None and s.text not in drop:
                raw.append(s.__dict__)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return [_from_cache(d) for d in raw]


def _from_cache(d: dict) -> Sentence:
    """A `Sentence` from its cached JSON form (`Sentence.__dict__`)."""
    return Sentence(d["set"], d["id"], d["text"], [tuple(x) for x in d["entities"]],
                    [(m[0], m[1], tuple(m[2])) for m in d["masked"]], d["policy"])


def traditional_variant(s: Sentence) -> Sentence | None:
    """The sentence converted to traditional script (OpenCC s2t) and back through the normaliser; None
    when the round trip gives the same text or changes its length."""
    import opencc

    trad = opencc.OpenCC("s2t").convert(s.text)
    if len(trad) != len(s.text):
        return None
    back, offsets = _normalise(trad)
    if back == s.text or offsets is not None:
        return None
    return Sentence(s.set, s.id + "-t2s", back, list(s.entities), list(s.masked), s.policy)


def mention_replacement(sentences: list[Sentence], sets=PRIMARY, copies: int = 1, seed: int = 1) -> list[Sentence]:
    """Augmentation: copies of the `sets` sentences that have entities, each entity replaced by a random
    training entity of the same label (pool: every training set's hard entities). Masked regions are
    kept only when they do not move (sentences with masks are not copied)."""
    rng = random.Random(seed)
    pool: dict[str, list[str]] = {}
    for s in sentences:
        for a, b, lab in s.entities:
            pool.setdefault(lab, []).append(s.text[a:b])
    for lab in pool:
        pool[lab] = sorted(set(pool[lab]))
    out = []
    for s in sentences:
        if s.set not in sets or not s.entities or s.masked:
            continue
        for c in range(copies):
            text, ents, pos = [], [], 0
            for a, b, lab in sorted(s.entities):
                text.append(s.text[pos:a])
                start = sum(len(x) for x in text)
                new = rng.choice(pool[lab])
                text.append(new)
                ents.append((start, start + len(new), lab))
                pos = b
            text.append(s.text[pos:])
            out.append(Sentence(s.set, f"{s.id}-mr{c}", "".join(text), ents, [], s.policy))
    return out
