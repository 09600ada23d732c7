"""Sitzungspaket & Berichtsstände: Paket (PDF/PowerPoint/Excel) erzeugen, eingefrorene Ausgaben lesen und
vergleichen (Einfrieren und Löschen nur in der Datenpflege), Link und Zitierzeile zu jeder Ansicht."""

import datetime as dt
from functools import partial

import streamlit as st

from integrationsmonitor import formatting
from integrationsmonitor.exports import citation, editions
from integrationsmonitor.exports.xlsx_workbook import build_comparison_workbook
from integrationsmonitor.serving import ui
from integrationsmonitor.views import index

ui.ensure_app_navigation()

st.title("Sitzungspaket & Berichtsstände")
runner = ui.runner()

# --- 1. Sitzungspaket -------------------------------------------------------------------------------------------
st.header("Sitzungspaket")
ui.warm_package_renderer()  # chromium starts now, not on the click
st.markdown("Ein Klick erzeugt ein ZIP mit **PDF-Bericht**, **PowerPoint-Folien** (16:9, eine Folie je Abbildung, "
            "Lesehilfe in den Notizen) und **Excel-Tabellen** (eine Tabelle je Abbildung). Aus einer eingefrorenen "
            "Ausgabe entsteht immer dasselbe Paket, mit dem Vergleich zur Ausgabe davor. Dauer: beim ersten Abruf je "
            "Datenstand, Ausgabe und Bezirksauswahl einige Sekunden, danach sofort; es wird immer nur ein Paket "
            "gleichzeitig erzeugt.")
districts = ui.query("paket_stadtbezirke")
district_names = dict(zip(districts["id"], districts["name"], strict=True))
chosen = st.multiselect("Stadtbezirksprofile im Paket", list(district_names), default=[],
                        format_func=lambda b: f"{district_names[b]} ({b})", placeholder="Bitte wählen …",
                        key="paket_bezirke")
stand = formatting.date(ui.query("build_manifest")["status_date"].iloc[0])
package_editions = {"": "aktueller Datenstand (keine eingefrorene Ausgabe)"} | {
    e["slug"]: f"Ausgabe „{e['name']}“ (Berichtsstand {formatting.date(dt.date.fromisoformat(e['berichtsstand']))})"
    for e in reversed(editions.list_editions())}
paket_ausgabe = st.selectbox("Datenstand des Pakets", list(package_editions), format_func=package_editions.get,
                             key="paket_ausgabe")


st.download_button("📦 Sitzungspaket erzeugen und herunterladen",
                   data=partial(ui.package_zip, tuple(chosen), paket_ausgabe or None), type="primary",
                   file_name=f"Integrationsmonitor_Hagen_Sitzungspaket_{paket_ausgabe or stand}.zip",
                   mime="application/zip",
                   on_click="ignore", key="paket_download")
st.caption("Für geplante Läufe: `python -m integrationsmonitor paket --out paket.zip --bezirke SB1,SB2` "
           "(`--ausgabe <Name>` für eine eingefrorene Ausgabe)")

# --- 2. Berichtsstände --------------------------------------------------------------------------------------------
st.header("Berichtsstände (Ausgaben)")
st.markdown("Eingefrorene Stände des Monitors für die Sitzungen. Einfrieren, benennen und löschen kann nur die "
            "Statistikstelle (nach Anmeldung in der **Datenpflege**); hier werden sie nur gelesen und verglichen.")
listed = editions.list_editions()
if not listed:
    st.info("Noch keine Ausgabe eingefroren.")
else:
    st.dataframe(
        [{"Name": e["name"], "Berichtsstand": formatting.date(dt.date.fromisoformat(e["berichtsstand"])),
          "Werte": e["observations"], "erstellt": e["created_at"][:19].replace("T", " "),
          "Datenbank-SHA256": e["db_sha256"][:16] + "…"} for e in listed],
        hide_index=True, width="stretch")

# --- 3. Seit der letzten Sitzung ---------------------------------------------------------------------------------
st.header("Seit der letzten Sitzung")
if len(listed) < 2:
    st.info("Für einen Vergleich braucht es mindestens zwei Ausgaben.")
else:
    labels = {e["slug"]: f"{e['name']} ({formatting.date(dt.date.fromisoformat(e['berichtsstand']))})"
              for e in listed}
    slugs = list(labels)
    c1, c2 = st.columns(2)
    a = c1.selectbox("Frühere Ausgabe", slugs, index=len(slugs) - 2, format_func=labels.get, key="vergleich_a")
    b = c2.selectbox("Spätere Ausgabe", slugs, index=len(slugs) - 1, format_func=labels.get, key="vergleich_b")
    d = editions.diff(editions.load(a), editions.load(b))
    cols = st.columns(len(d.counts()))
    for col, (what, n) in zip(cols, d.counts().items(), strict=True):
        col.metric(what, formatting.number(n))
    if d.empty:
        st.markdown("Zwischen den beiden Ausgaben hat sich nichts geändert.")
    explanations = editions.explain_status_changes(d)
    if explanations:
        st.subheader("Warum sich der Status von Leitzielen geändert hat")
        st.markdown("\n".join(f"- {line}" for line in explanations))
    frames = editions.diff_frames(d)
    st.download_button("⬇️ Vergleich als Excel-Datei (XLSX)",
                       data=partial(build_comparison_workbook, editions.comparison_line(d), d.counts(), frames),
                       file_name=f"Integrationsmonitor_Hagen_Vergleich_{a}_{b}.xlsx", mime=ui.XLSX_MIME,
                       on_click="ignore", key="vergleich_download")
    for title, frame in frames.items():
        if len(frame):
            st.subheader(title)
            if title == "Revidierte Werte":
                st.caption("⚑ revidiert: derselbe Wert (Indikator, Gebiet, Stichtag, Staatsangehörigkeit, Quelle) "
                           "wurde nachträglich geändert.")
            st.dataframe(frame, hide_index=True, width="stretch")

# --- 4. Link und Zitierzeile -------------------------------------------------------------------------------------
st.header("Link und Zitierzeile")
PAGE_NAMES = {"uebersicht": "Übersicht", "leitziele": "Leitziele", "quartiere": "Quartiere",
              "suedosteuropa": "Südosteuropa (EU-2)"}
titles = {key: f"{ui.view(key, **spec.example).title} ({PAGE_NAMES.get(spec.page, spec.page)})"
          for key, spec in sorted(index.VIEWS.items(), key=lambda kv: (kv[1].page, kv[0]))}
key = st.selectbox("Ansicht", list(titles), index=None, format_func=titles.get, placeholder="Bitte wählen …",
                   key="zitat_ansicht")
base = ui.public_base_url()
if key:
    result = ui.view(key, **index.VIEWS[key].example)
    st.markdown(f"**{result.title}**")
    st.markdown("Link (zum Kopieren):")
    st.code(citation.view_link(result, base), language=None)
    st.markdown("Zitierzeile:")
    st.code(citation.view_citation(result, base), language=None, wrap_lines=True)
    st.caption(f"Adresse: {base} – "
               + ("eingestellt über IMH_BASIS_URL." if ui.base_url_configured() else
                  "die Adresse, unter der dieser Browser das Dashboard erreicht (IMH_BASIS_URL ist nicht gesetzt)."))
