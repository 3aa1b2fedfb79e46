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
import tempfile
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from peakzero.errors import PeakzeroError

#: The year the estimate's hourly series are laid on (holidays, tariff calendar).
ESTIMATE_YEAR = 2025
#: Candidate PV sizes: the roof maximum in this many equal steps.
SIZE_STEPS = 40
#: Tilt of modules on a pitched roof when the visitor gives none: a common tiled-roof pitch [deg].
PITCHED_ROOF_DEG = 20.0

BuildingType = Literal[
    "factory_one_shift",
    "factory_two_shift",
    "factory_continuous",
    "office",
    "mall",
    "hospital",
    "cold_storage",
]

#: The provincial capital (a bundled weather station's name, pinyin) of each province: the
#: place used when the visitor names no city and gives no coordinates.
PROVINCE_CAPITAL: dict[str, str] = {
    "Anhui": "Hefei",
    "Beijing": "Beijing",
    "Chongqing": "Chongqing Shapingba",
    "Fujian": "Fuzhou",
    "Gansu": "Lanzhou",
    "Guangdong": "Guangzhou",
    "Guangxi Zhuang": "Nanning",
    "Guizhou": "Guiyang",
    "Hainan": "Haikou",
    "Hebei": "Shijiazhuang",
    "Heilongjiang": "Harbin",
    "Henan": "Zhengzhou",
    "Hubei": "Wuhan",
    "Hunan": "Changsha",
    "Jiangsu": "Nanjing",
    "Jiangxi": "Nanchang",
    "Jilin": "Changchun",
    "Liaoning": "Shenyang",
    "Nei Mongol": "Hohhot",
    "Ningxia Hui": "Yinchuan",
    "Qinghai": "Xining",
    "Shaanxi": "Xian",
    "Shandong": "Jinan",
    "Shanghai": "Shanghai",
    "Shanxi": "Taiyuan",
    "Sichuan": "Chengdu",
    "Tianjin": "Tianjin",
    "Xinjiang Uygur": "Urumqi",
    "Tibet": "Lhasa",
    "Yunnan": "Kunming",
    "Zhejiang": "Hangzhou",
}
#: Largest uploaded file of the visitor's estimate [bytes] (meter file, bills, roof outline):
#: a year of 15-minute readings in CSV is about 1 MB.
MAX_ESTIMATE_UPLOAD_BYTES = 4 * 1024 * 1024
#: Upload kinds of the estimate: a meter file, a year of bills, a roof outline.
UPLOAD_KINDS: tuple[str, ...] = ("meter", "bills", "roof")
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

    province: str = _field(
        "Jiangsu",
        zh="省份",
        en="Province",
        max_length=40,
        help_zh="31 个省、自治区、直辖市之一（中文、拼音或英文）",
        help_en="one of the 31 mainland provinces (Chinese, pinyin or English)",
    )
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

    @field_validator("province")
    @classmethod
    def _province(cls, value: str) -> str:
        from peakzero.provinces import resolve_province

        try:
            return resolve_province(value).name
        except PeakzeroError as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def _one_use(self) -> EstimateInput:
        if self.monthly_bill_yuan is not None and self.annual_kwh is not None:
            raise ValueError(
                "give one of monthly_bill_yuan (yuan per month) or annual_kwh (kWh per year), "
                "not both"
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
    """Latitude, longitude [deg] and name of a city (Chinese or pinyin) in a province.

    The estimate's city table first, then the bundled weather stations' names (Chinese or
    pinyin, :func:`peakzero.weather.find_station`), which cover every province.

    Raises
    ------
    PeakzeroError
        ``field = "city"``: an unknown city (with close names) or a city of another province.
    """
    from peakzero.provinces import resolve_province
    from peakzero.weather import find_station
    from peakzero.weather.stations import station_name_zh

    text = city.strip()
    table = _cities()
    rows = table[table["province"] == province]
    hit = rows[
        (rows["name_zh"] == text.removesuffix("市"))
        | (rows["name_pinyin"].str.casefold() == text.casefold().replace("'", ""))
    ]
    if not hit.empty:
        row = hit.iloc[0]
        return float(row["latitude_deg"]), float(row["longitude_deg"]), str(row["name_zh"])
    prov = resolve_province(province)
    try:
        station = find_station(f"{text}, {province}")
    except PeakzeroError:
        try:
            station = find_station(text)
        except PeakzeroError:
            from peakzero.weather.stations import list_stations

            names = [station_name_zh(st) or st.name for st in list_stations(prov.name)]
            raise PeakzeroError(
                f"city = {city!r} is not a city or weather station of {prov.name} "
                f"({prov.short_zh}) known to the estimate; known there: "
                f"{', '.join(sorted(set(rows['name_zh'].tolist() + names)))}. Check the "
                "spelling (Chinese or pinyin), or give latitude_deg and longitude_deg.",
                field="city",
            ) from None
    own = resolve_province(station.province)
    if own.name != prov.name:
        raise PeakzeroError(
            f"city = {city!r} is in {own.name} ({own.short_zh}), not in province = "
            f"{prov.name!r} ({prov.short_zh}); choose province {own.name} or a city of "
            f"{prov.name}.",
            field="city",
        )
    return station.latitude_deg, station.longitude_deg, station_name_zh(station) or station.name


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
    from peakzero.tariff import default_tariff_name, hourly_energy_price, load_tariff

    name = default_tariff_name(province)
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


# ------------------------------------------------------------------------------ uploaded files

#: File name endings each upload kind accepts.
UPLOAD_SUFFIXES: dict[str, tuple[str, ...]] = {
    "meter": (".csv", ".txt", ".xlsx"),
    "bills": (".csv", ".txt", ".xlsx"),
    "roof": (".json", ".csv", ".txt"),
}


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name as the visitor's computer gave it and its bytes."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class EstimateFiles:
    """Files a visitor may upload with an estimate (each optional).

    ``meter``: a year of interval readings (CSV or xlsx, :func:`peakzero.load.read_load`);
    ``bills``: a year of monthly bills (:func:`peakzero.load.bills.load_from_bills`);
    ``roof``: a roof outline in metres (JSON or CSV, :func:`peakzero.roof.polygon.read_polygon`).
    """

    meter: Upload | None = None
    bills: Upload | None = None
    roof: Upload | None = None

    def given(self) -> dict[str, Upload]:
        return {k: u for k in UPLOAD_KINDS if (u := getattr(self, k)) is not None}


def _upload_error(kind: str, upload: Upload, exc: PeakzeroError, where: str) -> PeakzeroError:
    """The reader's message about an uploaded file, naming the form field and the file."""
    message = str(exc).replace(f"{where!r}", repr(upload.filename)).replace(where, upload.filename)
    inner = f" ({exc.field})" if exc.field and exc.field not in message[:40] else ""
    return PeakzeroError(
        f"{kind}_file = {upload.filename!r}{inner}: {message}", field=f"{kind}_file"
    )


def _written(folder: Path, kind: str, upload: Upload) -> Path:
    """The upload written to ``folder`` under a safe name, after the size and name checks."""
    size = len(upload.content)
    if size > MAX_ESTIMATE_UPLOAD_BYTES:
        raise PeakzeroError(
            f"{kind}_file = {upload.filename!r} is {size / 1e6:.1f} MB; at most "
            f"{MAX_ESTIMATE_UPLOAD_BYTES / 1e6:.0f} MB are accepted. Give hourly or 15-minute "
            "readings of one year, or ask the expert to load the full file.",
            field=f"{kind}_file",
        )
    if size == 0:
        raise PeakzeroError(f"{kind}_file = {upload.filename!r} is empty.", field=f"{kind}_file")
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES[kind]:
        raise PeakzeroError(
            f"{kind}_file = {upload.filename!r}: the name must end in "
            f"{' or '.join(UPLOAD_SUFFIXES[kind])}.",
            field=f"{kind}_file",
        )
    path = folder / f"{kind}{suffix}"
    path.write_bytes(upload.content)
    return path


def uploaded_load(
    files: EstimateFiles, building_type: str, tariff_name: str
) -> tuple[np.ndarray, list[str]]:
    """Hourly load of :data:`ESTIMATE_YEAR` [kW] from an uploaded meter file or bills, and notes.

    Raises
    ------
    PeakzeroError
        ``field = "meter_file"`` or ``"bills_file"``, with the reader's message.
    """
    if files.meter is not None and files.bills is not None:
        raise PeakzeroError(
            "give a meter file or bills, not both: the meter file is the more exact.",
            field="bills_file",
        )
    kind, upload = ("meter", files.meter) if files.meter is not None else ("bills", files.bills)
    assert upload is not None
    with tempfile.TemporaryDirectory(prefix="peakzero-estimate-") as tmp:
        path = _written(Path(tmp), kind, upload)
        try:
            if kind == "meter":
                from peakzero.load import read_load

                reading = read_load(path, year=ESTIMATE_YEAR)
                kw = reading.hourly_kw.to_numpy(dtype=float)
                notes = list(reading.notes)
            else:
                from peakzero.load.bills import load_from_bills

                fitted = load_from_bills(
                    path, archetype=building_type, year=ESTIMATE_YEAR, tariff=tariff_name
                )
                kw = fitted.kw.to_numpy(dtype=float)
                notes = list(fitted.notes)
        except PeakzeroError as exc:
            raise _upload_error(kind, upload, exc, str(path)) from None
    return kw, [n.replace(str(path), upload.filename) for n in notes]


def uploaded_outline(upload: Upload) -> tuple[tuple[float, float], ...]:
    """Roof vertices [m] of an uploaded outline file, checked
    (:func:`peakzero.roof.layout.check_outline`).

    Raises
    ------
    PeakzeroError
        ``field = "roof_file"``, with the reader's or the check's message.
    """
    from peakzero.roof.layout import check_outline
    from peakzero.roof.polygon import read_polygon

    with tempfile.TemporaryDirectory(prefix="peakzero-estimate-") as tmp:
        path = _written(Path(tmp), "roof", upload)
        try:
            vertices = read_polygon(path)
            pts = np.asarray(vertices, dtype=float)
            if not np.isfinite(pts).all():
                raise PeakzeroError(
                    "polygon has a vertex that is not a finite number.", field="polygon"
                )
            check_outline(pts)
        except PeakzeroError as exc:
            raise _upload_error("roof", upload, exc, str(path)) from None
    return vertices


@lru_cache(maxsize=256)
def outline_kwp(
    vertices: tuple[tuple[float, float], ...], kind: str, latitude_deg: float, tilt_deg: float
) -> tuple[float, float]:
    """Maximum DC rating [kWp] and plan area [m2] of a roof outline (GB 50797 row spacing)."""
    from peakzero.roof import Roof, layout_roof

    if kind == "pitched":
        roof = Roof("pitched", vertices, pitch_deg=tilt_deg)
        return float(layout_roof(roof, latitude_deg).kwp), roof.area_m2
    roof = Roof("flat", vertices)
    return float(layout_roof(roof, latitude_deg, tilt_deg).kwp), roof.area_m2


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
    roof_area_m2: float | None = None
    notes: list[str] = field(default_factory=list)
    #: The notes in Chinese, one for one: translated where the estimate knows the note, else the
    #: English text after a Chinese lead-in.
    notes_zh: list[str] = field(default_factory=list)
    #: The station's Chinese name ("" when none is bundled).
    station_zh: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def estimate(inp: EstimateInput, files: EstimateFiles | None = None) -> Estimate:
    """The instant estimate for one visitor's building (see the module docstring).

    ``files``: an uploaded meter file or bills replace the typed electricity use (give one of
    them, not both), a roof outline replaces the roof area.

    Raises
    ------
    PeakzeroError
        Naming the field: no electricity use, a place or file that cannot be used.
    """
    files = files or EstimateFiles()
    from peakzero.carbon.factors import grid_factor_lookup
    from peakzero.plan.models import DEFAULT_GROWTH
    from peakzero.provinces import resolve_province
    from peakzero.site.models import EconomicsInput, PVInput
    from peakzero.solar import default_tilt_deg
    from peakzero.weather import nearest_station
    from peakzero.weather.stations import WARN_DISTANCE_KM, station_name_zh

    notes: list[str] = []
    notes_zh: list[str] = []

    def note(en: str, zh: str) -> None:
        notes.append(en)
        notes_zh.append(zh)

    bill_price: float | None = None
    if inp.latitude_deg is not None and inp.longitude_deg is not None:
        lat, lon = inp.latitude_deg, inp.longitude_deg
        place = f"{lat:.2f}, {lon:.2f}"
    else:
        city = inp.city or PROVINCE_CAPITAL[inp.province]
        lat, lon, place = city_location(city, inp.province)
    match = nearest_station(lat, lon)
    if match.warning:
        note(
            match.warning,
            f"最近的气象站（{station_name_zh(match.station) or match.station.name}）距该地点 "
            f"{match.distance_km:.0f} km（超过 {WARN_DISTANCE_KM:.0f} km），其气象数据可能不代表"
            "当地，发电量仅供参考；如有当地气象数据，请交给专家。",
        )
    station = match.station
    if inp.roof_kind == "pitched":
        tilt, mounting = PITCHED_ROOF_DEG, "flush"
    else:
        tilt, mounting = default_tilt_deg(station.latitude_deg), "rows"
    per_kwp = pv_kw_per_kwp(station.wmo_id, tilt, mounting)
    prices, export_price, tariff_name = tariff_prices(inp.province)
    shape = load_shape(inp.building_type)

    typed = inp.monthly_bill_yuan is not None or inp.annual_kwh is not None
    if files.meter is not None or files.bills is not None:
        if typed:
            given = "monthly_bill_yuan" if inp.monthly_bill_yuan is not None else "annual_kwh"
            raise PeakzeroError(
                f"{given} is given and a {'meter file' if files.meter else 'bills file'} is "
                f"uploaded: give one of them; clear {given} to use the file.",
                field=given,
            )
        load_kw, file_notes = uploaded_load(files, inp.building_type, tariff_name)
        if file_notes:
            upload = files.meter if files.meter is not None else files.bills
            assert upload is not None
            read = "; ".join(file_notes)
            note(
                f"{upload.filename}: {read}", f"已读取 {upload.filename}（读取说明为英文）：{read}"
            )
        annual_kwh = float(load_kw.sum())
    elif typed:
        if inp.annual_kwh is not None:
            annual_kwh = float(inp.annual_kwh)
        else:
            assert inp.monthly_bill_yuan is not None
            mean_price = float((shape * prices).sum())  # load-weighted [yuan/kWh]
            annual_kwh = 12.0 * float(inp.monthly_bill_yuan) / mean_price
            bill_price = mean_price
        load_kw = shape * annual_kwh
    else:
        raise PeakzeroError(
            "the electricity use is missing: give monthly_bill_yuan (yuan per month) or "
            "annual_kwh (kWh per year), or upload a meter file or a year of bills.",
            field="annual_kwh",
        )
    if annual_kwh <= 0:
        raise PeakzeroError(
            f"the uploaded electricity use sums to {annual_kwh:g} kWh a year; the estimate needs "
            "a positive use.",
            field="meter_file" if files.meter is not None else "bills_file",
        )

    roof_area = float(inp.roof_area_m2)
    if files.roof is not None:
        outline = uploaded_outline(files.roof)
        max_kwp, roof_area = outline_kwp(outline, inp.roof_kind, station.latitude_deg, tilt)
        note(
            f"roof outline: {roof_area:,.0f} m2 ({len(outline)} vertices)",
            f"屋顶轮廓：{roof_area:,.0f} m2（{len(outline)} 个顶点）",
        )
    else:
        max_kwp = roof_kwp(roof_area, inp.roof_kind, station.latitude_deg, tilt)
    if max_kwp <= 0:
        field_ = "roof_file" if files.roof is not None else "roof_area_m2"
        raise PeakzeroError(
            f"{field_}: a roof of {roof_area:,.0f} m2 holds no PV module after setbacks and row "
            "spacing; give a larger roof (at least about 50 m2).",
            field=field_,
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
        note(
            "no PV size pays back over the analysis period at this cost and tariff",
            "在此造价和电价下，任何光伏规模在分析期内都无法收回投资",
        )
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

    factor = grid_factor_lookup(resolve_province(inp.province).pinyin, 2023)
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
        roof_area_m2=round(roof_area, 1),
        notes=notes,
        notes_zh=notes_zh,
        station_zh=station_name_zh(station),
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


def typed_input(inp: EstimateInput, est: Estimate, files: EstimateFiles | None) -> EstimateInput:
    """The input with uploaded files replaced by the figures read from them (the annual kWh, the
    outline's area): what a lead stores, so that the expert's plan starts from the same numbers.

    >>> inp = EstimateInput(annual_kwh=5e5)
    >>> typed_input(inp, None, None) is inp  # type: ignore[arg-type]
    True
    """
    if files is None or not files.given():
        return inp
    update: dict[str, Any] = {}
    if files.meter is not None or files.bills is not None:
        update.update(annual_kwh=est.annual_load_kwh, monthly_bill_yuan=None)
    if files.roof is not None and est.roof_area_m2 is not None:
        update["roof_area_m2"] = max(est.roof_area_m2, 20.0)
    return EstimateInput.model_validate({**inp.model_dump(), **update})
