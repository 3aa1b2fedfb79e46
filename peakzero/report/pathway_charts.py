"""Pathway figures: the marginal abatement cost curve and the roadmap stacked by measure.

Same conventions as :mod:`peakzero.report.charts` (standalone SVG strings, ids prefixed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from peakzero.report.charts import PALETTE, _column, _new_figure, _to_svg, chart_style
from peakzero.report.i18n import Lang, label


def measure_colours(names: Sequence[str]) -> dict[str, str]:
    """One colour per measure, the same in every figure, in the order given."""
    unique = list(dict.fromkeys(names))
    return {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(unique)}


def macc_bars(
    macc: Sequence[Mapping[str, Any]],
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Bars of a marginal abatement cost curve, cheapest first.

    Returns
    -------
    names, lefts [tCO2/yr], widths [tCO2/yr], heights [yuan/tCO2]
        Each bar starts where the previous one ends.

    >>> names, lefts, widths, heights = macc_bars([
    ...     {"measure": "b", "cost_yuan_per_t": 50, "abatement_t": 10},
    ...     {"measure": "a", "cost_yuan_per_t": -20, "abatement_t": 30}])
    >>> names, lefts.tolist(), widths.tolist(), heights.tolist()
    (['a', 'b'], [0.0, 30.0], [30.0, 10.0], [-20.0, 50.0])
    """
    costs = [float(c) for c in _column(macc, "cost_yuan_per_t", "pathway.macc")]
    _column(macc, "abatement_t", "pathway.macc")
    _column(macc, "measure", "pathway.macc")
    order = sorted(range(len(macc)), key=lambda i: costs[i])
    names = [str(macc[i]["measure"]) for i in order]
    widths = np.array([float(macc[i]["abatement_t"]) for i in order])
    heights = np.array([costs[i] for i in order])
    lefts = np.r_[0.0, np.cumsum(widths)[:-1]]
    return names, lefts, widths, heights


def roadmap_table(
    roadmap: Sequence[Mapping[str, Any]],
) -> tuple[list[int], list[str], np.ndarray]:
    """Abatement [tCO2/yr] by measure (rows) and year (columns); repeated rows add up.

    >>> years, measures, table = roadmap_table([
    ...     {"year": 2031, "measure": "pv", "abatement_t": 5},
    ...     {"year": 2030, "measure": "pv", "abatement_t": 4},
    ...     {"year": 2031, "measure": "led", "abatement_t": 1}])
    >>> years, measures, table.tolist()
    ([2030, 2031], ['pv', 'led'], [[4.0, 5.0], [0.0, 1.0]])
    """
    years_all = [int(y) for y in _column(roadmap, "year", "pathway.roadmap")]
    names = [str(m) for m in _column(roadmap, "measure", "pathway.roadmap")]
    tons = [float(t) for t in _column(roadmap, "abatement_t", "pathway.roadmap")]
    years = sorted(set(years_all))
    measures = list(dict.fromkeys(names))
    table = np.zeros((len(measures), len(years)))
    for y, m, t in zip(years_all, names, tons, strict=True):
        table[measures.index(m), years.index(y)] += t
    return years, measures, table


def macc_svg(
    macc: Sequence[Mapping[str, Any]],
    year: int | None,
    lang: Lang,
    prefix: str,
    colours: Mapping[str, str] | None = None,
) -> str:
    """Marginal abatement cost curve: bar width = abatement [tCO2/yr], height = cost [yuan/tCO2].

    Measures are sorted by cost; each bar starts where the previous one ends.
    """
    names, lefts, widths, heights = macc_bars(macc)
    colours = colours or measure_colours(names)
    with chart_style(lang):
        fig = _new_figure(3.2)
        ax = fig.add_subplot()
        for name, x0, w, h in zip(names, lefts, widths, heights, strict=True):
            ax.bar(
                x0,
                h,
                width=w,
                align="edge",
                color=colours.get(name, "#7f7f7f"),
                edgecolor="white",
                linewidth=0.8,
                label=label(name, lang),
            )
            ax.annotate(
                f"{h:,.0f}",
                (x0 + w / 2, h),
                ha="center",
                va="bottom" if h >= 0 else "top",
                fontsize=7,
                xytext=(0, 2 if h >= 0 else -2),
                textcoords="offset points",
            )
        ax.axhline(0, color="#555555", lw=0.6)
        ax.margins(y=0.12)
        ax.set_xlim(0, max(float(widths.sum()), 1e-9))
        ax.set_xlabel(label("ax_abatement_t", lang))
        ax.set_ylabel(label("ax_cost_yuan_per_t", lang))
        title = label("fig_macc", lang)
        ax.set_title(f"{title} ({year})" if year is not None else title)
        fig.legend(loc="outside right center", fontsize=7.5)
        return _to_svg(fig, prefix)


def roadmap_svg(
    roadmap: Sequence[Mapping[str, Any]],
    lang: Lang,
    prefix: str,
    colours: Mapping[str, str] | None = None,
) -> str:
    """Abatement by year, stacked by measure [tCO2/yr]: emissions cuts first, then offsets
    bought (rows' ``offset_t``), hatched and labelled as offsets."""
    years, measures, table = roadmap_table(roadmap)
    offset_rows = [{**r, "abatement_t": r.get("offset_t", 0.0) or 0.0} for r in roadmap]
    _, _, offsets = roadmap_table(offset_rows)
    cuts = table - offsets
    colours = colours or measure_colours(measures)
    suffix = label("offset_suffix", lang)
    with chart_style(lang):
        fig = _new_figure(3.0)
        ax = fig.add_subplot()
        bottom = np.zeros(len(years))
        layers = [(m, row, False) for m, row in zip(measures, cuts, strict=True)]
        layers += [(m, row, True) for m, row in zip(measures, offsets, strict=True)]
        for m, row, is_offset in layers:
            if not np.any(np.abs(row) > 1e-9):
                continue
            ax.bar(
                years,
                row,
                bottom=bottom,
                width=0.8,
                color="white" if is_offset else colours.get(m, "#7f7f7f"),
                edgecolor=colours.get(m, "#7f7f7f") if is_offset else None,
                hatch="////" if is_offset else None,
                label=label(m, lang) + (suffix if is_offset else ""),
                linewidth=0.5 if is_offset else 0,
            )
            bottom += row
        ax.set_xlabel(label("year", lang))
        ax.set_ylabel(label("ax_abatement_t", lang))
        ax.set_title(label("fig_roadmap", lang))
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(handles[::-1], labels[::-1], loc="outside right center", fontsize=7.5)
        return _to_svg(fig, prefix)
