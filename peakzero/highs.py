"""HiGHS (highspy) instances for peakzero's linear programmes."""

from __future__ import annotations

import os
import sys

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray


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


def highs_lp(
    cost: NDArray[np.float64],
    col_lower: NDArray[np.float64],
    col_upper: NDArray[np.float64],
    matrix: sp.csc_matrix,
    row_lower: NDArray[np.float64],
    row_upper: NDArray[np.float64],
    offset: float = 0.0,
) -> highspy.HighsLp:
    """A HiGHS LP, min ``cost @ x + offset`` s.t. ``row_lower <= matrix @ x <= row_upper``."""
    csc = sp.csc_matrix(matrix)
    lp = highspy.HighsLp()
    lp.num_col_ = cost.size
    lp.num_row_ = row_lower.size
    lp.col_cost_ = cost
    lp.col_lower_ = col_lower
    lp.col_upper_ = col_upper
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.offset_ = offset
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr
    lp.a_matrix_.index_ = csc.indices
    lp.a_matrix_.value_ = csc.data
    lp.a_matrix_.num_col_ = cost.size
    lp.a_matrix_.num_row_ = row_lower.size
    return lp
