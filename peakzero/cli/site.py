"""`peakzero site ...` commands: PV + battery sizing and dispatch for one site."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peakzero.cli._output import check_output_dir, print_json, print_table
from peakzero.errors import PeakzeroError

if TYPE_CHECKING:
    from peakzero.site import SiteResult

app = typer.Typer(
    rich_markup_mode=None,
    help="Site optimiser: PV kWp, battery kW / kWh, hourly dispatch, bills, cash flows, tCO2.",
    no_args_is_help=True,
)


def write_outputs(result: SiteResult, out: Path) -> list[Path]:
    """Write ``dispatch_hourly.csv`` and ``cash_flows.csv`` into ``out`` (all or nothing)."""
    if out.exists() and not out.is_dir():
        raise PeakzeroError(f"--out {str(out)!r} exists and is not a folder", field="out")
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "dispatch_hourly.csv": result.hourly().to_csv(float_format="%.6g"),
        "cash_flows.csv": result.cash_flows.to_csv(index=False, float_format="%.2f"),
    }
    written = []
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        for name in files:
            (Path(tmp) / name).replace(out / name)
            written.append(out / name)
    return written


def _fmt(value: float | None, spec: str, unit: str) -> str:
    return "n/a" if value is None else f"{value:{spec}} {unit}".rstrip()


@app.command("optimize")
def optimize_cmd(
    site_file: Annotated[Path, typer.Argument(help="SITE.toml describing the site.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for hourly dispatch and cash flow CSVs.")
    ] = None,
) -> None:
    """Size PV and battery at least lifecycle cost and report savings, NPV and tCO2 avoided."""
    check_output_dir(out, "--out")
    from peakzero.site import load_site, optimize_site

    result = optimize_site(load_site(site_file))
    if out is not None:
        write_outputs(result, out)
    data = result.to_dict()
    if as_json:
        print_json(data)
        return
    print_table(
        f"Site: {result.name} ({data['status']})",
        [
            ("PV", _fmt(data["pv_kwp"], ",.1f", "kWp")),
            ("battery power", _fmt(data["battery_kw"], ",.1f", "kW")),
            ("battery energy", _fmt(data["battery_kwh"], ",.1f", "kWh")),
            ("capex", _fmt(data["capex_yuan"], ",.0f", "yuan")),
            ("annual bill, business as usual", _fmt(data["annual_bill_bau_yuan"], ",.0f", "yuan")),
            ("annual bill, with system", _fmt(data["annual_bill_yuan"], ",.0f", "yuan")),
            ("NPV (self-investment)", _fmt(data["npv_yuan"], ",.0f", "yuan")),
            ("IRR", _fmt(None if data["irr"] is None else 100 * data["irr"], ".1f", "%")),
            ("simple payback", _fmt(data["payback_years"], ".1f", "years")),
            ("LCOE", _fmt(data["lcoe_yuan_per_kwh"], ".3f", "yuan/kWh")),
            ("self-consumption", _fmt(100 * data["self_consumption_fraction"], ".1f", "%")),
            ("CO2 avoided, year 1", _fmt(data["co2_avoided_t_per_year"], ",.1f", "tCO2")),
            ("CO2 avoided, lifetime", _fmt(data["co2_avoided_t_lifetime"], ",.0f", "tCO2")),
            ("EMC host NPV", _fmt(data["emc"]["host_npv_yuan"], ",.0f", "yuan")),
            ("EMC investor NPV", _fmt(data["emc"]["investor_npv_yuan"], ",.0f", "yuan")),
            ("solve time", _fmt(data["solve_seconds"], ".2f", "s")),
        ],
    )
    if out is not None:
        print(f"wrote {out / 'dispatch_hourly.csv'} and {out / 'cash_flows.csv'}")
