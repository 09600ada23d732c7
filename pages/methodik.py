"""Daten & Methodik: sources, indicator definitions, status rule, confidentiality, example data, manifest."""

import pandas as pd
import streamlit as st

from integrationsmonitor import formatting, status, wording
from integrationsmonitor.build import audit
from integrationsmonitor.serving import ui

ui.ensure_app_navigation()


def _date(value) -> str:
    return formatting.date(None if pd.isna(value) else pd.Timestamp(value).date())


def show_table(table: pd.DataFrame, name: str) -> None:
    """A table and its two downloads (CSV for German spreadsheets, XLSX)."""
    st.dataframe(table, hide_index=True, width="stretch")
    ui.download_buttons(table, name)


st.title("📚 Daten & Methodik")
st.caption("Woher die Zahlen kommen, wie der Status entsteht, was geheim gehalten wird und welche Zahlen "
           "Beispieldaten sind.")

st.header("Quellen")
sources = ui.query("methodik_quellen")
show_table(pd.DataFrame({
    "Datei": sources["path"], "Titel": sources["title"].fillna("–"), "Herausgeber": sources["publisher"].fillna("–"),
    "Quelle (je Zeile)": sources["source"].fillna("–"),
    "Stand": [_date(p) if not pd.isna(p) else (s or "–") for p, s in
              zip(sources["latest_period"], sources["stand_file"], strict=True)],
    "Zeitraum ab": [_date(p) for p in sources["first_period"]],
    "Werte": sources["rows"].fillna(0).astype(int),
    "Lizenz": sources["licence"].fillna("–"), "Namensnennung": sources["attribution"].fillna("–"),
    "Beispieldaten": ["🧪 ja" if e else "nein" for e in sources["is_example"]],
}), "quellen")
st.markdown("Stand = jüngster Stichtag der Werte dieser Quelle. Quellen sind eine eigene Dimension: das "
            "Melderegister der Stadt und die Ausländerstatistik von IT.NRW zählen verschieden und werden nie zu "
            "einer Reihe verbunden. „ca.“-Werte, gerundete Werte und unsichere Stichtage sind gekennzeichnet.")

st.subheader("Anmerkungen der Lieferungen im Wortlaut")
st.markdown("Die Seiten zeigen Quellen ohne Arbeitsnotizen (z. B. „Stadt Dortmund (laut WAZ)“ statt „… "
            "(spokesperson, via WAZ)“) und die Hinweise der Lieferungen übersetzt („ca.“, „Jahr erschlossen“, "
            "„gerundet“). Hier stehen beide im Original, zur Nachprüfung.")
remarks = ui.query("methodik_anmerkungen")
show_table(pd.DataFrame({
    "Beleg": remarks["figure_id"].fillna("–"), "Indikator": remarks["indicator_name"], "Gebiet": remarks["area_name"],
    "Stichtag": [_date(p) for p in remarks["period"]], "Staatsangehörigkeit": remarks["nationality"],
    "Quelle (Original)": remarks["source"], "Quelle (angezeigt)": [wording.public_source(s) for s in remarks["source"]],
    "Anmerkung (Original)": remarks["note"], "Anmerkung (angezeigt)": [wording.public_note(n) for n in remarks["note"]],
}), "anmerkungen")

st.header("Wahlen und Karten")
elections = ui.query("methodik_wahlen")
if not elections.empty:
    show_table(pd.DataFrame({
        "Wahl": [f"{k} {_date(d)}" for k, d in zip(elections["kind_label"], elections["election_date"], strict=True)],
        "Veröffentlicht als": elections["name"], "Standard": "Offene Wahldaten " + elections["version"],
        "Stimmbezirke": elections["stimmbezirke"],
        "Stimmbezirksgrenzen": [g or "–" for g in elections["geometry_file"]],
        "Briefwahl je Stadtbezirk": ["ja" if a else "nur Stadt" for a in elections["postal_assignable"]],
        "Zurechnung der Briefwahl": elections["postal_note"], "Hinweise": elections["notes"].fillna(""),
    }), "wahlen")
st.markdown(
    "Wahlbeteiligung = Wählende je 100 Wahlberechtigte, je Wahlart ein eigener Indikator (nur Gleiches mit "
    "Gleichem: Kommunalwahl mit Kommunalwahl). Briefwählende werden in eigenen Briefwahlbezirken gezählt; sie "
    "werden wie beim Wahlamt über die Briefwahlbezirke den Stadtbezirken ihrer Urnenwahlbezirke zugerechnet "
    "(Wahlgebietseinteilung). Wo das nicht geht (mehr als 5 % der Briefwählenden in Briefwahlbezirken über "
    "Stadtbezirksgrenzen, oder keine Zuordnung in der Einteilung – Bundestagswahl 2021, Europawahl 2019), gibt es "
    "die Beteiligung einschließlich Briefwahl nur für die Stadt; je Stadtbezirk und Stimmbezirk wird dann die "
    "**Beteiligung im Wahllokal** gezeigt und so genannt. Umfasst ein Briefwahlbezirk wenige Urnenwahlbezirke "
    "zweier Stadtbezirke, wird er anteilig nach den Wahlberechtigten mit Wahlscheinvermerk (A2) verteilt (Wert mit "
    "„ca.“). Wahlergebnisse sind veröffentlichte Zahlen: keine Geheimhaltung, und sie werden nie mit vertraulichen "
    "Fallzahlen verrechnet. Stimmbezirke ändern sich zwischen Wahlen – jede Wahl hat ihre eigene Gebietsmenge, "
    "Zeitreihen gibt es nur für Stadt und Stadtbezirke. Zuordnung Stimmbezirk → Stadtbezirk: die Einteilung der "
    "Stadt (die erste Ziffer der Nummer nur, wo die Einteilung keine Stadtbezirke nennt; Abweichungen sind oben "
    "vermerkt).")
st.markdown(
    "Karten: Stadtgrenze „© GeoBasis-DE / BKG 2013 (Daten verändert)“ (Datenlizenz Deutschland – Namensnennung – "
    "2.0); Grenzen der Stadtbezirke und Stimmbezirke „Stadt Hagen, über github.com/fhswf/wahlkarte (MPL-2.0)“, "
    "Zuordnung über die Bezirksnummer, einmal beim Build mit gemeinsamen Grenzen vereinfacht. Nur ohne "
    "Grenzdatei zeigt der Monitor eine schematische Einteilung (dann mit dem Hinweis „Schematische Darstellung“).")
st.markdown(
    "Beispieldaten und echte Wahldaten: Die Wahlberechtigten der Bundestagswahl 2021 (Deutsche ab 18 Jahren) je "
    "Stadtbezirk sind eine Untergrenze für die deutschen Einwohner:innen ab 18 Jahren am 31.12.2021; die "
    "Beispieldaten halten sie ein (Test). Europawahl (mit EU-Bürger:innen) und Kommunalwahl (ab 16 Jahren, mit "
    "EU-Bürger:innen) taugen nicht als solche Untergrenze; andere Jahre und Altersgruppen lassen sich mit "
    "Wahldaten nicht prüfen.")

st.header("Indikatoren")
ind = ui.query("methodik_indikatoren")
show_table(pd.DataFrame({
    "ID": ind["indicator_id"], "Indikator": ind["name"],
    "Art": ind["type"].map({"E": "Ergebnis", "U": "Umsetzung", "K": "Kontext"}),
    "Einheit": ind["unit"], "gewünschte Richtung": ind["direction"], "Definition": ind["definition"],
    "Quelle": ind["source"], "Datenhalter": ind["holder"], "Raumebene": ind["spatial_level"],
    "Turnus": ind["update_cycle"], "Leitziele": ind["leitziele"].fillna(""),
    "Werte": ind["observations"], "davon Beispieldaten": ind["example_observations"],
    "Datenlücke": ind["data_gap"],
}), "indikatoren")

st.header("Statusregel")
st.markdown("Der Status wird bei jedem Datenstand neu berechnet und immer mit Symbol **und** Wort gezeigt, "
            "nie nur mit einer Farbe:")
st.markdown("\n".join(f"- {status.CATEGORY_ICON[c]} **{status.CATEGORY_LABEL[c]}**" for c in status.CATEGORY_ORDER))
rules = pd.DataFrame({"Regel": list(status.RULE_TEXT), "Beschreibung": list(status.RULE_TEXT.values())})
show_table(rules, "statusregel")
st.markdown(
    "Ehrliche Zustände: **kein Zielwert beschlossen** (dann zählt nur die Entwicklung), **Frist abgelaufen** "
    "(Ziel bis zur Frist nicht erreicht), **nur Umsetzungsdaten** (kein Ergebnisindikator mit Daten), "
    "**keine Daten**. Ein Leitziel übernimmt den *schlechtesten* Status seiner Ergebnisindikatoren (sonst seiner "
    "Umsetzungsindikatoren); je Block und Handlungsfeld werden die Zustände **gezählt** – ein Mittelwert, der ein "
    f"rotes Leitziel verdecken könnte, wird nie gebildet. Schwellen: Verhältnis ≥ {status.RATIO_ON_TRACK:.0%} auf "
    f"Kurs, ≥ {status.RATIO_SLOW:.0%} zu langsam; Trend ±{status.TREND_THRESHOLD:.0%} je Jahr über die letzten "
    f"höchstens {status.TREND_WINDOW} Werte.".replace("%", "\u00a0%"))

st.header("Geheimhaltung")
manifest = ui.query("build_manifest").iloc[0]
threshold = int(manifest["suppression_threshold"])
st.markdown(
    f"Fallzahlen unter **{threshold}** werden in jeder Ansicht – Karte, Tabelle, Profil, Export – geheim gehalten "
    f"und als **„{formatting.SUPPRESSED}“** gezeigt (nie als 0). Wo eine Zelle aus einer Summe zurückgerechnet "
    "werden könnte, wird eine zweite Zelle geheim gehalten. Anteile mit kleinem Nenner (unter "
    f"{int(manifest['small_denominator'])}) werden als unsicher gekennzeichnet.")
st.markdown(audit.method_text(threshold, int(manifest["protection_range"])))
secret = ui.query("methodik_geheimhaltung")
show_table(pd.DataFrame({"Indikator": secret["indicator_name"], "geheim gehaltene Zellen": secret["suppressed_cells"],
                         "unsichere Anteile": secret["uncertain_cells"]}), "geheimhaltung")

st.header("Beispieldaten")
st.warning("Wo keine veröffentlichten Zahlen vorliegen, zeigt der Monitor **Beispieldaten**: reproduzierbar erzeugt, "
           "an den veröffentlichten Gesamtzahlen ausgerichtet und überall als „Beispieldaten“ gekennzeichnet "
           "(gestrichelte Linien, Hinweis unter jedem Diagramm). Sie sind keine amtlichen Zahlen.", icon="🧪")
examples = ui.query("methodik_beispieldaten")
show_table(pd.DataFrame({
    "Indikator": examples["indicator_name"], "Quelle": examples["source"], "Werte": examples["rows"],
    "Gebiete": examples["areas"], "von": [_date(p) for p in examples["first_period"]],
    "bis": [_date(p) for p in examples["latest_period"]],
}), "beispieldaten")

st.subheader("Echt oder Beispiel – je Indikator und Raumebene")
st.markdown("Wo für einen Indikator, ein Gebiet und eine Staatsangehörigkeit echte Zahlen vorliegen (veröffentlicht "
            "oder aus einer amtlichen Tabelle), nimmt der Build die gelieferten Beispielwerte derselben Reihe heraus "
            "– eine Beispielreihe steht nie gleichrangig neben einer echten.")
state = ui.query("methodik_datenlage")
LEVELS = {"stadt": "Stadt", "stadtbezirk": "Stadtbezirk", "stadtteil": "Stadtteil", "land": "Land",
          "bund": "Bund", "vergleichsstadt": "kreisfreie Stadt", "kreis": "Kreis", "gemeinde": "Gemeinde",
          "keine": "–"}
show_table(pd.DataFrame({
    "Indikator": state["indicator_name"], "Raumebene": [LEVELS.get(v, v or "–") for v in state["level"]],
    "Datenlage": state["state"], "echte Werte": state["real_values"], "Gebiete mit echten Werten": state["real_areas"],
    "jüngster echter Stichtag": [_date(p) for p in state["latest_real"]], "Quellen (echt)": state["real_sources"],
    "Beispielwerte": state["example_values"], "Beispielwerte ersetzt": state["superseded_values"],
}), "datenlage")

st.header("Hinweise zum Katalog")
notes = ui.query("methodik_kataloghinweise")
for note in notes.itertuples():
    st.info(note.text, icon="ℹ️")

st.header("Build-Protokoll")
manifest = ui.query("build_manifest")
m = manifest.iloc[0]
show_table(pd.DataFrame({
    "Angabe": ["Build-ID", "erstellt am", "Schema-Version", "Programmversion", "Dauer (s)", "Status berechnet für",
               "Werte (observation)", "Bevölkerungszeilen"],
    "Wert": [m["build_id"], formatting.date(pd.Timestamp(m["built_at"]).date()) + " "
             + pd.Timestamp(m["built_at"]).strftime("%H:%M"), str(m["schema_version"]), m["package_version"],
             formatting.number(m["duration_seconds"], 1), _date(m["status_date"]),
             formatting.number(m["observations"]), formatting.number(m["population_rows"])],
}), "build_protokoll")
