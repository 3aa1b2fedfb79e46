"""Bundled data files and the one loader for them.

Every tabular data file shipped with peakzero carries a ``source`` column; :func:`read_table`
refuses a file without one, so no number enters the package without saying where it came from.
Files are built by scripts under ``scripts/`` (from ``../shared/data``) or written by hand from
cited public documents; the package never reads ``../shared`` at run time.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from peakzero.errors import PeakzeroError

if TYPE_CHECKING:  # pandas is imported by read_table only: data_path stays light for the CLI
    import pandas as pd

_PACKAGE = "peakzero.data"


def data_path(name: str) -> Path:
    """Absolute path of a bundled data file, e.g. ``data_path("weather/stations.csv")``."""
    path = Path(str(resources.files(_PACKAGE).joinpath(name)))
    if not path.exists():
        raise PeakzeroError(f"bundled data file {name!r} is missing from the installation")
    return path


def read_table(name: str, *, comment: str | None = "#") -> pd.DataFrame:
    """Read a bundled CSV table and check that every row names its ``source``.

    Lines starting with ``comment`` are notes for people and are skipped.
    """
    import pandas as pd

    frame = pd.read_csv(data_path(name), comment=comment, skipinitialspace=True)
    if "source" not in frame.columns:
        raise PeakzeroError(f"bundled table {name!r} has no 'source' column")
    blank = frame["source"].isna() | (frame["source"].astype(str).str.strip() == "")
    if blank.any():
        rows = [int(i) + 2 for i in frame.index[blank][:5]]
        raise PeakzeroError(f"bundled table {name!r}: rows {rows} have no source")
    return frame
