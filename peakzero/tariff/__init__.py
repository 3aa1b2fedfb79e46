"""Chinese commercial and industrial time-of-use tariffs and bills.

Bundled tariffs live in ``peakzero/data/tariffs/*.toml`` (each with its ``source``,
``confidence`` and the list of figures that are editable ``defaults``); user tariffs are TOML or
JSON files of the same shape, validated by :func:`load_tariff`. See ``docs/tariffs.md``.

Names are imported on first use (PEP 562), so that the light catalogue
(:func:`catalog`, :func:`tariffs_for_province`) does not import pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peakzero.tariff.bill import Bill, compute_bill, interval_hours
    from peakzero.tariff.library import (
        TariffEntry,
        catalog,
        check_tariff_province,
        default_tariff,
        default_tariff_name,
        tariffs_for_province,
    )
    from peakzero.tariff.model import (
        PERIODS,
        CriticalPeakTrigger,
        DateRule,
        HolidayRule,
        Season,
        Tariff,
        TariffModel,
        list_tariffs,
        load_tariff,
        tariff_from_dict,
    )
    from peakzero.tariff.periods import hourly_energy_price, hourly_periods, trigger_days

_WHERE = {
    "Bill": "bill",
    "compute_bill": "bill",
    "interval_hours": "bill",
    "TariffEntry": "library",
    "catalog": "library",
    "check_tariff_province": "library",
    "default_tariff": "library",
    "default_tariff_name": "library",
    "tariffs_for_province": "library",
    "PERIODS": "model",
    "CriticalPeakTrigger": "model",
    "DateRule": "model",
    "HolidayRule": "model",
    "Season": "model",
    "Tariff": "model",
    "TariffModel": "model",
    "list_tariffs": "model",
    "load_tariff": "model",
    "tariff_from_dict": "model",
    "hourly_energy_price": "periods",
    "hourly_periods": "periods",
    "trigger_days": "periods",
}

__all__ = [
    "PERIODS",
    "Bill",
    "CriticalPeakTrigger",
    "DateRule",
    "HolidayRule",
    "Season",
    "Tariff",
    "TariffEntry",
    "TariffModel",
    "catalog",
    "check_tariff_province",
    "compute_bill",
    "default_tariff",
    "default_tariff_name",
    "hourly_energy_price",
    "hourly_periods",
    "interval_hours",
    "list_tariffs",
    "load_tariff",
    "tariff_from_dict",
    "tariffs_for_province",
    "trigger_days",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'peakzero.tariff' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"peakzero.tariff.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
