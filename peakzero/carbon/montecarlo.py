"""Monte Carlo over driver uncertainty: when does the projected path peak?

Each factor's annual growth rate in each period is drawn independently from a normal
distribution (mean, standard deviation) with a seeded :class:`numpy.random.Generator`;
correlations between drivers are not modelled. A sample "peaks" in the year of its maximum
when that maximum lies before the last projected year; a sample still at its maximum in the last
year has not peaked within the horizon (its peak year is censored: later than the horizon).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from peakzero.carbon.projection import project_kaya
from peakzero.errors import PeakzeroError

MIN_RATE = -0.99
"""Sampled growth rates are clipped at -99 %/yr so every path stays positive."""


@dataclass(frozen=True)
class PeakDistribution:
    """Distribution of the peak year over Monte Carlo samples.

    Attributes
    ----------
    years
        Projected years.
    n_samples, seed
        Sample count and generator seed (same seed, same result).
    peak_year_p10, peak_year_p50, peak_year_p90
        Percentiles of the peak year (``inverted_cdf``: an actual sample value); None when that
        percentile falls on samples not yet peaked within the horizon.
    prob_peak_by_target
        Share of samples peaking in or before ``target_year``.
    prob_not_peaked
        Share of samples still at their maximum in the last year.
    target_year
        Peak target checked.
    emissions_p10_t, emissions_p50_t, emissions_p90_t
        Per-year percentiles of emissions [tCO2].
    """

    years: np.ndarray
    n_samples: int
    seed: int
    peak_year_p10: int | None
    peak_year_p50: int | None
    peak_year_p90: int | None
    prob_peak_by_target: float
    prob_not_peaked: float
    target_year: int
    emissions_p10_t: np.ndarray
    emissions_p50_t: np.ndarray
    emissions_p90_t: np.ndarray

    def to_dict(self) -> dict[str, object]:
        """Plain mapping for JSON output."""
        return {
            "n_samples": self.n_samples,
            "seed": self.seed,
            "peak_year_p10": self.peak_year_p10,
            "peak_year_p50": self.peak_year_p50,
            "peak_year_p90": self.peak_year_p90,
            "prob_peak_by_target": self.prob_peak_by_target,
            "prob_not_peaked": self.prob_not_peaked,
            "target_year": self.target_year,
            "years": self.years.tolist(),
            "emissions_p10_t": self.emissions_p10_t.tolist(),
            "emissions_p50_t": self.emissions_p50_t.tolist(),
            "emissions_p90_t": self.emissions_p90_t.tolist(),
        }


def peak_years(years: np.ndarray, paths_t: np.ndarray) -> np.ndarray:
    """Peak year of each path (rows); ``inf`` where the maximum is the last year.

    >>> peak_years(np.array([1, 2, 3]), np.array([[1.0, 3.0, 2.0], [1.0, 2.0, 3.0]])).tolist()
    [2.0, inf]
    """
    idx = np.argmax(paths_t, axis=-1)
    out = np.asarray(years[idx], dtype=float)
    out[idx == paths_t.shape[-1] - 1] = np.inf
    return out


def simulate_peak(
    base_factors: Mapping[str, float],
    rate_mean: Mapping[str, ArrayLike],
    rate_sd: Mapping[str, ArrayLike],
    boundaries: Sequence[int],
    *,
    n_samples: int = 2000,
    seed: int = 0,
    target_year: int = 2030,
) -> PeakDistribution:
    """Sample driver growth rates and return the distribution of the peak year.

    Parameters
    ----------
    base_factors
        Factor values in ``boundaries[0]``; their product is base emissions [tCO2].
    rate_mean, rate_sd
        Per factor, mean and standard deviation of the annual growth rate per period [-],
        shape ``(m,)`` each (m = number of periods); sd >= 0 (0 = certain).
    boundaries
        Period boundary years ``[b0, ..., bm]``.
    n_samples
        Number of samples (>= 10).
    seed
        Seed of :func:`numpy.random.default_rng`.
    target_year
        Peak target year.
    """
    if n_samples < 10:
        raise PeakzeroError(f"n_samples = {n_samples} is too small: use >= 10", field="samples")
    if set(rate_sd) != set(rate_mean):
        raise PeakzeroError("give a rate sd for every factor with a rate mean", field="rate_sd")
    rng = np.random.default_rng(seed)
    m = len(boundaries) - 1
    rates: dict[str, np.ndarray] = {}
    for k in base_factors:
        mean = np.broadcast_to(np.asarray(rate_mean[k], dtype=float), (m,))
        sd = np.broadcast_to(np.asarray(rate_sd[k], dtype=float), (m,))
        if np.any(sd < 0):
            raise PeakzeroError(f"rate sd of {k!r} must be >= 0", field="rate_sd")
        rates[k] = np.maximum(mean + sd * rng.standard_normal((n_samples, m)), MIN_RATE)
    proj = project_kaya(
        {k: np.full(n_samples, float(v)) for k, v in base_factors.items()}, rates, boundaries
    )
    peaks = peak_years(proj.years, proj.emissions_t)

    def pct(q: float) -> int | None:
        v = float(np.percentile(peaks, q, method="inverted_cdf"))
        return None if not np.isfinite(v) else int(v)

    p10, p50, p90 = np.percentile(proj.emissions_t, [10, 50, 90], axis=0)
    return PeakDistribution(
        years=proj.years,
        n_samples=n_samples,
        seed=seed,
        peak_year_p10=pct(10),
        peak_year_p50=pct(50),
        peak_year_p90=pct(90),
        prob_peak_by_target=float(np.mean(peaks <= target_year)),
        prob_not_peaked=float(np.mean(~np.isfinite(peaks))),
        target_year=int(target_year),
        emissions_p10_t=p10,
        emissions_p50_t=p50,
        emissions_p90_t=p90,
    )
