"""The `zhnews` command, run as a user runs it (a real subprocess, real files)."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import CORPUS, ROOT


def zhnews(*args, cwd=None, input=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, input=input, env=env)


@pytest.fixture(scope="module")
def schema():
    return json.loads(zhnews("schema").stdout)


def test_extract_corpus_writes_five_valid_grounded_records(tmp_path, schema):
    out = tmp_path / "out.jsonl"
    res = zhnews("extract", CORPUS, "--out", out)
    assert res.returncode == 0, res.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    for line in lines:
        record = json.loads(line)
        jsonschema.validate(record, schema)
        original = Path(record["source"]).read_text(encoding="utf-8")
        n = 0
        for family in ("entities", "money", "exchange_rates", "percentages", "dates", "shares", "stock_codes"):
            for item in record[family]:
                assert original[item["start"]:item["end"]] == item["text"]
                n += 1
        assert n > 10
    assert not (tmp_path / "out.errors.jsonl").exists()
    assert "5 record(s), 0 error(s)" in res.stderr  # the folder run reports on stderr


def test_extract_to_stdout_with_published(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("12月19日,港交所官网显示,智谱已通过港交所聆讯。", encoding="utf-8")
    res = zhnews("extract", f, "--published", "2025-12-20")
    assert res.returncode == 0, res.stderr
    record = json.loads(res.stdout)
    assert record["published"] == "2025-12-20" and record["published_from"] == "argument"
    assert record["dates"][0]["value"] == "2025-12-19" and record["dates"][0]["year_inferred"] is True


def test_bad_article_becomes_an_error_record_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "000_9b9d65982590d5c2.txt", folder / "good.txt")
    (folder / "bad.txt").write_bytes(b"\x80\x80\xff\x00\x81\xfe")
    (folder / "gb.md").write_bytes("金山云募资约28亿港元。".encode("gb18030"))
    (folder / "bom.txt").write_bytes(codecs.BOM_UTF16_LE + "金山雲募資約28億港元。".encode("utf-16-le"))
    (folder / "ignored.csv").write_text("not an article", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = zhnews("extract", folder, "--out", out)
    assert res.returncode == 1  # the run finished, one article failed
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(Path(r["source"]).name for r in records) == ["bom.txt", "gb.md", "good.txt"]
    assert {Path(r["source"]).name: r["encoding"] for r in records}["gb.md"] == "gb18030"
    errors = [json.loads(x) for x in (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(errors) == 1
    assert errors[0]["stage"] == "decode" and errors[0]["source"].endswith("bad.txt")
    assert "bad.txt" in errors[0]["message"]
    assert "1 error(s)" in res.stderr


def test_jsonl_input(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "a1", "text": "金山云CEO王育林宣布募资约28亿港元。", "published": "2025-09-01"}, ensure_ascii=False),
        json.dumps({"id": "a2", "text": "今天公司发布财报。"}, ensure_ascii=False),
        "not json",
        "",
    ]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = zhnews("extract", "--jsonl-input", src, "--out", out)
    assert res.returncode == 1
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in records] == ["a1", "a2"]
    assert records[0]["published"] == "2025-09-01"
    assert records[0]["money"][0]["value"] == "2800000000"
    assert any(w["code"] == "date_unresolved" for w in records[1]["warnings"])
    errors = (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8")
    assert "in.jsonl:3" in errors


@pytest.mark.parametrize("args,code", [
    (("extract", "does/not/exist"), 2),
    (("extract",), 2),
    (("extract", CORPUS / "000_9b9d65982590d5c2.txt", "--published", "19/12/2025"), 2),
    (("reprocess", "does/not/exist"), 2),
])
def test_usage_errors_exit_2(args, code):
    res = zhnews(*args)
    assert res.returncode == code
    assert "error" in res.stderr.lower()


def test_invalid_rules_stop_with_exit_3(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "money.yaml").write_text("family: money\nunknown_key: 1\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ZHNEWS_RULES": str(rules)}
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", CORPUS / "000_9b9d65982590d5c2.txt"],
                         capture_output=True, text=True, env=env)
    assert res.returncode == 3
    assert "money.yaml" in res.stderr


def test_version_and_score():
    assert zhnews("version").stdout.strip()
    res = zhnews("score")
    assert res.returncode == 0
    assert "money" in res.stdout and "entities" in res.stdout
