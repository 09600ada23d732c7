"""The benchmark's own tools measure what they claim: the load client runs the page it asks for (an earlier
version silently measured the start page), and the report says "–" for what was not measured."""

from __future__ import annotations

import asyncio
import types
from pathlib import Path

from bench.__main__ import report
from bench.common import free_port, start_server, stop_server, wait_health
from bench.wsclient import Session


async def _drive(port: int) -> list[tuple[str, str, int, int]]:
    seen = []
    for page in ("quartiere", "suedosteuropa", ""):
        session = Session(port, page)
        await session.connect()
        try:
            await session.rerun()
            first = session.page_ran
            await session.change_filter()
            await session.change_filter()
            seen.append((page, first + "|" + session.page_ran, len(session.widgets), session.errors))
        finally:
            await session.close()
    return seen


def test_load_client_runs_and_rechecks_the_requested_page(built_db: Path):
    port = free_port()
    proc = start_server(built_db, port, post_script_gc=False)
    try:
        wait_health(port)
        seen = asyncio.run(_drive(port))
    finally:
        stop_server(proc)
    for page, ran, widgets, errors in seen:
        assert ran == f"{page}|{page}", f"verlangt {page!r}, gelaufen {ran!r}"
        assert widgets >= 1 and errors == 0


def test_load_client_counts_a_wrong_page_as_error():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    nav = msg.navigation
    for url, digest in (("", "h0"), ("quartiere", "h1")):
        page = nav.app_pages.add()
        page.url_pathname, page.page_script_hash = url, digest
    nav.page_script_hash = "h0"  # the server fell back to the start page

    class FakeSocket:
        def __init__(self, frames):
            self.frames = list(frames)

        async def send(self, data):
            pass

        async def recv(self):
            return self.frames.pop(0)

    done = ForwardMsg()
    done.script_finished = 1
    session = Session(0, "quartiere")
    session.ws = FakeSocket([msg.SerializeToString(), done.SerializeToString()])
    asyncio.run(session.rerun())
    assert session.page_ran == "" and session.errors == 1


def test_report_shows_a_dash_for_what_was_not_measured():
    results = {"1": {"build": {"municipalities": 0, "population_rows": 7800, "build_s": 0.6, "db_mb": 14.4},
                     "queries": {"a": {"p50": 1.0, "p95": 2.0, "rows": 3, "export": False}}}}
    text = report(results, types.SimpleNamespace(quick=True))
    assert "| Build (s) | < 120 s bei 100× | 0,6 |" in text
    assert "| Abfragen der Seiten: langsamste p95 (ms) |  | a 2,0 |" in text
    assert "| 50 Sitzungen mit Denkzeit 2–5 s: p95 Filterwechsel (ms) / Fehler | ≤ 500 ms, 0 Fehler | – |" in text
