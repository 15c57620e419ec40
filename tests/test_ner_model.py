"""Checks of the entity model's runtime (`pipeline/entity/model.py`):

- the numpy CRF decoding against brute-force enumeration;
- the packed run (all chunks of a text in shared rows, the largest dilation of padding apart) gives the
  same scores and spans as each chunk alone, and the rows are packed tightly;
- offsets are exact on long texts with every kind of break, and nothing crosses a chunk edge badly.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.entity.model import (
    TAGS,
    NerModel,
    _class_table,
    allowed_start,
    allowed_transitions,
    batch_spans,
    chunk_spans,
    marginals,
    pack_rows,
    viterbi,
)

MODEL = Path(__file__).resolve().parent.parent / "models" / "ner"


def test_decoding_matches_enumeration():
    rng = np.random.default_rng(0)
    K = len(TAGS)
    trans = np.where(allowed_transitions(), rng.normal(size=(K, K)), -1e4)
    start = np.where(allowed_start(), rng.normal(size=K), -1e4)
    end = rng.normal(size=K)
    em = rng.normal(size=(4, 5, K)) * 2
    lengths = np.array([5, 3, 1, 4])
    tags = viterbi(em, lengths, trans, start, end)
    probs = marginals(em, lengths, trans, start, end)
    for b, n in enumerate(lengths):
        best, z, marg = None, 0.0, np.zeros((n, K))
        for path in itertools.product(range(K), repeat=int(n)):
            sc = start[path[0]] + em[b, 0, path[0]] + end[path[-1]] + sum(
                trans[path[i - 1], path[i]] + em[b, i, path[i]] for i in range(1, n))
            if best is None or sc > best[0]:
                best = (sc, path)
            w = np.exp(sc)
            z += w
            for i, k in enumerate(path):
                marg[i, k] += w
        assert tuple(tags[b, :n]) == best[1]
        assert np.allclose(probs[b, :n], marg / z, atol=1e-6)


def test_batch_spans():
    t = np.array([[0, 1, 2, 2, 0, 3, 5, 6, -1], [5, 6, 6, 1, 3, 4, 0, 0, 0]])
    assert batch_spans(t).tolist() == [[0, 1, 4, 0], [0, 5, 6, 1], [0, 6, 8, 2], [1, 0, 3, 2], [1, 3, 4, 0],
                                       [1, 4, 6, 1]]


def test_chunks_cover_text():
    text = "甲" * 400 + "。乙,丙" * 30 + "\n\n" + "丁" * 10
    chunks = chunk_spans(text, 160)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(chunks, chunks[1:]))
    assert all(0 < e - s <= 160 for s, e in chunks)


def _tokens(text):
    return [(ch, i, i + 1) for i, ch in enumerate(text)]


@pytest.mark.skipif(not (MODEL / "model.onnx").exists(), reason="no shipped model")
def test_packed_equals_alone_and_offsets_exact():
    model = NerModel.load(MODEL)
    sents = ["国务院总理李克强在中南海紫光阁会见来华访问的德国总理默克尔。",
             "金山云CEO王育林宣布,公司通过港股配售募资约28亿港元。",
             "记者从中国铁路上海局集团有限公司获悉,今年上半年客流回升。\n"]
    text = "".join(sents * 40)
    found = model.predict(text, _tokens(text))
    alone = []
    pos = 0
    for s in sents * 40:
        alone += [(a + pos, b + pos, lab) for a, b, lab, _ in model.predict(s, _tokens(s))]
        pos += len(s)
    assert [f[:3] for f in found] == alone
    for s, e, _lab, conf in found:
        assert 0 <= s < e <= len(text) and 0.0 <= conf <= 1.0
    assert model.predict("", []) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 64), min_size=1, max_size=300), st.integers(1, 8), st.integers(0, 40))
def test_rows_hold_every_chunk_once_apart_and_tightly(lengths, gap, extra):
    chunks, pos = [], 0
    for n in lengths:
        chunks.append((pos, pos + n))
        pos += n + 1
    width = max(lengths) + gap + extra
    rows = pack_rows(chunks, width, gap)
    placed = sorted((s, s + n) for row in rows for s, _off, n in row)
    assert placed == sorted(chunks)
    for row in rows:
        spans = sorted((off, off + n) for _s, off, n in row)
        assert spans[-1][1] + gap <= width
        assert all(a[1] + gap <= b[0] for a, b in itertools.pairwise(spans))
    # never more rows than filling them in reading order, and within the bin-packing bound
    greedy, used = 1, 0
    for n in lengths:
        if used + n + gap > width:
            greedy, used = greedy + 1, 0
        used += n + gap
    assert len(rows) <= greedy
    assert len(rows) <= 2 * -(-sum(n + gap for n in lengths) // width)


def test_packed_scores_equal_alone_with_the_largest_dilation_between_chunks():
    model = NerModel.load(MODEL)
    assert model.gap == 4 and model.radius == 7  # dilations 1, 2, 4
    sents = ["好。", "国务院总理李克强在中南海紫光阁会见来华访问的德国总理默克尔。", "他说:",
             "金山云CEO王育林宣布,公司通过港股配售募资约28亿港元,用于研发和补充营运资金,并偿还部分银行借款。",
             "记者从中国铁路上海局集团有限公司获悉。\n", "张三、李四"]
    text = "".join(sents * 30)
    tokens = _tokens(text)
    chunks = model.chunks(text)
    feats = model.featurizer.features(text, tokens, chunks)
    seen = []
    real = model.emissions
    model.emissions = lambda batch: seen.append((batch["char"].copy(), real(batch))) or seen[-1][1]
    model._run_packed(feats, chunks, False)
    model.emissions = real
    packed = {}
    for chars, _em in seen:
        assert (chars > 0).mean() > 0.8  # tightly packed
    rows = pack_rows(chunks, max(e - s for s, e in chunks) + model.gap, model.gap)
    per_group = max(1, model.batch_chars // (max(e - s for s, e in chunks) + model.gap))
    for g, (_chars, em) in enumerate(seen):
        for r, row in enumerate(rows[g * per_group:(g + 1) * per_group]):
            for s, off, n in row:
                packed[s] = em[r, off:off + n]
    for s, e in chunks:
        alone = real({k: v[s:e][None, :] for k, v in feats.items()})[0]
        np.testing.assert_allclose(packed[s], alone, atol=1e-4)


def test_bigram_ids_are_those_of_each_chunk_alone():
    """Left and right bigrams per character, the chunk's edges standing for the text's edge."""
    feat = NerModel.load(MODEL).featurizer
    text = "国务院总理李克强在中南海会见默克尔。\n\n金山云CEO王育林宣布配售,募资约28亿港元。ab"
    chunks = [(0, 18), (20, 34), (34, 45)]
    cpf = feat.fold(feat.codepoints(text))
    left, right = feat.bigram_ids(cpf, np.array([c[0] for c in chunks]), np.array([c[1] for c in chunks]))
    keys = {int(k): i + 2 for i, k in enumerate(feat.bigram_keys)}
    for s, e in chunks:
        for i in range(s, e):
            before = int(cpf[i - 1]) if i > s else 0
            after = int(cpf[i + 1]) if i + 1 < e else 0
            assert left[i] == keys.get(before * 0x110000 + int(cpf[i]), 1), i
            assert right[i] == keys.get(int(cpf[i]) * 0x110000 + after, 1), i


def test_character_classes_skip_no_code_point_they_would_class():
    """The class table skips whole blocks (Han, Hangul, private use ...): it equals asking every code point."""
    import unicodedata

    surnames = "王李张欧阳"
    table = _class_table(surnames)
    for cp in range(0x10000):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff":
            want = 2 if ch in surnames else 1
        elif ch.isdigit():
            want = 4
        elif "A" <= ch <= "Z":
            want = 5
        elif "a" <= ch <= "z" or (cat.startswith("L") and cp < 0x3000):
            want = 6
        elif ch in "。！？；!?;":
            want = 7
        elif cat[0] in "PS":
            want = 8
        elif ch.isspace():
            want = 9
        else:
            want = 10
        assert table[cp] == want, hex(cp)


def test_spacy_is_imported_without_pytorch():
    """thinc imports PyTorch when it can; the runtime keeps it from doing so (1.5 s of start-up and a large
    share of a worker's memory where the `train` extra is installed), and `import torch` still works."""
    import importlib.util
    import subprocess
    import sys

    code = ("import sys, pipeline.entity.components, thinc.compat\n"
            "print('torch' in sys.modules, thinc.compat.has_torch)\n"
            "import importlib.util; print(importlib.util.find_spec('torch') is not None)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout.split()
    assert out[:2] == ["False", "False"]
    assert out[2] == str(importlib.util.find_spec("torch") is not None)
    if out[2] == "True":
        done = subprocess.run([sys.executable, "-c", "import pipeline.entity.components, torch; print(torch.ones(2).sum().item())"],
                              capture_output=True, text=True, check=True,
                              cwd=Path(__file__).resolve().parent.parent).stdout.strip()
        assert done == "2.0"


def test_spacy_is_imported_without_its_command_line_which_still_works_afterwards():
    """spaCy's command line (about 0.3 s of start-up) is not imported with spaCy; `spacy.cli` and
    `spacy.info` load the real one when asked for, and the pipeline runs."""
    import subprocess
    import sys

    code = ("import sys, pipeline.entity.components, spacy\n"
            "print('spacy.cli' in sys.modules, hasattr(spacy, 'cli'))\n"
            "nlp = spacy.blank('zh'); print(type(nlp).__name__)\n"
            "import spacy.cli; print(callable(spacy.cli.download), callable(spacy.cli.info), callable(spacy.info))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout.split()
    assert out == ["False", "False", "Chinese", "True", "True", "True"]


def test_the_shipped_model_stays_under_the_30_mb_the_repository_allows():
    files = [p for p in MODEL.iterdir() if p.is_file()]
    assert {"model.onnx", "vocab.npz", "config.json", "MODEL_CARD.md"} <= {p.name for p in files}
    assert sum(p.stat().st_size for p in files) <= 30_000_000


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="甲乙丙丁ab", min_size=1, max_size=4), max_size=8),
       st.text(alphabet="甲乙丙丁ab,", max_size=40))
def test_longest_words_finds_what_a_longest_first_alternation_finds(words, text):
    import re

    from pipeline.entity.model import LongestWords

    ordered = sorted(set(words), key=len, reverse=True)
    want = [m.span() for m in re.finditer("|".join(map(re.escape, ordered)), text)] if ordered else []
    assert LongestWords(words).spans(text) == want

