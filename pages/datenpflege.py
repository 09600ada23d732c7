"""Datenpflege (intern): Lieferung hochladen → Prüfbericht → Vorschau der Änderungen → veröffentlichen → Versionen."""

import datetime as dt

import pandas as pd
import streamlit as st

from integrationsmonitor import config, formatting
from integrationsmonitor.build import update
from integrationsmonitor.config import Settings
from integrationsmonitor.exports import editions
from integrationsmonitor.serving import auth, ui

ui.ensure_app_navigation()

st.title("Datenpflege (Statistikstelle)")
user = auth.require_login()
settings = Settings.from_env()
st.caption(f"Angemeldet: {user}")

MAX_MB = update.MAX_UPLOAD_BYTES // (1024 * 1024)
st.markdown(
    f"Neue Zahlen als **CSV** (Semikolon, Dezimalkomma) oder **XLSX** hochladen, höchstens {MAX_MB} MB je Datei. "
    "Eine Datei mit dem Namen einer vorhandenen Lieferung ersetzt diese. Veröffentlicht wird erst nach fehlerfreier "
    "Prüfung; die bisherige Datenbank wird als Version gesichert und kann mit einem Klick wiederhergestellt werden."
)

st.caption("Amtliche Tabellen aus GENESIS (Flat-File-CSV oder das ZIP der Schnittstelle) und Katalogergänzungen "
           "(katalog_….csv: neue Indikatoren, Quellenarten, Staatsangehörigkeiten) gehen denselben Weg.")
files = st.file_uploader("Dateien der Lieferung", type=["csv", "xlsx", "zip"], accept_multiple_files=True,
                         max_upload_size=MAX_MB, key="lieferung")
if st.button("Prüfen", type="primary", disabled=not files):
    old = st.session_state.pop("staged", None)
    if old is not None:
        update.discard(old)
    try:
        staged = update.stage([(f.name, f.getvalue()) for f in files], settings)
    except update.PublishError as exc:
        st.error(str(exc))
    else:
        with st.spinner("Lieferung wird geprüft …"):
            update.validate(staged)
        st.session_state["staged"] = staged

with st.expander("Wahlergebnisse einer Wahl liefern (Offene Wahldaten)"):
    st.markdown(
        "Die Dateien einer Wahl, wie das Wahlamt sie veröffentlicht (…_Wahlergebnisse_…, …_Wahlgebietseinteilungen_…, "
        "…_Wahlparameter_…, …_Stimmzettel_…, optional die Stimmbezirke als GeoJSON) – einzeln oder als ZIP. Wahlart "
        "und Datum stehen in den Dateien; eine erneute Lieferung derselben Wahl ersetzt die frühere."
    )
    wahl = st.file_uploader("Dateien oder ZIP einer Wahl", type=["csv", "geojson", "json", "zip"],
                            accept_multiple_files=True, max_upload_size=MAX_MB, key="wahl")
    if st.button("Wahl prüfen", disabled=not wahl):
        old = st.session_state.pop("staged", None)
        if old is not None:
            update.discard(old)
        staged = update.stage_election([(f.name, f.getvalue()) for f in wahl], settings)
        with st.spinner("Wahl wird geprüft …"):
            update.validate(staged)
        st.session_state["staged"] = staged

staged = st.session_state.get("staged")
if staged is not None and getattr(staged, "skipped", None):
    st.info("Nicht verwendet (keine Datei einer Wahl): " + ", ".join(staged.skipped))
if staged is not None:
    if staged.problems:
        shown = update.report_rows(staged.problems)
        st.error(f"Prüfung nicht bestanden: {formatting.number(len(staged.problems))} Problem(e). Es wurde nichts "
                 "veröffentlicht.")
        if len(shown) < len(staged.problems):
            st.caption(f"Die ersten {formatting.number(len(shown))} Probleme; darunter die Anzahl je Art für alle.")
        st.dataframe(pd.DataFrame(shown), hide_index=True, width="stretch")
        if len(shown) < len(staged.problems):
            st.dataframe(pd.DataFrame(update.report_counts(staged.problems)), hide_index=True, width="stretch")
        ui.catalog_gaps(staged)
    else:
        changes = update.diff(settings.db_path, staged.db_path)
        st.success(f"Prüfung bestanden. Änderungen: {changes.summary()}.")
        rows = changes.rows()
        if rows:
            st.dataframe(pd.DataFrame(rows).head(2000), hide_index=True, width="stretch")
        ui.official_preview(staged, settings.db_path)
        jumps = update.headline_jumps(settings.db_path, staged.db_path, settings.queries_dir)
        confirmed = True
        if jumps:
            st.warning("Achtung: Kennzahlen der Startseite ändern sich sprunghaft (um mehr als das "
                       f"{formatting.number(config.jump_factor(), 1)}-Fache). Bitte vor dem Veröffentlichen prüfen, "
                       "ob die Lieferung vollständig ist.", icon="⚠️")
            st.dataframe(pd.DataFrame([j.row() for j in jumps]), hide_index=True, width="stretch")
            confirmed = st.checkbox("Sprünge geprüft – die neuen Werte sind richtig", key="spruenge_bestaetigt")
        if st.button("Veröffentlichen", type="primary", disabled=not confirmed):
            try:
                with st.spinner("Wird veröffentlicht …"):
                    kept = update.publish(staged, settings, confirm_jumps=confirmed)
            except update.PublishError as exc:
                st.error(str(exc))
            else:
                st.session_state.pop("staged", None)
                st.cache_data.clear()
                st.success("Veröffentlicht. Die bisherige Datenbank ist gesichert als Version "
                           f"{kept.name if kept else '–'}.")

st.subheader("Gesicherte Versionen")
versions = update.list_versions(settings)
if not versions:
    st.caption("Noch keine gesicherten Versionen.")
for v in versions[:20]:
    cols = st.columns([4, 1])
    cols[0].write(v.label)
    if cols[1].button("Wiederherstellen", key=f"restore_{v.name}"):
        try:
            kept = update.restore(v.name, settings)
        except (update.PublishError, KeyError, ValueError) as exc:
            st.error(str(exc.args[0] if exc.args else exc))
        else:
            st.cache_data.clear()
            st.success(f"Version {v.name} wiederhergestellt (Stand davor gesichert als {kept.name if kept else '–'}).")

# --- Berichtsstände: only here, after login, can editions be frozen, named and deleted (public pages only read them)
st.subheader("Berichtsstände (Ausgaben)")
st.markdown("Den veröffentlichten Stand für eine Sitzung einfrieren: alle öffentlichen Werte, Status der Indikatoren "
            "und Leitziele, Prüfsumme der Datenbank. Die Seite „Sitzungspaket & Berichtsstände“ zeigt die Ausgaben "
            "und vergleicht sie („Seit der letzten Sitzung“).")
with st.form("ausgabe_einfrieren"):
    ed_name = st.text_input("Name der Ausgabe", placeholder="z. B. Integrationsrat 12.03.2027", key="ausgabe_name")
    ed_stand = st.date_input("Berichtsstand", value=dt.date.today(), max_value=dt.date.today(), format="DD.MM.YYYY",
                             key="ausgabe_stand")
    if st.form_submit_button("Ausgabe einfrieren"):
        if not ed_name.strip():
            st.warning("Bitte einen Namen für die Ausgabe angeben.")
        else:
            try:
                frozen = editions.freeze(ui.runner(), ed_name, ed_stand)
            except editions.EditionError as exc:
                st.warning(str(exc))
            else:
                st.success(f"Ausgabe „{frozen.name}“ eingefroren ({formatting.number(len(frozen.observations))} "
                           "Werte).")
for e in reversed(editions.list_editions()):
    cols = st.columns([4, 1])
    cols[0].write(f"{e['name']} · Berichtsstand {formatting.date(dt.date.fromisoformat(e['berichtsstand']))} · "
                  f"{formatting.number(e['observations'])} Werte")
    if cols[1].button("Löschen", key=f"ausgabe_loeschen_{e['slug']}"):
        editions.delete(e["slug"])
        st.success(f"Ausgabe „{e['name']}“ gelöscht.")
        st.rerun()
