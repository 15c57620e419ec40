"""An article as HTML with every extracted item highlighted, for people who would rather look than read
JSON. One self-contained page: no scripts, no external assets. Hovering an item shows what was read."""

from __future__ import annotations

import html

from pipeline import registry
from pipeline.records import ArticleBase


def render_html(original: str, record: ArticleBase) -> str:
    """`original` with every item of `record` highlighted; items that would nest are left plain. The
    colours and the one-line reading of each item come from its family (`pipeline.registry`)."""
    data = record.model_dump(mode="json")
    fams = registry.families()
    spans = []
    for fam in fams:
        for item in data.get(fam.field, ()):
            spans.append((item["start"], item["end"], fam.field, fam.css(item), f"{fam.detail(item)} · {item['rule']}"))
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
    colours = {k: c for fam in fams for k, c in fam.colours.items()}
    legend = " ".join(f'<mark class="{html.escape(k)}">{html.escape(k)}</mark>' for k in colours)
    css = "\n".join(f"mark.{k} {{ background: {c}; }}" for k, c in colours.items())
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
