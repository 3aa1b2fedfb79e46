"""Write the corpus of malformed and unusual inputs, ``tests/data/corpus/``, and its manifest.

Every file is made here from known figures, so the manifest's expected outcome is derived, not
copied from a run: a file that should read states the annual kWh, the peak and the interval
the reader must report; a file that should be refused states the error's field and a part of
its message. ``tests/test_corpus.py`` runs every case through the CLI.

Run: ``python scripts/build_corpus.py`` (deterministic; rewrites the folder). The files under
:data:`COMMIT_MAX_BYTES` are committed in ``tests/data/corpus/files/``; the larger ones (a year
of meter data each, 17 MB in all) are listed in ``tests/data/corpus/.gitignore`` and made again
by the test.
"""

from __future__ import annotations

import codecs
import json
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "tests" / "data" / "corpus" / "manifest.json"
OUT = ROOT / "tests" / "data" / "corpus" / "files"
CASES: list[dict[str, Any]] = []
#: Files smaller than this are committed (about 80 of them, 0.3 MB) [bytes].
COMMIT_MAX_BYTES = 100_000
IGNORE = ROOT / "tests" / "data" / "corpus" / ".gitignore"


def committed(folder: Path) -> dict[str, bytes]:
    """The files of ``folder`` small enough to be committed, by relative path, with their bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.stat().st_size < COMMIT_MAX_BYTES
    }


def _hours(year: int, minutes: int = 60) -> pd.DatetimeIndex:
    return pd.date_range(
        f"{year}-01-01", f"{year + 1}-01-01", freq=f"{minutes}min", inclusive="left"
    )


def _profile(index: pd.DatetimeIndex, seed: int = 0, base: float = 100.0) -> np.ndarray:
    """A factory-like load [kW] rounded to 0.1 kW (so the written text is exact)."""
    rng = np.random.default_rng(seed)
    day = np.asarray(index.hour >= 8) & np.asarray(index.hour < 20)
    weekday = np.asarray(index.day_of_week < 5)
    kw = base + 60.0 * (day & weekday) + rng.uniform(0, 20, len(index))
    return np.round(kw, 1)


def _write_text(name: str, text: str, encoding: str = "utf-8", bom: bytes = b"") -> None:
    (OUT / name).write_bytes(bom + text.encode(encoding))


def _csv(
    name: str,
    stamps: list[str] | None,
    values: list[str],
    header: list[str] | None,
    *,
    sep: str = ",",
    encoding: str = "utf-8",
    bom: bytes = b"",
    newline: str = "\n",
) -> None:
    rows = []
    if header is not None:
        rows.append(sep.join(header))
    for i, v in enumerate(values):
        rows.append(v if stamps is None else f"{stamps[i]}{sep}{v}")
    _write_text(name, newline.join(rows) + newline, encoding, bom)


def _fmt(index: pd.DatetimeIndex, fmt: str) -> list[str]:
    return list(index.strftime(fmt))


def ok(cid: str, args: list[str], figures: dict[str, Any], note: str | None = None) -> None:
    CASES.append({"id": cid, "args": args, "expect": "ok", "figures": figures, "note": note})


def refused(cid: str, args: list[str], field: str, message: str) -> None:
    CASES.append({"id": cid, "args": args, "expect": "refused", "field": field, "message": message})


def load_ok(
    cid: str,
    name: str,
    kw: np.ndarray,
    minutes: int,
    unit: str,
    *,
    extra: list[str] | None = None,
    note: str | None = None,
    year: int = 2025,
    plan_year: int | None = None,
) -> None:
    figures: dict[str, Any] = {"data_interval_minutes": minutes, "unit": unit, "meter_year": year}
    if plan_year is None or plan_year == year:
        figures["annual_kwh"] = float(np.sum(kw) * minutes / 60.0)
        figures["data_peak_kw"] = float(np.max(kw))
    else:  # mapped: each month keeps its kWh per day, times the plan year's days in it
        index = _hours(year, minutes)
        kwh = pd.Series(kw * minutes / 60.0, index=index)
        per_day = (
            kwh.groupby(index.month).sum()
            / pd.Series(index.days_in_month, index=index).groupby(index.month).first()
        )
        days = pd.Series(
            pd.date_range(f"{plan_year}-01-01", periods=12, freq="MS").days_in_month,
            index=range(1, 13),
        )
        figures["annual_kwh"] = float((per_day * days).sum())
    ok(cid, ["load", "check", name, *(extra or []), "--json"], figures, note)


# ----------------------------------------------------------------------------------- loads
def loads() -> None:
    t = _hours(2025)
    kw = _profile(t)
    iso = _fmt(t, "%Y-%m-%d %H:%M")
    vals = [f"{v:.1f}" for v in kw]

    _csv("load_utf8_iso_kw.csv", iso, vals, ["timestamp", "load_kw"])
    load_ok("utf8_iso_kw", "load_utf8_iso_kw.csv", kw, 60, "kW")
    _csv("load_utf8_bom_zh.csv", iso, vals, ["时间", "有功功率(kW)"], bom=codecs.BOM_UTF8)
    load_ok("utf8_bom_zh", "load_utf8_bom_zh.csv", kw, 60, "kW", note="UTF-8 with byte-order mark")
    _csv("load_gbk_zh.csv", iso, vals, ["时间", "有功功率(kW)"], encoding="gbk")
    load_ok("gbk_zh", "load_gbk_zh.csv", kw, 60, "kW", note="GBK")
    _csv("load_gb18030_kwh.csv", iso, vals, ["日期时间", "用电量(kWh)"], encoding="gb18030")
    load_ok("gb18030_kwh", "load_gb18030_kwh.csv", kw, 60, "kWh")
    _csv("load_utf16_tab.csv", iso, vals, ["时间", "负荷(kW)"], sep="\t", encoding="utf-16")
    load_ok("utf16_tab", "load_utf16_tab.csv", kw, 60, "kW", note="UTF-16")
    _csv("load_utf16le_nobom.csv", iso, vals, ["time", "kW"], encoding="utf-16-le")
    load_ok("utf16le_nobom", "load_utf16le_nobom.csv", kw, 60, "kW", note="UTF-16")
    _csv("load_tab.tsv", iso, vals, ["time", "power_kw"], sep="\t")
    load_ok("tab", "load_tab.tsv", kw, 60, "kW", note="tab-separated")
    comma = [v.replace(".", ",") for v in vals]
    _csv("load_semicolon_decimal_comma.csv", iso, comma, ["Zeit", "Leistung kW"], sep=";")
    load_ok(
        "semicolon_decimal_comma",
        "load_semicolon_decimal_comma.csv",
        kw,
        60,
        "kW",
        note="decimal comma",
    )
    big = np.round(kw * 20, 1)
    thousands = [f'"{v:,.1f}"' for v in big]
    _csv("load_thousands.csv", iso, thousands, ["时间", "有功功率(kW)"], bom=codecs.BOM_UTF8)
    load_ok("thousands", "load_thousands.csv", big, 60, "kW", note="thousands separators")
    eu = [f"{v:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".") for v in big]
    _csv("load_eu_thousands.csv", iso, eu, ["time", "kW"], sep=";")
    load_ok("eu_thousands", "load_eu_thousands.csv", big, 60, "kW", note="decimal comma")
    _csv(
        "load_slash_dates.csv",
        [f"{x.year}/{x.month}/{x.day} {x.hour}:{x.minute:02d}" for x in t],
        vals,
        ["时间", "功率(kW)"],
    )
    load_ok("slash_dates", "load_slash_dates.csv", kw, 60, "kW")
    _csv(
        "load_zh_dates.csv",
        [f"{x.year}年{x.month}月{x.day}日 {x.hour}:{x.minute:02d}" for x in t],
        vals,
        ["时间", "功率(kW)"],
        encoding="gbk",
    )
    load_ok("zh_dates", "load_zh_dates.csv", kw, 60, "kW")
    _csv(
        "load_zh_dates_shi.csv",
        [f"{x.year}年{x.month}月{x.day}日{x.hour}时" for x in t],
        vals,
        ["时间", "功率(kW)"],
    )
    load_ok("zh_dates_shi", "load_zh_dates_shi.csv", kw, 60, "kW")
    _csv("load_ddmm.csv", _fmt(t, "%d/%m/%Y %H:%M"), vals, ["Date", "kW"])
    load_ok("ddmm", "load_ddmm.csv", kw, 60, "kW", note="dd/mm/yyyy")
    _csv("load_mmdd.csv", _fmt(t, "%m/%d/%Y %H:%M"), vals, ["Date", "kW"])
    load_ok("mmdd", "load_mmdd.csv", kw, 60, "kW", note="mm/dd/yyyy")
    load_ok("mmdd_given", "load_mmdd.csv", kw, 60, "kW", extra=["--date-format", "mm/dd/yyyy"])
    refused(
        "mmdd_wrong_format",
        ["load", "check", "load_mmdd.csv", "--date-format", "dd/mm/yyyy"],
        "timestamp",
        "impossible dates",
    )
    refused(
        "bad_date_format",
        ["load", "check", "load_mmdd.csv", "--date-format", "m/d/y"],
        "date_format",
        "date_format",
    )
    _csv("load_dots_dates.csv", _fmt(t, "%d.%m.%Y %H:%M"), vals, ["Datum", "kW"])
    load_ok("dots_dates", "load_dots_dates.csv", kw, 60, "kW")
    _csv("load_iso_t_seconds.csv", _fmt(t, "%Y-%m-%dT%H:%M:%S"), vals, ["datetime", "kW"])
    load_ok("iso_t_seconds", "load_iso_t_seconds.csv", kw, 60, "kW")
    _csv("load_tz_plus8.csv", _fmt(t, "%Y-%m-%dT%H:%M:00+08:00"), vals, ["time", "kW"])
    load_ok("tz_plus8", "load_tz_plus8.csv", kw, 60, "kW")
    _csv("load_tz_plus1.csv", _fmt(t, "%Y-%m-%dT%H:%M:00+01:00"), vals, ["time", "kW"])
    refused("tz_plus1", ["load", "check", "load_tz_plus1.csv"], "timestamp", r"\+08:00")
    ending = t + pd.Timedelta(hours=1)
    _csv("load_interval_ending.csv", _fmt(ending, "%Y-%m-%d %H:%M"), vals, ["time", "kW"])
    load_ok("interval_ending", "load_interval_ending.csv", kw, 60, "kW", note="interval-ending")
    h24 = [f"{x:%Y-%m-%d} 24:00" if x.hour == 0 else f"{x:%Y-%m-%d %H:%M}" for x in ending]
    h24 = [
        f"{(x - pd.Timedelta(days=1)):%Y-%m-%d} 24:00" if x.hour == 0 else f"{x:%Y-%m-%d %H:%M}"
        for x in ending
    ]
    _csv("load_24h.csv", h24, vals, ["time", "kW"])
    load_ok("hour_24", "load_24h.csv", kw, 60, "kW", note="24:00")
    midnight = [
        f"{(x - pd.Timedelta(days=1)):%d/%m/%Y} 00:00" if x.hour == 0 else f"{x:%d/%m/%Y %H:%M}"
        for x in ending
    ]
    _csv("load_midnight_day_ends.csv", midnight, vals, ["时间", "电量(kWh)"], encoding="gbk")
    load_ok("midnight_day_ends", "load_midnight_day_ends.csv", kw, 60, "kWh", note="midnight rows")
    _csv(
        "load_split_date_time.csv",
        [f"{x:%Y-%m-%d},{x:%H:%M}" for x in t],
        vals,
        ["日期", "时间", "负荷(kW)"],
    )
    load_ok(
        "split_date_time", "load_split_date_time.csv", kw, 60, "kW", note="date and time columns"
    )
    _csv("load_mw.csv", iso, [f"{v / 1000:.4f}" for v in kw], ["time", "load (MW)"])
    load_ok("mw", "load_mw.csv", kw, 60, "MW")
    _csv("load_mwh_zh.csv", iso, [f"{v / 1000:.4f}" for v in kw], ["时间", "电量(兆瓦时)"])
    load_ok("mwh_zh", "load_mwh_zh.csv", kw, 60, "MWh")
    _csv("load_w.csv", iso, [f"{v * 1000:.0f}" for v in kw], ["time", "power (W)"])
    load_ok("w", "load_w.csv", kw, 60, "W")
    _csv("load_kw_dot_h.csv", iso, vals, ["时间", "电量(kW·h)"])
    load_ok("kw_dot_h", "load_kw_dot_h.csv", kw, 60, "kWh")
    _csv("load_qianwa.csv", iso, vals, ["时间", "功率（千瓦）"])
    load_ok("qianwa", "load_qianwa.csv", kw, 60, "kW")
    _csv("load_upper_kw.csv", iso, vals, ["TIME", "LOAD KW"])
    load_ok("upper_kw", "load_upper_kw.csv", kw, 60, "kW")
    _csv("load_counter.csv", [str(i + 1) for i in range(len(vals))], vals, ["hour", "load_kw"])
    load_ok("counter_year", "load_counter.csv", kw, 60, "kW", extra=["--year", "2025"])
    refused("counter_no_year", ["load", "check", "load_counter.csv"], "year", "pass year")
    _csv("load_headerless.csv", iso, vals, None)
    load_ok("headerless", "load_headerless.csv", kw, 60, "kW", note="no unit named")
    _csv("load_no_unit_hourly.csv", iso, vals, ["time", "value"])
    load_ok("no_unit_hourly", "load_no_unit_hourly.csv", kw, 60, "kW", note="same figures")
    with_comments = (
        "# exported by meter 12345\n# site: test\n\n"
        + "time,kW\n"
        + "\n".join(f"{a},{b}" for a, b in zip(iso, vals, strict=True))
        + "\n"
    )
    _write_text("load_comments.csv", with_comments)
    load_ok("comments", "load_comments.csv", kw, 60, "kW")
    _csv("load_crlf.csv", iso, vals, ["time", "kW"], newline="\r\n")
    load_ok("crlf", "load_crlf.csv", kw, 60, "kW")
    extra_cols = (
        "时间,电压(V),电流(A),有功功率(kW),功率因数\n"
        + "\n".join(
            f"{a},380,{float(b) * 1.5:.1f},{b},0.95" for a, b in zip(iso, vals, strict=True)
        )
        + "\n"
    )
    _write_text("load_extra_columns.csv", extra_cols, "gbk")
    load_ok("extra_columns", "load_extra_columns.csv", kw, 60, "kW", note="read as the load")
    _csv("load_trailing_comma.csv", iso, [v + "," for v in vals], ["time", "kW", ""])
    load_ok("trailing_comma", "load_trailing_comma.csv", kw, 60, "kW")
    _csv("load_spaces.csv", iso, [f" {v} " for v in vals], ["time", " kW "])
    load_ok("spaces", "load_spaces.csv", kw, 60, "kW")
    load_ok(
        "annual_kwh_agrees",
        "load_utf8_iso_kw.csv",
        kw,
        60,
        "kW",
        extra=["--annual-kwh", f"{kw.sum() * 1.015:.0f}"],
        note="agrees",
    )
    refused(
        "annual_kwh_off",
        ["load", "check", "load_utf8_iso_kw.csv", "--annual-kwh", f"{kw.sum() * 1.05:.0f}"],
        "annual_kwh",
        "allowed ±2%",
    )
    title = "用户名称：示例工厂\n计量点：10kV进线\n\n时间,有功功率(kW)\n" + "\n".join(
        f"{a},{b}" for a, b in zip(iso, vals, strict=True)
    )
    _write_text("load_title_rows.csv", title + "\n", "gbk")
    load_ok("title_rows", "load_title_rows.csv", kw, 60, "kW", note="title rows above the header")
    # another year
    t18 = _hours(2018)
    kw18 = _profile(t18, seed=3)
    _csv(
        "load_meter_2018.csv",
        _fmt(t18, "%Y-%m-%d %H:%M"),
        [f"{v:.1f}" for v in kw18],
        ["time", "kW"],
    )
    load_ok(
        "meter_2018_to_2025",
        "load_meter_2018.csv",
        kw18,
        60,
        "kW",
        extra=["--year", "2025"],
        note="mapped onto 2025",
        year=2018,
        plan_year=2025,
    )
    t24 = _hours(2024)
    kw24 = _profile(t24, seed=4)
    _csv(
        "load_leap_2024.csv",
        _fmt(t24, "%Y-%m-%d %H:%M"),
        [f"{v:.1f}" for v in kw24],
        ["time", "kW"],
    )
    load_ok("leap_2024", "load_leap_2024.csv", kw24, 60, "kW", year=2024)
    load_ok(
        "leap_2024_to_2025",
        "load_leap_2024.csv",
        kw24,
        60,
        "kW",
        extra=["--year", "2025"],
        note="mapped onto 2025",
        year=2024,
        plan_year=2025,
    )
    # sub-hourly
    q = _hours(2025, 15)
    kwq = _profile(q, seed=5)
    kwh_q = np.round(kwq / 4, 3)
    ending_q = q + pd.Timedelta(minutes=15)
    plant = [
        f"{(x - pd.Timedelta(days=1)):%d/%m/%Y} 00:00"
        if (x.hour == 0 and x.minute == 0)
        else f"{x:%d/%m/%Y %H:%M}"
        for x in ending_q
    ]
    _csv(
        "load_plant_15min_kwh.csv",
        plant,
        [f"{v:.3f}" for v in kwh_q],
        ["时间", "电量(kWh)"],
        encoding="gbk",
    )
    load_ok(
        "plant_15min_kwh", "load_plant_15min_kwh.csv", kwh_q * 4, 15, "kWh", note="midnight rows"
    )
    _csv(
        "load_15min_no_unit.csv",
        _fmt(q, "%Y-%m-%d %H:%M"),
        [f"{v:.3f}" for v in kwh_q],
        ["time", "value"],
    )
    refused(
        "15min_no_unit",
        ["load", "check", "load_15min_no_unit.csv"],
        "unit",
        "read as kWh per 15 minutes",
    )
    load_ok(
        "15min_unit_given", "load_15min_no_unit.csv", kwh_q * 4, 15, "kWh", extra=["--unit", "kWh"]
    )
    load_ok(
        "15min_unit_from_total",
        "load_15min_no_unit.csv",
        kwh_q * 4,
        15,
        "kWh",
        extra=["--annual-kwh", f"{kwh_q.sum():.0f}"],
        note="matches annual_kwh",
    )
    refused(
        "15min_kwh_as_kw_total",
        [
            "load",
            "check",
            "load_15min_no_unit.csv",
            "--unit",
            "kW",
            "--annual-kwh",
            f"{kwh_q.sum():.0f}",
        ],
        "annual_kwh",
        "kW read as kWh per 15 minutes",
    )
    refused(
        "unit_conflict",
        ["load", "check", "load_utf8_iso_kw.csv", "--unit", "kWh"],
        "unit",
        "remove one",
    )
    refused(
        "unit_unknown",
        ["load", "check", "load_utf8_iso_kw.csv", "--unit", "kVA"],
        "unit",
        "not one of",
    )
    h30 = _hours(2025, 30)
    kw30 = _profile(h30, seed=6)
    _csv(
        "load_30min_kw.csv", _fmt(h30, "%Y-%m-%d %H:%M"), [f"{v:.1f}" for v in kw30], ["time", "kW"]
    )
    load_ok("30min_kw", "load_30min_kw.csv", kw30, 30, "kW")
    h10 = _hours(2025, 10)
    kw10 = _profile(h10, seed=8)
    _csv(
        "load_10min_kwh.csv",
        _fmt(h10, "%Y/%m/%d %H:%M"),
        [f"{v / 6:.4f}" for v in kw10],  # kWh per 10 minutes, written exactly (x / 6 to 4 d.p.)
        ["时间", "用电量(kWh)"],
    )
    kw10 = np.round(kw10 / 6, 4) * 6  # the mean kW the written kWh stand for
    # the peak is the demand window's: quarter-hours of (2a + b) / 3 and (a + 2b) / 3 (each
    # 10 minutes split into two 5-minute halves at its power)
    halves = np.repeat(kw10, 2).reshape(-1, 3).mean(axis=1)
    ok(
        "10min_kwh",
        ["load", "check", "load_10min_kwh.csv", "--json"],
        {
            "data_interval_minutes": 10,
            "unit": "kWh",
            "meter_year": 2025,
            "annual_kwh": float(np.sum(kw10) / 6.0),
            "data_peak_kw": float(halves.max()),
        },
    )
    # a meter year from 1 July to 30 June: mapped onto the year its data end in (2025), whose
    # months have the source months' days (February 2025 both), so the kWh are the file's
    mid = pd.date_range("2024-07-01", "2025-07-01", freq="h", inclusive="left")
    kw_mid = _profile(mid, seed=9)
    _csv(
        "load_mid_year.csv",
        _fmt(mid, "%Y-%m-%d %H:%M"),
        [f"{v:.1f}" for v in kw_mid],
        ["timestamp", "load_kw"],
    )
    mid_figures = {
        "data_interval_minutes": 60,
        "unit": "kW",
        "meter_year": 2024,
        "annual_kwh": float(kw_mid.sum()),
    }
    ok(
        "mid_year",
        ["load", "check", "load_mid_year.csv", "--json"],
        mid_figures,
        "meter year 2024-07-01 to 2025-06-30 mapped onto 2025",
    )
    ok(
        "mid_year_to_2026",
        ["load", "check", "load_mid_year.csv", "--year", "2026", "--json"],
        mid_figures,
        "mapped onto 2026",
    )
    refused(
        "mid_year_short",
        ["load", "check", "load_mid_year_short.csv"],
        "load",
        "expected one year from 2024-07-01",
    )
    _csv(
        "load_mid_year_short.csv",
        _fmt(mid[:-24], "%Y-%m-%d %H:%M"),
        [f"{v:.1f}" for v in kw_mid[:-24]],
        ["timestamp", "load_kw"],
    )
    # Excel serial dates (days since 1899-12-30) as a CSV saved from Excel writes them
    serial = (t - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
    _csv("load_excel_serial.csv", [f"{d:.10f}" for d in serial], vals, ["Date", "kW"])
    load_ok("excel_serial_csv", "load_excel_serial.csv", kw, 60, "kW", note="Excel serial dates")
    _csv(
        "load_excel_serial_semicolon.csv",
        [f"{d:.10f}".replace(".", ",") for d in serial],
        [v.replace(".", ",") for v in vals],
        ["Datum", "Leistung (kW)"],
        sep=";",
    )
    load_ok(
        "excel_serial_decimal_comma",
        "load_excel_serial_semicolon.csv",
        kw,
        60,
        "kW",
        note="Excel serial dates",
    )
    # refusals
    refused("folder", ["load", "check", "a_folder"], "path", "folder")
    refused("missing_file", ["load", "check", "no_such_file.csv"], "path", "does not exist")
    _write_text("load_empty.csv", "")
    refused("empty", ["load", "check", "load_empty.csv"], "load", "empty")
    _write_text("load_header_only.csv", "time,kW\n")
    refused("header_only", ["load", "check", "load_header_only.csv"], "load", "no data rows")
    (OUT / "load_binary.csv").write_bytes(bytes(range(256)) * 40)
    refused("binary", ["load", "check", "load_binary.csv"], "load", "not text")
    (OUT / "load_old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    refused("old_xls", ["load", "check", "load_old_excel.xls"], "load", r"\.xlsx")
    (OUT / "load_corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    refused("corrupt_xlsx", ["load", "check", "load_corrupt.xlsx"], "load", "not a readable Excel")
    gap = [v for i, v in enumerate(iso) if i != 100] + ["2026-01-01 00:00"]
    _csv("load_gap.csv", gap, vals, ["time", "kW"])
    refused(
        "gap", ["load", "check", "load_gap.csv"], "timestamp", "1 missing, first 2025-01-05 04:00"
    )
    dup = list(iso)
    dup[200] = dup[199]
    _csv("load_duplicate.csv", dup, vals, ["time", "kW"])
    refused("duplicate", ["load", "check", "load_duplicate.csv"], "timestamp", "repeated")
    blank = list(vals)
    blank[50] = ""
    _csv("load_blank_value.csv", iso, blank, ["time", "kW"])
    refused(
        "blank_value",
        ["load", "check", "load_blank_value.csv"],
        "load",
        r"1 missing or non-numeric values.*\[52\]",
    )
    text = list(vals)
    text[10] = "n/a"
    _csv("load_text_value.csv", iso, text, ["time", "kW"])
    refused("text_value", ["load", "check", "load_text_value.csv"], "load", "'n/a'")
    inf = list(vals)
    inf[10] = "inf"
    _csv("load_inf.csv", iso, inf, ["time", "kW"])
    refused("inf", ["load", "check", "load_inf.csv"], "load", "non-numeric")
    huge = list(vals)
    huge[10] = "1e12"
    _csv("load_1e12.csv", iso, huge, ["time", "kW"])
    refused("1e12_kw", ["load", "check", "load_1e12.csv"], "load", "beyond any site")
    neg = list(vals)
    neg[5] = "-3.0"
    _csv("load_negative.csv", iso, neg, ["time", "kW"])
    refused("negative", ["load", "check", "load_negative.csv"], "load", "net metering")
    reg = np.round(1000 + np.cumsum(kw), 1)
    _csv("load_register.csv", iso, [f"{v:.1f}" for v in reg], ["time", "kWh"])
    refused("register", ["load", "check", "load_register.csv"], "load", "cumulative meter register")
    _csv("load_8759.csv", iso[:-1], vals[:-1], ["time", "kW"])
    refused("rows_8759", ["load", "check", "load_8759.csv"], "load", "one row off")
    _csv("load_8761.csv", [*iso, "2026-01-01 00:00"], [*vals, "1.0"], ["time", "kW"])
    refused("rows_8761", ["load", "check", "load_8761.csv"], "load", "one row off")
    july = pd.date_range("2025-07-01", periods=8760, freq="h")
    _csv("load_starts_july.csv", _fmt(july, "%Y-%m-%d %H:%M"), vals, ["time", "kW"])
    # a year from 1 July is a meter year from mid-year: mapped onto the year its data end in
    ok(
        "starts_july",
        ["load", "check", "load_starts_july.csv", "--json"],
        {"meter_year": 2025, "annual_kwh": float(kw.sum()), "data_interval_minutes": 60},
        "2025-07-01 to 2026-06-30 mapped onto 2026",
    )
    noon = pd.date_range("2025-07-01 12:00", periods=8760, freq="h")
    _csv("load_starts_noon.csv", _fmt(noon, "%Y-%m-%d %H:%M"), vals, ["time", "kW"])
    refused("starts_noon", ["load", "check", "load_starts_noon.csv"], "timestamp", "whole days")
    words = list(iso)
    words[3] = "yesterday"
    _csv("load_bad_date.csv", words, vals, ["time", "kW"])
    refused("bad_date", ["load", "check", "load_bad_date.csv"], "timestamp", "'yesterday'")
    feb30 = list(iso)
    feb30[1500] = "2025-02-30 12:00"
    _csv("load_feb30.csv", feb30, vals, ["time", "kW"])
    refused("feb30", ["load", "check", "load_feb30.csv"], "timestamp", "impossible")
    mixed = list(iso)
    mixed[7] = "01/01/2025 07:00"
    _csv("load_mixed_dates.csv", mixed, vals, ["time", "kW"])
    refused("mixed_dates", ["load", "check", "load_mixed_dates.csv"], "timestamp", "mix")
    seven = pd.date_range("2025-01-01", periods=8760, freq="7min")
    _csv("load_7min.csv", _fmt(seven, "%Y-%m-%d %H:%M"), vals, ["time", "kW"])
    refused("7min", ["load", "check", "load_7min.csv"], "timestamp", "7 minutes")
    q15 = pd.date_range("2025-01-01", periods=8760, freq="15min")
    _csv("load_hourly_stamped_15min.csv", _fmt(q15, "%Y-%m-%d %H:%M"), vals, ["time", "kWh"])
    refused(
        "hourly_stamped_15min",
        ["load", "check", "load_hourly_stamped_15min.csv"],
        "load",
        "covering 91 days",
    )
    rep = np.repeat(np.round(kw / 4, 3), 4)
    _csv(
        "load_repeated_quarters.csv",
        _fmt(q, "%Y-%m-%d %H:%M"),
        [f"{v:.3f}" for v in rep],
        ["time", "kWh"],
    )
    refused(
        "repeated_quarters",
        ["load", "check", "load_repeated_quarters.csv"],
        "load",
        "four quarter-hour",
    )
    _csv("load_no_numbers.csv", iso, ["high"] * len(iso), ["time", "level"])
    refused("no_numbers", ["load", "check", "load_no_numbers.csv"], "load", "no column of numbers")
    amb = [f"{v:,.0f}" for v in np.full(8760, 1234.0)]
    _csv("load_ambiguous_comma.csv", iso, amb, ["time", "kW"], sep=";")
    refused(
        "ambiguous_comma",
        ["load", "check", "load_ambiguous_comma.csv"],
        "load",
        "thousands or a decimal comma",
    )


def excel() -> None:
    import openpyxl

    t = _hours(2025)
    kw = _profile(t, seed=7)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "说明"
    ws.append(["电表导出"])
    data = book.create_sheet("负荷")
    data.append(["时间", "有功功率(kW)"])
    for stamp, v in zip(t.to_pydatetime(), kw, strict=True):
        data.append([stamp, float(v)])
    book.save(OUT / "load_two_sheets.xlsx")
    load_ok(
        "xlsx_named_sheet",
        "load_two_sheets.xlsx",
        kw,
        60,
        "kW",
        extra=["--sheet", "负荷"],
        note="Excel sheet",
    )
    refused(
        "xlsx_first_sheet_is_notes",
        ["load", "check", "load_two_sheets.xlsx"],
        "load",
        "no data rows|no column",
    )
    refused(
        "xlsx_missing_sheet",
        ["load", "check", "load_two_sheets.xlsx", "--sheet", "Sheet9"],
        "sheet",
        "负荷",
    )
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["日期", "时间", "电量(kWh)"])
    for stamp, v in zip(t, kw, strict=True):
        ws.append([f"{stamp:%Y/%m/%d}", f"{stamp:%H:%M}", float(v)])
    book.save(OUT / "load_text_cells.xlsx")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["国网某供电公司 负荷曲线导出"])
    ws.append([])
    ws.append(["户号", "0123456789"])
    ws.append(["数据时间", "有功功率（千瓦）"])
    for stamp, v in zip(t.to_pydatetime(), kw, strict=True):
        ws.append([stamp, float(v)])
    book.save(OUT / "load_title_rows.xlsx")
    load_ok("xlsx_title_rows", "load_title_rows.xlsx", kw, 60, "kW", note="title rows")
    load_ok("xlsx_text_cells", "load_text_cells.xlsx", kw, 60, "kWh")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["时间", "有功功率(kW)"])
    serial = (t - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
    for day, v in zip(serial, kw, strict=True):
        ws.append([float(day), float(v)])  # a date cell stored as its number (General format)
    book.save(OUT / "load_serial_cells.xlsx")
    load_ok("xlsx_serial_cells", "load_serial_cells.xlsx", kw, 60, "kW", note="Excel serial dates")


# ----------------------------------------------------------------------------------- bills
def bills() -> None:
    periods = ["尖(kWh)", "峰(kWh)", "平(kWh)", "谷(kWh)"]
    rows = [
        {
            "月份": f"2024年{m}月",
            periods[0]: 0,
            periods[1]: 90000 + 1000 * m,
            periods[2]: 70000,
            periods[3]: 50000,
            "最大需量(kW)": 1500 + m,
        }
        for m in range(1, 13)
    ]
    frame = pd.DataFrame(rows)
    (OUT / "bills_gbk_periods.csv").write_bytes(frame.to_csv(index=False).encode("gbk"))
    total = float(frame[periods].to_numpy().sum())
    ok(
        "bills_gbk_periods",
        [
            "load",
            "bills",
            "bills_gbk_periods.csv",
            "--archetype",
            "factory_two_shift",
            "--tariff",
            "zhejiang_2024_two_part",
            "--json",
        ],
        {"annual_kwh": total, "peak_kw": 1512.0},
        "15-minute",
    )
    totals = pd.DataFrame(
        {"month": [f"2025-{m:02d}" for m in range(1, 13)], "total_kwh": [80000.0] * 12}
    )
    totals.to_csv(OUT / "bills_totals.csv", index=False)
    ok(
        "bills_totals",
        ["load", "bills", "bills_totals.csv", "--archetype", "office", "--json"],
        {"annual_kwh": 960000.0},
        "totals only",
    )
    eng = pd.DataFrame(
        {
            "month": [
                "Jan",
                "Feb",
                "Mar",
                "Apr",
                "May",
                "Jun",
                "Jul",
                "Aug",
                "Sep",
                "Oct",
                "Nov",
                "Dec",
            ],
            "peak": [30000.0] * 12,
            "flat": [20000.0] * 12,
            "valley": [10000.0] * 12,
            "max_demand_kw": [300.0] * 12,
        }
    )
    eng.to_csv(OUT / "bills_english.csv", index=False)
    ok(
        "bills_english",
        ["load", "bills", "bills_english.csv", "--archetype", "factory_continuous", "--json"],
        {"annual_kwh": 720000.0, "peak_kw": 300.0},
    )
    refused(
        "bills_missing_month",
        ["load", "bills", "bills_missing_month.csv"],
        "bills",
        r"missing \[12\]",
    )
    totals.iloc[:11].to_csv(OUT / "bills_missing_month.csv", index=False)
    t2 = totals.copy()
    t2["colour"] = "red"
    t2.to_csv(OUT / "bills_unknown_column.csv", index=False)
    refused(
        "bills_unknown_column", ["load", "bills", "bills_unknown_column.csv"], "bills", "colour"
    )
    t3 = totals.copy()
    t3.loc[3, "total_kwh"] = -5
    t3.to_csv(OUT / "bills_negative.csv", index=False)
    refused("bills_negative", ["load", "bills", "bills_negative.csv"], "bills", "month 4")
    t4 = totals.copy()
    t4["max_demand_kw"] = 10.0
    t4.to_csv(OUT / "bills_demand_too_low.csv", index=False)
    refused("bills_demand_too_low", ["load", "bills", "bills_demand_too_low.csv"], "bills", "units")
    t5 = eng.drop(columns="max_demand_kw").copy()
    t5["total"] = 60000.0
    t5.loc[5, "total"] = 61000.0
    t5.to_csv(OUT / "bills_total_mismatch.csv", index=False)
    refused(
        "bills_total_mismatch", ["load", "bills", "bills_total_mismatch.csv"], "bills", "month 6"
    )
    t6 = totals.copy()
    t6.loc[2, "month"] = "Q1"
    t6.to_csv(OUT / "bills_bad_month.csv", index=False)
    refused("bills_bad_month", ["load", "bills", "bills_bad_month.csv"], "bills", "'Q1'")
    refused(
        "bills_out_is_folder",
        ["load", "bills", "bills_totals.csv", "--out", "a_folder"],
        "",
        "folder",
    )


# --------------------------------------------------------------------------------- weather
def _weather_frame(year: int, scale: float = 1.0) -> pd.DataFrame:
    t = _hours(year)
    hour = np.asarray(t.hour) + 0.5
    doy = np.asarray(t.day_of_year)
    sun = np.clip(np.sin((hour - 6.0) / 12.0 * math.pi), 0, None) * (
        0.75 + 0.25 * np.sin((doy - 80) / 365 * 2 * math.pi)
    )
    return pd.DataFrame(
        {
            "timestamp": t.strftime("%Y-%m-%d %H:%M"),
            "ghi": np.round(900.0 * sun * scale, 3 if scale < 1 else 1),
            "temp_air": np.round(15 + 10 * sun, 1),
            "wind_speed": 2.0,
        }
    )


def weather() -> None:
    where = ["--lat", "32.0", "--lon", "118.8", "--kwp", "100"]
    _weather_frame(2025).to_csv(OUT / "weather_2025.csv", index=False)
    ok("weather_csv", ["pv", "yield", "--weather", "weather_2025.csv", *where, "--json"], {})
    (OUT / "weather_bom.csv").write_bytes(
        codecs.BOM_UTF8 + _weather_frame(2025).to_csv(index=False).encode()
    )
    ok("weather_bom", ["pv", "yield", "--weather", "weather_bom.csv", *where, "--json"], {})
    _weather_frame(2018).to_csv(OUT / "weather_2018.csv", index=False)
    ok(
        "weather_2018_to_2025",
        ["pv", "yield", "--weather", "weather_2018.csv", *where, "--year", "2025", "--json"],
        {},
        "moved onto 2025",
    )
    _weather_frame(2025, scale=1e-3).to_csv(OUT / "weather_kw_per_m2.csv", index=False)
    refused(
        "weather_kw_per_m2",
        ["pv", "yield", "--weather", "weather_kw_per_m2.csv", *where],
        "ghi",
        "kW/m2",
    )
    _weather_frame(2025, scale=3.0).to_csv(OUT / "weather_ghi_too_high.csv", index=False)
    refused(
        "weather_ghi_too_high",
        ["pv", "yield", "--weather", "weather_ghi_too_high.csv", *where],
        "ghi",
        "1500",
    )
    _weather_frame(2025).drop(columns="temp_air").to_csv(OUT / "weather_no_temp.csv", index=False)
    refused(
        "weather_no_temp",
        ["pv", "yield", "--weather", "weather_no_temp.csv", *where],
        "temp_air",
        "temp_air",
    )
    refused(
        "weather_folder", ["pv", "yield", "--weather", "a_folder", *where], "weather", "a_folder"
    )
    refused(
        "site_outside_china",
        ["pv", "yield", "--lat", "48.85", "--lon", "2.35", "--kwp", "100"],
        "location",
        "weather file",
    )
    ok("station_zh", ["pv", "yield", "--station", "南京", "--kwp", "100", "--json"], {})
    # timestamps as the load reader reads them (one date parser for both)
    frame = _weather_frame(2025)
    stamps = pd.to_datetime(frame["timestamp"])
    for cid, stamp in (
        ("slash", [f"{x.year}/{x.month}/{x.day} {x.hour}:{x.minute:02d}" for x in stamps]),
        ("zh", [f"{x.year}年{x.month}月{x.day}日 {x.hour}:{x.minute:02d}" for x in stamps]),
        ("ddmm", list(stamps.dt.strftime("%d/%m/%Y %H:%M"))),
    ):
        frame.assign(timestamp=stamp).to_csv(OUT / f"weather_{cid}_dates.csv", index=False)
        ok(
            f"weather_{cid}_dates",
            ["pv", "yield", "--weather", f"weather_{cid}_dates.csv", *where, "--json"],
            {},
        )
    ambiguous = frame.iloc[: 24 * 12].assign(
        timestamp=list(stamps[: 24 * 12].dt.strftime("%d/%m/%Y %H:%M"))
    )
    ambiguous.to_csv(OUT / "weather_ambiguous_dates.csv", index=False)
    refused(
        "weather_ambiguous_dates",
        ["pv", "yield", "--weather", "weather_ambiguous_dates.csv", *where],
        "timestamp",
        "write the dates year first",
    )
    # provinces in pinyin with tone marks (陕西 Shǎnxī is not 山西 Shānxī)
    ok("province_toned", ["tariff", "list", "--province", "Jiāngsū", "--json"], {})
    ok("province_toned_shaanxi", ["weather", "stations", "--province", "Shǎnxī", "--json"], {})


# ------------------------------------------------------------------------------------ roofs
def roofs() -> None:
    base = ["roof", "layout", "--roof", "flat", "--station", "Nanjing", "--tilt", "20"]
    square = [[0, 0], [60, 0], [60, 40], [0, 40]]
    (OUT / "roof_square.json").write_text(json.dumps({"vertices": square}))
    ok("roof_json", [*base, "--polygon", "roof_square.json", "--json"], {"area_m2": 2400.0})
    (OUT / "roof_gbk_bom.csv").write_bytes(codecs.BOM_UTF8 + b"x,y\n0,0\n60,0\n60,40\n0,40\n")
    ok("roof_csv_bom", [*base, "--polygon", "roof_gbk_bom.csv", "--json"], {"area_m2": 2400.0})
    (OUT / "roof_closed_ring.json").write_text(json.dumps([*square, square[0]]))
    ok(
        "roof_closed_ring",
        [*base, "--polygon", "roof_closed_ring.json", "--json"],
        {"area_m2": 2400.0},
    )
    (OUT / "roof_mm.json").write_text(json.dumps([[x * 1000, y * 1000] for x, y in square]))
    refused("roof_mm", [*base, "--polygon", "roof_mm.json"], "polygon", "millimetres")
    (OUT / "roof_cm.json").write_text(json.dumps([[x * 100, y * 100] for x, y in square]))
    refused("roof_cm", [*base, "--polygon", "roof_cm.json"], "polygon", "centimetres")
    (OUT / "roof_km.json").write_text(json.dumps([[x / 1000, y / 1000] for x, y in square]))
    refused("roof_km", [*base, "--polygon", "roof_km.json"], "polygon", "kilometres")
    (OUT / "roof_bowtie.json").write_text(json.dumps([[0, 0], [40, 30], [40, 0], [0, 30]]))
    refused("roof_bowtie", [*base, "--polygon", "roof_bowtie.json"], "polygon", "crosses itself")
    th = np.linspace(0, 2 * math.pi, 6000, endpoint=False)
    (OUT / "roof_6000_vertices.json").write_text(
        json.dumps([[round(50 * math.cos(a), 4), round(50 * math.sin(a), 4)] for a in th])
    )
    refused(
        "roof_6000_vertices",
        [*base, "--polygon", "roof_6000_vertices.json"],
        "polygon",
        "6000 vertices",
    )
    r = math.sqrt(1e5 / math.pi)
    th = np.linspace(0, 2 * math.pi, 3000, endpoint=False)
    circle = [[round(r * math.cos(a), 6), round(r * math.sin(a), 6)] for a in th]
    (OUT / "roof_circle_100000m2.json").write_text(json.dumps(circle))
    shoelace = 0.5 * abs(
        sum(
            circle[i][0] * circle[i - 1][1] - circle[i - 1][0] * circle[i][1]
            for i in range(len(circle))
        )
    )
    ok(
        "roof_circle_100000m2",
        [*base, "--polygon", "roof_circle_100000m2.json", "--json"],
        {"area_m2": shoelace},
    )
    (OUT / "roof_two_points.json").write_text(json.dumps([[0, 0], [10, 0]]))
    refused(
        "roof_two_points", [*base, "--polygon", "roof_two_points.json"], "polygon", "2 vertices"
    )
    (OUT / "roof_text.csv").write_text("x,y\n0,0\nten,0\n10,10\n")
    refused("roof_text", [*base, "--polygon", "roof_text.csv"], "polygon", "not valid")
    (OUT / "roof_no_xy.csv").write_text("a,b\n0,0\n10,0\n10,10\n")
    refused("roof_no_xy", [*base, "--polygon", "roof_no_xy.csv"], "polygon", "no x, y columns")
    refused("roof_folder", [*base, "--polygon", "a_folder"], "polygon", "folder")


# ------------------------------------------------------------- small files of every reader
def _variants(
    source: Path, prefix: str, args: Callable[[str], list[str]], edits: list[tuple[str, ...]]
) -> None:
    """One file per edit of ``source`` (``(case, old, new, field, message)``), each refused."""
    text = source.read_text(encoding="utf-8")
    for cid, old, new, field, message in edits:
        if old not in text:
            raise SystemExit(f"{cid}: {old!r} not in {source.name}")
        name = f"{prefix}_{cid}.toml"
        (OUT / name).write_text(text.replace(old, new, 1), encoding="utf-8")
        refused(f"{prefix}_{cid}", args(name), field, message)


def small_files() -> None:
    """Site, plan, entity, tariff and pathway TOMLs and roof outlines: typed mistakes."""
    site = ROOT / "examples" / "sites" / "suzhou_electronics" / "SITE.toml"
    _variants(
        site,
        "site",
        lambda name: ["site", "optimize", name, "--json"],
        [
            ("year_two_digits", "year = 2025", "year = 25", "year", "1900"),
            ("year_2101", "year = 2025", "year = 2101", "year", "2100"),
            (
                "annual_inf",
                "annual_kwh = 8_000_000",
                "annual_kwh = inf",
                "load.annual_kwh",
                "finite",
            ),
            (
                "annual_1e308",
                "annual_kwh = 8_000_000",
                "annual_kwh = 1e308",
                "load.annual_kwh",
                "allowed",
            ),
            (
                "export_false",
                "export_limit_kw = 0 ",
                "export_limit_kw = false ",
                "tariff.export_limit_kw",
                "number",
            ),
            (
                "capex_string",
                "capex_yuan_per_kwp = 3000",
                'capex_yuan_per_kwp = "3000"',
                "pv.capex_yuan_per_kwp",
                "number",
            ),
            (
                "capex_negative",
                "capex_yuan_per_kwp = 3000",
                "capex_yuan_per_kwp = -3000",
                "pv.capex_yuan_per_kwp",
                "allowed",
            ),
            (
                "decline_percent",
                "decline_per_year = 0.02",
                "decline_per_year = 2",
                "carbon.decline_per_year",
                "allowed",
            ),
            (
                "discount_percent",
                "discount_rate = 0.06",
                "discount_rate = 6",
                "economics.discount_rate",
                "allowed",
            ),
            ("battery_bool", "max_kwh = 4000", "max_kwh = true", "battery.max_kwh", "number"),
            (
                "unknown_key",
                "max_cycles_per_day = 2",
                "max_cycle_per_day = 2",
                "battery.max_cycle_per_day",
                "not permitted",
            ),
            (
                "latitude_outside",
                "latitude_deg = 31.30",
                "latitude_deg = 131.30",
                "location.latitude_deg",
                "allowed",
            ),
            ("far_from_stations", "latitude_deg = 31.30", "latitude_deg = 10.0", "location", "km"),
            (
                "unknown_archetype",
                'archetype = "factory_two_shift"',
                'archetype = "brewery"',
                "load.archetype",
                "'brewery'; choose one of factory_one_shift",
            ),
            (
                "unknown_tariff",
                'name = "jiangsu_2025_two_part"',
                'name = "jiangsu_2099"',
                "tariff",
                "jiangsu_2099",
            ),
            (
                "missing_load_file",
                'archetype = "factory_two_shift"\nannual_kwh = 8_000_000',
                'csv = "no_such_meter.csv"',
                "load.csv",
                "load.csv .value 'no_such_meter.csv'.: .*no such file",
            ),
            (
                "meter_no_unit",
                'archetype = "factory_two_shift"\nannual_kwh = 8_000_000',
                'csv = "load_15min_no_unit.csv"',
                "load.unit",
                "read as kWh per 15 minutes",
            ),
            (
                "meter_8759_rows",
                'archetype = "factory_two_shift"\nannual_kwh = 8_000_000',
                'csv = "load_8759.csv"',
                "load.csv",
                "one row off",
            ),
            (
                "co2_target_out_of_reach",
                "[economics]",
                "[targets]\nmin_co2_reduction_fraction = 0.9\n\n[economics]",
                "targets",
                "cannot be reached",
            ),
        ],
    )
    entity = ROOT / "examples" / "carbon" / "entity.toml"
    _variants(
        entity,
        "entity",
        lambda name: ["carbon", "inventory", name, "--json"],
        [
            ("year_two_digits", "year = 2022", "year = 22", "years.0.year", "1900"),
            ("year_2101", "year = 2023", "year = 2101", "years.1.year", "2100"),
            ("amount_inf", "amount = 120.0", "amount = inf", "years.0.fuels.0.amount", "finite"),
            ("amount_bool", "amount = 120.0", "amount = true", "years.0.fuels.0.amount", "number"),
            (
                "electricity_negative",
                "electricity_mwh = 18000.0",
                "electricity_mwh = -18000.0",
                "years.0.electricity_mwh",
                "allowed",
            ),
            (
                "electricity_1e308",
                "electricity_mwh = 18000.0",
                "electricity_mwh = 1e308",
                "years.0.electricity_mwh",
                "allowed",
            ),
            ("unknown_fuel", 'fuel = "diesel"', 'fuel = "kerosine_x"', "fuel", "kerosine_x"),
            ("unknown_unit", 'unit = "t" }', 'unit = "barrel" }', "unit", "barrel"),
            ("unknown_region", 'region = "Jiangsu"', 'region = "Atlantis"', "region", "Atlantis"),
            (
                "unknown_key",
                "heat_gj = 15000.0",
                "heat_gigajoule = 15000.0",
                "years.0.heat_gigajoule",
                "not permitted",
            ),
        ],
    )
    tariff = ROOT / "peakzero" / "data" / "tariffs" / "jiangsu_2025_single_part.toml"
    tariff_text = tariff.read_text(encoding="utf-8")
    (OUT / "tariff_bom.toml").write_bytes(codecs.BOM_UTF8 + tariff_text.encode("utf-8"))
    ok("tariff_bom", ["tariff", "show", "tariff_bom.toml", "--json"], {})
    (OUT / "tariff_gbk.toml").write_bytes(tariff_text.encode("gbk"))
    ok("tariff_gbk", ["tariff", "show", "tariff_gbk.toml", "--json"], {})
    (OUT / "tariff_utf16.toml").write_bytes(tariff_text.encode("utf-16"))
    ok("tariff_utf16", ["tariff", "show", "tariff_utf16.toml", "--json"], {})
    (OUT / "tariff_binary.toml").write_bytes(bytes(range(256)) * 4)
    refused("tariff_binary", ["tariff", "show", "tariff_binary.toml"], "tariff", "not text")
    refused("tariff_folder", ["tariff", "show", "a_folder"], "tariff", "folder")
    pathway = ROOT / "examples" / "pathway" / "industrial_park.toml"
    _variants(
        pathway,
        "pathway",
        lambda name: ["pathway", "plan", name, "--json"],
        [
            (
                "growth_percent",
                "rate = 0.03 }",
                "rate = 3 }",
                "baseline.coal_boilers.growth.0.rate",
                "write 0.03 for 3 %",
            ),
            (
                "base_year_two_digits",
                "base_year = 2025",
                "base_year = 25",
                "pathway.base_year",
                "allowed",
            ),
            (
                "decline_percent",
                "decline_per_year = 0.03",
                "decline_per_year = 3",
                "grid.decline_per_year",
                "allowed",
            ),
            (
                "base_inf",
                "base_t = 80000",
                "base_t = inf",
                "baseline.coal_boilers.base_t",
                "finite",
            ),
        ],
    )
    plan = ROOT / "examples" / "plans" / "suzhou_factory" / "PLAN.toml"
    _variants(
        plan,
        "plan",
        lambda name: ["plan", name, "--out", "plan_out", "--no-report"],
        [
            (
                "missing_bills",
                "annual_kwh = 8_000_000",
                'bills = "no_such_bills.csv"',
                "site.load.bills",
                "no such file",
            ),
            (
                "bills_folder",
                "annual_kwh = 8_000_000",
                'bills = "a_folder"',
                "site.load.bills",
                "folder",
            ),
            (
                "bad_bills",
                "annual_kwh = 8_000_000",
                'bills = "bills_bad_month.csv"',
                "site.load.bills",
                "month",
            ),
            (
                "meter_no_unit",
                'archetype = "factory_two_shift"\nannual_kwh = 8_000_000',
                'csv = "load_15min_no_unit.csv"',
                "site.load.unit",
                "read as kWh per 15 minutes",
            ),
            (
                "meter_8759_rows",
                'archetype = "factory_two_shift"\nannual_kwh = 8_000_000',
                'csv = "load_8759.csv"',
                "site.load.csv",
                "one row off",
            ),
            ("site_year_two_digits", "year = 2025", "year = 25", "site.year", "1900"),
            ("roof_area_inf", "area_m2 = 24000", "area_m2 = inf", "roof.area_m2", "finite"),
        ],
    )
    base = ["roof", "layout", "--roof", "flat", "--station", "Nanjing", "--tilt", "20"]
    outlines = [
        (
            "bool",
            '{"vertices": [[true, 0], [60, 0], [60, 40], [0, 40]]}',
            "polygon.vertices.0.0",
            "valid number",
        ),
        (
            "string",
            '{"vertices": [["0", 0], [60, 0], [60, 40], [0, 40]]}',
            "polygon.vertices.0.0",
            "valid number",
        ),
        ("nan", "[[0, 0], [60, NaN], [60, 40], [0, 40]]", "polygon.vertices.1.1", "finite number"),
        (
            "infinity",
            "[[0, 0], [60, 0], [Infinity, 40], [0, 40]]",
            "polygon.vertices.2.0",
            "finite number",
        ),
        (
            "unit_key",
            '{"vertices": [[0, 0], [60, 0], [60, 40], [0, 40]], "unit": "mm"}',
            "polygon.unit",
            "not permitted",
        ),
        ("empty", "[]", "polygon", "0 vertices"),
        ("vertices_text", '{"vertices": "square"}', "polygon.vertices", "valid array"),
        (
            "xyz",
            '{"vertices": [[0, 0, 5], [60, 0], [60, 40], [0, 40]]}',
            "polygon.vertices.0",
            "at most 2",
        ),
    ]
    for cid, text, field, message in outlines:
        (OUT / f"roof_{cid}.json").write_text(text)
        refused(f"roof_{cid}", [*base, "--polygon", f"roof_{cid}.json"], field, message)
    (OUT / "roof_inf.csv").write_text("x,y\n0,0\ninf,0\n60,40\n0,40\n")
    refused("roof_inf_csv", [*base, "--polygon", "roof_inf.csv"], "polygon", "finite number pair")
    (OUT / "roof_utf16.csv").write_bytes("x,y\n0,0\n60,0\n60,40\n0,40\n".encode("utf-16"))
    ok("roof_utf16_csv", [*base, "--polygon", "roof_utf16.csv", "--json"], {"area_m2": 2400.0})


# ------------------------------------------------------------------------------------- TOML
def tomls() -> None:
    entity = (ROOT / "examples" / "carbon" / "entity.toml").read_text(encoding="utf-8")
    entity = entity.replace('name = "Example factory, Suzhou"', 'name = "苏州示例工厂"')
    (OUT / "entity_bom.toml").write_bytes(codecs.BOM_UTF8 + entity.encode("utf-8"))
    ok("toml_bom", ["carbon", "inventory", "entity_bom.toml", "--json"], {"entity": "苏州示例工厂"})
    (OUT / "entity_gbk.toml").write_bytes(entity.encode("gbk"))
    ok("toml_gbk", ["carbon", "inventory", "entity_gbk.toml", "--json"], {"entity": "苏州示例工厂"})
    (OUT / "entity_utf16.toml").write_bytes(entity.encode("utf-16"))
    ok(
        "toml_utf16",
        ["carbon", "inventory", "entity_utf16.toml", "--json"],
        {"entity": "苏州示例工厂"},
    )
    (OUT / "entity_broken.toml").write_text(
        entity.replace("[entity]", "[entity", 1), encoding="utf-8"
    )
    refused("toml_broken", ["carbon", "inventory", "entity_broken.toml"], "path", "not valid TOML")
    (OUT / "entity_binary.toml").write_bytes(bytes(range(256)) * 8)
    refused("toml_binary", ["carbon", "inventory", "entity_binary.toml"], "path", "not text")
    refused("toml_folder", ["carbon", "inventory", "a_folder"], "path", "folder")


def build(out: Path) -> dict[str, Any]:
    """Write every corpus file into ``out`` (emptied first) and return the manifest."""
    global OUT
    OUT = out
    CASES.clear()
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    (OUT / "a_folder").mkdir()
    (OUT / "a_folder" / "README.md").write_text("A folder given where a file is expected.\n")
    steps: list[Callable[[], None]] = [loads, excel, bills, weather, roofs, tomls, small_files]
    for step in steps:
        step()
    ids = [c["id"] for c in CASES]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate case ids")
    files = sorted(p.relative_to(OUT).as_posix() for p in OUT.rglob("*") if p.is_file())
    return {"files": files, "cases": list(CASES)}


def main() -> int:
    """Write the files into tests/data/corpus/files/, the manifest, and the .gitignore that
    leaves the large files out of the repository."""
    manifest = build(OUT)
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    MANIFEST.write_text(text, encoding="utf-8")
    small = committed(OUT)
    large = [f"files/{name}" for name in manifest["files"] if name not in small]
    IGNORE.write_text(
        "# Generated by scripts/build_corpus.py: the corpus files of COMMIT_MAX_BYTES or more (a\n"
        "# year of meter data each); the test makes them again in a temporary folder.\n"
        + "\n".join(large)
        + "\n",
        encoding="utf-8",
    )
    n_files, n_cases = len(manifest["files"]), len(manifest["cases"])
    print(
        f"{n_files} files ({len(small)} committed), {n_cases} cases; {MANIFEST.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
