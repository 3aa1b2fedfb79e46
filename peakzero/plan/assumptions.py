"""Every assumption a plan used, with its value, unit and source (for the report's table).

Labels (English and Chinese), units and the sources of defaults come from the parameter schema
(:mod:`peakzero.params`); this module only chooses which fields the table shows. A value the
plan file set is sourced "plan file"; a value the roof layout filled in says so; bundled data
rows (station, tariff, grid factor, measures) carry their own ``source``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from peakzero.carbon.factors import grid_factor_lookup
from peakzero.data import read_table
from peakzero.params import model_params
from peakzero.pathway.models import MeasureSpec
from peakzero.plan.models import DEFAULT_GROWTH, Plan
from peakzero.report.i18n import grid_region_name, label
from peakzero.site import SiteResult
from peakzero.site.models import SiteInput

_PLAN_FILE = "plan file"
_ROOF = "peakzero roof layout (GB 50797-2012 row pitch) of the plan's roof"

#: The fields the table shows, per group of the site.
_SHOWN: dict[str, tuple[str, ...]] = {
    "pv": (
        "max_kwp",
        "tilt_deg",
        "azimuth_deg",
        "dc_ac_ratio",
        "capex_yuan_per_kwp",
        "om_yuan_per_kwp_year",
        "degradation_per_year",
    ),
    "battery": (
        "capex_yuan_per_kw",
        "capex_yuan_per_kwh",
        "om_yuan_per_kw_year",
        "round_trip_efficiency",
        "soc_min",
        "soc_max",
        "max_cycles_per_day",
        "grid_charging",
    ),
    "economics": ("analysis_years", "discount_rate", "tariff_escalation", "om_escalation"),
    "emc": ("discount_fraction", "contract_years", "investor_discount_rate"),
    "finance": ("loan_fraction", "loan_rate", "loan_years", "tax"),
    "finance_tax": ("vat_rate", "cit_rate", "depreciation_years", "residual_fraction"),
    "carbon": ("decline_per_year", "carbon_price_yuan_per_t"),
}
#: The PV measure's values shown (per kW of PV).
_PV_MEASURE_SHOWN = ("kwh_per_kw_year", "capex_yuan_per_kw", "annual_saving_yuan_per_kw")


def _row(
    group: str, name: str, value: Any, unit: str, source: str, *, name_zh: str = "", key: str = ""
) -> dict[str, Any]:
    return {
        "group": group,
        "name": name,
        "name_zh": name_zh or name,
        "key": key,
        "value": value,
        "unit": unit,
        "source": source,
    }


#: Said of a tariff figure that is an editable default, not a figure from the tariff's notice.
TARIFF_DEFAULT_SOURCE = "[unverified] editable default, not from the notice; check the bill"


def _tariff_source(tariff: Any, field: str) -> str:
    """The source of one tariff figure: the tariff's notice, or a default said to be one
    (``Tariff.defaults``: e.g. most flat prices and demand charges are not in the reference)."""
    defaults: tuple[str, ...] = tariff.defaults
    if any(d == field or d.startswith(field + ".") for d in defaults):
        return f"{TARIFF_DEFAULT_SOURCE} ({tariff.source})"
    return str(tariff.source)


def _rows(
    shown: str, used: BaseModel, written: BaseModel, filled: dict[str, str], group: str = ""
) -> list[dict[str, Any]]:
    """One row per shown field of ``used``: "plan file" when ``written`` (the section as the
    file gave it) set it, the filler named in ``filled`` when the plan filled it in, else the
    schema's source of the default."""
    declared = model_params(type(used))
    group = group or shown
    rows = []
    for name in _SHOWN[shown]:
        p = declared[name]
        source = _PLAN_FILE if name in written.model_fields_set else filled.get(name, p.source)
        value = getattr(used, name)
        rows.append(_row(group, p.label_en, value, p.unit, source, name_zh=p.label_zh, key=p.key))
    return rows


def assumptions(
    plan: Plan,
    site_input: SiteInput,
    site: SiteResult,
    pv_measure: MeasureSpec | None,
) -> list[dict[str, Any]]:
    """The assumptions table of a plan run (``site_input``: the site after the roof filled it)."""
    rows: list[dict[str, Any]] = []
    profile = site.data.profile
    if profile is not None:
        rows.append(
            _row(
                "weather",
                "weather station",
                f"{profile.station.name} ({profile.station.wmo_id})",
                "",
                profile.station.source,
                name_zh="气象站",
            )
        )
    t = site.data.tariff
    for field, name, name_zh, value, unit in (
        ("name", "tariff", "电价", t.name, ""),
        (
            "flat_price_yuan_per_kwh",
            "flat energy price",
            "平段电价",
            t.flat_price_yuan_per_kwh,
            "yuan/kWh",
        ),
        ("multipliers", "peak / valley multipliers", "峰谷系数", dict(t.multipliers), "x flat"),
        (
            "demand_charge_yuan_per_kw_month",
            "demand charge",
            "需量电价",
            t.demand_charge_yuan_per_kw_month,
            "yuan/kW-month",
        ),
        (
            "capacity_charge_yuan_per_kva_month",
            "capacity charge",
            "容量电价",
            t.capacity_charge_yuan_per_kva_month,
            "yuan/kVA-month",
        ),
        (
            "export_price_yuan_per_kwh",
            "export price",
            "上网电价",
            t.export_price_yuan_per_kwh,
            "yuan/kWh",
        ),
        (
            "export_limit_kw",
            "export limit (0 = zero export)",
            "上网功率上限（0 = 防逆流）",
            t.export_limit_kw,
            "kW",
        ),
    ):
        if value is not None:
            rows.append(
                _row("tariff", name, value, unit, _tariff_source(t, field), name_zh=name_zh)
            )
    written = plan.site
    roof = (
        dict.fromkeys(("max_kwp", "tilt_deg", "azimuth_deg"), _ROOF)
        if plan.roof is not None
        else {}
    )
    rows += _rows("pv", site_input.pv, written.pv, roof)
    rows += _rows("battery", site_input.battery, written.battery, {})
    rows += _rows("economics", site_input.economics, written.economics, {})
    rows += _rows("emc", site_input.emc, written.emc, {})
    rows += _rows("finance", site_input.finance, written.finance, {})
    if site_input.finance.tax:
        rows += _rows("finance_tax", site_input.finance, written.finance, {}, group="finance")
    carbon = site_input.carbon
    region = carbon.region or site_input.location.province
    factor = grid_factor_lookup(region, carbon.factor_year)
    rows.append(
        _row(
            "carbon",
            f"grid emission factor ({factor.region_used}, {factor.year_used})",
            factor.value_t_per_mwh,
            "tCO2/MWh",
            factor.source,
            name_zh=(
                f"电网排放因子（{grid_region_name(factor.region_used, 'zh')}，{factor.year_used}）"
            ),
        )
    )
    rows += _rows("carbon", carbon, written.carbon, {})
    growth = [(g.until, g.rate) for g in plan.baseline.growth]
    default_growth = tuple(growth) == DEFAULT_GROWTH
    p = model_params(type(plan.baseline))["growth"]
    rows.append(
        _row(
            "baseline",
            "growth of every source, per period (until year: rate)",
            ", ".join(f"{u}: {r:+.1%}" for u, r in growth),
            "1/year",
            p.source if default_growth else _PLAN_FILE,
            name_zh="各排放源分时段增长率（截止年份：增长率）",
            key=p.key,
        )
    )
    rows += _measure_rows(plan, pv_measure)
    return rows


def _measure_rows(plan: Plan, pv_measure: MeasureSpec | None) -> list[dict[str, Any]]:
    table = read_table("pathway/measures.csv").set_index("kind")
    rows: list[dict[str, Any]] = []
    if pv_measure is not None:
        declared = model_params(MeasureSpec)
        for key in _PV_MEASURE_SHOWN:
            p = declared[key]
            rows.append(
                _row(
                    "pathway",
                    f"rooftop PV + storage: {p.label_en}",
                    round(float(getattr(pv_measure, key)), 2),
                    p.unit,
                    str(pv_measure.source),
                    name_zh=f"屋顶光伏加储能：{p.label_zh}",
                    key=p.key,
                )
            )
    capex = model_params(MeasureSpec)["capex_yuan_per_unit"]
    for m in plan.pathway.measures:
        if m.type not in table.index:
            continue
        row = table.loc[m.type]
        value = m.capex_yuan_per_unit
        rows.append(
            _row(
                "pathway",
                f"{label(m.name, 'en')}: capex",
                row["capex_yuan_per_unit"] if value is None else value,
                f"yuan/{row['unit']}",
                str(row["source"]) if value is None else _PLAN_FILE,
                name_zh=f"{label(m.name, 'zh')}：{capex.label_zh}",
                key=capex.key,
            )
        )
    return rows
