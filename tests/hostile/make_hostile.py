"""Generate a corpus of hostile article files: what a nightly scrape meets.

    python tests/hostile/make_hostile.py OUT_DIR [--big-mb 12]

Every file is either readable (and must become a record) or not (and must become an error record naming
the file); none may crash, hang or be lost. The big dump is written, not committed: the folder under
tests/hostile/ holds only this script.
"""

from __future__ import annotations

import argparse
import codecs
import random
from pathlib import Path

SAMPLE = ("金山云CEO王育林宣布,公司于2025年9月通过港股配售募资约28亿港元,其中80%投向AI业务。"
          "截至二零二四年十二月三十一日止年度,收入为人民幣7,785.2百萬元(1,066.6百萬美元)。")
TRAD = "金山雲於二零二四年公佈計劃,收入為人民幣7,785.2百萬元,同比增長10.5%。智譜(股份代號:2513)"


def files(big_mb: float) -> dict[str, bytes]:
    rng = random.Random(20251122)
    para = SAMPLE + "\n\n"
    out: dict[str, bytes] = {
        # encodings
        "utf8.txt": SAMPLE.encode("utf-8"),
        "utf8-bom.txt": codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        "utf16-le-bom.txt": codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
        "utf16-be-bom.txt": codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
        "utf16-le-no-bom.txt": (SAMPLE + "\n2025-06-30 ABC\n").encode("utf-16-le"),
        "gb18030.txt": SAMPLE.encode("gb18030"),
        "big5.txt": TRAD.encode("big5"),
        "mixed-utf8-and-gbk.txt": SAMPLE.encode("utf-8") + SAMPLE.encode("gbk"),
        "truncated-utf8.txt": SAMPLE.encode("utf-8")[:-1],
        "latin1-garbage.txt": bytes(range(0x80, 0x100)) * 40,
        "random-binary.txt": bytes(rng.getrandbits(8) for _ in range(20_000)),
        "png-as-txt.txt": b"\x89PNG\r\n\x1a\n" + bytes(rng.getrandbits(8) for _ in range(4000)),
        # empty and near-empty
        "empty.txt": b"",
        "whitespace.txt": b" \n\t\r\n   \n",
        "only-front-matter.md": b"---\ntitle: x\n---\n",
        # structure
        "front-matter-unterminated.md": ("---\ntitle: 未闭合\ndate: 2025-06-30\n" + SAMPLE).encode(),
        "front-matter-invalid.md": ("---\ntitle: [unclosed\ndate: : :\n---\n" + SAMPLE).encode(),
        "front-matter-not-mapping.md": ("---\n- a\n- b\n---\n" + SAMPLE).encode(),
        "html-fragments.md": ("<html><body><p>金山云</p><script>var a='<p>';</script><div class=\"x\">募资约"
                              "28亿港元&nbsp;&amp;</div><br/><table><tr><td>收入</td><td>7,047,461</td></tr></table>"
                              "<!-- 注释 -->" + SAMPLE).encode(),
        "control-chars.txt": ("".join(chr(c) for c in range(1, 32) if c not in (9, 10, 13)) + SAMPLE
                              + "\x7f\x1b[31m红色\x1b[0m").encode(),
        "nul-bytes.txt": SAMPLE.encode() + b"\x00\x00\x00" + SAMPLE.encode(),
        "crlf.txt": (SAMPLE + "\r\n") .encode() * 50,
        "zero-width-and-rtl.txt": ("\u200b\u200d\ufeff\u202e" + SAMPLE + "\u2066\u2069").encode(),
        "astral-and-emoji.txt": ("🚀𠀀𠀁金山云募资约28亿港元😀" * 20).encode(),
        # pathological for rules
        "digits-with-commas.txt": (",".join("123" for _ in range(35_000)) + "元").encode(),
        "digits-plain.txt": ("9" * 100_000).encode(),
        "han-without-punctuation.txt": ("金山云宣布募资" * 15_000).encode(),
        "wan-yi-runs.txt": ("万亿" * 50_000 + "元").encode(),
        "chinese-numerals.txt": ("一二三四五六七八九十百千" * 8_000 + "亿元").encode(),
        "brackets.txt": ("[" * 30_000 + "(" * 30_000 + "!" * 1000).encode(),
        "pinyin-debris-flood.txt": ("工場(chǎng)" * 5_000 + "?jīng)_" * 3_000).encode(),
        "question-marks.txt": ("?" * 50_000).encode(),
        "one-long-line.txt": (SAMPLE.replace("。", ",") * 3_000).encode(),
        "many-numbers.txt": ("".join(f"{i}元," for i in range(30_000))).encode(),
        "huge-table.txt": ("截至十二月三十一日止年度\n二零二三年 二零二四年\n人民幣千元 人民幣千元\n\n"
                           + "".join(f"項目{i} {i * 1000:,} ({i * 7:,})\n" for i in range(20_000))).encode(),
        "dates-flood.txt": ("2025年1月1日至2025年12月31日," * 10_000).encode(),
        # size
        "big-dump.txt": (para * int(big_mb * 1e6 / len(para.encode()) + 1)).encode(),
        # issue 18: what stopped whole runs or was garbled silently
        "nul-inside-an-item.txt": "金山云募资约28\x00亿港元,智谱募资约43亿港元。".encode(),
        "yaml-bomb.md": _yaml_bomb(8).encode(),
        "yaml-deep.md": ("---\nx: " + "[" * 5_000 + "]" * 5_000 + "\n---\n" + SAMPLE).encode(),
        "yaml-self-alias.md": ("---\na: &a\n  b: *a\n---\n" + SAMPLE).encode(),
        "repeated-a.txt": b"a" * 1_000_000,
        "repeated-yi.txt": ("亿" * 300_000).encode(),
        "big5-short.txt": "台積電昨日股價上漲".encode("big5"),
        "big5-hkscs.txt": "港鐵公司宣佈加價，乘客表示唔滿意，啲人話好貴".encode("big5hkscs"),
        "shift-jis.txt": "東京証券取引所で株価が上昇しました。トヨタ自動車の決算発表".encode("shift_jis"),
        "euc-jp.txt": "東京証券取引所で株価が上昇しました。".encode("euc_jp"),
        "euc-kr.txt": "삼성전자 주가가 상승했습니다. 코스피 지수는 2500을 넘었다".encode("euc_kr"),
        "hz.txt": "金山云收入为人民币7亿元".encode("hz"),
        "utf-7.txt": "金山云收入为人民币7亿元".encode("utf-7"),
        "iso-2022-jp.txt": "東京証券取引所で株価が上昇".encode("iso2022_jp"),
        "gbk-and-big5.txt": "沪深两市成交额突破万亿元\n".encode("gbk") + "台積電昨日股價上漲，外資買超\n".encode("big5"),
        "utf8-two-stray-bytes.txt": (SAMPLE * 3).encode() + b"\xff\xfe" + SAMPLE.encode(),
    }
    return out


def _yaml_bomb(levels: int) -> str:
    doc = "---\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, levels + 1):
        doc += f"a{i}: &a{i} [" + ", ".join(f"*a{i - 1}" for _ in range(9)) + "]\n"
    return doc + "---\n" + SAMPLE


def special(out: Path) -> list[str]:
    """Entries that are not plain files: a FIFO (reading it would block), a socket, a symlink that leads
    out of the folder, a symlink loop, a dangling link, a file name that is not UTF-8. The names of those
    that a folder scan finds are returned."""
    import os
    import socket

    made = []
    os.mkfifo(out / "fifo.txt")
    made.append("fifo.txt")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(out / "socket.txt"))
        made.append("socket.txt")
    except OSError:
        pass
    finally:
        sock.close()
    (out / "passwd-link.txt").symlink_to("/etc/passwd")
    (out / "loop-a.txt").symlink_to(out / "loop-b.txt")
    (out / "loop-b.txt").symlink_to(out / "loop-a.txt")
    (out / "dangling.txt").symlink_to(out / "no-such-file.txt")
    (out / "inside-link.txt").symlink_to(out / "utf8.txt")  # inside the folder: followed
    made += ["passwd-link.txt", "loop-a.txt", "loop-b.txt", "dangling.txt", "inside-link.txt"]
    name = os.fsdecode(b"gbk-name-\xbd\xf0\xc9\xbd.txt")  # a file name in GBK bytes: not UTF-8
    (out / name).write_bytes(SAMPLE.encode())
    made.append(name)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--big-mb", type=float, default=12.0, help="size of the big dump (MB)")
    parser.add_argument("--no-special", action="store_true", help="no FIFO, socket, symlinks or odd file names")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files(args.big_mb).items():
        (args.out / name).write_bytes(data)
    extra = [] if args.no_special else special(args.out)
    print(f"{len(files(0.01)) + len(extra)} hostile files in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
