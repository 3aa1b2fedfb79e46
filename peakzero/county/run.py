"""Size every building of a county in partitions: serially, or on Dask, resumably.

The buildings are cut into chains (:func:`plan_chains`: similar battery buildings share a
warm-started full-year LP) and the chains packed into partitions of about ``partition_size``
buildings' work (:func:`plan_partitions`). Each finished
partition is written at once to ``OUT/parts/part-NNNNN.parquet`` (written to a temporary name
and renamed, so a killed run never leaves half a file); ``parts/manifest.json`` holds a
fingerprint of the inputs. With ``resume=True`` only partitions without a file are computed (and
the fingerprint must match); the result is the parts read back and put in input order; chains
depend on the inputs only, so a resumed run, an uninterrupted run, a serial run and a run with
another partition size give the same table.

On Dask, what every building shares (tariffs, unit loads, one PV profile per station and
orientation class: :class:`peakzero.county.engines.CountyContext`) is scattered once to every
worker (``broadcast=True``) and each task receives a reference to it, not a copy.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peakzero.county.buildings import Building, BuildingError
from peakzero.county.engines import (
    CountyContext,
    FullYearLP,
    assign_stations,
    county_context,
    orientation_class,
)
from peakzero.county.models import CountyInput
from peakzero.county.screen import RESULT_COLUMNS, size_building
from peakzero.errors import PeakzeroError

#: Buildings per partition (a task on Dask, a file in ``parts/``), those that may need the
#: battery LP counting :data:`BATTERY_WEIGHT`.
DEFAULT_PARTITION_SIZE = 200
#: Work of a building that may need the full-year battery LP, in PV-alone buildings [-]
#: (0.2-0.4 s against ~0.015 s on the example county, 2026-11-26; weighted lower so that a
#: chain stays in one task).
BATTERY_WEIGHT = 5
#: Longest chain of buildings sharing one warm-started solver; a chain's first solve costs
#: 1-3 s, the others 0.05-0.8 s.
CHAIN_BUILDINGS = 100
#: Fewest chains the battery buildings are cut into (while a chain keeps at least
#: :data:`CHAIN_MIN_BUILDINGS`): a never-split chain is one task, so a few long chains leave a
#: worker idle at the end (1,000 buildings on 2 workers, idle 2-core machine, 2026-11-26:
#: efficiency 0.71 with chains of up to 100, 0.88-0.90 with at least 8 chains).
MIN_CHAINS = 8
CHAIN_MIN_BUILDINGS = 10
#: Memory limit of each local Dask worker.
DEFAULT_MEMORY_LIMIT = "1.5GiB"
PARTS = "parts"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class CountyRun:
    """The outcome of :func:`run_county`."""

    county: CountyInput
    results: pd.DataFrame
    skipped: tuple[BuildingError, ...]
    partitions: int
    computed_partitions: int
    seconds: float
    workers: int
    scheduler: str
    notes: tuple[str, ...] = field(default=())


def may_need_battery(building: Building, ctx: CountyContext) -> bool:
    """Whether the building's tariff could make a battery pay at all (a category that allows
    one, and a price spread or a demand charge): such buildings may go to the full-year LP and
    cost ~10-30 times a PV-alone building."""
    t = ctx.tariffs[building.category]
    spread = float(np.ptp(t.price_yuan_per_kwh)) > 0.0
    return t.battery and (spread or t.demand_charge_yuan_per_kw_month > 0.0)


def chain_key(building: Building, station: str, ctx: CountyContext) -> tuple[Any, ...]:
    """Buildings with the same key have full-year LPs with the same matrix (category, load
    archetype, PV profile), so they share a warm-started solver."""
    tilt, azimuth = orientation_class(building, ctx.station_latitude_deg[station])
    return (building.category, building.load, station, tilt, azimuth)


def plan_chains(
    buildings: list[Building], stations: dict[str, str], ctx: CountyContext
) -> list[list[int]]:
    """The buildings (input positions) cut into chains: each chain is sized in order by one
    warm-started solver (:class:`peakzero.county.engines.FullYearLP`).

    Buildings that may need the battery LP are grouped by category and load archetype, ordered
    by PV profile (:func:`chain_key`) then by roof area per kWh of load (neighbours have
    near-proportional LPs), and cut into chains of at most :data:`CHAIN_BUILDINGS`, shorter
    where needed to give :data:`MIN_CHAINS` chains to share among workers; every other
    building is a chain of its own. Chains depend on the inputs only, never on the partition
    size or the workers, so that a result does not depend on how the work was split (a
    different warm start may pick another of several equally optimal dispatches).
    """
    groups: dict[tuple[Any, ...], list[int]] = {}
    chains: list[list[int]] = []
    for i, b in enumerate(buildings):
        if may_need_battery(b, ctx):
            groups.setdefault(chain_key(b, stations[b.id], ctx), []).append(i)
        else:
            chains.append([i])

    def ratio(i: int) -> tuple[float, int]:
        return buildings[i].area_m2 / max(buildings[i].annual_kwh, 1e-9), i

    candidates = sum(len(members) for members in groups.values())
    length = min(CHAIN_BUILDINGS, max(CHAIN_MIN_BUILDINGS, -(-candidates // MIN_CHAINS)))
    for _, keys in itertools.groupby(sorted(groups, key=str), key=lambda k: k[:2]):
        members = [i for key in keys for i in sorted(groups[key], key=ratio)]
        chains.extend(members[j : j + length] for j in range(0, len(members), length))
    return chains


def plan_partitions(
    buildings: list[Building], stations: dict[str, str], ctx: CountyContext, partition_size: int
) -> list[list[list[int]]]:
    """Whole chains packed into partitions of about ``partition_size`` buildings' work, a
    building that may need the battery LP counting :data:`BATTERY_WEIGHT` (so partitions cost
    about the same and no worker is left with all the LPs); a chain longer than that is a
    partition of its own. Battery chains come first, so the longest tasks start early."""
    chains = plan_chains(buildings, stations, ctx)
    weight = [
        sum(BATTERY_WEIGHT if may_need_battery(buildings[i], ctx) else 1 for i in c) for c in chains
    ]
    order = sorted(range(len(chains)), key=lambda k: (-min(weight[k], 2), k))
    parts: list[list[list[int]]] = []
    load = 0
    for k in order:
        if not parts or load + weight[k] > partition_size:
            parts.append([])
            load = 0
        parts[-1].append(chains[k])
        load += weight[k]
    return parts


def partition_results(
    chains: list[list[Building]], stations: dict[str, str], ctx: CountyContext
) -> pd.DataFrame:
    """The result rows of one partition, chain after chain (a Dask task)."""
    rows: list[dict[str, Any]] = []
    for chain in chains:
        solver = FullYearLP()
        rows.extend(size_building(b, stations[b.id], ctx, solver) for b in chain)
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))


def fingerprint(county: CountyInput, buildings: list[Building], partition_size: int) -> str:
    """Hash of everything that decides the results: county file, buildings, partitioning."""
    digest = hashlib.sha256()
    digest.update(county.model_dump_json(exclude={"base_dir"}).encode())
    for b in buildings:
        digest.update(json.dumps(asdict(b), sort_keys=True).encode())
    digest.update(f"partition_size={partition_size}".encode())
    return digest.hexdigest()


def _part_path(folder: Path, i: int) -> Path:
    return folder / f"part-{i:05d}.parquet"


def _write_part(folder: Path, i: int, frame: pd.DataFrame) -> None:
    target = _part_path(folder, i)
    tmp = target.with_suffix(".parquet.tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, target)


def _prepare_parts(out_dir: Path, key: str, *, resume: bool, n_parts: int) -> tuple[Path, set[int]]:
    folder = out_dir / PARTS
    manifest = folder / MANIFEST
    if resume and manifest.is_file():
        found = json.loads(manifest.read_text(encoding="utf-8"))
        if found.get("fingerprint") != key:
            raise PeakzeroError(
                f"cannot resume in {str(out_dir)!r}: its partial results come from other inputs "
                "(county file, buildings or partition size changed). Run again without resuming, "
                "or write to another output folder.",
                field="resume",
            )
        done = {i for i in range(n_parts) if _part_path(folder, i).is_file()}
        return folder, done
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.parquet*"):
        old.unlink()
    tmp = manifest.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"fingerprint": key, "partitions": n_parts}), encoding="utf-8")
    os.replace(tmp, manifest)
    return folder, set()


def _cluster(workers: int, memory_limit: str) -> Any:
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        memory_limit=memory_limit,
        dashboard_address="127.0.0.1:0",
        host="127.0.0.1",
    )
    return Client(cluster), cluster  # type: ignore[no-untyped-call]


def run_county(
    county: CountyInput,
    buildings: list[Building],
    out_dir: str | Path,
    *,
    skipped: list[BuildingError] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    progress: Callable[[int, int], None] | None = None,
) -> CountyRun:
    """Size every building and return the results table (one row per building, input order).

    Parameters
    ----------
    workers
        ``0``: serial in this process; ``None``: a local Dask cluster with one single-threaded
        worker process per core; ``N``: N worker processes. Ignored with ``scheduler``.
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``) to use instead.
    resume
        Keep the partitions an earlier run with the same inputs finished.
    partition_size
        Buildings per partition.
    memory_limit
        Memory limit of each local worker (Dask spills, then pauses, above it).
    progress
        Called with (buildings just finished, total buildings) as partitions complete.
    """
    started = time.perf_counter()
    if partition_size < 1:
        raise PeakzeroError(f"partition_size = {partition_size}: allowed 1 or more")
    out = Path(out_dir)
    stations = assign_stations(buildings)
    ctx = county_context(county, buildings, stations, block_days=county.model.block_days)
    plan = plan_partitions(buildings, stations, ctx, partition_size)
    parts = [[[buildings[i] for i in chain] for chain in part] for part in plan]
    sizes = [sum(len(c) for c in part) for part in plan]
    key = fingerprint(county, buildings, partition_size)
    folder, done = _prepare_parts(out, key, resume=resume, n_parts=len(parts))
    total = len(buildings)
    if progress is not None and done:
        progress(sum(sizes[i] for i in done), total)
    todo = [i for i in range(len(parts)) if i not in done]
    if workers == 0 and scheduler is None:
        n_workers, where = 0, "serial"
        for i in todo:
            sub = {b.id: stations[b.id] for c in parts[i] for b in c}
            _write_part(folder, i, partition_results(parts[i], sub, ctx))
            if progress is not None:
                progress(sizes[i], total)
    else:
        n_workers, where = _run_dask(
            parts,
            sizes,
            todo,
            stations,
            ctx,
            folder,
            workers,
            scheduler,
            memory_limit,
            progress,
            total,
        )
    frames = [pd.read_parquet(_part_path(folder, i)) for i in range(len(parts))]
    order = np.argsort(np.array([i for part in plan for c in part for i in c], dtype=np.int64))
    results = pd.concat(frames, ignore_index=True).iloc[order].reset_index(drop=True)
    return CountyRun(
        county=county,
        results=results,
        skipped=tuple(skipped or ()),
        partitions=len(parts),
        computed_partitions=len(todo),
        seconds=time.perf_counter() - started,
        workers=n_workers,
        scheduler=where,
    )


def _run_dask(
    parts: list[list[list[Building]]],
    sizes: list[int],
    todo: list[int],
    stations: dict[str, str],
    ctx: CountyContext,
    folder: Path,
    workers: int | None,
    scheduler: str | None,
    memory_limit: str,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> tuple[int, str]:
    from dask.distributed import Client, as_completed

    cluster = None
    if scheduler is not None:
        client = Client(scheduler)  # type: ignore[no-untyped-call]
    else:
        client, cluster = _cluster(workers or os.cpu_count() or 1, memory_limit)
    try:
        n_workers = len(client.scheduler_info()["workers"])
        shared = client.scatter(ctx, broadcast=True, hash=False)  # type: ignore[no-untyped-call]
        futures = {}
        for i in todo:
            sub = {b.id: stations[b.id] for c in parts[i] for b in c}
            fut = client.submit(partition_results, parts[i], sub, shared, pure=False)
            futures[fut] = i
        for fut in as_completed(list(futures)):  # type: ignore[no-untyped-call]
            i = futures.pop(fut)
            _write_part(folder, i, fut.result())
            fut.release()
            if progress is not None:
                progress(sizes[i], total)
        where = scheduler or f"local cluster ({n_workers} processes)"
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()
    return n_workers, where
