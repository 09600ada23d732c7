// Integrationsmonitor Hagen: what the framework's markup lacks (loaded once per page by app.py, see
// integrationsmonitor/serving/chrome.py). German names for the English controls of Streamlit, Plotly and
// MapLibre; the navigation as a landmark; each chart described by its reading sentence (aria-describedby).
// Runs again on every change of the page (MutationObserver), because Streamlit re-renders elements.

const NAMES = {
  "Collapse sidebar": "Seitenleiste einklappen",
  "Expand sidebar": "Seitenleiste ausklappen",
  "Open sidebar": "Seitenleiste öffnen",
  "Close sidebar": "Seitenleiste schließen",
  "Main menu": "Hauptmenü",
  "Map": "Karte der Stadtbezirke (dieselben Werte stehen als Tabelle unter der Karte)",
  "Fullscreen": "Vollbild",
  "Close fullscreen": "Vollbild beenden",
  "Download as CSV": "Als CSV herunterladen",
  "Download": "Herunterladen",
  "Search": "Suchen",
  "Clear search": "Suche löschen",
  "Show/hide columns": "Spalten ein- oder ausblenden",
  "Add row": "Zeile hinzufügen",
  "Delete row": "Zeile löschen",
  "Open": "Öffnen",
  "Clear all": "Alles löschen",
  "Clear value": "Auswahl löschen",
  "Running...": "Wird geladen …",
  "Stop": "Anhalten",
  "Rerun": "Neu laden",
  "Show password text": "Passwort anzeigen",
  "Hide password text": "Passwort verbergen",
  "Zoom in": "Vergrößern",
  "Zoom out": "Verkleinern",
  "Reset bearing to north": "Nach Norden ausrichten",
  "Toggle attribution": "Quellenangabe ein- oder ausblenden"
};

const TEXTS = {
  "Skip to main content": "Zum Inhalt springen"
};

function apply(doc) {
  if (doc.documentElement.lang !== "de") doc.documentElement.lang = "de";
  for (const attr of ["aria-label", "title", "data-title"]) {
    doc.querySelectorAll("[" + attr + "]").forEach((el) => {
      const german = NAMES[el.getAttribute(attr)];
      if (german) el.setAttribute(attr, german);
    });
  }
  doc.querySelectorAll("a, button").forEach((el) => {
    const german = TEXTS[el.textContent.trim()];
    if (german && el.children.length === 0) el.textContent = german;
  });
  const nav = doc.querySelector(".st-key-hauptnavigation");
  if (nav && nav.getAttribute("role") !== "navigation") {
    nav.setAttribute("role", "navigation");
    nav.setAttribute("aria-label", "Seiten des Monitors");
  }
  // every chart: the reading sentence in its keyed container describes it
  doc.querySelectorAll("[class*='st-key-diagramm_']").forEach((box, i) => {
    const chart = box.querySelector("[data-testid='stPlotlyChart']");
    const sentence = box.querySelector("[class*='st-key-lesehilfe_']");
    if (!chart || !sentence) return;
    if (!sentence.id) sentence.id = "lesehilfe-" + i + "-" + Math.random().toString(36).slice(2, 8);
    if (chart.getAttribute("aria-describedby") !== sentence.id) chart.setAttribute("aria-describedby", sentence.id);
    if (!chart.getAttribute("role")) chart.setAttribute("role", "figure");
  });
}

// at most every 150 ms: Plotly adds thousands of SVG nodes while drawing, each one a mutation
let pending = null;
const later = () => {
  if (pending === null) pending = setTimeout(() => { pending = null; apply(document); }, 150);
};

if (!document.__imhObserver) {
  apply(document);
  document.__imhObserver = new MutationObserver(later);
  document.__imhObserver.observe(document.body, {subtree: true, childList: true, attributes: true,
                                                 attributeFilter: ["aria-label", "title", "data-title"]});
}
