"""An article as HTML with every extracted item highlighted, for people who would rather look than read
JSON. One self-contained page: no scripts, no external assets. Hovering an item shows what was read."""

from __future__ import annotations

import html

from pipeline.records import ArticleRecord

COLOURS = {
    "PERSON": "#ffd6a5", "ORG": "#caffbf", "GPE": "#9bf6ff", "money": "#fdffb6", "exchange_rates": "#ffc6ff",
    "percentages": "#bdb2ff", "dates": "#a0c4ff", "shares": "#ffadad", "stock_codes": "#e4c1f9",
    "table_items": "#f1f1f1",
}
_DETAIL = {
    "money": lambda i: f"{i['value']}{'–' + i['value_max'] if i.get('value_max') else ''} {i['currency']}"
                       f"{' ' + i['qualifier'] if i.get('qualifier') else ''}{' per share' if i.get('per_share') else ''}",
    "exchange_rates": lambda i: f"{i['value']} {i['quote']} per {i['base']}",
    "percentages": lambda i: f"{i['value']}{'–' + i['value_max'] if i.get('value_max') else ''}"
                             f"{' points' if i.get('points') else ' %'}",
    "dates": lambda i: f"{i['value']}{' → ' + i['end_value'] if i.get('end_value') else ''}"
                       f"{' (year inferred)' if i.get('year_inferred') else ''}",
    "shares": lambda i: f"{i['value']} shares {i.get('share_class') or ''}",
    "stock_codes": lambda i: f"{i['code']} on {i.get('exchange') or '?'} ({i.get('company') or 'company unknown'})",
    "entities": lambda i: f"{i['label']}: {i['norm']}",
    "table_items": lambda i: f"{i['label']} · {i.get('period') or ''} · {i['value']} {i.get('currency') or ''} ({i['kind']})",
}


def render_html(original: str, record: ArticleRecord) -> str:
    """`original` with every item of `record` highlighted; items that would nest are left plain."""
    data = record.model_dump(mode="json")
    spans = []
    for family in ArticleRecord.ITEM_FIELDS:
        for item in data[family]:
            key = item["label"] if family == "entities" else family
            spans.append((item["start"], item["end"], family, key, f"{_DETAIL[family](item)} · {item['rule']}"))
    spans.sort(key=lambda s: (s[0], -s[1]))
    out, pos = [], 0
    for start, end, _family, key, title in spans:
        if start < pos:
            continue  # overlaps an item already drawn
        out.append(html.escape(original[pos:start]))
        out.append(f'<mark class="{html.escape(key)}" title="{html.escape(title)}">'
                   f"{html.escape(original[start:end])}</mark>")
        pos = end
    out.append(html.escape(original[pos:]))
    legend = " ".join(f'<mark class="{k}">{k}</mark>' for k in COLOURS)
    css = "\n".join(f"mark.{k} {{ background: {c}; }}" for k, c in COLOURS.items())
    warnings = "".join(f"<li>{html.escape(w['code'])}: {html.escape(w['message'])}</li>" for w in data["warnings"])
    title = html.escape(record.title or record.source or record.doc_id[:12])
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", sans-serif; max-width: 60em; margin: 2em auto; line-height: 1.7; }}
pre {{ white-space: pre-wrap; font-family: inherit; }}
mark {{ border-radius: 3px; padding: 0 1px; cursor: help; }}
{css}
.meta {{ color: #555; font-size: 0.9em; }}
</style></head><body>
<h1>{title}</h1>
<p class="meta">published {html.escape(record.published or "unknown")} ({html.escape(record.published_from or "-")}) ·
script {record.script} · encoding {html.escape(record.encoding)} · pipeline {record.pipeline_version} ·
{sum(1 for _ in record.items())} items</p>
<p class="meta">{legend}</p>
<pre>{"".join(out)}</pre>
{f"<h2>Warnings</h2><ul>{warnings}</ul>" if warnings else ""}
</body></html>
"""
