"""Progress of long work inside a turn (a large import), for channels that can show it.

A channel sets a reporter around an engine call; engine code reports
(done, total) without knowing who listens. A context variable carries it, so
it reaches a worker thread started with `asyncio.to_thread` and no call
signature changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Reporter = Callable[[int, int], None]

_reporter: ContextVar[Reporter | None] = ContextVar("progress_reporter", default=None)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Send progress reported during the block to `reporter`."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


def report(done: int, total: int) -> None:
    """Tell whoever listens that `done` of `total` steps are finished."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter(done, total)
