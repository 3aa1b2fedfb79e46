"""Both LPs in one process, in either order (HiGHS has one thread scheduler per process)."""

from __future__ import annotations

from pathlib import Path

from peakzero.pathway import load_pathway, plan_pathway
from peakzero.site import load_site, optimize_site

ROOT = Path(__file__).resolve().parents[1]


def test_pathway_then_site_then_pathway() -> None:
    pathway = load_pathway(ROOT / "examples" / "pathway" / "industrial_park.toml")
    first = plan_pathway(pathway)
    site = optimize_site(load_site(ROOT / "examples" / "sites" / "guangzhou_mall" / "SITE.toml"))
    assert site.status == "optimal"
    again = plan_pathway(pathway)
    assert again.total_cost_yuan == first.total_cost_yuan
