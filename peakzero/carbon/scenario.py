"""Project a scenario: baseline by period, Monte Carlo peak year, STIRPAT comparison.

The workflow of ``peakzero carbon project``: a scenario TOML (``[scenario]``, ``[base]`` Kaya
factors, ``[rates.<factor>]`` growth by period) is projected with :func:`project_kaya`, its peak
analysed, the peak-year distribution sampled (:func:`simulate_peak`) and, when the scenario
names a history of drivers, a STIRPAT model fitted to it and run on the baseline drivers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from peakzero.carbon.decomposition import kaya_factors
from peakzero.carbon.drivers import energy_column
from peakzero.carbon.models import ScenarioFile, load_scenario, read_csv_columns
from peakzero.carbon.montecarlo import PeakDistribution, peak_years, simulate_peak
from peakzero.carbon.projection import Projection, StirpatFit, fit_stirpat, project_kaya
from peakzero.carbon.trajectory import TrajectoryAnalysis, analyze_trajectory


@dataclass(frozen=True, eq=False)
class StirpatComparison:
    """A STIRPAT model fitted to the history, run on the baseline drivers when it can be.

    Parameters
    ----------
    fit
        The fitted model ``ln I = a + b ln P + c ln A + d ln T``.
    emissions_t
        Emissions the model gives on the baseline's population, GDP per capita and energy
        intensity [tCO2], or ``None`` when the scenario does not project those three factors.
    peak_year
        Peak year of that path (``None`` if it has none or there is no path).
    """

    fit: StirpatFit
    emissions_t: np.ndarray | None
    peak_year: int | None

    def to_dict(self) -> dict[str, object]:
        """The fit (and the path on the baseline drivers, if any) as stable JSON keys."""
        f = self.fit
        out: dict[str, object] = {
            "a": f.a, "b": f.b, "c": f.c, "d": f.d,
            "r_squared": f.r_squared, "n_years": f.n_years,
        }  # fmt: skip
        if self.emissions_t is not None:
            out["emissions_t"] = self.emissions_t.tolist()
            out["peak_year"] = self.peak_year
        return out


@dataclass(frozen=True, eq=False)
class ScenarioProjection:
    """Baseline projection, its peak analysis, the Monte Carlo peak years and STIRPAT."""

    name: str
    baseline: Projection
    analysis: TrajectoryAnalysis
    monte_carlo: PeakDistribution
    stirpat: StirpatComparison | None

    def to_dict(self) -> dict[str, object]:
        """The projection as stable JSON keys (the JSON of ``peakzero carbon project``)."""
        base = self.baseline
        out: dict[str, object] = {
            "name": self.name,
            "baseline": {
                "years": base.years.tolist(),
                "emissions_t": base.emissions_t.tolist(),
                **{
                    k: v
                    for k, v in self.analysis.to_dict().items()
                    if k not in ("years", "gross_t", "net_t", "growth_rate")
                },
            },
            "monte_carlo": self.monte_carlo.to_dict(),
        }
        if self.stirpat is not None:
            out["stirpat"] = self.stirpat.to_dict()
        return out


def _stirpat(history: Path, baseline: Projection) -> StirpatComparison:
    energy_col = energy_column(history)
    h = read_csv_columns(history, ["year", "emissions_t", "population", "gdp_yuan", energy_col])
    kf = kaya_factors(h["population"], h["gdp_yuan"], h[energy_col], h["emissions_t"])
    fit = fit_stirpat(
        h["emissions_t"], kf["population"], kf["gdp_per_capita"], kf["energy_intensity"]
    )
    if {"population", "gdp_per_capita", "energy_intensity"} - set(baseline.factors):
        return StirpatComparison(fit, None, None)
    path = fit.predict(
        baseline.factors["population"],
        baseline.factors["gdp_per_capita"],
        baseline.factors["energy_intensity"],
    )
    py = peak_years(baseline.years, path[None, :])[0]
    return StirpatComparison(fit, path, int(py) if np.isfinite(py) else None)


def project_scenario(
    scenario: Path | ScenarioFile,
    *,
    samples: int | None = None,
    seed: int | None = None,
    base_dir: Path | None = None,
) -> ScenarioProjection:
    """Baseline projection by period, Monte Carlo peak-year distribution, STIRPAT comparison.

    Parameters
    ----------
    scenario
        A scenario TOML file, or its parsed :class:`~peakzero.carbon.models.ScenarioFile`.
    samples, seed
        Monte Carlo samples and random seed; default those of the scenario.
    base_dir
        Folder the scenario's ``history`` path is relative to: default the scenario file's
        folder, or the working folder for a parsed scenario.

    Returns
    -------
    ScenarioProjection

    Raises
    ------
    PeakzeroError
        For an invalid scenario or history file.
    """
    if isinstance(scenario, Path):
        base_dir = scenario.parent if base_dir is None else base_dir
        scenario = load_scenario(scenario)
    info = scenario.scenario
    means = {k: np.asarray(r.mean) for k, r in scenario.rates.items()}
    sds = {
        k: np.asarray(r.sd if r.sd is not None else [0.0] * len(r.mean))
        for k, r in scenario.rates.items()
    }
    baseline = project_kaya(scenario.base, means, info.periods)
    analysis = analyze_trajectory(
        baseline.years,
        baseline.emissions_t,
        peak_target_year=info.peak_target_year,
        neutral_target_year=info.neutral_target_year,
    )
    mc = simulate_peak(
        scenario.base,
        means,
        sds,
        info.periods,
        n_samples=samples if samples is not None else info.samples,
        seed=seed if seed is not None else info.seed,
        target_year=info.peak_target_year,
    )
    stirpat = None
    if info.history is not None:
        history = ((base_dir or Path()) / info.history).resolve()
        stirpat = _stirpat(history, baseline)
    return ScenarioProjection(info.name, baseline, analysis, mc, stirpat)


__all__ = ["ScenarioProjection", "StirpatComparison", "project_scenario"]
