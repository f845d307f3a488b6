"""index.prefetch: a generator run one item ahead on a thread keeps order, errors and early exits."""

from __future__ import annotations

import threading

import pytest

from index.prefetch import Prefetch


def test_items_arrive_in_order_and_the_source_runs_on_another_thread() -> None:
    threads: list[str] = []

    def source():
        for n in range(50):
            threads.append(threading.current_thread().name)
            yield n

    with Prefetch(source(), name="reader") as items:
        assert list(items) == list(range(50))
    assert set(threads) == {"reader"}


def test_an_error_in_the_source_is_raised_in_the_consumer_after_the_items_before_it() -> None:
    def source():
        yield 1
        yield 2
        raise ValueError("line 3 is not JSON")

    got: list[int] = []
    with pytest.raises(ValueError, match="line 3"), Prefetch(source()) as items:
        for item in items:
            got.append(item)
    assert got == [1, 2]


def test_leaving_early_stops_the_source() -> None:
    produced: list[int] = []
    finished = threading.Event()

    def source():
        try:
            for n in range(10_000):
                produced.append(n)
                yield n
        finally:
            finished.set()

    with Prefetch(source(), ahead=1) as items:
        for item in items:
            if item == 3:
                break
    # The source stops at its next item: never more than the queue holds past what was taken.
    assert finished.wait(timeout=5), "the source thread did not stop"
    assert len(produced) <= 3 + 1 + 2
