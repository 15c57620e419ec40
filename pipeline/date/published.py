"""The article's own date: front matter `date:`, then a sign-off line (香港，二零二五年三月十九日) in the last
lines, then a dateline alone on one of the first lines."""

from __future__ import annotations

from datetime import date

from pipeline.date.resolve import _int, valid
from pipeline.text.offsets import NormText


def find_published(norm: NormText, rules) -> tuple[date | None, str | None]:
    meta_date = norm.metadata.get("date")
    if isinstance(meta_date, str):
        mm = rules.meta_date_rx.match(meta_date)
        if mm and valid(int(mm["y"]), int(mm["m"]), int(mm["d"])):
            return date(int(mm["y"]), int(mm["m"]), int(mm["d"])), "front_matter"
    lines = [ln.strip() for ln in norm.text[norm.body_start:].split("\n") if ln.strip()]
    # the last lines, but never the opening ones: in a short article they are a dateline, not a sign-off
    head, tail = lines[:5], lines[max(min(5, len(lines) // 2), len(lines) - 12):]
    for source, candidates in (("sign_off", reversed(tail)), ("dateline", head)):
        for line in candidates:
            mm = rules.sign_off_rx.match(line)
            if mm:
                y, mo, d = (_int(mm.group(k), rules) for k in ("y", "m", "d"))
                if valid(y, mo, d):
                    return date(y, mo, d), source
    return None, None
