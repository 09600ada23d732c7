"""Every page registered in app.py starts by switching to app.py's navigation (a permalink on a freshly
started server would otherwise render as a bare file page) — a new page cannot forget it."""

from __future__ import annotations

import ast

from integrationsmonitor.config import REPO_ROOT


def _first_statement(path) -> ast.stmt:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = [n for n in tree.body if not isinstance(n, ast.Import | ast.ImportFrom)
            and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]  # docstring
    return body[0]


def test_every_page_calls_ensure_app_navigation_first():
    app = ast.parse((REPO_ROOT / "app.py").read_text(encoding="utf-8"))
    pages = [node.args[0].value for node in ast.walk(app)
             if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
             and node.args and isinstance(node.args[0], ast.Constant)]
    assert len(pages) >= 8
    for page in pages:
        first = _first_statement(REPO_ROOT / page)
        call = first.value if isinstance(first, ast.Expr) else None
        assert isinstance(call, ast.Call) and ast.unparse(call.func) == "ui.ensure_app_navigation", (
            f"{page}: erste Anweisung muss ui.ensure_app_navigation() sein, ist {ast.unparse(first)[:60]!r}")


def test_no_page_ends_the_whole_run_with_st_stop():
    """st.stop() would also drop the navigation app.py sends after the page; pages and the login gate use
    ui.stop_page() instead."""
    files = [*sorted((REPO_ROOT / "pages").glob("*.py")), REPO_ROOT / "integrationsmonitor" / "serving" / "auth.py"]
    for path in files:
        calls = [ast.unparse(n.func) for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(n, ast.Call)]
        assert "st.stop" not in calls, f"{path.name}: st.stop() statt ui.stop_page()"


def test_the_navigation_comes_after_the_page_and_even_after_a_stopped_page(built_db):
    """The navigation is sent after the content (the first chart first), and a page that stops early — the
    login gate of the Datenpflege — still has it, and nothing of what lies behind the gate."""
    from streamlit.testing.v1 import AppTest

    from integrationsmonitor.serving import progressive

    titles = ["Übersicht", "Leitziele", "Quartiere", "Südosteuropa (EU-2)", "Daten & Methodik",
              "Sitzungspaket & Berichtsstände", "Präsentation", "Datenpflege (Statistikstelle)",
              "Erklärung zur Barrierefreiheit"]
    for page in (None, "pages/datenpflege.py", "pages/quartiere.py"):
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
        at.session_state[progressive.DRAWN] = True  # not the start page's first view (tests/test_first_view.py)
        if page:
            at.switch_page(page)
        if page == "pages/quartiere.py":
            at.query_params["ebene"] = "stimmbezirk"  # the Stimmbezirk level ends the page with ui.stop_page()
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert [link.proto.label for link in at.sidebar.get("page_link")] == titles, page
        if page == "pages/quartiere.py":
            assert at.get("plotly_chart") and not [h for h in at.header if "Stadtbezirk" in h.value]
        if page == "pages/datenpflege.py":
            assert not at.get("file_uploader") and not at.button  # the gate held: no delivery can be sent


def test_stop_page_cannot_be_swallowed_by_a_page():
    from integrationsmonitor.serving import ui

    ran_on = []
    with ui.page_guard():
        try:
            ui.stop_page()
        except Exception:  # noqa: BLE001 - what a careless page might write around the login gate
            ran_on.append("weiter")
        ran_on.append("nach dem Tor")
    assert ran_on == []
    assert issubclass(ui.PageStopped, BaseException) and not issubclass(ui.PageStopped, Exception)


def test_html_table_escapes_every_cell_and_names_its_columns(monkeypatch):
    """Text from deliveries goes into the start page's plain tables: never as markup."""
    import lxml.html
    import pandas as pd

    from integrationsmonitor.serving import ui

    sent = []
    monkeypatch.setattr(ui.st, "html", sent.append)
    ui.html_table(pd.DataFrame({"Quelle": ['<img src=x onerror="alert(1)">', None], "Wert": ["1.234", "·"]}), "Probe")
    table = lxml.html.fromstring(sent[0])
    assert not table.xpath("//img") and "&lt;img" in sent[0]
    assert [(th.get("scope"), th.text_content()) for th in table.iter("th")] == [("col", "Quelle"), ("col", "Wert")]
    cells = [[td.text_content() for td in tr.iter("td")] for tr in table.iter("tr")][1:]
    assert cells == [['<img src=x onerror="alert(1)">', "1.234"], ["", "·"]]
    assert table.get("aria-label") == "Probe"
