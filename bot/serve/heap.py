"""Garbage collection for a long-running worker process (serve, deliver).

A worker holds a few hundred thousand objects built at start-up that live as
long as it does (modules, compiled templates, PTB, the coach), and CPython's
full collection walks every one of them: about 40 ms each time here, several
times in a delivery burst. A delivery batch also keeps thousands of young
containers alive (its users' records) while it renders, so the default
young-generation threshold (700 allocations) rescans them over and over.
Together that was a tenth of a delivery worker's CPU.
"""

from __future__ import annotations

import gc

# Young collections after this many net container allocations, not 700.
YOUNG_THRESHOLD = 10_000


def settle_heap() -> None:
    """Move what start-up built out of the collector's sight and collect young objects less often.

    Call once, when start-up is done: what is alive then is kept for good
    (gc.freeze), so later collections skip it; and after a fork its pages
    stay shared instead of being touched by the collector.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
