"""Small server-side SVG charts for the pages (no JavaScript)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def monthly_bars_svg(
    pv_kwh: Sequence[float],
    load_kwh: Sequence[float],
    *,
    pv_label: str,
    load_label: str,
    title: str,
    width: int = 560,
    height: int = 220,
) -> str:
    """Paired monthly bars (PV yield beside electricity use) as an inline SVG string [kWh]."""
    left, bottom, top = 44, 24, 28
    plot_h = height - bottom - top
    peak = max([*pv_kwh, *load_kwh, 1.0])
    group = (width - left - 8) / 12
    bar = group * 0.38
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f'<text x="{left}" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for k in range(5):
        y = top + plot_h * (1 - k / 4)
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{peak * k / 4 / 1000:,.0f}</text>"
        )
    for m in range(12):
        x0 = left + m * group + group * 0.1
        for j, (values, cls) in enumerate(((pv_kwh, "pv"), (load_kwh, "load"))):
            h = plot_h * float(values[m]) / peak
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" class="{cls}"/>'
            )
        parts.append(
            f'<text x="{x0 + bar:.1f}" y="{height - 8}" text-anchor="middle" class="tick">'
            f"{m + 1}</text>"
        )
    parts.append(
        f'<rect x="{width - 190}" y="6" width="10" height="10" class="pv"/>'
        f'<text x="{width - 176}" y="15" class="tick">{escape(pv_label)} (MWh)</text>'
        f'<rect x="{width - 100}" y="6" width="10" height="10" class="load"/>'
        f'<text x="{width - 86}" y="15" class="tick">{escape(load_label)} (MWh)</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
