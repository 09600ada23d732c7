"""Public wording of source names and delivery notes (no Streamlit).

Deliveries name their sources the way the collector noted them ("Stadt Dortmund (spokesperson, via WAZ)",
"… (via Wikipedia infobox mirror)", "Beispieldaten (erzeugt mit integrationsmonitor.example_data, Seed …)") and
write English working notes ("APPROXIMATE: …", "YEAR INFERRED …"). Charts, tables, source lines and exports show
the public form computed here; the original wording stays in the database and on the page "Daten & Methodik".
"""

from __future__ import annotations

import re

#: whole-source rewrites (checked first, in order)
_SOURCE_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bBeispieldaten \((erzeugt|generated)[^()]*\)"), "Beispieldaten"),
    (re.compile(r"source not explicit \(IT\.NRW or city register\)", re.I),
     "Quelle nicht genannt (IT.NRW oder Melderegister)"),
)
#: parts inside a source's parentheses that are working notes, not a public source
_INTERNAL_PARTS = re.compile(r"^(spokesperson|press office|via wikipedia.*|wikipedia.*|mirror)$", re.I)
_PAREN = re.compile(r"(\s*)\(([^()]*)\)")
_TRAILING_VIA = re.compile(r"\s+via\s+(.+)$", re.I)


def _public_part(part: str) -> str | None:
    part = part.strip()
    if not part or _INTERNAL_PARTS.match(part):
        return None
    via = re.match(r"^via\s+(.+)$", part, re.I)
    return f"laut {via.group(1).strip()}" if via else part


def _rewrite_parens(match: re.Match[str]) -> str:
    raw = match.group(2).split(",")
    parts = [_public_part(x) for x in raw]
    if parts == [x.strip() or None for x in raw]:
        return match.group(0)  # nothing internal in these parentheses: leave them exactly as they are
    kept = [p for p in parts if p]
    return f"{match.group(1)}({', '.join(kept)})" if kept else ""


def public_source(source: str | None) -> str:
    """'Stadt Dortmund (spokesperson, via WAZ)' → 'Stadt Dortmund (laut WAZ)';
    'IT.NRW Bevölkerungsfortschreibung (via Wikipedia infobox mirror)' → 'IT.NRW Bevölkerungsfortschreibung';
    'Beispieldaten (erzeugt mit …, Seed 20261125)' → 'Beispieldaten'. Several sources joined by '; ' each."""
    if source is None:
        return ""
    if "; " in source:
        return "; ".join(dict.fromkeys(public_source(s) for s in source.split("; ")))
    return _TRAILING_VIA.sub(lambda m: f", laut {m.group(1).strip()}", public_text(source.strip()))


def public_text(text: str) -> str:
    """The same rewrites inside any text (sentence, footnote, legend entry): source names in parentheses lose
    their working notes; everything else stays as it is."""
    for pattern, replacement in _SOURCE_REWRITES:
        text = pattern.sub(replacement, text)
    text = _PAREN.sub(_rewrite_parens, text)
    text = re.sub(r"\)\s+via\s+", "), laut ", text)
    text = re.sub(r"\bvia (WP|WAZ|RP Online)\b", r"laut \1", text)
    return re.sub(r" {2,}", " ", text)


#: markers of the delivery notes → German (in the order shown)
NOTE_MARKERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bAPPROXIMATE\b"), "ca."),
    (re.compile(r"\bROUNDED\b|\bappear rounded\b", re.I), "gerundet"),
    (re.compile(r"\bYEAR INFERRED\b"), "Jahr erschlossen"),
    (re.compile(r"\bDATE IS THE ARTICLE'?S\b"), "Stichtag = Erscheinungsdatum des Artikels"),
    (re.compile(r"\bsame date caveat\b|\bday not given\b|\bexact date not given\b", re.I), "Stichtag ungenau"),
    (re.compile(r"\bRO\+BG combined\b|\bRO\+BG together\b", re.I), "Summe RO+BG (nicht getrennt)"),
)
_QUOTED = re.compile(r"\"([^\"]{2,80})\"")


def public_note(note: str | None, *, derived: bool = False) -> str:
    """A delivery note as the public reads it: its markers in German and its quotations from the source
    (German wording, in „…“); English working remarks are left out (they stay on the methodology page).
    'APPROXIMATE: "etwa 1200 Bulgaren" (…)' → 'ca.; „etwa 1200 Bulgaren“'."""
    if derived:
        return "Summe aus RO und BG"
    text = note or ""
    parts = [word for pattern, word in NOTE_MARKERS if pattern.search(text)]
    parts += [f"„{q.strip()}“" for q in _QUOTED.findall(text)]
    return "; ".join(dict.fromkeys(parts))
