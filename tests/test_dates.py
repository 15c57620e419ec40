"""Dates and times (issue 15): the calendars, the record schema, the year inference order, no reference date,
the bundled articles, and the mention rows. The examples of every form are in tests/corpus/date.yaml."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import create_engine, select

from pipeline.date import calendars
from pipeline.date.items import DateItem
from pipeline.errors import RulesError
from pipeline.store.sql import SqlSink, mention_rows, mentions, sqlite_url

from conftest import CORPUS, ROOT


def _dates(pipeline, text, published=None):
    return [(d.text, d.value, d.end_value) for d in pipeline(text, published=published).dates]


# ------------------------------------------------------------------------------------------------
# calendars: values checked against the published calendars


@pytest.mark.parametrize("year,spring,mid_autumn", [
    (2020, date(2020, 1, 25), date(2020, 10, 1)),
    (2023, date(2023, 1, 22), date(2023, 9, 29)),
    (2025, date(2025, 1, 29), date(2025, 10, 6)),
    (2026, date(2026, 2, 17), date(2026, 9, 25)),
    (2033, date(2033, 1, 31), date(2033, 9, 8)),
])
def test_lunar_festivals(year, spring, mid_autumn):
    assert calendars.lunar_to_solar(year, 1, 1) == spring
    assert calendars.lunar_to_solar(year, 8, 15) == mid_autumn


def test_leap_months_and_missing_days():
    assert calendars.lunar_month(2025, 6, leap=True) == (date(2025, 7, 25), date(2025, 8, 22))
    assert calendars.lunar_month(2025, 4, leap=True) is None  # 2025's leap month is the sixth
    assert calendars.lunar_to_solar(2025, 12, 30) is None  # 腊月 2025 has 29 days
    assert calendars.lunar_year_of(date(2025, 1, 28)) == 2024
    assert calendars.lunar_year_of(date(2025, 1, 29)) == 2025


def test_solar_terms_easter_and_nth_weekdays():
    assert calendars.solar_term(2025, "清明") == date(2025, 4, 4)
    assert calendars.solar_term(2021, "立冬") == date(2021, 11, 7)
    assert calendars.solar_term(2025, "冬至") == date(2025, 12, 21)
    assert calendars.easter(2013) == date(2013, 3, 31)
    assert calendars.easter(2013, "orthodox") == date(2013, 5, 5)
    assert calendars.nth_weekday(2025, 11, 4, 4) == date(2025, 11, 27)  # Thanksgiving
    assert calendars.nth_weekday(2025, 5, 1, -1) == date(2025, 5, 26)  # the last Monday of May
    assert calendars.nth_weekday(2025, 2, 1, 5) is None


def test_the_calendar_libraries_load_only_when_a_date_needs_them():
    code = ("import sys; from pipeline.core import Pipeline; p = Pipeline(); p('2025年3月5日，公司公布年报。');"
            "print('lunar_python' in sys.modules, 'dateutil.easter' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "False"]


# ------------------------------------------------------------------------------------------------
# the record: values, partial values, null values


def _item(**kw):
    return DateItem(text="x", start=0, end=1, rule="date.test", **kw)


@pytest.mark.parametrize("value,end,granularity", [
    ("2025", None, "year"), ("2025-H1", None, "half"), ("2025-Q3", None, "quarter"), ("2025-06", None, "month"),
    ("2025-03-10", "2025-03-16", "week"), ("2025-06-30", None, "day"), ("2025-03-20T15", None, "hour"),
    ("2025-03-20T15:30", None, "minute"), ("2025-03-20T15:30:45", None, "second"), ("1990", "1999", "decade"),
    ("2000", "2099", "century"), ("--08-19", None, "day"), ("--05", None, "month"), ("--Q1", None, "quarter"),
    ("--H1", None, "half"), ("---10", None, "day"), ("T15", None, "hour"), ("T09:30", None, "minute"),
    ("--07-11T18", "--07-11T23", "hour"),
])
def test_every_value_form_validates(value, end, granularity):
    assert _item(value=value, end_value=end, granularity=granularity).value == value


@pytest.mark.parametrize("kw,error", [
    (dict(value="2025-06", granularity="day"), "granularity"),
    (dict(value="2025-13", granularity="month"), "pattern"),
    (dict(value=None, granularity="day"), "must say what it meant"),
    (dict(value="2025", granularity="year", open="before"), "open and inclusive"),
    (dict(value="--08-19", granularity="day", year_inferred=True), "partial value"),
    (dict(value="2025-06-30", end_value="2025-06-01", granularity="day"), "before value"),
])
def test_inconsistent_items_are_refused(kw, error):
    with pytest.raises(ValidationError, match=error):
        _item(**kw)


def test_a_null_value_says_what_it_meant(pipeline):
    record = pipeline("公司上周五宣布回购，中秋节前完成。")
    friday, mid_autumn = record.dates
    assert friday.value is None and (friday.relative.unit, friday.relative.offset, friday.relative.weekday) == (
        "week", -1, 5)
    assert mid_autumn.value is None and mid_autumn.holiday == "mid_autumn"
    assert (mid_autumn.open, mid_autumn.inclusive) == ("before", False)


# ------------------------------------------------------------------------------------------------
# the year inference order (pipeline/date/infer.py)


@pytest.mark.parametrize("text,published,want", [
    # 1. an explicit year earlier in the sentence; a full date there: the instance nearest it
    ("二零二零年五月及九月完成发售。", "2025-03-19", ("九月", "2020-09", "sentence")),
    ("公司定于2026年1月15日召开股东大会，12月30日为股权登记日。", "2025-03-19", ("12月30日", "2025-12-30", "sentence")),
    # 2. the same paragraph
    ("2023年，公司营收破百亿。四季度推出新品。", "2025-06-01", ("四季度", "2023-Q4", "paragraph")),
    # 3. the reference date: tense, or the nearest / the reference's own
    ("2023年，公司营收破百亿。\n四季度推出新品。", "2025-06-01", ("四季度", "2025-Q4", "reference")),
    ("12月销量同比下降5%。", "2025-09-30", ("12月", "2024-12", "tense")),
    ("公司计划3月投产。", "2025-09-30", ("3月", "2026-03", "tense")),
    ("1月5日截止认购。", "2025-12-20", ("1月5日", "2026-01-05", "reference")),
    # 4. no reference date: the nearest explicit full date
    ("12月19日，公司通过聆讯。\n认购期将持续至2026年1月5日。", None, ("12月19日", "2025-12-19", "text_anchor")),
    # 5. nothing: a partial value
    ("3月5日，公司发布2024年年报。", None, ("3月5日", "--03-05", None)),
])
def test_the_documented_order(pipeline, text, published, want):
    record = pipeline(text, published=published)
    got = {d.text: (d.text, d.value, d.year_from) for d in record.dates}
    assert got[want[0]] == want


def test_a_wrong_year_is_worse_than_none(pipeline):
    """Reported results look back: with the reference 2025-09-30, none of these is in 2026 (the issue's cases)."""
    got = _dates(pipeline, "公司上半年亏损2.3亿元，总资产较年初增长12%，3月营收同比增长8%。", "2025-09-30")
    assert got == [("上半年", "2025-H1", None), ("年初", "2025-01", None), ("3月", "2025-03", None)]


def test_the_clock_is_never_read(pipeline):
    """The same article with no reference date, at any time: partial and relative values only."""
    record = pipeline("今天公司宣布上市，12月19日开始招股，下午3点公布定价。")
    assert [(d.text, d.value) for d in record.dates] == [("今天", None), ("12月19日", "--12-19"), ("下午3点", "T15")]
    assert {w.code for w in record.warnings} == {"date_unresolved", "date_year_unknown"}


# ------------------------------------------------------------------------------------------------
# the bundled articles


def test_article_003_takes_its_year_from_the_text(pipeline):
    path = next(CORPUS.glob("003_*.txt"))
    record = pipeline(path.read_text(encoding="utf-8"))
    assert record.published is None
    dates = {d.text: d for d in record.dates}
    assert (dates["12月19日"].value, dates["12月19日"].year_from) == ("2025-12-19", "text_anchor")
    assert dates["8月"].value == "2025-08"  # the August before the listing, not 2024


def test_every_year_less_date_in_the_corpus_has_a_value(pipeline, corpus_files):
    for path in corpus_files:
        record = pipeline(path.read_text(encoding="utf-8"))
        for d in record.dates:
            if d.relative is None and d.holiday is None and d.calendar != "lunar":
                assert d.value is not None, (path.name, d.text)
        dropped = [w for w in record.warnings if w.code == "date_year_unknown"
                   and not any(d.start <= w.start and w.end <= d.end for d in record.dates)]
        assert not dropped, (path.name, dropped)


# ------------------------------------------------------------------------------------------------
# the mention rows carry the new fields (attrs), in SQLite as in PostgreSQL


def test_mention_rows_carry_relative_open_and_holiday(tmp_path, pipeline):
    record = pipeline("自2021年起，公司持续分红。\n公司于国庆节前后发布上周五的数据。", published="2025-03-19")
    rows = {r["text"]: r for r in mention_rows(record) if r["family"] == "date"}
    assert rows["2021年"]["attrs"]["open"] == "after" and rows["2021年"]["attrs"]["inclusive"] is True
    assert rows["国庆节"]["attrs"]["holiday"] == "national_day" and rows["国庆节"]["attrs"]["approx"] is True
    assert rows["上周五"]["attrs"]["relative"]["weekday"] == 5 and rows["上周五"]["unit"] == "day"
    url = sqlite_url(tmp_path / "d.db")
    sink = SqlSink(url)
    sink.write([record])
    sink.commit()
    with create_engine(url).connect() as conn:
        stored = dict(conn.execute(select(mentions.c.text, mentions.c.attrs).where(mentions.c.family == "date")).all())
    assert stored["上周五"]["relative"] == {"unit": "week", "offset": -1, "count": None, "weekday": 5, "part": None,
                                          "rolling": None, "anchor": "reference"}
    assert stored["国庆节"]["year_from"] == "tense"  # 发布: a reported event looks back


# ------------------------------------------------------------------------------------------------
# the rule file fails loudly


def _rules_with(tmp_path, old: str, new: str):
    import shutil

    from pipeline.resources import Rules

    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    path = folder / "date.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return lambda: Rules(folder)


@pytest.mark.parametrize("old,new,error", [
    ("new_year:        {names: [元旦], rule: {fixed: '01-01'}}",
     "new_year:        {names: [元旦], rule: {fixed: '01-01', lunar: '01-01'}}", "exactly one kind"),
    ("  date.holiday: {any_of:", "  date.holidays: {any_of:", "do not exist"),
    ("晚上: {hours: [18, 23]", "晚上: {hours: [18, 25]", "hours"),
])
def test_a_bad_date_rule_stops_start_up(tmp_path, old, new, error):
    load = _rules_with(tmp_path, old, new)
    with pytest.raises(RulesError, match=error):
        load()
