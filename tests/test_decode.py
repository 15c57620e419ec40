"""Encodings: every reading that is not certain leaves a warning; nothing is garbled silently.

The sentences are our own, in the styles of the mainland, Taiwan and Hong Kong press, encoded the ways
such files arrive (GB18030/GBK, Big5, Big5-HKSCS, UTF-16 without a BOM, mixed GBK and Big5), plus the CJK
encodings a scrape meets by mistake (Shift-JIS, EUC-JP, EUC-KR, HZ, UTF-7, ISO-2022)."""

from __future__ import annotations

import pytest

from pipeline.errors import DecodeError
from pipeline.text.decode import decode

MAINLAND = [
    "沪深两市成交额连续第五个交易日突破万亿元",
    "公司公告称拟回购不超过两亿元股份",
    "央行下调存款准备金率零点五个百分点",
    "券商板块午后拉升多只个股涨停",
    "本周北向资金净流入超过百亿元",
    "该行不良贷款率较年初下降",
]
TAIWAN = [
    "台積電昨日股價上漲",
    "外資連續三日買超",
    "櫃買指數收盤下跌",
    "金管會表示將檢討規定",
    "央行理監事會決議利率不變",
    "營收創下歷史新高",
    "電子股領漲大盤",
    "新台幣兌美元升值",
]
HONG_KONG = [  # with characters only Big5-HKSCS has
    "港鐵公司宣佈加價，乘客表示唔滿意，啲人話好貴",
    "恒指收市升二百點，成交額增至一千億元",
    "呢間公司嘅股價今日大跌",
]


@pytest.mark.parametrize("text", MAINLAND)
@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_mainland_text_in_gb_encodings(text, encoding):
    d = decode(text.encode(encoding))
    assert d.text == text and d.encoding == "gb18030"


@pytest.mark.parametrize("text", TAIWAN)
def test_short_big5_paragraphs_are_not_read_as_gb18030(text):
    """A short Big5 paragraph also decodes as GB18030, into rare characters: the Big5 reading wins."""
    d = decode(text.encode("big5"))
    assert d.text == text and d.encoding == "big5hkscs"


@pytest.mark.parametrize("text", HONG_KONG)
def test_big5_hkscs(text):
    d = decode(text.encode("big5hkscs"))
    assert d.text == text and d.encoding == "big5hkscs"


@pytest.mark.parametrize("text,encoding", [
    ("東京証券取引所で株価が上昇しました。トヨタ自動車の決算発表", "shift_jis"),
    ("東京証券取引所で株価が上昇しました。", "euc_jp"),
    ("삼성전자 주가가 상승했습니다. 코스피 지수는 2500을 넘었다", "euc_kr"),
])
def test_japanese_and_korean_files_are_read_in_their_encoding(text, encoding):
    d = decode(text.encode(encoding))
    assert d.text == text


@pytest.mark.parametrize("encoding", ["hz", "utf-7", "iso2022_jp"])
def test_seven_bit_encodings_that_pass_for_ascii(encoding):
    text = "金山云收入为人民币7亿元" if encoding != "iso2022_jp" else "東京証券取引所で株価が上昇"
    d = decode(text.encode(encoding))
    assert d.text == text and d.encoding == encoding


def test_plain_ascii_stays_ascii():
    d = decode(b"Kingsoft Cloud +5.2% on HKEX; price ~{was} 3.88 + fees")
    assert d.encoding == "utf-8" and d.notes == ()


def test_gbk_and_big5_in_one_file_are_decoded_line_by_line():
    raw = (MAINLAND[0] + "\n").encode("gbk") + (TAIWAN[0] + "，" + TAIWAN[1] + "\n").encode("big5") + \
        (MAINLAND[1] + "\n").encode("gbk")
    d = decode(raw)
    assert d.text == f"{MAINLAND[0]}\n{TAIWAN[0]}，{TAIWAN[1]}\n{MAINLAND[1]}\n"
    assert d.encoding == "mixed" and [n.code for n in d.notes] == ["mixed_encodings"]


def test_a_few_stray_bytes_in_utf8_are_replaced_with_a_warning():
    raw = ("金山云收入为人民币七亿元，" * 20).encode() + b"\xff\xfe" + "同比增长".encode()
    d = decode(raw)
    assert d.encoding == "utf-8" and d.text.count("\ufffd") == 2 and d.text.endswith("同比增长")
    assert [n.code for n in d.notes] == ["decode_replaced"]


def test_a_gb_file_is_not_taken_for_utf8_with_stray_bytes():
    d = decode(("金山云收入为人民币七亿元，同比增长百分之十。" * 5).encode("gbk"))
    assert d.encoding == "gb18030" and "\ufffd" not in d.text


def test_random_bytes_are_refused_naming_the_file():
    import random

    rng = random.Random(7)
    raw = bytes(rng.getrandbits(8) for _ in range(4000))
    with pytest.raises(DecodeError, match="noise.bin"):
        decode(raw, source="noise.bin")


def test_a_close_call_is_never_silent():
    """Over many short paragraphs, a wrong reading always carries a warning."""
    from pipeline.text.script import converter

    s2t = converter("s2tw")  # Taiwan standard characters (為, not 爲): what Big5 files hold
    sentences = MAINLAND + ["总收入同比增长百分之十", "净利润为人民币三亿元", "毛利率为百分之三十", "较去年同期下降",
                            "董事会建议派发末期股息", "集团录得经营溢利"]
    wrong_and_silent = []
    for s in sentences:
        for text, enc in ((s, "gbk"), (s2t.convert(s), "big5hkscs")):
            d = decode(text.encode(enc))
            if d.text != text and not d.notes:
                wrong_and_silent.append((text, enc, d.encoding))
    assert not wrong_and_silent
