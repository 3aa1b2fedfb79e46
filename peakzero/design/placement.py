"""Which of the roof's module places the design uses, and the transformer check.

:func:`choose_modules` picks exactly the design's modules from a roof layout's module places
(``RoofLayout.module_corners_m``), row by row from the south edge so the array is one compact
block, and numbers them into strings; the drawing then holds exactly the modules of the design.
:func:`transformer_loading` compares the site's import and export with the transformer rating.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from peakzero.errors import PeakzeroError, check_range


@dataclass(frozen=True)
class ModulePlaces:
    """The design's modules on the roof.

    Attributes
    ----------
    index
        Indices into the layout's module places, in placing order, shape (modules,).
    string
        String number (0-based) of each chosen module, shape (modules,).
    """

    index: NDArray[np.intp]
    string: NDArray[np.intp]


def choose_modules(
    corners_m: NDArray[np.float64], modules: int, modules_per_string: int, *, azimuth_deg: float
) -> ModulePlaces:
    """The first ``modules`` places counted row by row from the front (equator-facing) edge.

    Parameters
    ----------
    corners_m
        Plan corners of every module place [m], shape (M, 4, 2) (x east, y north).
    modules
        Modules of the design, 0 to M, a whole number of strings.
    modules_per_string
        String length [-].
    azimuth_deg
        Azimuth the modules face [deg] (180 = south): rows are ordered along it, front first.
    """
    corners = np.asarray(corners_m, dtype=float)
    if corners.ndim != 3 or corners.shape[1:] != (4, 2):
        raise PeakzeroError(f"corners_m has shape {corners.shape}; expected (M, 4, 2)")
    total = corners.shape[0]
    if not 0 <= modules <= total:
        raise PeakzeroError(
            f"modules = {modules} is out of range: the roof holds 0 to {total}; give a design "
            "rounded with max_modules = the roof's modules",
            field="modules",
        )
    if modules_per_string < 1 or modules % modules_per_string:
        raise PeakzeroError(
            f"modules = {modules} is not a whole number of strings of {modules_per_string}",
            field="modules_per_string",
        )
    check_range("azimuth_deg", azimuth_deg, 0.0, 360.0, unit="deg")
    centre = corners.mean(axis=1)
    a = np.radians(azimuth_deg)
    facing = np.array([np.sin(a), np.cos(a)])  # unit vector the modules face (x east, y north)
    across = np.array([facing[1], -facing[0]])
    depth = centre @ facing  # larger = further to the front
    # rows: module centres within a few cm of the same depth belong to one row
    row_key = np.round(depth, 2)
    order = np.lexsort((centre @ across, -row_key))
    chosen = np.asarray(order[:modules], dtype=np.intp)
    string = np.asarray(np.arange(modules) // modules_per_string, dtype=np.intp)
    return ModulePlaces(chosen, string)


@dataclass(frozen=True)
class TransformerLoading:
    """Peak loading of the site's transformer [-] (1 = its rating).

    Attributes
    ----------
    import_fraction, export_fraction
        Highest import and export apparent power over the rating.
    """

    import_fraction: float
    export_fraction: float

    @property
    def ok(self) -> bool:
        """Whether both stay within the rating."""
        return self.import_fraction <= 1.0 and self.export_fraction <= 1.0


def transformer_loading(
    import_kw: NDArray[np.float64],
    export_kw: NDArray[np.float64],
    transformer_kva: float,
    *,
    power_factor: float = 0.95,
) -> TransformerLoading:
    """Highest import and export over the transformer's rating, at ``power_factor``.

    Apparent power = active power / power factor; interval means understate short peaks.

    >>> round(transformer_loading(np.array([950.0]), np.array([0.0]), 1250.0).import_fraction, 3)
    0.8
    """
    check_range("transformer_kva", transformer_kva, 1.0, 1e7, unit="kVA")
    check_range("power_factor", power_factor, 0.5, 1.0)
    rating = transformer_kva * power_factor
    peak_in = float(np.max(import_kw, initial=0.0))
    peak_out = float(np.max(export_kw, initial=0.0))
    return TransformerLoading(peak_in / rating, peak_out / rating)
