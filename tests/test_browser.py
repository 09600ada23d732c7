"""The one browser test: start the dashboard, open every page in headless Chromium, check charts, screenshot.

Screenshots go to tests/screenshots/ (git-ignored). Chromium is Debian's (scripts/ensure_chromium.sh).
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

import pytest

from integrationsmonitor.config import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
SHOTS = REPO_ROOT / "tests" / "screenshots"
# pages that must show charts (a map on quartiere); every other page must just render without an error
CHART_PAGES = {"uebersicht", "leitziele", "quartiere", "suedosteuropa"}
PLOT = ".js-plotly-plot, .stPlotlyChart"


def registered_pages() -> dict[str, str]:
    """url_path → URL of every st.Page(...) in app.py (read from the source, so a new page is visited
    automatically). The default page is served at "/", not at its url_path."""
    tree = ast.parse((REPO_ROOT / "app.py").read_text(encoding="utf-8"))
    pages = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            kws = {kw.arg: kw.value for kw in node.keywords if isinstance(kw.value, ast.Constant)}
            if "url_path" in kws:
                is_default = "default" in kws and kws["default"].value is True
                pages[kws["url_path"].value] = "" if is_default else kws["url_path"].value
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


@pytest.mark.browser
def test_every_page_renders_in_chromium(built_db: Path):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "chromium fehlt – make test installiert es (scripts/ensure_chromium.sh)"
    pages = registered_pages()
    assert CHART_PAGES <= set(pages)
    SHOTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "IMH_DB": str(built_db), "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,  # never an unread pipe
    )
    problems: list[str] = []
    try:
        _wait_for_server(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 2400})
                page.set_default_timeout(30_000)
                # a permalink is the first thing this fresh server sees: with a folder named pages/ next to app.py,
                # Streamlit would serve it as a bare file page (file names as navigation, no app.py); the pages
                # switch to app.py's navigation (ui.ensure_app_navigation) and keep page and parameters
                page.goto(f"{url}/suedosteuropa?bezirk=SB2", wait_until="domcontentloaded")
                page.wait_for_function(
                    "() => (document.querySelector('[data-testid=\"stSidebarNav\"]') || {textContent: ''})"
                    ".textContent.includes('Daten & Methodik')", timeout=60_000)
                page.get_by_role("heading", name="Südosteuropa (EU-2): Rumänien und Bulgarien").wait_for()
                sidebar = page.inner_text("[data-testid='stSidebarNav']")
                if "suedosteuropa" in sidebar or "app" in sidebar.split():
                    problems.append(f"Permalink auf frischem Server: Dateinamen statt Navigation ({sidebar!r})")
                gebiet = page.locator("[data-testid='stSelectbox'] input[aria-label='Gebiet']").first
                gebiet.wait_for(timeout=30_000)
                if gebiet.input_value() != "Hagen-Nord":  # the Gebiet selectbox shows the district from the URL
                    problems.append(f"Permalink auf frischem Server: Gebiet {gebiet.input_value()!r} statt "
                                    f"Hagen-Nord ({page.url})")
                if "bezirk=SB2" not in page.url:
                    problems.append(f"Permalink auf frischem Server: Parameter nicht in der URL ({page.url})")
                for path, route in pages.items():
                    page.goto(f"{url}/{route}", wait_until="domcontentloaded")
                    page.wait_for_selector("[data-testid='stApp']")
                    # app.py has run: its navigation (with the German page titles) replaced the file list
                    page.wait_for_function(
                        "() => (document.querySelector('[data-testid=\"stSidebarNav\"]') || {textContent: ''})"
                        ".textContent.includes('Daten & Methodik')", timeout=60_000)
                    page.wait_for_selector("h1", timeout=60_000)
                    if path in CHART_PAGES:
                        page.wait_for_selector(PLOT, timeout=45_000)
                        page.wait_for_function(
                            "() => [...document.querySelectorAll('.js-plotly-plot')].some("
                            "p => p.querySelector('svg .plot, canvas, svg .barlayer, svg .scatterlayer, "
                            ".mapboxgl-canvas, .maplibregl-canvas, svg .choroplethlayer'))",
                            timeout=45_000)
                    page.wait_for_function(
                        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
                    page.wait_for_timeout(1000)
                    page.screenshot(path=str(SHOTS / f"{path}.png"))
                    if path in CHART_PAGES:
                        plot = page.locator(".js-plotly-plot").first
                        plot.scroll_into_view_if_needed()
                        page.wait_for_timeout(500)
                        plot.screenshot(path=str(SHOTS / f"{path}_diagramm.png"))
                    exceptions = page.locator("[data-testid='stException']").count()
                    body = page.inner_text("body")
                    if "Page not found" in body:
                        problems.append(f"{path}: Streamlit meldet „Page not found“ für /{route}")
                    if exceptions or "Traceback" in body:
                        problems.append(f"{path}: Fehler auf der Seite ({exceptions} Ausnahme(n))")
                    if path in CHART_PAGES:
                        n = page.locator(".js-plotly-plot").count()
                        drawn = page.evaluate(
                            "() => [...document.querySelectorAll('.js-plotly-plot')].filter("
                            "p => p.querySelector('svg, canvas')).length")
                        if n == 0 or drawn == 0:
                            problems.append(f"{path}: kein Diagramm gezeichnet ({n} Plotly-Container)")
                # presentation mode: no sidebar, arrow keys and buttons step through the sequence
                page.goto(f"{url}/praesentation?folge=integrationsrat&folie=1", wait_until="domcontentloaded")
                page.wait_for_function("() => document.body.innerText.includes('Folie 1 von')", timeout=60_000)
                page.wait_for_selector(".js-plotly-plot svg", timeout=45_000)
                if page.locator("[data-testid='stSidebar']").is_visible():
                    problems.append("praesentation: Seitenleiste sichtbar")
                page.keyboard.press("ArrowRight")
                page.wait_for_function("() => document.body.innerText.includes('Folie 2 von')", timeout=30_000)
                if "folie=2" not in page.url or "Quelle:" not in page.inner_text("body"):
                    problems.append("praesentation: Pfeiltaste schaltet nicht weiter oder Quellenzeile fehlt")
                page.get_by_role("button", name="◀ Zurück").click()
                page.wait_for_function("() => document.body.innerText.includes('Folie 1 von')", timeout=30_000)
                page.screenshot(path=str(SHOTS / "praesentation_folie1.png"))
            finally:
                browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    assert not problems, problems
