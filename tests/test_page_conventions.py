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
