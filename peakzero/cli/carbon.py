"""`peakzero carbon ...` commands: inventory, trajectory (peak/neutrality), decompose, project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peakzero.cli._output import console, print_json, print_table
from peakzero.errors import PeakzeroError

app = typer.Typer(
    rich_markup_mode=None,
    help="Carbon inventory (GB/T 32150), peak and neutrality analysis, LMDI, projections.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout instead of tables.")]


def _t(value: float) -> str:
    return f"{value:,.1f} tCO2"


@app.command("inventory")
def inventory_cmd(
    entity: Annotated[Path, typer.Argument(help="Entity TOML file ([entity] + [[years]]).")],
    as_json: JsonOpt = False,
) -> None:
    """Annual inventory by scope and source (location- and market-based scope 2)."""
    from rich.table import Table

    from peakzero.carbon.inventory import entity_inventory
    from peakzero.carbon.models import load_entity

    inv = entity_inventory(load_entity(entity))
    if as_json:
        print_json(inv.to_dict())
        return
    table = Table(title=f"Inventory: {inv.entity} (grid region {inv.region}) [tCO2]")
    table.add_column("quantity", style="bold")
    for y in inv.years:
        table.add_column(str(y.year), justify="right")
    quantities = [
        ("scope 1 (combustion + process)", "scope1_t"),
        ("scope 2 location-based", "scope2_location_t"),
        ("scope 2 market-based", "scope2_market_t"),
        ("exported electricity + heat", "exported_t"),
        ("gross, location-based", "gross_location_t"),
        ("gross, market-based", "gross_market_t"),
        ("forest sinks", "sinks_t"),
        ("CCER offsets", "offsets_t"),
        ("net, location-based", "net_location_t"),
        ("net, market-based", "net_market_t"),
    ]
    for label, attr in quantities:
        table.add_row(label, *(f"{getattr(y, attr):,.1f}" for y in inv.years))
    console.print(table)
    last = inv.years[-1]
    rows = [(src, _t(v)) for src, v in last.by_source_t.items() if v != 0]
    rows.append(("grid factor", f"{last.grid_ef_t_per_mwh} tCO2/MWh ({last.grid_ef_source})"))
    print_table(f"By source, {last.year}", rows)
    for y in inv.years:
        for note in y.notes:
            console.print(f"note {y.year}: {note}")


@app.command("trajectory")
def trajectory_cmd(
    series: Annotated[Path, typer.Argument(help="CSV: year, emissions_t [, sinks_t, offsets_t].")],
    sinks_col: Annotated[str, typer.Option(help="Column of SERIES with sinks [tCO2].")] = "sinks_t",
    offsets_col: Annotated[
        str, typer.Option(help="Column of SERIES with offsets [tCO2].")
    ] = "offsets_t",
    sinks: Annotated[
        Path | None, typer.Option(help="Separate CSV with columns year, sinks_t.")
    ] = None,
    offsets: Annotated[
        Path | None, typer.Option(help="Separate CSV with columns year, offsets_t.")
    ] = None,
    peak_target: Annotated[int, typer.Option(help="Peak target year.")] = 2030,
    neutral_target: Annotated[int, typer.Option(help="Neutrality target year.")] = 2060,
    band: Annotated[float, typer.Option(help="Plateau band, fraction per year.")] = 0.01,
    plateau_years: Annotated[int, typer.Option(help="Years inside the band for a plateau.")] = 3,
    confirm_years: Annotated[int, typer.Option(help="Years of decline to confirm a peak.")] = 3,
    as_json: JsonOpt = False,
) -> None:
    """Peak status, neutral year and target checks of an annual emission series."""
    from peakzero.carbon.series import series_trajectory

    try:
        a = series_trajectory(
            series,
            sinks_col=sinks_col,
            offsets_col=offsets_col,
            sinks=sinks,
            offsets=offsets,
            peak_target_year=peak_target,
            neutral_target_year=neutral_target,
            plateau_band_fraction=band,
            plateau_min_years=plateau_years,
            confirm_years=confirm_years,
        )
    except PeakzeroError as exc:
        columns = {
            "sinks_col": ("--sinks-col", sinks_col),
            "offsets_col": ("--offsets-col", offsets_col),
        }
        if exc.field not in columns:
            raise
        option, col = columns[exc.field]
        raise PeakzeroError(
            f"{option} {col!r}: {series} has no such column; give one of its columns or "
            "leave the option out",
            field=option,
        ) from None
    years = a.years
    if as_json:
        print_json(a.to_dict())
        return
    print_table(
        f"Trajectory: {series.name} ({int(years[0])}-{int(years[-1])})",
        [
            ("status", a.status),
            ("why", a.explanation),
            ("peak year / value", f"{a.peak_year} / {_t(a.peak_value_t)}"),
            ("years since peak", str(a.years_since_peak)),
            ("drop from peak", f"{a.drop_from_peak_fraction:.1%}"),
            (f"meets peak target {a.peak_target_year}", str(a.meets_peak_target)),
            ("neutral year", str(a.neutral_year) if a.neutral_year is not None else "never"),
            ("residual gross at neutral/last year", _t(a.residual_gross_t)),
            (f"meets neutral target {a.neutral_target_year}", str(a.meets_neutral_target)),
        ],
    )


@app.command("decompose")
def decompose_cmd(
    drivers: Annotated[
        Path, typer.Argument(help="CSV: year, emissions_t, population, gdp_yuan, energy_tce.")
    ],
    from_year: Annotated[int, typer.Option("--from", help="Base year.")],
    to_year: Annotated[int, typer.Option("--to", help="Target year.")],
    as_json: JsonOpt = False,
) -> None:
    """LMDI-I additive decomposition of the change (Kaya factors) and Tapio decoupling."""
    from peakzero.carbon.drivers import decompose_drivers

    change = decompose_drivers(drivers, from_year, to_year)
    if as_json:
        print_json(change.to_dict())
        return
    dec, tp = change.decomposition, change.tapio
    rows = [(f"{k} effect", _t(v)) for k, v in dec.effects_t.items()]
    rows += [
        ("total change (= sum of effects)", _t(dec.change_t)),
        ("Tapio elasticity", f"{tp.elasticity:.3f}"),
        ("Tapio state", tp.state),
    ]
    print_table(f"LMDI-I additive, {from_year} -> {to_year} ({change.energy_column})", rows)


@app.command("project")
def project_cmd(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML ([scenario], [base], [rates]).")],
    samples: Annotated[
        int | None, typer.Option(help="Monte Carlo samples (overrides file).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (overrides file).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Baseline projection by period, Monte Carlo peak-year distribution, STIRPAT comparison."""
    from peakzero.carbon.scenario import project_scenario

    projection = project_scenario(scenario, samples=samples, seed=seed)
    if as_json:
        print_json(projection.to_dict())
        return
    base, analysis, mc = projection.baseline, projection.analysis, projection.monte_carlo
    print_table(
        f"Projection: {projection.name} ({int(base.years[0])}-{int(base.years[-1])})",
        [
            ("baseline status", f"{analysis.status} ({analysis.explanation})"),
            ("baseline peak year / value", f"{analysis.peak_year} / {_t(analysis.peak_value_t)}"),
            ("Monte Carlo samples / seed", f"{mc.n_samples} / {mc.seed}"),
            (
                "peak year P10 / P50 / P90",
                f"{mc.peak_year_p10} / {mc.peak_year_p50} / {mc.peak_year_p90}",
            ),
            (f"P(peak by {mc.target_year})", f"{mc.prob_peak_by_target:.1%}"),
            ("P(not peaked by horizon)", f"{mc.prob_not_peaked:.1%}"),
        ],
    )
    if projection.stirpat is not None:
        st = projection.stirpat.to_dict()
        console.print(
            "STIRPAT fit: "
            + " ".join(f"{k}={st[k]:.3f}" for k in ("b", "c", "d", "r_squared"))
            + f"; peak year on the baseline drivers: {st.get('peak_year')}"
        )
