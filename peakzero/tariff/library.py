"""The bundled tariffs as a light catalogue, and the province rules.

Reads the TOML files with ``tomllib`` only (no pandas, no pydantic model), so that
``peakzero tariff list`` answers fast; :func:`~peakzero.tariff.load_tariff` validates a file
fully when it is used.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from peakzero.errors import PeakzeroError
from peakzero.provinces import resolve_province

if TYPE_CHECKING:
    from peakzero.tariff.model import Tariff

_DIR = "data/tariffs"


@dataclass(frozen=True)
class TariffEntry:
    """One bundled tariff file, as listed by ``peakzero tariff list``."""

    name: str
    province: str
    grid_area: str
    voltage_class: str
    confidence: str
    flat_price_yuan_per_kwh: float
    demand_charge_yuan_per_kw_month: float | None
    capacity_charge_yuan_per_kva_month: float | None
    export_price_yuan_per_kwh: float
    defaults: tuple[str, ...]
    source: str

    @property
    def two_part(self) -> bool:
        return self.name.endswith("two_part")


def _entry(name: str, raw: dict[str, Any]) -> TariffEntry:
    return TariffEntry(
        name=name,
        province=str(raw.get("province", "")),
        grid_area=str(raw.get("grid_area", "")),
        voltage_class=str(raw.get("voltage_class", "")),
        confidence=str(raw.get("confidence", "")),
        flat_price_yuan_per_kwh=float(raw["flat_price_yuan_per_kwh"]),
        demand_charge_yuan_per_kw_month=raw.get("demand_charge_yuan_per_kw_month"),
        capacity_charge_yuan_per_kva_month=raw.get("capacity_charge_yuan_per_kva_month"),
        export_price_yuan_per_kwh=float(raw.get("export_price_yuan_per_kwh", 0.0)),
        defaults=tuple(raw.get("defaults", ())),
        source=str(raw.get("source", "")),
    )


@lru_cache(maxsize=1)
def catalog() -> tuple[TariffEntry, ...]:
    """Every bundled tariff, sorted by name.

    >>> any(e.name == "sichuan_2025_two_part" for e in catalog())
    True
    """
    folder = resources.files("peakzero").joinpath(_DIR)
    entries = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            raw = tomllib.loads(item.read_text(encoding="utf-8"))
            entries.append(_entry(item.name.removesuffix(".toml"), raw))
    return tuple(entries)


def tariffs_for_province(province: str) -> tuple[TariffEntry, ...]:
    """The bundled tariffs of a province (any spelling: ``"四川"``, ``"sichuan"``, ...)."""
    name = resolve_province(province).name
    return tuple(e for e in catalog() if e.province == name)


def default_tariff_name(province: str) -> str:
    """Name of a province's default tariff: the two-part tariff of its first grid area.

    Hebei's default is the Hebei Southern Grid's, Inner Mongolia's Mengxi's; pick the other
    area's tariff by name when the site is in Jibei or Mengdong.

    >>> default_tariff_name("四川"), default_tariff_name("Hebei")
    ('sichuan_2025_two_part', 'hebei_south_2025_two_part')
    """
    prov = resolve_province(province)
    area = prov.grid_areas[0]
    matches = [e.name for e in catalog() if e.grid_area == area and e.two_part]
    if not matches:  # a province whose files are not area-tagged: any two-part tariff
        matches = [e.name for e in catalog() if e.province == prov.name and e.two_part]
    if not matches:
        raise PeakzeroError(f"no bundled tariff for {prov.name} ({prov.name_zh})", field="province")
    return matches[-1]


def default_tariff(province: str) -> Tariff:
    """The province's default tariff (see :func:`default_tariff_name`), loaded and validated."""
    from peakzero.tariff.model import load_tariff

    return load_tariff(default_tariff_name(province))


def check_tariff_province(tariff: Tariff, province: str) -> None:
    """Refuse a tariff of another province than the site's.

    A tariff with no province, a site with no province (``"national"`` or empty), or a tariff
    file saying ``allow_other_province = true`` passes.

    Raises
    ------
    PeakzeroError
        Naming both provinces and the fix.
    """
    if not tariff.province or tariff.allow_other_province:
        return
    if not province or province.strip().casefold() in {"national", "china", "全国"}:
        return
    site = resolve_province(province)
    own = resolve_province(tariff.province)
    if site.name == own.name:
        return
    raise PeakzeroError(
        f"tariff {tariff.name!r} is a {own.name} ({own.short_zh}) tariff but the site is in "
        f"{site.name} ({site.short_zh}); use the site's own tariff "
        f"({default_tariff_name(site.name)!r}, or another {site.name} tariff), or set "
        "allow_other_province = true in the tariff file for a "
        "cross-province grid area or a what-if",
        field="tariff",
    )
