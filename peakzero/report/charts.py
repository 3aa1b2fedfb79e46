"""Report figures as standalone SVG strings (matplotlib, no pyplot, no global backend switch).

Each ``*_svg`` function takes plain values from the results dict and a language and returns an
``<svg>`` element (text drawn as paths, so the SVG needs no font to display) with its element
ids prefixed by ``prefix`` so that several figures can sit inline in one HTML page.
Chinese labels need a CJK font: :func:`chart_style` registers the one found by
:mod:`peakzero.report.fonts` with matplotlib for the duration of the drawing.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from peakzero.errors import PeakzeroError
from peakzero.report.fonts import find_cjk_font, require_cjk_font
from peakzero.report.i18n import Lang, label

#: Figure width [inch]; A4 text width at the report's margins is about 6.7 in.
FIG_W_IN = 6.6
#: Colours per TOU period (background bands) and per series.
PERIOD_COLOURS: dict[str, str] = {
    "critical_peak": "#f4a6a6",
    "peak": "#fbd3a5",
    "flat": "#eeeeee",
    "valley": "#c9e3f6",
}
PERIOD_ORDER: tuple[str, ...] = ("critical_peak", "peak", "flat", "valley")
PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


@contextmanager
def chart_style(lang: Lang) -> Iterator[None]:
    """Temporarily set matplotlib's fonts and SVG options for report charts.

    For ``lang="zh"`` a CJK font is required (:func:`require_cjk_font`); it is registered with
    matplotlib's font manager (once per process) and used as a per-glyph fallback after
    DejaVu Sans. rcParams are restored on exit.
    """
    import matplotlib
    from matplotlib import font_manager

    font = require_cjk_font() if lang == "zh" else find_cjk_font()
    families = ["DejaVu Sans"]
    if font is not None:
        known = {f.fname for f in font_manager.fontManager.ttflist}
        if str(font.path) not in known:
            font_manager.fontManager.addfont(str(font.path))
        name = font_manager.FontProperties(fname=str(font.path)).get_name()
        families.append(name)
    rc: dict[str, Any] = {
        "font.family": families,  # a list: matplotlib falls back glyph by glyph
        "font.size": 9.0,
        "axes.titlesize": 10.5,
        "axes.titleweight": "bold" if lang == "en" else "normal",  # CJK bold is faked poorly
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.unicode_minus": True,
        "svg.fonttype": "none",  # text stays text: small SVG, selectable and extractable in the PDF
        "svg.hashsalt": "peakzero",
        "legend.fontsize": 8.0,
        "legend.frameon": False,
    }
    # The CJK fonts have no bold face; matplotlib would log a fallback for every bold title.
    fm_log = logging.getLogger("matplotlib.font_manager")
    level = fm_log.level
    fm_log.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(rc):  # type: ignore[arg-type]
            yield
    finally:
        fm_log.setLevel(level)


def _new_figure(height_in: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(FIG_W_IN, height_in), layout="constrained")


def _to_svg(fig: Any, prefix: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)  # RDF: external URIs
    # Browsers without the fonts used here fall back to common CJK fonts, then to sans-serif.
    svg = re.sub(r"(font-family: [^;\"]+)", r"\1, " + _BROWSER_FALLBACK, svg)
    ids = set(re.findall(r'\sid="([^"]+)"', svg))

    def fix_ref(match: re.Match[str]) -> str:
        ref = match.group(2)
        return f"{match.group(1)}{prefix}-{ref}" if ref in ids else match.group(0)

    svg = re.sub(r'(\sid=")([^"]+)(?=")', lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    svg = re.sub(r"(#)([A-Za-z_][\w.-]*)", fix_ref, svg)
    return svg


def _arr(values: Sequence[float] | None, n: int | None, field: str) -> np.ndarray:
    if values is None:
        raise PeakzeroError(f"{field} is missing from the results.", field=field)
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or (n is not None and arr.size != n):
        raise PeakzeroError(
            f"{field} must be a list of {n} numbers, got {arr.size}.",
            field=field,
        )
    return arr


def _column(rows: Sequence[Mapping[str, Any]], key: str, where: str) -> list[Any]:
    """``[row[key] for row in rows]``, or a PeakzeroError naming the first row without it."""
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping) or row.get(key) is None:
            raise PeakzeroError(f"{where}[{i}].{key} is missing.", field=f"{where}[{i}].{key}")
        out.append(row[key])
    return out


def _wan(values: np.ndarray) -> np.ndarray:
    """Yuan to 10 000 yuan (万元), the unit Chinese business charts use."""
    return values / 1e4


def monthly_generation_svg(monthly_ac_kwh: Sequence[float], lang: Lang, prefix: str) -> str:
    """Bar chart of monthly AC generation [MWh]."""
    mwh = _arr(monthly_ac_kwh, 12, "pv.monthly_ac_kwh") / 1e3
    with chart_style(lang):
        fig = _new_figure(2.6)
        ax = fig.add_subplot()
        months = np.arange(1, 13)
        ax.bar(months, mwh, color="#f2a900", edgecolor="#b07b00", linewidth=0.6)
        for m, v in zip(months, mwh, strict=True):
            ax.annotate(
                f"{v:,.0f}",
                (m, v),
                ha="center",
                va="bottom",
                fontsize=7,
                xytext=(0, 1),
                textcoords="offset points",
            )
        ax.set_xticks(months)
        ax.set_xticklabels([f"{m}月" if lang == "zh" else f"{m}" for m in months])
        ax.set_xlabel(label("month", lang))
        ax.set_ylabel(label("ax_energy_mwh", lang))
        ax.set_title(label("fig_monthly", lang))
        ax.set_ylim(0, mwh.max() * 1.15 if mwh.max() > 0 else 1)
        return _to_svg(fig, prefix)


def typical_day_svg(day: Mapping[str, Any], season: str, lang: Lang, prefix: str) -> str:
    """Hourly dispatch of one typical day over shaded TOU-period bands.

    Top panel [kW]: load, grid import and export (negative) as hourly steps, PV output as a line,
    battery discharge (up) and charge (down) as bars. Bottom panel: battery state of charge
    [kWh] at the end of each hour. Values are hour-beginning: the value at ``h`` holds over
    ``[h, h+1)``.
    """
    where = f"design.typical_days.{season}"
    hours = np.arange(24)
    series = {
        k: _arr(day.get(k), 24, f"{where}.{k}") for k in ("load_kw", "pv_kw", "grid_import_kw")
    }
    optional = {
        k: _arr(day[k], 24, f"{where}.{k}")
        for k in ("battery_charge_kw", "battery_discharge_kw", "grid_export_kw", "soc_kwh")
        if day.get(k) is not None
    }
    periods = [str(p) for p in day.get("period") or []]
    if periods and len(periods) != 24:
        raise PeakzeroError(
            f"{where}.period must have 24 entries, got {len(periods)}.", field=f"{where}.period"
        )
    edges = np.r_[hours, 24]

    def step(values: np.ndarray) -> np.ndarray:
        return np.append(values, values[-1])

    with chart_style(lang):
        has_soc = "soc_kwh" in optional
        fig = _new_figure(3.6 if has_soc else 2.9)
        if has_soc:
            ax, ax_soc = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1])
        else:
            ax, ax_soc = fig.add_subplot(), None
        seen: list[str] = []
        for h, p in enumerate(periods):
            for a in (ax, ax_soc):
                if a is not None:
                    a.axvspan(h, h + 1, color=PERIOD_COLOURS.get(p, "#f7f7f7"), lw=0, zorder=0)
            if p not in seen:
                seen.append(p)
        x = hours + 0.5
        if "battery_discharge_kw" in optional:
            ax.bar(
                x,
                optional["battery_discharge_kw"],
                width=0.7,
                color="#2ca02c",
                alpha=0.85,
                label=label("battery_discharge_kw", lang),
                zorder=2,
            )
        if "battery_charge_kw" in optional:
            ax.bar(
                x,
                -optional["battery_charge_kw"],
                width=0.7,
                color="#9467bd",
                alpha=0.85,
                label=label("battery_charge_kw", lang),
                zorder=2,
            )
        ax.step(
            edges,
            step(series["load_kw"]),
            where="post",
            color="#222222",
            lw=1.6,
            label=label("load_kw", lang),
            zorder=3,
        )
        ax.step(
            edges,
            step(series["grid_import_kw"]),
            where="post",
            color="#1f77b4",
            lw=1.2,
            ls="--",
            label=label("grid_import_kw", lang),
            zorder=3,
        )
        if "grid_export_kw" in optional and optional["grid_export_kw"].max() > 0:
            ax.step(
                edges,
                -step(optional["grid_export_kw"]),
                where="post",
                color="#d62728",
                lw=1.2,
                ls=":",
                label=label("grid_export_kw", lang),
                zorder=3,
            )
        ax.plot(
            x,
            series["pv_kw"],
            color="#e69500",
            lw=1.8,
            marker="o",
            ms=2.5,
            label=label("pv_kw", lang),
            zorder=4,
        )
        ax.axhline(0, color="#555555", lw=0.6)
        ax.set_xlim(0, 24)
        ax.set_xticks(range(0, 25, 3))
        ax.set_ylabel(label("ax_power_kw", lang))
        date = day.get("date")
        title = label(title_key_label(season), lang)
        ax.set_title(f"{title} ({date})" if date else title)
        handles, labels = ax.get_legend_handles_labels()
        if ax_soc is not None:
            soc = optional["soc_kwh"]
            ax_soc.plot(hours + 1, soc, color="#8c564b", lw=1.4, marker="o", ms=2)
            ax_soc.set_ylabel(label("ax_soc_kwh_short", lang))
            ax_soc.set_ylim(0, max(float(soc.max()) * 1.15, 1.0))
            ax_soc.set_xlabel(label("hour", lang))
        else:
            ax.set_xlabel(label("hour", lang))
        from matplotlib.patches import Patch

        ordered = [p for p in PERIOD_ORDER if p in seen] + [
            p for p in seen if p not in PERIOD_ORDER
        ]
        for p in ordered:
            handles.append(Patch(color=PERIOD_COLOURS.get(p, "#f7f7f7")))
            labels.append(label(f"period_{p}", lang) if f"period_{p}" in _PERIOD_KEYS else p)
        fig.legend(handles, labels, loc="outside right center", fontsize=7.5)
        return _to_svg(fig, prefix)


_BROWSER_FALLBACK = "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
_LABEL_BOX = {
    "boxstyle": "round,pad=0.15",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 0.85,
}
_PERIOD_KEYS = {f"period_{p}" for p in PERIOD_ORDER}


def title_key_label(season: str) -> str:
    """Label key of a typical-day figure title, ``"summer" -> "fig_day_summer"``."""
    return f"fig_day_{season}" if season in ("summer", "winter") else season


def bill_svg(
    before: Mapping[str, float], after: Mapping[str, float], lang: Lang, prefix: str
) -> str:
    """Stacked bars of the annual bill by component, before and after [10k yuan].

    Components are signed (an export credit is negative and drawn below zero); the total is
    written above each bar.
    """
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    with chart_style(lang):
        fig = _new_figure(3.0)
        ax = fig.add_subplot()
        xs = np.array([0.0, 1.0])
        pos = np.zeros(2)
        neg = np.zeros(2)
        for i, k in enumerate(keys):
            vals = _wan(np.array([float(before.get(k, 0.0)), float(after.get(k, 0.0))]))
            base = np.where(vals >= 0, pos, neg)
            ax.bar(
                xs,
                vals,
                0.5,
                bottom=base,
                color=PALETTE[i % len(PALETTE)],
                label=label(k, lang),
                edgecolor="white",
                linewidth=0.5,
            )
            pos = pos + np.clip(vals, 0, None)
            neg = neg + np.clip(vals, None, 0)
        totals = _wan(np.array([sum(map(float, before.values())), sum(map(float, after.values()))]))
        for x, top, tot in zip(xs, pos, totals, strict=True):
            ax.annotate(
                f"{label('total', lang)} {tot:,.1f}",
                (x, top),
                ha="center",
                va="bottom",
                xytext=(0, 2),
                textcoords="offset points",
                fontsize=8,
            )
        ax.axhline(0, color="#555555", lw=0.6)
        ax.set_xticks(xs)
        ax.set_xticklabels([label("bill_bau", lang), label("bill_after", lang)])
        ax.set_xlim(-0.6, 1.6)
        ax.set_ylim(top=max(pos.max() * 1.12, 1e-9))
        ax.set_ylabel(label("ax_bill_yuan", lang))
        ax.set_title(label("fig_bill", lang))
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="outside right center", fontsize=7.5)
        return _to_svg(fig, prefix)


def cash_flow_svg(
    cash_flows: Sequence[Mapping[str, Any]],
    lang: Lang,
    prefix: str,
    financing_rows: Sequence[Mapping[str, Any]] | None = None,
) -> str:
    """Yearly net cash flow bars and the cumulative cash flow line [10k yuan]; with
    ``financing_rows`` (results ``financing.rows``) also the owner's cumulative flow with a bank
    loan and under the EMC."""
    years = np.array(_column(cash_flows, "year", "cash_flows"), dtype=int)
    net = _wan(np.array(_column(cash_flows, "net_yuan", "cash_flows"), dtype=float))
    cum = _wan(np.array(_column(cash_flows, "cumulative_yuan", "cash_flows"), dtype=float))
    if financing_rows:  # the self-investment flows as the table shows them (after tax if on)
        net = _wan(np.array(_column(financing_rows, "self_net_yuan", "financing.rows"), float))
        cum = _wan(
            np.array(_column(financing_rows, "self_cumulative_yuan", "financing.rows"), float)
        )
    with chart_style(lang):
        fig = _new_figure(2.4 if financing_rows else 2.8)
        ax = fig.add_subplot()
        colours = np.where(net >= 0, "#2ca02c", "#d62728")
        ax.bar(years, net, color=colours, width=0.7, label=label("net_yuan", lang))
        ax.plot(
            years,
            cum,
            color="#1f77b4",
            lw=1.8,
            marker="o",
            ms=3,
            label=label("self_cumulative_yuan" if financing_rows else "cumulative_yuan", lang),
        )
        for key, colour in (
            ("loan_cumulative_yuan", "#ff7f0e"),
            ("emc_cumulative_yuan", "#9467bd"),
        ):
            if financing_rows:
                values = _wan(np.array(_column(financing_rows, key, "financing.rows"), float))
                ax.plot(years, values, color=colour, lw=1.5, ls="--", label=label(key, lang))
        ax.axhline(0, color="#555555", lw=0.6)
        ax.set_xlabel(label("year", lang))
        ax.set_ylabel(label("ax_cash_yuan", lang))
        ax.set_title(label("fig_cash_three" if financing_rows else "fig_cash", lang))
        ax.legend(loc="upper left")
        return _to_svg(fig, prefix)


def trajectory_svg(traj: Mapping[str, Any], lang: Lang, prefix: str) -> str:
    """Emissions by year with and without the solution, peak and neutral years marked [tCO2]."""
    years = np.asarray(traj["years"], dtype=float)
    n = years.size
    styles = {
        "baseline_gross_t": ("#7f7f7f", "-"),
        "with_solution_gross_t": ("#1f77b4", "-"),
        "pathway_gross_t": ("#2ca02c", "-"),
        "pathway_net_t": ("#2ca02c", "--"),
    }
    with chart_style(lang):
        fig = _new_figure(3.4)
        ax = fig.add_subplot()
        for key, (colour, ls) in styles.items():
            if traj.get(key) is not None:
                ax.plot(
                    years,
                    _arr(traj[key], n, f"trajectory.{key}"),
                    color=colour,
                    ls=ls,
                    lw=1.8,
                    label=label(key, lang),
                )
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]), top=ax.get_ylim()[1] * 1.15)
        for key, colour in (("peak_target_year", "#d62728"), ("neutral_target_year", "#2ca02c")):
            year = traj.get(key)
            if year is not None:
                name = "peak_target" if key.startswith("peak") else "neutral_target"
                ax.axvline(year, color=colour, lw=0.8, ls=":")
                ax.annotate(
                    f"{label(name, lang)} {year}",
                    (year, 1.0),
                    xycoords=("data", "axes fraction"),
                    rotation=90,
                    ha="center",
                    va="top",
                    fontsize=7,
                    color=colour,
                    xytext=(0, -2),
                    textcoords="offset points",
                    bbox=_LABEL_BOX,
                )
        iyears = [int(y) for y in years]
        markers = []
        for skey, colour, when, dy in (
            ("baseline_gross_t", "#7f7f7f", "before", 5),
            ("with_solution_gross_t", "#1f77b4", "with_design", 5),
            ("pathway_gross_t", "#2ca02c", "with_roadmap", -11),
        ):
            if traj.get(skey) is not None:  # the peak of the very series drawn
                series = _arr(traj[skey], n, f"trajectory.{skey}")
                markers.append(
                    (iyears[int(np.argmax(series))], skey, "^", colour, "peak_year", when, dy)
                )
        for ykey, skey, colour, when in (
            ("neutral_year_before", "baseline_gross_t", "#7f7f7f", "before"),
            ("neutral_year_after", "pathway_net_t", "#2ca02c", "with_roadmap"),
        ):
            year = traj.get(ykey)
            if year is not None and traj.get(skey) is not None and year in iyears:
                markers.append((int(year), skey, "o", colour, "neutral_year", when, 5))
        for year, skey, marker, colour, what, when, dy in markers:
            value = float(np.asarray(traj[skey], dtype=float)[iyears.index(year)])
            ax.plot(
                [year],
                [value],
                marker=marker,
                ms=8,
                color=colour,
                mec="black",
                mew=0.6,
                ls="none",
                zorder=4,
            )
            right = year > years.min() + 0.6 * (years.max() - years.min())
            ax.annotate(
                f"{label(what, lang)} ({label(when, lang)}): {year}",
                (year, value),
                xytext=(-7 if right else 7, dy),
                textcoords="offset points",
                ha="right" if right else "left",
                fontsize=7,
                color="black",
                bbox=_LABEL_BOX,
                zorder=5,
            )
        ax.axhline(0, color="#555555", lw=0.6)
        ax.set_xlabel(label("year", lang))
        ax.set_ylabel(label("ax_emissions_t", lang))
        ax.set_title(label("fig_trajectory", lang))
        fig.legend(loc="outside lower center", ncol=3)
        return _to_svg(fig, prefix)


def tornado_svg(
    sensitivity: Sequence[Mapping[str, Any]], base_npv_yuan: float, lang: Lang, prefix: str
) -> str:
    """NPV when one driver moves at a time, low and high case as bars around the base [10k yuan].

    Rows as in ``results.risk.sensitivity`` (largest swing first, drawn on top); the base NPV
    (``results.risk.base_npv_yuan``) is the vertical line.
    """
    drivers = [str(r["driver"]) for r in sensitivity]
    low = _wan(np.asarray([float(r["npv_low_yuan"]) for r in sensitivity]))
    high = _wan(np.asarray([float(r["npv_high_yuan"]) for r in sensitivity]))
    with chart_style(lang):
        fig = _new_figure(2.4)
        ax = fig.add_subplot()
        y = np.arange(len(drivers))[::-1]
        base = float(_wan(np.asarray([base_npv_yuan]))[0])
        for key, values, colour in (("case_low", low, "#d62728"), ("case_high", high, "#2ca02c")):
            ax.barh(y, values - base, left=base, color=colour, height=0.6, label=label(key, lang))
        ax.axvline(base, color="black", lw=0.8)
        ax.set_yticks(y, [label(d, lang) for d in drivers])
        ax.set_xlabel(label("ax_npv_wan", lang))
        ax.set_title(label("fig_tornado", lang))
        fig.legend(loc="outside lower center", ncol=2)
        return _to_svg(fig, prefix)
