"""Emission projections: Kaya drivers growing at rates set by period, and a STIRPAT fit.

A baseline path multiplies the Kaya factors, each compounding at a constant annual rate within
each period (e.g. 2025-2030, 2030-2035, ...). The rates may carry a leading sample axis so the same
function serves the Monte Carlo (:mod:`peakzero.carbon.montecarlo`).

STIRPAT (Dietz & Rosa 1997; York, Rosa & Dietz 2003): ``ln I = a + b ln P + c ln A + d ln T``,
fitted here by ordinary least squares to history for comparison with the driver baseline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from peakzero.errors import PeakzeroError


def check_boundaries(boundaries: Sequence[int]) -> np.ndarray:
    """Period boundaries ``[b0, b1, ..., bm]``: integers, strictly increasing, at least two."""
    b = np.asarray(list(boundaries), dtype=int)
    if b.size < 2 or np.any(np.diff(b) <= 0):
        raise PeakzeroError(
            f"period boundaries {b.tolist()} must be at least two strictly increasing years, "
            "e.g. [2025, 2030, 2035, 2060]",
            field="periods",
        )
    return b


def period_index(boundaries: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Years ``b0..bm`` and, for each step ``y-1 -> y``, the index of its period.

    >>> years, idx = period_index([2025, 2027, 2028])
    >>> years.tolist(), idx.tolist()
    ([2025, 2026, 2027, 2028], [0, 0, 1])
    """
    b = check_boundaries(boundaries)
    years = np.arange(b[0], b[-1] + 1)
    idx = np.searchsorted(b, years[1:] - 1, side="right") - 1
    return years, idx


def grow(base: ArrayLike, rates: ArrayLike, boundaries: Sequence[int]) -> np.ndarray:
    """Path of a quantity compounding at a constant annual rate per period.

    Parameters
    ----------
    base
        Value in the first boundary year, scalar or shape ``(n,)`` (samples).
    rates
        Annual growth rate per period [-], shape ``(m,)`` or ``(n, m)``; m = number of periods.
    boundaries
        Period boundary years ``[b0, ..., bm]``.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., bm - b0 + 1)``.

    Examples
    --------
    >>> grow(100.0, [0.1, -0.5], [2020, 2022, 2023]).round(6).tolist()
    [100.0, 110.0, 121.0, 60.5]
    """
    _, idx = period_index(boundaries)
    r = np.asarray(rates, dtype=float)
    if r.shape[-1] != len(boundaries) - 1:
        raise PeakzeroError(
            f"{r.shape[-1]} growth rates given for {len(boundaries) - 1} periods; give one rate "
            "per period",
            field="rates",
        )
    if np.any(r <= -1):
        raise PeakzeroError("growth rates must be > -1 (-100 %/yr)", field="rates")
    steps = np.take(1.0 + r, idx, axis=-1)
    b = np.asarray(base, dtype=float)[..., None]
    ones = np.ones((*steps.shape[:-1], 1))
    return np.asarray(b * np.cumprod(np.concatenate([ones, steps], axis=-1), axis=-1))


@dataclass(frozen=True)
class Projection:
    """A projected emission path with its driver paths."""

    years: np.ndarray
    factors: dict[str, np.ndarray]
    emissions_t: np.ndarray


def project_kaya(
    base_factors: Mapping[str, ArrayLike],
    rates: Mapping[str, ArrayLike],
    boundaries: Sequence[int],
) -> Projection:
    """Baseline emissions [tCO2] as the product of factors growing by period.

    Parameters
    ----------
    base_factors
        Factor values in ``boundaries[0]`` (e.g. Kaya: population, gdp_per_capita,
        energy_intensity, carbon_intensity); their product is the base-year emissions [tCO2].
    rates
        For each factor, annual growth rate per period (shape ``(m,)`` or ``(n, m)``).
    boundaries
        Period boundary years.

    Examples
    --------
    >>> p = project_kaya({"a": 2.0, "b": 50.0}, {"a": [0.0], "b": [-0.1]}, [2030, 2032])
    >>> p.emissions_t.round(6).tolist()
    [100.0, 90.0, 81.0]
    """
    missing = set(base_factors) ^ set(rates)
    if missing:
        raise PeakzeroError(
            f"factors {sorted(missing)} need both a base value and growth rates", field="rates"
        )
    years, _ = period_index(boundaries)
    paths = {k: grow(base_factors[k], rates[k], boundaries) for k in base_factors}
    emissions = np.ones(1)
    for path in paths.values():
        emissions = emissions * path
    return Projection(years=years, factors=paths, emissions_t=emissions)


@dataclass(frozen=True)
class StirpatFit:
    """``ln I = a + b ln P + c ln A + d ln T`` fitted by least squares.

    Attributes
    ----------
    a, b, c, d
        Intercept and elasticities of population, affluence and technology.
    r_squared
        Coefficient of determination of the fit in log space.
    n_years
        Number of observations.
    """

    a: float
    b: float
    c: float
    d: float
    r_squared: float
    n_years: int

    def predict(
        self, population: ArrayLike, affluence: ArrayLike, technology: ArrayLike
    ) -> np.ndarray:
        """Impact (emissions [tCO2]) predicted from the drivers."""
        lp = np.log(np.asarray(population, dtype=float))
        la = np.log(np.asarray(affluence, dtype=float))
        lt = np.log(np.asarray(technology, dtype=float))
        return np.asarray(np.exp(self.a + self.b * lp + self.c * la + self.d * lt))


def fit_stirpat(
    impact: ArrayLike, population: ArrayLike, affluence: ArrayLike, technology: ArrayLike
) -> StirpatFit:
    """Least-squares STIRPAT fit to history.

    Parameters
    ----------
    impact
        Emissions [tCO2] per year, > 0.
    population
        Population [persons], > 0.
    affluence
        GDP per capita [yuan/person], > 0.
    technology
        Technology term, usually energy intensity [energy unit/yuan], > 0.

    Raises
    ------
    PeakzeroError
        Fewer than 5 years (4 coefficients need at least one degree of freedom more), non-positive
        values, or collinear drivers (rank-deficient design).
    """
    cols = {
        "impact": np.asarray(impact, dtype=float),
        "population": np.asarray(population, dtype=float),
        "affluence": np.asarray(affluence, dtype=float),
        "technology": np.asarray(technology, dtype=float),
    }
    n = cols["impact"].size
    for name, arr in cols.items():
        if arr.shape != (n,):
            raise PeakzeroError(f"{name} must have one value per year ({n})", field=name)
        if np.any(~np.isfinite(arr)) or np.any(arr <= 0):
            raise PeakzeroError(f"{name} must be > 0 in every year for the log fit", field=name)
    if n < 5:
        raise PeakzeroError(
            f"STIRPAT fit needs at least 5 years of history, got {n}", field="history"
        )
    x = np.column_stack(
        [np.ones(n)] + [np.log(cols[k]) for k in ("population", "affluence", "technology")]
    )
    y = np.log(cols["impact"])
    coef, _, rank, _ = np.linalg.lstsq(x, y, rcond=None)
    if rank < 4:
        raise PeakzeroError(
            "STIRPAT drivers are collinear in this history (e.g. a constant population): the "
            "elasticities cannot be separated; use a longer or richer history",
            field="history",
        )
    resid = y - x @ coef
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(resid @ resid) / ss_tot if ss_tot > 0 else 1.0
    return StirpatFit(
        a=float(coef[0]),
        b=float(coef[1]),
        c=float(coef[2]),
        d=float(coef[3]),
        r_squared=r2,
        n_years=n,
    )
