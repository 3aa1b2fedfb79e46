"""Chinese commercial and industrial time-of-use tariffs and bills.

Bundled tariffs live in ``peakzero/data/tariffs/*.toml`` (each with its ``source``); user
tariffs are TOML or JSON files of the same shape, validated by :func:`load_tariff`.
"""

from __future__ import annotations

from peakzero.tariff.bill import Bill, compute_bill, interval_hours
from peakzero.tariff.model import (
    PERIODS,
    HolidayRule,
    Season,
    Tariff,
    TariffModel,
    list_tariffs,
    load_tariff,
    tariff_from_dict,
)
from peakzero.tariff.periods import hourly_energy_price, hourly_periods

__all__ = [
    "PERIODS",
    "Bill",
    "HolidayRule",
    "Season",
    "Tariff",
    "TariffModel",
    "compute_bill",
    "hourly_energy_price",
    "hourly_periods",
    "interval_hours",
    "list_tariffs",
    "load_tariff",
    "tariff_from_dict",
]
