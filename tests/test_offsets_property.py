"""Properties of every generated article's record: every item's offsets point at its text in the original,
whatever the input mixes; and the values keep their invariants:

- `value <= value_max` (money, percentages, exchange rates);
- no negative amount unless the text shows a minus sign (负, -, −) or accounting parentheses;
- a range never multiplies one bound by the other's multiplier by mistake (generated ranges below).

Generated articles mix simplified and traditional script, full-width digits and punctuation, web-
converter pinyin and lost characters, Markdown, YAML front matter, hard-wrapped lines and tables, and the
money forms of issue 16 (subunits, approximate amounts, ranges with dashes, k/w suffixes, 大写, regions).
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
    # issue 16: subunits, colloquial units, approximate amounts, ranges and dashes, suffixes, 大写, regions
    "一百三十五块六角七分钱", "两毛五", "港幣三個一毫四", "個半", "數十億港元", "几十万块", "3000多欧元", "八九亿韩元",
    "从8500到3万港元", "1万元--5万元", "2——3万港币", "10~15k元", "US$2.5M", "肆佰叁拾萬圓整", "150万泰铢",
    "人民幣3.14", "$20，300美圆", "七五折", "三成半", "千分之三", "3‰", "SH600519", "贵州茅台(600519)", "台積電(2330)",
    "外資賣超2萬3,456張", "55股涨停", "【台北報導】", "港股恒指", "10美仙", "500比索", "-8,000万元至-5,500万元",
    "人民币(1,234)千元", "負3至5億元",
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
    def check(original):
        record = pipeline(original)
        original = original.replace("\x00", "")  # offsets index the decoded text without NUL characters
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


_SIGN = ("负", "負", "-", "−", "－", "(", "（")


def check_value_invariants(record) -> int:
    """value <= value_max everywhere; a negative amount shows its sign. Returns the items checked."""
    n = 0
    for name, item in record.items():
        value, high = getattr(item, "value", None), getattr(item, "value_max", None)
        if high is not None and value is not None and not isinstance(value, str):
            assert value <= high, (name, item)
            n += 1
        if name == "money" and value is not None and value < 0:
            assert any(s in item.text for s in _SIGN), (name, item)
            n += 1
    return n


def test_values_keep_their_invariants(pipeline, n_examples):
    checked = []

    @settings(max_examples=n_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(articles())
    def check(original):
        checked.append(check_value_invariants(pipeline(original)))

    check()
    assert sum(checked) > 0
    print(f"value invariants: {len(checked)} generated articles, {sum(checked)} values checked")


MULTIPLIERS = {"": 1, "万": 10_000, "亿": 100_000_000, "千": 1_000, "百万": 1_000_000, "k": 1_000, "w": 10_000}
JOINERS = ["至", "到", "-", "--", "—", "——", "~", "～"]
CURRENCIES = {"元": "CNY", "港元": "HKD", "美元": "USD", "欧元": "EUR"}


@st.composite
def ranges(draw):
    a = draw(st.integers(1, 9999))
    b = draw(st.integers(1, 9999))
    m1 = draw(st.sampled_from(sorted(MULTIPLIERS)))
    m2 = draw(st.sampled_from(sorted(MULTIPLIERS)))
    if (m1 in "kw" and m1) or (m2 in "kw" and m2):  # k and w follow Arabic digits only: fine here
        pass
    joiner = draw(st.sampled_from(JOINERS))
    cur = draw(st.sampled_from(sorted(CURRENCIES)))
    own = draw(st.booleans())  # the left bound writes its own currency word: 1万元--5万元
    return a, m1, b, m2, joiner, cur, own


def test_a_range_never_takes_the_other_bounds_multiplier_by_mistake(pipeline, n_examples):
    """A bound with its own multiplier keeps it (8500到3万 is 8500 to 30000, 1万元--5万元 is 10000 to 50000);
    a bare bound shares the other's only where it then stays the lower bound."""
    seen = []

    @settings(max_examples=n_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(ranges())
    def check(r):
        a, m1, b, m2, joiner, cur, own = r
        left = f"{a}{m1}{cur if own else ''}"
        text = f"金额为{left}{joiner}{b}{m2}{cur}。"
        money = pipeline(text).money
        if not money:
            return
        item = money[0]
        lo, hi = a * MULTIPLIERS[m1], b * MULTIPLIERS[m2]
        if item.value_max is None:
            return  # read as two amounts (a joiner a number cannot cross), or one: never a wrong range
        seen.append(text)
        assert item.value >= 0, (text, item)
        if m1 or own:  # the left bound's value is its own
            assert {item.value, item.value_max} == {min(lo, hi), max(lo, hi)}, (text, item)
        else:  # a bare left bound: shared where that keeps it the lower bound
            shared = a * MULTIPLIERS[m2]
            want_lo = shared if shared <= hi else a
            assert (item.value, item.value_max) == (min(want_lo, hi), max(want_lo, hi)), (text, item)
        assert item.currency == CURRENCIES[cur], (text, item)

    check()
    assert seen, "no range was read"
    print(f"range property: {len(seen)} generated ranges checked")


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
