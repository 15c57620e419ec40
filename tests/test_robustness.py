"""Hostile input never crashes a run, hangs a worker or loses an article."""

from __future__ import annotations

import cProfile
import hashlib
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.core import Pipeline
from pipeline.limits import ArticleTimeout, ArticleTooLarge, Limits

from conftest import ROOT

SAMPLE = "金山云CEO王育林宣布,公司于2025年9月通过港股配售募资约28亿港元,其中80%投向AI业务。\n\n"


def test_oversize_articles_are_split_at_paragraph_breaks_with_offsets_into_the_whole_text():
    pipe = Pipeline(limits=Limits(max_bytes=2_000, oversize="split"))
    text = SAMPLE * 60
    raw = text.encode("utf-8")
    records = pipe.records(raw, source="big.txt")
    assert len(records) > 1
    assert [r.metadata["part"]["part"] for r in records] == list(range(1, len(records) + 1))
    assert all(r.source.startswith("big.txt#part") for r in records)
    assert len({r.doc_id for r in records}) == len(records)
    money = [m for r in records for m in r.money]
    assert len(money) == 60 and all(text[m.start:m.end] == m.text == "28亿港元" for m in money)


def test_oversize_articles_can_be_refused():
    pipe = Pipeline(limits=Limits(max_bytes=2_000, oversize="refuse"))
    with pytest.raises(ArticleTooLarge) as info:
        pipe.records((SAMPLE * 60).encode(), source="big.txt")
    assert "big.txt" in str(info.value) and info.value.stage == "limits"


def test_time_limit_gives_up_with_a_clear_error():
    pipe = Pipeline(limits=Limits(max_seconds=1e-9))
    with pytest.raises(ArticleTimeout) as info:
        pipe(SAMPLE * 50, source="slow.txt")
    assert info.value.stage == "timeout" and "slow.txt" in str(info.value)


def test_item_limit_truncates_with_a_warning():
    pipe = Pipeline(limits=Limits(max_items=10))
    record = pipe("".join(f"{i}元," for i in range(100)))
    assert sum(1 for _ in record.items()) == 10
    assert [w.code for w in record.warnings] == ["items_truncated"]


# ------------------------------------------------------------------------------------------------
# linear time: doubling the input at most roughly doubles the work

PATHOLOGICAL = {
    "digits with commas": lambda n: ",".join("123" for _ in range(n // 4)) + "元",
    "digits": lambda n: "9" * n,
    "Han without punctuation": lambda n: ("金山云宣布募资" * (n // 7 + 1))[:n],
    "万亿万亿": lambda n: "万亿" * (n // 2) + "元",
    "Chinese numerals": lambda n: ("一二三四五六七八九十百千" * (n // 12 + 1))[:n] + "亿元",
    "brackets": lambda n: "[" * (n // 2) + "(" * (n // 2),
    "pinyin debris": lambda n: ("工場(chǎng)?jīng)_" * (n // 13 + 1))[:n],
    "dates": lambda n: ("2025年1月1日至12月31日," * (n // 17 + 1))[:n],
    "amounts": lambda n: ("约5.4亿美元至6亿美元," * (n // 13 + 1))[:n],
}


def _work(pipe, text: str) -> tuple[int, float]:
    """(Python function calls, CPU seconds) to extract `text`: calls are an exact operation count for
    the Python stages; CPU time covers the regex scans, which the regex module runs in C."""
    prof = cProfile.Profile()
    start = time.process_time()
    prof.enable()
    pipe(text)
    prof.disable()
    cpu = time.process_time() - start
    return pstats.Stats(prof).total_calls, cpu


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_rules_take_linear_time_on_pathological_input(name, pipeline):
    make = PATHOLOGICAL[name]
    n = 25_000
    calls1, _ = _work(pipeline, make(n))
    calls4, _ = _work(pipeline, make(4 * n))
    assert calls4 <= 4.5 * calls1 + 2000, f"{name}: Python work grew {calls4 / calls1:.1f}x for 4x input"
    cpu1 = min(_work(pipeline, make(n))[1] for _ in range(2))
    cpu4 = min(_work(pipeline, make(4 * n))[1] for _ in range(2))
    assert cpu4 <= 6 * cpu1 + 0.05, f"{name}: CPU time grew {cpu4 / cpu1:.1f}x for 4x input (quadratic is 16x)"


# ------------------------------------------------------------------------------------------------
# bad structure


@pytest.mark.parametrize("text,money,warning", [
    ("---\ntitle: 未闭合\ndate: 2025-06-30\n" + SAMPLE, 1, None),
    ("---\ntitle: [unclosed\n---\n" + SAMPLE, 1, "front_matter_invalid"),
    ("<html><body><p>金山云</p><script>x='<p>'</script><td>收入</td><td>28亿港元</td>&nbsp;&amp;</body></html>", 1,
     "html_removed"),
    ("\x00\x01\x02" + SAMPLE + "\x1b[31m红\x1b[0m\x7f", 1, "control_characters_removed"),
    ("金山云\ud800募资约28亿港元\udfff。", 1, "lone_surrogate"),
    (SAMPLE.replace("\n", "") * 5_000, 4_000, "items_truncated"),  # 25,000 items: the first 20,000 are kept
    ("", 0, None),
    ("   \n\t", 0, None),
])
def test_bad_structure_gives_a_valid_record(pipeline, text, money, warning):
    """The debris is dropped with a warning, and what the article says is still read, at exact offsets."""
    record = pipeline(text, source="x")
    data = json.loads(record.model_dump_json())  # serialisable: no lone surrogate leaks out
    clean = text.replace("\x00", "")  # offsets index the decoded text without NUL characters
    for _, item in record.items():
        assert clean[item.start:item.end] == item.text
    assert len(data["money"]) == money
    assert all(m["value"] == "2800000000" and m["currency"] == "HKD" for m in data["money"])
    if money:
        assert "金山云" in [e["norm"] for e in data["entities"]]
    else:
        assert not any(items for _, items in data.items() if isinstance(items, list) and _ != "warnings")
    if warning:
        assert warning in [w["code"] for w in data["warnings"]]
    assert data["doc_id"] == hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def test_html_tags_are_not_content(pipeline):
    record = pipeline("<div class=\"a\">金山云</div><p>募资约<b>28亿港元</b></p>")
    assert [e.text for e in record.entities] == ["金山云"]
    assert [m.text for m in record.money] == ["28亿港元"]


# ------------------------------------------------------------------------------------------------
# the hostile corpus through `zhnews reprocess`


@pytest.mark.flow
def test_hostile_corpus_through_reprocess(tmp_path):
    folder = tmp_path / "hostile"
    # the big dump is split into parts at the size limit: a 2 MB dump under a 1.5 MB limit shows that as well
    # as 6 MB under the default 5 MB, in a quarter of the time
    subprocess.run([sys.executable, str(ROOT / "tests" / "hostile" / "make_hostile.py"), str(folder),
                    "--big-mb", "2"], check=True, capture_output=True)
    from pipeline.sources import source_name

    files = sorted(Path(source_name(p)).name for p in folder.iterdir())  # a GBK file name is escaped
    assert len(files) >= 60
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp_path / "prefect"),
           "ZHNEWS_MAX_BYTES": "1500000"}
    db = tmp_path / "z.db"
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "reprocess", str(folder), "--db", f"sqlite:///{db}",
                          "--jsonl", str(tmp_path / "r.jsonl"), "--batch-size", "4"],
                         env=env, capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert res.returncode in (0, 1), res.stderr[-3000:]
    records = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    errors_file = tmp_path / "r.errors.jsonl"
    errors = [json.loads(x) for x in errors_file.read_text(encoding="utf-8").splitlines()] if errors_file.exists() else []
    done = {r["source"].split("#part")[0].rsplit("/", 1)[-1] for r in records}
    failed = {e["source"].rsplit("/", 1)[-1] for e in errors}
    assert done | failed == set(files) and not done & failed  # every file ended as records or one error
    assert all(e["stage"] in ("decode", "limits", "timeout", "read", "extract") and e["message"] for e in errors)
    assert "big-dump.txt" in done and any("#part2of" in r["source"] for r in records)
    assert {"random-binary.txt", "latin1-garbage.txt"} <= failed
    # special files are error rows, never a hang or a silent skip; a link inside the folder is followed
    assert {"fifo.txt", "passwd-link.txt", "loop-a.txt", "loop-b.txt", "dangling.txt"} <= failed
    assert {"inside-link.txt", "nul-inside-an-item.txt", "yaml-bomb.md", "repeated-a.txt", "big5-short.txt",
            "gbk-and-big5.txt", "utf8-two-stray-bytes.txt", "euc-kr.txt", "hz.txt"} <= done
    by_name = {r["source"].rsplit("/", 1)[-1]: r for r in records}
    assert by_name["big5-short.txt"]["encoding"] == "big5hkscs" and by_name["hz.txt"]["encoding"] == "hz"
    assert "nul_removed" in [w["code"] for w in by_name["nul-inside-an-item.txt"]["warnings"]]
    assert "front_matter_invalid" in [w["code"] for w in by_name["yaml-bomb.md"]["warnings"]]
    assert f"{len(records)}" in res.stderr and f"{len(errors)}" in res.stderr  # the summary counts them
