"""Every page at 375 px and on a desktop, light and dark: axe-core, sideways scroll, charts, tables.

One server on a database with a lived 6-pair experiment (60 nights of doses and diaries),
a product and a lab batch; one browser context per size and colour scheme visits every
page. axe-core comes inside the ``axe-playwright-python`` package (nothing committed).
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bedside.settings import Settings, sqlite_url
from tests.browser.conftest import Server, open_page, serve_database
from tests.integration.web.simulated_experiment import build_completed_experiment

pytestmark = pytest.mark.browser
#: axe impacts that fail the test (minor and moderate ones are looked at by eye).
FAILING = ("serious", "critical")
PAGES = (
    "/",
    "/log",
    "/log/dose",
    "/log/pain",
    "/log/soreness",
    "/log/workout",
    "/log/intake",
    "/diary",
    "/diary/2025-01-07",
    "/entries/dose/1/edit",
    "/entries/dose/1/delete",
    "/history?from=2025-01-06&to=2025-01-19",
    "/insights",
    "/signals",
    "/safety",
    "/products",
    "/products/1",
    "/batches/1/edit",
    "/experiments",
    "/experiments/1",
    "/import",
    "/settings",
    "/api/docs",
)

#: Per visible chart: the smallest text in CSS px, and pairs of texts that overlap.
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart-svg')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => {
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
    const size = t => { const m = t.getScreenCTM();
      return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); };
    const boxes = texts.map(t => t.getBoundingClientRect());
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) overlaps.push(texts[i].textContent + ' / ' + texts[j].textContent);
    }
    return {title: svg.querySelector('title').textContent,
            smallest: Math.min(...texts.map(size)), overlaps};
  })"""

#: Visible table headers whose text wraps onto more lines than it has words.
BROKEN_HEADERS = """() => [...document.querySelectorAll('th')]
  .filter(th => th.getBoundingClientRect().width > 1)
  .filter(th => { const r = document.createRange(); r.selectNodeContents(th);
    const lines = new Set([...r.getClientRects()].map(b => Math.round(b.top))).size;
    return lines > th.textContent.trim().split(/\\s+/).length; })
  .map(th => th.textContent.trim())"""

#: Visible body cells on a phone that do not show their column's label before the value.
UNLABELLED_CELLS = """() => [...document.querySelectorAll('table.stack td')]
  .filter(td => td.getBoundingClientRect().width > 0)
  .filter(td => getComputedStyle(td, '::before').content !== JSON.stringify(td.dataset.label))
  .map(td => td.textContent.trim())"""


@pytest.fixture(scope="module")
def lived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``bedside serve`` on 60 lived nights, a completed experiment and a tested product."""
    tmp: Path = tmp_path_factory.mktemp("accessibility")
    db, data = tmp / "lived.db", tmp / "data"
    build_completed_experiment(Settings(database_url=sqlite_url(db), data_dir=data))
    for server in serve_database(db, data):
        server.cli(
            "product", "add", "--name", "Green Maeng Da", "--lot", "GMD-1",
            "--mitragynine", "1.4", "--tested-on", "2025-01-02", "--contaminants-failed",
        )  # fmt: skip
        for path in ("/insights", "/experiments/1"):  # imports matplotlib and SciPy once
            with urllib.request.urlopen(server.url + path, timeout=60) as response:
                assert response.status == 200
        yield server


def axe_problems(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the page, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in FAILING
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_is_accessible_and_fits(
    browser: Any, lived: Server, width: int, scheme: str
) -> None:
    problems: list[str] = []
    for browsing in open_page(
        browser, lived, viewport=(width, 812), color_scheme=scheme,
        timezone_id="America/New_York", is_mobile=width < 400,
    ):  # fmt: skip
        page = browsing.page
        for path in PAGES:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            problems += [f"{path}: {p}" for p in axe_problems(page)]
            scroll = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll > width:
                problems.append(f"{path}: scrolls sideways ({scroll} px wide)")
            for chart in page.evaluate(CHART_TEXT):
                if chart["smallest"] < 12:
                    problems.append(f"{path}: {chart['title']}: text {chart['smallest']:.1f} px")
                if chart["overlaps"]:
                    problems.append(f"{path}: {chart['title']}: overlap {chart['overlaps']}")
            problems += [f"{path}: header broken: {h}" for h in page.evaluate(BROKEN_HEADERS)]
            if width < 400:
                cells = page.evaluate(UNLABELLED_CELLS)
                problems += [f"{path}: cell without its label: {c}" for c in cells]
    assert problems == [], "\n".join(problems)


#: The focused element: its name, text and focus ring.
FOCUSED = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName, name: e.name || '', text: (e.textContent || '').trim(),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0}; }"""


def tab_to(page: Any, wanted: str, limit: int = 80) -> None:
    """Press Tab until the element named or labelled ``wanted`` has the focus.

    Every element passed on the way must show a focus ring.
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outline"] != "none" and focused["width"] >= 2, focused
        if wanted in (focused["name"], focused["text"]):
            return
    raise AssertionError(f"{wanted!r} cannot be reached with the Tab key")


def test_evening_and_morning_with_the_keyboard_only(browser: Any, server: Server) -> None:
    from playwright.sync_api import expect

    from tests.browser.conftest import EVENING_ZONE, PROFILE
    from tests.browser.test_browser_journey import last_night

    for browsing in open_page(browser, server, timezone_id=EVENING_ZONE, locale="en-US"):
        page = browsing.page
        assert page.request.put("/api/v1/profile", data=PROFILE).status == 200
        page.goto("/")
        problems = axe_problems(page)
        # Evening: skip the navigation, open the dose form, log 3 g and see it on Tonight.
        tab_to(page, "Skip to content")
        page.keyboard.press("Enter")
        tab_to(page, "Log a dose")
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{server.url}/log/dose")
        tab_to(page, "amount")
        page.keyboard.type("3")
        page.keyboard.press("Enter")
        expect(page.get_by_text(re.compile(r"^Logged 3 g at \d\d:\d\d"))).to_be_visible()
        # Morning: the Diary tab, last night's answers typed in, saved with the keyboard.
        tab_to(page, "Diary")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Morning diary")).to_be_visible()
        problems += axe_problems(page)
        for name, typed in (  # time fields: hour, minute, then A or P for am or pm
            ("bedtime", "1100P"), ("tried", "1110P"), ("sol_min", "20"), ("awakenings", "1"),
            ("waso_min", "15"), ("final_wake", "0640A"), ("out_of_bed", "0700A"),
        ):  # fmt: skip
            tab_to(page, name)
            page.keyboard.type(typed)
        tab_to(page, "quality")
        for _ in range(3):
            page.keyboard.press("ArrowRight")  # from 1 to 4, "good"
        tab_to(page, "Save diary")
        page.keyboard.press("Enter")
        night = last_night()
        expect(page).to_have_url(f"{server.url}/diary/{night}?saved=1")
        expect(page.locator("dl.metrics")).to_contain_text("6 h 55 min")
        expect(page.locator("dl.metrics")).to_contain_text("4/5")
        assert problems == [], "\n".join(problems)
