"""A drivers CSV (year, emissions, population, GDP, energy): what changed and why.

The workflow of ``peakzero carbon decompose``: the change in emissions between two years split
into the Kaya effects by LMDI-I (:func:`~peakzero.carbon.decomposition.decompose_kaya`) and the
Tapio decoupling state of emissions from GDP (:func:`~peakzero.carbon.decomposition.tapio`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from peakzero.carbon.decomposition import (
    KayaDecomposition,
    TapioResult,
    decompose_kaya,
    kaya_factors,
    tapio,
)
from peakzero.carbon.models import read_csv_columns
from peakzero.errors import PeakzeroError

#: Names an energy column of a drivers CSV may have, in the order they are looked for.
ENERGY_COLUMNS = ("energy_tce", "energy_gj", "energy")


def energy_column(path: Path) -> str:
    """The energy column of a drivers CSV: ``energy_tce``, ``energy_gj`` or ``energy``.

    Raises
    ------
    PeakzeroError
        For a missing or unreadable file, or a file with none of those columns.
    """
    try:
        cols = [str(c).strip() for c in pd.read_csv(path, nrows=0, comment="#").columns]
    except FileNotFoundError:
        raise PeakzeroError(f"file not found: {path}", field="path") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise PeakzeroError(f"{path}: cannot read as CSV: {exc}", field="path") from None
    for name in ENERGY_COLUMNS:
        if name in cols:
            return name
    raise PeakzeroError(
        f"{path}: no energy column; add one named energy_tce, energy_gj or energy",
        field="energy",
    )


@dataclass(frozen=True)
class DriverChange:
    """The change in emissions between two years of a drivers CSV, explained.

    Parameters
    ----------
    decomposition
        LMDI-I additive effects of the Kaya factors [tCO2]; they add up to the change.
    tapio
        Tapio elasticity and decoupling state of emissions from GDP.
    energy_column
        The energy column the energy intensity was computed from.
    """

    decomposition: KayaDecomposition
    tapio: TapioResult
    energy_column: str

    def to_dict(self) -> dict[str, object]:
        """Stable JSON keys (the JSON of ``peakzero carbon decompose``)."""
        dec, tp = self.decomposition, self.tapio
        return {
            "from_year": dec.from_year,
            "to_year": dec.to_year,
            "emissions_from_t": dec.emissions_from_t,
            "emissions_to_t": dec.emissions_to_t,
            "change_t": dec.change_t,
            "effects_t": dec.effects_t,
            "effects_sum_t": sum(dec.effects_t.values()),
            "tapio_elasticity": tp.elasticity,
            "tapio_state": tp.state,
            "emissions_change_fraction": tp.emissions_change_fraction,
            "gdp_change_fraction": tp.gdp_change_fraction,
        }


def decompose_drivers(path: Path, from_year: int, to_year: int) -> DriverChange:
    """LMDI-I decomposition of the change from ``from_year`` to ``to_year``, and Tapio.

    Parameters
    ----------
    path
        CSV with columns ``year``, ``emissions_t`` [tCO2], ``population``, ``gdp_yuan`` [yuan]
        and an energy column (:func:`energy_column`).
    from_year, to_year
        Base and target years; both must be rows of the file.

    Raises
    ------
    PeakzeroError
        For an unreadable file, missing columns or years not in the file.
    """
    energy_col = energy_column(path)
    data = read_csv_columns(path, ["year", "emissions_t", "population", "gdp_yuan", energy_col])
    factors = kaya_factors(
        data["population"], data["gdp_yuan"], data[energy_col], data["emissions_t"]
    )
    dec = decompose_kaya(data["year"], factors, from_year, to_year)
    i0 = int(np.flatnonzero(data["year"] == from_year)[0])
    i1 = int(np.flatnonzero(data["year"] == to_year)[0])
    tp = tapio(
        data["emissions_t"][i0], data["emissions_t"][i1], data["gdp_yuan"][i0], data["gdp_yuan"][i1]
    )
    return DriverChange(dec, tp, energy_col)


__all__ = ["ENERGY_COLUMNS", "DriverChange", "decompose_drivers", "energy_column"]
