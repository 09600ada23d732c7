"""Mutation testing of the rule code: `make mutation` (not part of `make test`/CI).

1. Python rule code with mutmut (pinned in requirements-dev.txt), scope and focused tests in scope.toml.
   mutmut works in a copy of the project (a temporary folder), never in the working tree.
2. SQL derivations: the hand-written single-line replacements of sql_mutants.tsv, applied one at a time to a
   copy of build/sql/, each followed by the SQL tests named in scope.toml.
3. Writes bench/mutation-report.md; its first line is ``mutation score: K/N killed``.

Survivors judged equivalent are listed with their reason in equivalent.toml (matched by function and mutated
line). They are reported, and still count as not killed in K/N.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
#: besides the package, what the tests read at run time (AppTest runs pages/ and app.py)
ALSO_COPY = ["data", "queries", "pages", "static", ".streamlit", "app.py"]
COPY = ["integrationsmonitor", "tests", *ALSO_COPY, "pyproject.toml"]
KILLED = {1: "killed", 3: "killed", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", 36: "timeout"}
NICE = ["nice", "-n", "19"]


@dataclass
class Mutant:
    name: str          # mutmut name or "sql:<n>"
    module: str        # scope name
    outcome: str       # killed, timeout, survived, no tests, …
    diff: tuple[str, str] = ("", "")  # (original line, mutated line), filled for survivors
    reason: str = ""   # why it is equivalent (from equivalent.toml)


@dataclass
class Scope:
    modules: list[dict]
    sql: dict
    equivalent: list[dict] = field(default_factory=list)


def load_scope() -> Scope:
    scope = tomllib.loads((HERE / "scope.toml").read_text(encoding="utf-8"))
    equivalent = tomllib.loads((HERE / "equivalent.toml").read_text(encoding="utf-8")).get("mutant", [])
    modules = [m for m in scope["module"] if (ROOT / m["path"]).is_file() or not m.get("optional")]
    modules = [m for m in modules if (ROOT / m["path"]).is_file()]
    for m in modules:
        m["tests"] = [t for t in m["tests"] if (ROOT / t).is_file()]
    return Scope(modules, scope["sql"], equivalent)


def dotted(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def mutmut_pattern(module: dict, function: str) -> str:
    """mutmut's mutant name glob for a function ("f") or a method ("Klasse.f") of a module."""
    if "." in function:
        cls, meth = function.split(".", 1)
        return f"{dotted(module['path'])}.xǁ{cls}ǁ{meth}__mutmut_*"
    return f"{dotted(module['path'])}.x_{function}__mutmut_*"


def stage(workdir: Path, scope: Scope, copy: bool = True) -> None:
    """A copy of the project with a [tool.mutmut] section appended to its pyproject.toml."""
    for name in COPY if copy else ["pyproject.toml"]:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, workdir / name, ignore=shutil.ignore_patterns("__pycache__", "screenshots"))
        else:
            shutil.copy2(src, workdir / name)
    tests = sorted({t for m in scope.modules for t in m["tests"]})
    section = {
        "source_paths": ["integrationsmonitor"],
        "only_mutate": sorted({m["path"] for m in scope.modules}),
        "also_copy": ALSO_COPY,
        "pytest_add_cli_args_test_selection": tests,
        "pytest_add_cli_args": ["-q", "-x", "-p", "no:cacheprovider", "-p", "no:randomly"],
        "use_git_change_detection": False,
    }
    lines = ["", "[tool.mutmut]"] + [f"{k} = {json.dumps(v)}" for k, v in section.items()]
    with (workdir / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def refresh(workdir: Path, scope: Scope, copy: bool = True) -> list[str]:
    """Incremental run in a kept folder: copy the current code and tests in; return what mutmut must (re)run.

    Modules whose file changed are rerun completely (function globs); in unchanged modules only the mutants
    that were not killed (or not yet checked). Killed mutants of unchanged code keep their verdict: the tests
    were only added to since. mutmut itself resets the results of every function whose code changed.
    """
    names: list[str] = []
    stored = {m.name: m.outcome for m in mutmut_results(workdir, scope)}
    for module in scope.modules:
        old = workdir / module["path"]
        if not old.is_file() or old.read_bytes() != (ROOT / module["path"]).read_bytes():
            names += [mutmut_pattern(module, f) for f in module["functions"]]
    changed = {n.split(".x")[0] for n in names}
    names += [n for n, outcome in stored.items() if outcome not in ("killed", "timeout")
              and n.split(".x")[0] not in changed]
    if not copy:  # continue an interrupted run on the code already in the folder
        return [n for n, outcome in stored.items() if outcome not in ("killed", "timeout")]
    for name in COPY:
        target = workdir / name
        if target.is_dir():
            shutil.rmtree(target)
        src = ROOT / name
        if src.is_dir():  # shutil.copy: a fresh mtime, so that mutmut regenerates the mutants of every file
            shutil.copytree(src, target, copy_function=shutil.copy,
                            ignore=shutil.ignore_patterns("__pycache__", "screenshots"))
    stage(workdir, scope, copy=False)
    return names


def run_mutmut(workdir: Path, scope: Scope, children: int, log: Path, names: list[str] | None = None) -> None:
    """mutmut mutates whole files; only the mutants of the functions in scope are run (name globs)."""
    patterns = names if names is not None else [mutmut_pattern(m, f) for m in scope.modules for f in m["functions"]]
    if not patterns:
        return
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with log.open("w", encoding="utf-8") as out:
        subprocess.run([*NICE, sys.executable, "-m", "mutmut", "run", "--max-children", str(children), *patterns],
                       cwd=workdir, stdout=out, stderr=subprocess.STDOUT, env=env, check=False)


def mutmut_results(workdir: Path, scope: Scope) -> list[Mutant]:
    mutants = []
    for module in scope.modules:
        meta = workdir / "mutants" / (module["path"] + ".meta")
        if not meta.is_file():
            continue
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        patterns = [mutmut_pattern(module, f) for f in module["functions"]]
        for name, code in sorted(codes.items()):
            if any(fnmatch.fnmatchcase(name, p) for p in patterns):
                outcome = KILLED.get(code, {0: "survived", 33: "no tests", 5: "no tests", None: "not checked"}
                                     .get(code, f"suspicious ({code})"))
                mutants.append(Mutant(name, module["name"], outcome))
    return mutants


def mutmut_diff(workdir: Path, name: str) -> tuple[str, str]:
    shown = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=workdir, capture_output=True,
                           text=True, check=False).stdout.splitlines()
    removed = [line[1:].strip() for line in shown if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in shown if line.startswith("+") and not line.startswith("+++")]
    return (" ⏎ ".join(removed), " ⏎ ".join(added))


# ----------------------------------------------------------------------------- SQL
def sql_mutants(scope: Scope) -> list[dict]:
    with (ROOT / scope.sql["table"]).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def apply_sql(text: str, original: str, replacement: str) -> str:
    """Replace ``original`` on the one line that is exactly it (stripped), else the one line containing it."""
    lines = text.split("\n")
    exact = [i for i, line in enumerate(lines) if line.strip() == original]
    hits = exact or [i for i, line in enumerate(lines) if original in line]
    if len(hits) != 1 or lines[hits[0]].count(original) != 1:
        raise SystemExit(f"{original!r} kommt {len(hits)}-mal vor (erwartet: genau einmal)")
    lines[hits[0]] = lines[hits[0]].replace(original, replacement)
    return "\n".join(lines)


def run_line_mutant(workdir: Path, path: Path, original: str, replacement: str, tests: list[str]) -> tuple[str, str]:
    """Apply one replacement to ``path`` in the copy, run ``tests``, restore; (outcome, first failing test)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(apply_sql(text, original, replacement), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(workdir), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        proc = subprocess.run([*NICE, sys.executable, "-m", "pytest", "-q", "-x", "-rf", "-p", "no:cacheprovider",
                               "-p", "no:randomly", *tests], cwd=workdir, env=env, capture_output=True, text=True,
                              check=False)
    finally:
        path.write_text(text, encoding="utf-8")
    failed = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith(("FAILED ", "ERROR "))]
    outcome = {0: "survived", 1: "killed"}.get(proc.returncode, f"suspicious ({proc.returncode})")
    return outcome, failed[0] if failed else ""


def run_sql(workdir: Path, scope: Scope) -> list[Mutant]:
    sql_dir = workdir / "integrationsmonitor" / "build" / "sql"
    results = []
    for number, row in enumerate(sql_mutants(scope), start=1):
        outcome, _ = run_line_mutant(workdir, sql_dir / row["datei"], row["original"], row["ersatz"],
                                     scope.sql["tests"])
        results.append(Mutant(f"sql:{number} {row['datei']}", "SQL-Ableitungen (derive.sql, public.sql)", outcome,
                              (row["original"], row["ersatz"]), row["warum"]))
    return results


def run_audit(workdir: Path) -> list[tuple[dict, str, str]]:
    """The surviving mutants of the audit (issue 12), each applied by hand: (row, outcome, killing test)."""
    with (HERE / "audit_mutants.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(row, *run_line_mutant(workdir, workdir / row["datei"], row["original"], row["ersatz"] or "",
                                   row["tests"].split())) for row in rows]


# ----------------------------------------------------------------------------- report
def mark_equivalent(mutants: list[Mutant], scope: Scope) -> None:
    for m in mutants:
        if m.outcome in ("killed", "timeout"):
            continue
        function = m.name.split("__mutmut_")[0]
        for eq in scope.equivalent:
            if eq["function"] == function and eq["mutated"].strip() == m.diff[1] and \
                    eq.get("original", m.diff[0]).strip() == m.diff[0]:
                m.reason = eq["reason"]


def report(mutants: list[Mutant], seconds: float, commit: str, audit: list[tuple[dict, str, str]],
           unchecked: dict[str, int] | None = None) -> str:
    killed = [m for m in mutants if m.outcome in ("killed", "timeout")]
    survivors = [m for m in mutants if m not in killed]
    equivalent = [m for m in survivors if m.reason and not m.name.startswith("sql:")]
    lines = [f"mutation score: {len(killed)}/{len(mutants)} killed", ""]
    share = 100 * len(killed) / len(mutants) if mutants else 0.0
    rest = len(mutants) - len(equivalent)
    lines += [f"{share:.1f} % getötet; ohne die {len(equivalent)} als gleichwertig beurteilten Überlebenden "
              f"{100 * len(killed) / rest:.1f} % ({len(killed)}/{rest}). Lauf vom {dt.date.today():%d.%m.%Y}, "
              f"Code-Stand {commit}, Laufzeit {seconds / 60:.1f} min (`make mutation`, mutmut, nice -n 19).", ""]
    unchecked = unchecked or {}
    if any(unchecked.values()):
        lines += [f"Nicht geprüft (Lauf aus Zeitgründen beendet, nicht in N): {sum(unchecked.values())} Mutanten.", ""]
    lines += ["| Modul | Mutanten | getötet | Zeitüberschreitung | überlebt | ohne Test | Anteil getötet | nicht geprüft |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for module in dict.fromkeys(m.module for m in mutants):
        ms = [m for m in mutants if m.module == module]
        count = {o: sum(m.outcome == o for m in ms) for o in ("killed", "timeout", "survived", "no tests")}
        dead = count["killed"] + count["timeout"]
        lines.append(f"| {module} | {len(ms)} | {count['killed']} | {count['timeout']} | {count['survived']} | "
                     f"{count['no tests']} | {100 * dead / len(ms):.0f} % | {unchecked.get(module, 0)} |")
    lines += ["", "## Überlebende, als gleichwertig beurteilt (Verhalten nicht unterscheidbar)", ""]
    lines += [f"- `{m.name}`: `{m.diff[0]}` → `{m.diff[1]}` — {m.reason}" for m in equivalent] or ["- keine"]
    others = [m for m in survivors if m not in equivalent]
    lines += ["", "## Weitere Überlebende (nicht gleichwertig: fehlender Test)", ""]
    lines += [f"- `{m.name}` ({m.outcome}): `{m.diff[0]}` → `{m.diff[1]}`" for m in others] or ["- keine"]
    lines += ["", "## SQL-Mutanten (scripts/mutation/sql_mutants.tsv)", "",
              "| Nr. | Datei | Ersetzung | warum | Ergebnis |", "|---|---|---|---|---|"]
    for m in (m for m in mutants if m.name.startswith("sql:")):
        number, file = m.name[4:].split(" ", 1)
        lines.append(f"| {number} | {file} | `{m.diff[0]}` → `{m.diff[1]}` | {m.reason} | {m.outcome} |")
    lines += ["", "## Die überlebenden Mutanten des Audits (scripts/mutation/audit_mutants.tsv), von Hand angewandt", "",
              "| Befund | Datei | Ersetzung | Ergebnis | getötet von |", "|---|---|---|---|---|"]
    for row, outcome, test in audit:
        lines.append(f"| {row['befund']} | {row['datei']} | `{row['original']}` → `{row['ersatz']}` | {outcome} | "
                     f"`{test}` |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2, help="parallel mutants (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "mutation-report.md")
    parser.add_argument("--no-sql", action="store_true", help="without SQL and audit mutants")
    parser.add_argument("--reuse", type=Path, help="reuse a folder kept by --keep (mutmut caches its results)")
    parser.add_argument("--incremental", action="store_true",
                        help="with --reuse: copy the current code in, rerun changed modules and all non-killed mutants")
    parser.add_argument("--continue", dest="cont", action="store_true",
                        help="with --reuse: run the mutants not yet killed, on the code already in the folder")
    parser.add_argument("--report-only", action="store_true",
                        help="with --reuse: do not run mutmut again, report its stored results")
    parser.add_argument("--nice", type=int, default=19, help="niceness of the test runs (default 19)")
    parser.add_argument("--lines", help="SQL and audit results of an earlier --lines-only run (lines.json)")
    parser.add_argument("--lines-only", action="store_true", help="only SQL and audit mutants (quick check)")
    args = parser.parse_args()
    NICE[2] = str(args.nice)
    scope = load_scope()
    started = time.perf_counter()
    workdir = args.reuse or Path(tempfile.mkdtemp(prefix="imh-mutation-"))
    args.keep = args.keep or bool(args.reuse)
    try:
        stage(workdir, scope, copy=not args.reuse)
        if args.lines_only:  # results kept in the folder for a later --reuse … --report-only
            sql, audit = run_sql(workdir, scope), run_audit(workdir)
            (workdir / "lines.json").write_text(json.dumps({"sql": [vars(m) for m in sql], "audit": audit},
                                                           ensure_ascii=False), encoding="utf-8")
            for m in sql:
                print(m.outcome, m.name, m.reason)
            for row, outcome, test in audit:
                print(outcome, row["befund"], test)
            return
        log = workdir / "mutmut.log"
        print(f"mutmut in {workdir} …", flush=True)
        if args.incremental or args.cont:
            names = refresh(workdir, scope, copy=not args.cont)
            print(f"inkrementell: {len(names)} Namen/Muster erneut", flush=True)
            run_mutmut(workdir, scope, args.children, workdir / "mutmut-incremental.log", names)
        elif not args.report_only:
            run_mutmut(workdir, scope, args.children, log)
        everything = mutmut_results(workdir, scope)
        mutants = [m for m in everything if m.outcome != "not checked"]
        unchecked = {mod: sum(m.module == mod and m.outcome == "not checked" for m in everything)
                     for mod in dict.fromkeys(m.module for m in everything)}
        if not mutants:
            raise SystemExit(f"mutmut lieferte keine Ergebnisse; Protokoll: {log}\n" + log.read_text()[-3000:])
        for m in mutants:
            if m.outcome not in ("killed", "timeout"):
                m.diff = mutmut_diff(workdir, m.name)
        audit = []
        lines = Path(args.lines) if args.lines else None
        if lines is not None:
            stored = json.loads(lines.read_text(encoding="utf-8"))
            mutants += [Mutant(m["name"], m["module"], m["outcome"], tuple(m["diff"]), m["reason"])
                        for m in stored["sql"]]
            audit = [tuple(a) for a in stored["audit"]]
        elif not args.no_sql:
            print("SQL- und Audit-Mutanten …", flush=True)
            mutants += run_sql(workdir, scope)
            audit = run_audit(workdir)
        mark_equivalent(mutants, scope)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=False).stdout.strip()
        text = report(mutants, time.perf_counter() - started, commit, audit, unchecked)
        args.out.write_text(text, encoding="utf-8")
        print(text.splitlines()[0], f"→ {args.out}")
    finally:
        if args.keep:
            print(f"behalten: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
