"""The county's files: ranked buildings (Parquet, CSV, GeoJSON), township, category and feeder
tables, ``summary.json`` and the report (HTML, optionally PDF).

Every file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peakzero.county.buildings import Building
from peakzero.county.programme import (
    NEA_SOURCE,
    Programme,
    cheapest_programme,
    feeder_table,
    nea_shares,
    totals_by,
)
from peakzero.county.run import CountyRun

#: How the building list is ranked.
RANKING = "simple payback ascending (buildings without PV last), then NPV descending, then id"


def ranked(results: pd.DataFrame) -> pd.DataFrame:
    """The results in rank order with a ``rank`` column (1 = best)."""
    payback = results["payback_years"].where(results["pv_kwp"] > 1e-6)
    order = pd.DataFrame(
        {"p": payback.fillna(math.inf), "n": -results["npv_yuan"], "id": results["id"]}
    )
    idx = order.sort_values(["p", "n", "id"], kind="mergesort").index
    out = results.loc[idx].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)


def _clean(value: Any) -> Any:
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else round(float(value), 6)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def summary(run: CountyRun, programme: Programme, shares: pd.DataFrame) -> dict[str, Any]:
    """The ``summary.json`` content."""
    r = run.results
    feeders = feeder_table(r, run.county)
    with_pv = r[r["pv_kwp"] > 1e-6]
    return {
        "county": run.county.name,
        "province": run.county.province,
        "year": run.county.year,
        "buildings": len(r),
        "buildings_with_pv": len(with_pv),
        "buildings_skipped": [str(e) for e in run.skipped],
        "pv_kwp": round(float(r["pv_kwp"].sum()), 3),
        "pv_ac_kw": round(float(r["pv_ac_kw"].sum()), 3),
        "battery_kw": round(float(r["battery_kw"].sum()), 3),
        "battery_kwh": round(float(r["battery_kwh"].sum()), 3),
        "pv_mwh_per_year": round(float(r["pv_year1_kwh"].sum()) / 1000.0, 3),
        "investment_yuan": round(float(r["capex_yuan"].sum()), 2),
        "savings_year1_yuan": round(float(r["savings_year1_yuan"].sum()), 2),
        "npv_yuan": round(float(r["npv_yuan"].sum()), 2),
        "co2_avoided_t_per_year": round(float(r["co2_avoided_t_per_year"].sum()), 3),
        "sizing_routes": {k: int(v) for k, v in r["sizing"].value_counts().sort_index().items()},
        "nea_shares": _records(shares),
        "nea_all_met": bool(shares["met"].all()),
        "nea_source": NEA_SOURCE,
        "cheapest_programme": programme.to_dict(),
        "feeder_flags": {k: int(v) for k, v in feeders["flag"].value_counts().sort_index().items()},
        "feeder_rule": (
            f"PV AC capacity (kWp / DC-AC ratio) on the feeder over its capacity [kVA]: green <= "
            f"{run.county.grid.green_max}, yellow <= {run.county.grid.yellow_max}, red above "
            "(editable screening thresholds)"
        ),
        "feeder_thresholds": {
            "green_max": run.county.grid.green_max,
            "yellow_max": run.county.grid.yellow_max,
        },
        "ranking": RANKING,
        "run": {
            "seconds": round(run.seconds, 2),
            "scheduler": run.scheduler,
            "workers": run.workers,
            "partitions": run.partitions,
            "partitions_computed": run.computed_partitions,
        },
    }


def buildings_geojson(frame: pd.DataFrame, buildings: list[Building]) -> dict[str, Any]:
    """Outlines (or points for CSV buildings) with the result columns as properties."""
    shape = {b.id: b for b in buildings}
    features = []
    for row in _records(frame):
        b = shape.get(str(row["id"]))
        if b is not None and b.outline_lonlat is not None:
            ring = [list(p) for p in b.outline_lonlat]
            geometry: dict[str, Any] = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
        else:
            geometry = {"type": "Point", "coordinates": [row["longitude_deg"], row["latitude_deg"]]}
        features.append({"type": "Feature", "properties": row, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def write_outputs(
    run: CountyRun,
    buildings: list[Building],
    out_dir: str | Path,
    *,
    lang: str = "zh",
    pdf: bool = False,
) -> dict[str, Path]:
    """Write every county output to ``out_dir``; return the paths by name."""
    from peakzero.county.report import render_html, write_pdf

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = ranked(run.results)
    programme = cheapest_programme(run.results, run.county)
    shares = nea_shares(run.results)
    chosen = programme.chosen.reindex(run.results.index, fill_value=False)
    by_id = dict(zip(run.results["id"], chosen, strict=True))
    table["in_cheapest_programme"] = table["id"].map(by_id).astype(bool)
    paths = {
        "buildings.parquet": out / "buildings.parquet",
        "buildings.csv": out / "buildings.csv",
        "buildings.geojson": out / "buildings.geojson",
        "townships.csv": out / "townships.csv",
        "categories.csv": out / "categories.csv",
        "feeders.csv": out / "feeders.csv",
        "nea_shares.csv": out / "nea_shares.csv",
        "summary.json": out / "summary.json",
        "report.html": out / "report.html",
    }
    _atomic(paths["buildings.parquet"], lambda p: table.to_parquet(p, index=False))
    _atomic(paths["buildings.csv"], lambda p: table.to_csv(p, index=False))
    geo = buildings_geojson(table, buildings)
    _atomic(
        paths["buildings.geojson"],
        lambda p: p.write_text(json.dumps(geo, ensure_ascii=False), encoding="utf-8"),
    )
    towns = totals_by(run.results, "township")
    cats = totals_by(run.results, "category")
    feeders = feeder_table(run.results, run.county)
    _atomic(paths["townships.csv"], lambda p: towns.to_csv(p, index=False))
    _atomic(paths["categories.csv"], lambda p: cats.to_csv(p, index=False))
    _atomic(paths["feeders.csv"], lambda p: feeders.to_csv(p, index=False))
    _atomic(paths["nea_shares.csv"], lambda p: shares.to_csv(p, index=False))
    info = summary(run, programme, shares)
    _atomic(
        paths["summary.json"],
        lambda p: p.write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", "utf-8"),
    )
    html = render_html(info, table, towns, cats, feeders, shares, buildings, lang=lang)
    _atomic(paths["report.html"], lambda p: p.write_text(html, encoding="utf-8"))
    if pdf:
        paths["report.pdf"] = out / "report.pdf"
        _atomic(paths["report.pdf"], lambda p: write_pdf(html, p))
    return paths
