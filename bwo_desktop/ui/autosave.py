"""Autosave for the case editor: edits reach the database within a second, off the UI thread.

How it works (STYLE.md, Anki: the UI never touches the database inline):
- the editor edits a draft `Case` in memory and calls `mark_dirty()` on every change; that
  only starts a single-shot timer (not restarted by later changes, so a consultant who keeps
  typing still gets a save within `delay_ms`);
- when the timer fires, a snapshot (a deep copy) of the draft goes to one worker thread;
- the worker saves snapshots strictly in order and coalesces: when several are waiting only
  the newest is written, since it contains every earlier edit; other service calls
  (finalise, new version) queue behind the pending save, so they see the latest draft;
- the worker keeps the version counter of the row it last wrote, so a snapshot taken before
  the previous save returned does not trip the optimistic version check;
- `flush()` snapshots at once and waits for the worker (before an idle lock, on close, on
  quit); the editor being destroyed without closing also flushes, and an interpreter exit
  drains the queue. A failed save keeps the draft (and the editor keeps showing it), so
  nothing typed is lost; the editor shows the Dutch message.

Nothing here logs case content: no BSN, no notes.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import logging
import queue
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QTimer, Signal

from bwo_desktop.core.case import Case
from bwo_desktop.core.errors import InputError
from bwo_desktop.services.errors import CaseLocked, ConflictError, StoreError

log = logging.getLogger(__name__)

DEFAULT_DELAY_MS = 400
RETRY_MS = 5000
_STOP = object()
_SAVE = object()


def error_kind(exc: BaseException) -> str:
    """ "conflict", "locked", "invalid" or "error" for an exception of a save."""
    if isinstance(exc, ConflictError):
        return "conflict"
    if isinstance(exc, CaseLocked):
        return "locked"
    if isinstance(exc, InputError) and not isinstance(exc, StoreError):
        return "invalid"
    return "error"


def dutch_message(exc: BaseException) -> str:
    kind = error_kind(exc)
    if kind == "conflict":
        return (
            "Deze zaak is intussen ergens anders gewijzigd. Uw wijzigingen staan nog in het "
            "scherm en zijn niet weg; kies 'Mijn versie opslaan' of 'Opnieuw laden'."
        )
    if kind == "locked":
        return "Deze zaak is definitief en kan niet meer worden gewijzigd. Maak een nieuwe versie."
    if kind == "invalid":
        return f"Nog niet opgeslagen: {exc}. Uw invoer staat nog in het scherm."
    return (
        "Opslaan is niet gelukt. Uw wijzigingen staan nog in het scherm; het programma "
        "probeert het opnieuw bij de volgende wijziging."
    )


class _Bridge(QObject):
    """Carries results from the worker thread to the UI thread (queued signals)."""

    saved = Signal(object)  # the Case the service returned
    failed = Signal(str, str)  # kind, Dutch message
    call_done = Signal(int, object, object)  # token, result, exception


class SaveWorker:
    """One thread that runs every database call of one editor, in order."""

    _live: ClassVar[weakref.WeakSet[SaveWorker]] = weakref.WeakSet()

    def __init__(self, service: Any, version: int) -> None:
        self._service = service
        self._version = version
        self._lock = threading.Lock()
        self._pending: Case | None = None
        self._save_queued = False
        self._queue: queue.Queue[Any] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._unfinished = 0
        self.bridge = _Bridge()
        self.last_save_seconds: float | None = None
        # The error of the newest save, None after a save that reached the disk: `flush`
        # reports it (the queued `failed` signal may not have reached the UI thread yet).
        self._last_error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bwo-autosave", daemon=True)
        self._thread.start()
        SaveWorker._live.add(self)

    # -- called from the UI thread -------------------------------------------------------
    def set_version(self, version: int) -> None:
        with self._lock:
            self._version = version

    def submit_save(self, snapshot: Case) -> None:
        with self._lock:
            self._pending = snapshot
            if self._save_queued:
                return
            self._save_queued = True
            self._unfinished += 1
            self._idle.clear()
        self._queue.put(_SAVE)

    def submit(self, call: Callable[[], Any]) -> Future[Any]:
        """Run `call` on the worker after everything queued before it; returns a Future."""
        future: Future[Any] = Future()
        with self._lock:
            self._unfinished += 1
            self._idle.clear()
        self._queue.put((call, future))
        return future

    @property
    def version(self) -> int:
        """The version of the row as last written by this worker."""
        with self._lock:
            return self._version

    @property
    def last_error(self) -> BaseException | None:
        with self._lock:
            return self._last_error

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return self._idle.wait(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        self._queue.put(_STOP)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    # -- the worker thread ----------------------------------------------------------------
    def _finish_one(self) -> None:
        with self._lock:
            self._unfinished -= 1
            if self._unfinished == 0:
                self._idle.set()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is _STOP:
                return
            try:
                if job is _SAVE:
                    self._save_pending()
                else:
                    call, future = job
                    if future.set_running_or_notify_cancel():
                        try:
                            future.set_result(call())
                        except BaseException as exc:
                            future.set_exception(exc)
            finally:
                self._finish_one()

    def _save_pending(self) -> None:
        with self._lock:
            snapshot = self._pending
            self._pending = None
            self._save_queued = False
            version = self._version
        if snapshot is None:
            return
        snapshot.version = version
        started = time.perf_counter()
        try:
            # A busy database is waited for by SQLite itself (busy_timeout at BEGIN
            # IMMEDIATE); what still fails here is reported, never retried in a loop.
            saved: Case = self._service.save(snapshot)
        except Exception as exc:
            kind = error_kind(exc)
            # Field names only; never values (BSN, notes).
            log.warning("autosave failed: %s (%s)", kind, type(exc).__name__)
            with self._lock:
                self._last_error = exc
            self._emit(self.bridge.failed, kind, dutch_message(exc))
            return
        self.last_save_seconds = time.perf_counter() - started
        with self._lock:
            self._version = saved.version
            self._last_error = None
        self._emit(self.bridge.saved, saved)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        # RuntimeError: the bridge went with the editor; the data is saved anyway.
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)


@atexit.register
def _drain_on_exit() -> None:
    for worker in list(SaveWorker._live):
        if worker.alive:
            worker.wait_idle(5.0)


class Autosaver(QObject):
    """Debounces edits of one draft case and hands snapshots to a `SaveWorker`."""

    saved = Signal(object)  # Case returned by the service (version, updated_at, reference)
    failed = Signal(str, str)  # kind ("conflict", "locked", "error"), Dutch message
    state_changed = Signal(str)  # "dirty", "saving", "saved", "failed"

    def __init__(
        self,
        service: Any,
        draft: Case,
        *,
        delay_ms: int = DEFAULT_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._draft = draft
        self._enabled = True
        self.worker = SaveWorker(service, draft.version)
        self.worker.bridge.saved.connect(self._on_saved)
        self.worker.bridge.failed.connect(self._on_failed)
        self.worker.bridge.call_done.connect(self._on_call_done)
        self._tokens = 0
        self._callbacks: dict[
            int, tuple[Callable[[Any], None], Callable[[BaseException], None]]
        ] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._save_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._save_now)
        self._dirty = False
        self._held = False  # after a conflict: keep edits in memory until the consultant chooses
        self.ui_thread_seconds = 0.0  # time spent snapshotting on the UI thread (benchmark)
        worker = self.worker
        draft_ref = draft
        enabled_ref = [True]
        self._enabled_ref = enabled_ref
        dirty_ref = self._dirty_ref = [False]

        # Destroyed without close(): hand the draft to the worker. Only plain Python objects
        # are captured, since `self` is gone by the time this runs.
        def _on_destroyed(*_args: object) -> None:
            if dirty_ref[0] and enabled_ref[0]:
                worker.submit_save(copy.deepcopy(draft_ref))
            worker.stop(timeout=0 if threading.current_thread() is threading.main_thread() else 10)

        self.destroyed.connect(_on_destroyed)

    @property
    def draft(self) -> Case:
        return self._draft

    def set_draft(self, draft: Case) -> None:
        """A new draft (after finalise / new version / reload); pending edits are dropped."""
        self._timer.stop()
        self._retry.stop()
        self._held = False
        self._set_dirty(False)
        self._draft = draft
        self.worker.set_version(draft.version)

    def set_enabled(self, enabled: bool) -> None:
        """A definitief case is not saved (the service would refuse it)."""
        self._enabled = enabled
        self._enabled_ref[0] = enabled
        if not enabled:
            self._timer.stop()
            self._set_dirty(False)

    @property
    def held(self) -> bool:
        return self._held

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self._dirty_ref[0] = dirty

    def mark_dirty(self) -> None:
        if not self._enabled:
            return
        if not self._dirty:
            self._set_dirty(True)
            self.state_changed.emit("dirty")
        if not self._timer.isActive():
            self._timer.start()

    def _save_now(self) -> None:
        if not self._dirty or not self._enabled or self._held:
            return
        started = time.perf_counter()
        snapshot = copy.deepcopy(self._draft)
        self._set_dirty(False)
        self.worker.submit_save(snapshot)
        self.ui_thread_seconds += time.perf_counter() - started
        self.state_changed.emit("saving")

    def flush(self, *, wait: bool = True, timeout: float = 10.0) -> bool:
        """Send pending edits now; with `wait`, block until the worker is done and say
        whether everything is on disk: False after a failed save (also one whose `failed`
        signal has not arrived yet), while a conflict waits for the consultant, or when the
        worker did not finish within `timeout`. A failed save is sent again first: the
        draft in memory holds every edit. Without `wait`: True when nothing is unsaved
        so far as known."""
        self._timer.stop()
        if self._enabled and not self._held and self.worker.last_error is not None:
            self._set_dirty(True)  # the draft still holds the edit that did not get saved
        self._save_now()
        if not wait:
            return not self._dirty and not self._held
        if not self.worker.wait_idle(timeout):
            return False
        return self.unsaved_reason() is None

    def unsaved_reason(self) -> str | None:
        """Why the draft is not (known to be) on disk, in Dutch; None when it is."""
        if not self._enabled:
            return None  # a definitief case: nothing to save
        if self._held:
            return "de zaak is intussen ergens anders gewijzigd; kies eerst welke versie blijft"
        error = self.worker.last_error
        if error is not None:
            return "het opslaan is mislukt"
        if self._dirty:
            return "er zijn wijzigingen die nog niet zijn opgeslagen"
        return None

    def call(self, fn: Callable[[], Any]) -> Future[Any]:
        """Run a service call on the worker, after every save queued so far."""
        self._timer.stop()
        self._save_now()
        return self.worker.submit(fn)

    def call_async(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        """Run a service call on the worker after the pending saves; the callbacks run on
        the UI thread."""
        self._tokens += 1
        token = self._tokens
        self._callbacks[token] = (on_done, on_failed)
        bridge = self.worker.bridge

        def job() -> None:
            try:
                result = fn()
            except Exception as exc:
                SaveWorker._emit(bridge.call_done, token, None, exc)
            else:
                SaveWorker._emit(bridge.call_done, token, result, None)

        self.call(job)

    def _on_call_done(self, token: int, result: Any, exc: Any) -> None:
        callbacks = self._callbacks.pop(token, None)
        if callbacks is None:
            return
        on_done, on_failed = callbacks
        if exc is not None:
            on_failed(exc)
        else:
            on_done(result)

    def close(self) -> None:
        self._retry.stop()
        self.flush(wait=True)
        self._set_dirty(False)
        self.worker.stop()

    def _on_saved(self, saved: Case) -> None:
        self.saved.emit(saved)
        if not self._dirty:
            self.state_changed.emit("saved")

    def _on_failed(self, kind: str, message: str) -> None:
        if kind != "locked":
            # The draft is still in memory: keep it marked unsaved. A plain failure is
            # retried; a conflict waits for the consultant's choice.
            self._set_dirty(True)
            if kind == "error" and self._enabled:
                self._retry.start()
            if kind == "conflict":
                self._held = True
        self.failed.emit(kind, message)
        self.state_changed.emit("failed")

    def force_version(self, version: int) -> None:
        """After a conflict the consultant chose to keep their version: save over `version`."""
        self.worker.set_version(version)
        self._held = False
        self._set_dirty(True)
        self._save_now()
