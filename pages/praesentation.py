"""Präsentationsmodus: eine benannte Folge gespeicherter Ansichten, groß und kontrastreich, ohne Seitenleiste.

URL: ?folge=<name>&folie=<n>. Weiter/Zurück mit den Schaltflächen oder den Pfeiltasten (← →).
"""

import streamlit as st

from integrationsmonitor import urlparams
from integrationsmonitor.exports import presentation
from integrationsmonitor.serving import chrome, ui

ui.ensure_app_navigation()

st.html(
    """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
    [data-testid="stToolbar"] {display: none !important;}
    .block-container {padding-top: 1rem !important; max-width: 100% !important;}
    h1 {font-size: 3rem !important; color: #000 !important; line-height: 1.15 !important;}
    .stMarkdown p, [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {
        font-size: 1.6rem !important; color: #000 !important;}
    .stButton button {padding: 0.4rem 1.6rem !important; border: 2px solid #000 !important;}
    .stButton button p {font-size: 1.5rem !important; color: #000 !important;}
    </style>"""
)

sequences = presentation.load_sequences()
if not sequences:
    st.warning("Es sind keine Präsentationsfolgen hinterlegt (data/catalog/praesentationen.yaml).")
    st.stop()
names = list(sequences)
raw_name = st.query_params.get("folge")
name = raw_name if raw_name in sequences else names[0]
if raw_name is not None and raw_name not in sequences:
    st.warning(f"Die Folge „{urlparams.echo(raw_name)}“ gibt es nicht – gezeigt wird „{sequences[name].title}“. "
               f"Vorhanden: {', '.join(names)}.")
seq = sequences[name]
if not seq.slides:
    st.warning(f"Die Folge „{seq.title}“ enthält keine vorhandenen Ansichten.")
    st.stop()
index, problem = presentation.parse_slide_number(st.query_params.get("folie"), len(seq.slides))
if problem:
    st.warning(problem)


def _go(step: int) -> None:
    new = min(max(index + step, 0), len(seq.slides) - 1)
    st.query_params["folge"] = name
    st.query_params["folie"] = str(new + 1)


slide = seq.slides[index]
result = ui.view(slide.key, **slide.params)
st.title(result.title)
if result.example_data:
    st.markdown("**BEISPIELDATEN – keine amtlichen Zahlen**")
if result.figure is not None:
    with st.container(key=f"diagramm_folie_{index}"):
        st.plotly_chart(presentation.projector_figure(result.figure), width="stretch", key=f"folie_{name}_{index}",
                        theme=None, config=chrome.chart_config(displayModeBar=False),
                        alt=f"Diagramm: {result.title}")
        with st.container(key=f"lesehilfe_folie_{index}"):
            st.markdown(result.sentence)
else:
    st.markdown(result.sentence)
st.markdown(result.source_line)
left, middle, right = st.columns([1, 3, 1])
left.button("◀ Zurück", key="zurueck", on_click=_go, args=(-1,), disabled=index == 0, shortcut="ArrowLeft")
middle.markdown(f"**{seq.title}** · Folie {index + 1} von {len(seq.slides)}")
right.button("Weiter ▶", key="weiter", on_click=_go, args=(1,), disabled=index == len(seq.slides) - 1,
             shortcut="ArrowRight")
for note in seq.skipped:
    st.caption(note)
