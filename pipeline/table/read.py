"""Tables in plain text: where they are, and what their cells say.

A table is a block of rows (a label and two or more numeric cells) and the header lines around them:
periods (二零二三年 二零二四年, 2024年第一季度, 2024Q1), currencies (人民币 人民币 美元, 人民币千元), units
((以千计), (以百万计), `(%)`), a note column (附注) and a change column (同比变动). The scale comes from the
nearest header, unit line or title note (所有金额以千计). Parenthesised values are negative; – and — are nil.
A row label that wraps onto the next line is joined. Share counts and per-share amounts are never scaled
by the money unit. A table-like list with no currency (staff by function) gives numbers, not money.

`table_mask` marks table regions so the prose rules skip them; `read_tables` reads the cells. The words
and header patterns are rule data (`rules/table.yaml`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import regex

from pipeline.mention import Context, Mention
from pipeline.numbers import parse_chinese, plain
from pipeline.text.layout import is_table_row

_LABEL_LINE = regex.compile(r"^[^。;]{1,30}:$|^[\p{Han}A-Za-z]{1,8}$")  # 收入: / 其他综合收益,扣除零税项: / 资产
_TOKEN = regex.compile(r"\S+")
_NUMERIC = regex.compile(r"^(?P<open>[(（])?(?P<neg>[-−])?(?P<num>\d[\d,]*(?:\.\d+)?)(?P<close>[)）])?(?P<pct>%)?$"
                         r"|^(?P<nil>[–—-])$")


def is_header_line(line: str, rules) -> bool:
    s = line.strip()
    if not s:
        return False
    if rules.header_line_rx.match(s):
        return True
    return all(rules.header_cell_rx.match(c) for c in s.split())


_KINDS_CACHE: dict[int, tuple[str, tuple[str, ...]]] = {}


def _line_kinds(text: str, rules) -> tuple[str, ...]:
    """The kind of every line of `text`, computed once for the mask and the reader."""
    cached = _KINDS_CACHE.get(id(rules))
    if cached is not None and cached[0] is text:
        return cached[1]
    kinds = tuple(_kinds(text.split("\n"), rules))
    _KINDS_CACHE.clear()
    _KINDS_CACHE[id(rules)] = (text, kinds)
    return kinds


def _kinds(lines: list[str], rules) -> list[str]:
    kinds = []
    for ln in lines:
        if is_table_row(ln):
            kinds.append("row")
        elif is_header_line(ln, rules):
            kinds.append("header")
        elif _LABEL_LINE.match(ln.strip()):
            kinds.append("label")
        else:
            kinds.append("" if ln.strip() else "blank")
    return kinds


def table_mask(text: str, rules) -> bytearray:
    """1 for every character in a table region (rows, and the headers that lead to rows)."""
    mask = bytearray(len(text))
    lines = text.split("\n")
    kinds = _line_kinds(text, rules)
    n = len(lines)
    keep = [k == "row" for k in kinds]
    for i, k in enumerate(kinds):  # a header counts only when rows follow (through blanks and labels)
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


# ----------------------------------------------------------------------------------------------
# reading cells


@dataclass
class _Column:
    period: str | None = None
    currency: str | None = None
    scale: Decimal | None = None
    kind: str = "value"  # value | change | percent


@dataclass
class _Table:
    title: str | None
    scale: Decimal
    periods: list[_Column] = field(default_factory=list)
    currencies: list[tuple[str | None, Decimal | None, str]] = field(default_factory=list)
    note_column: bool = False
    percent_table: bool = False
    as_at: tuple[int, int] | None = None  # (month, day) of a 于十二月三十一日 header
    section: str | None = None
    has_rows: bool = False
    scale_stated: bool = False  # the scale was written for this table, not inherited

    def columns(self) -> list[_Column]:
        n = max(len(self.periods), len(self.currencies))
        cols = [_Column() for _ in range(n)]
        periods = list(self.periods)
        if periods and len(periods) < n and all(p.kind == "value" for p in periods):
            # 二零二三年 二零二四年 over 人民币 人民币 美元: the extra column translates the last period
            periods += [_Column(period=periods[-1].period)] * (n - len(periods))
        for col, p in zip(cols[n - len(periods):], periods):
            col.period, col.kind = p.period, p.kind
        currencies = list(self.currencies)
        if len(currencies) == 1 and n > 1:  # one unit line (人民币百万元) over every value column
            currencies = [currencies[0] if p.kind == "value" else (None, None, "value") for p in
                          (periods + [_Column()] * n)[:n]]
        for col, (cur, scale, kind) in zip(cols[n - len(currencies):], currencies):
            col.currency, col.scale = cur, scale
            if kind == "percent":
                col.kind = "change" if col.kind == "change" else "percent"
        if self.percent_table:
            for col in cols:
                if col.kind == "value":
                    col.kind = "percent"
        return cols


def _period_of(token: str, as_at: tuple[int, int] | None, rules) -> str | None:
    m = rules.period_rx.fullmatch(token)
    if not m:
        return None
    y = m["y"]
    year = int(y) if y.isdigit() else int(parse_chinese(y, rules.rules))
    q = m["q"] or m["q2"]
    if q:
        return f"{year:04d}-Q{int(q) if q.isdigit() else int(parse_chinese(q, rules.rules))}"
    h = m["h"] or m["h2"]
    if h:
        return f"{year:04d}-H{1 if h in ('上', '1') else 2}"
    if as_at:
        return f"{year:04d}-{as_at[0]:02d}-{as_at[1]:02d}"
    return f"{year:04d}"


def _scale_in(text: str, rules) -> Decimal | None:
    for word in rules.scale_words:
        if word in text:
            return Decimal(rules.scales[word])
    return None


def _currency_cell(token: str, rules) -> tuple[str | None, Decimal | None, str] | None:
    if token in rules.percent_cells:
        return None, None, "percent"
    t = token.strip("()")
    word = next((w for w in rules.currency_words if w in t), None)
    cur = rules.rules.currency_of[word] if word else None
    scale = _scale_in(t.replace(word, "") if word else t, rules)
    if cur is None and scale is None:
        return None
    return cur, scale, "value"


def _title(lines: list[str], kinds: list[str], i: int) -> str | None:
    """The table's title or nearest heading above line `i`: a short line that is not a header, a unit
    note, a row or prose; the paragraph introducing a table is passed over."""
    for j in range(i - 1, max(-1, i - 16), -1):
        s = lines[j].strip()
        if not s or kinds[j] in ("header", "blank", "row"):
            continue
        if s.startswith("("):
            continue  # a unit note: (除股数和每股数据外,所有金额以千计)
        if len(s) <= 40 and s[-1] not in "。,;:、":
            return s
    return None


def _only_blank_between(kinds: list[str], a: int, b: int) -> bool:
    """Nothing but blank lines and headers between a table's last row and a new header: a page break."""
    return 0 <= a < b and b - a <= 6 and all(k in ("blank", "header", "label") for k in kinds[a + 1:b])


def _scale_above(lines: list[str], i: int, rules) -> Decimal | None:
    for j in range(i - 1, max(-1, i - 6), -1):
        s = lines[j].strip()
        if s.startswith("(") and _scale_in(s, rules):
            return _scale_in(s, rules)
    return None


def read_tables(ctx: Context, rules) -> list[Mention]:
    """One mention per numeric cell of every table, with its label, period, currency and scaled value."""
    text = ctx.text
    lines = text.split("\n")
    kinds = _line_kinds(text, rules)
    offsets, pos = [], 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    out: list[Mention] = []
    table: _Table | None = None
    last: _Table | None = None  # the table before, for one continued after a page break
    last_row = -10
    doc_scale: Decimal | None = None  # the presentation unit a filing states once (人民币千元)
    pending_label = ""
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        stripped = line.strip()
        if kind == "header":
            if table is None or table.has_rows:
                if not any(kinds[j] == "row" for j in range(i + 1, min(len(lines), i + 12))):
                    continue
                continued = last is not None and _only_blank_between(kinds, last_row, i)
                scale = _scale_above(lines, i, rules)
                table = _Table(title=last.title if continued else _title(lines, kinds, i),
                               scale=scale or (last.scale if continued else None) or doc_scale or Decimal(1))
                table.scale_stated = scale is not None or continued
            _absorb_header(table, stripped, rules)
            if table.scale != 1 and table.scale_stated:
                doc_scale = table.scale
            pending_label = ""
        elif kind == "row":
            if table is None:
                table = _Table(title=_title(lines, kinds, i), scale=Decimal(1))
            label_prefix = pending_label if line[:1] in (" ", "\t", "(") or not _row_label(line) else ""
            out += _row_cells(table, line, offsets[i], label_prefix, rules)
            table.has_rows = True
            last, last_row = table, i
            pending_label = ""
        elif kind == "label" and table is not None:
            table.section = stripped.rstrip(":")
            pending_label = "" if stripped.endswith(":") else stripped
        elif kind == "blank":
            continue
        elif table is not None:
            nxt = next((k for k, ln in zip(kinds[i + 1:i + 3], lines[i + 1:i + 3]) if ln.strip()), None)
            if nxt == "row" and len(stripped) <= 40:
                pending_label = stripped  # a label that wraps onto the next line
            elif len(stripped) > 40 or stripped[-1:] in "。":
                table, pending_label = None, ""  # prose: the table has ended
    return out


def _absorb_header(table: _Table, line: str, rules) -> None:
    md = rules.month_day_rx.search(line)
    if md and line.startswith(tuple(rules.as_at_prefixes)):
        m, d = (int(x) if x.isdigit() else int(parse_chinese(x, rules.rules)) for x in (md["m"], md["d"]))
        table.as_at = (m, d)
    if line.startswith("(") and _scale_in(line, rules):
        table.scale = _scale_in(line, rules)
        table.scale_stated = True
        return
    tokens = line.split()
    periods, currencies = [], []
    for tok in tokens:
        if tok in rules.note_words:
            table.note_column = True
            continue
        if tok in rules.change_words:
            periods.append(_Column(kind="change"))
            continue
        p = _period_of(tok, table.as_at, rules)
        if p:
            periods.append(_Column(period=p))
            continue
        c = _currency_cell(tok, rules)
        if c:
            currencies.append(c)
    if periods:
        table.periods = periods
        for col in periods:  # a change column compares the last period with the one before
            if col.kind == "change":
                col.period = next((p.period for p in reversed(periods) if p.period), None)
    if currencies:
        table.currencies = currencies
        if all(k == "percent" for _, _, k in currencies):
            table.percent_table = True
        for _, scale, _ in currencies:
            if scale:
                table.scale = scale
                table.scale_stated = True


def _row_label(line: str) -> str:
    cells = _TOKEN.findall(line)
    k = len(cells)
    while k > 0 and _NUMERIC.match(cells[k - 1]):
        k -= 1
    return " ".join(cells[:k])


def _join(words) -> str:
    """Label words joined: no space between Chinese words, one between two Latin ones."""
    out = ""
    for w in words:
        if out and out[-1].isascii() and out[-1].isalnum() and w[:1].isascii() and w[:1].isalnum():
            out += " "
        out += w
    return out


def _row_cells(table: _Table, line: str, line_start: int, label_prefix: str, rules) -> list[Mention]:
    tokens = list(_TOKEN.finditer(line))
    k = len(tokens)
    while k > 0 and _NUMERIC.match(tokens[k - 1].group()):
        k -= 1
    label = (label_prefix + _join(t.group() for t in tokens[:k])).strip()
    cells = tokens[k:]
    cols = table.columns()
    if cols and len(cells) > len(cols):
        first = cells[0].group()
        if table.note_column or (first.isdigit() and len(first) <= 2):
            cells = cells[len(cells) - len(cols):]  # the note reference (附注) is not a value
    if not label:
        label = table.section or ""
    section = table.section or ""
    def shares_word(text: str) -> bool:  # 股东应占净亏损 is money, not a share count
        return any(w in text for w in rules.share_rows) and not any(w in text for w in rules.not_share_rows)

    # 用于计算每股净亏损的股份: a share count, although it names 每股; 每股净亏损: 基本及摊薄 is per share
    is_shares = shares_word(label) or (shares_word(section) and not any(w in label for w in rules.per_share_rows))
    is_per_share = not is_shares and any(w in label or w in section for w in rules.per_share_rows)
    out = []
    for j, cell in enumerate(cells):
        col = cols[len(cols) - len(cells) + j] if cols and len(cells) <= len(cols) else _Column()
        m = _NUMERIC.match(cell.group())
        if m["nil"]:
            value = Decimal(0)
        else:
            value = Decimal(m["num"].replace(",", ""))
            if m["open"] or m["neg"]:
                value = -value
        if col.kind in ("change", "percent") or m["pct"]:
            kind, currency = ("change" if col.kind == "change" else "percent"), None
        elif is_shares:
            kind, currency = "shares", None
        elif is_per_share:
            kind, currency = "per_share", col.currency
        elif col.currency:
            kind, currency = "money", col.currency
            value *= col.scale or table.scale
        else:
            kind, currency = "number", None
        s = line_start + cell.start()
        out.append(Mention("table", "table.cell", s, s + len(cell.group()), {
            "label": label, "period": col.period, "currency": currency, "value": plain(value),
            "kind": kind, "table": table.title,
        }))
    return out
