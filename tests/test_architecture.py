"""The package's floor plan, checked: stages import only their own or lower stages, and no module imports
itself through others (no cycles). Imports inside functions count too — a lazy import is still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

from integrationsmonitor.config import REPO_ROOT

PACKAGE = REPO_ROOT / "integrationsmonitor"
# Lower number = earlier in the flow. Shared modules at the top of the package are 0; __main__ (the CLI that
# dispatches to every stage) stands above all of them.
LAYERS = {"": 0, "ingest": 1, "build": 2, "views": 3, "exports": 4, "serving": 5, "__main__": 6}


def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 2 and parts[1] == "__main__":
        return "__main__"
    return parts[1] if len(parts) > 2 else ""


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Package modules imported anywhere in ``path`` (``from a.b import c`` counts a.b.c if that is a module)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("integrationsmonitor"):
            subs = {f"{node.module}.{a.name}" for a in node.names} & modules
            out |= subs or ({node.module} & modules)
    return out


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {m: _imports(p, set(files)) - {m} for m, p in files.items()}


def test_no_module_imports_a_later_stage() -> None:
    upward = [f"{m} → {d}" for m, deps in _graph().items() for d in deps
              if LAYERS[_stage(d)] > LAYERS[_stage(m)]]
    assert upward == []


def test_no_import_cycles() -> None:
    graph = _graph()
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == "open":
                cycles.append(" → ".join([*stack[stack.index(dep):], dep]))
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The checker itself: a shared module importing a stage is found."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from integrationsmonitor.serving import ui\n", encoding="utf-8")
    assert _imports(probe, {"integrationsmonitor.serving.ui"}) == {"integrationsmonitor.serving.ui"}
    assert LAYERS[_stage("integrationsmonitor.serving.ui")] > LAYERS[_stage("integrationsmonitor.formatting")]
