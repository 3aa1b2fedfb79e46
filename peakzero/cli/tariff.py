"""`peakzero tariff ...`: the bundled TOU tariffs and a bill for a load file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from peakzero.cli._output import console, print_json, print_table
from peakzero.load import load_from_csv
from peakzero.tariff import PERIODS, Tariff, compute_bill, list_tariffs, load_tariff

app = typer.Typer(
    rich_markup_mode=None, help="Time-of-use tariffs (分时电价) and bills.", no_args_is_help=True
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (stable keys) only.")]


def _tariff(name_or_file: str) -> Tariff:
    """A bundled tariff by name, or a user TOML/JSON file by path."""
    path = Path(name_or_file)
    return load_tariff(path if path.suffix in {".toml", ".json"} else name_or_file)


@app.command("list")
def list_command(as_json: JsonOpt = False) -> None:
    """List the bundled tariffs."""
    rows: list[dict[str, Any]] = []
    for name in list_tariffs():
        t = load_tariff(name)
        rows.append(
            {
                "name": name,
                "province": t.province,
                "voltage_class": t.voltage_class,
                "flat_price_yuan_per_kwh": t.flat_price_yuan_per_kwh,
                "demand_charge_yuan_per_kw_month": t.demand_charge_yuan_per_kw_month,
                "capacity_charge_yuan_per_kva_month": t.capacity_charge_yuan_per_kva_month,
                "export_price_yuan_per_kwh": t.export_price_yuan_per_kwh,
            }
        )
    if as_json:
        print_json({"tariffs": rows})
        return
    table = Table(title="Bundled C&I time-of-use tariffs")
    for col in ("name", "province", "class", "flat [yuan/kWh]", "demand [yuan/kW-month]"):
        table.add_column(escape(col))
    for r in rows:
        demand = r["demand_charge_yuan_per_kw_month"]
        table.add_row(
            r["name"],
            r["province"],
            r["voltage_class"],
            f"{r['flat_price_yuan_per_kwh']:.4f}",
            "-" if demand is None else f"{demand:.2f}",
        )
    console.print(table)


@app.command("show")
def show_command(
    tariff: Annotated[str, typer.Argument(help="Bundled tariff name or a TOML/JSON file.")],
    as_json: JsonOpt = False,
) -> None:
    """Show a tariff's seasons, hourly periods and prices [yuan/kWh]."""
    t = _tariff(tariff)
    seasons: list[dict[str, Any]] = []
    for season in t.seasons:
        month = season.months[0]
        seasons.append(
            {
                "name": season.name,
                "months": list(season.months),
                "hour_periods": list(season.hour_periods),
                "prices_yuan_per_kwh": {
                    p: round(t.price(p, month), 6) for p in PERIODS if p in set(season.hour_periods)
                },
            }
        )
    data = {
        "name": t.name,
        "province": t.province,
        "voltage_class": t.voltage_class,
        "flat_price_yuan_per_kwh": t.flat_price_yuan_per_kwh,
        "multipliers": dict(t.multipliers),
        "seasons": seasons,
        "demand_charge_yuan_per_kw_month": t.demand_charge_yuan_per_kw_month,
        "capacity_charge_yuan_per_kva_month": t.capacity_charge_yuan_per_kva_month,
        "export_price_yuan_per_kwh": t.export_price_yuan_per_kwh,
        "export_limit_kw": t.export_limit_kw,
        "source": t.source,
    }
    if as_json:
        print_json(data)
        return
    table = Table(title=escape(f"{t.name} ({t.province}, {t.voltage_class})"))
    table.add_column("season")
    table.add_column("months")
    table.add_column("hours 0-23 (P peak, C critical, F flat, V valley, D deep valley)")
    letters = {"critical_peak": "C", "peak": "P", "flat": "F", "valley": "V", "deep_valley": "D"}
    for s in seasons:
        table.add_row(
            s["name"],
            ",".join(str(m) for m in s["months"]),
            "".join(letters[p] for p in s["hour_periods"]),
        )
    console.print(table)
    for s in seasons:
        prices = ", ".join(f"{p} {v:.4f}" for p, v in s["prices_yuan_per_kwh"].items())
        console.print(escape(f"{s['name']}: {prices} [yuan/kWh]"))
    console.print(escape(f"source: {t.source}"), style="dim")


@app.command("bill")
def bill_command(
    load_csv: Annotated[Path, typer.Argument(help="Load CSV: timestamp, kW (hourly or 15-min).")],
    tariff: Annotated[str, typer.Option("--tariff", help="Bundled tariff name or file.")],
    as_json: JsonOpt = False,
) -> None:
    """Compute the yearly bill of a load profile (all grid import), by month and component."""
    t = _tariff(tariff)
    load = load_from_csv(load_csv)
    index = pd.DatetimeIndex(load.index)
    bill = compute_bill(t, index, load.to_numpy(dtype=float))
    monthly = bill.monthly
    components = [c for c in monthly.columns if c.endswith("_yuan")]
    data: dict[str, Any] = {
        "tariff": t.name,
        "total_yuan": round(bill.total_yuan, 2),
        "components_yuan": {c: round(float(monthly[c].sum()), 2) for c in components},
        "monthly_total_yuan": [round(float(v), 2) for v in monthly["total_yuan"]],
    }
    if as_json:
        print_json(data)
        return
    rows = [(c, f"{v:,.2f} yuan") for c, v in data["components_yuan"].items() if v != 0]
    print_table(f"Bill under {t.name}", rows)
