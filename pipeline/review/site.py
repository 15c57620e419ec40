"""A static review site: `index.html` (every article with its item counts per family, its warnings, and
every error record) and one page per article (`articles/NNNN-name-docid.html`, see `page.py`).

Entries come from three places, and the pages are the same whatever the source:

- **article files or folders**: extracted here, the text is the decoded file;
- **a JSONL file of records** (what `zhnews extract` writes; `<name>.errors.jsonl` beside it is read too);
- **a database** (`sqlite:///…` or `postgresql://…`, what `zhnews reprocess` and `ingest` write).

A record holds its items and its `source`, not its text. For records from JSONL or a database the text is
read from the source file when it can be found (as written, relative to the current folder, the JSONL's
folder or a `--sources` folder) and is the file that was extracted: its sha256 is the record's `doc_id`,
or at least every item's span holds the item's text. Otherwise the page lists the items without the text
and says why.

The site is plain files (inline CSS, no script, no outside resource), so it works offline, from
`file://` or from any web server; `serve` is a small one on localhost.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

from pipeline.review.page import CSP, collect, esc, heading, html_head, page_css, render_html
from pipeline.text import decode_bytes, doc_id

MARKER = ".zhnews-review"
_PART = re.compile(r"#part\d+of\d+$")


@dataclass
class Entry:
    """One line of the index: an article record (JSON dict) with its text when found, or an error record."""

    record: dict | None = None
    error: dict | None = None
    text: str | None = None
    notes: list[str] = field(default_factory=list)
    page: str | None = None  # the article page, relative to the site folder


class SiteError(Exception):
    """The site cannot be written where asked (a usage problem, not an article's)."""


# ----------------------------------------------------------------------------------------------
# entries


def from_articles(files: Iterable[Path], *, published: str | None = None,
                  progress: Callable[[], None] = lambda: None) -> Iterator[Entry]:
    """Extract each article file: one entry per record (an oversize file split into parts gives several),
    or one error entry. Only a configuration error is raised."""
    from pipeline.core import error_record, records_of_bytes

    for path in files:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            yield Entry(error=error_record(exc, source=str(path)).model_dump(mode="json"))
            progress()
            continue
        results = records_of_bytes(raw, source=str(path), published=published)
        text = None
        if any(hasattr(r, "script") for r in results):
            text, _ = decode_bytes(raw, source=str(path))
        for r in results:
            data = r.model_dump(mode="json")
            yield Entry(record=data, text=text) if hasattr(r, "script") else Entry(error=data)
        progress()


def _is_error(obj: dict) -> bool:
    return {"stage", "error", "message"} <= obj.keys() and "script" not in obj


def entry_of(obj: Any, *, where: str, roots: Iterable[Path] = ()) -> Entry:
    """An entry for one stored record (a JSONL line or a database row), with its text when found."""
    from pydantic import ValidationError

    from pipeline.records import ErrorRecord, article_model

    if not isinstance(obj, dict):
        return Entry(error=_review_error(where, "NotARecord", f"expected a JSON object, got {type(obj).__name__}"))
    if _is_error(obj):
        try:
            return Entry(error=ErrorRecord.model_validate(obj).model_dump(mode="json"))
        except ValidationError:
            return Entry(error={k: obj.get(k) for k in ("doc_id", "source", "stage", "error", "message")})
    notes = []
    try:
        data = article_model().model_validate(obj).model_dump(mode="json")
    except ValidationError as exc:
        if not isinstance(obj.get("doc_id"), str):
            return Entry(error=_review_error(where, "NotARecord", f"not an article record: {_first(exc)}"))
        data = obj
        notes.append(f"This record does not validate against this pipeline's record schema ({exc.error_count()} "
                     f"problem(s), first: {_first(exc)}); it is shown as stored.")
    text, found = find_text(data, roots)
    return Entry(record=data, text=text, notes=notes + found)


def _first(exc) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(map(str, err['loc'])) or 'record'}: {err['msg']}"


def _review_error(source: str, error: str, message: str) -> dict:
    return {"doc_id": None, "source": source, "stage": "review", "error": error, "message": message}


def find_text(data: dict, roots: Iterable[Path] = ()) -> tuple[str | None, list[str]]:
    """The original text of a stored record, read from its source file, and notes for the page."""
    source = data.get("source")
    if not source:
        return None, ["The original text is not shown: the record names no source file. The items are "
                      "listed without their context."]
    path_text = _PART.sub("", str(source))
    rel = Path(path_text)
    candidates = [rel] if rel.is_absolute() else [rel] + [r / rel for r in roots] + [r / rel.name for r in roots]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        where = ", ".join(str(r) for r in roots) or "the current folder"
        return None, [f"The original text is not shown: the source file {source} was not found (looked in "
                      f"{where}; give the folder with --sources). The items are listed without their context."]
    try:
        raw = path.read_bytes()
        text, _ = decode_bytes(raw, source=str(path))
    except Exception as exc:  # noqa: BLE001 - a file that went bad since: the page says so
        return None, [f"The original text is not shown: {path} cannot be read ({exc})."]
    if doc_id(raw) == data.get("doc_id"):
        return text, []
    spans_hold = all(text[i["start"]:i["end"]] == i["text"] for i in _items(data))
    if not spans_hold:
        return None, [f"The original text is not shown: {path} has changed since it was extracted (its sha256 "
                      "is not the record's doc_id and the items' spans do not match it)."]
    if _PART.search(str(source)):
        return text, []  # a part of a split article: its doc_id is the part's, its spans index the whole file
    return text, [f"{path} is not byte for byte the file that was extracted (its sha256 differs from the "
                  "record's doc_id), but every item's span matches it."]


def _items(data: dict) -> Iterator[dict]:
    for value in data.values():
        if isinstance(value, list):
            for x in value:
                if isinstance(x, dict) and isinstance(x.get("start"), int) and isinstance(x.get("text"), str):
                    yield x


def from_jsonl(path: Path, *, roots: Iterable[Path] = ()) -> Iterator[Entry]:
    """The records of a JSONL file (one per line; error records may be mixed in) and, when it exists and
    is not the file given, the error records of `<name>.errors.jsonl` beside it."""
    roots = [*roots, path.parent]
    files = [path]
    errors = path.with_name(path.name.removesuffix(".jsonl") + ".errors.jsonl")
    if errors != path and errors.is_file() and not path.name.endswith(".errors.jsonl"):
        files.append(errors)
    for f in files:
        with f.open(encoding="utf-8", errors="replace") as handle:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = f"{f}:{n}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield Entry(error=_review_error(where, "JSONDecodeError", f"not JSON: {exc}"))
                    continue
                yield entry_of(obj, where=where, roots=roots)


def from_database(url: str, *, roots: Iterable[Path] = ()) -> Iterator[Entry]:
    """Every record and error record of a zhnews database (read only: nothing is created or migrated)."""
    from sqlalchemy import create_engine, select

    from pipeline.store.sql import articles, database_url, errors_table

    engine = create_engine(database_url(url))
    if engine.dialect.name == "sqlite" and not Path(engine.url.database or "").is_file():
        raise SiteError(f"no such database file: {engine.url.database}")  # connecting would create one
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(articles.c.record, articles.c.source, articles.c.pipeline_version)
                                .order_by(articles.c.source, articles.c.pipeline_version)).all()
            errs = conn.execute(select(errors_table).order_by(errors_table.c.source)).mappings().all()
    finally:
        engine.dispose()
    for record, source, version in rows:
        obj = json.loads(record) if isinstance(record, str) else record
        yield entry_of(obj, where=f"{source} ({version})", roots=roots)
    for e in errs:
        yield Entry(error={k: e[k] for k in ("doc_id", "source", "stage", "error", "message", "pipeline_version")})


# ----------------------------------------------------------------------------------------------
# the site


def _slug(entry: Entry, n: int) -> str:
    data = entry.record or {}
    stem = Path(_PART.sub("", str(data.get("source") or "")).replace("\\", "/")).stem
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._")[:48] or "article"
    part = _PART.search(str(data.get("source") or ""))
    part = "-" + part.group(0)[1:] if part else ""
    return f"{n:04d}-{safe}{part}-{str(data.get('doc_id') or '')[:8]}.html"


def check_folder(out: Path) -> None:
    """Raise `SiteError` unless `out` is new, empty, or a site this command wrote before: the site is never
    written over someone's files."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError(f"{out} is not empty and is not a review site written by zhnews; choose a new folder")


def prepare_folder(out: Path) -> None:
    """Make `out` ready for a site (see `check_folder`): the pages of an earlier site are removed."""
    check_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "articles", ignore_errors=True)
    (out / "index.html").unlink(missing_ok=True)
    (out / MARKER).write_text("written by zhnews review; the command replaces this folder's pages\n",
                              encoding="utf-8")


def write_site(entries: Iterable[Entry], out: Path, *, title: str = "zhnews review") -> dict:
    """Write the index and a page per article into `out` (see `prepare_folder`); returns a summary."""
    out = Path(out)
    prepare_folder(out)
    (out / "articles").mkdir()
    entries = list(entries)
    articles = [e for e in entries if e.record is not None]
    for n, e in enumerate(articles, 1):
        e.page = f"articles/{_slug(e, n)}"
    for i, e in enumerate(articles):
        nav = {"index": "../index.html",
               "prev": articles[i - 1].page.removeprefix("articles/") if i else "",
               "next": articles[i + 1].page.removeprefix("articles/") if i + 1 < len(articles) else ""}
        (out / e.page).write_text(render_html(e.text, e.record, notes=e.notes, nav=nav), encoding="utf-8")
    index = render_index(entries, title=title)
    (out / "index.html").write_text(index, encoding="utf-8")
    return {"articles": len(articles), "errors": sum(e.error is not None for e in entries), "index": out / "index.html"}


def render_index(entries: list[Entry], *, title: str = "zhnews review") -> str:
    """The index: one row per article (title, file, date, script, items per family, warnings, whether the
    text is shown) and one per error record."""
    articles = [e for e in entries if e.record is not None]
    errors = [e.error for e in entries if e.error is not None]
    rows, totals, total_warn = [], {}, 0
    counted: list[tuple[dict[str, int], int]] = []
    for e in articles:
        _, views = collect(e.record, e.text)
        counts: dict[str, int] = {}
        for v in views:
            counts[v.fam.field] = counts.get(v.fam.field, 0) + 1
            totals[v.fam.field] = totals.get(v.fam.field, 0) + 1
        counted.append((counts, len(views)))
        total_warn += len(e.record.get("warnings") or [])
    fams = _index_families(articles)
    versions = {e.record.get("pipeline_version") for e in articles}
    by_version = len(versions) > 1  # a database holding several pipeline versions: say which row is which
    head = "".join(f'<th class="c">{_swatch(f)}</th>' for f in fams)
    for n, (e, (counts, n_items)) in enumerate(zip(articles, counted), 1):
        data = e.record
        source = str(data.get("source") or "")
        cells = "".join(f'<td class="c{"" if counts.get(f.field) else " zero"}">{counts.get(f.field, 0)}</td>'
                        for f in fams)
        warns = len(data.get("warnings") or [])
        version = f'<td>{esc(data.get("pipeline_version") or "")}</td>' if by_version else ""
        text = ('<td class="c">yes</td>' if e.text is not None
                else '<td class="c no" title="the source file was not found or does not match">no</td>')
        rows.append(
            f'<tr><td class="num">{n}</td><td class="art"><a href="{esc(e.page)}">{esc(heading(data))}</a>'
            f'<div class="src" title="{esc(source)}">{esc(source)}</div></td>'
            f'<td class="nw">{esc(data.get("published") or "—")}</td><td>{esc(data.get("script") or "")}</td>'
            f'{version}{cells}'
            f'<td class="c{" haswarn" if warns else " zero"}">{warns}</td><td class="c">{n_items}</td>{text}</tr>')
    vhead = "<th>Pipeline</th>" if by_version else ""
    foot = "".join(f'<td class="c">{totals.get(f.field, 0)}</td>' for f in fams)
    table = (f'<table class="index"><thead><tr><th>#</th><th>Article</th><th>Published</th><th>Script</th>{vhead}{head}'
             f'<th class="c">Warnings</th><th class="c">Items</th><th class="c">Text</th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody><tfoot><tr><td></td><td>All {len(articles)} article(s)</td><td></td>'
             f'<td></td>{"<td></td>" if by_version else ""}{foot}<td class="c">{total_warn}</td><td class="c">{sum(totals.values())}</td><td></td>'
             f"</tr></tfoot></table>") if articles else '<p class="muted">No article records.</p>'
    err_rows = "".join(
        f'<tr><td class="num">{i}</td><td class="src">{esc(x.get("source") or "—")}</td><td>{esc(x.get("stage") or "")}'
        f'</td><td>{esc(x.get("error") or "")}</td><td>{esc(x.get("message") or "")}</td></tr>'
        for i, x in enumerate(errors, 1))
    err_html = (f'<section class="errors"><h2>Errors ({len(errors)})</h2><p class="muted">Articles that could not '
                f"be processed (error records).</p><table class=\"index\"><thead><tr><th>#</th><th>Source</th>"
                f"<th>Stage</th><th>Error</th><th>Message</th></tr></thead><tbody>{err_rows}</tbody></table>"
                f"</section>") if errors else '<section class="errors"><h2>Errors (0)</h2></section>'
    summary = (f"{len(articles)} article(s) · {sum(totals.values())} item(s) · {total_warn} warning(s) · "
               f"{len(errors)} error(s) · written {datetime.now().strftime('%Y-%m-%d %H:%M')}")
    notext = sum(e.text is None for e in articles)
    notext_html = (f'<p class="notext">{notext} of {len(articles)} article(s) are shown without their text: the '
                   "record's source file was not found, or has changed since it was extracted (each page says "
                   "which). Run the command where the articles are, or give their folder with --sources.</p>"
                   if notext else "")
    return f"""{html_head(title, page_css(fams) + INDEX_CSS)}
<body class="index">
<header class="page"><h1>{esc(title)}</h1><p class="summary">{esc(summary)}</p></header>
<main class="index">
{notext_html}
{table}
{err_html}
</main>
</body></html>
"""


def _swatch(f) -> str:
    """A family's name in its colours; a family with one colour per label (entities) in plain type, with
    the swatches of its labels."""
    if len(f.styles) == 1:
        return f'<span class="sw" data-f="{esc(f.field)}" data-c="{esc(next(iter(f.styles)))}">{esc(f.title)}</span>'
    subs = "".join(f'<span class="sw mini" data-f="{esc(f.field)}" data-c="{esc(c)}">{esc(c)}</span>' for c in f.styles)
    return f'{esc(f.title)}<br><span class="nw">{subs}</span>'


def _index_families(articles: list[Entry]):
    """The registered families, and any other item list an article holds, in record order."""
    from pipeline.review.page import family_views

    seen, out = set(), []
    for data in [e.record for e in articles] or [{}]:
        for f in family_views(data):
            if f.field not in seen:
                seen.add(f.field)
                out.append(f)
    return out


INDEX_CSS = """
main.index { padding: 0.8rem 1.5rem 3rem; }
p.summary { color: #444; margin: 0.2rem 0 0.4rem; }
table.index { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
table.index th { text-align: left; background: #f3f3f3; border-bottom: 1px solid #bbb; padding: 0.3em 0.45em;
  position: sticky; top: 0; vertical-align: bottom; }
table.index td { padding: 0.3em 0.45em; border-bottom: 1px solid #e6e6e6; vertical-align: top; }
table.index tbody tr:hover { background: #f2f7fc; }
table.index tfoot td { font-weight: 600; border-top: 2px solid #bbb; }
table.index .c { text-align: right; font-variant-numeric: tabular-nums; }
table.index th.c { text-align: center; }
table.index td.zero { color: #aaa; }
table.index td.haswarn { color: #CC3311; font-weight: 600; }
table.index td.art { min-width: 16em; }
table.index .nw { white-space: nowrap; }
p.notext { border-left: 4px solid #b8860b; background: #fff8e1; padding: 0.4rem 0.8rem; }
table.index th .sw { white-space: normal; }
table.index th .sw.mini { font-size: 0.72em; font-weight: 400; margin: 0 1px; padding: 0 0.2em; }
table.index td.no { color: #CC3311; }
table.index .src { color: #777; font-size: 0.85em; overflow-wrap: anywhere; }
table.index td.num { color: #777; }
section.errors h2 { font-size: 1.1rem; margin-top: 1.6rem; }
@media print { table.index th { position: static; } }
"""


# ----------------------------------------------------------------------------------------------
# serving


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """An HTTP server for the site folder (not started). Port 0: any free port (`server.server_port`)."""
    handler = functools.partial(_Handler, directory=str(site))
    return ThreadingHTTPServer((host, port), handler)


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/"
