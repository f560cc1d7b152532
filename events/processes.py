"""How many processes a long scan or append may use: forked ones, one per CPU by default."""

from __future__ import annotations

import multiprocessing
import os
import sys


def usable(asked: int | None) -> int:
    """asked, or the CPUs this process may run on; 1 where processes cannot be forked.

    fork, not spawn: a spawned process would import accords and compile the shapes again.
    Not on macOS, where system libraries may not survive a fork (Python spawns there).
    """
    if sys.platform == "darwin" or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if asked is not None:
        return max(1, asked)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
