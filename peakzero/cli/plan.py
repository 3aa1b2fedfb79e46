"""`peakzero plan PLAN.toml`: the whole answer from one file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from peakzero.cli._output import check_output_dir, console, print_json, print_table

_STEP_LABELS = {
    "inventory": "carbon inventory",
    "roof": "roof layout",
    "site": "PV + storage design (LP)",
    "pathway": "least-cost roadmap (LP)",
    "trajectory": "trajectories and peak / neutral years",
    "outputs": "results, CSVs and report",
}


def _fmt(value: object, spec: str, unit: str = "") -> str:
    if value is None:
        return "-"
    assert isinstance(value, int | float)
    return f"{value:{spec}}{(' ' + unit) if unit else ''}"


def plan_command(
    plan_file: Annotated[Path, typer.Argument(help="PLAN.toml (see examples/plans/).")],
    lang: Annotated[str, typer.Option("--lang", help="Report language: zh or en.")] = "zh",
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out/plan"),
    report: Annotated[
        bool, typer.Option("--report/--no-report", help="Write report.html and report.pdf.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print results.json only.")] = False,
) -> None:
    """Inventory -> roof -> PV + storage design -> roadmap to 2030 / 2060 -> report."""
    if lang not in ("zh", "en"):
        from peakzero.errors import PeakzeroError

        raise PeakzeroError(f"--lang = {lang!r}: choose zh or en", field="lang")
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from peakzero.plan import STEPS, load_plan, run_plan, write_outputs
    from peakzero.plan.outputs import check_replaceable

    language: Literal["zh", "en"] = "zh" if lang == "zh" else "en"
    check_output_dir(out, "--out")
    check_replaceable(out)  # --out is replaced as a whole: refuse a folder that is not ours
    plan = load_plan(plan_file)  # every field and name is checked before any work starts
    steps = (*STEPS, "outputs")
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=as_json,
        transient=False,
    ) as progress:
        task = progress.add_task("starting", total=len(steps))

        def tell(step: str) -> None:
            progress.update(task, description=_STEP_LABELS[step], completed=steps.index(step))

        run = run_plan(plan, tell)
        tell("outputs")
        files = write_outputs(run, out, lang=language, report=report)
        progress.update(task, description="done", completed=len(steps))
    r = run.results
    if as_json:
        print_json(r)
        return
    d, t, p = r["design"], r["trajectory"], r["pathway"]
    summary = r.get("summary") or {}
    print_table(
        f"{r['meta']['entity_name']}: summary",
        [
            (
                "PV" + (" (whole products)" if d.get("rounded") else ""),
                _fmt(d["pv_kwp"], ",.2f", "kWp"),
            ),
            (
                "battery",
                f"{_fmt(d['battery_kw'], ',.1f', 'kW')} / {_fmt(d['battery_kwh'], ',.1f', 'kWh')}",
            ),
            *(
                [
                    (
                        "optimiser's continuous optimum (not a buildable size)",
                        f"{_fmt(d['optimum_pv_kwp'], ',.1f', 'kWp')}, "
                        f"{_fmt(d['optimum_battery_kw'], ',.1f', 'kW')} / "
                        f"{_fmt(d['optimum_battery_kwh'], ',.1f', 'kWh')}; NPV "
                        f"{_fmt(d['optimum_npv_yuan'], ',.0f', 'yuan')}",
                    )
                ]
                if d.get("rounded")
                else []
            ),
            ("investment", _fmt(d["capex_yuan"], ",.0f", "yuan")),
            ("NPV (self-investment)", _fmt(d["npv_yuan"], ",.0f", "yuan")),
            ("IRR", _fmt(d["irr"], ".1%")),
            ("payback", _fmt(d["payback_years"], ".1f", "years")),
            ("first-year saving", _fmt(summary.get("first_year_savings_yuan"), ",.0f", "yuan")),
            (
                "levelised yearly saving",
                _fmt(
                    summary.get("levelised_savings_yuan", d["annual_savings_yuan"]), ",.0f", "yuan"
                ),
            ),
            (
                f"CO2 avoided, year 1 ({r.get('co2_definitions', {}).get('first_year', '-')})",
                _fmt(d["co2_avoided_t_per_year"], ",.0f", "tCO2/yr"),
            ),
            (
                "peak year: today / with the design / with the roadmap",
                f"{t['peak_year_before']} / {t.get('peak_year_with_solution', '-')} / "
                f"{t['peak_year_after']}",
            ),
            (
                "neutral year: today / with the roadmap",
                f"{t['neutral_year_before'] or 'never'} / {t['neutral_year_after'] or 'never'}"
                + (
                    f" (offsets {p['neutral_offsets_t']:,.0f} tCO2 that year)"
                    if p.get("neutral_offsets_t")
                    else ""
                ),
            ),
            (
                "roadmap net cost (present value; < 0 = net saving)",
                _fmt(p["total_cost_yuan"], ",.0f", "yuan"),
            ),
        ],
    )
    console.print(f"results: {files.results_json}")
    if files.report_html is not None:
        console.print(f"report:  {files.report_html}  and  {files.report_pdf}")
    for note in r.get("notes", []):
        console.print(f"note: {note}", style="dim", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``plan`` command to the top-level app."""
    app.command("plan")(plan_command)
