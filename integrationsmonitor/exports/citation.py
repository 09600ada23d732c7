"""Permalinks and citation lines for every view: "Quelle: …, Stand: …, abgerufen am TT.MM.JJJJ, <link>"."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from integrationsmonitor import formatting
from integrationsmonitor.config import Settings
from integrationsmonitor.views import index
from integrationsmonitor.views.result import ViewResult


def base_url() -> str:
    """The public address of the dashboard (env IMH_BASIS_URL), without a trailing slash."""
    return Settings.from_env().base_url


def permalink(page: str, params: dict[str, object] | None = None, base: str | None = None) -> str:
    """Link to a page (url_path, e.g. "leitziele") with its parameters, sorted so the same view gives the same link."""
    url = f"{(base or base_url()).rstrip('/')}/{page.strip('/')}"
    clean = {k: _param_text(v) for k, v in sorted((params or {}).items()) if v is not None and v != ""}
    return f"{url}?{urlencode(clean)}" if clean else url


def _param_text(value: object) -> str:
    if isinstance(value, (list, tuple, set)):
        return ",".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def citation(source: str, stand: str, link: str, retrieved: dt.date | None = None) -> str:
    """German citation line for one figure."""
    day = formatting.date(retrieved or dt.date.today())
    return f"Quelle: {source}, Stand: {stand}, abgerufen am {day}, {link}"


def view_link(result: ViewResult, base: str | None = None) -> str:
    """Permalink that opens the page of ``result`` on exactly this figure (page and URL names from the index)."""
    return permalink(index.spec(result.key).page, index.permalink_params(result), base)


def view_citation(result: ViewResult, base: str | None = None, retrieved: dt.date | None = None) -> str:
    """Citation line for a ViewResult: source, Stand, date retrieved and its permalink."""
    return citation(result.source, result.stand, view_link(result, base), retrieved)
