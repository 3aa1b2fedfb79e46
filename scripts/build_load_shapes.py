"""Build peakzero/data/load/shapes.csv: hourly load shapes per archetype, season and day type.

Measured archetypes come from three metered German C&I profiles (15-minute, one year, CC BY 4.0,
see ../shared/data/load/measured/README.md):

- ``factory_one_shift``  <- LP_G_MV, tool manufacturer (Tjaden 2021, doi:10.5281/zenodo.4683455)
- ``factory_two_shift``  <- LP_G_G, electroplating company, 06:00-21:00 plateau over a ~56 % base
  (Tjaden 2021, doi:10.5281/zenodo.4683479)
- ``mall`` night base and opening ramp <- LP_G_MH, furniture store (doi:10.5445/IR/1000098027),
  stretched to Chinese mall hours 10:00-22:00 with weekends and holidays busier than weekdays.

Each measured profile is averaged to local clock hours (Europe/Berlin, so daylight saving does
not shift the working day), days are classed as workday, weekend or holiday (German national
holidays on weekdays plus the 24-31 December shutdown week, the nearest analogue of a Chinese
factory's Spring Festival break; a holiday hour is capped at the weekend hour), and months
as winter (Dec-Feb), summer (Jun-Aug) or shoulder.
The mean of every (season, day type, hour) cell is written, normalised per archetype so that the
largest cell is 1.0; relative levels between seasons and day types are kept.

``factory_continuous``, ``office``, ``hospital`` and ``cold_storage`` (and the mall's levels) are
literature-based parametric shapes defined below and marked ``basis = literature``.

Usage::

    .venv/bin/python scripts/build_load_shapes.py --src ../shared/data/load/measured \
        --out peakzero/data/load/shapes.csv
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

SEASON_OF_MONTH = {
    12: "winter", 1: "winter", 2: "winter",
    6: "summer", 7: "summer", 8: "summer",
    3: "shoulder", 4: "shoulder", 5: "shoulder", 9: "shoulder", 10: "shoulder", 11: "shoulder",
}  # fmt: skip
SEASONS = ("winter", "shoulder", "summer")
DAY_TYPES = ("workday", "weekend", "holiday")
HOURS = [f"h{h:02d}" for h in range(24)]

# German national public holidays of the measured years (New Year, Good Friday, Easter Monday,
# Labour Day, Ascension, Whit Monday, German Unity, 2017 Reformation Day, Christmas).
GERMAN_HOLIDAYS = {
    2015: ["01-01", "04-03", "04-06", "05-01", "05-14", "05-25", "10-03", "12-25", "12-26"],
    2017: [
        "01-01",
        "04-14",
        "04-17",
        "05-01",
        "05-25",
        "06-05",
        "10-03",
        "10-31",
        "12-25",
        "12-26",
    ],
    2018: ["01-01", "03-30", "04-02", "05-01", "05-10", "05-21", "10-03", "12-25", "12-26"],
}

MEASURED = {
    "factory_one_shift": (
        "LP_G_MV.csv.xz",
        "measured: LP_G_MV tool manufacturer 2018 (Tjaden 2021 Zenodo doi:10.5281/zenodo.4683455 "
        "CC BY 4.0) via the VDI 4657 / HiSim PIEG-Strom data package",
    ),
    "factory_two_shift": (
        "LP_G_G.csv.xz",
        "measured: LP_G_G electroplating company 2017 (Tjaden 2021 Zenodo "
        "doi:10.5281/zenodo.4683479 CC BY 4.0) via the VDI 4657 / HiSim PIEG-Strom data package",
    ),
}
MALL_SOURCE = (
    "literature-based [unverified]: Chinese mall hours 10:00-22:00 with weekends and holidays "
    "+15 % and summer cooling +30 % (typical schedules cf. GB 50189-2015 Appendix B; not "
    "transcribed); night base and opening ramp from measured LP_G_MH furniture store 2015 "
    "(Electricity consumption of 28 German companies doi:10.5445/IR/1000098027 CC BY 4.0)"
)
LIT_SOURCE = (
    "literature-based [unverified]: parametric {what} shape after typical hourly schedules "
    "(cf. GB 50189-2015 Appendix B; not transcribed); check against metered data"
)


def _holiday_dates(year: int) -> set[date]:
    days = {date.fromisoformat(f"{year}-{md}") for md in GERMAN_HOLIDAYS[year]}
    days |= {date(year, 12, 24) + timedelta(days=k) for k in range(8)}  # shutdown week
    return days


def _row(table: pd.DataFrame, season: str, day_type: str) -> np.ndarray:
    """One (season, day type) row of a shape table as a float array."""
    return np.asarray(table.loc[[(season, day_type)]].to_numpy(dtype=float)[0])


def hourly_local(path: Path) -> pd.Series:
    """Read a measured 15-minute file and average it to local (Europe/Berlin) clock hours."""
    frame = pd.read_csv(path)
    stamps = pd.to_datetime(frame.iloc[:, 0], utc=True).dt.tz_convert("Europe/Berlin")
    clock = stamps.dt.tz_localize(None).dt.floor("h")
    return pd.Series(frame.iloc[:, 1].to_numpy(dtype=float), index=clock).groupby(level=0).mean()


def measured_shape(hourly: pd.Series) -> pd.DataFrame:
    """Mean per (season, day type, hour), normalised to a maximum of 1."""
    idx = pd.DatetimeIndex(hourly.index)
    year = int(idx.year[len(idx) // 2])
    holidays = _holiday_dates(year)
    day = idx.normalize().date
    weekend = idx.day_of_week >= 5
    is_holiday = np.array([d in holidays for d in day]) & ~weekend
    day_type = np.where(is_holiday, "holiday", np.where(weekend, "weekend", "workday"))
    season_of_row = np.array([SEASON_OF_MONTH[m] for m in idx.month])
    table = (
        pd.DataFrame(
            {"season": season_of_row, "day_type": day_type, "hour": idx.hour, "v": hourly.values}
        )
        .groupby(["season", "day_type", "hour"])["v"]
        .mean()
        .unstack("hour")
    )
    # No German national holiday falls in Jun-Aug: a missing (season, holiday) cell is that
    # season's weekend shape times the hour-by-hour holiday/weekend ratio of the other seasons.
    have = [s for s in SEASONS if (s, "holiday") in table.index]
    ratio = np.mean(
        [_row(table, s, "holiday") / _row(table, s, "weekend") for s in have],
        axis=0,
    )
    for season in SEASONS:
        if (season, "holiday") not in table.index:
            table.loc[(season, "holiday"), :] = _row(table, season, "weekend") * ratio
    # Chinese factories stop or slow down for Spring Festival and National Day: a holiday is
    # never busier than a weekend, hour by hour (LP_G_G kept working through Christmas week).
    for season in SEASONS:
        weekend_row = _row(table, season, "weekend")
        holiday_row = _row(table, season, "holiday")
        table.loc[(season, "holiday"), :] = np.minimum(holiday_row, weekend_row)
    return table / float(table.to_numpy().max())


def _ramp(hours: np.ndarray, start: float, end: float, level: float, base: float) -> np.ndarray:
    """``level`` inside [start, end), ``base`` elsewhere, with half-step shoulders either side."""
    inside = (hours >= start) & (hours < end)
    shoulder = (hours == start - 1) | (hours == end)
    return np.where(inside, level, np.where(shoulder, (level + base) / 2, base))


def literature_shapes(mall_base: np.ndarray) -> dict[str, pd.DataFrame]:
    """Parametric shapes; every number here is an assumption stated in the data's source."""
    h = np.arange(24, dtype=float)
    out: dict[str, pd.DataFrame] = {}

    def frame(rows: dict[tuple[str, str], np.ndarray]) -> pd.DataFrame:
        table = pd.DataFrame.from_dict(rows, orient="index", columns=range(24))
        table.index = pd.MultiIndex.from_tuples(table.index, names=["season", "day_type"])
        return table / float(table.to_numpy().max())

    # continuous process plant: three shifts, ~90 % load around the clock, small dips at the
    # shift changes (00, 08, 16 h); weekends 95 %, holidays 80 % (some lines stop).
    cont = np.full(24, 0.92)
    cont[[0, 8, 16]] = 0.86
    season_k = {"winter": 1.0, "shoulder": 0.98, "summer": 1.04}  # summer process cooling
    day_k = {"workday": 1.0, "weekend": 0.95, "holiday": 0.8}
    out["factory_continuous"] = frame(
        {(s, d): cont * season_k[s] * day_k[d] for s in SEASONS for d in DAY_TYPES}
    )

    # office: 08-18 plateau with a lunch dip, 25 % night base (servers, lifts, lighting);
    # weekends and holidays at 35 % in the day; cooling (summer) +35 %, heating (winter) +10 %.
    office_work = _ramp(h, 8, 18, 1.0, 0.25)
    office_work[12] = 0.88
    office_work[[19, 20]] = [0.45, 0.35]
    office_off = _ramp(h, 9, 17, 0.35, 0.25)
    office_k = {"winter": 1.10, "shoulder": 1.0, "summer": 1.35}

    def office(s: str, d: str) -> np.ndarray:
        shape = office_work if d == "workday" else office_off * (0.95 if d == "holiday" else 1)
        day_part = np.clip(shape - 0.25, 0, None)
        return 0.25 + day_part * office_k[s]

    out["office"] = frame({(s, d): office(s, d) for s in SEASONS for d in DAY_TYPES})

    # mall: open 10-22; night base from the measured store's night level; busier weekends and
    # holidays (+15 %); summer cooling +30 % of the daytime load.
    def mall(s: str, d: str) -> np.ndarray:
        base = float(np.mean(mall_base))
        open_k = 1.15 if d in ("weekend", "holiday") else 1.0
        shape = _ramp(h, 10, 22, 1.0 * open_k, base)
        cool = {"winter": 1.0, "shoulder": 1.1, "summer": 1.3}[s]
        return base + (shape - base) * cool

    out["mall"] = frame({(s, d): mall(s, d) for s in SEASONS for d in DAY_TYPES})

    # hospital: 24 h base 55 % (wards, ICU, HVAC), outpatient day 08-18 at 100 %; weekends and
    # holidays 85 % in the day; summer cooling +30 %, winter +10 %.
    def hospital(s: str, d: str) -> np.ndarray:
        shape = _ramp(h, 8, 18, 1.0, 0.55)
        shape[[18, 19, 20]] = [0.8, 0.72, 0.65]
        if d != "workday":
            shape = 0.55 + (shape - 0.55) * 0.6
        return shape * {"winter": 1.10, "shoulder": 1.0, "summer": 1.30}[s]

    out["hospital"] = frame({(s, d): hospital(s, d) for s in SEASONS for d in DAY_TYPES})

    # cold storage: refrigeration runs around the clock and tracks outdoor temperature:
    # summer level 1.0, shoulder 0.75, winter 0.55; afternoon heat (12-17 h) +10 %, loading
    # dock hours 08-18 +5 %; holidays with less loading (-5 % in the day).
    def cold(s: str, d: str) -> np.ndarray:
        level = {"winter": 0.55, "shoulder": 0.75, "summer": 1.0}[s]
        shape = np.ones(24)
        shape[12:17] += 0.10
        shape[8:18] += 0.05 if d != "holiday" else 0.0
        return 0.9 * level * shape

    out["cold_storage"] = frame({(s, d): cold(s, d) for s in SEASONS for d in DAY_TYPES})
    return out


def build(src: Path) -> pd.DataFrame:
    rows: list[dict[str, object]] = []

    def emit(kind: str, table: pd.DataFrame, basis: str, source: str) -> None:
        for season in SEASONS:
            for day_type in DAY_TYPES:
                values = _row(table, season, day_type)
                row: dict[str, object] = {"archetype": kind, "season": season, "day_type": day_type}
                row.update({c: round(float(v), 4) for c, v in zip(HOURS, values, strict=True)})
                row.update({"basis": basis, "source": source})
                rows.append(row)

    for kind, (name, source) in MEASURED.items():
        emit(kind, measured_shape(hourly_local(src / name)), "measured", source)
    store = measured_shape(hourly_local(src / "LP_G_MH.csv.xz"))
    night = _row(store, "shoulder", "workday")[[0, 1, 2, 3, 4, 5, 21, 22, 23]]
    for kind, table in literature_shapes(night).items():
        what = kind.replace("_", " ")
        source = MALL_SOURCE if kind == "mall" else LIT_SOURCE.format(what=what)
        emit(kind, table, "literature", source)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path("../shared/data/load/measured"))
    parser.add_argument("--out", type=Path, default=Path("peakzero/data/load/shapes.csv"))
    args = parser.parse_args()
    table = build(args.src)
    header = (
        "# Hourly load shapes (relative kW, max 1 per archetype) by season (winter Dec-Feb,\n"
        "# summer Jun-Aug, shoulder) and day type. Built by scripts/build_load_shapes.py;\n"
        "# basis = measured rows derive from CC BY 4.0 data: attribute the sources in each row.\n"
    )
    tmp = args.out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(header)
        table.to_csv(handle, index=False)
    tmp.replace(args.out)
    print(f"wrote {len(table)} rows to {args.out}")


if __name__ == "__main__":
    main()
