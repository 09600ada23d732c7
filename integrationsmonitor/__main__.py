"""Command line: ``python -m integrationsmonitor <command>`` (see README)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from integrationsmonitor.config import Settings
from integrationsmonitor.problems import ValidationError


def _housekeeping(settings: Settings) -> None:
    """Remove leftovers of killed runs (call under the publisher lock)."""
    from integrationsmonitor.build import update

    removed = update.cleanup_leftovers(settings)
    if removed:
        print(f"Aufgeräumt: {len(removed)} Rest(e) abgebrochener Läufe entfernt ("
              + ", ".join(p.name for p in removed[:5]) + (" …" if len(removed) > 5 else "") + ")")


def _cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from integrationsmonitor.build import update
    from integrationsmonitor.build.pipeline import build

    target = Path(args.db) if args.db else settings.db_path
    try:
        with update.publisher_lock(settings, on_wait=print):  # the build swaps the live database in
            _housekeeping(settings)
            result = build(settings.data_dir, target)
    except ValidationError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except update.PublishError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"Datenbank gebaut: {result.db_path} ({result.size_bytes / 1e6:.1f} MB, {result.observations} Beobachtungen, "
        f"{result.population_rows} Bevölkerungszeilen) in {result.seconds:.2f} s, Build-ID {result.build_id}"
    )
    return 0


def _cmd_ensure(args: argparse.Namespace, settings: Settings) -> int:
    """Build only if the database file is missing (used by the start command)."""
    from integrationsmonitor.build import update

    if settings.db_path.exists():
        with contextlib.suppress(update.PublishError), update.publisher_lock(settings, wait=0):
            _housekeeping(settings)  # at start: leftovers of killed runs (skipped while someone publishes)
        print(f"Datenbank vorhanden: {settings.db_path}")
        return 0
    return _cmd_build(args, settings)


def _cmd_example_data(args: argparse.Namespace, settings: Settings) -> int:
    from integrationsmonitor.build.example_data import write_example_data

    for path in write_example_data(settings.data_dir):
        print(f"geschrieben: {path}")
    return 0


def _cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate data/ (and optional extra files) without writing anything."""
    from integrationsmonitor.build.pipeline import read_inputs

    try:
        inputs = read_inputs(settings.data_dir, [Path(p) for p in args.files])
    except ValidationError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"Keine Probleme: {len(inputs.observations)} Beobachtungen, {len(inputs.population)} Bevölkerungszeilen.")
    return 0


def _cmd_update(args: argparse.Namespace, settings: Settings) -> int:
    """Check delivered files, show what would change, publish with --publish (previous database kept). With
    --publish the whole run holds the publisher lock, so a second publisher checks its delivery on top of ours."""
    from integrationsmonitor.build import update

    uploads = []
    election = False
    for name in args.files:
        path = Path(name)
        if path.is_dir():  # the folder of one election (Offene Wahldaten)
            election = True
            uploads += [(p.name, p.read_bytes()) for p in sorted(path.iterdir()) if p.is_file()]
            continue
        if not path.is_file():
            print(f"Datei nicht gefunden: {path}", file=sys.stderr)
            return 2
        election = election or _is_election_file(path)
        uploads.append((path.name, path.read_bytes()))
    try:
        with update.publisher_lock(settings, on_wait=print) if args.publish else contextlib.nullcontext():
            if args.publish:
                _housekeeping(settings)
            return _check_and_publish(args, settings, uploads, election)
    except update.PublishError as exc:
        print(exc, file=sys.stderr)
        return 1


def _check_and_publish(args: argparse.Namespace, settings: Settings, uploads: list[tuple[str, bytes]],
                       election: bool = False) -> int:
    from integrationsmonitor.build import update

    staged = update.stage_election(uploads, settings) if election else update.stage(uploads, settings)
    if getattr(staged, "skipped", None):
        print("Nicht verwendet (keine Datei einer Wahl): " + ", ".join(staged.skipped))
    try:
        problems = update.validate(staged)
        if problems:
            print(ValidationError(problems).report(), file=sys.stderr)
            _print_gaps(staged, file=sys.stderr)
            return 1
        changes = update.diff(settings.db_path, staged.db_path)
        print(f"Prüfung bestanden. Änderungen gegenüber der veröffentlichten Datenbank: {changes.summary()}")
        for row in changes.rows()[: args.limit]:
            print(f"  {row['Änderung']:9} {row['Art']:11} {row['Schlüssel']}: {row['bisher']} → {row['neu']}")
        from integrationsmonitor.build import official

        for line in official.preview_lines(staged.db_path, settings.db_path):  # GENESIS tables, catalogue (issue 15)
            print(line)
        _print_gaps(staged)
        jumps = update.headline_jumps(settings.db_path, staged.db_path, settings.queries_dir)
        if jumps:
            print("Achtung, Sprünge bei Kennzahlen der Startseite (bitte prüfen):")
            for jump in jumps:
                print(f"  {jump.text()}")
        if not args.publish:
            print("Nichts veröffentlicht (zum Veröffentlichen: --publish"
                  + (" --spruenge-bestaetigen" if jumps else "") + ").")
            return 0
        kept = update.publish(staged, settings, confirm_jumps=args.spruenge_bestaetigen)
        print(f"Veröffentlicht. Vorherige Datenbank gesichert als Version {kept.name if kept else '(keine)'}.")
        return 0
    finally:
        update.discard(staged)


def _print_gaps(staged, file=None) -> None:
    """What the delivery names that the catalogue does not know yet, with a template to add it (issue 15)."""
    from integrationsmonitor.build import official

    text = official.gap_text(official.gap_report(staged.data_dir))
    if text:
        print(text, file=file or sys.stdout)


def _cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    """Fetch configured GENESIS tables and put them through the same check → preview → publish path."""
    from integrationsmonitor.build import fetch, update

    result = fetch.fetch(args.tables, settings)
    for line in result.lines:
        print(line)
    for error in result.errors:
        print(error, file=sys.stderr)
    if not result.uploads:
        return 1
    try:
        with update.publisher_lock(settings, on_wait=print) if args.publish else contextlib.nullcontext():
            if args.publish:
                _housekeeping(settings)
            code = _check_and_publish(args, settings, result.uploads)
    except update.PublishError as exc:
        print(exc, file=sys.stderr)
        return 1
    return max(code, 1) if result.errors else code


def _is_election_file(path: Path) -> bool:
    """A file of the open election-data standard (…_Wahlergebnisse_…, …_Wahlparameter_… etc.)."""
    from integrationsmonitor.ingest import wahlen

    if path.suffix.lower() == ".zip":  # an election's zip, not e.g. a GENESIS download
        return wahlen.is_election_zip(path.read_bytes())
    return wahlen.role(path) is not None


def _cmd_versions(args: argparse.Namespace, settings: Settings) -> int:
    from integrationsmonitor.build import update

    versions = update.list_versions(settings)
    if not versions:
        print("Keine gesicherten Versionen.")
    for v in versions:
        print(f"{v.name}  {v.label}")
    return 0


def _cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from integrationsmonitor.build import update

    try:
        with update.publisher_lock(settings, on_wait=print):
            _housekeeping(settings)
            kept = update.restore(args.version, settings)
    except (KeyError, ValueError, update.PublishError) as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    print(f"Version {args.version} wiederhergestellt; der Stand davor ist gesichert als {kept.name if kept else '-'}.")
    return 0


def _cmd_trace(args: argparse.Namespace, settings: Settings) -> int:
    """From one figure to the raw rows of data/ it was delivered in or computed from."""
    import datetime as dt

    from integrationsmonitor import formatting
    from integrationsmonitor.queries import QueryRunner

    runner = QueryRunner(settings.db_path, settings.queries_dir)
    try:
        day = dt.date.fromisoformat(args.stichtag) if "-" in args.stichtag else \
            dt.datetime.strptime(args.stichtag, "%d.%m.%Y").date()
    except ValueError:
        print(f"Stichtag „{args.stichtag}“ ist kein Datum (erwartet TT.MM.JJJJ oder JJJJ-MM-TT)", file=sys.stderr)
        return 2
    found = runner.run("indikator_zeitreihe", indikator=args.indikator, gebiet=args.gebiet)
    found = found[(found["period"].astype(str).str[:10] == day.isoformat())
                  & (found["nationality"] == args.nationalitaet)]
    if args.quelle:
        found = found[found["source"] == args.quelle]
    if found.empty:
        print("Keine solche Zahl in der Datenbank (Indikator, Gebiet, Stichtag, Staatsangehörigkeit prüfen).",
              file=sys.stderr)
        return 1
    for obs in found.itertuples():
        rows = runner.run("herkunft_beobachtung", indikator=args.indikator, gebiet=args.gebiet, stichtag=day,
                          nationalitaet=args.nationalitaet, quelle=obs.source)
        shown = formatting.SUPPRESSED if obs.suppressed else formatting.number(obs.value)
        print(f"{args.indikator} · {args.gebiet} · {formatting.date(day)} · {args.nationalitaet} · {obs.source}: "
              f"{shown} (öffentlich), {len(rows)} Rohzeile(n):")
        for r in rows.itertuples():
            print(f"  data/{r.source_file}:{r.source_row}  {r.nationality}  {formatting.number(r.value)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m integrationsmonitor", description="Integrationsmonitor Hagen")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="Datenbank aus data/ bauen (atomar; bei Fehlern bleibt die alte erhalten)")
    p.add_argument("--db", help="Zieldatei (Standard: data/integrationsmonitor.duckdb oder $IMH_DB)")
    p.set_defaults(func=_cmd_build)
    p = sub.add_parser("ensure", help="Datenbank bauen, falls sie fehlt")
    p.add_argument("--db", help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd_ensure)
    p = sub.add_parser("check", help="Eingabedaten nur prüfen")
    p.add_argument("files", nargs="*", help="zusätzliche Dateien, die geprüft werden sollen")
    p.set_defaults(func=_cmd_check)
    p = sub.add_parser("beispieldaten", help="Beispieldaten reproduzierbar neu erzeugen (data/raw/beispiel_*.csv)")
    p.set_defaults(func=_cmd_example_data)
    from integrationsmonitor.exports.cli import add_commands as add_meeting_commands

    add_meeting_commands(sub)
    p = sub.add_parser("update", help="Neue Lieferung prüfen, Änderungen zeigen, mit --publish veröffentlichen")
    p.add_argument("files", nargs="+", help="gelieferte CSV-/XLSX-Dateien, oder Ordner/ZIP einer Wahl (Offene Wahldaten)")
    p.add_argument("--publish", action="store_true", help="nach erfolgreicher Prüfung veröffentlichen")
    p.add_argument("--limit", type=int, default=50, help="höchstens so viele Änderungen auflisten")
    p.add_argument("--spruenge-bestaetigen", action="store_true",
                   help="Kennzahlen, die sich um mehr als IMH_SPRUNG_FAKTOR ändern, sind geprüft: trotzdem veröffentlichen")
    p.set_defaults(func=_cmd_update)
    p = sub.add_parser("abrufen", help="GENESIS-Tabellen (genesis.yaml) über die Schnittstelle abrufen und prüfen")
    p.add_argument("tables", nargs="*", metavar="TABELLE", help="Tabellencodes, z. B. 12411-01-01-4 (Standard: alle)")
    p.add_argument("--publish", action="store_true", help="nach erfolgreicher Prüfung veröffentlichen")
    p.add_argument("--spruenge-bestaetigen", action="store_true", help="Sprünge bei Kennzahlen bestätigen")
    p.add_argument("--limit", type=int, default=50, help="höchstens so viele Änderungen auflisten")
    p.set_defaults(func=_cmd_fetch)
    p = sub.add_parser("versions", help="gesicherte Datenbank-Versionen auflisten")
    p.set_defaults(func=_cmd_versions)
    p = sub.add_parser("restore", help="eine gesicherte Version wiederherstellen")
    p.add_argument("version", help="Name aus `versions`")
    p.set_defaults(func=_cmd_restore)
    p = sub.add_parser("herkunft", help="Rohzeilen in data/ zu einer Zahl (geliefert oder abgeleitet) – intern")
    p.add_argument("indikator")
    p.add_argument("gebiet", help="Gebiets-ID, z. B. 05914000 oder SB1")
    p.add_argument("stichtag", help="TT.MM.JJJJ oder JJJJ-MM-TT")
    p.add_argument("nationalitaet", nargs="?", default="_T", help="z. B. RO, BG, RO+BG; Standard _T (insgesamt)")
    p.add_argument("--quelle", help="nur diese Quelle (sonst alle Quellen dieser Zahl)")
    p.set_defaults(func=_cmd_trace)
    args = parser.parse_args(argv)
    return args.func(args, Settings.from_env())


if __name__ == "__main__":
    sys.exit(main())
