"""peakzero: plan the road to carbon peak (碳达峰) and carbon neutrality (碳中和).

Emissions accounting, rooftop PV + storage design under Chinese time-of-use tariffs,
and least-cost year-by-year roadmaps, fully offline.
"""

from peakzero.errors import PeakzeroError

__all__ = ["PeakzeroError", "__version__"]
__version__ = "0.1.0"
