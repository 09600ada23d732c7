"""CLI commands for committee meetings: ``paket``, ``ausgabe einfrieren``, ``ausgaben [vergleichen a b]``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

from integrationsmonitor.config import Settings


def _runner(settings: Settings):
    from integrationsmonitor.queries import QueryRunner

    if not settings.db_path.exists():
        print(f"Die Datenbank {settings.db_path} fehlt – bitte zuerst `python -m integrationsmonitor build`.",
              file=sys.stderr)
        return None
    return QueryRunner(settings.db_path, settings.queries_dir)


def _cmd_paket(args: argparse.Namespace, settings: Settings) -> int:
    from integrationsmonitor.exports import editions
    from integrationsmonitor.exports import sitzungspaket as package

    runner = _runner(settings)
    if runner is None:
        return 1
    logging.basicConfig(level=logging.WARNING)
    known = set(runner.run("paket_stadtbezirke")["id"])
    bezirke = [b.strip() for b in (args.bezirke or "").split(",") if b.strip()]
    unknown = [b for b in bezirke if b not in known]
    if unknown:
        print(f"Unbekannte Stadtbezirke: {', '.join(unknown)} (gültig: {', '.join(sorted(known))})", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else None
    try:
        if args.ausgabe:
            data, result = package.edition_package(args.ausgabe, bezirke, out=out)
        else:
            data, result = package.make_package(runner, out, bezirke)
    except (package.PlanError, editions.EditionError) as exc:
        print(exc, file=sys.stderr)
        return 1
    if out is None:
        result.path.write_bytes(data)
    print(f"Sitzungspaket: {result.path} ({result.size_bytes / 1e6:.1f} MB, {result.figures} Abbildungen, "
          f"{result.seconds:.1f} s)")
    for note in result.notes:
        print(f"  Hinweis: {note}")
    return 0


def _cmd_ausgabe(args: argparse.Namespace, settings: Settings) -> int:
    from integrationsmonitor.exports import editions

    runner = _runner(settings)
    if runner is None:
        return 1
    stand = dt.date.fromisoformat(args.berichtsstand) if args.berichtsstand else None
    try:
        ed = editions.freeze(runner, args.name, stand)
    except editions.EditionError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Ausgabe „{ed.name}“ eingefroren: {len(ed.observations)} Werte, Berichtsstand {ed.berichtsstand}, "
          f"DB-SHA256 {ed.db_sha256[:16]}…, gespeichert in {editions.editions_dir()}")
    return 0


def _cmd_ausgaben(args: argparse.Namespace, settings: Settings) -> int:
    from integrationsmonitor import formatting
    from integrationsmonitor.exports import editions

    if args.vergleich:
        if len(args.vergleich) != 3 or args.vergleich[0] != "vergleichen":
            print("Aufruf: ausgaben vergleichen <ausgabe_a> <ausgabe_b>", file=sys.stderr)
            return 2
        try:
            d = editions.diff(editions.load(args.vergleich[1]), editions.load(args.vergleich[2]))
        except editions.EditionError as exc:
            print(exc, file=sys.stderr)
            return 1
        day = {k: formatting.date(dt.date.fromisoformat(v["berichtsstand"])) for k, v in (("a", d.a), ("b", d.b))}
        print(f"Seit „{d.a['name']}“ ({day['a']}) bis „{d.b['name']}“ ({day['b']}):")
        for what, n in d.counts().items():
            print(f"  {what}: {n}")
        for line in editions.explain_status_changes(d):
            print(f"  {line}")
        frames = editions.diff_frames(d)
        for title, frame in frames.items():
            if len(frame):
                print(f"\n{title}:\n{frame.to_string(index=False, max_rows=50)}")
        if args.out:
            from integrationsmonitor.exports.xlsx_workbook import build_comparison_workbook

            Path(args.out).write_bytes(build_comparison_workbook(editions.comparison_line(d), d.counts(), frames))
            print(f"\nVergleich gespeichert: {args.out}")
        return 0
    rows = editions.list_editions()
    if not rows:
        print(f"Noch keine Ausgaben in {editions.editions_dir()}.")
    for e in rows:
        stand = formatting.date(dt.date.fromisoformat(e["berichtsstand"]))
        print(f"{e['slug']:30} {stand}  {e['observations']:6} Werte  „{e['name']}“  (erstellt {e['created_at'][:19]})")
    return 0


def add_commands(sub) -> None:
    """Register the meeting commands on the main parser's subparsers."""
    p = sub.add_parser("paket", help="Sitzungspaket (ZIP mit PDF, PowerPoint, Excel) erzeugen")
    p.add_argument("--out", help="Zieldatei .zip (Standard: Integrationsmonitor_Hagen_Sitzungspaket_<Datum>.zip)")
    p.add_argument("--bezirke", help="Stadtbezirke für Profile, z. B. SB1,SB2")
    p.add_argument("--ausgabe", help="eingefrorene Ausgabe (Name oder Kürzel): Paket genau aus ihrem Datenstand, "
                                     "mit Vergleich zur Ausgabe davor")
    p.set_defaults(func=_cmd_paket)
    p = sub.add_parser("ausgabe", help="Berichtsstand: `ausgabe einfrieren <name>`")
    p.add_argument("aktion", choices=["einfrieren"])
    p.add_argument("name")
    p.add_argument("--berichtsstand", help="Datum JJJJ-MM-TT (Standard: heute, der Tag des Einfrierens)")
    p.set_defaults(func=_cmd_ausgabe)
    p = sub.add_parser("ausgaben", help="Berichtsstände auflisten oder `ausgaben vergleichen <a> <b>`")
    p.add_argument("vergleich", nargs="*", help="vergleichen <a> <b>")
    p.add_argument("--out", help="Vergleich zusätzlich als Excel-Datei speichern (.xlsx)")
    p.set_defaults(func=_cmd_ausgaben)
