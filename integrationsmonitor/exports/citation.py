"""Permalinks and citation lines for every view: "Quelle: …, Stand: …, abgerufen am TT.MM.JJJJ, <link>"."""

from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urlencode

from integrationsmonitor import formatting

DEFAULT_BASE_URL = "http://localhost:8501"


def base_url() -> str:
    """The public address of the dashboard (env IMH_BASIS_URL), without a trailing slash."""
    return os.environ.get("IMH_BASIS_URL", DEFAULT_BASE_URL).rstrip("/")


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


def view_citation(result, page: str, base: str | None = None, retrieved: dt.date | None = None) -> str:
    """Citation line for a ViewResult shown on ``page`` (its params make the link)."""
    link = permalink(page, {"ansicht": result.key, **result.params}, base)
    return citation(result.source, result.stand, link, retrieved)


PAGE_BY_PREFIX = (("eu2_", "suedosteuropa"), ("vergleich_", "suedosteuropa"), ("quartier_", "quartiere"),
                  ("indikator_", "leitziele"), ("status_", "leitziele"))


def page_for_view(key: str) -> str:
    """The page (url_path) on which a view is shown, by its key prefix; the overview otherwise."""
    return next((page for prefix, page in PAGE_BY_PREFIX if key.startswith(prefix)), "uebersicht")
