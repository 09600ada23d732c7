"""The one list of views. Every figure the monitor shows is a ``ViewSpec`` here: its key, the function that makes
it, the page that shows it, how its parameters appear in that page's URL, and the query its numbers come from.

Pages, the committee package, presentation mode and permalinks all look a view up in ``VIEWS`` — there is no
other registry, no lookup by import side effect and no parameter guessing. To follow a figure from the URL to its
raw rows: page → ``VIEWS[key].function`` → ``queries/<VIEWS[key].query>.sql`` → public view → table → raw row
(README, "Wie eine Zahl reist").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from integrationsmonitor.config import CITY_ID
from integrationsmonitor.queries import QueryRunner
from integrationsmonitor.views import amtlich, eu2, leitziele, quartiere, stimmbezirke, vergleich
from integrationsmonitor.views.result import ViewResult

ViewFunction = Callable[..., ViewResult]

#: URL parameter that names the cited view in a permalink
VIEW_PARAM = "ansicht"


def _frozen(mapping: Mapping[str, object] | None = None) -> Mapping[str, object]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class ViewSpec:
    """One view: what makes it, where it is shown and how its parameters travel through the page's URL."""

    key: str
    function: ViewFunction
    page: str                                   # url_path of the page that shows the view
    url_params: Mapping[str, str] = field(default_factory=_frozen)  # view parameter → URL parameter of the page
    query: str = ""                             # queries/<query>.sql: where the view's numbers come from
    page_state: Mapping[str, str] = field(default_factory=_frozen)  # URL parameters the page needs to show it
    example: Mapping[str, object] = field(default_factory=_frozen)  # parameters of a typical call (tests, picker)

    def url(self, params: Mapping[str, object]) -> dict[str, object]:
        """The URL parameters (without the address) that open the page showing exactly this view."""
        unknown = set(params) - set(self.url_params)
        if unknown:
            raise KeyError(f"Ansicht {self.key!r} kennt die Parameter {sorted(unknown)} nicht")
        out: dict[str, object] = {VIEW_PARAM: self.key, **self.page_state}
        out.update({self.url_params[k]: v for k, v in params.items() if v is not None})
        return out

    def accepts(self, candidates: Mapping[str, object]) -> dict[str, object]:
        """The subset of ``candidates`` that this view takes (pages that offer the same filters to several views)."""
        return {k: v for k, v in candidates.items() if k in self.url_params}


def _spec(key: str, function: ViewFunction, page: str, query: str, url: Mapping[str, str] | None = None,
          state: Mapping[str, str] | None = None, example: Mapping[str, object] | None = None) -> ViewSpec:
    return ViewSpec(key, function, page, _frozen(url), query, _frozen(state), _frozen(example))


_SAME = {"bezirk": "bezirk", "stichtag": "stichtag", "indikator": "indikator"}

VIEWS: Mapping[str, ViewSpec] = MappingProxyType({s.key: s for s in (
    # Übersicht
    _spec("status_uebersicht", leitziele.status_uebersicht, "uebersicht", "status_zaehlung_block",
          {"handlungsfeld": "handlungsfeld"}),
    # Leitziele
    _spec("indikator_zeitreihe", leitziele.indikator_zeitreihe, "leitziele", "indikator_zeitreihe",
          {"indikator": "indikator", "gebiet": "gebiet", "ab_jahr": "ab"},
          example={"indikator": "auslaenderanteil", "gebiet": CITY_ID}),
    _spec("vergleich_migrationshintergrund", vergleich.vergleich_migrationshintergrund, "leitziele", "vergleich_reihen",
          state={"indikator": "anteil_migrationshintergrund"}),
    # Quartiere
    _spec("quartier_karte", quartiere.quartier_karte, "quartiere", "quartier_karte", _SAME, example={"bezirk": "SB1"}),
    _spec("quartier_steckbrief", quartiere.quartier_steckbrief, "quartiere", "quartier_steckbrief",
          {"bezirk": "bezirk", "stichtag": "stichtag"}, example={"bezirk": "SB2", "stichtag": "2024-12-31"}),
    _spec("quartier_zeitreihe", quartiere.quartier_zeitreihe, "quartiere", "quartier_zeitreihe",
          {"bezirk": "bezirk", "indikator": "indikator"}, example={"bezirk": "SB1"}),
    _spec("quartier_vergleich", quartiere.quartier_vergleich, "quartiere", "quartier_karte",
          {**_SAME, "vergleich": "vergleich"}, example={"bezirk": "SB1", "vergleich": "hagen"}),
    _spec("stimmbezirk_karte", stimmbezirke.stimmbezirk_karte, "quartiere", "quartier_stimmbezirk_karte",
          {"wahl": "wahl", "merkmal": "merkmal"}, state={"ebene": "stimmbezirk"},
          example={"wahl": "kommunalwahl-2025-09-14"}),
    _spec("stimmbezirk_steckbrief", stimmbezirke.stimmbezirk_steckbrief, "quartiere", "quartier_stimmbezirk_steckbrief",
          {"wahl": "wahl", "stimmbezirk": "stimmbezirk"}, state={"ebene": "stimmbezirk"},
          example={"wahl": "kommunalwahl-2025-09-14", "stimmbezirk": "kommunalwahl-2025-09-14-1011"}),
    # Südosteuropa (EU-2)
    _spec("eu2_stadt_quellen", eu2.eu2_stadt_quellen, "suedosteuropa", "eu2_stadt_quellen"),
    _spec("eu2_bezirke_zeitreihe", eu2.eu2_bezirke_zeitreihe, "suedosteuropa", "eu2_bezirke",
          {"bezirk": "bezirk"}, state={"vergleich": "hagen"}, example={"bezirk": "SB1"}),
    _spec("eu2_anteil_bezirke", eu2.eu2_anteil_bezirke, "suedosteuropa", "eu2_bezirke",
          {"stichtag": "stichtag", "bezirk": "bezirk"}, state={"vergleich": "bezirk"}, example={"bezirk": "SB2"}),
    _spec("eu2_fluktuation", eu2.eu2_fluktuation, "suedosteuropa", "eu2_bezirke", {"stichtag": "stichtag"}),
    _spec("eu2_altersstruktur", eu2.eu2_altersstruktur, "suedosteuropa", "eu2_altersstruktur",
          {"bezirk": "bezirk", "stichtag": "stichtag"}, example={"bezirk": "SB1"}),
    _spec("eu2_leitziele", eu2.eu2_leitziele, "suedosteuropa", "eu2_leitziele"),
    _spec("vergleich_eu2_staedte", vergleich.vergleich_eu2_staedte, "suedosteuropa", "vergleich_reihen",
          state={"vergleich": "vergleichsstaedte"}),
    _spec("vergleich_eu2_index", vergleich.vergleich_eu2_index, "suedosteuropa", "vergleich_reihen",
          state={"vergleich": "vergleichsstaedte"}),
    _spec("vergleich_eu2_nrw", vergleich.vergleich_eu2_nrw, "suedosteuropa", "vergleich_reihen",
          state={"vergleich": "nrw"}),
    _spec("vergleich_auslaender_nrw", vergleich.vergleich_auslaender_nrw, "suedosteuropa", "vergleich_reihen",
          state={"vergleich": "nrw"}),
    # amtliche Tabellen (GENESIS): eine Tabelle, ein Stichtag, eine Quelle
    _spec("vergleich_amtliche_bevoelkerung", amtlich.vergleich_amtliche_bevoelkerung, "suedosteuropa",
          "vergleich_amtlich", {"gruppe": "gruppe"}, state={"vergleich": "nrw"}, example={"gruppe": "ruhr"}),
    _spec("vergleich_eu2_anteil_amtlich", amtlich.vergleich_eu2_anteil_amtlich, "suedosteuropa",
          "vergleich_eu2_amtlich", state={"vergleich": "vergleichsstaedte"}),
)})


def spec(key: str) -> ViewSpec:
    """The spec of a view; a German KeyError for an unknown key."""
    try:
        return VIEWS[key]
    except KeyError:
        raise KeyError(f"unbekannte Ansicht {key!r}") from None


def render(key: str, runner: QueryRunner, **params: object) -> ViewResult:
    """Make one view. Its ``params`` are the call's parameters (without empty ones) over what the view resolved
    itself, so a permalink made from them opens the page on exactly this figure."""
    view = spec(key)
    unknown = set(params) - set(view.url_params)
    if unknown:
        raise TypeError(f"Ansicht {key!r} nimmt die Parameter {sorted(unknown)} nicht an")
    result = view.function(runner, **params)
    given = {k: v for k, v in params.items() if v is not None}
    resolved = {k: v for k, v in result.params.items() if v is not None and k in view.url_params}
    return result.with_params({**given, **resolved})


def permalink_params(result: ViewResult) -> dict[str, object]:
    """URL parameters of the page that shows ``result`` exactly as it is."""
    return spec(result.key).url(dict(result.params))
