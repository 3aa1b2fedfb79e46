"""The design rounded to products and re-evaluated (issue 12), on the Suzhou demo site.

Checks: the chosen candidate is the best NPV of all candidates evaluated; the warm-started
evaluation of a candidate equals an independent fresh solve of the site LP with the sizes fixed
(``pv.fixed_kwp``, ``battery.fixed_kw`` / ``fixed_kwh``); the NPV lost against the continuous
optimum is at least 0 and at most the bound that convexity gives from the chosen design's size
duals.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from peakzero.optimize import optimize_dispatch
from peakzero.plan import load_plan
from peakzero.plan.orchestrate import roof_layout, site_with_roof
from peakzero.site import SiteResult, optimize_site, site_result
from peakzero.site.buildable import design_candidates, round_site
from peakzero.site.models import SiteInput

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "plans" / "suzhou_factory" / "PLAN.toml"

#: Two solves of the same fixed-size LP (warm-started from another candidate's basis, or fresh
#: and staged) agree on the lifecycle cost to HiGHS' tolerances (1e-9 primal and dual
#: feasibility on ~10^5 rows of prices ~1 yuan/kWh); 1e-7 of the lifecycle cost (~6e7 yuan,
#: i.e. ~6 yuan) leaves room for the different vertex each may stop at, and is far below the
#: ~4,000 yuan between the two closest candidates.
SAME_LP_REL = 1e-7


@pytest.fixture(scope="module")
def site() -> SiteInput:
    plan = load_plan(EXAMPLE)
    return site_with_roof(plan, roof_layout(plan))


@pytest.fixture(scope="module")
def optimum(site: SiteInput) -> SiteResult:
    return optimize_site(site)


@pytest.fixture(scope="module")
def rounded(site: SiteInput, optimum: SiteResult) -> SiteResult:
    return round_site(site, optimum)


def _fresh(site: SiteInput, optimum: SiteResult, sizes: tuple[float, float, float]) -> SiteResult:
    """The site evaluated at ``sizes`` by a fresh, independent solve (fixed sizes)."""
    p = optimum.data.problem
    kwp, kw, kwh = sizes
    fixed = replace(
        p,
        pv=replace(p.pv, fixed_kwp=kwp),
        battery=replace(p.battery, fixed_kw=kw, fixed_kwh=kwh),
    )
    data = replace(optimum.data, problem=fixed)
    return site_result(site, data, optimize_dispatch(fixed))


def test_sizes_are_whole_products(rounded: SiteResult) -> None:
    r = rounded.rounding
    assert r is not None and r.pv is not None and r.battery is not None
    d = rounded.dispatch
    assert d.pv_kwp == pytest.approx(r.pv.modules * r.pv.module.power_w / 1000.0, abs=1e-6)
    assert d.battery_kw == pytest.approx(r.battery.units * r.battery.unit.kw, abs=1e-6)
    assert d.battery_kwh == pytest.approx(r.battery.units * r.battery.unit.kwh, abs=1e-6)
    # Suzhou: 333 strings of 19 x 590 W; 15 cabinets of 125 kW / 261 kWh
    assert (r.pv.strings, r.pv.modules_per_string) == (333, 19)
    assert (r.battery.unit.id, r.battery.units) == ("cabinet_125_261", 15)


def test_choice_is_the_best_npv_of_the_candidates(rounded: SiteResult, optimum: SiteResult) -> None:
    r = rounded.rounding
    assert r is not None
    listed = design_candidates(optimum.data, optimum)
    assert [c.sizes for c in r.candidates] == [c.sizes for c in listed]
    assert len(listed) == 16  # 2 PV (332, 333 strings) x 8 battery options
    npvs = [c.npv_yuan for c in r.candidates]
    assert all(v is not None for v in npvs)
    best = int(np.argmax([float(v) for v in npvs if v is not None]))
    assert r.candidates[best].sizes == pytest.approx(
        (rounded.dispatch.pv_kwp, rounded.dispatch.battery_kw, rounded.dispatch.battery_kwh)
    )
    assert rounded.npv_yuan == r.candidates[best].npv_yuan


def test_warm_started_candidates_equal_fresh_fixed_size_solves(
    site: SiteInput, rounded: SiteResult, optimum: SiteResult
) -> None:
    """Brute force by independent solves on three candidates: the chosen one, the best with
    another battery count, and the best without a battery (a fresh solve of all 16 takes a
    minute; the warm-started path is the same code for every candidate)."""
    r = rounded.rounding
    assert r is not None
    chosen = max(r.candidates, key=lambda c: c.npv_yuan or -np.inf)
    other = max(
        (c for c in r.candidates if c.battery_kwh != chosen.battery_kwh and c.battery_kwh > 0),
        key=lambda c: c.npv_yuan or -np.inf,
    )
    bare = max((c for c in r.candidates if c.battery_kwh == 0), key=lambda c: c.npv_yuan or 0)
    scale = optimum.objective_bau_yuan
    for cand in (chosen, other, bare):
        fresh = _fresh(site, optimum, cand.sizes)
        assert cand.npv_yuan is not None
        assert fresh.npv_yuan == pytest.approx(cand.npv_yuan, abs=SAME_LP_REL * scale)
    assert chosen.npv_yuan is not None and other.npv_yuan is not None
    assert chosen.npv_yuan > other.npv_yuan + 10 * SAME_LP_REL * scale


def test_npv_loss_is_within_the_convexity_bound(rounded: SiteResult, optimum: SiteResult) -> None:
    """The lifecycle cost is convex in the sizes (an LP's optimal value in its bounds), so with
    ``g`` the reduced costs of the fixed sizes at the rounded design ``x``:
    ``cost(x*) >= cost(x) + g @ (x* - x)``, i.e. NPV lost ``<= g @ (x - x*)``. Exact when the
    carbon revenue is 0 (the LP does not price it) and both have the same battery replacement
    year (its cost coefficient)."""
    assert optimum.carbon_revenue_pv_yuan == 0.0
    assert rounded.replacement_year == optimum.replacement_year
    g = rounded.size_duals_yuan
    assert g is not None
    x = np.array(
        [rounded.dispatch.pv_kwp, rounded.dispatch.battery_kw, rounded.dispatch.battery_kwh]
    )
    o = optimum.dispatch
    x_star = np.array([o.pv_kwp, o.battery_kw, o.battery_kwh])
    loss = optimum.npv_yuan - rounded.npv_yuan
    bound = float(g @ (x - x_star))
    tol = SAME_LP_REL * optimum.objective_bau_yuan
    assert -tol <= loss <= bound + tol
    # Suzhou: 433,585 yuan lost (2.1 %) within a bound of ~583,000 yuan; the extra battery
    # power (1,875 kW against 1,146 kW) costs most of it
    assert loss == pytest.approx(433_585, abs=50)
    assert bound == pytest.approx(583_400, rel=0.01)


def test_note_states_the_optimum_and_the_difference(
    rounded: SiteResult, optimum: SiteResult
) -> None:
    note = rounded.notes[0]
    assert f"NPV {optimum.npv_yuan:,.0f} yuan" in note
    assert f"NPV {rounded.npv_yuan:,.0f} yuan" in note
    assert f"{rounded.npv_yuan - optimum.npv_yuan:+,.0f} yuan" in note
    assert "16 rounded candidates" in note


def test_no_product_fits_keeps_the_optimum_with_a_note(
    site: SiteInput, optimum: SiteResult
) -> None:
    kept = round_site(site, optimum, module_id="no_such_module")
    assert kept.rounding is None and kept.dispatch is optimum.dispatch
    assert kept.notes[-1].startswith("Design not rounded to products: module = 'no_such_module'")
