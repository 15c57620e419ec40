"""Segmentation: our own jieba tokenizer, loaded with the words in rules/, rebuilding the text."""

from __future__ import annotations

import jieba

from pipeline.resources import load_rules
from pipeline.text import normalise
from pipeline.text.segment import load_segmenter


def test_tokens_rebuild_the_text_exactly(corpus_files):
    seg = load_segmenter(load_rules())
    for path in corpus_files:
        text = normalise(path.read_text(encoding="utf-8")).text
        tokens = seg.tokens(text)
        assert "".join(w for w, _, _ in tokens) == text
        assert all(text[s:e] == w for w, s, e in tokens)


def test_rule_words_stay_whole():
    seg = load_segmenter(load_rules())
    words = [w for w, _, _ in seg.tokens("金山云控股有限公司在香港联合交易所有限公司上市,IDG资本合伙人投资")]
    assert "金山云控股有限公司" in words
    assert "香港联合交易所有限公司" in words


def test_own_tokenizer_does_not_touch_jiebas_default():
    seg = load_segmenter(load_rules())
    assert seg.tokenizer is not jieba.dt
    default_words = list(jieba.dt.cut("金山云控股有限公司"))
    assert "金山云控股有限公司" not in default_words  # our user words did not leak into the default


def test_whitespace_and_symbols_are_kept():
    seg = load_segmenter(load_rules())
    text = "  收入 7,047,461\t(2,183,647)\n\n毛利率 12.1%  "
    assert "".join(w for w, _, _ in seg.tokens(text)) == text


def test_jieba_next_gives_classic_jiebas_tokens_on_the_corpus(corpus_files):
    """The fast segmenter may replace jieba only because its output is the same on our text."""
    from pipeline.text.segment import Segmenter

    words = load_rules().user_words()
    fast, classic = Segmenter(words, "jieba-next"), Segmenter(words, "jieba")
    assert (fast.implementation, classic.implementation) == ("jieba-next", "jieba")
    for path in corpus_files:
        text = normalise(path.read_text(encoding="utf-8")).text
        assert fast.tokens(text) == classic.tokens(text), path.name


def test_long_runs_are_segmented_in_bounded_chunks_in_linear_time():
    """Counting work: every call into jieba gets at most CHUNK characters, so the total is linear; and a
    run without any break is cut at the limit instead of being handed to jieba whole."""
    from pipeline.text.segment import CHUNK, chunks

    seg = load_segmenter(load_rules())
    calls = []
    real_cut = seg.tokenizer.cut
    for text in ("a" * 300_000, "亿" * 300_000, "金山云宣布募资,收入增长。" * 20_000):
        pieces = chunks(text)
        assert all(0 < e - s <= CHUNK for s, e in pieces) and pieces[0][0] == 0 and pieces[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
        try:
            seg.tokenizer.cut = lambda t, HMM=True: (calls.append(len(t)), real_cut(t, HMM=HMM))[1]
            tokens = seg.tokens(text)
        finally:
            seg.tokenizer.cut = real_cut
        assert "".join(w for w, _, _ in tokens) == text
    assert max(calls) <= CHUNK


def test_a_deadline_stops_segmentation_between_chunks():
    import time

    import pytest

    seg = load_segmenter(load_rules())
    with pytest.raises(TimeoutError):
        seg.tokens("金山云宣布募资。" * 100_000, deadline=time.process_time() - 1)


def test_the_dictionarys_tags_are_kept_between_processes_and_a_damaged_file_is_read_again(tmp_path):
    from pipeline.text.segment import Segmenter

    first = Segmenter([], cache_dir=str(tmp_path))
    tagged = first._tagged  # read from the dictionary, then kept
    path = first._tags_path()
    assert path.parent == tmp_path and path.is_file()
    assert "西门子" in first.proper_nouns and "中关村" in first.place_nouns and tagged[2]
    again = Segmenter([], cache_dir=str(tmp_path))
    assert again._tagged == tagged  # from the file
    path.write_bytes(b"not marshal")
    damaged = Segmenter([], cache_dir=str(tmp_path))
    assert damaged._tagged == tagged  # read from the dictionary again


def test_the_prefix_dictionary_with_our_words_is_kept_between_processes_and_cuts_the_same(tmp_path):
    """The second segmenter reads jieba's dictionary and our words from one file (a quarter of the time of
    jieba's own cache) and cuts exactly as one built from the dictionary; a damaged file is rebuilt, and
    another list of words has its own file."""
    from pipeline.text.segment import Segmenter

    words = load_rules().user_words()
    text = "金山云控股有限公司宣布，摩尔线程创始人张建中表示，2024年营收同比增长12.5%。台积电(2330-TW)月营收创新高。"
    built = Segmenter(words, cache_dir=str(tmp_path))
    path = built._state_path(words)
    assert path.is_file()
    kept = Segmenter(words, cache_dir=str(tmp_path))
    assert kept.tokenizer.FREQ == built.tokenizer.FREQ and kept.tokenizer.total == built.tokenizer.total
    assert kept.tokens(text) == built.tokens(text)
    path.write_bytes(b"not marshal")
    again = Segmenter(words, cache_dir=str(tmp_path))
    assert again.tokens(text) == built.tokens(text) and kept.tokenizer.FREQ == again.tokenizer.FREQ
    other = Segmenter(words[:10], cache_dir=str(tmp_path))
    assert other._state_path(words[:10]) != path and "金山云控股有限公司" not in other.tokenizer.FREQ
