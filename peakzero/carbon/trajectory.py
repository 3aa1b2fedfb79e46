"""Where an annual emission series stands: carbon peak (碳达峰) and carbon neutrality (碳中和).

Peak status rules (parameters are keyword options of :func:`analyze_trajectory`):

* ``peaked``: the maximum lies at least ``confirm_years`` before the last year, the last value
  is more than ``plateau_band_fraction`` below the maximum, and emissions fell over the last
  ``confirm_years`` (the average growth rate over that window is negative: growth has turned and
  stayed negative). A series that fell and has since levelled off also counts as peaked when each
  of the last ``confirm_years`` values is more than the band below the maximum and the recent
  average growth is no more than ``+plateau_band_fraction``.
* ``peaked`` with the caveat ``"rebounding"``: the maximum lies at least
  ``rebound_min_years_since_peak`` (10) years back and every one of the last ``confirm_years``
  values stands more than ``rebound_margin_fraction`` (10 %) below it, although emissions rose
  over those years. A decades-old maximum that a rebound has not come near is still the peak;
  the caveat says the decline has not held lately. A rebound that comes within the margin, or a
  maximum less than ten years back, reopens the question (``not_peaked``).
* ``plateau``: not peaked, and the last ``plateau_min_years`` annual changes all lie inside
  +/- ``plateau_band_fraction``.
* ``not_peaked``: anything else (still rising, or rising again soon after a dip or close to the
  maximum).

The rule follows the definition of carbon peak (碳达峰) behind China's 2030 goal: the year annual
emissions reach their maximum, after which the growth rate keeps falling until it turns
negative and the maximum is not exceeded again. A series can only show the second half of that
definition after the fact, so the classifier asks for evidence: years of decline after the
maximum (``confirm_years``), a distance below it larger than noise (``plateau_band_fraction``),
and, for a series that has turned up again, a long time since the maximum and a wide margin
below it. The ten-year / 10 % pair is of the same kind as the criteria of WRI's "Turning Points"
(Levin and Rich, 2017: a maximum well before the latest year and the latest year clearly below
it) [unverified: the exact thresholds of that paper were not checked here]. The rule is tested on
national fossil CO2 series (CDIAC-FF 1751-2020, ``tests/data/carbon/``).

Caveats (``TrajectoryAnalysis.caveat``): ``"rebounding"`` as above; ``"peak_at_series_start"``
when a peaked series has its maximum in its first year, so the true peak may lie before the data.

Neutrality: ``net = gross - sinks - offsets``; the neutral year is the first year from which net
emissions stay <= 0 to the end of the series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from peakzero.errors import PeakzeroError

MIN_YEARS = 3
"""Shortest series analysed: two growth rates are needed to see a turn."""

STATUSES = ("peaked", "plateau", "not_peaked")


@dataclass(frozen=True)
class TrajectoryAnalysis:
    """Peak and neutrality analysis of one annual series.

    Attributes
    ----------
    years
        Calendar years, consecutive.
    gross_t
        Gross emissions [tCO2].
    net_t
        Net emissions, gross - sinks - offsets [tCO2].
    growth_rate
        Annual growth rate of gross emissions, ``gross[i] / gross[i-1] - 1``; NaN for the first
        year and where the previous year is 0.
    peak_year, peak_value_t
        Year and value [tCO2] of the maximum of gross emissions (first occurrence).
    status
        ``"peaked"``, ``"plateau"`` or ``"not_peaked"`` (see the module docstring).
    years_since_peak
        Last year - peak year.
    drop_from_peak_fraction
        ``1 - gross[last] / peak`` (0.1 = 10 % below the peak).
    neutral_year
        First year from which net emissions stay <= 0; None when the series never gets there.
    peak_target_year, neutral_target_year
        The targets checked.
    meets_peak_target
        ``status == "peaked"`` and ``peak_year <= peak_target_year``.
    meets_neutral_target
        ``neutral_year`` is not None and ``<= neutral_target_year``.
    residual_gross_t
        Gross emissions [tCO2] in the neutral year (in the last year when never neutral): what
        sinks and offsets must keep balancing.
    explanation
        One sentence saying why the status was given.
    caveat
        ``None``, ``"rebounding"`` (peaked long ago, rising again but still well below the
        maximum) or ``"peak_at_series_start"`` (the maximum is the first year of the series).
    """

    years: np.ndarray
    gross_t: np.ndarray
    net_t: np.ndarray
    growth_rate: np.ndarray
    peak_year: int
    peak_value_t: float
    status: str
    years_since_peak: int
    drop_from_peak_fraction: float
    neutral_year: int | None
    peak_target_year: int
    neutral_target_year: int
    meets_peak_target: bool
    meets_neutral_target: bool
    residual_gross_t: float
    explanation: str
    caveat: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Plain mapping for JSON output (arrays as lists)."""
        return {
            "peak_year": self.peak_year,
            "peak_value_t": self.peak_value_t,
            "status": self.status,
            "years_since_peak": self.years_since_peak,
            "drop_from_peak_fraction": self.drop_from_peak_fraction,
            "neutral_year": self.neutral_year,
            "peak_target_year": self.peak_target_year,
            "neutral_target_year": self.neutral_target_year,
            "meets_peak_target": self.meets_peak_target,
            "meets_neutral_target": self.meets_neutral_target,
            "residual_gross_t": self.residual_gross_t,
            "explanation": self.explanation,
            "caveat": self.caveat,
            "years": self.years.tolist(),
            "gross_t": self.gross_t.tolist(),
            "net_t": self.net_t.tolist(),
            "growth_rate": self.growth_rate.tolist(),
        }


def _as_series(name: str, values: ArrayLike | None, n: int, *, allow_none: bool) -> np.ndarray:
    if values is None:
        if not allow_none:
            raise PeakzeroError(f"{name} is missing", field=name)
        return np.zeros(n)
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise PeakzeroError(
            f"{name} has {arr.size} values but there are {n} years; give one value per year.",
            field=name,
        )
    if not np.all(np.isfinite(arr)):
        bad = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise PeakzeroError(
            f"{name} has a missing or non-finite value at position {bad}; fill every year.",
            field=name,
        )
    return arr


def check_years(years: ArrayLike, field: str = "year") -> np.ndarray:
    """Validate a year column: integers, consecutive, increasing, no duplicates or gaps.

    Returns the years as an int array; raises :class:`PeakzeroError` naming the problem years.
    """
    arr = np.asarray(years, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise PeakzeroError(f"{field}: give a one-dimensional list of years", field=field)
    if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
        raise PeakzeroError(f"{field}: every year must be a whole number", field=field)
    ints = arr.astype(int)
    uniq, counts = np.unique(ints, return_counts=True)
    if np.any(counts > 1):
        dup = uniq[counts > 1].tolist()
        raise PeakzeroError(f"{field}: duplicated years {dup}; give each year once.", field=field)
    if np.any(np.diff(ints) < 0):
        raise PeakzeroError(f"{field}: years must be in increasing order", field=field)
    gaps = np.flatnonzero(np.diff(ints) != 1)
    if gaps.size:
        missing = [y for g in gaps for y in range(int(ints[g]) + 1, int(ints[g + 1]))]
        raise PeakzeroError(
            f"{field}: missing years {missing[:10]}; the series must be annual without gaps "
            "(fill or interpolate them).",
            field=field,
        )
    return ints


def growth_rates(values: ArrayLike) -> np.ndarray:
    """Annual growth rate ``x[i] / x[i-1] - 1`` (first element and divisions by 0 are NaN).

    >>> growth_rates([100.0, 110.0, 99.0]).round(3).tolist()
    [nan, 0.1, -0.1]
    """
    x = np.asarray(values, dtype=float)
    out = np.full(x.shape, np.nan)
    prev = x[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        out[1:] = np.where(prev > 0, x[1:] / np.where(prev > 0, prev, 1.0) - 1.0, np.nan)
    return out


#: Net emissions within this fraction of the peak gross count as zero: a residue of round-off
#: (an optimiser meets "net <= 0" to its feasibility tolerance) is not a missed neutral year.
NET_ZERO_TOLERANCE_FRACTION = 1e-9


def neutral_year_of(
    years: np.ndarray, net_t: np.ndarray, *, tolerance_t: float = 0.0
) -> int | None:
    """First year from which ``net_t <= tolerance_t`` holds to the end of the series, else None.

    >>> neutral_year_of(np.array([2058, 2059, 2060, 2061]), np.array([1.0, -1.0, 0.5, 0.0]))
    2061
    """
    positive = np.flatnonzero(net_t > tolerance_t)
    if positive.size == 0:
        return int(years[0])
    last_pos = int(positive[-1])
    if last_pos == len(years) - 1:
        return None
    return int(years[last_pos + 1])


def _classify(
    gross: np.ndarray,
    growth: np.ndarray,
    p: int,
    band: float,
    plateau_min_years: int,
    confirm_years: int,
    rebound_min_years: int,
    rebound_margin: float,
) -> tuple[str, str, str | None]:
    n = gross.size
    peak = gross[p]
    since = n - 1 - p
    drop = 1.0 - gross[-1] / peak if peak > 0 else 0.0
    window = min(confirm_years, n - 1)
    start = gross[n - 1 - window]
    if start > 0:
        mean_growth = (gross[-1] / start) ** (1.0 / window) - 1.0
    else:
        mean_growth = 0.0 if gross[-1] == 0 else np.inf
    recent = growth[n - plateau_min_years :] if plateau_min_years <= n - 1 else growth[1:]
    flat = (
        plateau_min_years <= n - 1
        and bool(np.all(np.isfinite(recent)))
        and bool(np.all(np.abs(recent) <= band))
    )
    at_start = "peak_at_series_start" if p == 0 else None
    start_note = (
        "; the maximum is the first year of the series, so the true peak may lie earlier"
        if at_start
        else ""
    )
    if since >= confirm_years and drop > band and mean_growth < 0:
        return (
            "peaked",
            f"maximum {since} years before the last year, {drop:.1%} below it, and falling "
            f"{-mean_growth:.2%}/yr on average over the last {window} years{start_note}",
            at_start,
        )
    recent_max = float(np.max(gross[n - window :]))
    off_peak = recent_max < peak * (1.0 - band)
    if since >= confirm_years and drop > band and off_peak and mean_growth <= band:
        return (
            "peaked",
            f"maximum {since} years before the last year and the last {window} years all more "
            f"than {band:.1%} below it ({drop:.1%} now; recent change {mean_growth:+.2%}/yr)"
            f"{start_note}",
            at_start,
        )
    if since >= max(rebound_min_years, confirm_years) and recent_max < peak * (
        1.0 - rebound_margin
    ):
        return (
            "peaked",
            f"maximum {since} years before the last year; emissions rose "
            f"{mean_growth:+.2%}/yr over the last {window} years but all stay more than "
            f"{rebound_margin:.0%} below the maximum ({drop:.1%} below now): peaked, rebounding"
            f"{start_note}",
            "rebounding",
        )
    if flat:
        return (
            "plateau",
            f"the last {plateau_min_years} annual changes all lie within +/-{band:.1%}",
            None,
        )
    if since == 0:
        return "not_peaked", "the maximum is the last year: emissions are still rising", None
    if since < confirm_years:
        return (
            "not_peaked",
            f"the maximum is only {since} year(s) behind; {confirm_years} years of decline are "
            "needed to confirm a peak",
            None,
        )
    if drop <= band:
        return (
            "not_peaked",
            f"the last year is only {drop:.1%} below the maximum (band {band:.1%}) and changes "
            "are not yet inside the plateau band",
            None,
        )
    if since < rebound_min_years:
        why = (
            f"the maximum is only {since} years back (a rebound is tolerated "
            f"{rebound_min_years} years after it)"
        )
    else:
        why = (
            f"the rebound came within {rebound_margin:.0%} of the maximum "
            f"({1.0 - recent_max / peak:.1%} below it at its closest)"
        )
    return (
        "not_peaked",
        f"emissions rose again over the last {window} years ({mean_growth:+.2%}/yr): "
        f"the decline since the maximum has not held; {why}",
        None,
    )


def analyze_trajectory(
    years: Sequence[int] | ArrayLike,
    gross_t: ArrayLike,
    sinks_t: ArrayLike | None = None,
    offsets_t: ArrayLike | None = None,
    *,
    peak_target_year: int = 2030,
    neutral_target_year: int = 2060,
    plateau_band_fraction: float = 0.01,
    plateau_min_years: int = 3,
    confirm_years: int = 3,
    rebound_min_years_since_peak: int = 10,
    rebound_margin_fraction: float = 0.10,
) -> TrajectoryAnalysis:
    """Analyse an annual emission series for peak status and neutrality.

    Parameters
    ----------
    years
        Consecutive calendar years (no gaps, no duplicates), at least :data:`MIN_YEARS`.
    gross_t
        Gross emissions [tCO2] per year, >= 0.
    sinks_t
        Removals by sinks [tCO2] per year (>= 0), e.g. forest growth; default 0.
    offsets_t
        Offsets bought [tCO2] per year (>= 0), e.g. CCER; default 0.
    peak_target_year
        Year by which emissions should have peaked (default 2030).
    neutral_target_year
        Year by which net emissions should be <= 0 (default 2060).
    plateau_band_fraction
        Band for "no material change": annual changes within +/- this fraction count as flat,
        and a peak must be more than this fraction above the last year (default 0.01 = 1 %).
    plateau_min_years
        Number of consecutive annual changes inside the band that make a plateau (default 3).
    confirm_years
        Years of decline after the maximum needed to call it a peak (default 3).
    rebound_min_years_since_peak
        A series rising again over its last ``confirm_years`` still counts as peaked (caveat
        ``"rebounding"``) when its maximum is at least this many years back (default 10) ...
    rebound_margin_fraction
        ... and each of those recent years stays more than this fraction below the maximum
        (default 0.10 = 10 %).

    Returns
    -------
    TrajectoryAnalysis

    Examples
    --------
    >>> a = analyze_trajectory(range(2020, 2027), [90, 95, 100, 97, 94, 91, 88])
    >>> (a.status, a.peak_year, a.years_since_peak, round(a.drop_from_peak_fraction, 2))
    ('peaked', 2022, 4, 0.12)
    """
    yrs = check_years(np.asarray(years))
    n = yrs.size
    if n < MIN_YEARS:
        raise PeakzeroError(
            f"the series has {n} year(s); at least {MIN_YEARS} are needed to judge a peak "
            "(growth must be seen turning). Add more years of history or projection.",
            field="years",
        )
    gross = _as_series("gross_t", gross_t, n, allow_none=False)
    sinks = _as_series("sinks_t", sinks_t, n, allow_none=True)
    offsets = _as_series("offsets_t", offsets_t, n, allow_none=True)
    for name, arr in (("gross_t", gross), ("sinks_t", sinks), ("offsets_t", offsets)):
        if np.any(arr < 0):
            i = int(np.flatnonzero(arr < 0)[0])
            raise PeakzeroError(
                f"{name} = {arr[i]} in {yrs[i]} is negative: allowed >= 0 [tCO2] "
                "(enter removals as sinks_t, not as negative emissions).",
                field=name,
            )
    if not 0.0 <= plateau_band_fraction < 1.0:
        raise PeakzeroError(
            f"plateau_band_fraction = {plateau_band_fraction} is out of range: allowed 0 to <1",
            field="plateau_band_fraction",
        )
    if not 0.0 < rebound_margin_fraction < 1.0:
        raise PeakzeroError(
            f"rebound_margin_fraction = {rebound_margin_fraction} is out of range: allowed >0 "
            "to <1 (0.10 = 10 %)",
            field="rebound_margin_fraction",
        )
    for name, value in (
        ("plateau_min_years", plateau_min_years),
        ("confirm_years", confirm_years),
        ("rebound_min_years_since_peak", rebound_min_years_since_peak),
    ):
        if value < 1:
            raise PeakzeroError(f"{name} = {value} is out of range: allowed >= 1", field=name)
    if not np.any(gross > 0):
        raise PeakzeroError("gross_t is zero in every year: nothing to analyse", field="gross_t")

    growth = growth_rates(gross)
    p = int(np.argmax(gross))
    status, why, caveat = _classify(
        gross,
        growth,
        p,
        plateau_band_fraction,
        plateau_min_years,
        confirm_years,
        rebound_min_years_since_peak,
        rebound_margin_fraction,
    )
    net = gross - sinks - offsets
    neutral = neutral_year_of(
        yrs, net, tolerance_t=NET_ZERO_TOLERANCE_FRACTION * float(np.max(gross))
    )
    residual_idx = n - 1 if neutral is None else int(neutral - yrs[0])
    peak_year = int(yrs[p])
    return TrajectoryAnalysis(
        years=yrs,
        gross_t=gross,
        net_t=net,
        growth_rate=growth,
        peak_year=peak_year,
        peak_value_t=float(gross[p]),
        status=status,
        years_since_peak=int(yrs[-1] - peak_year),
        drop_from_peak_fraction=float(1.0 - gross[-1] / gross[p]),
        neutral_year=neutral,
        peak_target_year=int(peak_target_year),
        neutral_target_year=int(neutral_target_year),
        meets_peak_target=status == "peaked" and peak_year <= peak_target_year,
        meets_neutral_target=neutral is not None and neutral <= neutral_target_year,
        residual_gross_t=float(gross[residual_idx]),
        explanation=why,
        caveat=caveat,
    )
