"""Fuzzing: for every generated article-like text, `extract` returns a schema-valid record whose offsets
all hold, or raises the project's own error type. 2,000 examples by default; `pytest --fuzz-long` runs
20,000."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import ZhnewsError
from pipeline.records import ArticleRecord

from test_offsets_property import FRAGMENTS, HAN

TABLE = "截至十二月三十一日止年度\n二零二三年 二零二四年\n人民币千元 人民币千元\n\n收入 7,047,461 7,785,180\n净亏损 (2,183,647) –\n"
EXTRA = [TABLE, "<p>", "</div>", "&nbsp;", "&#12345;", "\x00", "\x1b[0m", "\ud800", "---\ntitle: t\n---\n",
         "截至二零二三年及二零二四年十二月三十一日止年度", "人民币7.2993元兑1.00美元", "3亿5000万元", "今年上半年", "上周"]
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
        original = text.replace("\x00", "")  # offsets index the decoded text without NUL (a nul_removed warning)
        assert ("nul_removed" in [w.code for w in record.warnings]) == ("\x00" in text)
        for _, item in record.items():
            assert 0 <= item.start < item.end <= len(original) and original[item.start:item.end] == item.text
        seen.append("record")

    check()
    assert len(seen) >= n_examples
