"""A bill computed by hand: one interval at a time, straight from the TOML text and holidays.csv.

Independent of ``peakzero.tariff`` (no code shared with the engine): reads the tariff file with
``tomllib``, walks the load interval by interval, splits each interval at the half hours (a
tariff's finest boundary), looks the period up in the season table, then applies the
temperature trigger, the date rules and the holiday rules in that order (the order
docs/tariffs.md states), and sums energy x price plus each month's maximum demand x rate.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from typing import Any

from peakzero.data import data_path, read_table


def raw_tariff(name: str) -> dict[str, Any]:
    out: dict[str, Any] = tomllib.loads(
        data_path(f"tariffs/{name}.toml").read_text(encoding="utf-8")
    )
    return out


def _calendar() -> tuple[dict[dt.date, str], set[dt.date]]:
    """Statutory days off -> holiday name; and the adjusted working days (调休)."""
    table = read_table("calendar/holidays.csv")
    off: dict[dt.date, str] = {}
    worked: set[dt.date] = set()
    for d, kind, name in zip(table["date"], table["kind"], table["name"], strict=True):
        day = dt.date.fromisoformat(str(d))
        if kind == "holiday":
            off[day] = str(name)
        else:
            worked.add(day)
    return off, worked


OFF, WORKED = _calendar()


def block_days(day: dt.date) -> int:
    """Length of the run of consecutive days off that ``day`` belongs to."""
    if day not in OFF:
        return 0
    n, d = 1, day - dt.timedelta(days=1)
    while d in OFF:
        n, d = n + 1, d - dt.timedelta(days=1)
    d = day + dt.timedelta(days=1)
    while d in OFF:
        n, d = n + 1, d + dt.timedelta(days=1)
    return n


def _inside(hour: float, spans: Sequence[Sequence[float]]) -> bool:
    return any(a <= hour < b for a, b in spans)


def period_at(
    raw: dict[str, Any], when: dt.datetime, hot_day: bool = False
) -> tuple[str, dict[str, Any]]:
    """Period in force at clock time ``when`` (and its season)."""
    hour = when.hour + when.minute / 60.0
    season = next(s for s in raw["seasons"] if when.month in s["months"])
    period = next(p for p, spans in season["periods"].items() if _inside(hour, spans))
    trig = raw.get("critical_peak_trigger")
    if trig and hot_day and when.month in trig["months"] and _inside(hour, trig["hours"]):
        period = "critical_peak"
    md = (when.month, when.day)
    for rule in raw.get("date_rules", []):
        start = tuple(int(x) for x in rule["start"].split("-"))
        end = tuple(int(x) for x in rule["end"].split("-"))
        inside = start <= md <= end if start <= end else (md >= start or md <= end)
        if inside and _inside(hour, rule["hours"]):
            period = rule["period"]
    day = when.date()
    name = OFF.get(day)
    weekend = day.weekday() >= 5 and day not in OFF and day not in WORKED
    for rule in raw.get("holiday_rules", []):
        hit = bool(name) and ("all" in rule["holidays"] or name in rule["holidays"])
        if hit and block_days(day) < rule.get("min_block_days", 1):
            hit = False
        hit = hit or (weekend and "weekend" in rule["holidays"])
        if rule.get("months") and when.month not in rule["months"]:
            hit = False
        if hit and _inside(hour, rule["hours"]):
            period = rule["period"]
    return period, season


def price_at(raw: dict[str, Any], when: dt.datetime, hot_day: bool = False) -> float:
    period, season = period_at(raw, when, hot_day)
    mult = season.get("multipliers", {}).get(period, raw["multipliers"].get(period))
    if period == "flat":
        mult = 1.0
    flat = raw.get("flat_price_by_month_yuan_per_kwh") or [raw["flat_price_yuan_per_kwh"]] * 12
    return float(flat[when.month - 1]) * float(mult)


def hand_bill(
    raw: dict[str, Any],
    starts: Sequence[dt.datetime],
    minutes: int,
    load_kw: Sequence[float],
    hot_days: set[dt.date] | None = None,
) -> dict[str, Any]:
    """Energy, demand and total [yuan] of a load on clock-time interval starts ``starts``."""
    hot_days = hot_days or set()
    energy = 0.0
    peak_kw: dict[int, float] = {}
    step = min(minutes, 30)
    for start, kw in zip(starts, load_kw, strict=True):
        for offset in range(0, minutes, step):
            when = start + dt.timedelta(minutes=offset)
            energy += kw * step / 60.0 * price_at(raw, when, when.date() in hot_days)
        peak_kw[start.month] = max(peak_kw.get(start.month, 0.0), kw)
    demand = (raw.get("demand_charge_yuan_per_kw_month") or 0.0) * sum(peak_kw.values())
    return {
        "energy_yuan": energy,
        "demand_yuan": demand,
        "total_yuan": energy + demand,
        "max_demand_kw": peak_kw,
    }


def clock_starts(year: int, minutes: int) -> list[dt.datetime]:
    """Every interval start of a calendar year, China clock time."""
    first = dt.datetime(year, 1, 1)
    n = ((dt.datetime(year + 1, 1, 1) - first).days * 24 * 60) // minutes
    return [first + dt.timedelta(minutes=minutes * k) for k in range(n)]
