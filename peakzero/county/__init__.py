"""The whole-county rooftop programme (整县推进): every roof screened, sized, ranked and summed.

:func:`load_county` reads a ``COUNTY.toml`` and its buildings file (GeoJSON outlines or CSV
areas) and validates every row before any work; :func:`run_county` sizes every building (in
partitions, serially or on Dask) and :func:`write_outputs` writes the county's tables, map and
report; :func:`example_county` writes a synthetic county. The NEA minimum shares and the
cheapest set of buildings that meets them are in :mod:`peakzero.county.programme`.
"""

from __future__ import annotations

from peakzero.county.buildings import Building, BuildingError, read_buildings
from peakzero.county.example import example_county
from peakzero.county.models import CATEGORIES, CountyInput, load_county
from peakzero.county.outputs import write_outputs
from peakzero.county.programme import NEA_MIN_SHARES, cheapest_programme, nea_shares
from peakzero.county.run import CountyRun, run_county

__all__ = [
    "CATEGORIES",
    "NEA_MIN_SHARES",
    "Building",
    "BuildingError",
    "CountyInput",
    "CountyRun",
    "cheapest_programme",
    "example_county",
    "load_county",
    "nea_shares",
    "read_buildings",
    "run_county",
    "write_outputs",
]
