"""Run a generator on a background thread, a bounded number of items ahead of its consumer.

The ingest reads, checks against the store and chunks batch N+1 here while the encoder
threads embed batch N: that preparation is single-threaded Python, and done in line it left
both encoder threads idle for about 5 % of a long ingest.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

_DONE = object()


class Prefetch(Generic[T]):
    """Iterate `source` on a daemon thread, at most `ahead` items ahead; use as a context manager.

    An exception raised by the source is raised again in the consumer, where it would have been
    raised without the thread. Leaving the `with` block early (an error, Ctrl-C) stops the
    thread at its next item; it never blocks the consumer's exit.
    """

    def __init__(self, source: Iterable[T], ahead: int = 1, name: str = "prefetch") -> None:
        self._source = source
        self._queue: queue.Queue[object] = queue.Queue(maxsize=ahead)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def __enter__(self) -> Iterator[T]:
        self._thread.start()
        return self._items()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()

    def _run(self) -> None:
        iterator = iter(self._source)
        try:
            for item in iterator:
                if not self._put(item):
                    return
            self._put(_DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(_Failure(exc))
        finally:
            close = getattr(iterator, "close", None)  # a generator's files and connections, closed now
            if close is not None:
                close()

    def _put(self, item: object) -> bool:
        """Queue `item`, waiting for room; False once the consumer has gone."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def _items(self) -> Iterator[T]:
        while True:
            try:
                # A timeout, so Ctrl-C reaches the consumer while it waits.
                item = self._queue.get(timeout=0.5)
            except queue.Empty:
                continue
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error
