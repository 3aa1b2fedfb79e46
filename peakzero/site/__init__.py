"""One site from file to results: PV + battery sizing, bills, cash flows and tCO2 avoided."""

from __future__ import annotations

from peakzero.site.avoided import CarbonAvoided, carbon_avoided
from peakzero.site.models import SiteInput, load_site, site_from_dict
from peakzero.site.planner import (
    Rounding,
    RoundingCandidate,
    SiteData,
    SiteResult,
    optimize_site,
    prepare_site,
    site_result,
)

__all__ = [
    "CarbonAvoided",
    "Rounding",
    "RoundingCandidate",
    "SiteData",
    "SiteInput",
    "SiteResult",
    "carbon_avoided",
    "load_site",
    "optimize_site",
    "prepare_site",
    "site_from_dict",
    "site_result",
]
