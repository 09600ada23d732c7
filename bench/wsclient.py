"""A minimal Streamlit browser stand-in over the websocket (/_stcore/stream), for load tests.

It speaks the same protobuf messages as the frontend: BackMsg.rerun_script with ClientState (query string,
page, widget states) and reads ForwardMsgs until ``script_finished``. Widgets are discovered from the deltas
(selectbox/radio: id and options), so a "filter change" sets the first such widget to its next option — the
same message the browser sends when a user picks another value. Exceptions shown on the page count as errors.
"""

from __future__ import annotations

import asyncio
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FILTER_TYPES = ("selectbox", "radio")


class Session:
    def __init__(self, port: int, page: str = ""):
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.page = page  # url_path of the page, "" = default page
        self.ws = None
        self.widgets: dict[str, tuple[str, list[str]]] = {}  # id -> (type, options)
        self.page_ran = ""  # url path of the page the server actually ran (from the navigation message)
        self.errors = 0
        self._choice = 0

    async def connect(self) -> None:
        self.ws = await websockets.connect(self.url, max_size=None, open_timeout=60, ping_interval=None,
                                           subprotocols=["streamlit"])

    async def rerun(self, widget_states=None, timeout: float = 60) -> float:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = ""
        cs.page_name = self.page
        # Only the page's url path: the hash from new_session is the main script's (app.py); sending it made
        # every rerun after the first fall back to the default page.
        if widget_states:
            cs.widget_states.widgets.extend(widget_states)
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        deadline = start + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "navigation":
                nav = fm.navigation
                ran = next((p for p in nav.app_pages if p.page_script_hash == nav.page_script_hash), None)
                self.page_ran = ran.url_pathname if ran is not None else "?"
                if self.page and self.page_ran != self.page:
                    self.errors += 1  # the server ran another page than the one asked for
            elif kind == "page_info_changed":
                pass
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                t = el.WhichOneof("type")
                if t == "exception":
                    self.errors += 1
                elif t in FILTER_TYPES:
                    w = getattr(el, t)
                    self.widgets.setdefault(w.id, (t, list(w.options)))
            elif kind == "script_finished":
                # FINISHED_SUCCESSFULLY = 1; FINISHED_EARLY_FOR_RERUN = 2 (treated as done);
                # FINISHED_WITH_COMPILE_ERROR = 3, FINISHED_FRAGMENT_RUN_SUCCESSFULLY = 4
                if fm.script_finished == 3:
                    self.errors += 1
                return time.perf_counter() - start

    async def change_filter(self) -> float:
        """Set the first filter widget to its next option and rerun; plain rerun if the page has none."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        for wid, (_t, options) in self.widgets.items():
            if len(options) > 1:
                self._choice = (self._choice + 1) % len(options)
                ws = WidgetState(id=wid, string_value=options[self._choice])
                return await self.rerun([ws])
        return await self.rerun()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
