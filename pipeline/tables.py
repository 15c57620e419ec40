"""Table regions in plain text (the seam for the table reader).

A table is a block of rows (a label and two or more numeric cells) and the header lines around them
(years, currencies, units, `(%)`, `附注`, `截至十二月三十一日止年度`). Prose rules skip these regions; the
table reader will turn them into `table_items`.
"""

from __future__ import annotations

import regex

from pipeline.normalise import is_table_row

_HEADER_CELL = regex.compile(
    r"^(?:(?:19|20)\d{2}年?|[零〇一二][零〇一二三四五六七八九]{3}年|人民币|美元|港元|港币|%|\(%\)|附注|"
    r"同比变动|变动|\(以千计\)|\(以百万计\)|人民币千元|千美元|百万|[\d]+)$"
)
_HEADER_LINE = regex.compile(
    r"^(?:截至|于)?(?:[零〇一二三四五六七八九十]{1,3}月[零〇一二三四五六七八九十]{1,3}日|\d{1,2}月\d{1,2}日)(?:止年度|止)?$"
    r"|^(?:截至[^,。]{0,12})?止年度$|^\(以千计\)$|^\(除股数和每股数据外,所有金额以千计\)$"
)


_LABEL_LINE = regex.compile(r"^[^,。;]{1,30}:$|^[\p{Han}A-Za-z]{1,8}$")  # 收入: / 分子: / 资产 above the rows


def is_header_line(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if _HEADER_LINE.match(s):
        return True
    cells = s.split()
    return all(_HEADER_CELL.match(c) for c in cells)


def table_mask(text: str) -> bytearray:
    """1 for every character in a table region."""
    mask = bytearray(len(text))
    lines = text.split("\n")
    kinds = []
    for ln in lines:
        if is_table_row(ln):
            kinds.append("row")
        elif is_header_line(ln):
            kinds.append("header")
        elif _LABEL_LINE.match(ln.strip()):
            kinds.append("label")
        else:
            kinds.append("" if ln.strip() else "blank")
    # a header counts only next to a row (within a few lines, through blanks and other headers)
    n = len(lines)
    keep = [k == "row" for k in kinds]
    for i, k in enumerate(kinds):
        if k != "header":
            continue
        for j in range(i + 1, min(n, i + 12)):
            if kinds[j] == "row":
                keep[i] = True
                break
            if kinds[j] not in ("header", "blank", "label"):
                break
    pos = 0
    for ln, k in zip(lines, keep):
        if k:
            mask[pos:pos + len(ln)] = b"\x01" * len(ln)
        pos += len(ln) + 1
    return mask
