"""The instant estimate: rooftop PV for a visitor's building in milliseconds, without the LP.

From a place, a building type, a roof area and an electricity use, the estimate gives a PV size,
its annual yield, the first-year saving on the province's time-of-use tariff, the simple payback,
the tCO2 avoided and what that does to the customer's emissions. It is the screening answer a
proposal website gives at once; the expert's full plan (:mod:`peakzero.plan`, the site LP with
storage, demand charges and cash flows) refines it.

The chain, each step a function on arrays:

1. place -> nearest bundled CSWD station (a city table in Chinese or pinyin, or latitude/longitude);
2. station -> hourly AC output per kWp (the pvlib chain of :mod:`peakzero.solar`, cached per
   station and tilt: the first estimate at a station pays ~0.1 s, later ones nothing);
3. roof area -> maximum kWp (:func:`peakzero.roof.layout_roof`, GB 50797 row spacing);
4. building type + annual kWh (or a monthly bill turned into kWh at the tariff's mean price over
   the archetype's hours) -> hourly load (:func:`peakzero.load.archetype_load`);
5. PV size: the candidate size (1/40 steps of the roof maximum) with the highest lifetime value,
   ``annuity x (energy saving - O&M) - capex`` (:func:`choose_kwp`), with the saving of each hour
   ``min(PV, load) x price + export x export price`` (:func:`pv_energy_split`);
6. tCO2 avoided = (self-consumed + exported kWh) x the province's grid factor.

Demand and capacity charges, storage, degradation within year 1 and the tariff's export cap are
not in the estimate (the full plan has them); the saving is that of the energy charge only,
which makes it a lower bound where PV trims the monthly peak.

Examples
--------
>>> used, exported = pv_energy_split(np.array([[0.0, 2.0], [3.0, 6.0]]), np.array([1.0, 4.0]))
>>> used.tolist(), exported.tolist()
([3.0, 5.0], [0.0, 3.0])
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from peakzero.errors import PeakzeroError

#: The year the estimate's hourly series are laid on (holidays, tariff calendar).
ESTIMATE_YEAR = 2025
#: Candidate PV sizes: the roof maximum in this many equal steps.
SIZE_STEPS = 40
#: Tilt of modules on a pitched roof when the visitor gives none: a common tiled-roof pitch [deg].
PITCHED_ROOF_DEG = 20.0

Province = Literal["Jiangsu", "Zhejiang", "Shanghai", "Guangdong", "Shandong"]
BuildingType = Literal[
    "factory_one_shift",
    "factory_two_shift",
    "factory_continuous",
    "office",
    "mall",
    "hospital",
    "cold_storage",
]

#: The bundled time-of-use tariff of each province the estimate serves.
PROVINCE_TARIFFS: dict[str, str] = {
    "Jiangsu": "jiangsu_2025_two_part",
    "Zhejiang": "zhejiang_2024_two_part",
    "Shanghai": "shanghai_2025_two_part",
    "Guangdong": "guangdong_2021_two_part",
    "Shandong": "shandong_2025_two_part",
}
#: Chinese names of the provinces (form labels).
PROVINCE_ZH: dict[str, str] = {
    "Jiangsu": "江苏",
    "Zhejiang": "浙江",
    "Shanghai": "上海",
    "Guangdong": "广东",
    "Shandong": "山东",
}
#: Provincial capitals: the place used when the visitor names no city.
PROVINCE_CAPITAL: dict[str, str] = {
    "Jiangsu": "Nanjing",
    "Zhejiang": "Hangzhou",
    "Shanghai": "Shanghai",
    "Guangdong": "Guangzhou",
    "Shandong": "Jinan",
}
#: Chinese names of the building types (form labels).
BUILDING_ZH: dict[str, str] = {
    "factory_one_shift": "工厂（单班）",
    "factory_two_shift": "工厂（两班）",
    "factory_continuous": "工厂（连续生产）",
    "office": "办公楼",
    "mall": "商场",
    "hospital": "医院",
    "cold_storage": "冷库",
}
BUILDING_EN: dict[str, str] = {
    "factory_one_shift": "Factory, one shift",
    "factory_two_shift": "Factory, two shifts",
    "factory_continuous": "Factory, continuous",
    "office": "Office building",
    "mall": "Shopping mall",
    "hospital": "Hospital",
    "cold_storage": "Cold storage",
}


def _field(
    default: Any,
    *,
    zh: str,
    en: str,
    unit: str = "",
    step: float | None = None,
    help_zh: str = "",
    help_en: str = "",
    **constraints: Any,
) -> Any:
    """A pydantic field with what a form needs: labels (zh, en), unit, step and help text."""
    extra: dict[str, Any] = {"label_zh": zh, "label_en": en, "unit": unit}
    if step is not None:
        extra["step"] = step
    if help_zh or help_en:
        extra["help_zh"], extra["help_en"] = help_zh, help_en
    return Field(default, json_schema_extra=extra, **constraints)


class EstimateInput(BaseModel):
    """What a visitor types for an instant estimate (one per field, with units and ranges)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    province: Province = _field("Jiangsu", zh="省份", en="Province")
    city: str | None = _field(
        None,
        zh="城市",
        en="City",
        max_length=40,
        help_zh="中文或拼音，例如 苏州 / Suzhou",
        help_en="Chinese or pinyin, e.g. 苏州 / Suzhou",
    )
    latitude_deg: float | None = _field(
        None, zh="纬度", en="Latitude", unit="deg", step=0.01, ge=18.0, le=54.0
    )
    longitude_deg: float | None = _field(
        None, zh="经度", en="Longitude", unit="deg", step=0.01, ge=73.0, le=135.0
    )
    building_type: BuildingType = _field("factory_two_shift", zh="建筑类型", en="Building type")
    roof_area_m2: float = _field(
        5000.0, zh="屋顶面积", en="Roof area", unit="m2", step=10, ge=20.0, le=1_000_000.0
    )
    roof_kind: Literal["flat", "pitched"] = _field("flat", zh="屋顶类型", en="Roof kind")
    monthly_bill_yuan: float | None = _field(
        None,
        zh="月电费",
        en="Monthly electricity bill",
        unit="yuan",
        step=100,
        ge=100.0,
        le=50_000_000.0,
        help_zh="或填写年用电量",
        help_en="or give the annual use",
    )
    annual_kwh: float | None = _field(
        None,
        zh="年用电量",
        en="Annual electricity use",
        unit="kWh",
        step=1000,
        ge=1_000.0,
        le=1_000_000_000.0,
    )
    capex_yuan_per_kwp: float = _field(
        3000.0,
        zh="光伏单位造价",
        en="PV cost",
        unit="yuan/kWp",
        step=50,
        ge=1500.0,
        le=8000.0,
    )

    @model_validator(mode="after")
    def _one_use(self) -> EstimateInput:
        if (self.monthly_bill_yuan is None) == (self.annual_kwh is None):
            raise ValueError(
                "give exactly one of monthly_bill_yuan (yuan per month) or annual_kwh (kWh "
                "per year)"
            )
        if (self.latitude_deg is None) != (self.longitude_deg is None):
            raise ValueError("give both latitude_deg and longitude_deg, or neither")
        return self


def estimate_input(raw: dict[str, Any]) -> EstimateInput:
    """Validate a visitor's input; an error names the field, the value and the allowed range."""
    try:
        return EstimateInput.model_validate(raw)
    except ValidationError as exc:
        raise explain_validation(exc, origin="estimate") from None


def explain_validation(exc: ValidationError, *, origin: str) -> PeakzeroError:
    """The first pydantic error as a :class:`PeakzeroError` naming field, value and rule."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(input)"
    value = first.get("input")
    shown = "" if isinstance(value, dict) else f" (got {value!r})"
    message = str(first["msg"]).removeprefix("Value error, ")
    return PeakzeroError(f"{origin}: {where}: {message}{shown}.", field=where)


# ------------------------------------------------------------------------------ pure arithmetic


def pv_energy_split(
    pv_kw: np.ndarray, load_kw: np.ndarray, dt_hours: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Self-consumed and exported PV energy of each candidate size [kWh].

    Parameters
    ----------
    pv_kw
        PV output, shape (T, K): T intervals, K candidate sizes [kW].
    load_kw
        Site load, shape (T,) [kW].
    dt_hours
        Interval length [h].

    Returns
    -------
    used_kwh, exported_kwh
        Shape (K,) each: ``sum_t min(pv, load)`` and ``sum_t max(pv - load, 0)`` x dt.
    """
    used = np.minimum(pv_kw, load_kw[:, None])
    return used.sum(axis=0) * dt_hours, (pv_kw - used).sum(axis=0) * dt_hours


def energy_saving_yuan(
    pv_kw: np.ndarray,
    load_kw: np.ndarray,
    price_yuan_per_kwh: np.ndarray,
    export_price_yuan_per_kwh: float,
    dt_hours: float = 1.0,
) -> np.ndarray:
    """First-year energy-charge saving of each candidate size [yuan], shape (K,).

    ``sum_t (min(pv, load) x price_t + max(pv - load, 0) x export price) x dt``.
    """
    used = np.minimum(pv_kw, load_kw[:, None])
    saving = (used * price_yuan_per_kwh[:, None]).sum(axis=0)
    saving += (pv_kw - used).sum(axis=0) * export_price_yuan_per_kwh
    return np.asarray(saving * dt_hours)


def annuity_factor(discount_rate: float, years: int) -> float:
    """Present worth of 1 yuan a year for ``years`` years: ``(1 - (1 + r)^-n) / r`` [-].

    >>> round(annuity_factor(0.06, 25), 4)
    12.7834
    """
    if discount_rate == 0:
        return float(years)
    return (1.0 - (1.0 + discount_rate) ** -years) / discount_rate


def choose_kwp(
    candidates_kwp: np.ndarray,
    saving_yuan: np.ndarray,
    *,
    capex_yuan_per_kwp: float,
    om_yuan_per_kwp_year: float,
    annuity: float,
) -> int:
    """Index of the candidate with the highest lifetime value (-1 when none is positive).

    value_k = annuity x (saving_k - O&M x kWp_k) - capex x kWp_k.

    >>> choose_kwp(np.array([10.0, 20.0]), np.array([3000.0, 4000.0]),
    ...            capex_yuan_per_kwp=3000.0, om_yuan_per_kwp_year=40.0, annuity=12.0)
    0
    """
    value = annuity * (saving_yuan - om_yuan_per_kwp_year * candidates_kwp)
    value = value - capex_yuan_per_kwp * candidates_kwp
    best = int(np.argmax(value))
    return best if value[best] > 0 else -1


def growth_years_offset(cut_fraction: float, growth_per_year: float) -> float:
    """Years of emissions growth that a one-off cut offsets: ``ln(1/(1-cut)) / ln(1+g)``.

    >>> round(growth_years_offset(0.2, 0.02), 2)
    11.27
    """
    if cut_fraction <= 0 or growth_per_year <= 0:
        return 0.0
    return math.log(1.0 / (1.0 - min(cut_fraction, 0.999))) / math.log(1.0 + growth_per_year)


# ------------------------------------------------------------------------------ cached inputs


@lru_cache(maxsize=1)
def _cities() -> pd.DataFrame:
    from peakzero.data import read_table

    return read_table("estimate/cities.csv")


def city_location(city: str, province: str) -> tuple[float, float, str]:
    """Latitude, longitude [deg] and Chinese name of a city (Chinese or pinyin) in a province."""
    text = city.strip()
    table = _cities()
    rows = table[table["province"] == province]
    hit = rows[
        (rows["name_zh"] == text.removesuffix("市"))
        | (rows["name_pinyin"].str.casefold() == text.casefold().replace("'", ""))
    ]
    if hit.empty:
        known = ", ".join(f"{r.name_zh} {r.name_pinyin}" for r in rows.itertuples())
        raise PeakzeroError(
            f"city = {city!r} is not a city of {province} known to the estimate: known are "
            f"{known}. Pick one of them, or give latitude_deg and longitude_deg.",
            field="city",
        )
    row = hit.iloc[0]
    return float(row["latitude_deg"]), float(row["longitude_deg"]), str(row["name_zh"])


@lru_cache(maxsize=64)
def pv_kw_per_kwp(wmo_id: str, tilt_deg: float, mounting: str) -> np.ndarray:
    """Hourly AC output per kWp of a south-facing array at a bundled station [kW/kWp]."""
    from peakzero.solar import PVArray, PVSystem, pv_profile
    from peakzero.weather import find_station, station_weather

    weather = station_weather(find_station(wmo_id), ESTIMATE_YEAR)
    system = PVSystem(arrays=(PVArray(tilt_deg, 180.0, mounting),))  # type: ignore[arg-type]
    out = np.asarray(pv_profile(weather, system).ac_kw_per_kwp, dtype=float)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=16)
def load_shape(kind: str) -> np.ndarray:
    """Hourly load of an archetype scaled to 1 kWh a year [kW per annual kWh]."""
    from peakzero.load import archetype_load

    out = archetype_load(kind, year=ESTIMATE_YEAR, annual_kwh=1.0).to_numpy(dtype=float)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=16)
def tariff_prices(province: str) -> tuple[np.ndarray, float, str]:
    """Hourly energy price [yuan/kWh], export price [yuan/kWh] and tariff name of a province."""
    from peakzero.load.archetypes import year_index
    from peakzero.tariff import hourly_energy_price, load_tariff

    name = PROVINCE_TARIFFS[province]
    tariff = load_tariff(name)
    prices = np.asarray(hourly_energy_price(tariff, year_index(ESTIMATE_YEAR)), dtype=float)
    prices.setflags(write=False)
    export = 0.0 if tariff.export_limit_kw == 0 else tariff.export_price_yuan_per_kwh
    return prices, float(export), name


@lru_cache(maxsize=1024)
def roof_kwp(area_m2: float, kind: str, latitude_deg: float, tilt_deg: float) -> float:
    """Maximum DC rating of a square roof of ``area_m2`` [kWp] (GB 50797 row spacing)."""
    from peakzero.roof import Roof, layout_roof

    if kind == "pitched":
        roof = Roof.from_area(area_m2, "pitched", pitch_deg=tilt_deg)
        return float(layout_roof(roof, latitude_deg).kwp)
    return float(layout_roof(Roof.from_area(area_m2, "flat"), latitude_deg, tilt_deg).kwp)


@lru_cache(maxsize=1)
def _month_of_hour() -> np.ndarray:
    from peakzero.load.archetypes import year_index

    out = np.asarray(year_index(ESTIMATE_YEAR).month, dtype=int) - 1
    out.setflags(write=False)
    return out


# ------------------------------------------------------------------------------ the estimate


@dataclass(frozen=True)
class Estimate:
    """The instant answer (units in the names); :meth:`to_dict` gives the JSON."""

    station: str
    station_distance_km: float
    place: str
    tariff: str
    tilt_deg: float
    roof_max_kwp: float
    pv_kwp: float
    annual_pv_kwh: float
    specific_yield_kwh_per_kwp: float
    annual_load_kwh: float
    self_consumed_kwh: float
    exported_kwh: float
    self_consumption_fraction: float
    solar_fraction: float
    capex_yuan: float
    first_year_saving_yuan: float
    payback_years: float | None
    grid_factor_t_per_mwh: float
    co2_avoided_t_per_year: float
    electricity_co2_t_per_year: float
    emissions_cut_fraction: float
    growth_years_offset: float
    monthly_pv_kwh: list[float]
    monthly_load_kwh: list[float]
    bill_price_yuan_per_kwh: float | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def estimate(inp: EstimateInput) -> Estimate:
    """The instant estimate for one visitor's building (see the module docstring)."""
    from peakzero.carbon.factors import grid_factor_lookup
    from peakzero.plan.models import DEFAULT_GROWTH
    from peakzero.site.models import EconomicsInput, PVInput
    from peakzero.solar import default_tilt_deg
    from peakzero.weather import nearest_station

    notes: list[str] = []
    bill_price: float | None = None
    if inp.latitude_deg is not None and inp.longitude_deg is not None:
        lat, lon = inp.latitude_deg, inp.longitude_deg
        place = f"{lat:.2f}, {lon:.2f}"
    else:
        city = inp.city or PROVINCE_CAPITAL[inp.province]
        lat, lon, place = city_location(city, inp.province)
    match = nearest_station(lat, lon)
    if match.warning:
        notes.append(match.warning)
    station = match.station
    if inp.roof_kind == "pitched":
        tilt, mounting = PITCHED_ROOF_DEG, "flush"
    else:
        tilt, mounting = default_tilt_deg(station.latitude_deg), "rows"
    per_kwp = pv_kw_per_kwp(station.wmo_id, tilt, mounting)
    prices, export_price, tariff_name = tariff_prices(inp.province)
    shape = load_shape(inp.building_type)

    if inp.annual_kwh is not None:
        annual_kwh = float(inp.annual_kwh)
    else:
        assert inp.monthly_bill_yuan is not None
        mean_price = float((shape * prices).sum())  # load-weighted [yuan/kWh]
        annual_kwh = 12.0 * float(inp.monthly_bill_yuan) / mean_price
        bill_price = mean_price
    load_kw = shape * annual_kwh

    max_kwp = roof_kwp(float(inp.roof_area_m2), inp.roof_kind, station.latitude_deg, tilt)
    if max_kwp <= 0:
        raise PeakzeroError(
            f"roof_area_m2 = {inp.roof_area_m2} holds no PV module after setbacks and row "
            "spacing; give a larger roof area (at least about 50 m2).",
            field="roof_area_m2",
        )
    pv_defaults, econ = PVInput.model_fields, EconomicsInput()
    om = float(pv_defaults["om_yuan_per_kwp_year"].default)
    candidates = max_kwp * np.arange(1, SIZE_STEPS + 1) / SIZE_STEPS
    pv_kw = per_kwp[:, None] * candidates[None, :]
    savings = energy_saving_yuan(pv_kw, load_kw, prices, export_price)
    best = choose_kwp(
        candidates,
        savings,
        capex_yuan_per_kwp=inp.capex_yuan_per_kwp,
        om_yuan_per_kwp_year=om,
        annuity=annuity_factor(econ.discount_rate, econ.analysis_years),
    )
    if best < 0:
        notes.append("no PV size pays back over the analysis period at this cost and tariff")
        kwp, saving = 0.0, 0.0
        used = exported = 0.0
        pv_col = np.zeros_like(per_kwp)
    else:
        kwp, saving = float(candidates[best]), float(savings[best])
        pv_col = pv_kw[:, best]
        used_a, exported_a = pv_energy_split(pv_col[:, None], load_kw)
        used, exported = float(used_a[0]), float(exported_a[0])
    annual_pv = used + exported
    capex = kwp * inp.capex_yuan_per_kwp
    net = saving - om * kwp
    payback = capex / net if net > 0 and kwp > 0 else None

    factor = grid_factor_lookup(inp.province, 2023)
    ef = factor.value_t_per_mwh
    co2_avoided = annual_pv / 1000.0 * ef
    electricity_co2 = annual_kwh / 1000.0 * ef
    cut = used / annual_kwh  # exported energy displaces others' grid power, not the site's
    months = _month_of_hour()
    growth = DEFAULT_GROWTH[0][1]
    return Estimate(
        station=station.name,
        station_distance_km=round(match.distance_km, 1),
        place=place,
        tariff=tariff_name,
        tilt_deg=tilt,
        roof_max_kwp=round(max_kwp, 1),
        pv_kwp=round(kwp, 1),
        annual_pv_kwh=round(annual_pv, 0),
        specific_yield_kwh_per_kwp=round(float(per_kwp.sum()), 1),
        annual_load_kwh=round(annual_kwh, 0),
        self_consumed_kwh=round(used, 0),
        exported_kwh=round(exported, 0),
        self_consumption_fraction=round(used / annual_pv, 4) if annual_pv > 0 else 0.0,
        solar_fraction=round(cut, 4),
        capex_yuan=round(capex, 0),
        first_year_saving_yuan=round(saving, 0),
        payback_years=None if payback is None else round(payback, 1),
        grid_factor_t_per_mwh=ef,
        co2_avoided_t_per_year=round(co2_avoided, 1),
        electricity_co2_t_per_year=round(electricity_co2, 1),
        emissions_cut_fraction=round(cut, 4),
        growth_years_offset=round(growth_years_offset(cut, growth), 1),
        monthly_pv_kwh=[round(float(v), 0) for v in np.bincount(months, pv_col, 12)],
        monthly_load_kwh=[round(float(v), 0) for v in np.bincount(months, load_kw, 12)],
        bill_price_yuan_per_kwh=None if bill_price is None else round(bill_price, 4),
        notes=notes,
    )


def range_hint(loc: list[str]) -> str:
    """ " Allowed: 20 to 1000000 m2." for a numeric field of :class:`EstimateInput` named by the
    error location ``loc`` (its last part), else ""."""
    if not loc:
        return ""
    info = EstimateInput.model_fields.get(loc[-1])
    if info is None:
        return ""
    low = high = None
    for item in info.metadata:
        low = getattr(item, "ge", None) if getattr(item, "ge", None) is not None else low
        high = getattr(item, "le", None) if getattr(item, "le", None) is not None else high
    if low is None and high is None:
        return ""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    unit = f" {extra.get('unit')}" if extra.get("unit") else ""
    return f" Allowed: {low:g} to {high:g}{unit}." if low is not None and high is not None else ""
