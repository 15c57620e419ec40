"""Normalisation: decoding, script, width, debris, front matter, wrapped lines, and the offset map."""

from __future__ import annotations

import codecs

import pytest

from pipeline.errors import DecodeError
from pipeline.text import decode_bytes, fold_width, normalise, to_simplified

TRAD = "金山雲於二零二四年公佈計劃，收入為人民幣7,785.2百萬元。"


@pytest.mark.parametrize("encoding,prefix,expected", [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ("gb18030", b"", "gb18030"),
    ("big5", b"", "big5hkscs"),  # Big5-HKSCS reads every Big5 file, and the HK characters too
])
def test_decode_names_the_encoding(encoding, prefix, expected):
    raw = prefix + TRAD.encode(encoding)
    text, name = decode_bytes(raw)
    assert text == TRAD
    assert name == expected


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom(encoding):
    text = "金山雲於2024年公佈計劃,收入為人民幣7,785.2百萬元。\n"
    assert decode_bytes(text.encode(encoding)) == (text, encoding)


def test_decode_simplified_gb18030():
    s = "金山云计划于2024年发布财报，市值逼近52亿美元。"
    assert decode_bytes(s.encode("gb18030")) == (s, "gb18030")


def test_undecodable_bytes_are_a_clear_error_naming_the_file():
    raw = b"\xff\xfe\xfd" * 5 + b"\x81"  # no BOM match for utf-16 (odd length), invalid everywhere
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"\x80\x80\xff\x00\x81", source="bad.txt")
    assert "bad.txt" in str(info.value)
    assert info.value.stage == "decode"
    del raw


@pytest.mark.parametrize("trad,simp", [("雲", "云"), ("於", "于"), ("計劃", "计划"), ("金山雲", "金山云"),
                                       ("香港聯合交易所有限公司", "香港联合交易所有限公司"), ("僱員", "雇员")])
def test_opencc_traditional_to_simplified(trad, simp):
    assert to_simplified(trad) == simp


def test_script_detection():
    assert normalise(TRAD).script == "traditional"
    assert normalise("金山云计划于二零二四年发布财报，收入为人民币七十亿元。").script == "simplified"
    assert normalise("金山雲計劃於二零二四年發布。金山云计划于二零二四年发布财报。这是简体字说明").script == "mixed"
    assert normalise("12345 abc").script == "unknown"


def test_full_width_folds_to_half_width():
    assert fold_width("ＡＢＣ１２３，（％）：") == "ABC123,(%):"
    n = normalise("收入為人民幣７，７８５．２百萬元，增長１０．５％")
    assert "7,785.2" in n.text and "10.5%" in n.text


def test_pinyin_debris_is_removed_and_offsets_still_hold():
    original = "媒體|AI大模型工場(chǎng)\n產(chǎn)業(yè)發(fā)展"
    n = normalise(original)
    assert "工场" in n.text and "产业" in n.text and "(" not in n.text
    i = n.text.index("工场")
    assert n.original_text(i, i + 2) == "工場"
    j = n.text.index("产业")
    assert n.original_text(j, j + 2) == "產(chǎn)業"
    assert any(note.code == "pinyin_removed" for note in n.notes)


def test_lost_characters_are_reported_and_latin_text_survives():
    original = "正式?jīng)_刺港股。其8月發(fā)布的旗艦?zāi)P虶LM-4.5,是全球首個"
    n = normalise(original)
    lost = [x for x in n.notes if x.code == "lost_character"]
    assert [original[x.start:x.end] for x in lost] == ["?jīng)_", "?zāi)P"]
    assert "GLM-4.5" in n.text  # the G swallowed into 虶 (GBK CD 47) is recovered
    k = n.text.index("GLM-4.5")
    assert n.original_text(k, k + 7) == "虶LM-4.5"
    assert any(x.code == "recovered_character" for x in n.notes)


def test_front_matter_becomes_metadata_and_title_stays_content():
    original = (
        "---\ntitle: 云知声登陆港交所\ndate: 2025-06-30T19:10:04+08:00\ndraft: false\n"
        "summary: 首日市值突破220亿港元。\ntags:\n  - AI独角兽\n  - 港交所上市\n---\n\n"
        "> 在经历长达五年的上市跋涉后。\n\n![](/img/a.jpg)\n正文[^1]提到[36氪](https://36kr.com/p/1)。\n"
    )
    n = normalise(original)
    assert n.metadata["title"] == "云知声登陆港交所"
    assert n.metadata["date"] == "2025-06-30T19:10:04+08:00"  # kept as written, not moved to UTC
    assert n.metadata["tags"] == ["AI独角兽", "港交所上市"]
    assert n.metadata["summary"] == "首日市值突破220亿港元。"
    assert n.text.startswith("云知声登陆港交所")
    assert "![" not in n.text and "https" not in n.text and "[^1]" not in n.text and ">" not in n.text
    assert "36氪" in n.text and "220亿港元" not in n.text  # the summary is metadata only
    i = n.text.index("36氪")
    assert n.original_text(i, i + 3) == "36氪"


def test_invalid_front_matter_is_a_warning_not_a_crash():
    n = normalise("---\ntitle: [unclosed\n---\n正文")
    assert any(x.code == "front_matter_invalid" for x in n.notes)
    assert "正文" in n.text


def test_hard_wrapped_lines_are_joined_but_tables_are_not():
    body = "".join(f"於報告期內，我們的總收入達到人民幣7,785.2百萬元（1,066.6百萬美元），同比增加第{i}項\n"
                   for i in range(8))
    original = body.rstrip("\n") + "人民幣\n850.2百萬元增加。\n\n收入 7,047,461 7,785,180 10.5%\n毛利 850,169 1,340,926 57.7%\n"
    n = normalise(original)
    assert "人民币850.2百万元" in n.text
    assert "收入 7,047,461 7,785,180 10.5%\n毛利" in n.text
    i = n.text.index("人民币850.2百万元")
    assert n.original_text(i, i + len("人民币850.2百万元")) == "人民幣\n850.2百萬元"


def test_offset_map_is_monotone_and_in_bounds(corpus_files):
    for path in corpus_files:
        original = path.read_text(encoding="utf-8")
        n = normalise(original)
        assert len(n.starts) == len(n.ends) == len(n.text)
        prev = 0
        for s, e in zip(n.starts, n.ends):
            assert 0 <= s <= e <= len(original)
            assert s >= prev
            prev = s


def test_random_bytes_are_not_taken_for_utf16():
    with pytest.raises(DecodeError):
        decode_bytes(b"\x80\x80\xff\x00\x81\xfe\x80\x80\xff\x00\x81\xfe")


def _yaml_bomb(levels: int) -> str:
    doc = "---\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, levels + 1):
        doc += f"a{i}: &a{i} [" + ", ".join(f"*a{i - 1}" for _ in range(9)) + "]\n"
    return doc + "---\n金山云募资约28亿港元。"


@pytest.mark.parametrize("front,why", [
    (_yaml_bomb(8)[:-len("金山云募资约28亿港元。")], "nodes once aliases are expanded"),  # 347 bytes, 9^9 nodes
    ("---\nx: " + "[" * 5_000 + "]" * 5_000 + "\n---\n", "nested deeper"),
    ("---\na: &a\n  b: *a\n---\n", "refers to itself"),
    ("---\nnote: '" + "长" * 30_000 + "'\n---\n", "larger than"),
])
def test_pathological_front_matter_is_kept_as_text_with_a_warning(front, why):
    import resource
    import time

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    n = normalise(front + "金山云募资约28亿港元。")
    assert time.process_time() - start < 5 and resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 200_000
    assert [x.code for x in n.notes] == ["front_matter_invalid"] and why in n.notes[0].message
    assert n.metadata["front_matter_text"] == front.split("\n", 1)[1].rsplit("---", 1)[0][:65_536]
    assert n.text == "金山云募资约28亿港元。"  # the body is read as usual


def test_ordinary_aliases_in_front_matter_still_work():
    n = normalise("---\ntitle: 标题\ntags: &t [港股, 云计算]\nalso: *t\n---\n正文")
    assert n.metadata == {"title": "标题", "tags": ["港股", "云计算"], "also": ["港股", "云计算"]} and not n.notes


def test_nul_characters_are_removed_with_a_warning_and_offsets_index_the_clean_text():
    from pipeline.core import extract

    record = extract("金山云募资约28\x00亿港元。\x00")
    assert [(m.text, str(m.value)) for m in record.money] == [("28亿港元", "2800000000")]
    assert "nul_removed" in [w.code for w in record.warnings]
    assert "\x00" not in record.model_dump_json()
