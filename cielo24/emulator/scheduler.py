"""Actions due at a time of the emulator's clock, run on one background thread."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from datetime import datetime
from typing import Callable

MAX_WAIT_SECONDS = 60.0
"""The longest the thread sleeps without looking at the clock again."""

logger = logging.getLogger(__name__)


class Scheduler:
    """Runs each action once the clock reaches its due time.

    The clock may jump forward (:meth:`wake` after moving it), so the thread never sleeps past
    a due time for long. Actions run on the scheduler's thread and must be quick (a callback
    action starts its own thread to send). Actions scheduled while stopped wait for
    :meth:`start`.
    """

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._running = False

    def at(self, due: datetime, action: Callable[[], None]) -> None:
        """Run ``action`` once the clock reaches ``due`` (at once if it has)."""
        with self._condition:
            heapq.heappush(self._queue, (due, next(self._order), action))
            self._condition.notify()

    def wake(self) -> None:
        """Look at the clock again (it moved)."""
        with self._condition:
            self._condition.notify()

    def start(self) -> None:
        """Start the thread (it does nothing while nothing is due)."""
        with self._condition:
            if self._running:
                return
            self._running = True
        thread = threading.Thread(target=self._run, name="cielo24-emulator-scheduler", daemon=True)
        self._thread = thread
        thread.start()

    def stop(self) -> None:
        """Stop the thread; actions not yet due stay queued for the next start."""
        with self._condition:
            self._running = False
            self._condition.notify()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._condition:
                if not self._running:
                    return
                due = self._due_actions()
                if not due:
                    wait = MAX_WAIT_SECONDS
                    if self._queue:
                        left = (self._queue[0][0] - self._clock()).total_seconds()
                        wait = min(max(left, 0.0), MAX_WAIT_SECONDS)
                    self._condition.wait(wait)
                    continue
            for action in due:
                try:
                    action()
                except Exception:
                    logger.error("a scheduled action of the emulator failed", exc_info=True)

    def _due_actions(self) -> list[Callable[[], None]]:
        """Pop every action that is due (hold the condition)."""
        now = self._clock()
        actions: list[Callable[[], None]] = []
        while self._queue and self._queue[0][0] <= now:
            actions.append(heapq.heappop(self._queue)[2])
        return actions
