"""The data recipe: which files, how their labels map to ours, normalisation, the dev split.

Files: `../shared/data/ner/*.jsonl`, beside the repository (override with ZHNEWS_NER_DATA). Our labels: PERSON, ORG, GPE
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
that exclusion only, as the shared data removed them) are left out. And BosonNLP's NER set, `boson` (2,000
news paragraphs, cut into 10,571 sentences at 。！？ and line breaks), whose paragraphs are split 90/10 into
training and a dev set of its own like the shared files (its dev sentences are left out of every training set):
- boson: person_name -> PERSON, except Weibo @accounts (O) and a surname with a word (钱某, 黄先生: masked);
  company_name -> ORG; org_name -> ORG, masked {O, GPE, ORG} when of two characters or fewer (男篮, 中 and 日
  where the countries act) or ending like a place (河北省); location -> GPE when a Han name of at most three
  characters, masked {O, GPE, ORG} when it ends like a building or a business (医院, 广场, 超市), else masked
  {O, GPE} (its locations are districts, estates and streets too); product_name -> masked {O, ORG} (websites
  and media beside car models); time -> O.

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
import re
from dataclasses import dataclass, field
from pathlib import Path

# ../shared beside the repository, as the README's set-up has it; the machines' usual place otherwise
_BESIDE = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ner"
DATA_DIR = Path(os.environ.get("ZHNEWS_NER_DATA") or (_BESIDE if _BESIDE.is_dir() else "/work/shared/data/ner"))
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
    # BosonNLP's NER set (2,000 news paragraphs marked {{person_name:..}}, {{company_name:..}}, ...), as
    # published on bosonnlp.com/resources (BosonNLP_NER_6C.zip, no licence text in it; that site is gone),
    # from a public copy: changaolin/VTOU at commit a04d5a5. Financial and business news among others: the
    # companies our other sets lack. 10% of its paragraphs are a dev set of its own (never trained on).
    "boson": {
        "archive": "BosonNLP_NER_6C.txt",
        "url": "https://github.com/changaolin/VTOU/raw/a04d5a54cc74eff86fb2d20253e5c0bffb0d40d8/corpus/"
               "BosonNLP_NER_6C.txt",
        "sha256": "77f5343ffe52b002854247a9377adfdaa3f12db38cc31cff42e8728d69a0884f",
        "format": "boson",
        "dev": True,
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
            plain = len(text) <= 4 and _all_han(text)
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
    if set_name == "boson":
        return _map_boson(lab, text)
    if set_name == "cfsc":
        if orig == "Corporate":
            return "hard", "ORG"
        if lab == "Stock":
            if len(text) >= 2 and not text.endswith(_STOCK_NOT_COMPANY):
                return "hard", "ORG"
            return "mask", ("ORG",)
        return "mask", ("GPE",)  # Economy, Market
    raise KeyError(set_name)


def _all_han(text: str) -> bool:
    """Only CJK unified ideographs: a plain Han name (巴西, 岷江), no address with digits or Latin."""
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


_PLACE_END = tuple("省市县区州国镇乡村岛湾洲")
_ADDRESSED = ("某", "先生", "女士", "小姐", "老师", "总", "董", "导")
_NOT_A_PLACE_END = ("医院", "超市", "酒店", "中心", "公司", "大学", "学校", "学院", "银行", "商场", "广场", "市场")


def _map_boson(lab: str, text: str) -> tuple[str, object]:
    """BosonNLP's labels. Its `location` also marks buildings, estates and shops (太湖广场, 亿仁医院), its
    `org_name` sports teams and, now and then, a province (河北省), its `product_name` websites and media
    (腾讯科技, 淘宝网) beside car models: only what is a name of ours for sure is hard."""
    if lab == "person_name":
        if text.startswith("@"):
            return "O", None  # Weibo accounts
        if len(text) <= 1 or text.endswith(_ADDRESSED):
            return "mask", ("PERSON",)  # 钱某, 何老师, 黄先生: a surname and a word, no name of ours
        return "hard", "PERSON"
    if lab == "company_name":
        return ("hard", "ORG") if len(text.lstrip("@")) >= 2 else ("mask", ("ORG",))
    if lab == "org_name":
        if len(text) <= 2:
            return "mask", ("GPE", "ORG")  # 男篮, 联盟; 中, 日 where a country acts
        return ("mask", ("GPE", "ORG")) if text.endswith(_PLACE_END) else ("hard", "ORG")
    if lab == "location":
        if text.endswith(_NOT_A_PLACE_END):
            return "mask", ("GPE", "ORG")
        if len(text) <= 3 and _all_han(text):
            return "hard", "GPE"  # 宜兴, 黑龙江; longer ones are districts, estates and streets too
        return "mask", ("GPE",)
    if lab == "product_name":
        return "mask", ("ORG",)
    return "O", None  # time


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
    extra = [extra_split(name) for name in EXTRA if name in sets]
    if extra:
        seen = {d["text"] for d in raw["dev"]} | {d["text"] for d in raw["train"] if d["set"] == "msra"}
        seen |= {s.text for _, extra_dev in extra for s in extra_dev}
        for extra_train, extra_dev in extra:
            train += [s for s in extra_train if s.text not in seen]
            dev += extra_dev
    return train, dev


def dev_sets() -> tuple[str, ...]:
    """The sets with a dev split on this machine: the shared files, and each EXTRA source with a dev set of
    its own whose file `make train-ner` has fetched (nothing is downloaded to score)."""
    return (*FILES, *(name for name, spec in EXTRA.items() if spec.get("dev") and (EXTRA_DIR / spec["archive"]).exists()))


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


_BOSON_MARK = re.compile(r"\{\{(\w+):(.*?)\}\}", re.S)
_SENTENCE_END = "。！？!?"


def _boson_records(text: str, prefix: str):
    """{'id', 'text', 'entities'} records, one per sentence, of BosonNLP's paragraphs (one a line, names
    marked {{label:text}}, line breaks written as a literal backslash-n). Ids are PREFIX-PARAGRAPH-K."""
    for p, line in enumerate(text.splitlines()):
        line = line.replace("\\n", "\n")
        plain, ents, pos = [], [], 0
        for m in _BOSON_MARK.finditer(line):
            plain.append(line[pos:m.start()])
            at = sum(map(len, plain))
            name = m.group(2)
            lead = len(name) - len(name.lstrip())
            core = name.strip()
            if core:
                ents.append({"start": at + lead, "end": at + lead + len(core), "label": m.group(1), "text": core})
            plain.append(name)
            pos = m.end()
        plain.append(line[pos:])
        para = "".join(plain)
        # sentences end at 。！？ and at line breaks, never inside a name
        cuts, inside = [0], [False] * (len(para) + 1)
        for e in ents:
            for i in range(e["start"], e["end"]):
                inside[i] = True
        for i, ch in enumerate(para):
            if (ch in _SENTENCE_END or ch == "\n") and not inside[i]:
                cuts.append(i + 1)
        cuts.append(len(para))
        k = 0
        for a, b in zip(cuts, cuts[1:]):
            while a < b and para[a].isspace():
                a += 1
            while b > a and para[b - 1].isspace():
                b -= 1
            if b - a < 4:
                continue
            sent = [{**e, "start": e["start"] - a, "end": e["end"] - a} for e in ents
                    if a <= e["start"] and e["end"] <= b]
            yield {"id": f"{prefix}-{p}-{k}", "text": para[a:b], "entities": sent}
            k += 1


def load_extra(name: str) -> list[Sentence]:
    """The sentences of an EXTRA source, normalised and converted; the exclusion member's sentences (a test
    split) are dropped. Cached like `load`. A source with a dev set of its own is split by `extra_split`."""
    import zipfile

    spec = EXTRA[name]
    path = extra_archive(name)
    cache = _cache_file(f"extra-{name}", spec["sha256"].encode())
    if cache.exists():
        raw = json.loads(cache.read_text(encoding="utf-8"))
    else:
        if spec.get("format") == "boson":
            records, drop = _boson_records(path.read_text(encoding="utf-8"), name), set()
        else:
            with zipfile.ZipFile(path) as z:
                body = z.read(spec["member"]).decode("utf-8")
                excluded = z.read(spec["exclude_member"]).decode("utf-8") if spec.get("exclude_member") else ""
            records = _bio_records(body, name)
            drop = {_normalise(r["text"])[0] for r in _bio_records(excluded, "x")}
        raw = []
        for r in records:
            s = convert(name, r)
            if s is not None and s.text not in drop:
                raw.append(s.__dict__)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return [_from_cache(d) for d in raw]


def extra_split(name: str) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev) of an EXTRA source: a source with "dev" keeps 10% of its paragraphs (ids
    NAME-PARAGRAPH-K) as its dev set, by the same seeded shuffle as the shared files; the others are
    training data only."""
    sentences = load_extra(name)
    if not EXTRA[name].get("dev"):
        return sentences, []
    paragraph = [int(s.id.split("-")[1]) for s in sentences]
    dev_ids = _split_ids(1 + max(paragraph), name)
    dev = [s for s, p in zip(sentences, paragraph) if p in dev_ids]
    dev_texts = {s.text for s in dev}
    return [s for s, p in zip(sentences, paragraph) if p not in dev_ids and s.text not in dev_texts], dev


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
