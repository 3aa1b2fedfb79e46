"""HiGHS (highspy) instances for peakzero's linear programmes."""

from __future__ import annotations

import os
import sys

import highspy


def quiet_highs() -> highspy.Highs:
    """A HiGHS instance with logging off, on one thread.

    HiGHS prints a copyright banner on stdout (file descriptor 1, below Python) when the first
    instance of a process is created; it would corrupt ``--json`` output, so fd 1 is pointed at
    the null device for the construction only.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    # HiGHS keeps one thread scheduler per process, made by the first solve; a later instance
    # asking for another thread count fails to run (model status "not set"). Every peakzero
    # model is solved on one thread, so all instances agree, whichever LP runs first.
    h.setOptionValue("threads", 1)
    return h
