"""SVG drawing of a roof layout: the roof outline and every module, in plan, north up."""

from __future__ import annotations

from xml.sax.saxutils import escape

import numpy as np

from peakzero.roof.layout import RoofLayout

_MARGIN_PX = 40.0
_MAX_PX = 900.0


def layout_svg(layout: RoofLayout, *, title: str = "") -> str:
    """Return an SVG document of the layout (roof outline, modules, north arrow, scale).

    Parameters
    ----------
    layout
        The layout to draw.
    title
        Optional caption; a default caption states modules, kWp and tilt.
    """
    roof = np.asarray(layout.roof.polygon_m, dtype=float)
    xmin, ymin = roof.min(axis=0)
    xmax, ymax = roof.max(axis=0)
    span = max(xmax - xmin, ymax - ymin, 1e-9)
    scale = _MAX_PX / span  # px per m
    width = (xmax - xmin) * scale + 2 * _MARGIN_PX
    height = (ymax - ymin) * scale + 2 * _MARGIN_PX + 30.0

    def pts(poly: np.ndarray) -> str:
        px = (poly[:, 0] - xmin) * scale + _MARGIN_PX
        py = (ymax - poly[:, 1]) * scale + _MARGIN_PX  # SVG y grows downward: north up
        return " ".join(f"{a:.2f},{b:.2f}" for a, b in zip(px, py, strict=True))

    caption = title or (
        f"{layout.modules} modules, {layout.kwp:.1f} kWp, tilt {layout.tilt_deg:g} deg, "
        f"azimuth {layout.azimuth_deg:g} deg, row pitch {layout.row_pitch_m:.2f} m"
    )
    bar_m = float(10 ** np.floor(np.log10(span / 4))) if span > 0 else 1.0
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.2f} {height:.2f}">',
        f"<title>{escape(caption)}</title>",
        f'<polygon points="{pts(roof)}" fill="#eeeeee" stroke="#333333" stroke-width="2"/>',
        '<g fill="#1f3b73" stroke="#ffffff" stroke-width="0.5">',
        *(f'<polygon points="{pts(m)}"/>' for m in layout.module_corners_m),
        "</g>",
        f'<text x="{width - 25:.1f}" y="22" font-family="sans-serif" font-size="14" '
        'text-anchor="middle">N</text>',
        f'<path d="M {width - 25:.1f} 26 l -5 12 l 10 0 z" fill="#333333"/>',
        f'<line x1="{_MARGIN_PX:.1f}" y1="{height - 20:.1f}" x2="{_MARGIN_PX + bar_m * scale:.1f}" '
        f'y2="{height - 20:.1f}" stroke="#333333" stroke-width="3"/>',
        f'<text x="{_MARGIN_PX + bar_m * scale + 6:.1f}" y="{height - 15:.1f}" '
        f'font-family="sans-serif" font-size="12">{bar_m:g} m</text>',
        f'<text x="{_MARGIN_PX:.1f}" y="20" font-family="sans-serif" font-size="13">'
        f"{escape(caption)}</text>",
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
