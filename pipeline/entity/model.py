"""Our own NER model at run time (PERSON / ORG / GPE): numpy + onnxruntime, nothing else.

The model is a character tagger trained in this repository (`training/`, `make train-ner`); its files
live in `models/ner/` (`model.onnx` the encoder, `vocab.npz` the character and bigram tables and the CRF
weights, `config.json` the bundled lexicon and feature switches; see `models/ner/MODEL_CARD.md`). This
module is the one source of truth for the features: training imports `Featurizer` and the CRF helpers
from here, so a model is always run with the code that built its training examples.

    model = load_model(MODELS_DIR / "ner")        # once per process (cached)
    model.predict(text, tokens)                    # tokens: (word, start, end) from the jieba segmenter
    -> [(start, end, "PERSON" | "ORG" | "GPE", confidence), ...]   offsets into `text`, end exclusive

`text` is the pipeline's normalised text (simplified, half-width ASCII). Per character the model sees:
the character, its left and right character bigrams, its position in its jieba word (and the word's
length), gazetteer membership (label and position in the alias; the model's bundled copy of
`rules/entity.yaml` at training time), a character class (Han / surname / compound surname / digit /
Latin / punctuation) and cue words (a title before a name, an honorific after it, a strong or weak
organisation suffix). An encoder (ONNX) gives tag scores; a BIO-constrained CRF (Viterbi in numpy) gives
the tags; on request, forward-backward gives each entity's confidence (the smallest marginal
probability of its tags).

Texts are cut after sentence ends (。！？；!?; and newlines) and chunks are capped at `max_len`
characters (cut after a comma where possible). Only chunks with a Han character are tagged (a name in
our labels always has one in this model's training data), and `regions` restricts tagging to given
spans (the pipeline passes the prose spans: long tables are skipped). Offsets are always into the
given text.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from operator import itemgetter
from pathlib import Path

import numpy as np

from pipeline.wordscan import WordScan

LABELS = ("PERSON", "ORG", "GPE")
TAGS = ("O", "B-PERSON", "I-PERSON", "B-ORG", "I-ORG", "B-GPE", "I-GPE")
FEATURES = ("char", "bigram_l", "bigram_r", "seg", "gaz", "cls", "cue")
# sizes of the small categorical channels
N_SEG, N_GAZ, N_CLS, N_CUE = 10, 13, 11, 6
PAD, UNK = 0, 1
_CP_LIMIT = 0x110000

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SENT_END = re.compile(r"[。！？；!?;\n]+")
_SOFT_BREAK = set(",，、 :：")
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)  # of a (start, end) or (word, start, end)


# ------------------------------------------------------------------------------------------------
# small helpers


class LongestWords:
    """Leftmost-longest, non-overlapping occurrences of any of `words` (one Aho-Corasick pass): what one
    regex alternation of the words, longest first, finds with `finditer`, built in a millisecond instead
    of the regex's compile."""

    def __init__(self, words):
        self.words = WordScan.of(words)

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [(s, e) for s, e, _ in self.words.find_longest(text)]


def chunk_spans(text: str, max_len: int = 160) -> list[tuple[int, int]]:
    """[start, end) chunks covering `text`: cut after sentence ends, each at most `max_len` long (cut
    after a comma or space when there is one in the second half, else hard)."""
    out = []
    pos = 0
    n = len(text)
    cuts = [m.end() for m in _SENT_END.finditer(text)]
    if not cuts or cuts[-1] != n:
        cuts.append(n)
    for end in cuts:
        while end - pos > max_len:
            cut = pos + max_len
            for j in range(pos + max_len - 1, pos + max_len // 2, -1):
                if text[j] in _SOFT_BREAK:
                    cut = j + 1
                    break
            out.append((pos, cut))
            pos = cut
        if end > pos:
            out.append((pos, end))
            pos = end
    return out


# code point ranges whose class is known without asking unicodedata: CJK ideographs (1: Han) and large
# blocks at or past U+3000 that are neither digits, Latin, punctuation nor space (10: other): Yi, Hangul
# syllables, surrogates, private use. The table is built at every start-up; this skips two thirds of the loop.
_HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_OTHER_BLOCKS = ((0xA000, 0xA490), (0xAC00, 0xD7A4), (0xD800, 0xF900))


def _class_table(surnames: str) -> np.ndarray:
    """Character class of every BMP code point (see `N_CLS`)."""
    t = np.full(0x10000, 10, dtype=np.int64)  # other
    known = np.zeros(0x10000, dtype=bool)
    for lo, hi in _HAN_BLOCKS:
        t[lo:hi] = 1
        known[lo:hi] = True
    for lo, hi in _OTHER_BLOCKS:
        known[lo:hi] = True
    for cp in np.flatnonzero(~known).tolist():
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if ch.isdigit():
            t[cp] = 4
        elif "A" <= ch <= "Z":
            t[cp] = 5
        elif "a" <= ch <= "z" or (cat.startswith("L") and cp < 0x3000):
            t[cp] = 6
        elif ch in "。！？；!?;":
            t[cp] = 7
        elif cat[0] in "PS":
            t[cp] = 8
        elif ch.isspace():
            t[cp] = 9
    for ch in surnames:
        if ord(ch) < 0x10000 and t[ord(ch)] == 1:
            t[ord(ch)] = 2
    return t


# ------------------------------------------------------------------------------------------------
# features


class Featurizer:
    """Builds the per-character feature ids of a text (numpy, vectorised where it counts).

    `lexicon` is the bundled resource data (gazetteer aliases with labels, cue words, surnames); `vocab`
    holds the character table and the sorted bigram keys that training produced."""

    def __init__(self, lexicon: dict, char_cps: np.ndarray | None = None, bigram_keys: np.ndarray | None = None,
                 use: dict | None = None):
        self.lexicon = lexicon
        self.use = {"bigram": True, "seg": True, "gaz": True, "cls": True, "cue": True} | (use or {})
        gaz = {}
        for alias, label in lexicon["gazetteer"]:
            gaz.setdefault(alias, label)
        self.gaz_label = {a: LABELS.index(lab) for a, lab in gaz.items()}
        self.gaz_words = LongestWords(gaz)
        self.token_only = frozenset(lexicon["token_only"])
        cues = [(w, 1) for w in lexicon["titles_before"]] + [(w, 2) for w in lexicon["titles_after"]] + \
            [(w, 3) for w in lexicon["org_suffixes_strong"]] + [(w, 4) for w in lexicon["org_suffixes_weak"]]
        self.cue_code: dict[str, int] = {}
        for w, c in cues:
            self.cue_code.setdefault(w, c)
        self.cue_words = LongestWords(self.cue_code)
        self.compound_words = LongestWords(lexicon["compound_surnames"])
        self.cls_table = _class_table(lexicon["surnames"])
        self.set_vocab(char_cps, bigram_keys)

    def set_vocab(self, char_cps, bigram_keys) -> None:
        """Characters get ids 2.. in the order of `char_cps`; bigrams (keys `left * 0x110000 + right`,
        0 standing for the text edge) get ids 2.. in the sorted order of `bigram_keys`."""
        if char_cps is None:
            self.char_table = None
        else:
            char_cps = np.asarray(char_cps, dtype=np.int64)
            self.char_table = np.full(int(char_cps.max()) + 2 if len(char_cps) else 2, UNK, dtype=np.int64)
            self.char_table[char_cps] = np.arange(2, len(char_cps) + 2)
        self.bigram_keys = None if bigram_keys is None else np.asarray(bigram_keys, dtype=np.int64)

    @property
    def n_chars(self) -> int:
        return int(self.char_table.max()) + 1

    @property
    def n_bigrams(self) -> int:
        return len(self.bigram_keys) + 2

    # the pieces ---------------------------------------------------------------------------------

    @staticmethod
    def codepoints(text: str) -> np.ndarray:
        return np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.int64)

    @staticmethod
    def fold(cp: np.ndarray) -> np.ndarray:
        """Case-folded code points (A-Z to a-z) for the character and bigram vocabularies."""
        return np.where((cp >= 65) & (cp <= 90), cp + 32, cp)

    def char_ids(self, cpf: np.ndarray) -> np.ndarray:
        t = self.char_table
        if t is None:
            return np.full(len(cpf), UNK, dtype=np.int64)
        inside = cpf < len(t)
        return np.where(inside, t[np.where(inside, cpf, 0)], UNK)

    def bigram_ids(self, cpf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Left and right bigram ids; the text edge and chunk edges (`starts`, `ends`) count as 0."""
        n = len(cpf)
        prev = np.empty(n, dtype=np.int64)
        prev[0] = 0
        prev[1:] = cpf[:-1]
        prev[starts] = 0
        keys = prev * _CP_LIMIT + cpf  # bigram ending at i
        nxt = np.empty(n, dtype=np.int64)
        nxt[-1] = 0
        nxt[:-1] = cpf[1:]
        nxt[ends - 1] = 0
        rkeys = cpf * _CP_LIMIT + nxt  # bigram starting at i
        left = self._lookup(keys)
        # the bigram starting at i is the one ending at i + 1, except at chunk edges and the text's end:
        # look up only those
        right = np.empty(n, dtype=np.int64)
        right[:-1] = left[1:]
        other = np.flatnonzero(np.append(rkeys[:-1] != keys[1:], True))
        right[other] = self._lookup(rkeys[other])
        return left, right

    def _lookup(self, keys: np.ndarray) -> np.ndarray:
        bk = self.bigram_keys
        if bk is None or not len(bk):
            return np.full(len(keys), UNK, dtype=np.int64)
        idx = np.searchsorted(bk, keys)
        idx_c = np.minimum(idx, len(bk) - 1)
        return np.where(bk[idx_c] == keys, idx_c + 2, UNK)

    @staticmethod
    def seg_ids(n: int, tokens) -> np.ndarray:
        """Position of each character in its jieba word: 1 single; 2,3 B/E of two; 4,5,6 B/M/E of three;
        7,8,9 B/M/E of four or more."""
        if not tokens:
            return np.ones(n, dtype=np.int64)
        st = np.fromiter(map(_SECOND, tokens), dtype=np.int64, count=len(tokens))
        en = np.fromiter(map(_THIRD, tokens), dtype=np.int64, count=len(tokens))
        ln = en - st
        tok = np.repeat(np.arange(len(tokens)), ln)
        if len(tok) != n:
            raise ValueError("tokens do not cover the text")
        pos = np.arange(n) - st[tok]
        L = ln[tok]
        last = pos == L - 1
        out = np.where(L == 1, 1,
              np.where(L == 2, np.where(pos == 0, 2, 3),
              np.where(L == 3, np.where(pos == 0, 4, np.where(last, 6, 5)),
                       np.where(pos == 0, 7, np.where(last, 9, 8)))))
        return out.astype(np.int64)

    def gazetteer_spans(self, text: str, tokens) -> list[tuple[int, int, str]]:
        """Gazetteer aliases in `text` (leftmost-longest, not overlapping); aliases that are also common
        words count only on jieba word boundaries, Latin ones only when standing alone."""
        out = []
        tok_starts = tok_ends = None
        for s, e in self.gaz_words.spans(text):
            alias = text[s:e]
            if alias in self.token_only:
                if tok_starts is None:
                    tok_starts = {t[1] for t in tokens}
                    tok_ends = {t[2] for t in tokens}
                if s not in tok_starts or e not in tok_ends:
                    continue
            if alias.isascii() and ((s > 0 and text[s - 1].isalnum() and text[s - 1].isascii()) or
                                    (e < len(text) and text[e].isalnum() and text[e].isascii())):
                continue
            out.append((s, e, LABELS[self.gaz_label[alias]]))
        return out

    @staticmethod
    def gaz_ids(n: int, spans) -> np.ndarray:
        """1 + 4*label + (0 single, 1 begin, 2 inside, 3 end); longer spans win overlaps."""
        out = np.zeros(n, dtype=np.int64)
        for s, e, label in sorted(spans, key=lambda x: x[1] - x[0]):
            base = 1 + 4 * LABELS.index(label)
            if e - s == 1:
                out[s] = base
            else:
                out[s] = base + 1
                out[s + 1:e - 1] = base + 2
                out[e - 1] = base + 3
        return out

    def cls_ids(self, cp: np.ndarray, text: str) -> np.ndarray:
        bmp = cp < 0x10000
        out = np.where(bmp, self.cls_table[np.where(bmp, cp, 0)], np.where(cp >= 0x20000, 1, 10))
        for s, _ in self.compound_words.spans(text):
            out[s] = 3
        return out

    def cue_ids(self, n: int, text: str) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        for s, e in self.cue_words.spans(text):
            out[s:e] = self.cue_code[text[s:e]]
        return out

    # all of them --------------------------------------------------------------------------------

    def features(self, text: str, tokens, chunks, gazetteer_spans=None) -> dict[str, np.ndarray]:
        """Feature ids (int64, one per character) for `text`; `chunks` are the spans fed to the model
        one at a time (bigrams do not cross their edges)."""
        n = len(text)
        cp = self.codepoints(text)
        cpf = self.fold(cp)
        starts = np.fromiter(map(_FIRST, chunks), dtype=np.int64, count=len(chunks))
        ends = np.fromiter(map(_SECOND, chunks), dtype=np.int64, count=len(chunks))
        zeros = np.zeros(n, dtype=np.int64)
        f = {"char": self.char_ids(cpf)}
        if self.use["bigram"]:
            f["bigram_l"], f["bigram_r"] = self.bigram_ids(cpf, starts, ends)
        else:
            f["bigram_l"] = f["bigram_r"] = zeros
        f["seg"] = self.seg_ids(n, tokens) if self.use["seg"] else zeros
        if self.use["gaz"]:
            spans = self.gazetteer_spans(text, tokens) if gazetteer_spans is None else gazetteer_spans
            f["gaz"] = self.gaz_ids(n, spans)
        else:
            f["gaz"] = zeros
        f["cls"] = self.cls_ids(cp, text) if self.use["cls"] else zeros
        f["cue"] = self.cue_ids(n, text) if self.use["cue"] else zeros
        return f


# ------------------------------------------------------------------------------------------------
# CRF decoding (numpy, batched)


def allowed_transitions() -> np.ndarray:
    """BIO constraints: I-X only after B-X or I-X (and never first)."""
    k = len(TAGS)
    ok = np.ones((k, k), dtype=bool)
    for j, t in enumerate(TAGS):
        if t.startswith("I-"):
            lab = t[2:]
            for i, p in enumerate(TAGS):
                ok[i, j] = p in (f"B-{lab}", f"I-{lab}")
    return ok


def allowed_start() -> np.ndarray:
    return np.array([not t.startswith("I-") for t in TAGS])


def _left_pad(em: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray):
    """Emissions moved to the right end of each row (so every row ends at T-1 and the loops need no
    masks). Padding steps allow only O, at no cost; the first real step is corrected so that a row's
    score is exactly that of its own sequence (start scores instead of the O -> tag transition)."""
    B, T, K = em.shape
    shift = T - lengths
    idx = np.arange(T)[None, :] - shift[:, None]
    valid = idx >= 0
    e = np.take_along_axis(em, np.maximum(idx, 0)[:, :, None], axis=1)
    pad_row = np.full(K, -1e4)
    pad_row[0] = 0.0
    e = np.where(valid[:, :, None], e, pad_row)
    rows = np.flatnonzero(shift > 0)
    e[rows, shift[rows]] += start - trans[0]
    return e, shift


def viterbi(em: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Best tag paths for a batch: em (B, T, K) scores, lengths (B,). Returns tags (B, T) (-1 past the end)."""
    B, T, K = em.shape
    e, shift = _left_pad(em, lengths, trans, start)
    score = start[None, :] + e[:, 0]
    back = np.empty((T, B, K), dtype=np.intp)
    for t in range(1, T):
        cand = score[:, :, None] + trans
        back[t] = cand.argmax(axis=1)
        score = cand.max(axis=1) + e[:, t]
    path = _backtrack(back, (score + end).argmax(axis=1))
    idx = np.arange(T)[None, :] + shift[:, None]
    tags = np.take_along_axis(path, np.minimum(idx, T - 1), axis=1)
    tags[idx >= T] = -1
    return tags


def marginals(em: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Posterior tag probabilities (B, T, K) by scaled forward-backward in probability space."""
    B, T, K = em.shape
    e, shift = _left_pad(em, lengths, trans, start)
    e = e - e.max(axis=2, keepdims=True)
    pe = np.exp(e)
    pt = np.exp(np.minimum(trans, 50.0))
    first = np.exp(start - start.max())[None, :] * pe[:, 0]
    last = np.broadcast_to(np.exp(end - end.max()), (B, K))
    p = _posteriors(pe, pt, first, last)
    idx = np.arange(T)[None, :] + shift[:, None]
    return np.take_along_axis(p, np.minimum(idx, T - 1)[:, :, None], axis=1)


def _posteriors(pe: np.ndarray, pt: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Scaled forward-backward in probability space: posteriors (B, T, K) from emission factors `pe`
    (B, T, K), transition factors `pt` (K, K), the first position's forward factors and the last's
    backward ones (B, K); each step is renormalised, so nothing under- or overflows."""
    B, T, K = pe.shape
    alpha = np.empty((B, T, K))
    a = first / first.sum(axis=1, keepdims=True)
    alpha[:, 0] = a
    for t in range(1, T):
        a = (a @ pt) * pe[:, t]
        a /= a.sum(axis=1, keepdims=True)
        alpha[:, t] = a
    beta = np.empty((B, T, K))
    b = last / last.sum(axis=1, keepdims=True)
    beta[:, T - 1] = b
    for t in range(T - 1, 0, -1):
        b = (b * pe[:, t]) @ pt.T
        b /= b.sum(axis=1, keepdims=True)
        beta[:, t - 1] = b
    p = alpha * beta
    return p / p.sum(axis=2, keepdims=True)


def tags_to_spans(tags: np.ndarray) -> list[tuple[int, int, int]]:
    """(start, end, label index) from one BIO tag row (tags < 0 are padding)."""
    return [(int(s), int(e), int(lab)) for _, s, e, lab in batch_spans(tags[None, :])]


def batch_spans(tags: np.ndarray) -> np.ndarray:
    """Entities of a batch of BIO tag rows (B, T) as an (n, 4) array of (row, start, end, label index).
    Relies on the BIO constraint of the decoder: every I-X follows a B-X or I-X."""
    B, T = tags.shape
    flat = np.concatenate([tags, np.full((B, 1), -1)], axis=1).ravel()
    is_b = (flat > 0) & (flat % 2 == 1)
    begins = np.flatnonzero(is_b)
    if not len(begins):
        return np.zeros((0, 4), dtype=np.int64)
    not_i = np.flatnonzero(~((flat > 0) & (flat % 2 == 0)))
    ends = not_i[np.searchsorted(not_i, begins + 1)]
    row = begins // (T + 1)
    return np.stack([row, begins - row * (T + 1), ends - row * (T + 1), (flat[begins] - 1) // 2], axis=1)


# ------------------------------------------------------------------------------------------------
# the model


class NerModel:
    """A trained model: `config.json`, `vocab.npz`, `model.onnx` in one folder."""

    def __init__(self, folder: Path, featurizer: Featurizer, session, crf: dict, config: dict):
        self.folder = folder
        self.featurizer = featurizer
        self.session = session
        self.config = config
        self.max_len = int(config.get("max_len", 160))
        # a convolutional encoder sees `radius` characters either side, and zeroes the padding positions
        # after each layer, so that a layer of dilation d reads at most d of them: chunks can then share a
        # row of the batch, `gap` (the largest dilation) padding characters apart, with exactly the scores
        # they get alone
        self.radius = config.get("radius")
        self.gap = config.get("gap", self.radius)
        self.row_len = int(config.get("row_len", 0))
        self.batch_chars = int(config.get("batch_chars", 8192))
        ok = allowed_transitions()
        self.trans = np.where(ok, crf["transitions"], -1e4)
        self.start = np.where(allowed_start(), crf["start"], -1e4)
        self.end = crf["end"].astype(np.float64)
        self.inputs = [i.name for i in session.get_inputs()]

    @classmethod
    def load(cls, path, threads: int = 1, max_len: int | None = None) -> NerModel:
        """The model in folder `path`. One intra-op thread by default: deterministic, and one core per
        worker process (scale out with `--workers`, not threads)."""
        import onnxruntime as ort

        folder = Path(path)
        for name in ("config.json", "vocab.npz", "model.onnx"):
            if not (folder / name).is_file():
                raise FileNotFoundError(f"NER model: {folder / name} is missing (see models/ner/MODEL_CARD.md; "
                                        "`make train-ner` rebuilds it)")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("format") != "zhner/1":
            raise ValueError(f"NER model: {folder} has format {config.get('format')!r}, expected 'zhner/1'")
        vocab = np.load(folder / "vocab.npz")
        feat = Featurizer(config["lexicon"], vocab["char_cps"], vocab["bigram_keys"], use=config.get("use"))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        session = ort.InferenceSession(str(folder / "model.onnx"), sess_options=opts,
                                       providers=["CPUExecutionProvider"])
        crf = {k: vocab[k].astype(np.float64) for k in ("transitions", "start", "end")}
        if max_len:
            config = config | {"max_len": max_len}
        return cls(folder, feat, session, crf, config)

    def emissions(self, batch: dict[str, np.ndarray]) -> np.ndarray:
        return self.session.run(None, {k: batch[k] for k in self.inputs})[0]

    def chunks(self, text: str, regions=None) -> list[tuple[int, int]]:
        """The chunks of `text` the model tags: inside `regions` (default: all of it), only those with a
        Han character."""
        out = []
        for r0, r1 in regions if regions is not None else ((0, len(text)),):
            if r1 > r0:
                out += [(s + r0, e + r0) for s, e in chunk_spans(text[r0:r1], self.max_len)]
        kept = []
        for s, e in out:  # white space at a chunk's edges (paragraph breaks) is not fed to the model
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if _HAN.search(text, s, e):
                kept.append((s, e))
        return kept

    def predict(self, text: str, tokens, gazetteer_spans=None, *, regions=None, confidence: bool = False
                ) -> list[tuple[int, int, str, float]]:
        """Entities of `text` as (start, end, PERSON|ORG|GPE, confidence), sorted by start (confidence
        1.0 unless asked for)."""
        chunks = self.chunks(text, regions) if text else []
        if not chunks:
            return []
        f = self.featurizer.features(text, tokens, chunks, gazetteer_spans)
        return self._run(f, chunks, confidence)

    def predict_many(self, items, *, confidence: bool = False) -> list[list[tuple[int, int, str, float]]]:
        """Several (text, tokens) pairs at once (batches across texts: faster for short texts)."""
        offs, feats, chunks = [], [], []
        base = 0
        for text, tokens in items:
            ch = self.chunks(text) if text else []
            if ch:
                feats.append(self.featurizer.features(text, tokens, ch))
                chunks.extend((s + base, e + base) for s, e in ch)
            else:
                feats.append({k: np.zeros(len(text), dtype=np.int64) for k in FEATURES})
            offs.append(base)
            base += len(text)
        if not chunks:
            return [[] for _ in items]
        f = {k: np.concatenate([x[k] for x in feats]) for k in FEATURES}
        found = self._run(f, chunks, confidence)
        out: list[list] = [[] for _ in items]
        bounds = np.array(offs[1:] + [base])
        for s, e, lab, c in found:
            i = int(np.searchsorted(bounds, s, side="right"))
            out[i].append((s - offs[i], e - offs[i], lab, c))
        return out

    def _batches(self, lengths: np.ndarray):
        """Chunk indices in batches of similar length: sorted by length, a new batch when padding to the
        longest would waste more than a quarter of the batch, or past `batch_chars`."""
        order = np.argsort(lengths, kind="stable")
        batch: list[int] = []
        total = 0
        for k in order:
            n = int(lengths[k])
            if batch and (n * (len(batch) + 1) > self.batch_chars or total + n < 0.75 * n * (len(batch) + 1)):
                yield np.array(batch)
                batch, total = [], 0
            batch.append(k)
            total += n
        if batch:
            yield np.array(batch)

    def _run(self, f, chunks, confidence) -> list[tuple[int, int, str, float]]:
        if self.radius is not None:
            return self._run_packed(f, chunks, confidence)
        starts_all = np.fromiter(map(_FIRST, chunks), dtype=np.int64, count=len(chunks))
        lengths = np.fromiter((c[1] - c[0] for c in chunks), dtype=np.int64, count=len(chunks))
        out = []
        for idx in self._batches(lengths):
            lens = lengths[idx]
            T = int(lens.max())
            starts = starts_all[idx]
            ar = np.arange(T)
            valid = ar[None, :] < lens[:, None]
            pos = np.where(valid, starts[:, None] + ar[None, :], 0)
            batch = {k: np.where(valid, f[k][pos], PAD) for k in FEATURES}
            em = self.emissions(batch).astype(np.float64)
            tags = viterbi(em, lens, self.trans, self.start, self.end)
            spans = batch_spans(tags)
            if not len(spans):
                continue
            conf = np.ones(len(spans))
            if confidence:
                rows = np.unique(spans[:, 0])
                probs = marginals(em[rows], lens[rows], self.trans, self.start, self.end)
                where = np.searchsorted(rows, spans[:, 0])
                tagp = np.take_along_axis(probs, np.maximum(tags[rows], 0)[:, :, None], axis=2)[:, :, 0]
                conf = np.array([tagp[w, s:e].min() for w, (_, s, e, _) in zip(where, spans)])
            for (r, s, e, lab), c in zip(spans.tolist(), conf.tolist()):
                out.append((starts[r] + s, starts[r] + e, LABELS[lab], round(c, 4)))
        out.sort()
        return [(int(s), int(e), lab, c) for s, e, lab, c in out]

    def _run_packed(self, f, chunks, confidence) -> list[tuple[int, int, str, float]]:
        """Chunks packed into rows of W positions (the longest chunk and its gap), each followed by `gap`
        padding positions; one encoder call and one decoding pass per group of rows (at most
        `batch_chars` positions, which bounds memory on long texts). The rows are filled best-fit, longest
        chunk first (`pack_rows`): in reading order, a row held one and a half chunks on average and a
        third of the positions the encoder ran over were padding.

        Exact: the encoder cannot see across the padding (each layer zeroes it, and a layer of dilation d
        reaches d positions into it), padding positions may only be O, and the first and last character
        of each chunk get `start - trans[O]` / `end - trans[:, O]` added, so the best path and the
        marginals of each chunk are those of the chunk alone."""
        gap = max(int(self.gap), 1)
        W = max(self.row_len, max(e - s for s, e in chunks) + gap)
        rows = pack_rows(chunks, W, gap)
        per_group = max(1, self.batch_chars // W)
        out = []
        for g in range(0, len(rows), per_group):
            out += self._decode_rows(f, rows[g:g + per_group], W, confidence)
        out.sort()
        return out

    def _decode_rows(self, f, rows, W, confidence) -> list[tuple[int, int, str, float]]:
        R = len(rows)
        pos = np.full((R, W), -1, dtype=np.int64)
        firsts, lasts = [], []
        for r, row in enumerate(rows):
            for s, off, n in row:
                pos[r, off:off + n] = np.arange(s, s + n)
                firsts.append(r * W + off)
                lasts.append(r * W + off + n - 1)
        valid = pos >= 0
        safe = np.where(valid, pos, 0)
        batch = {k: np.where(valid, f[k][safe], PAD) for k in FEATURES}
        em = self.emissions(batch).astype(np.float64)
        K = em.shape[2]
        pad_row = np.full(K, -1e4)
        pad_row[0] = 0.0
        em = np.where(valid[:, :, None], em, pad_row)
        flat = em.reshape(R * W, K)
        flat[firsts] += self.start - self.trans[0]
        flat[lasts] += self.end - self.trans[:, 0]
        tags = _viterbi_rows(em, self.trans)
        spans = batch_spans(np.where(valid, tags, -1))
        if not len(spans):
            return []
        conf = np.ones(len(spans))
        if confidence:
            conf = _span_confidence(em, tags, spans, self.trans)
        text_pos = pos[spans[:, 0], spans[:, 1]]
        return [(int(p), int(p + e - s), LABELS[lab], round(c, 4))
                for p, (_, s, e, lab), c in zip(text_pos.tolist(), spans.tolist(), conf.tolist())]


def pack_rows(chunks, width: int, gap: int) -> list[list[tuple[int, int, int]]]:
    """Rows of at most `width` positions holding every chunk [start, end) followed by `gap` positions of
    padding, as (start, offset in the row, length): best-fit decreasing (each chunk, longest first, goes
    to the fullest row it fits in, else a new row). Deterministic; the free space of the rows is kept in
    a sorted list of distinct values, so a chunk costs a bisection."""
    order = sorted(range(len(chunks)), key=lambda i: chunks[i][0] - chunks[i][1])  # longest first, stable
    rows: list[list[tuple[int, int, int]]] = []
    used: list[int] = []
    by_free: dict[int, list[int]] = {}  # free positions -> rows with that much room
    frees: list[int] = []  # the keys of by_free, sorted
    for i in order:
        s, e = chunks[i]
        need = e - s + gap
        if need > width:
            raise ValueError(f"a chunk of {e - s} characters does not fit a row of {width}")
        k = bisect.bisect_left(frees, need)
        if k < len(frees):
            free = frees[k]
            holders = by_free[free]
            r = holders.pop()
            if not holders:
                del by_free[free]
                frees.pop(k)
        else:
            r, free = len(rows), width
            rows.append([])
            used.append(0)
        rows[r].append((s, used[r], e - s))
        used[r] += need
        left = free - need
        if left > gap:  # room for one more character and its gap
            if left in by_free:
                by_free[left].append(r)
            else:
                by_free[left] = [r]
                bisect.insort(frees, left)
    return rows


def _viterbi_rows(e: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Viterbi over rows that start after an implicit O and end in a forced O (packed rows).

    The scores are laid out (tag, row), so each step reduces over the leading axis of a (from, to, row)
    array: contiguous slabs, twice as fast as reducing the last axis of (row, to, from)."""
    B, T, K = e.shape
    et = np.ascontiguousarray(e.transpose(1, 2, 0))  # (T, K, B)
    into = np.ascontiguousarray(trans[:, :, None])  # (from, to, 1)
    score = trans[0][:, None] + et[0]  # (K, B)
    back = np.empty((T, K, B), dtype=np.intp)
    cand = np.empty((K, K, B))
    for t in range(1, T):
        np.add(score[:, None, :], into, out=cand)
        cand.argmax(axis=0, out=back[t])  # the first best predecessor
        cand.max(axis=0, out=score)
        score += et[t]
    return _backtrack(back.transpose(0, 2, 1), score.argmax(axis=0))


def _backtrack(back: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The best paths (B, T) from the back-pointers (T, B, K) and each row's best last tag."""
    T, B, _ = back.shape
    path = np.empty((B, T), dtype=np.int64)
    rows = np.arange(B)
    cur = last
    path[:, T - 1] = cur
    for t in range(T - 1, 0, -1):
        cur = back[t, rows, cur]
        path[:, t - 1] = cur
    return path


def _span_confidence(e: np.ndarray, tags: np.ndarray, spans: np.ndarray, trans: np.ndarray,
                     margin: int = 8) -> np.ndarray:
    """Per entity, the smallest posterior probability of its tags, by forward-backward on a window of
    `margin` characters either side of it (beyond that the CRF's influence is negligible; padding
    positions are O). Vectorised over all entities."""
    B, T, K = e.shape
    n = len(spans)
    L = int((spans[:, 2] - spans[:, 1]).max()) + 2 * margin
    lo = spans[:, 1] - margin
    idx = lo[:, None] + np.arange(L)[None, :]
    inside = (idx >= 0) & (idx < T)
    pad_row = np.full(K, -1e4)
    pad_row[0] = 0.0
    w = np.where(inside[:, :, None], e[spans[:, 0][:, None], np.clip(idx, 0, T - 1)], pad_row)
    w = w - w.max(axis=2, keepdims=True)
    pe = np.exp(w)
    pt = np.exp(np.minimum(trans, 50.0))
    p = _posteriors(pe, pt, pe[:, 0] * pt[0][None, :], np.ones((n, K)))
    tg = np.where(inside, tags[spans[:, 0][:, None], np.clip(idx, 0, T - 1)], 0)
    pt_tag = np.take_along_axis(p, tg[:, :, None], axis=2)[:, :, 0]
    in_span = (np.arange(L)[None, :] >= margin) & (np.arange(L)[None, :] < margin + spans[:, 2:3] - spans[:, 1:2])
    return np.where(in_span, pt_tag, 1.0).min(axis=1)


@functools.lru_cache(maxsize=4)
def load_model(path: str, threads: int = 1) -> NerModel:
    """The model in folder `path`, loaded once per process (and per thread count)."""
    return NerModel.load(path, threads=threads)
