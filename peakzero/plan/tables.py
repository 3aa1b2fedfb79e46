"""The CSV tables of a plan and of a pathway: each file's schema stated once, here.

=======================  ===================================================================
file                     columns
=======================  ===================================================================
``dispatch_hourly.csv``  ``time`` (index, China Standard Time), load, PV available and every
                         flow [kW], ``soc_kwh``, ``price_yuan_per_kwh``
                         (:meth:`peakzero.site.SiteResult.hourly`)
``cash_flows.csv``       ``year`` and the project's cash flows [yuan] (site planner)
``roadmap.csv``          :data:`ROADMAP_COLUMNS`
``trajectory.csv``       :data:`TRAJECTORY_COLUMNS`
``macc.csv``             :data:`MACC_COLUMNS`
=======================  ===================================================================

``peakzero plan`` writes all five; ``peakzero pathway plan`` the last three (its
``with_solution_gross_t`` is empty: there is no site design).
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from peakzero.pathway import PathwayResult
    from peakzero.site import SiteResult

#: trajectory.csv: one row per year [tCO2], grid factor [tCO2/MWh].
TRAJECTORY_COLUMNS = (
    "year",
    "baseline_gross_t",
    "with_solution_gross_t",
    "gross_t",
    "sinks_t",
    "offsets_t",
    "net_t",
    "ef_t_per_mwh",
)
#: roadmap.csv: one row per measure and year it is deployed or active. ``unit`` is what one unit
#: is; ``cost_yuan = capex_yuan + opex_yuan`` (opex negative where running savings exceed
#: costs); ``abatement_t`` includes ``offset_t``, the offsets bought (not an emissions cut).
ROADMAP_COLUMNS = (
    "year",
    "measure",
    "unit",
    "units",
    "units_active",
    "capex_yuan",
    "opex_yuan",
    "cost_yuan",
    "abatement_t",
    "offset_t",
    "salvage_credit_yuan",
    "present_value_yuan",
)
#: macc.csv: one row per measure, in the MACC year ``year``.
MACC_COLUMNS = (
    "year",
    "measure",
    "cost_yuan_per_t",
    "abatement_per_unit_t",
    "potential_t",
    "deployed_t",
    "cumulative_potential_t",
)


def trajectory_table(
    pathway: PathwayResult, with_solution_gross_t: np.ndarray | None = None
) -> pd.DataFrame:
    """trajectory.csv: baseline, with the site design alone (when there is one), the roadmap's
    gross, sinks, offsets and net emissions [tCO2] and the grid factor [tCO2/MWh] per year."""
    t = pathway.trajectory
    n = len(pathway.years)
    design = (
        np.full(n, np.nan)
        if with_solution_gross_t is None
        else np.asarray(with_solution_gross_t, dtype=float)
    )
    frame = pd.DataFrame(
        {
            "year": np.asarray(pathway.years, dtype=int),
            "baseline_gross_t": t.baseline_gross_t,
            "with_solution_gross_t": design,
            "gross_t": t.gross_t,
            "sinks_t": t.sinks_t,
            "offsets_t": t.offsets_t,
            "net_t": t.net_t,
            "ef_t_per_mwh": pathway.ef_t_per_mwh,
        }
    )
    return frame[list(TRAJECTORY_COLUMNS)]


def _rows(rows: tuple[Any, ...], columns: tuple[str, ...], **fixed: object) -> pd.DataFrame:
    records = [{**fixed, **dataclasses.asdict(r)} for r in rows]
    missing = sorted({c for r in records for c in columns if c not in r})
    if missing:
        raise KeyError(f"table columns {missing} are not fields of {type(rows[0]).__name__}")
    return pd.DataFrame(records, columns=list(columns))


def roadmap_table(pathway: PathwayResult) -> pd.DataFrame:
    """roadmap.csv: units, cost [yuan] and abatement [tCO2] of each measure in each year."""
    return _rows(pathway.roadmap, ROADMAP_COLUMNS)


def macc_table(pathway: PathwayResult) -> pd.DataFrame:
    """macc.csv: the marginal abatement cost curve in the MACC year [yuan/tCO2, tCO2]."""
    return _rows(pathway.macc, MACC_COLUMNS, year=pathway.macc_year)


def pathway_tables(
    pathway: PathwayResult, with_solution_gross_t: np.ndarray | None = None
) -> dict[str, pd.DataFrame]:
    """roadmap.csv, trajectory.csv and macc.csv of a pathway."""
    return {
        "roadmap.csv": roadmap_table(pathway),
        "trajectory.csv": trajectory_table(pathway, with_solution_gross_t),
        "macc.csv": macc_table(pathway),
    }


def plan_tables(
    site: SiteResult, pathway: PathwayResult, with_solution_gross_t: np.ndarray | None
) -> dict[str, pd.DataFrame]:
    """Every CSV of a plan, by file name (``dispatch_hourly.csv`` keeps its time index)."""
    return {
        "dispatch_hourly.csv": site.hourly(),
        "cash_flows.csv": site.cash_flows,
        **pathway_tables(pathway, with_solution_gross_t),
    }


def write_csv(frame: pd.DataFrame, path: str, name: str) -> None:
    """Write one table: the time index of ``dispatch_hourly.csv`` is its first column, the other
    tables have none."""
    frame.to_csv(path, index=name == "dispatch_hourly.csv")


def assumptions_frame(results: dict[str, Any]) -> pd.DataFrame:
    """``assumptions.csv``: every assumption of the results dict with its group, names in both
    languages, schema key, value, unit and full source."""
    columns = ["group", "key", "name", "name_zh", "value", "unit", "source"]
    rows = [
        {c: (json.dumps(a.get(c)) if isinstance(a.get(c), dict) else a.get(c, "")) for c in columns}
        for a in results.get("assumptions", [])
    ]
    return pd.DataFrame(rows, columns=columns)
