"""The browser tests: one dashboard server and one headless Chromium for all of them.

Every page of app.py (plus the presentation mode and the Datenpflege page after login) is opened once; the visit
records what the tests below check: rendering, the axe-core accessibility check (WCAG 2.1 A/AA, from npm:
node_modules/axe-core, installed by ``make test``), language, title, every request the browser made. Screenshots
go to tests/screenshots/ (git-ignored). Chromium is Debian's (scripts/ensure_chromium.sh).
"""

from __future__ import annotations

import ast
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from integrationsmonitor.config import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO_ROOT / "tests" / "screenshots"
# pages that must show charts (a map on quartiere); every other page must just render without an error
CHART_PAGES = {"uebersicht", "leitziele", "quartiere", "suedosteuropa"}
PLOT = ".js-plotly-plot, .stPlotlyChart"
DRAWN = ("() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.querySelector('svg .plot, canvas, "
         "svg .barlayer, svg .scatterlayer, .maplibregl-canvas, svg .choroplethlayer'))")
NAV = ".st-key-hauptnavigation"
ADMIN_PASSWORD = "test-passwort-barrierefrei"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PRESENTATION = "praesentation?folge=integrationsrat&folie=1"
# English names the framework gives its controls (found by hand before the fix) — none may be left
ENGLISH_NAMES = ["Map", "Collapse sidebar", "Expand sidebar", "Download plot as a PNG", "Fullscreen", "Main menu",
                 "Download as CSV", "Search", "Show password text", "Skip to main content"]


def registered_pages() -> dict[str, tuple[str, str]]:
    """url_path → (URL, title) of every st.Page(...) in app.py (read from the source, so a new page is visited
    automatically). The default page is served at "/", not at its url_path."""
    tree = ast.parse((REPO_ROOT / "app.py").read_text(encoding="utf-8"))
    pages = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            kws = {kw.arg: kw.value for kw in node.keywords if isinstance(kw.value, ast.Constant)}
            if "url_path" in kws:
                is_default = "default" in kws and kws["default"].value is True
                pages[kws["url_path"].value] = ("" if is_default else kws["url_path"].value, kws["title"].value)
    return pages


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Streamlit-Server beendet mit Code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:  # noqa: S310 (localhost)
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError("Streamlit-Server antwortet nicht")


@pytest.fixture(scope="module")
def server(built_db: Path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "IMH_DB": str(built_db), "PYTHONPATH": str(REPO_ROOT), "IMH_ADMIN_PASSWORD": ADMIN_PASSWORD}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,  # never an unread pipe
    )
    try:
        _wait_for_server(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "chromium fehlt – make test installiert es (scripts/ensure_chromium.sh)"
    assert AXE.exists(), "axe-core fehlt – make test installiert es (npm ci, package-lock.json)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            yield b
        finally:
            b.close()


def _settle(page, path: str, timeout: int = 60_000) -> None:
    """Wait until app.py's navigation, the page's heading and (on chart pages) a drawn chart are there and the
    script has finished."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(f"() => (document.querySelector({NAV!r}) || {{textContent: ''}})"
                           ".textContent.includes('Daten & Methodik')", timeout=timeout)
    page.wait_for_selector("h1", timeout=timeout)
    if path in CHART_PAGES:
        page.wait_for_selector(PLOT, timeout=45_000)
        page.wait_for_function(DRAWN, timeout=45_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(800)


def _axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
                           "['violations']})", WCAG)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "count": len(v["nodes"]),
             "first": v["nodes"][0]["failureSummary"].replace("\n", " ")[:300] if v["nodes"] else ""}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _page_facts(page) -> dict:
    return page.evaluate(
        """names => ({
            lang: document.documentElement.lang,
            title: document.title,
            english: [...document.querySelectorAll('[aria-label], [title], [data-title]')].flatMap(el =>
                ['aria-label', 'title', 'data-title'].map(a => el.getAttribute(a)).filter(v => names.includes(v)))
                .concat([...document.querySelectorAll('a, button')].map(el => el.textContent.trim())
                        .filter(t => names.includes(t))),
            exceptions: document.querySelectorAll('[data-testid="stException"]').length,
            body: document.body.innerText,
            charts: [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => ({
                label: c.getAttribute('aria-label') || '',
                described: (document.getElementById(c.getAttribute('aria-describedby') || '') || {}).innerText || '',
            })),
            overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            downloads: [...document.querySelectorAll('[data-testid="stDownloadButton"] button')]
                .map(b => b.innerText.trim()),
        })""", ENGLISH_NAMES)


def _permalink_first(page, server: str) -> dict:
    """A permalink is the first thing this fresh server sees: with a folder named pages/ next to app.py, Streamlit
    would serve it as a bare file page (file names as navigation, no app.py); the pages switch to app.py's
    navigation (ui.ensure_app_navigation) and keep page and parameters."""
    page.goto(f"{server}/suedosteuropa?bezirk=SB2", wait_until="domcontentloaded")
    _settle(page, "suedosteuropa")
    page.get_by_role("heading", name="Südosteuropa (EU-2): Rumänien und Bulgarien").wait_for()
    gebiet = page.locator("[data-testid='stSelectbox'] input[aria-label='Gebiet']").first
    gebiet.wait_for(timeout=30_000)
    return {"nav": page.inner_text(NAV), "gebiet": gebiet.input_value(), "url": page.url}


@pytest.fixture(scope="module")
def visits(server, browser) -> dict[str, dict]:
    """Every page once (plus presentation mode and Datenpflege after login): facts, axe, requests."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1440, "height": 2400})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    out: dict[str, dict] = {"_permalink": _permalink_first(page, server)}
    targets = {path: route for path, (route, _) in registered_pages().items()}
    targets["praesentation"] = PRESENTATION
    for path, route in targets.items():
        page.goto(f"{server}/{route}", wait_until="domcontentloaded")
        _settle(page, path)
        if path == "datenpflege":
            page.get_by_label("Passwort der Statistikstelle").fill(ADMIN_PASSWORD)
            page.get_by_role("button", name="Anmelden").click()
            page.get_by_text("Angemeldet:").wait_for(timeout=30_000)
            _settle(page, path)
        page.screenshot(path=str(SHOTS / f"{path}.png"))
        out[path] = {**_page_facts(page), "axe": _axe(page), "url": page.url}
    out["_requests"] = {"urls": requests}
    ctx.close()
    return out


@pytest.mark.browser
def test_every_page_renders_in_chromium(visits):
    problems = []
    for path, facts in visits.items():
        if path.startswith("_"):
            continue
        if "Page not found" in facts["body"]:
            problems.append(f"{path}: Streamlit meldet „Page not found“")
        if facts["exceptions"] or "Traceback" in facts["body"]:
            problems.append(f"{path}: Fehler auf der Seite ({facts['exceptions']} Ausnahme(n))")
        if path in CHART_PAGES and not facts["charts"]:
            problems.append(f"{path}: kein Diagramm")
    assert "Angemeldet: Statistikstelle (lokal)" in visits["datenpflege"]["body"]
    assert "Folie 1 von" in visits["praesentation"]["body"]
    assert not problems, problems


@pytest.mark.browser
def test_axe_finds_no_serious_or_critical_violation_on_any_page(visits):
    report, failing = [], []
    for path, facts in visits.items():
        if path.startswith("_"):
            continue
        found = facts["axe"]
        report.append(f"  {path:16s} {len(found)} schwere/kritische Verstöße"
                      + "".join(f"\n      {v['impact']}: {v['id']} ×{v['count']} – {v['first']}" for v in found))
        if found:
            failing.append(path)
    print("\naxe-core (WCAG 2.1 A/AA), je Seite:\n" + "\n".join(report))
    assert len(report) == len(registered_pages())  # every page of app.py (Präsentation with a sequence)
    assert not failing, "\n".join(report)


@pytest.mark.browser
def test_language_titles_and_control_names_are_german(visits):
    pages = registered_pages()
    for path, (_, title) in pages.items():
        facts = visits[path]
        assert facts["lang"] == "de", (path, facts["lang"])
        assert facts["title"] == f"{title} – Integrationsmonitor Hagen", (path, facts["title"])
        assert not facts["english"], (path, facts["english"])
        # every download button says what it downloads, and no two on a page have the same name
        assert len(set(facts["downloads"])) == len(facts["downloads"]), (path, facts["downloads"])
        assert all("herunterladen" in d or " als " in d for d in facts["downloads"]), (path, facts["downloads"])
    assert len(visits["methodik"]["downloads"]) >= 4  # the check above looked at real buttons
    titles = [visits[p]["title"] for p in pages]
    assert len(set(titles)) == len(titles)


@pytest.mark.browser
def test_every_chart_has_a_name_and_its_reading_sentence_as_description(visits):
    for path in CHART_PAGES | {"praesentation"}:
        charts = visits[path]["charts"]
        assert charts, path
        for chart in charts:
            assert chart["label"].startswith("Diagramm: ") and len(chart["label"]) > 15, (path, chart)
            assert len(chart["described"]) > 30, (path, chart)  # the reading sentence, not an empty element
    first = visits["uebersicht"]["charts"][0]
    assert "Leitziel" in first["described"], first


@pytest.mark.browser
def test_no_request_leaves_the_apps_own_host(visits, server):
    own = urlsplit(server).netloc
    urls = visits["_requests"]["urls"]
    assert any("/app/static/glyphs/" in u for u in urls), "Kartenschrift nicht vom eigenen Server geladen"
    foreign = sorted({u for u in urls if urlsplit(u.removeprefix("blob:")).netloc != own
                      and not u.startswith("data:")})
    assert len(urls) > 50 and not foreign, foreign


@pytest.mark.browser
def test_permalink_on_a_fresh_server_keeps_page_navigation_and_parameters(visits):
    first = visits["_permalink"]
    assert "Daten & Methodik" in first["nav"] and "suedosteuropa" not in first["nav"], first
    assert first["gebiet"] == "Hagen-Nord", first  # the Gebiet selectbox shows the district from the URL
    assert "bezirk=SB2" in first["url"], first


@pytest.mark.browser
def test_presentation_mode_steps_with_arrow_keys_and_buttons(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(f"{server}/{PRESENTATION}", wait_until="domcontentloaded")
        page.wait_for_function("() => document.body.innerText.includes('Folie 1 von')", timeout=60_000)
        page.wait_for_selector(".js-plotly-plot svg", timeout=45_000)
        assert not page.locator("[data-testid='stSidebar']").is_visible()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.body.innerText.includes('Folie 2 von')", timeout=30_000)
        assert "folie=2" in page.url and "Quelle:" in page.inner_text("body")
        page.get_by_role("button", name="◀ Zurück").click()
        page.wait_for_function("() => document.body.innerText.includes('Folie 1 von')", timeout=30_000)
        page.screenshot(path=str(SHOTS / "praesentation_folie1.png"))
    finally:
        page.close()


FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const ring = (e) => { const cs = getComputedStyle(e);
        return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || /\\dpx/.test(cs.boxShadow); };
    let visible = false;  // on the element, or on the widget drawn around a visually hidden input (radio)
    for (let e = el, i = 0; e && i < 4 && !visible; e = e.parentElement, i++) visible = ring(e);
    return {tag: el.tagName, text: (el.innerText || el.getAttribute('aria-label') || '').slice(0, 60),
            visible, inMap: !!el.closest('.js-plotly-plot')};
}"""


def _tab_through(page, steps: int) -> list[dict]:
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state:
            seen.append(state)
    return seen


@pytest.mark.browser
def test_keyboard_focus_is_visible_and_the_chart_data_open_as_a_table(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    try:
        page.goto(f"{server}/", wait_until="domcontentloaded")
        _settle(page, "uebersicht")
        seen = _tab_through(page, 25)
        assert len(seen) >= 20, seen
        invisible = [s for s in seen if not s["visible"]]
        assert not invisible, invisible
        assert seen[0]["text"] == "Zum Inhalt springen", seen[0]
        # the chart's data: an expander in the tab order, opened with the keyboard: a real table with the numbers
        summary = page.locator("summary", has_text="Daten zum Diagramm").first
        assert summary.evaluate("el => el.tabIndex") >= 0
        summary.focus()
        assert page.evaluate(FOCUS_STATE)["visible"]
        page.keyboard.press("Enter")
        table = page.locator("[data-testid='stExpander'] table").first
        table.wait_for(timeout=15_000)
        header = table.locator("th").all_inner_texts()
        assert "Handlungsfeld" in header and "Leitziele" in header, header
        # the text in Leichte Sprache: opened with the keyboard, every sentence on a line of its own
        easy = page.locator("summary", has_text="Leichte Sprache").first
        easy.focus()
        page.keyboard.press("Enter")
        box = page.locator("[data-testid='stExpander']", has_text="Klicken Sie auf einen Namen.").first
        box.wait_for(timeout=15_000)
        lines = [line.strip() for line in box.inner_text().splitlines() if line.strip()]
        assert {"Links ist eine Liste mit allen Seiten.", "Klicken Sie auf einen Namen.",
                "Dann kommen Sie zu dieser Seite."} <= set(lines), lines
    finally:
        page.close()


@pytest.mark.browser
def test_the_map_is_no_keyboard_trap(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    try:
        page.goto(f"{server}/quartiere", wait_until="domcontentloaded")
        _settle(page, "quartiere")
        page.wait_for_selector(".maplibregl-canvas", timeout=45_000)
        seen = _tab_through(page, 45)
        in_map = [i for i, s in enumerate(seen) if s["inMap"]]
        assert in_map, "Karte mit der Tastatur nicht erreichbar"
        after = seen[in_map[-1] + 1:]
        assert after and not after[0]["inMap"], ("Fokus bleibt in der Karte", [(x["tag"], x["text"][:20], x["inMap"])
                                                                             for x in seen])
        label = page.locator(".maplibregl-canvas").first.get_attribute("aria-label")
        assert label and label.startswith("Karte der Stadtbezirke"), label
    finally:
        page.close()


# When, after navigation, the first chart was drawn, the first element below it arrived (a headline figure)
# and the real navigation links were there (serving/progressive.py)
FIRST_VIEW = """(() => { window.__seen = {};
  const mark = (name, found) => { if (found && !window.__seen[name]) window.__seen[name] = performance.now(); };
  new MutationObserver(() => {
    mark('chart', document.querySelector('.js-plotly-plot .main-svg'));
    mark('rest', document.querySelector('[data-testid="stMetric"]'));
    mark('links', document.querySelectorAll('.st-key-hauptnavigation a').length >= 9);
    // the reporter's button exists, and whether it ever took up room on screen (it must not)
    const button = document.querySelector('.st-key-imh_erstes_diagramm button');
    mark('reporter', button);
    mark('reporter_shown', button && button.getClientRects().length > 0);
  }).observe(document, {subtree: true, childList: true});
  // the reporter's press (serving/progressive.py), seen before React handles it
  document.addEventListener('click', (e) => mark('pressed', e.target.closest && e.target.closest('.st-key-imh_erstes_diagramm')), true);
})();"""
SEEN_ALL = "() => window.__seen && window.__seen.rest && window.__seen.links"


def _first_view(browser, server: str, block: str | None = None) -> tuple[dict, dict]:
    """A new visitor (fresh context, new session) opens the start page; optionally the scripts matching ``block``
    cannot load."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1600})
    try:
        ctx.add_init_script(FIRST_VIEW)
        page = ctx.new_page()
        if block:
            page.route(block, lambda route: route.abort())
        page.goto(f"{server}/", wait_until="commit")
        page.wait_for_function(SEEN_ALL, timeout=45_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
        facts = page.evaluate("""() => ({
            metrics: document.querySelectorAll('[data-testid="stMetric"]').length,
            downloads: document.querySelectorAll('[data-testid="stDownloadButton"]').length,
            plain: document.querySelectorAll('.imh-nav-plain').length,
            headings: [...document.querySelectorAll('h2')].map(h => h.innerText.trim())})""")
        return page.evaluate("window.__seen"), facts
    finally:
        ctx.close()


@pytest.mark.browser
def test_first_view_draws_the_chart_before_the_rest_arrives_then_the_whole_page(server, browser):
    seen, facts = _first_view(browser, server)
    assert seen["chart"] < seen["rest"] and seen["chart"] < seen["links"], seen
    # the rest was asked for by the reporter once the chart was drawn (two frames later), not by a fallback
    assert 0 < seen["pressed"] - seen["chart"] < 1000, seen
    assert "reporter" in seen and "reporter_shown" not in seen, seen  # never seen, never focused (CSS)
    assert facts["metrics"] == 3 and facts["downloads"] == 4 and facts["plain"] == 0, facts
    assert "Was hat sich seit dem letzten Stand geändert?" in facts["headings"], facts


# the reporter's script alone, on a handmade page: a hidden button like Streamlit's, a chart that comes when the
# test says so; the page counts the presses
BUTTON = """<div class="st-key-imh_erstes_diagramm" style="display:none"><button
  onclick="window.__presses = (window.__presses || 0) + 1; window.__pressed = performance.now()"
  >Erstes Diagramm gezeichnet</button></div>"""
DRAW = """() => { const d = document.createElement('div'); d.className = 'js-plotly-plot';
  d.innerHTML = '<svg class="main-svg"></svg>'; document.body.append(d);
  requestAnimationFrame(() => { window.__frame = performance.now(); }); }"""


def _reporter_page(browser, content: str = BUTTON):
    from integrationsmonitor.serving import progressive

    ctx = browser.new_context()
    page = ctx.new_page()
    page.set_content(content)
    page.add_script_tag(content=progressive._JS.removeprefix("<script>").removesuffix("</script>"))
    return ctx, page


@pytest.mark.browser
def test_reporter_presses_once_and_only_after_the_chart_is_drawn(browser):
    ctx, page = _reporter_page(browser)
    try:
        page.wait_for_timeout(1000)  # no chart yet: no press (the fallback is 3 s away)
        assert page.evaluate("window.__presses || 0") == 0
        page.evaluate(DRAW)
        page.wait_for_function("window.__presses === 1", timeout=1000)
        assert page.evaluate("window.__pressed > window.__frame")  # the chart had a frame to be painted in
        page.evaluate(DRAW)  # more charts, and the fallback's time passes: still one press
        page.wait_for_timeout(2500)
        assert page.evaluate("window.__presses") == 1
    finally:
        ctx.close()


@pytest.mark.browser
def test_reporter_presses_after_its_fallback_when_no_chart_is_ever_drawn(browser):
    from integrationsmonitor.serving import progressive

    ctx, page = _reporter_page(browser)
    try:
        started = page.evaluate("performance.now()")
        page.wait_for_function("window.__presses === 1", timeout=progressive.FALLBACK_MS + 2000)
        waited = page.evaluate("performance.now()") - started
        assert progressive.FALLBACK_MS - 300 <= waited, waited  # not before its time
    finally:
        ctx.close()


@pytest.mark.browser
def test_reporter_waits_for_a_late_button_and_still_presses_once(browser):
    """Chart drawn and fallback passed before Streamlit has mounted the button: one press once it is there."""
    from integrationsmonitor.serving import progressive

    ctx, page = _reporter_page(browser, content="<p>Noch kein Knopf</p>")
    try:
        page.evaluate(DRAW)
        page.wait_for_timeout(progressive.FALLBACK_MS + 500)
        page.evaluate("(html) => document.body.insertAdjacentHTML('beforeend', html)", BUTTON)
        page.wait_for_function("window.__presses === 1", timeout=2000)
        page.wait_for_timeout(500)
        assert page.evaluate("window.__presses") == 1
    finally:
        ctx.close()


@pytest.mark.browser
def test_first_view_does_not_hang_when_the_chart_cannot_be_drawn(server, browser):
    """Plotly's bundle fails to load: no chart is ever drawn, and the rest of the page still comes (after
    progressive.FALLBACK_MS)."""
    seen, facts = _first_view(browser, server, block="**/PlotlyChart.*.js")
    assert "chart" not in seen and "pressed" in seen, seen  # pressed by the reporter's own fallback
    assert facts["metrics"] == 3 and facts["plain"] == 0, facts


@pytest.mark.browser
def test_first_view_does_not_hang_when_the_reporter_cannot_run(server, browser):
    """The reporter's own script cannot load: the server's fallback (the fragment's timer,
    progressive.SERVER_FALLBACK_S) sends the rest."""
    seen, facts = _first_view(browser, server, block="**/Button.*.js")  # no button to press
    assert "chart" in seen and seen["chart"] < seen["rest"] and "pressed" not in seen, seen
    assert facts["metrics"] == 3 and facts["plain"] == 0, facts


@pytest.mark.browser
@pytest.mark.parametrize("name, viewport, scale", [("1280px", {"width": 1280, "height": 800}, 1),
                                                   ("zoom200", {"width": 640, "height": 400}, 2)])
def test_usable_at_1280_px_and_at_200_percent_zoom(server, browser, name, viewport, scale):
    """200 % zoom on a 1.280 px screen = 640 CSS pixels at device scale 2. No sideways scrolling of the page,
    the heading and the first chart are there, navigation reachable (sidebar or its German open button)."""
    ctx = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = ctx.new_page()
    try:
        for path, route in (("uebersicht", ""), ("quartiere", "quartiere")):
            page.goto(f"{server}/{route}", wait_until="domcontentloaded")
            _settle(page, path)
            page.screenshot(path=str(SHOTS / f"{path}_{name}.png"))
            facts = _page_facts(page)
            assert facts["overflow"] <= 1, (path, name, facts["overflow"])
            assert facts["charts"], (path, name)
            nav_visible = page.locator(NAV).is_visible()
            opener = page.locator("[aria-label='Seitenleiste ausklappen'], [aria-label='Seitenleiste öffnen']")
            assert nav_visible or opener.count() > 0, (path, name)
            width = page.evaluate("() => document.querySelector('[data-testid=\"stPlotlyChart\"]')"
                                  ".getBoundingClientRect().width")
            assert width <= viewport["width"], (path, name, width)
            page.locator("[data-testid='stPlotlyChart']").first.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            page.screenshot(path=str(SHOTS / f"{path}_{name}_diagramm.png"))
            if path == "uebersicht":  # the status chart: its legend clear of plot, ticks and axis title
                boxes = page.evaluate(CHART_BOXES)
                assert "Status" in boxes["label"], boxes["label"]
                assert boxes["legend"] and len(boxes["yticks"]) >= 8 and boxes["xticks"], boxes
                assert not legend_problems(boxes), (name, legend_problems(boxes))
    finally:
        ctx.close()


CHART_BOXES = """() => {
    const box = e => { const b = e.getBoundingClientRect();
        return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
    const chart = document.querySelector('[data-testid="stPlotlyChart"]');
    const one = s => { const e = chart.querySelector(s); return e ? box(e) : null; };
    const all = s => [...chart.querySelectorAll(s)].filter(e => e.textContent.trim()).map(box);
    return {label: chart.getAttribute('aria-label') || '', svg: one('.main-svg'), plot: one('.draglayer .nsewdrag'),
            legend: one('.legend'), xtitle: one('.g-xtitle'), xticks: all('.xtick text'), yticks: all('.ytick text')};
}"""


def legend_problems(boxes: dict) -> list[str]:
    """The legend of a chart overlapping its plot area, a tick label or the axis title, or leaving the chart."""
    legend = boxes["legend"]
    out = [] if _inside(legend, boxes["svg"]) else [f"Legende ragt aus dem Diagramm: {legend} / {boxes['svg']}"]
    others = [("Zeichenfläche", boxes["plot"]), ("Achsentitel", boxes["xtitle"])]
    others += [("Beschriftung der x-Achse", b) for b in boxes["xticks"]]
    others += [("Beschriftung der y-Achse", b) for b in boxes["yticks"]]
    return out + [f"Legende überdeckt {what}: {legend} / {other}" for what, other in others
                  if other and _overlap(legend, other) > 1]


# --- presentation mode: every slide fits the projector's window ---------------------------------------------------

SLIDE_FACTS = """() => {
    const box = e => { const b = e.getBoundingClientRect();
        return {left: b.left, top: b.top, right: b.right, bottom: b.bottom, width: b.width, height: b.height}; };
    const main = document.querySelector('[data-testid="stMain"]');
    const source = [...document.querySelectorAll('[data-testid="stMarkdownContainer"] p')]
        .find(p => p.innerText.startsWith('Quelle:'));
    const nav = [...document.querySelectorAll('.st-key-folie_navigation button, .st-key-folie_navigation a')]
        .map(e => ({text: e.innerText.split('\\n')[0].trim(), box: box(e)}));
    const chart = document.querySelector('[data-testid="stPlotlyChart"]');
    const svg = chart && chart.querySelector('.main-svg');
    const drag = chart && chart.querySelector('.draglayer .nsewdrag');
    const parts = chart ? [...chart.querySelectorAll('.legend, .g-xtitle, .g-ytitle, .annotation')]
        .map(e => ({kind: e.getAttribute('class').split(' ')[0], text: e.textContent.slice(0, 40), box: box(e)}))
        .filter(p => p.box.width > 0 && p.box.height > 0) : [];
    const labels = chart ? [...chart.querySelectorAll('text.bartext')].filter(t => t.textContent.trim())
        .map(t => ({text: t.textContent, box: box(t)})) : [];
    return {slide: (document.body.innerText.match(/Folie (\\d+) von (\\d+)/) || []).slice(1).map(Number),
            width: innerWidth, height: innerHeight,
            documentScroll: document.documentElement.scrollHeight, mainScroll: main.scrollHeight,
            mainHeight: main.clientHeight, source: source ? box(source) : null, nav,
            chart: chart ? box(chart) : null, svg: svg ? box(svg) : null, plot: drag ? box(drag) : null,
            parts, labels};
}"""


def _inside(inner: dict, outer: dict, slack: float = 1) -> bool:
    return (inner["left"] >= outer["left"] - slack and inner["top"] >= outer["top"] - slack
            and inner["right"] <= outer["right"] + slack and inner["bottom"] <= outer["bottom"] + slack)


def _overlap(a: dict, b: dict) -> float:
    """Area (px²) the two boxes share."""
    return max(0.0, min(a["right"], b["right"]) - max(a["left"], b["left"])) * \
        max(0.0, min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]))


def slide_problems(facts: dict) -> list[str]:
    """What keeps a slide from fitting its window (empty: it fits)."""
    window = {"left": 0, "top": 0, "right": facts["width"], "bottom": facts["height"]}
    out = []
    if facts["documentScroll"] > facts["height"] + 1 or facts["mainScroll"] > facts["mainHeight"] + 1:
        out.append(f"scrollt: Dokument {facts['documentScroll']} px, Inhalt {facts['mainScroll']} px "
                   f"bei {facts['height']} px Fensterhöhe")
    if not facts["source"] or not _inside(facts["source"], window):
        out.append(f"Quellenzeile nicht im Fenster: {facts['source']}")
    names = [n["text"] for n in facts["nav"]]
    for wanted in ("◀ Zurück", "Weiter ▶", "✖ Präsentation beenden"):
        if wanted not in names:
            out.append(f"Navigation „{wanted}“ fehlt: {names}")
    out += [f"Navigation „{n['text']}“ nicht im Fenster: {n['box']}" for n in facts["nav"]
            if not _inside(n["box"], window)]
    if not facts["chart"] or not _inside(facts["chart"], window):
        out.append(f"Diagramm nicht ganz im Fenster: {facts['chart']}")
    for part in facts["parts"]:
        if not _inside(part["box"], facts["svg"]):
            out.append(f"{part['kind']} „{part['text']}“ ragt aus dem Diagramm: {part['box']}")
    for i, a in enumerate(facts["parts"]):
        for b in facts["parts"][i + 1:]:
            if _overlap(a["box"], b["box"]) > 1:
                out.append(f"{a['kind']} „{a['text']}“ überdeckt {b['kind']} „{b['text']}“")
    out += [f"Balkenbeschriftung „{label['text']}“ ragt aus der Zeichenfläche: {label['box']} / {facts['plot']}"
            for label in facts["labels"] if not _inside(label["box"], facts["plot"])]
    return out


def _settled_slide(page, number: int) -> dict:
    """Wait for slide ``number`` with its chart drawn and its size settled; its facts."""
    page.wait_for_function(f"() => document.body.innerText.includes('Folie {number} von')", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_function(DRAWN, timeout=45_000)
    facts, previous = page.evaluate(SLIDE_FACTS), None
    while facts != previous:  # the chart takes the height the slide leaves it: wait until nothing moves
        page.wait_for_timeout(400)
        previous, facts = facts, page.evaluate(SLIDE_FACTS)
    return facts


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_every_slide_fits_the_projector_without_scrolling(server, browser, width, height):
    """Every slide of the council's sequence at 1.280 × 720 and 1.920 × 1.080: nothing scrolls, source line,
    navigation and chart inside the window, no axis title, legend or event label over another, no bar label
    outside the plot area. One page, stepped with the slide's own "Weiter" button."""
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{server}/praesentation?folge=integrationsrat&folie=1", wait_until="domcontentloaded")
        facts = _settled_slide(page, 1)
        count = facts["slide"][1]
        assert count == 5, facts["slide"]  # data/catalog/praesentationen.yaml: five slides for the Integrationsrat
        problems, seen = {}, []
        for number in range(1, count + 1):
            if number > 1:
                page.get_by_role("button", name="Weiter ▶").click()
                facts = _settled_slide(page, number)
            seen.append((facts["slide"][0], len(facts["parts"]), len(facts["labels"])))
            if width == 1280:
                page.screenshot(path=str(SHOTS / f"praesentation_{width}x{height}_folie{number}.png"))
            if found := slide_problems(facts):
                problems[number] = found
        assert [s[0] for s in seen] == [1, 2, 3, 4, 5], seen
        assert sum(s[1] for s in seen) >= 10 and sum(s[2] for s in seen) >= 10, seen  # the checks saw real parts
        assert not problems, problems
    finally:
        page.close()


def test_slide_problems_names_what_does_not_fit():
    """The rule above, on handmade boxes: a slide that fits passes, each defect is named."""
    def box(left, top, right, bottom):
        return {"left": left, "top": top, "right": right, "bottom": bottom, "width": right - left,
                "height": bottom - top}
    nav = [{"text": t, "box": box(10 + 200 * i, 680, 150 + 200 * i, 712)}
           for i, t in enumerate(("◀ Zurück", "Weiter ▶", "✖ Präsentation beenden"))]
    good = {"width": 1280, "height": 720, "documentScroll": 720, "mainScroll": 720, "mainHeight": 720,
            "source": box(24, 640, 1256, 666), "nav": nav, "chart": box(24, 80, 1256, 620),
            "svg": box(24, 80, 1256, 620), "plot": box(100, 100, 1200, 500),
            "parts": [{"kind": "legend", "text": "L", "box": box(400, 580, 900, 618)},
                      {"kind": "g-xtitle", "text": "X", "box": box(600, 540, 700, 570)}],
            "labels": [{"text": "67,5 %", "box": box(1100, 200, 1190, 220)}]}
    assert slide_problems(good) == []
    assert "scrollt" in slide_problems({**good, "mainScroll": 800})[0]
    assert "Quellenzeile" in slide_problems({**good, "source": box(24, 700, 1256, 750)})[0]
    assert "Weiter ▶" in slide_problems({**good, "nav": nav[::2]})[0]
    assert "nicht im Fenster" in slide_problems({**good, "nav": [*nav[:2], {**nav[2], "box": box(1100, 700, 1300,
                                                                                                     730)}]})[0]
    over = {"kind": "g-xtitle", "text": "X", "box": box(600, 575, 700, 600)}
    assert "überdeckt" in slide_problems({**good, "parts": [good["parts"][0], over]})[0]
    assert "ragt aus der Zeichenfläche" in slide_problems(
        {**good, "labels": [{"text": "67", "box": box(1190, 200, 1230, 220)}]})[0]


def test_legend_problems_names_an_overlap():
    def box(left, top, right, bottom):
        return {"left": left, "top": top, "right": right, "bottom": bottom}
    clear = {"svg": box(0, 0, 600, 600), "plot": box(300, 50, 590, 400), "legend": box(0, 480, 300, 590),
             "xtitle": box(400, 440, 500, 470), "xticks": [box(295, 405, 305, 425)], "yticks": [box(10, 60, 298, 80)]}
    assert legend_problems(clear) == []
    assert "Achsentitel" in legend_problems({**clear, "legend": box(0, 460, 450, 590)})[0]
    assert "y-Achse" in legend_problems({**clear, "legend": box(0, 70, 200, 120)})[0]
    assert "ragt aus" in legend_problems({**clear, "legend": box(0, 480, 300, 610)})[0]


STATUS_GEOMETRY = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
      .find((g) => (g.layout.title && g.layout.title.text || '').startsWith('Status der Leitziele'));
  const box = gd.getBoundingClientRect();
  const ticks = [...gd.querySelectorAll('.ytick text')].map((t) => t.getBoundingClientRect());
  const legend = gd.querySelector('.legend').getBoundingClientRect();
  return {sent: [gd.layout.margin.l, gd.layout.margin.b], drawn: [gd._fullLayout._size.l, gd._fullLayout._size.b],
          tickLeft: Math.min(...ticks.map((t) => t.left - box.left)), ticks: ticks.length,
          legendBelow: box.bottom - legend.bottom};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("viewport, scale, grows", [({"width": 1366, "height": 900}, 1, False),
                                                    ({"width": 1280, "height": 800}, 1, False),
                                                    ({"width": 640, "height": 400}, 2, True)])
def test_status_chart_comes_with_the_margins_it_needs(server, browser, viewport, scale, grows):
    """On a normal screen the status chart is drawn in the margins it was sent with (Plotly's automargin would
    otherwise draw it twice, figures.room_for_labels); at 200 % zoom automargin still makes room. Never is a
    block name cut off or the legend outside the picture."""
    ctx = browser.new_context(viewport=viewport, device_scale_factor=scale)
    page = ctx.new_page()
    try:
        page.goto(f"{server}/", wait_until="domcontentloaded")
        page.wait_for_function(DRAWN, timeout=45_000)
        page.wait_for_timeout(500)
        facts = page.evaluate(STATUS_GEOMETRY)
        assert facts["ticks"] == 10, facts  # the ten blocks of the concept
        assert facts["tickLeft"] >= 0 and facts["legendBelow"] >= 0, facts
        if grows:
            assert facts["drawn"][1] > facts["sent"][1], facts  # the legend wraps: automargin made room
        else:
            assert facts["drawn"] == facts["sent"], facts
    finally:
        ctx.close()
