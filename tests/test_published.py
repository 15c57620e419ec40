"""The article's reference date (`published`) and its documented order of precedence:
1. `published=` / `--published` (the caller knows best), 2. front matter `date:`, 3. a sign-off line near
the end (香港，二零二五年三月十九日), 4. a dateline alone on one of the first lines. Never the clock."""

from __future__ import annotations

import pytest

FRONT = "---\ntitle: 标题\ndate: 2025-06-30T01:10:04+08:00\n---\n"
BODY = "公司于12月19日通过聆讯。\n"
SIGN_OFF = "\n承董事会命\n金山云控股有限公司\n\n香港，二零二五年三月十九日\n"
DATELINE = "2024年12月20日\n"


@pytest.mark.parametrize("text,argument,expected,source", [
    (FRONT + DATELINE + BODY + SIGN_OFF, "2025-01-02", "2025-01-02", "argument"),
    (FRONT + DATELINE + BODY + SIGN_OFF, None, "2025-06-30", "front_matter"),  # local date, not moved to UTC
    (DATELINE + BODY + SIGN_OFF, None, "2025-03-19", "sign_off"),
    (DATELINE + BODY, None, "2024-12-20", "dateline"),
    ("北京，2024年12月20日电\n" + BODY, None, "2024-12-20", "dateline"),
    (BODY, None, None, None),
])
def test_precedence(pipeline, text, argument, expected, source):
    record = pipeline(text, published=argument)
    assert record.published == expected
    assert record.published_from == source


def test_no_reference_date_never_falls_back_to_the_clock(pipeline):
    """Without a reference date nothing is taken from the clock: a relative date keeps what it says (今天: no
    value, `relative` day 0) and a year-less one its partial value (--12-19); both are warned about."""
    record = pipeline("今天公司宣布上市,12月19日开始招股。")
    assert record.published is None
    assert [(d.text, d.value, d.year_inferred) for d in record.dates] == [("今天", None, False),
                                                                         ("12月19日", "--12-19", False)]
    assert record.dates[0].relative.unit == "day" and record.dates[0].relative.offset == 0
    codes = sorted(w.code for w in record.warnings)
    assert codes == ["date_unresolved", "date_year_unknown"]


def test_reference_date_decides_the_year_nearest_first(pipeline):
    december = pipeline("认购期至1月5日,12月19日通过聆讯。", published="2025-12-20")
    assert [d.value for d in december.dates] == ["2026-01-05", "2025-12-19"]
    january = pipeline("公司于12月28日公告。", published="2025-01-03")
    assert [d.value for d in january.dates] == ["2024-12-28"]


def test_a_date_in_the_body_is_not_taken_for_a_dateline(pipeline):
    record = pipeline("\n2020年5月8日,纳斯达克交易所的远程敲钟界面亮起,金山云完成上市。")
    assert record.published is None


def test_corpus_published(corpus_files, pipeline):
    got = {p.name[:3]: pipeline(p.read_text(encoding="utf-8")).published for p in corpus_files}
    assert got == {"000": None, "001": "2025-03-19", "002": "2025-06-30", "003": None, "004": None}


@pytest.mark.parametrize("argument,day,time", [
    ("2025-03-19T10:30", "2025-03-19", "10:30"),
    ("2025-03-19 10:30:15", "2025-03-19", "10:30:15"),
    ("2025-03-19T10:30:00+08:00", "2025-03-19", "10:30"),  # local time as written, not moved to UTC
    ("2025-03-19", "2025-03-19", None),
])
def test_a_reference_date_with_a_time_of_day(pipeline, argument, day, time):
    record = pipeline("公司发布公告。", published=argument)
    assert (record.published, record.published_time, record.published_from) == (day, time, "argument")


def test_relative_times_count_from_the_reference_time_and_have_no_value_without_one(pipeline):
    text = "两小时前公司停牌，半小时后复牌，过去5分钟成交放量，未来两小时或有公告。"
    got = [(d.text, d.value, d.end_value, d.granularity)
           for d in pipeline(text, published="2025-03-19T10:30").dates]
    assert got == [("两小时前", "2025-03-19T08", None, "hour"),
                   ("半小时后", "2025-03-19T11:00", None, "minute"),
                   ("过去5分钟", "2025-03-19T10:25", "2025-03-19T10:30", "minute"),
                   ("未来两小时", "2025-03-19T10", "2025-03-19T12", "hour")]
    dated = pipeline(text, published="2025-03-19").dates
    assert [(d.text, d.value, d.relative.unit, d.relative.offset) for d in dated][:2] == [
        ("两小时前", None, "hour", -2), ("半小时后", None, "minute", 30)]


def test_a_reference_time_never_changes_what_a_date_alone_resolves_to(pipeline):
    text = "公司三天前披露，今晚8点召开说明会。"
    with_time = pipeline(text, published="2025-03-19T23:50")
    without = pipeline(text, published="2025-03-19")
    assert [(d.text, d.value) for d in with_time.dates] == [(d.text, d.value) for d in without.dates] == [
        ("三天前", "2025-03-16"), ("今晚8点", "2025-03-19T20")]


@pytest.mark.parametrize("bad", ["2025-13-01", "19/03/2025", "2025-03-19T25:00", "yesterday"])
def test_a_bad_reference_is_the_callers_error(pipeline, bad):
    from pipeline.errors import ZhnewsError

    with pytest.raises(ZhnewsError, match="published must be"):
        pipeline("公司发布公告。", published=bad)
