"""Präsentationsmodus: eine benannte Folge gespeicherter Ansichten, groß und kontrastreich, ohne Seitenleiste.

URL: ?folge=<name>&folie=<n>. Weiter/Zurück mit den Schaltflächen oder den Pfeiltasten (← →). Jede Folie passt
ohne Scrollen auf 1.280 × 720 und 1.920 × 1.080: das Diagramm füllt die Höhe, die Titel, Quellenzeile und
Navigation übrig lassen (CSS ``presentation.SLIDE_CSS``).
"""

import streamlit as st

from integrationsmonitor import urlparams
from integrationsmonitor.exports import presentation
from integrationsmonitor.serving import chrome, ui

ui.ensure_app_navigation()

st.html(presentation.SLIDE_CSS)

sequences = presentation.load_sequences()
top = st.container()
if not sequences:
    st.warning("Es sind keine Präsentationsfolgen hinterlegt (data/catalog/praesentationen.yaml).")
    st.markdown("[🏠 Zum Dashboard](uebersicht)")
    ui.stop_page()
names = list(sequences)
raw_name = st.query_params.get("folge")
name = raw_name if raw_name in sequences else names[0]
if raw_name is not None and raw_name not in sequences:
    st.warning(f"Die Folge „{urlparams.echo(raw_name)}“ gibt es nicht – gezeigt wird „{sequences[name].title}“. "
               f"Vorhanden: {', '.join(names)}.")
seq = sequences[name]
if not seq.slides:
    st.warning(f"Die Folge „{seq.title}“ enthält keine vorhandenen Ansichten.")
    st.markdown("[🏠 Zum Dashboard](uebersicht)")
    ui.stop_page()
index, problem = presentation.parse_slide_number(st.query_params.get("folie"), len(seq.slides))
if problem:
    st.warning(problem)


def _go(step: int) -> None:
    new = min(max(index + step, 0), len(seq.slides) - 1)
    st.query_params["folge"] = name
    st.query_params["folie"] = str(new + 1)


slide = seq.slides[index]
result = ui.view(slide.key, **slide.params)
with top:
    st.title(result.title)
if result.example_data:
    st.markdown("**BEISPIELDATEN – keine amtlichen Zahlen**")
with st.container(key="folie_inhalt"):
    if result.figure is not None:
        with st.container(key=f"diagramm_folie_{index}"):
            st.plotly_chart(presentation.projector_figure(result.figure), width="stretch", height="stretch",
                            key=f"folie_{name}_{index}", theme=None, config=chrome.chart_config(displayModeBar=False),
                            alt=f"Diagramm: {result.title}")
            with st.container(key=f"lesehilfe_folie_{index}"):
                st.markdown(result.sentence)
    else:
        st.markdown(result.sentence)
        if len(result.table):
            st.dataframe(result.table, hide_index=True, width="stretch", height="stretch")
st.markdown(result.source_line)
with st.container(key="folie_navigation"):
    left, middle, right, leave = st.columns([1, 3, 1, 1.2], vertical_alignment="center")
left.button("◀ Zurück", key="zurueck", on_click=_go, args=(-1,), disabled=index == 0, shortcut="ArrowLeft")
middle.markdown(f"**{seq.title}** · Folie {index + 1} von {len(seq.slides)}")
right.button("Weiter ▶", key="weiter", on_click=_go, args=(1,), disabled=index == len(seq.slides) - 1,
             shortcut="ArrowRight")
with leave.container(key="folie_beenden"):
    st.markdown("[✖ Präsentation beenden](uebersicht)")  # a link, so the page also runs without app.py
for note in seq.skipped:
    st.caption(note)
