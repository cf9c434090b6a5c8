"""A bound on the time one factsheet may take to read, so the worker moves on to the next.

The extractor is pure Python and regular expressions; a thread cannot be stopped from outside,
but the regular-expression engine checks for signals while it works, so an alarm interrupts
even one long match. Alarms exist only in a process's main thread, which is where
``liaison db_worker`` runs its tasks; elsewhere (a task run inside a threaded web server) the
character cap of ``readers.read_bytes`` is the bound.
"""

import signal
import threading
from contextlib import contextmanager


class TookTooLong(BaseException):  # noqa: N818 - named for what happened, like KeyboardInterrupt
    """The time allowed for reading one file ran out.

    A ``BaseException``, as ``KeyboardInterrupt`` is, so that the PDF library's and the
    readers' own ``except Exception`` clauses cannot swallow it and carry on.
    """


@contextmanager
def time_limit(seconds: float):
    """Raise ``TookTooLong`` inside the block once ``seconds`` have passed (0: no limit)."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def stop(_signum, _frame):
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
