"""The compiled-pattern cache (pipeline/rxcache.py): a process that finds the file rebuilds every rule pattern
from it and extracts exactly what a process that compiled them itself extracts; a damaged file, or a
pattern it does not hold, compiles as usual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import regex

from pipeline import rxcache

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ("腾讯控股(00700.HK)3月19日晚间公布,2024年第四季度营收1724亿元,同比增长11%;董事会建议派发末期股息"
           "每股4.50港元。公司计划于下周一上午9点半召开业绩会。")

_RUN = """
import json, sys
from pipeline import rxcache
from pipeline.core import Pipeline, default_settings
settings = default_settings().with_(cache_dir=sys.argv[1])
record = Pipeline(settings)(sys.argv[2], published="2025-03-20").model_dump(mode="json")
for k in ("id", "fingerprint", "timings"):
    record.pop(k, None)
print(json.dumps({"record": record, "stored": len(rxcache._store.load()), "compiled_here": rxcache._store.dirty}))
"""


def _run(cache: Path, hash_seed: str = "0") -> dict:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run([sys.executable, "-c", _RUN, str(cache), ARTICLE], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_a_second_process_rebuilds_the_patterns_from_the_file_and_extracts_the_same(tmp_path):
    first = _run(tmp_path)
    files = list(tmp_path.glob("zhnews-regex-*.marshal"))
    assert len(files) == 1 and first["stored"] > 100
    second = _run(tmp_path, hash_seed="1")  # another process orders its sets otherwise
    assert second["compiled_here"] is False  # nothing was compiled the slow way
    assert second["stored"] == first["stored"]  # and nothing new stored: no pattern follows a set's order
    assert second["record"] == first["record"]
    assert second["record"]["money"] and second["record"]["dates"]
    # a damaged file is ignored: the patterns compile as usual and the file is written again
    files[0].write_bytes(b"\x00not marshal")
    third = _run(tmp_path)
    assert third["record"] == first["record"]
    assert third["stored"] == first["stored"]


def test_a_cached_pattern_is_the_pattern_regex_compiles(tmp_path):
    rxcache.use(tmp_path)
    try:
        pattern = r"(?P<y>(?:19|20)\d{2})\s?年(?<!去)(?P<m>1[0-2]|[1-9])月"
        made = rxcache.compile(pattern, regex.V1)
        rxcache.save()
        rxcache.use(None)
        rxcache.use(tmp_path)  # a fresh read of the file, as in a new process
        rebuilt = rxcache.compile(pattern, regex.V1)
        assert rxcache._store.dirty is False
        assert rebuilt.pattern == made.pattern and rebuilt.flags == made.flags
        assert rebuilt.groupindex == made.groupindex
        for text in ("2024年3月", "去年3月", "公司2019年 12月公告", "1899年1月"):
            a, b = made.search(text), rebuilt.search(text)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))
        # a stored entry that no longer rebuilds is compiled again
        key = (pattern, int(regex.V1))
        rxcache._store.entries[key] = ("not", "the", "arguments")
        assert rxcache.compile(pattern, regex.V1).search("2024年3月")
    finally:
        rxcache.use(None)


def test_the_record_does_not_depend_on_the_cache(tmp_path):
    assert json.dumps(_run(tmp_path)["record"], sort_keys=True) == json.dumps(
        _run(tmp_path / "other")["record"], sort_keys=True)


def test_parsed_rule_data_comes_back_from_the_file_and_only_for_the_same_text(tmp_path):
    import datetime

    calls = []

    def parse(text):
        calls.append(text)
        return {"words": text.split(), "n": len(text)}

    rxcache.use(tmp_path)
    try:
        first = rxcache.parsed("rules/x.yaml", "a b c", parse)
        rxcache.save()
        rxcache.use(None)
        rxcache.use(tmp_path)  # a new process
        again = rxcache.parsed("rules/x.yaml", "a b c", parse)
        assert again == first and calls == ["a b c"]
        again["words"].append("changed")  # each caller gets its own copy
        assert rxcache.parsed("rules/x.yaml", "a b c", parse) == first
        assert rxcache.parsed("rules/x.yaml", "a b d", parse)["words"] == ["a", "b", "d"]  # an edited file
        assert len(calls) == 2
        dated = rxcache.parsed("rules/y.yaml", "d", lambda text: {"on": datetime.date(2025, 1, 1)})
        assert dated == {"on": datetime.date(2025, 1, 1)}  # marshal cannot hold a date: parsed every time
        assert "rules/y.yaml" not in rxcache._store.parsed
    finally:
        rxcache.use(None)
