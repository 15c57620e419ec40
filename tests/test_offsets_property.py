"""Property: every item's offsets point at its text in the original, whatever the input mixes.

Generated articles mix simplified and traditional script, full-width digits and punctuation, web-
converter pinyin and lost characters, Markdown, YAML front matter, hard-wrapped lines and tables.
At least 500 examples run by default; `pytest --fuzz-long` runs 5,000.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.text import normalise

HAN = "金山云雲计劃於于发發行收入為为人民币幣港元美元亿億万萬元股份代號码碼纳斯达克交易所香港北京年月日季度上半"
FRAGMENTS = [
    "人民幣7,785.2百萬元（1,066.6百萬美元）", "约5.4亿美元", "超过100亿元人民币", "3–5億元", "13.5亿至14亿元",
    "每股116.2港元", "19.82%", "負3.8%", "近七成", "二零二四年十二月三十一日", "截至二零二四年十二月三十一日止年度",
    "2020年5月8日", "12月19日", "2025年上半年", "前三季度", "（股份代號：3896）", "股票代码“KC”", "3896.HK",
    "37,419,500股H股", "金山云CEO王育林", "雷軍先生", "作者|西梅汁", "IDG资本合伙人牛奎光", "工場(chǎng)",
    "正式?jīng)_刺", "旗艦?zāi)P虶LM-4.5", "![](/a.png)", "[36氪](https://36kr.com/p/1)", "[^1]",
    "１２３，４５６元", "ＡＢＣ", "　", "收入 7,047,461 7,785,180 10.5%", "人民幣\n850.2百萬元",
    "人民幣7.2993元兌1.00美元", "\r\n", "\n\n", "### 标题", "**加粗**", "𠀀𠀁", "\u200b", "e\u0301",
]

fragments = st.sampled_from(FRAGMENTS)
pieces = st.one_of(
    fragments, fragments, fragments,  # weighted: most pieces are real financial phrases
    st.text(alphabet=HAN, min_size=1, max_size=12),
    st.text(alphabet="0123456789,.%()-– ０１２３（）％，。、：；“”「」?()āǎ\n", min_size=1, max_size=8),
    st.text(min_size=1, max_size=6),  # anything at all, surrogates excluded by hypothesis
)


@st.composite
def articles(draw):
    body = "".join(draw(st.lists(pieces, min_size=3, max_size=30)))
    if draw(st.booleans()):
        title = draw(st.text(alphabet=HAN + "：AI", min_size=0, max_size=10))
        date = draw(st.sampled_from(["2025-06-30T19:10:04+08:00", "2025-06-30", "not a date", ""]))
        front = f"---\ntitle: {title}\ndate: {date}\ntags:\n  - 港交所\n---\n"
        body = front + body
    return body


def _examples(request) -> int:
    return 5000 if request.config.getoption("--fuzz-long") else 500


@pytest.fixture
def n_examples(request):
    return _examples(request)


def test_offsets_hold_for_every_item(pipeline, n_examples):
    seen = []

    @settings(max_examples=n_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(articles())
    def check(text):
        record = pipeline(text)
        original = text.replace("\x00", "")  # offsets index the decoded text without NUL (a nul_removed warning)
        seen.append(len(list(record.items())))
        for name, item in record.items():
            assert 0 <= item.start < item.end <= len(original), (name, item)
            assert original[item.start:item.end] == item.text, (name, item)
        for w in record.warnings:
            if w.start is not None:
                assert original[w.start:w.end] == w.text

    check()
    assert len(seen) >= n_examples  # the examples really ran
    assert sum(seen) > n_examples  # and produced items to check
    print(f"offset property: {len(seen)} generated articles, {sum(seen)} items checked")


def test_normalised_map_is_monotone(n_examples):
    @settings(max_examples=n_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(articles())
    def check(original):
        n = normalise(original)
        assert len(n.text) == len(n.starts) == len(n.ends)
        prev = 0
        for s, e in zip(n.starts, n.ends):
            assert prev <= s <= e <= len(original)
            prev = s

    check()
