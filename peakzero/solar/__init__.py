"""PV yield on pvlib: vectorised chain (``model``) and per-kWp site profiles (``profile``).

Angles follow pvlib: azimuth clockwise from north, 180 = south; tilt from horizontal.
"""

from peakzero.solar.model import (
    PVWATTS_DEFAULT_LOSSES_FRACTION,
    PVArray,
    PVSystem,
    simulate_ac_kw_per_kwp,
)
from peakzero.solar.profile import (
    PVProfile,
    default_tilt_deg,
    orientation_yields,
    performance_ratio,
    pv_profile,
    pv_profiles,
)
from peakzero.solar.sun import solar_position

__all__ = [
    "PVWATTS_DEFAULT_LOSSES_FRACTION",
    "PVArray",
    "PVProfile",
    "PVSystem",
    "default_tilt_deg",
    "orientation_yields",
    "performance_ratio",
    "pv_profile",
    "pv_profiles",
    "simulate_ac_kw_per_kwp",
    "solar_position",
]
