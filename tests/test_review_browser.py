"""The review site in a real browser: Chromium driven by Playwright, over HTTP from a local server the
test starts. It checks what a reader sees (inline labels and the item table visible, a family filter that
hides its marks, a row click that scrolls its span into view and focuses it, warnings at their spans, the
filing's table cells labelled, print, a narrow screen, no script from an article) and saves screenshots.

The browser: `$ZHNEWS_CHROMIUM`, else Debian's `chromium` (`apt-get install chromium`; `.ci/run` installs
it), else one `playwright install` put in place. Without one the tests are skipped with the reason, except
in CI (`CI` set), where a missing browser fails them.

Screenshots (PNG, and a PDF of the print view) go to `$ZHNEWS_SCREENSHOTS` when set, else to a
`screenshots*` folder in pytest's temporary directory (`--basetemp DIR` chooses it).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from conftest import CORPUS

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
SEED, FILING, TRADITIONAL = "000_9b9d65982590d5c2", "001_bbb4a6706966530e", "003_8b2fe20a107fcfe5"
EVIL_NAME = "<img src=x onerror=alert(1)>"
EVIL_TEXT = ("恶意标题<script>window.__pwned = 1; alert('x')</script>\n"
             "金山云宣布募资约28亿港元<img src=x onerror=\"window.__pwned = 2\">,"
             "\"><svg onload=alert(3)> 2025年上半年收入增长12%。\n")


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the browser test must run)")
    pytest.skip(reason)


def _find_chromium(playwright) -> str | None:
    candidates = [os.environ.get("ZHNEWS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
    candidates += [shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")]
    try:
        candidates.append(playwright.chromium.executable_path)  # a browser `playwright install` downloaded
    except Exception:  # noqa: BLE001 - no bundled browser
        pass
    return next((c for c in candidates if c and Path(c).is_file() and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        path = _find_chromium(p)
        if path is None:
            _unavailable("no Chromium to drive: apt-get install chromium, or set ZHNEWS_CHROMIUM")
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=path, args=ARGS, headless=True,
            viewport=VIEWPORT, device_scale_factor=1, locale="zh-CN")
        context.set_default_timeout(20_000)
        yield context
        context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("ZHNEWS_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def served(tmp_path_factory, pipeline):
    """The review site of the corpus plus one hostile article, served on localhost: (base URL, pages by
    article stem)."""
    from pipeline.review import site

    hostile = tmp_path_factory.mktemp("hostile") / f"{EVIL_NAME}.txt"
    hostile.write_text(EVIL_TEXT, encoding="utf-8")
    out = tmp_path_factory.mktemp("review-site")
    entries = list(site.from_articles([*sorted(CORPUS.glob("*.txt")), hostile]))
    site.write_site(entries, out, title="zhnews review · corpus/")
    pages = {Path(e.record["source"]).stem: e.page for e in entries if e.record}
    server = site.make_server(out, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site.url_of(server), pages
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser):
    p = browser.new_page()
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.dialogs = dialogs
    yield p
    p.close()


def open_article(page, served, stem: str, anchor: str = ""):
    base, pages = served
    page.goto(base + pages[stem] + anchor)
    page.wait_for_load_state("load")


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0


# ----------------------------------------------------------------------------------------------


def test_index_lists_every_article_with_counts_and_links(page, served, shots):
    base, pages = served
    page.goto(base)
    rows = page.locator("table.index tbody tr")
    assert rows.count() == len(pages) == 6
    for title in ("Entity", "Money", "Percentage", "Date", "Table cell", "Warnings"):
        assert page.locator("table.index thead th", has_text=title).first.is_visible()
    filing = rows.filter(has_text=f"{FILING}.txt")
    assert filing.locator("td").nth(11).inner_text() == "515"  # its table cells
    assert page.get_by_role("heading", name="Errors (0)").is_visible()
    page.screenshot(path=shots / "index.png", full_page=True)
    page.get_by_role("link", name=f"{SEED}.txt").click()
    page.wait_for_url(f"**/{pages[SEED]}")
    assert page.locator("h1").inner_text() == f"{SEED}.txt"
    page.get_by_role("link", name="↑ all articles").click()
    page.wait_for_url(base + "index.html")


def test_labels_and_the_item_table_are_visible_without_hovering(page, served, shots):
    open_article(page, served, SEED)
    labels = page.locator("article .it > .lbl")
    assert labels.count() > 50
    first = labels.first
    assert first.is_visible() and in_viewport(page, first)
    org = page.locator('article .it[data-c="ORG"]', has_text="金山云").first
    assert org.locator(".lbl").inner_text() == "ORG 金山云"
    money = page.locator('article .it[data-f="money"]', has_text="52亿美元").first
    assert money.locator(".lbl").inner_text() == "Money 5,200,000,000 USD approx"
    table = page.locator("table.items")
    assert table.is_visible()
    assert page.locator("table.items tbody tr").count() == int(page.locator("section.items h2").inner_text()
                                                               .split("(")[1].rstrip(")"))
    assert page.locator("table.items thead th", has_text="Rule or model").is_visible()
    assert page.locator("h1").inner_text() == f"{SEED}.txt"
    page.screenshot(path=shots / "seed-000-simplified.png")


def test_a_family_filter_hides_its_marks_and_rows(page, served, shots):
    open_article(page, served, SEED)
    money = page.locator('article .it[data-f="money"]')
    money_rows = page.locator('table.items tr[data-f="money"]')
    assert money.count() > 5 and money.first.locator(".lbl").is_visible() and money_rows.first.is_visible()
    highlighted = "getComputedStyle(el.querySelector('mark')).backgroundColor"
    assert money.first.evaluate(f"el => {highlighted}") != "rgba(0, 0, 0, 0)"
    page.locator("#flt-money").uncheck()
    for i in range(money.count()):
        assert not money.nth(i).locator(".lbl").is_visible()
        assert money.nth(i).evaluate(f"el => {highlighted}") == "rgba(0, 0, 0, 0)"
    assert money_rows.count() > 0 and not any(money_rows.nth(i).is_visible() for i in range(money_rows.count()))
    assert money.first.is_visible()  # the words stay: only their highlight goes
    assert page.locator('article .it[data-c="ORG"] > .lbl').first.is_visible()  # other families stay
    page.locator("#flt-entities-ORG").uncheck()  # one label of a family
    assert not page.locator('article .it[data-c="ORG"] > .lbl').first.is_visible()
    assert page.locator('article .it[data-c="PERSON"] > .lbl').first.is_visible()
    page.screenshot(path=shots / "seed-000-filtered.png")
    page.locator("#flt-money").check()
    assert money.first.locator(".lbl").is_visible() and money_rows.first.is_visible()


def test_clicking_a_row_scrolls_to_its_span_and_focuses_it(page, served, shots):
    open_article(page, served, FILING)
    rows = page.locator("table.items tbody tr:not(.nolink)")
    row = rows.nth(rows.count() - 3)  # far down a long filing
    n = row.get_attribute("id").removeprefix("r-")
    span = page.locator(f"#i-{n}")
    assert not in_viewport(page, span)
    row.scroll_into_view_if_needed()
    box = row.locator("td.v").bounding_box()  # anywhere on the row, not just on its link: a real mouse click
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"**#i-{n}")
    page.wait_for_function(f"document.getElementById('i-{n}').getBoundingClientRect().top < innerHeight")
    assert span.evaluate("el => el.matches(':target')")
    assert in_viewport(page, span)
    style = span.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }")
    assert style == ["solid", "3px"]
    page.screenshot(path=shots / "row-click-001.png")
    # and back: the span's label is a link to its row, which the panel scrolls to and highlights
    span.locator(".lbl").click()
    page.wait_for_url(f"**#r-{n}")
    assert page.locator(f"#r-{n}").evaluate("el => el.matches(':target')")
    assert in_viewport(page, page.locator(f"#r-{n}"))


def test_the_results_announcement_shows_its_table_cells(page, served, shots):
    open_article(page, served, FILING)
    cells = page.locator('article .it[data-f="table_items"]')
    assert cells.count() == 515
    first = cells.first
    first.scroll_into_view_if_needed()
    label = first.locator(".lbl")
    assert label.is_visible() and label.inner_text() == "Table cell 收入 · 2023 · 7,047,461,000 CNY (money)"
    border = first.evaluate("el => getComputedStyle(el.querySelector('mark')).borderTopStyle")
    assert border == "dashed"  # a box round each cell, not a faint grey
    row = page.locator(f'#r-{first.get_attribute("id").removeprefix("i-")}')
    assert row.locator("td.p").inner_text() == "2023"
    # the screenshot: the first financial table at the top of the screen, its rows in the panel
    page.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 260)", first.element_handle())
    row.evaluate("el => el.closest('aside').scrollTop = el.offsetTop - 60")
    page.screenshot(path=shots / "results-001-tables.png")
    page.locator('section.items tbody tr[data-f="table_items"]').first.wait_for()


def test_the_traditional_seed_marks_its_warnings_in_the_text(page, served, shots):
    open_article(page, served, TRADITIONAL)
    assert page.locator("dl.meta", has_text="traditional").is_visible()
    warns = page.locator("article .warn")
    assert warns.count() >= 5 and warns.first.is_visible()
    underline = warns.first.evaluate("el => getComputedStyle(el).textDecorationStyle")
    assert underline == "wavy"
    assert page.locator("article .wlbl", has_text="lost_character").first.is_visible()  # the text room's
    listed = page.locator("section.warnings li")
    assert listed.count() == int(page.locator("section.warnings h2").inner_text().split("(")[1].rstrip(")")) >= 5
    page.screenshot(path=shots / "seed-003-traditional.png")
    link = page.locator("section.warnings li", has_text="lost_character").last.locator("a")
    link.click()
    target = link.get_attribute("href")
    page.wait_for_url(f"**{target}")
    assert in_viewport(page, page.locator(target))


def test_labels_stay_in_print_and_on_a_narrow_screen(page, served, shots):
    open_article(page, served, SEED)
    page.emulate_media(media="print")
    assert page.locator("article .it > .lbl").first.is_visible()
    assert not page.locator("#flt-money").is_visible()  # no checkboxes on paper; the legend stays
    assert page.locator("fieldset.filters .sw", has_text="Money").is_visible()
    page.pdf(path=str(shots / "seed-000-print.pdf"))
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 420, "height": 860})
    aside, article = page.locator("aside.panel").bounding_box(), page.locator("article").bounding_box()
    assert aside["y"] < article["y"]  # the panel (filters, table) comes first on a phone
    assert page.locator("article .it > .lbl").first.is_visible()
    page.screenshot(path=shots / "seed-000-narrow.png")


def test_an_article_full_of_markup_runs_no_script(page, served, shots):
    open_article(page, served, EVIL_NAME)
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.locator("article img, article svg, article script").count() == 0
    assert page.locator("h1").inner_text() == f"{EVIL_NAME}.txt"
    assert "<script>window.__pwned = 1; alert('x')</script>" in page.locator("article").inner_text()
    assert page.locator('article .it[data-f="money"] > .lbl').inner_text().startswith("Money 2,800,000,000 HKD")
    page.screenshot(path=shots / "hostile-article.png")
