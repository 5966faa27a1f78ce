"""Sliding-window rate limits of the public chat API, per sender and per client address.

They live in the web app's memory: one uvicorn process serves the API, and a
restart forgetting the last minute is harmless. Several processes would each
count alone; a shared store (Redis) would be the next step then.
"""

import math
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0
# Keys idle for a whole window are dropped about this often, so memory stays bounded.
SWEEP_EVERY_SECONDS = 60.0


class SlidingWindow:
    """At most ``limit`` events per key in any ``window`` seconds (``limit`` 0: no limit)."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._next_sweep = clock() + SWEEP_EVERY_SECONDS

    def wait_before(self, key: str) -> float:
        """Seconds before ``key`` may have one more event (0: now)."""
        if not self._limit:
            return 0.0
        events = self._recent(key)
        if len(events) < self._limit:
            return 0.0
        return events[0] + self._window - self._clock()

    def record(self, key: str) -> None:
        """Count one event of ``key`` now."""
        if self._limit:
            self._recent(key).append(self._clock())
            self._sweep()

    def _recent(self, key: str) -> deque[float]:
        events = self._events.setdefault(key, deque())
        horizon = self._clock() - self._window
        while events and events[0] <= horizon:
            events.popleft()
        return events

    def _sweep(self) -> None:
        now = self._clock()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY_SECONDS
        for key in [k for k, events in self._events.items() if not events or events[-1] <= now - self._window]:
            del self._events[key]


class ChatRateLimits:
    """The API's two limits: a message counts for its sender and for the address it came from."""

    def __init__(self, *, per_sender: int, per_ip: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._senders = SlidingWindow(per_sender, clock=clock)
        self._addresses = SlidingWindow(per_ip, clock=clock)

    def take(self, *, sender: str, address: str) -> int:
        """Count one message and return 0, or return the whole seconds to wait (and count nothing)."""
        wait = max(self._senders.wait_before(sender), self._addresses.wait_before(address))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._senders.record(sender)
        self._addresses.record(address)
        return 0
