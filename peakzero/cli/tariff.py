"""`peakzero tariff ...`: the bundled TOU tariffs, a template for your own, and a bill.

Module level imports stay light (no pandas, numpy, pydantic models): ``tariff list`` reads the
TOML files with ``tomllib`` through :mod:`peakzero.tariff.library`; the other commands import
the engine when they run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peakzero.errors import PeakzeroError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from peakzero.tariff import Tariff

app = typer.Typer(
    rich_markup_mode=None, help="Time-of-use tariffs (分时电价) and bills.", no_args_is_help=True
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (stable keys) only.")]
ProvinceOpt = Annotated[
    str | None,
    typer.Option("--province", help="Province in Chinese, pinyin or English (四川, sichuan)."),
]

_LIST_WIDTH = 80
_QUARTER_HOUR_ROWS = (35040, 35136)
# A quarter-hour series is accepted when its hourly means equal the hourly reader's values to
# this relative tolerance (float round-off of a 4-value mean, far below any meter resolution).
_HOURLY_MATCH_RTOL = 1e-9


def _tariff(name_or_file: str) -> Tariff:
    """A bundled tariff by name, or a user TOML/JSON file by path."""
    from peakzero.tariff import load_tariff

    path = Path(name_or_file)
    return load_tariff(path if path.suffix in {".toml", ".json"} else name_or_file)


def _pad(text: str, width: int) -> str:
    """Left-justify to a display width (Chinese characters take two columns)."""
    from rich.cells import cell_len

    return text + " " * max(width - cell_len(text), 0)


@app.command("list")
def list_command(province: ProvinceOpt = None, as_json: JsonOpt = False) -> None:
    """List the bundled tariffs (filter by --province); * marks an editable default."""
    from peakzero.provinces import resolve_province
    from peakzero.tariff.library import catalog, tariffs_for_province

    entries = tariffs_for_province(province) if province else catalog()
    rows: list[dict[str, Any]] = [
        {
            "name": e.name,
            "province": e.province,
            "grid_area": e.grid_area,
            "voltage_class": e.voltage_class,
            "confidence": e.confidence,
            "flat_price_yuan_per_kwh": e.flat_price_yuan_per_kwh,
            "demand_charge_yuan_per_kw_month": e.demand_charge_yuan_per_kw_month,
            "capacity_charge_yuan_per_kva_month": e.capacity_charge_yuan_per_kva_month,
            "export_price_yuan_per_kwh": e.export_price_yuan_per_kwh,
            "defaults": list(e.defaults),
        }
        for e in entries
    ]
    if as_json:
        from peakzero.cli._output import print_json

        print_json({"tariffs": rows})
        return
    widths = (27, 20, 12, 8, 8)
    head = ("name", "province", "confidence", "flat", "demand")
    lines = ["".join(_pad(h, w) for h, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("-" * (sum(widths) - 2))
    for e in entries:
        prov = resolve_province(e.province) if e.province else None
        where = f"{prov.name} {prov.short_zh}" if prov else "-"
        flat = f"{e.flat_price_yuan_per_kwh:.4f}" + ("*" if _listed(e.defaults, "flat") else "")
        demand_rate = e.demand_charge_yuan_per_kw_month
        demand = "-" if demand_rate is None else f"{demand_rate:.1f}"
        if demand_rate is not None and _listed(e.defaults, "demand"):
            demand += "*"
        cells = (e.name, where, e.confidence or "-", flat, demand)
        lines.append("".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
    lines.append(
        f"{len(entries)} tariffs. flat [yuan/kWh], demand [yuan/kW-month]; * = editable default."
    )
    lines.append("Details: peakzero tariff show NAME. Your own: peakzero tariff new --province X.")
    for line in lines:
        print(line[:_LIST_WIDTH])


def _listed(defaults: tuple[str, ...], prefix: str) -> bool:
    return any(d.startswith(prefix) for d in defaults)


@app.command("show")
def show_command(
    tariff: Annotated[str, typer.Argument(help="Bundled tariff name or a TOML/JSON file.")],
    as_json: JsonOpt = False,
) -> None:
    """Show a tariff's seasons, half-hourly periods and prices [yuan/kWh]."""
    from rich.markup import escape
    from rich.table import Table

    from peakzero.cli._output import console, print_json
    from peakzero.tariff import PERIODS

    t = _tariff(tariff)
    seasons: list[dict[str, Any]] = []
    for season in t.seasons:
        month = season.months[0]
        seasons.append(
            {
                "name": season.name,
                "months": list(season.months),
                "hour_periods": list(season.hour_periods),
                "half_hour_periods": list(season.slot_periods),
                "prices_yuan_per_kwh": {
                    p: round(t.price(p, month), 6) for p in PERIODS if p in set(season.slot_periods)
                },
            }
        )
    trig = t.critical_peak_trigger
    data = {
        "name": t.name,
        "province": t.province,
        "grid_area": t.grid_area,
        "voltage_class": t.voltage_class,
        "confidence": t.confidence,
        "flat_price_yuan_per_kwh": t.flat_price_yuan_per_kwh,
        "flat_price_by_month_yuan_per_kwh": (
            None
            if t.flat_price_by_month_yuan_per_kwh is None
            else list(t.flat_price_by_month_yuan_per_kwh)
        ),
        "multipliers": dict(t.multipliers),
        "seasons": seasons,
        "critical_peak_trigger": None
        if trig is None
        else {
            "temp_air_min_c": trig.temp_air_min_c,
            "consecutive_days": trig.consecutive_days,
            "months": list(trig.months),
            "hours": [list(h) for h in trig.hours],
        },
        "demand_charge_yuan_per_kw_month": t.demand_charge_yuan_per_kw_month,
        "capacity_charge_yuan_per_kva_month": t.capacity_charge_yuan_per_kva_month,
        "export_price_yuan_per_kwh": t.export_price_yuan_per_kwh,
        "export_limit_kw": t.export_limit_kw,
        "market_formed": t.market_formed,
        "spread_exception": t.spread_exception,
        "defaults": list(t.defaults),
        "source": t.source,
    }
    if as_json:
        print_json(data)
        return
    table = Table(title=escape(f"{t.name} ({t.province}, {t.voltage_class})"))
    table.add_column("season")
    table.add_column("months")
    table.add_column("hours 0-23 (C P F V D)", overflow="fold")
    letters = {"critical_peak": "C", "peak": "P", "flat": "F", "valley": "V", "deep_valley": "D"}
    for s, season in zip(seasons, t.seasons, strict=True):
        # one letter per hour; an hour split at the half hour shows both halves, e.g. F/P
        halves = season.slot_periods
        cells = [
            letters[a] if a == b else f"[{letters[a]}{letters[b]}]"
            for a, b in zip(halves[::2], halves[1::2], strict=True)
        ]
        table.add_row(s["name"], ",".join(str(m) for m in s["months"]), escape("".join(cells)))
    console.print(table)
    for s in seasons:
        prices = ", ".join(f"{p} {v:.4f}" for p, v in s["prices_yuan_per_kwh"].items())
        console.print(escape(f"{s['name']}: {prices} [yuan/kWh]"))
    if trig is not None:
        console.print(
            escape(
                f"critical peak also on days >= {trig.temp_air_min_c:g} deg C "
                f"({trig.consecutive_days} day(s) running) in months {list(trig.months)}"
            )
        )
    if t.defaults:
        console.print(escape(f"editable defaults (not from the notice): {', '.join(t.defaults)}"))
    console.print(escape(f"confidence: {t.confidence or '-'}; source: {t.source}"), style="dim")


_TEMPLATE_HEAD = """\
# Your tariff, written by `peakzero tariff new` from the bundled {bundled!r}.
# Edit the figures to match your bill, then use it: [tariff] name = "{out}" in SITE.toml, or
# `peakzero tariff bill load.csv --tariff {out}`. Format: docs/tariffs.md.
#
# Fields
#   flat_price_yuan_per_kwh   flat-period (平段) energy price [yuan/kWh]; all prices are multiples
#   flat_price_by_month_yuan_per_kwh = [12 values, January first]  optional: the monthly
#                             agency-purchase (代理购电) flat price, replacing the one above
#   multipliers               price of each period as a multiple of the flat price
#   [[seasons]]               months + periods: each season's periods cover 0-24 h exactly once,
#                             as [start, end) clock hours on the hour or half hour (7.5 = 07:30)
#   holiday_rules / date_rules  periods on statutory holidays ("all", "weekend", names) or dates
#   critical_peak_trigger     critical peak on hot days (temp_air_min_c, consecutive_days)
#   demand_charge_yuan_per_kw_month   two-part: monthly maximum 15-minute demand [yuan/kW-month]
#   capacity_charge_yuan_per_kva_month + transformer_kva   or: on transformer capacity instead
#   export_price_yuan_per_kwh, export_limit_kw (0 = zero export, 防逆流)
#   defaults                  figures that are still defaults: remove a name once you set it
#   allow_other_province = true   only for a site of another province (cross-province area)
#
"""


@app.command("new")
def new_command(
    province: Annotated[
        str, typer.Option("--province", help="Province in Chinese, pinyin or English.")
    ],
    out: Annotated[Path, typer.Option("--out", help="File to write, e.g. my_tariff.toml.")],
    tariff: Annotated[
        str | None,
        typer.Option("--tariff", help="Bundled tariff to start from (default: the province's)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented tariff template from the province's bundled tariff."""
    import tomllib

    from peakzero.cli._output import check_output_file, write_text_atomic
    from peakzero.data import data_path
    from peakzero.tariff import tariff_from_dict
    from peakzero.tariff.library import default_tariff_name, tariffs_for_province

    if out.suffix != ".toml":
        raise PeakzeroError(
            f"--out {out}: give a .toml file name, e.g. my_tariff.toml", field="out"
        )
    check_output_file(out, "--out")
    if out.exists() and not force:
        raise PeakzeroError(f"--out {out} exists; pass --force to overwrite it", field="out")
    names = [e.name for e in tariffs_for_province(province)]
    bundled = tariff or default_tariff_name(province)
    if bundled not in names:
        raise PeakzeroError(
            f"--tariff {bundled!r} is not a tariff of {province!r}; choose one of {names}",
            field="tariff",
        )
    text = data_path(f"tariffs/{bundled}.toml").read_text(encoding="utf-8")
    body = re.sub(r'(?m)^name = ".*"$', f"name = {out.stem!r}".replace("'", '"'), text, count=1)
    lines = [line for line in body.splitlines() if not line.startswith("# ")]
    at = next(i for i, line in enumerate(lines) if line.startswith("[")) - 1  # end of top level
    lines[at:at] = [
        "# flat_price_by_month_yuan_per_kwh = [0.65, 0.65, 0.65, 0.65, 0.65, 0.65, 0.65, 0.65, "
        "0.65, 0.65, 0.65, 0.65]",
        "# allow_other_province = true  # only for a site in another province",
    ]
    body = "\n".join(lines) + "\n"
    result = _TEMPLATE_HEAD.format(bundled=bundled, out=out.name) + body
    tariff_from_dict(tomllib.loads(result), origin=f"template {out}")  # it must load as written
    write_text_atomic(result, out)
    print(f"wrote {out} from {bundled}; edit the figures listed in `defaults`")


def _interval_load(path: Path) -> pd.Series:
    """The load at the file's own interval: quarter-hours stay quarter-hours.

    The load reader returns hourly means; for a 35040/35136-row file the quarter-hour values
    are taken from the column (and unit scale) whose hourly means equal the reader's, so they
    pass every check the reader makes.
    """
    import numpy as np
    import pandas as pd

    from peakzero.load import load_from_csv

    hourly = load_from_csv(path)
    if len(hourly) in _QUARTER_HOUR_ROWS:  # the reader kept the quarter-hours itself
        return hourly
    frame = pd.read_csv(path, comment="#", skipinitialspace=True)
    if len(frame) not in _QUARTER_HOUR_ROWS:
        return hourly
    target = hourly.to_numpy(dtype=float)
    for col in frame.columns:
        values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
        if not np.all(np.isfinite(values)):
            continue
        for scale in (1.0, 4.0, 1e-3, 4e-3, 1e3, 4e3):  # kW, kWh per quarter, W, Wh, MW, MWh
            kw = values * scale
            if np.allclose(kw.reshape(-1, 4).mean(axis=1), target, rtol=_HOURLY_MATCH_RTOL):
                start = pd.DatetimeIndex(hourly.index)[0]
                index = pd.date_range(start, periods=len(kw), freq="15min")
                return pd.Series(kw, index=index, name="load_kw")
    raise PeakzeroError(
        f"{path}: could not read the quarter-hour values consistently with their hourly means",
        field="load",
    )


def _series(path: Path, name: str, n: int) -> np.ndarray:
    """One numeric column (the last) of a CSV: n values, or one per hour."""
    import numpy as np
    import pandas as pd

    if not path.is_file():
        raise PeakzeroError(f"{name} file {path} does not exist", field=name)
    frame = pd.read_csv(path, comment="#", skipinitialspace=True)
    values = pd.to_numeric(frame.iloc[:, -1], errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        raise PeakzeroError(f"{path}: {name} has missing or non-numeric values", field=name)
    if values.size != n and (values.size == 0 or n % values.size):
        raise PeakzeroError(
            f"{path}: {values.size} {name} values for {n} load intervals; give one per "
            "interval or one per hour of the year",
            field=name,
        )
    return values


@app.command("bill")
def bill_command(
    load_csv: Annotated[Path, typer.Argument(help="Load CSV: timestamp, kW (hourly or 15-min).")],
    tariff: Annotated[
        str | None,
        typer.Option("--tariff", help="Bundled tariff name or file (default: --province's)."),
    ] = None,
    province: ProvinceOpt = None,
    station: Annotated[
        str | None,
        typer.Option(
            "--station",
            help="Weather station whose air temperature triggers hot-day critical peaks.",
        ),
    ] = None,
    prices: Annotated[
        Path | None,
        typer.Option(
            "--prices", help="CSV of energy prices [yuan/kWh] per interval or hour (market)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Compute the yearly bill of a load profile (all grid import), by month and component.

    On a 15-minute file the demand charge bills each month's highest quarter-hour.
    """
    import pandas as pd

    from peakzero.cli._output import print_json, print_table
    from peakzero.tariff import check_tariff_province, compute_bill, default_tariff

    if tariff is None and province is None:
        raise PeakzeroError("give --tariff NAME or --province (its default tariff)", field="tariff")
    t = _tariff(tariff) if tariff is not None else default_tariff(str(province))
    if province is not None:
        check_tariff_province(t, province)
    load = _interval_load(load_csv)
    index = pd.DatetimeIndex(load.index)
    kw = load.to_numpy(dtype=float)
    temp = None
    if station is not None:
        from peakzero.weather import find_station, station_weather

        weather = station_weather(find_station(station), int(index[0].year))
        temp = weather.data["temp_air"].to_numpy(dtype=float)
    price = None if prices is None else _series(prices, "prices", len(index))
    bill = compute_bill(t, index, kw, temp_air_c=temp, price_yuan_per_kwh=price)
    notes = list(bill.notes)
    if bill.interval_minutes > 15 and t.demand_charge_yuan_per_kw_month:
        notes.append(
            "hourly data: the demand charge is billed on hourly means, below the 15-minute "
            "maximum demand the grid company bills; give the meter's 15-minute file"
        )
    monthly = bill.monthly
    components = [c for c in monthly.columns if c.endswith("_yuan")]
    data: dict[str, Any] = {
        "tariff": t.name,
        "interval_minutes": bill.interval_minutes,
        "total_yuan": round(bill.total_yuan, 2),
        "components_yuan": {c: round(float(monthly[c].sum()), 2) for c in components},
        "monthly_total_yuan": [round(float(v), 2) for v in monthly["total_yuan"]],
        "monthly_max_demand_kw": [round(float(v), 3) for v in monthly["max_demand_kw"]],
        "defaults": list(t.defaults),
        "notes": notes,
    }
    if as_json:
        print_json(data)
        return
    rows = [(c, f"{v:,.2f} yuan") for c, v in data["components_yuan"].items() if v != 0]
    rows.append(("demand measured on", f"{bill.interval_minutes:g}-minute intervals"))
    print_table(f"Bill under {t.name}", rows)
    if t.defaults:
        print(f"editable defaults in this tariff: {', '.join(t.defaults)}")
    for note in notes:
        print(f"note: {note}")
