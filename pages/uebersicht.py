"""Übersicht (start page): status of the Leitziele per Handlungsfeld and block, headline figures, changes.

The status chart comes first (the question the page answers) and is sent first: the introduction above it is
filled in after it; on the session's first view everything below it follows only once the browser has drawn it
(serving/progressive.py); the block tables and the chart's data table only when their expander is opened — so the
browser draws the first chart before anything else it has to build."""

import pandas as pd
import streamlit as st

from integrationsmonitor import formatting, status, urlparams, wording
from integrationsmonitor.serving import chrome, progressive, ui
from integrationsmonitor.views import leitziele as tables

ui.ensure_app_navigation()

st.title("📊 Integrationsmonitor Hagen")
intro = st.container()  # filled right after the status chart: shown above it, sent after it


def _date(value) -> str:
    return formatting.date(None if pd.isna(value) else pd.Timestamp(value).date())


# --- Status je Handlungsfeld: Zählungen, nie ein Mittelwert
st.header("Status der Leitziele")
catalog = ui.query("leitziel_status_liste")
fields = list(dict.fromkeys(catalog["handlungsfeld_id"]))
hf_names = dict(zip(catalog["handlungsfeld_id"], catalog["handlungsfeld"], strict=False))
hf, warning = urlparams.pick(st.query_params.get("handlungsfeld"), ["alle", *fields], "alle", name="Handlungsfeld")
if warning:
    st.warning(warning, icon="⚠️")
options = ["alle", *fields]
hf = st.radio("Diagramm für", options, index=options.index(hf), horizontal=True,
              format_func=lambda k: "alle Handlungsfelder" if k == "alle" else hf_names[k])
ui.write_url("handlungsfeld", hf)
result = ui.view("status_uebersicht", handlungsfeld=None if hf == "alle" else hf)
whole = not progressive.holds_back(result)  # False: the session's first view, only the chart and its own text
ui.show_view(result, extras=whole)
with intro:
    st.caption("Wie weit ist Hagen bei den 27 Leitzielen des Integrationskonzepts? Status je Handlungsfeld und "
               "Block, Kennzahlen und Veränderungen seit dem letzten Stand.")
    chrome.easy_language(body=whole)
progressive.chart_first(result)  # the session's first view: the rest follows once the chart is drawn

cards = st.columns(len(fields))
for card, field in zip(cards, fields, strict=True):
    part = catalog[catalog["handlungsfeld_id"] == field]
    counts = part["category"].value_counts()
    lines = [f"**{len(part)} Leitziele in {part['block_id'].nunique()} Blöcken**"]
    lines += [f"{status.CATEGORY_ICON[cat]} {status.CATEGORY_LABEL[cat]}: **{int(counts.get(cat, 0))}**"
              for cat in status.CATEGORY_ORDER]
    lines.append(f"[🎯 Leitziele {hf_names[field]} ansehen](leitziele?handlungsfeld={field})")
    with card, st.container(border=True):  # one text element per card: less for the browser to build
        st.subheader(hf_names[field])
        st.markdown("  \n".join(lines))

st.subheader("Leitziele je Block")
for number, (block, part) in enumerate(catalog[catalog["handlungsfeld_id"].isin(
        fields if hf == "alle" else [hf])].groupby(["handlungsfeld", "block"], sort=False)):
    expander = st.expander(f"{block[0]} · {block[1]} – " + ", ".join(
        f"{status.CATEGORY_ICON[c]} {n}" for c, n in part["category"].value_counts().items()),
        key=f"block_{number}_{part['block_id'].iloc[0]}", on_change="rerun")
    if expander.open:
        expander.dataframe(pd.DataFrame({
            "Leitziel": part["leitziel_id"],
            "Status": [f"{status.CATEGORY_ICON[c]} {lbl}" for c, lbl in zip(part["category"], part["label"],
                                                                             strict=True)],
            "Beispieldaten": ["ja" if e else "nein" for e in part["is_example"]],
            "Wortlaut": part["text"],
        }), hide_index=True, width="stretch")

# --- Kennzahlen für Hagen (veröffentlichte Zahlen bevorzugt, Quelle und Stand sichtbar)
st.header("Hagen in Zahlen")
figures = ui.query("uebersicht_kennzahlen")
cols = st.columns(3)
for col, (ind, part) in zip(cols, figures.groupby("indicator_id", sort=False), strict=False):
    real = part[~part["is_example"]]
    example = part[part["is_example"]]
    main = real.iloc[0] if not real.empty else example.iloc[0]
    with col, st.container(border=True):
        text = formatting.value_with_unit(main["value"], main["unit"], approx=bool(main["is_approx"]),
                                          suppressed=bool(main["suppressed"]))
        st.metric(main["indicator_name"], text)
        marks = [m for m, on in (("gerundet", main["is_rounded"]), ("Datum unsicher", main["date_uncertain"]),
                                 ("Summe RO + BG", main["is_derived"] and ind == "eu2_bestand")) if on]
        st.caption(f"Quelle: {wording.public_source(main['source'])} · Stand: {_date(main['period'])}"
                   + (f" · {', '.join(marks)}" if marks else "")
                   + (" · BEISPIELDATEN" if main["is_example"] else ""))
        if not real.empty and not example.empty:
            ex = example.iloc[0]
            st.caption(f"🧪 Beispieldaten (Fortschreibung, keine amtliche Zahl): "
                       f"{formatting.value_with_unit(ex['value'], ex['unit'])} · Stand: {_date(ex['period'])}")

# --- Was hat sich seit dem letzten Stand geändert?
st.header("Was hat sich seit dem letzten Stand geändert?")
changes = ui.query("uebersicht_veraenderungen")
current = tables.is_current(changes)
st.markdown("Je Indikator und Quelle der letzte Wert gegen den vorherigen Stichtag derselben Reihe (Quellen werden "
            "nicht gemischt), die jüngsten Stichtage zuerst. Zeilen mit „Beispieldaten“ sind keine amtlichen Zahlen.")
table = tables.veraenderungen(changes[current])
ui.html_table(table, "Veränderungen seit dem vorherigen Stichtag")
older = tables.veraenderungen(changes[~current])
if len(older):
    with st.expander(f"Ältere Reihen ohne neueren Wert ({len(older)})"):
        st.caption("Diese Reihen enden mehr als ein Jahr vor dem jüngsten Stichtag – ihre letzte Veränderung ist "
                   "keine Neuigkeit.")
        ui.html_table(older, "Ältere Reihen ohne neueren Wert")
ui.download_buttons(tables.veraenderungen(changes), "veraenderungen", sheet="Veränderungen",
                    labels=("Tabelle als CSV", "Tabelle als XLSX"), columns=st.columns(2))
