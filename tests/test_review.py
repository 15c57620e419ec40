"""The review page and site without a browser: what the HTML says (labels, table, filters, warnings,
escaping), that it is built from the record alone (JSONL, database, records of another pipeline
version), the site's index and folder rules, and `zhnews review` as a user runs it (`--serve` included).
What a reader sees in a real browser is tested in `test_review_browser.py`."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline import registry
from pipeline.review import palette, site
from pipeline.review.page import collect, group_digits, render_html
from pipeline.text import decode_bytes

from conftest import CORPUS, ROOT

SEED = CORPUS / "000_9b9d65982590d5c2.txt"
FILING = CORPUS / "001_bbb4a6706966530e.txt"       # the results announcement: traditional script, tables
TRADITIONAL = CORPUS / "003_8b2fe20a107fcfe5.txt"  # traditional script, with warnings


def zhnews(*args, cwd=None, env=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env)


@pytest.fixture(scope="module")
def extracted(pipeline):
    """(text, record) of the three articles the tests look at."""
    from pipeline.core import extract_file

    out = {}
    for path in (SEED, FILING, TRADITIONAL):
        text, _ = decode_bytes(path.read_bytes())
        out[path.name] = (text, extract_file(path))
    return out


class _Text(HTMLParser):
    """The article's text as the page holds it: the text of `<article>` without the labels (which are
    links of class lbl / wlbl / warn point), plus the spans of the marks and warnings."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.inside = False
        self.skip = 0
        self.text: list[str] = []
        self.marks: list[tuple[str, str, int, int]] = []  # (item id, class, start, end)
        self.warns: list[tuple[int, int]] = []
        self.open_marks: list[tuple[str, str, int]] = []
        self.open_warns: list[int] = []

    @property
    def pos(self) -> int:
        return sum(map(len, self.text))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "article":
            self.inside = True
        if not self.inside:
            return
        self.stack.append((tag, a))
        if self.skip or (tag == "a" and ({"lbl", "wlbl"} & set(cls) or "point" in cls)):
            self.skip += 1
        elif tag == "span" and "it" in cls:
            self.open_marks.append((a["id"], a["data-c"], self.pos))
        elif tag == "span" and "warn" in cls:
            self.open_warns.append(self.pos)

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside = False
        if not self.inside or not self.stack:
            return
        t, a = self.stack.pop()
        cls = (a.get("class") or "").split()
        if self.skip:
            self.skip -= 1
        elif t == "span" and "it" in cls:
            i, c, s = self.open_marks.pop()
            self.marks.append((i, c, s, self.pos))
        elif t == "span" and "warn" in cls:
            self.warns.append((self.open_warns.pop(), self.pos))

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.text.append(data)


def parse(page: str) -> _Text:
    p = _Text()
    p.feed(page)
    return p


def visible_text(page: str) -> str:
    """The page's text outside tags, scripts and styles (what a reader can read)."""
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


# ----------------------------------------------------------------------------------------------
# the page


def test_the_text_is_kept_exactly_and_every_drawn_item_is_marked_at_its_span(extracted):
    for name, (text, record) in extracted.items():
        page = render_html(text, record)
        got = parse(page)
        assert "".join(got.text) == text, name  # labels are extra elements: the text itself is untouched
        _, views = collect(record.model_dump(mode="json"), text)
        drawn = {f"i-{v.n}": v for v in views if v.drawn}
        assert len(got.marks) == len(drawn) > 0
        for ident, cls, start, end in got.marks:
            v = drawn[ident]
            assert (start, end, cls) == (v.item["start"], v.item["end"], v.cls)
            assert text[start:end] == v.item["text"]
        assert len(views) == sum(1 for _ in record.items())  # every item is in the table, and nothing else
        for v in views:
            assert f'<tr id="r-{v.n}"' in page


def test_inline_labels_name_the_family_and_the_value(extracted):
    text, record = extracted[SEED.name]
    page = render_html(text, record)
    # an entity by its label and canonical name, an amount with its currency and grouped digits, a date
    assert 'class="lbl nw" href="#r-' in page
    assert re.search(r'<mark class="ORG" title="ORG: 金山云[^"]*">金山云</mark><a class="lbl[^"]*" href="#r-\d+">'
                     r"<b>ORG</b> 金山云</a>", page)
    assert re.search(r">52亿美元</mark><a class=\"lbl[^\"]*\" href=\"#r-\d+\"><b>Money</b> 5,200,000,000 USD approx</a>", page)
    assert re.search(r">2020年5月8日</mark><a class=\"lbl[^\"]*\" href=\"#r-\d+\"><b>Date</b> 2020-05-08</a>", page)


def test_table_cells_show_label_period_and_value_inline_and_in_the_table(extracted):
    text, record = extracted[FILING.name]
    page = render_html(text, record)
    cell = next(i for i in record.table_items if i.text == "7,047,461")
    assert (cell.label, cell.period, cell.currency) == ("收入", "2023", "CNY")
    assert re.search(r'data-f="table_items" data-c="table_items"><mark class="table_items" [^>]*>7,047,461</mark>'
                     r'<a class="lbl[^"]*" href="#r-\d+"><b>Table cell</b> <span class="part">收入</span> · '
                     r'<span class="part">2023</span> · <span class="part">7,047,461,000 CNY \(money\)</span></a>',
                     page)
    assert "<th>Period</th>" in page and '<td class="p">2023</td>' in page
    assert "<th>Unit</th>" in page


def test_heading_is_the_title_or_the_file_name_and_the_legend_uses_readers_names(extracted):
    text, record = extracted[FILING.name]
    page = render_html(text, record)
    assert "<h1>001_bbb4a6706966530e.txt</h1>" in page  # no title: the file name, not the path
    shown = visible_text(page)
    for fam in registry.families():
        assert fam.title in shown
    assert "exchange_rates" not in shown and "table_items" not in shown
    titled = render_html("标题", {**record.model_dump(mode="json"), "title": "金山云 年度业绩"})
    assert "<h1>金山云 年度业绩</h1>" in titled


def test_filters_exist_for_every_family_and_label_and_work_without_script(extracted):
    text, record = extracted[SEED.name]
    page = render_html(text, record)
    for fam in registry.families():
        assert f'id="flt-{fam.field}" checked' in page
        assert f"body:has(#flt-{fam.field}:not(:checked))" in page
    for label in ("PERSON", "ORG", "GPE"):
        assert f'id="flt-entities-{label}" checked' in page
    assert "<script" not in page.lower()
    assert "http://" not in page and "https://" not in page  # nothing from outside: works offline
    assert "default-src 'none'" in page


def test_warnings_are_marked_at_their_spans_and_listed(extracted):
    text, record = extracted[TRADITIONAL.name]
    page = render_html(text, record)
    got = parse(page)
    spanned = [w for w in record.warnings if w.start is not None and w.end > w.start]
    assert spanned
    for w in spanned:
        assert any(s <= w.start and w.end <= e or (w.start <= s and e <= w.end) for s, e in got.warns), w
        assert text[w.start:w.end] == w.text
    assert f"Warnings ({len(record.warnings)})" in page
    assert "whole article" in page  # a warning without a span (pinyin_removed) is listed, not marked
    for k, w in enumerate(record.warnings):
        if w.start is not None and w.end > w.start:
            assert f'<a class="wlbl" href="#wr-{k}">⚠ {w.code}</a>' in page
            assert f'<a href="#w-{k}">at {w.start}</a>' in page


def test_a_warning_across_a_mark_boundary_and_a_warning_at_a_point():
    text = "金山云募资28亿港元。"
    record = _record(text, money=[{"text": "28亿港元", "start": 5, "end": 10, "rule": "money.x", "value": "2800000000",
                                   "currency": "HKD"}],
                     warnings=[{"code": "odd", "message": "across", "start": 3, "end": 7, "text": "募资28"},
                               {"code": "here", "message": "a point", "start": 11, "end": 11},
                               {"code": "also", "message": "starts with odd", "start": 3, "end": 5}])
    page = render_html(text, record)
    got = parse(page)
    assert "".join(got.text) == text
    assert sorted(got.warns) == [(3, 5), (5, 7)]  # cut at the mark's edge
    assert got.marks == [("i-1", "money", 5, 10)]
    assert page.count('class="wlbl"') == 2 and 'class="warn point" id="w-1"' in page
    for k in range(3):  # every warning in the list links to an anchor in the text
        assert f'href="#w-{k}"' in page and page.count(f'id="w-{k}"') == 1
    assert "<b>Money</b> 2,800,000,000 HKD" in page


def test_overlapping_and_ungrounded_items_are_listed_not_drawn():
    text = "金山云控股有限公司发布公告。"
    record = _record(text, entities=[
        {"text": "金山云控股有限公司", "start": 0, "end": 9, "rule": "entity.a", "label": "ORG", "norm": "金山云"},
        {"text": "金山云", "start": 0, "end": 3, "rule": "entity.b", "label": "ORG", "norm": "金山云"},
        {"text": "公告", "start": 1, "end": 3, "rule": "entity.c", "label": "ORG", "norm": "x"}])
    page = render_html(text, record)
    assert len(parse(page).marks) == 1
    assert "(not marked: overlaps #1)" in page
    assert "(not marked: its span does not hold its text)" in page
    assert "1 item(s) are not marked: their spans do not hold their text" in page


def test_without_the_text_the_page_lists_the_items_and_says_why(extracted):
    _, record = extracted[SEED.name]
    page = render_html(None, record, notes=["The original text is not shown: gone."])
    assert "<article" not in page and "The original text is not shown: gone." in page
    assert page.count('<tr id="r-') == sum(1 for _ in record.items())
    assert 'href="#i-' not in page and "(no text)" not in page


def test_every_field_is_shown_generically_new_ones_included():
    """The page names no family: a date with fields this pipeline does not have yet (relative, open, a
    partial value), a record-level field (region), an item list of an unknown family, and an item whose
    family's detail() fails on it all render."""
    text = "去年8月19日起,红色新款上市。"
    date = {"text": "8月19日起", "start": 2, "end": 8, "rule": "date.md", "value": "--08-19", "granularity": "day",
            "year_inferred": False, "open": "after", "relative": {"unit": "year", "offset": -1}, "shiny": True}
    record = _record(text, region="HK", region_evidence=[{"signal": "港", "start": 0, "end": 1, "text": "去"}],
                     dates=[date],
                     colours=[{"text": "红色", "start": 9, "end": 11, "rule": "colour.word", "hex": "#ff0000"}],
                     money=[{"text": "上市", "start": 13, "end": 15, "rule": "money.old"}])  # no value, no currency
    page = render_html(text, record)
    label = re.search(r'data-f="dates"[^>]*><mark[^>]*>8月19日起</mark><a class="lbl[^"]*" href="#r-\d+"><b>Date</b> '
                      r"([^<]*)</a>", page)
    assert label and "--08-19" in label.group(1)  # the date family's own reading, whatever its form
    assert '<span class="kv"><i>relative</i> {&quot;unit&quot;: &quot;year&quot;, &quot;offset&quot;: -1}</span>' in page
    assert '<span class="kv"><i>shiny</i> yes</span>' in page
    assert "<dt>region</dt><dd>HK</dd>" in page
    assert "<dt>region evidence</dt><dd><details><summary>1 entry</summary>" in page  # spans, but not items
    assert "<b>Colours</b> hex #ff0000" in page and 'id="flt-colours" checked' in page
    assert "<b>Money</b>" in page  # the fallback reading of an item detail() cannot read
    assert "".join(parse(page).text) == text


def test_everything_from_the_article_or_the_record_is_escaped():
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'
    text = f"前言{evil}金山云\x00\x1b结束"
    start = text.index("金山云")
    record = _record(text, title=f"标题{evil}", source=f"/tmp/{evil}.txt", metadata={"x": evil},
                     entities=[{"text": "金山云", "start": start, "end": start + 3, "rule": f"entity.{evil}",
                                "label": "ORG", "norm": evil, "kind": evil}],
                     warnings=[{"code": evil, "message": evil, "start": 2, "end": 5, "text": text[2:5]}])
    page = render_html(text, record)
    low = page.lower()
    assert "<script" not in low and "<img" not in low and "onerror=alert" not in low.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "␀␛" in page  # control characters shown as symbols, one for one
    got = parse(page)
    assert "".join(got.text) == text.replace("\x00", "␀").replace("\x1b", "␛")


def test_palette_stays_distinct_for_colour_blind_readers_and_in_print():
    """Spans that share an outline must differ in colour for every kind of colour vision (CIE76 ΔE ≥ 15
    after Machado et al. 2009); each (colour, outline) pair is unique, so greyscale print keeps the
    outline and the label. The palette names only registered families and colour classes."""
    styles = {(fam, cls): st for fam, d in palette.PALETTE.items() for cls, st in d.items()}
    assert len({(st.background, st.line, st.shape) for st in styles.values()}) == len(styles)
    for (a, sa), (b, sb) in itertools.combinations(styles.items(), 2):
        if (sa.line, sa.shape) == (sb.line, sb.shape):
            for vision in ("normal", "protan", "deutan", "tritan"):
                assert palette.delta_e(sa.background, sb.background, vision) >= 15, (a, b, vision)
    fams = {f.name: f for f in registry.families()}
    for fam, classes in palette.PALETTE.items():
        assert fam in fams, f"palette names {fam!r}, which is not a registered family"
        assert set(classes) == set(fams[fam].colours), fam
    for bg in {st.background for st in styles.values()}:  # black text stays readable on every background
        assert palette.lab(bg)[0] >= 55


def test_group_digits():
    assert group_digits("7785200000") == "7,785,200,000"
    assert group_digits("-2165688000.5") == "-2,165,688,000.5"
    assert group_digits("20.37") == "20.37" and group_digits("2024") == "2024" and group_digits("x") == "x"


# ----------------------------------------------------------------------------------------------
# the site


def _record(text: str, **fields) -> dict:
    raw = text.encode("utf-8")
    base = {"doc_id": hashlib.sha256(raw).hexdigest(), "source": fields.pop("source", None), "title": None,
            "published": None, "published_from": None, "script": "simplified", "encoding": "utf-8",
            "metadata": {}, "warnings": [], "pipeline_version": "test"}
    return {**base, **fields}


@pytest.fixture(scope="module")
def records_jsonl(tmp_path_factory, extracted):
    """A JSONL file as `zhnews extract` writes it (sources relative to the repository), with an error
    record in `<name>.errors.jsonl` beside it."""
    from pipeline.records import ErrorRecord
    from pipeline.store.jsonl import JsonlSink

    folder = tmp_path_factory.mktemp("jsonl")
    sink = JsonlSink(folder / "records.jsonl")
    records = [r for _, r in extracted.values()]
    sink.write([r.model_copy(update={"source": str(Path(r.source).relative_to(ROOT))}) for r in records])
    sink.write([ErrorRecord(source="corpus/broken.txt", stage="decode", error="DecodeError", message="<b>bad</b>")])
    sink.commit()
    return folder / "records.jsonl"


def test_site_from_jsonl_finds_the_texts_and_lists_the_errors(records_jsonl, tmp_path):
    entries = list(site.from_jsonl(records_jsonl, roots=[ROOT]))
    assert [e.error is None for e in entries] == [True, True, True, False]
    assert all(e.text is not None and not e.notes for e in entries[:3])
    summary = site.write_site(entries, tmp_path / "site")
    assert summary["articles"] == 3 and summary["errors"] == 1
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    pages = sorted((tmp_path / "site" / "articles").glob("*.html"))
    assert len(pages) == 3
    for page in pages:
        assert f'href="articles/{page.name}"' in index
        assert 'href="../index.html"' in page.read_text(encoding="utf-8")
    assert "Errors (1)" in index and "DecodeError" in index and "&lt;b&gt;bad&lt;/b&gt;" in index
    assert ">515<" in index  # the filing's table cells are counted
    assert "003_8b2fe20a107fcfe5.txt" in index and "<script" not in index
    shown = visible_text(index)
    assert "Table cell" in shown and "table_items" not in shown


def test_stored_records_without_their_file_render_the_items_with_a_note(records_jsonl, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copy = elsewhere / "records.jsonl"
    copy.write_text(records_jsonl.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the records' sources (corpus/...) are relative to the repository
    entries = [e for e in site.from_jsonl(copy) if e.record]
    assert all(e.text is None for e in entries)
    assert "was not found" in entries[0].notes[0] and "--sources" in entries[0].notes[0]
    site.write_site(entries, tmp_path / "site")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "3 of 3 article(s) are shown without their text" in index


def test_a_changed_source_file_is_not_used(tmp_path, extracted):
    text, record = extracted[SEED.name]
    changed = tmp_path / "a.txt"
    changed.write_text("插入一行。\n" + text, encoding="utf-8")
    got, notes = site.find_text({**record.model_dump(mode="json"), "source": str(changed)})
    assert got is None and "has changed since it was extracted" in notes[0]
    same_spans = tmp_path / "b.txt"
    same_spans.write_text(text + "\n附加。", encoding="utf-8")
    got, notes = site.find_text({**record.model_dump(mode="json"), "source": str(same_spans)})
    assert got is not None and "every item's span matches it" in notes[0]


def test_bad_lines_and_records_of_another_version_become_entries_not_crashes(tmp_path, extracted):
    _, record = extracted[SEED.name]
    data = record.model_dump(mode="json")
    newer = {**data, "region": "CN", "dates": [{**d, "relative": False} for d in data["dates"]]}
    lines = ["not json", json.dumps([1, 2]), json.dumps({"foo": 1}), json.dumps(newer, ensure_ascii=False)]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    entries = list(site.from_jsonl(path, roots=[ROOT]))
    assert [e.error["error"] if e.error else "record" for e in entries] == [
        "JSONDecodeError", "NotARecord", "NotARecord", "record"]
    assert entries[3].text is not None and "does not validate against this pipeline's record schema" in entries[3].notes[0]
    page = render_html(entries[3].text, entries[3].record, notes=entries[3].notes)
    assert "<dt>region</dt><dd>CN</dd>" in page


def test_site_from_a_database(tmp_path, extracted):
    from pipeline.records import ErrorRecord
    from pipeline.store.sql import SqlSink

    db = f"sqlite:///{tmp_path / 'z.db'}"
    sink = SqlSink(db)
    sink.write([r for _, r in extracted.values()])
    sink.write([ErrorRecord(source="corpus/x.txt", stage="read", error="OSError", message="gone")])
    sink.commit()
    entries = list(site.from_database(db))
    assert sum(e.record is not None for e in entries) == 3 and sum(e.error is not None for e in entries) == 1
    assert all(e.text is not None for e in entries if e.record)  # absolute sources: found
    site.write_site(entries, tmp_path / "site")
    assert "Errors (1)" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_the_site_is_never_written_over_someone_elses_folder(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(site.SiteError, match="not a review site"):
        site.write_site([], folder)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep"
    ours = tmp_path / "ours"
    site.write_site([], ours)
    (ours / "articles" / "old.html").write_text("stale", encoding="utf-8")
    site.write_site([], ours)  # a site written before is replaced, stale pages included
    assert not (ours / "articles" / "old.html").exists() and (ours / "index.html").is_file()


# ----------------------------------------------------------------------------------------------
# the command


def test_review_a_folder_writes_the_site(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(SEED.read_bytes())
    (corpus / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8")  # not text: an error record, and the run goes on
    res = zhnews("review", corpus, "--out", tmp_path / "site")
    assert res.returncode == 1, res.stderr  # exit 1: an article failed (listed in the index)
    assert "1 article page(s), 1 error(s)" in res.stderr
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "a.txt" in index and "bad.txt" in index and "Errors (1)" in index
    page = next((tmp_path / "site" / "articles").glob("*.html")).read_text(encoding="utf-8")
    assert "<h1>a.txt</h1>" in page and '<a class="lbl' in page


def test_review_usage_errors(tmp_path):
    res = zhnews("review", tmp_path / "missing", "--out", tmp_path / "site")
    assert res.returncode == 2 and "no such file or folder" in res.stderr
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x").write_text("x", encoding="utf-8")
    res = zhnews("review", SEED, "--out", taken)
    assert res.returncode == 2 and "not a review site" in res.stderr


def test_show_writes_the_review_page(tmp_path):
    res = zhnews("show", SEED, "--html", tmp_path / "p.html")
    assert res.returncode == 0, res.stderr
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert "<h1>000_9b9d65982590d5c2.txt</h1>" in page and "Items (" in page and '<a class="lbl' in page


def test_review_serve_says_the_url_serves_the_site_and_stops_on_ctrl_c(records_jsonl, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "review", str(records_jsonl), "--out",
                             str(tmp_path / "site"), "--serve", "--port", "0"], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url, lines = None, []
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
            lines.append(line)
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            url = m.group(1) if m else None
        assert url, "".join(lines)
        with urllib.request.urlopen(url, timeout=10) as resp:
            body = resp.read().decode("utf-8")
            assert resp.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert "Errors (1)" in body
        page = re.search(r'href="(articles/[^"]+)"', body).group(1)
        with urllib.request.urlopen(url + page, timeout=10) as resp:
            assert '<a class="lbl' in resp.read().decode("utf-8")
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert "stopped" in err and "Traceback" not in err
        assert proc.returncode == 1  # the site lists an error record
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
