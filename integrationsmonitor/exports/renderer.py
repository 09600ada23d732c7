"""One persistent chart renderer: Debian's chromium driven by kaleido, with plotly.js loaded once per tab.

kaleido 1.x reloads its page after every figure, so each PNG pays for parsing plotly.js again (~0,17 s of the
~0,22 s a PNG costs on this machine). Its page renders through ``Plotly.toImage`` on a figure object, which draws
into a temporary element and purges it, so nothing of one figure is left for the next: the PNGs come out
byte-identical with and without the reload (``tests/test_renderer.py`` checks it). We therefore reload a tab only
every ``RELOAD_EVERY`` figures (a bound on the page's memory) and start a new browser after any failure.

The browser runs in one daemon thread with its own event loop; callers hand it whole batches, which its tabs draw
in parallel. Only this module knows kaleido's internals (pinned in requirements.txt).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from kaleido.kaleido import Kaleido

log = logging.getLogger(__name__)

TABS = 2              # browser tabs drawing in parallel (the machine has two cores)
RELOAD_EVERY = 100    # figures a tab draws before its page is loaded afresh
START_TIMEOUT_S = 60
FIGURE_TIMEOUT_S = 30  # per figure of a batch, on top of the start
CLOSE_WAIT_S = 30


class RenderError(RuntimeError):
    """The chart renderer (kaleido/chromium) did not answer (German message)."""


class _PersistentKaleido(Kaleido):
    """Kaleido whose tabs keep their page (and plotly.js) between figures."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._drawn: dict[str, int] = {}

    async def _return_kaleido_tab(self, tab) -> None:  # kaleido 1.5: called after every figure
        target = tab.tab.target_id
        self._drawn[target] = self._drawn.get(target, 0) + 1
        if self._drawn[target] >= RELOAD_EVERY:
            self._drawn[target] = 0
            await tab.reload()
        await self.tabs_ready.put(tab)


class Renderer:
    """A browser with ``tabs`` tabs, started in the background; :meth:`submit` queues a figure dict."""

    def __init__(self, tabs: int = TABS) -> None:
        self.tabs = tabs
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="chart-renderer")
        self._thread.start()
        self._kaleido: _PersistentKaleido | None = None
        self._opened: Future = asyncio.run_coroutine_threadsafe(self._open(), self._loop)

    async def _open(self) -> None:
        kaleido = _PersistentKaleido(n=self.tabs)
        await kaleido.open()
        self._kaleido = kaleido

    async def _one(self, data: dict, opts: dict) -> bytes:
        await asyncio.wrap_future(self._opened)
        assert self._kaleido is not None
        return await self._kaleido.calc_fig(data, opts=opts)

    @property
    def alive(self) -> bool:
        opened_badly = self._opened.done() and (self._opened.cancelled() or self._opened.exception() is not None)
        return self._thread.is_alive() and not opened_badly

    def submit(self, data: dict, opts: dict) -> Future:
        """Queue one figure dict; the future gives its PNG (or other ``opts['format']``) bytes. Figures queued
        while the browser still starts are drawn as soon as it is up, by whichever tab is free."""
        return asyncio.run_coroutine_threadsafe(self._one(data, opts), self._loop)

    def close(self) -> None:
        """Stop the browser and the thread; figures still queued are cancelled. Never raises: a browser that does
        not answer is logged and left to die with the process."""
        try:
            self._opened.result(CLOSE_WAIT_S)  # a browser still starting is waited for, so it can be closed
        except Exception:  # noqa: BLE001 - it never opened: nothing to close but the loop
            self._opened.cancel()
        if self._kaleido is not None:
            kaleido, self._kaleido = self._kaleido, None
            try:
                asyncio.run_coroutine_threadsafe(kaleido.close(), self._loop).result(CLOSE_WAIT_S)
            except Exception as exc:  # noqa: BLE001
                log.warning("Diagramm-Renderer ließ sich nicht sauber beenden: %s", exc)
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self._loop.run_until_complete(_cancel_pending())
            self._loop.close()


async def _cancel_pending() -> None:
    """Cancel every task left on a stopped renderer's loop (queued figures of a failed batch)."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


_lock = threading.Lock()
_current: Renderer | None = None


def running() -> bool:
    """Whether the shared renderer is up (the dashboard keeps it between packages)."""
    return _current is not None and _current.alive


def _shared() -> Renderer:
    global _current
    if not running():
        if _current is not None:
            _current.close()
        _current = Renderer()
    return _current


def warm_up() -> None:
    """Start the shared renderer in the background (returns at once), e.g. while the views are computed."""
    with _lock:
        _shared()


def submit(data: dict, opts: dict) -> Future:
    """Queue one figure with the shared renderer (started if needed); collect the results with :func:`wait`."""
    with _lock:
        return _shared().submit(data, opts)


def wait(futures: Sequence[Future]) -> list[bytes]:
    """The bytes of every queued figure, in order — or a German RenderError when the renderer failed or did not
    answer in time (``START_TIMEOUT_S`` + ``FIGURE_TIMEOUT_S`` per figure and tab); the broken renderer is then
    stopped, and the next figure starts a new one."""
    seconds = START_TIMEOUT_S + FIGURE_TIMEOUT_S * len(futures) / TABS
    deadline = time.monotonic() + seconds
    try:
        return [future.result(max(0.0, deadline - time.monotonic())) for future in futures]
    except FutureTimeout:
        _discard(futures)
        raise RenderError(f"Der Diagramm-Renderer (Chromium über kaleido) hat nach {seconds:.0f} s nicht "
                          "geantwortet – bitte das Paket erneut erzeugen.") from None
    except Exception as exc:  # noqa: BLE001 - every renderer failure becomes one German message
        _discard(futures)
        raise RenderError(f"Ein Diagramm konnte nicht gezeichnet werden: {exc}") from exc


def render(datas: Sequence[dict], opts: dict) -> list[bytes]:
    """Draw a batch with the shared renderer (its tabs in parallel)."""
    return wait([submit(d, opts) for d in datas])


def _discard(futures: Sequence[Future]) -> None:
    for future in futures:
        future.cancel()
    stop()


@atexit.register
def stop() -> None:
    """Stop the shared renderer (if any); also at interpreter exit, so no chromium outlives the process."""
    global _current
    with _lock:
        if _current is not None:
            _current.close()
            _current = None
