"""One record as a review page: the article's text with every item marked and labelled inline (family and
value, visible without hovering, in print and in screenshots), the warnings marked at their spans, and a
side table of every item (family, text, value, unit, period, rule, every other field) whose rows jump to
their spans. Filters by family (and by label, for families with several colour classes).

Built from the record alone (a pydantic record or its JSON dict, as read back from JSONL or the
database) and the registry: no family is named here. A record from an older or newer pipeline still
renders: unknown item lists are drawn in grey, and a `detail()` that fails on an old item falls back to
the item's own fields.

The page has no script at all: filters are checkboxes read by CSS `:has()`, a row is a link to its span
(`#i-N`, which the span shows with `:target`), a label is a link back to its row. A Content-Security-
Policy forbids scripts and every outside resource, so even a failure to escape could not run code, and
the page works offline.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Any

from pipeline import registry
from pipeline.review.palette import FOCUS, WARNING, Style, style_for

SPAN_KEYS = ("text", "start", "end", "rule")
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_CONTROL = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)} | {0x7F: 0x2421}
_NUMBER = re.compile(r"(?<![\d.])-?\d+(?:\.\d+)?(?![\d.])")


def esc(value: Any) -> str:
    """Text for HTML (element content or a quoted attribute): escaped, control characters shown as their
    visible symbols (␀, ␛) one for one, lone surrogates as U+FFFD."""
    text = value if isinstance(value, str) else str(value)
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return html.escape(text.translate(_CONTROL), quote=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ----------------------------------------------------------------------------------------------
# families and items, as the page sees them


@dataclass(frozen=True)
class FamilyView:
    """A family as the page draws it: the registry's, or a stand-in for an item list it does not know."""

    name: str
    field: str
    title: str
    styles: Mapping[str, Style]
    css: Callable[[dict], str]
    detail: Callable[[dict], str]
    columns: Mapping[str, str] = field(default_factory=dict)
    decimals: frozenset[str] = frozenset()
    known: bool = True

    @property
    def safe(self) -> bool:
        return bool(_SAFE_NAME.match(self.field))


def _decimal_fields(model) -> frozenset[str]:
    return frozenset(name for name, f in getattr(model, "model_fields", {}).items() if "Decimal" in str(f.annotation))


def _from_registry(fam) -> FamilyView:
    colours = dict(fam.colours) or {fam.field: None}
    return FamilyView(name=fam.name, field=fam.field, title=fam.title,
                      styles={cls: style_for(fam.name, cls, colour) for cls, colour in colours.items()},
                      css=fam.css, detail=fam.detail, columns=dict(fam.columns), decimals=_decimal_fields(fam.item))


def _is_item(x: Any) -> bool:
    """A grounded item: text, span and the rule or model that produced it (`pipeline.records.Item`). Other
    record-level lists with spans (a region's evidence) are not items; they are shown with the record."""
    return (isinstance(x, dict) and isinstance(x.get("text"), str) and isinstance(x.get("start"), int)
            and isinstance(x.get("end"), int) and isinstance(x.get("rule"), str))


def family_views(data: Mapping[str, Any]) -> list[FamilyView]:
    """The registered families, then any other list of grounded items the record holds (a family this
    pipeline does not have), drawn with the fallback colour."""
    views = [_from_registry(f) for f in registry.families()]
    known = {v.field for v in views} | {"warnings"}
    for key, value in data.items():
        if key not in known and isinstance(value, list) and value and all(_is_item(x) for x in value):
            views.append(FamilyView(name=key, field=key, title=key.replace("_", " ").capitalize(),
                                    styles={key: style_for(key, key, None)}, css=lambda i, k=key: k,
                                    detail=_generic_detail, known=False))
    return views


def _generic_detail(item: dict) -> str:
    return " · ".join(f"{k} {_show(v)}" for k, v in item.items() if k not in SPAN_KEYS and _present(v))


def _present(value: Any) -> bool:
    return value is not None and value is not False and value != "" and value != [] and value != {}


def _show(value: Any) -> str:
    if value is True:
        return "yes"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def group_digits(number: str) -> str:
    """7785200000 -> 7,785,200,000; -2165688.5 -> -2,165,688.5; 2024.5 and 20.37 unchanged."""
    try:
        d = Decimal(number)
    except InvalidOperation:
        return number
    if abs(d) < 10000:
        return number
    sign, rest = ("-", number[1:]) if number.startswith("-") else ("", number)
    whole, dot, frac = rest.partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}"


@dataclass
class ItemView:
    n: int
    fam: FamilyView
    item: dict
    cls: str
    style: Style
    tag: str
    value: str
    title: str
    drawn: bool = False
    why: str = ""


def item_view(fam: FamilyView, item: dict) -> ItemView:
    try:
        cls = str(fam.css(item))
    except Exception:  # noqa: BLE001 - an item from another pipeline version
        cls = fam.field
    style = fam.styles.get(cls) or style_for(fam.name, cls, None)
    try:
        raw = _one_line(str(fam.detail(item)))
    except Exception:  # noqa: BLE001 - an old record without a field the detail reads: its fields
        raw = _one_line(_generic_detail(item))
    value = raw
    for name in fam.decimals:  # exact amounts, readable: only the item's own decimal fields are grouped
        v = item.get(name)
        if isinstance(v, str) and _NUMBER.fullmatch(v):
            value = re.sub(rf"(?<![\d.]){re.escape(v)}(?![\d.])", group_digits(v), value)
    # a family with one colour class per label (entities) is named by its label: ORG, not Entity
    tag = cls if len(fam.styles) > 1 and cls in fam.styles else fam.title
    if value.startswith(f"{tag}: "):
        value = value[len(tag) + 2:]
    return ItemView(0, fam, item, cls, style, tag, value, f"{raw} · {item.get('rule', '')}")


def other_fields(view: ItemView) -> list[tuple[str, str]]:
    """The fields the value, unit and period columns do not show already: the generic rest."""
    shown = set(SPAN_KEYS) | {view.fam.columns.get("unit"), view.fam.columns.get("period")}
    out = []
    for key, value in view.item.items():
        if key in shown or not _present(value):
            continue
        text = _show(value)
        if value is not True and text in view.title:
            continue  # already in the value column's reading
        out.append((key, text))
    return out


def collect(data: Mapping[str, Any], original: str | None) -> tuple[list[FamilyView], list[ItemView]]:
    """Every item of the record, numbered in text order; those drawn in the text are marked `drawn`: an
    item is drawn when the text is there, its span holds its text, and it overlaps no item drawn before."""
    fams = family_views(data)
    views = [item_view(fam, it) for fam in fams for it in (data.get(fam.field) or []) if _is_item(it)]
    order = {f.field: i for i, f in enumerate(fams)}
    views.sort(key=lambda v: (v.item["start"], v.item["end"], order[v.fam.field]))
    pos, last = 0, None
    for n, v in enumerate(views, 1):
        v.n = n
        s, e = v.item["start"], v.item["end"]
        if original is None:
            v.why = "no text"
        elif not (0 <= s < e <= len(original)) or original[s:e] != v.item["text"]:
            v.why = "its span does not hold its text"
        elif s < pos:
            v.why = f"overlaps #{last}"
        else:
            v.drawn, pos, last = True, e, n
    return fams, views


def _warnings(data: Mapping[str, Any], original: str | None) -> list[tuple[int, dict, bool]]:
    out = []
    for k, w in enumerate(w for w in data.get("warnings") or [] if isinstance(w, dict)):
        s, e = w.get("start"), w.get("end")
        at = (original is not None and isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(original))
        out.append((k, w, at))
    return out


# ----------------------------------------------------------------------------------------------
# the text


def render_text(original: str, views: list[ItemView], warnings: list[tuple[int, dict, bool]]) -> str:
    """The text with the drawn items as marks with their labels, and the warnings' spans underlined (a
    warning that crosses a mark is cut at its edges; its label follows its last piece)."""
    drawn = [v for v in views if v.drawn]
    spans = [(w["start"], w["end"], k, w) for k, w, at in warnings if at]
    cuts = {0, len(original)}
    for v in drawn:
        cuts |= {v.item["start"], v.item["end"]}
    for s, e, _, _ in spans:
        cuts |= {s, e}
    cuts = sorted(cuts)
    starts = {v.item["start"]: v for v in drawn}
    ends = {v.item["end"]: v for v in drawn}
    points = {}
    for s, e, k, w in spans:
        if s == e:
            points.setdefault(s, []).append((k, w))
    out: list[str] = []
    seen: set[int] = set()
    inside: ItemView | None = None
    for a, b in zip(cuts, cuts[1:] + [None]):
        if inside is not None and ends.get(a) is inside:
            out.append(_close_item(inside))
            inside = None
        for k, w in points.get(a, ()):
            out.append(f'<a class="warn point" id="w-{k}" href="#wr-{k}" title="{esc(_warn_title(w))}">'
                       f'⚠ {esc(w.get("code", ""))}</a>')
        if b is None:
            break
        if a in starts:
            inside = starts[a]
            out.append(_open_item(inside))
        active = [(k, w) for s, e, k, w in spans if s <= a and b <= e and s < e]
        piece = esc(original[a:b])
        if active:
            ids = [k for k, _ in active if k not in seen]
            seen.update(ids)
            anchor = f' id="w-{ids[0]}"' if ids else ""
            title = "; ".join(_warn_title(w) for _, w in active)
            more = "".join(f'<span class="anchor" id="w-{k}"></span>' for k in ids[1:])  # warnings starting together
            piece = f'{more}<span class="warn"{anchor} title="{esc(title)}">{piece}</span>'
        out.append(piece)
        for k, w in active:
            if w["end"] == b:
                out.append(f'<a class="wlbl" href="#wr-{k}">⚠ {esc(w.get("code", ""))}</a>')
    return "".join(out)


def _warn_title(w: dict) -> str:
    return f"{w.get('code', '')}: {w.get('message', '')}"


def _open_item(v: ItemView) -> str:
    box = " box" if v.style.shape == "box" else ""
    text = v.item["text"]
    if "\n" not in text and len(text) + len(v.tag) + len(v.value) <= 40:
        box += " nw"  # a short item and its label stay on one line: a label never starts the next line alone
    return (f'<span class="it{box}" id="i-{v.n}" data-f="{esc(v.fam.field)}" data-c="{esc(v.cls)}">'
            f'<mark class="{esc(v.cls)}" title="{esc(v.title)}">')


def _close_item(v: ItemView) -> str:
    short = " nw" if len(v.tag) + len(v.value) <= 36 else ""  # a short label never breaks inside (2025-|H1)
    if short or " · " not in v.value:
        value = f" {esc(v.value)}" if v.value else ""
    else:  # a long reading breaks between its parts only: 收入 · 2023 · | 7,047,461,000 CNY (money)
        value = " " + " · ".join(f'<span class="part">{esc(p)}</span>' for p in v.value.split(" · "))
    return f'</mark><a class="lbl{short}" href="#r-{v.n}"><b>{esc(v.tag)}</b>{value}</a></span>'


# ----------------------------------------------------------------------------------------------
# the side panel: filters and legend, warnings, the item table


def render_filters(fams: list[FamilyView], views: list[ItemView], warnings: list, *, text: bool = True) -> str:
    counts: dict[tuple[str, str], int] = {}
    for v in views:
        counts[(v.fam.field, v.cls)] = counts.get((v.fam.field, v.cls), 0) + 1
    rows = []
    for fam in fams:
        if not fam.safe:
            continue
        total = sum(n for (f, _), n in counts.items() if f == fam.field)
        sub = ""
        if len(fam.styles) > 1:
            sub = "".join(
                f'<label class="sub"><input type="checkbox" id="flt-{fam.field}-{cls}" checked>'
                f'<span class="sw" data-f="{fam.field}" data-c="{cls}">{esc(cls)}</span> '
                f'<span class="n">{counts.get((fam.field, cls), 0)}</span></label>'
                for cls in fam.styles if _SAFE_NAME.match(cls))
        only = next(iter(fam.styles)) if len(fam.styles) == 1 else ""
        swatch = (f'<span class="sw" data-f="{fam.field}" data-c="{esc(only)}">{esc(fam.title)}</span>' if only
                  else f'<span class="title">{esc(fam.title)}</span>')
        rows.append(f'<div class="fam{" none" if not total else ""}"><label><input type="checkbox" '
                    f'id="flt-{fam.field}" checked>{swatch} <span class="n">{total}</span></label>{sub}</div>')
    opts = ('<label><input type="checkbox" id="opt-labels" checked> labels in the text</label>' if text else "")
    opts += (f'<label><input type="checkbox" id="opt-warnings" checked> warnings '
            f'<span class="n">{len(warnings)}</span></label>')
    return (f'<fieldset class="filters"><legend>Show</legend>{"".join(rows)}'
            f'<div class="opts">{opts}</div></fieldset>')


def render_warnings(warnings: list[tuple[int, dict, bool]]) -> str:
    if not warnings:
        return ""
    items = []
    for k, w, at in warnings:
        where = (f'<a href="#w-{k}">at {w["start"]}</a>' if at
                 else '<span class="muted">whole article</span>' if w.get("start") is None
                 else '<span class="muted">not in the text shown</span>')
        text = f' <q>{esc(w["text"])}</q>' if w.get("text") else ""
        items.append(f'<li id="wr-{k}"><b>{esc(w.get("code", ""))}</b>{text} — {esc(w.get("message", ""))} '
                     f'<small>{where}</small></li>')
    return f'<section class="warnings"><h2>Warnings ({len(warnings)})</h2><ol>{"".join(items)}</ol></section>'


def render_item_table(fams: list[FamilyView], views: list[ItemView]) -> str:
    if not views:
        return '<section class="items"><h2>Items (0)</h2><p class="muted">No items were extracted.</p></section>'
    has_unit = any(v.fam.columns.get("unit") in v.item for v in views)
    has_period = any(v.fam.columns.get("period") in v.item for v in views)
    head = ["#", "Family", "Text", "Value"] + (["Unit"] if has_unit else []) + (["Period"] if has_period else [])
    head += ["Rule or model"]
    rows = []
    for v in views:
        link = v.drawn
        text = esc(v.item["text"])
        if link:
            text = f'<a href="#i-{v.n}">{text}</a>'
        elif v.why != "no text":  # without the text the page says so once, not on every row
            text = f'{text} <small class="muted">(not marked: {esc(v.why)})</small>'

        cells = [f'<td class="num">{v.n}</td>',
                 f'<td><span class="sw" data-f="{esc(v.fam.field)}" data-c="{esc(v.cls)}">{esc(v.tag)}</span></td>',
                 f'<td class="t">{text}</td>', f'<td class="v">{esc(v.value)}</td>']
        if has_unit:
            unit = v.item.get(v.fam.columns.get("unit")) if v.fam.columns.get("unit") else None
            cells.append(f'<td>{esc(_show(unit)) if _present(unit) else ""}</td>')
        if has_period:
            period = v.item.get(v.fam.columns.get("period")) if v.fam.columns.get("period") else None
            cells.append(f'<td class="p">{esc(period) if period else ""}</td>')
        more = "".join(f' <span class="kv"><i>{esc(k)}</i> {esc(val)}</span>' for k, val in other_fields(v))
        cells.append(f'<td class="more"><span class="rule">{esc(v.item.get("rule", ""))}</span>{more}</td>')
        nolink = "" if link else ' class="nolink"'
        rows.append(f'<tr id="r-{v.n}" data-f="{esc(v.fam.field)}" data-c="{esc(v.cls)}"{nolink}>'
                    f'{"".join(cells)}</tr>')
    ths = "".join(f"<th>{h}</th>" for h in head)
    return (f'<section class="items"><h2>Items ({len(views)})</h2><table class="items"><thead><tr>{ths}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></section>')


# ----------------------------------------------------------------------------------------------
# the page


def heading(data: Mapping[str, Any]) -> str:
    """The article's title, else its file name (not the whole path), else the start of its id."""
    if data.get("title"):
        return _one_line(str(data["title"]))
    source = data.get("source")
    if source:
        return PurePosixPath(str(source).replace("\\", "/")).name or str(source)
    return str(data.get("doc_id") or "article")[:12]


RECORD_ORDER = ("source", "published", "published_from", "script", "encoding", "pipeline_version", "doc_id")


def render_meta(data: Mapping[str, Any], fams: list[FamilyView]) -> str:
    """Every article-level field of the record (new ones included), the item lists excepted."""
    lists = {f.field for f in fams} | {"warnings"}
    keys = [k for k in RECORD_ORDER if k in data] + [k for k in data if k not in RECORD_ORDER and k not in lists]
    keys.sort(key=lambda k: isinstance(data[k], (list, dict)))  # structured values last: they may open wide
    parts = []
    for key in keys:
        value = data[key]
        if key == "title" or not _present(value):
            continue
        if key == "published" and data.get("published_from"):
            value = f"{value} (from {data['published_from']})"
        elif key == "published_from" and data.get("published"):
            continue
        parts.append(f"<div><dt>{esc(key.replace('_', ' '))}</dt><dd>{_meta_value(value)}</dd></div>")
    if "published" not in data or not data.get("published"):
        parts.insert(1, '<div><dt>published</dt><dd class="muted">unknown</dd></div>')
    return f'<dl class="meta">{"".join(parts)}</dl>'


def _compact(value: Any) -> str:
    if isinstance(value, dict):
        return " · ".join(f"{k} {_compact(v)}" for k, v in value.items() if _present(v))
    if isinstance(value, list):
        return ", ".join(_compact(v) for v in value)
    return _show(value)


def _meta_value(value: Any) -> str:
    """A record-level field: a value as it is, a list or a long mapping folded (one line per entry)."""
    if isinstance(value, list):
        lines = "".join(f"<li>{esc(_compact(v))}</li>" for v in value)
        return f"<details><summary>{len(value)} entr{'y' if len(value) == 1 else 'ies'}</summary><ul>{lines}</ul></details>"
    text = _compact(value) if isinstance(value, dict) else _show(value)
    if len(text) > 160:
        return f"<details><summary>{esc(text[:60])}…</summary>{esc(text)}</details>"
    return esc(text)


def html_head(title: str, css: str) -> str:
    """The document up to `</head>` of every review page: the strict CSP (no scripts, nothing fetched), the
    viewport, the title and the page's own style sheet."""
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="zhnews review">
<title>{esc(title)}</title>
<style>{css}</style></head>"""


def page_css(fams: list[FamilyView]) -> str:
    rules = []
    for fam in fams:
        if not fam.safe:
            continue
        for cls, st in fam.styles.items():
            if not _SAFE_NAME.match(cls):
                continue
            rules.append(f"mark.{cls} {{ background: {st.background}; }}")  # the mark's colour; the variables
            # below colour its outline, its label and the swatches of the legend and the table
            rules.append(f'[data-f="{fam.field}"][data-c="{cls}"] {{ --bg: {st.background}; --edge: {st.edge}; '
                         f"--line: {st.line}; }}")
            if len(fam.styles) > 1:
                off = f'body:has(#flt-{fam.field}-{cls}:not(:checked))'
                rules.append(f'{off} .it[data-f="{fam.field}"][data-c="{cls}"] {{ --bg: transparent; '
                             f"--edge: transparent; }}")
                rules.append(f'{off} .it[data-f="{fam.field}"][data-c="{cls}"] > mark {{ background: transparent; }}')
                rules.append(f'{off} .it[data-f="{fam.field}"][data-c="{cls}"] > .lbl, '
                             f'{off} tr[data-f="{fam.field}"][data-c="{cls}"] {{ display: none; }}')
        off = f"body:has(#flt-{fam.field}:not(:checked))"
        rules.append(f'{off} .it[data-f="{fam.field}"] {{ --bg: transparent; --edge: transparent; }}')
        rules.append(f'{off} .it[data-f="{fam.field}"] > mark {{ background: transparent; }}')
        rules.append(f'{off} .it[data-f="{fam.field}"] > .lbl, {off} tr[data-f="{fam.field}"] {{ display: none; }}')
    return BASE_CSS + "\n".join(rules) + "\n"


BASE_CSS = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: system-ui, "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC",
  sans-serif; color: #1a1a1a; background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
a {{ color: #0b4f8a; }}
.muted {{ color: #666; }}
header.page {{ padding: 0.8rem 1.5rem 0.4rem; border-bottom: 1px solid #ccc; }}
header.page h1 {{ font-size: 1.45rem; margin: 0.2rem 0 0.4rem; }}
nav.site {{ font-size: 0.85rem; display: flex; gap: 1.2em; }}
dl.meta {{ display: flex; flex-wrap: wrap; gap: 0.2em 1.4em; margin: 0.3rem 0; font-size: 0.82rem; color: #444; }}
dl.meta div {{ display: flex; gap: 0.4em; max-width: 100%; }}
dl.meta dt {{ color: #777; }}
dl.meta dd {{ margin: 0; overflow-wrap: anywhere; }}
dl.meta details {{ display: inline-block; vertical-align: top; }}
dl.meta summary {{ cursor: pointer; color: #0b4f8a; }}
dl.meta details ul {{ margin: 0.2em 0; padding-left: 1.2em; }}
.notes {{ margin: 0.6rem 1.5rem 0; padding: 0.5rem 0.9rem; border-left: 4px solid #b8860b; background: #fff8e1;
  font-size: 0.9rem; }}
.notes p {{ margin: 0.2em 0; }}
main.review {{ display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.5rem; padding: 0 1.5rem; }}
main.review.notext {{ grid-template-columns: minmax(0, 1fr); }}
article.text {{ white-space: pre-wrap; overflow-wrap: anywhere; line-height: 2.15; font-size: 1rem; padding: 1rem 0 3rem; }}
aside.panel {{ position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto; padding: 0 0 2rem;
  font-size: 0.85rem; }}
.it {{ --bg: #DDDDDD; --edge: #545454; --line: solid; scroll-margin: 35vh 0; border-radius: 3px; }}
.it > mark {{ background: var(--bg); color: inherit; border-bottom: 3px var(--line) var(--edge); padding: 0 1px;
  border-radius: 2px 2px 0 0; }}
.it.box > mark {{ border: 2px var(--line) var(--edge); border-radius: 2px; }}
.it > .lbl {{ font-size: 0.68em; line-height: 1.2; margin: 0 0.25em 0 0.1em; padding: 0 0.3em; border-radius: 0.6em;
  border: 1px solid var(--edge); background: #fff; color: #1a1a1a; text-decoration: none; vertical-align: 0.15em;
  white-space: normal; -webkit-box-decoration-break: clone; box-decoration-break: clone; user-select: none; }}
.it.nw {{ white-space: pre; }}
.it > .lbl.nw, .it > .lbl .part {{ white-space: nowrap; }}
.it > .lbl b {{ font-weight: 700; color: var(--edge); }}
.it:target {{ outline: 3px solid {FOCUS}; outline-offset: 3px; animation: flash 1.6s ease-out 2; }}
@keyframes flash {{ 0%, 100% {{ box-shadow: 0 0 0 0 rgba(0,0,0,0); }} 50% {{ box-shadow: 0 0 0 7px rgba(0,0,0,0.28); }} }}
.warn {{ text-decoration: underline wavy {WARNING}; text-decoration-thickness: 1.5px; text-underline-offset: 0.3em;
  text-decoration-skip-ink: none; scroll-margin: 35vh 0; }}
.anchor {{ scroll-margin: 35vh 0; }}
.warn:target {{ outline: 3px solid {FOCUS}; outline-offset: 2px; }}
.wlbl, .warn.point {{ font-size: 0.68em; margin: 0 0.2em; padding: 0 0.35em; border: 1px dashed {WARNING};
  border-radius: 0.6em; color: {WARNING}; background: #fff; text-decoration: none; vertical-align: 0.15em;
  user-select: none; }}
body:has(#opt-labels:not(:checked)) .lbl {{ display: none; }}
body:has(#opt-warnings:not(:checked)) .wlbl, body:has(#opt-warnings:not(:checked)) .warn.point,
body:has(#opt-warnings:not(:checked)) section.warnings {{ display: none; }}
body:has(#opt-warnings:not(:checked)) .warn {{ text-decoration: none; }}
fieldset.filters {{ border: 1px solid #ccc; border-radius: 6px; margin: 0.6rem 0; padding: 0.3rem 0.6rem 0.5rem;
  display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; }}
fieldset.filters legend {{ font-weight: 600; padding: 0 0.3em; }}
fieldset.filters .fam {{ display: flex; flex-wrap: wrap; gap: 0.2rem 0.6rem; align-items: center; }}
fieldset.filters .fam.none {{ opacity: 0.55; }}
fieldset.filters label {{ cursor: pointer; white-space: nowrap; }}
fieldset.filters .opts {{ flex-basis: 100%; display: flex; gap: 1rem; color: #444; }}
.sw {{ display: inline-block; padding: 0 0.35em; background: var(--bg, #DDDDDD); border-bottom: 3px var(--line, solid)
  var(--edge, #545454); border-radius: 2px; white-space: nowrap; }}
.n {{ color: #555; font-variant-numeric: tabular-nums; }}
.title {{ font-weight: 600; }}
section.warnings {{ border: 1px solid {WARNING}; border-radius: 6px; padding: 0.2rem 0.7rem; margin-bottom: 0.7rem; }}
section.warnings h2, section.items h2 {{ font-size: 0.95rem; margin: 0.4rem 0; }}
section.warnings ol {{ margin: 0.2rem 0 0.4rem; padding-left: 1.6em; }}
section.warnings li:target {{ background: #fde8e4; }}
table.items {{ border-collapse: collapse; width: 100%; }}
table.items th {{ position: sticky; top: 0; background: #f3f3f3; text-align: left; font-weight: 600; z-index: 1;
  border-bottom: 1px solid #bbb; }}
table.items th, table.items td {{ padding: 0.2em 0.4em; vertical-align: top; }}
table.items tbody tr {{ position: relative; border-bottom: 1px solid #e6e6e6; }}
table.items tbody tr:hover {{ background: #f2f7fc; }}
table.items tbody tr:target {{ background: #fff3c4; outline: 2px solid {FOCUS}; }}
table.items td.t a {{ color: inherit; text-decoration: none; }}
table.items td.t a::after {{ content: ""; position: absolute; inset: 0; }}
table.items tr:not(.nolink) {{ cursor: pointer; }}
table.items {{ font-size: 0.95em; }}
table.items td.num, table.items .rule {{ color: #666; font-variant-numeric: tabular-nums; }}
table.items td.more {{ font-size: 0.9em; }}
table.items .rule {{ display: block; overflow-wrap: anywhere; }}
table.items td.t {{ min-width: 4.5em; }}
table.items td.v {{ font-variant-numeric: tabular-nums; }}
table.items td.p {{ white-space: nowrap; }}
table.items .kv {{ display: inline-block; margin-right: 0.4em; }}
table.items .kv i {{ color: #777; font-style: normal; }}
@media (max-width: 72rem) {{
  main.review {{ grid-template-columns: minmax(0, 1fr); }}
  aside.panel {{ position: static; max-height: none; order: -1; }}
  section.items {{ max-height: 50vh; overflow: auto; }}
}}
@media print {{
  main.review {{ display: block; }}
  aside.panel {{ position: static; max-height: none; overflow: visible; }}
  fieldset.filters input, fieldset.filters .opts {{ display: none; }}
  table.items th {{ position: static; }}
  table.items tr {{ break-inside: avoid; }}
  .it:target {{ outline: none; animation: none; }}
  nav.site {{ display: none; }}
}}
"""


def render_html(original: str | None, record: Any, *, notes: list[str] | tuple[str, ...] = (),
                nav: Mapping[str, str] | None = None) -> str:
    """The review page of one record (a pydantic record or its JSON dict). `original` is the article's
    decoded text, or None when it is not at hand (the page then lists the items and says why: `notes`).
    `nav` (optional): `index`, `prev`, `next` hrefs for a page inside a site."""
    data = record.model_dump(mode="json") if hasattr(record, "model_dump") else dict(record)
    fams, views = collect(data, original)
    warnings = _warnings(data, original)
    title = heading(data)
    notes = list(notes)
    if original is not None:
        bad = [v for v in views if v.why == "its span does not hold its text"]
        if bad:
            notes.append(f"{len(bad)} item(s) are not marked: their spans do not hold their text in the text "
                         f"shown (was the article changed after extraction?). They are listed in the table.")
    text = (f'<article class="text" lang="zh">{render_text(original, views, warnings)}</article>'
            if original is not None else "")
    nav_html = ""
    if nav:
        links = [f'<a href="{esc(nav["index"])}">↑ all articles</a>'] if nav.get("index") else []
        links += [f'<a href="{esc(nav[k])}" rel="{k}">{label}</a>' for k, label in (("prev", "← previous"),
                                                                                     ("next", "next →")) if nav.get(k)]
        nav_html = f'<nav class="site">{"".join(links)}</nav>'
    notes_html = ("<div class=\"notes\" role=\"note\">" + "".join(f"<p>{esc(n)}</p>" for n in notes) + "</div>"
                  if notes else "")
    return f"""{html_head(title, page_css(fams))}
<body>
<header class="page">{nav_html}
<h1>{esc(title)}</h1>
{render_meta(data, fams)}
</header>
{notes_html}
<main class="review{"" if original is not None else " notext"}">
{text}
<aside class="panel">
{render_filters(fams, views, warnings, text=original is not None)}
{render_warnings(warnings)}
{render_item_table(fams, views)}
</aside>
</main>
</body></html>
"""


__all__ = ["render_html", "collect", "family_views", "heading", "esc", "group_digits", "page_css"]
