"""Fuzzing: for every generated article-like text, `extract` returns a schema-valid record whose offsets
all hold, or raises the project's own error type. 2,000 examples by default; `pytest --fuzz-long` runs
20,000."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import ZhnewsError
from pipeline.records import ArticleRecord

from test_offsets_property import FRAGMENTS, HAN, check_value_invariants

TABLE = "截至十二月三十一日止年度\n二零二三年 二零二四年\n人民币千元 人民币千元\n\n收入 7,047,461 7,785,180\n净亏损 (2,183,647) –\n"
EXTRA = [TABLE, "<p>", "</div>", "&nbsp;", "&#12345;", "\x00", "\x1b[0m", "\ud800", "---\ntitle: t\n---\n",
         "截至二零二三年及二零二四年十二月三十一日止年度", "人民币7.2993元兑1.00美元", "3亿5000万元", "今年上半年", "上周",
         "五块六到五块七毛八", "几千块到一两万元", "5万元(含)至20万元", "十八块六毛一斤", "2万9,900元", "千万亿日元",
         "离岸人民币(CNH)兑美元报6.7元", "每10股转增4股", "(股份代號：700)", "NASDAQ: BIDU", "打對折", "百 分 之 三 十"]
piece = st.one_of(st.sampled_from(FRAGMENTS + EXTRA), st.sampled_from(FRAGMENTS + EXTRA),
                  st.text(alphabet=HAN + "0123456789,.%()-– 年月日元亿万", min_size=1, max_size=10),
                  st.text(min_size=1, max_size=8))
articles = st.lists(piece, min_size=1, max_size=40).map("".join)


@pytest.fixture
def n_examples(request):
    return 20_000 if request.config.getoption("--fuzz-long") else 2_000


def test_fuzz_extract(pipeline, n_examples):
    seen = []

    @settings(max_examples=n_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(articles)
    def check(text):
        try:
            record = pipeline(text, source="fuzz")
        except ZhnewsError:
            seen.append("error")
            return
        ArticleRecord.model_validate_json(record.model_dump_json())  # schema-valid, JSON round trip
        text_ = text.replace("\x00", "")  # offsets index the decoded text without NUL characters
        for _, item in record.items():
            assert 0 <= item.start < item.end <= len(text_) and text_[item.start:item.end] == item.text
        check_value_invariants(record)
        seen.append("record")

    check()
    assert len(seen) >= n_examples
