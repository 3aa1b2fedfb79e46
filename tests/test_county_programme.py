"""NEA share arithmetic, feeder flags and the cheapest programme (MILP) against brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from peakzero.county import cheapest_programme, nea_shares
from peakzero.county.models import county_from_dict
from peakzero.county.programme import feeder_flag, feeder_table


def _frame() -> pd.DataFrame:
    # roof areas chosen so every share is a round number by hand
    return pd.DataFrame(
        {
            "id": ["g1", "g2", "p1", "p2", "p3", "c1", "c2", "r1", "r2", "r3", "r4", "r5"],
            "category": ["government"] * 2
            + ["public_service"] * 3
            + ["commercial_industrial"] * 2
            + ["rural_residential"] * 5,
            "area_m2": [600.0, 400.0, 100.0, 300.0, 600.0, 2000.0, 8000.0, 100.0, 100.0, 100.0,
                        100.0, 100.0],
            "pv_kwp": [50.0, 0.0, 10.0, 30.0, 0.0, 0.0, 900.0, 15.0, 0.0, 0.0, 0.0, 0.0],
        }
    )  # fmt: skip


def test_nea_shares_by_hand() -> None:
    shares = nea_shares(_frame()).set_index("category")
    # government 600 / 1000 = 0.6 >= 0.5; public 400 / 1000 = 0.4 >= 0.4 (exactly at the floor);
    # C&I 8000 / 10000 = 0.8 >= 0.3; rural 100 / 500 = 0.2 >= 0.2 (exactly)
    assert shares["share"].tolist() == pytest.approx([0.6, 0.4, 0.8, 0.2], abs=1e-12)
    assert shares["minimum"].tolist() == [0.5, 0.4, 0.3, 0.2]
    assert shares["met"].all()
    chosen = pd.Series([True, False, True, False, False, True, False, True] + [False] * 4)
    again = nea_shares(_frame(), chosen).set_index("category")
    # public 100 / 1000 = 0.1 < 0.4, C&I 2000 / 10000 = 0.2 < 0.3
    assert again["share"].tolist() == pytest.approx([0.6, 0.1, 0.2, 0.2], abs=1e-12)
    assert again["met"].tolist() == [True, False, False, True]


@pytest.mark.parametrize(
    ("ratio", "flag"),
    [(0.0, "green"), (0.6, "green"), (0.6000001, "yellow"), (0.8, "yellow"), (0.81, "red"),
     (math.nan, "unknown")],
)  # fmt: skip
def test_feeder_flag_rule(ratio: float, flag: str) -> None:
    assert feeder_flag(ratio, 0.6, 0.8) == flag


def test_feeder_table_against_capacity() -> None:
    county = county_from_dict(
        {
            "name": "t",
            "buildings": "b.csv",
            "feeders": [{"id": "A", "capacity_kva": 100}, {"id": "B", "capacity_kva": 100},
                        {"id": "C", "capacity_kva": 100}, {"id": "D", "capacity_kva": 50}],
        }
    )  # fmt: skip
    results = pd.DataFrame(
        {
            "feeder": ["A", "A", "B", "C", "E"],
            "pv_kwp": [36.0, 36.0, 84.0, 120.0, 10.0],
            "pv_ac_kw": [30.0, 30.0, 70.0, 100.0, 8.0],
            "battery_kwh": [0.0] * 5,
        }
    )
    table = feeder_table(results, county).set_index("feeder")
    assert table.loc["A", "pv_to_capacity"] == pytest.approx(0.6)
    assert table.loc[["A", "B", "C", "D", "E"], "flag"].tolist() == [
        "green", "yellow", "red", "green", "unknown",
    ]  # fmt: skip


def _brute_force(frame: pd.DataFrame, caps: dict[str, float]) -> float:
    best = math.inf
    ids = list(frame.index)
    for mask in itertools.product([False, True], repeat=len(ids)):
        chosen = pd.Series(mask, index=ids) & (frame["pv_kwp"] > 0)
        if not nea_shares(frame, chosen)["met"].all():
            continue
        ac = frame.loc[chosen, ["feeder", "pv_ac_kw"]].groupby("feeder")["pv_ac_kw"].sum()
        if any(ac.get(f, 0.0) > 0.8 * kva + 1e-9 for f, kva in caps.items()):
            continue
        best = min(best, float(frame.loc[chosen, "capex_yuan"].sum()))
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cheapest_programme_matches_brute_force(seed: int) -> None:
    """12 random buildings, 4096 subsets: the MILP's least investment equals the enumeration's
    (to 1e-6 relative: HiGHS proves optimality to a 1e-6 relative gap)."""
    rng = np.random.default_rng(seed)
    n = 12
    frame = pd.DataFrame(
        {
            "id": [f"b{i}" for i in range(n)],
            "category": rng.choice(
                ["government", "public_service", "commercial_industrial", "rural_residential"], n
            ),
            "area_m2": rng.uniform(50, 2000, n).round(1),
            "pv_kwp": np.where(rng.random(n) < 0.85, rng.uniform(5, 200, n), 0.0),
            "feeder": rng.choice(["A", "B"], n),
        }
    )
    frame["pv_ac_kw"] = frame["pv_kwp"] / 1.2
    frame["capex_yuan"] = frame["pv_kwp"] * rng.uniform(2800, 3600, n)
    frame["npv_yuan"] = 0.0
    caps = {"A": 300.0, "B": 250.0}
    county = county_from_dict(
        {"name": "t", "buildings": "b.csv",
         "feeders": [{"id": k, "capacity_kva": v} for k, v in caps.items()]}
    )  # fmt: skip
    best = _brute_force(frame, caps)
    programme = cheapest_programme(frame, county)
    if math.isinf(best):
        assert programme.status == "infeasible"
    else:
        assert programme.status == "optimal"
        assert programme.capex_yuan == pytest.approx(best, rel=1e-6)
        assert nea_shares(frame, programme.chosen)["met"].all()
