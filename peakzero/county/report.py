"""The county report (zh / en): key figures, NEA shares, the cheapest programme, tables by
township, category and feeder, the top of the ranked list and an SVG map of the roofs coloured
by payback (drawn from the outlines; no map tiles).
"""

from __future__ import annotations

import base64
import html as html_lib
import math
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, StrictUndefined

from peakzero.county.buildings import Building
from peakzero.county.models import CATEGORY_LABELS
from peakzero.county.programme import MIP_TIME_LIMIT_S
from peakzero.errors import PeakzeroError

#: Payback classes of the map [year]: upper bounds and colours (ColorBrewer RdYlGn, reversed).
PAYBACK_CLASSES: tuple[tuple[float, str], ...] = (
    (5.0, "#1a9850"),
    (7.0, "#91cf60"),
    (9.0, "#fee08b"),
    (12.0, "#fc8d59"),
    (math.inf, "#d73027"),
)
NO_PV_COLOUR = "#bdbdbd"
FLAG_COLOURS = {"green": "#1a9850", "yellow": "#fee08b", "red": "#d73027", "unknown": "#bdbdbd"}
#: Rows of the ranked list shown in the report (the full list is in buildings.csv).
TOP_ROWS = 30

TEXT: dict[str, dict[str, str]] = {
    "title": {"zh": "整县屋顶分布式光伏开发方案", "en": "Whole-county rooftop PV programme"},
    "key": {"zh": "主要指标", "en": "Key figures"},
    "buildings": {"zh": "建筑数", "en": "Buildings"},
    "with_pv": {"zh": "建议安装光伏的建筑", "en": "Buildings with PV"},
    "pv_kwp": {"zh": "光伏容量 [kWp]", "en": "PV capacity [kWp]"},
    "battery_kwh": {"zh": "储能容量 [kWh]", "en": "Battery [kWh]"},
    "pv_mwh": {"zh": "年发电量 [MWh/年]", "en": "PV energy [MWh/year]"},
    "investment": {"zh": "总投资 [万元]", "en": "Investment [10k yuan]"},
    "savings": {"zh": "首年电费节省 [万元]", "en": "Year-1 bill savings [10k yuan]"},
    "npv": {"zh": "净现值 [万元]", "en": "NPV [10k yuan]"},
    "co2": {"zh": "年减排 [tCO2/年]", "en": "CO2 avoided [tCO2/year]"},
    "nea": {"zh": "国家能源局最低安装比例（2021年6月）", "en": "NEA minimum shares (June 2021)"},
    "category": {"zh": "类别", "en": "Category"},
    "roof_area": {"zh": "屋顶面积 [m2]", "en": "Roof area [m2]"},
    "area_pv": {"zh": "安装光伏的屋顶面积 [m2]", "en": "Roof area with PV [m2]"},
    "share": {"zh": "比例", "en": "Share"},
    "minimum": {"zh": "最低要求", "en": "Minimum"},
    "met": {"zh": "是否达标", "en": "Met"},
    "yes": {"zh": "达标", "en": "yes"},
    "no": {"zh": "未达标", "en": "no"},
    "programme": {
        "zh": "满足最低比例的最省投资方案",
        "en": "Cheapest programme meeting the shares",
    },
    "map": {"zh": "屋顶地图（按投资回收期着色）", "en": "Map of roofs coloured by payback"},
    "payback": {"zh": "回收期 [年]", "en": "Payback [years]"},
    "no_pv": {"zh": "不建议安装", "en": "no PV"},
    "townships": {"zh": "分乡镇汇总", "en": "By township"},
    "township": {"zh": "乡镇", "en": "Township"},
    "categories": {"zh": "分类别汇总", "en": "By category"},
    "feeders": {"zh": "分馈线承载力", "en": "Feeders: PV against capacity"},
    "feeder": {"zh": "馈线", "en": "Feeder"},
    "capacity": {"zh": "容量 [kVA]", "en": "Capacity [kVA]"},
    "pv_ac": {"zh": "光伏交流容量 [kW]", "en": "PV AC [kW]"},
    "ratio": {"zh": "占比", "en": "PV / capacity"},
    "flag": {"zh": "评级", "en": "Flag"},
    "ranked": {"zh": "建筑排名（前 {n} 名）", "en": "Ranked buildings (top {n})"},
    "rank": {"zh": "排名", "en": "Rank"},
    "id": {"zh": "编号", "en": "Id"},
    "irr": {"zh": "内部收益率", "en": "IRR"},
    "emc_host": {"zh": "合同能源管理业主净现值 [万元]", "en": "EMC host NPV [10k yuan]"},
    "method": {"zh": "方法与假设", "en": "Method and assumptions"},
    "nea_source": {
        "zh": "国家能源局《关于报送整县（市、区）屋顶分布式光伏开发试点方案的通知》，2021年6月："
        "安装光伏的屋顶面积最低比例为党政机关 50 %，学校、医院、村委会等公共建筑 40 %，"
        "工商业厂房 30 %，农村居民屋顶 20 %",
        "en": "",  # the English report shows summary.json's nea_source
    },
    "programme_met": {
        "zh": "{n} 栋建筑以最低总投资满足全部最低比例（且不使任何馈线变为红色）",
        "en": "",
    },
    "programme_gap": {"zh": "（{s:.0f} 秒内找到，与最优相差不超过 {gap}）", "en": ""},
    "programme_none": {
        "zh": "没有任何建筑组合能在不使馈线变为红色的情况下满足全部最低比例",
        "en": "",
    },
    "feeder_rule": {
        "zh": "馈线上光伏交流容量（kWp / 容配比）与馈线容量 [kVA] 之比：不超过 {g} 为绿色，"
        "不超过 {y} 为黄色，更高为红色（可调整的筛查阈值）",
        "en": "",
    },
    "ranking": {
        "zh": "排名：按静态投资回收期升序（不安装光伏的建筑排在最后），"
        "其次按净现值降序，再按编号。",
        "en": "",
    },
    "routes": {"zh": "规模优化方法：", "en": ""},
    "run": {"zh": "计算用时：{s} 秒，{where}。", "en": ""},
    "serial": {"zh": "单进程串行计算", "en": ""},
    "local": {"zh": "本地 Dask 集群（{n} 个工作进程）", "en": ""},
    "remote": {"zh": "Dask 调度器 {a}", "en": ""},
    "skipped": {"zh": "跳过 {n} 行无效数据（列表见 summary.json）。", "en": ""},
}

#: Names of the sizing routes (column ``sizing``) in the Chinese report.
ROUTES_ZH = {
    "pv_search": "仅光伏（全年逐时精确搜索）",
    "lp_full_year": "光伏加储能（全年逐时线性规划）",
    "screened_out": "屋顶不足未配置",
}
#: Feeder flags in the Chinese report.
FLAGS_ZH = {"green": "绿色", "yellow": "黄色", "red": "红色", "unknown": "未知"}
_FLAG_KEY = {v: k for k, v in FLAGS_ZH.items()}

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ t.title }}: {{ s.county }}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  margin: 2em; color: #222; font-size: 11pt; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 9.5pt; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
th { background: #f0f0f0; } td.l, th.l { text-align: left; }
.kpi td { font-size: 11pt; } .swatch { display: inline-block; width: 1em; height: 1em;
  vertical-align: middle; margin: 0 0.3em 0 1em; }
@page { size: A4; margin: 15mm; }
</style></head><body>
<h1>{{ t.title }}: {{ s.county }}</h1>
<p>{{ s.province }}, {{ s.year }}</p>
<h2>{{ t.key }}</h2>
<table class="kpi">
<tr><td class="l">{{ t.buildings }}</td><td>{{ n(s.buildings, 0) }}</td></tr>
<tr><td class="l">{{ t.with_pv }}</td><td>{{ n(s.buildings_with_pv, 0) }}</td></tr>
<tr><td class="l">{{ t.pv_kwp }}</td><td>{{ n(s.pv_kwp, 0) }}</td></tr>
<tr><td class="l">{{ t.battery_kwh }}</td><td>{{ n(s.battery_kwh, 0) }}</td></tr>
<tr><td class="l">{{ t.pv_mwh }}</td><td>{{ n(s.pv_mwh_per_year, 0) }}</td></tr>
<tr><td class="l">{{ t.investment }}</td><td>{{ n(s.investment_yuan / 1e4, 0) }}</td></tr>
<tr><td class="l">{{ t.savings }}</td><td>{{ n(s.savings_year1_yuan / 1e4, 0) }}</td></tr>
<tr><td class="l">{{ t.npv }}</td><td>{{ n(s.npv_yuan / 1e4, 0) }}</td></tr>
<tr><td class="l">{{ t.co2 }}</td><td>{{ n(s.co2_avoided_t_per_year, 0) }}</td></tr>
</table>
<h2>{{ t.nea }}</h2>
<table><tr><th class="l">{{ t.category }}</th><th>{{ t.buildings }}</th><th>{{ t.roof_area }}</th>
<th>{{ t.area_pv }}</th><th>{{ t.share }}</th><th>{{ t.minimum }}</th><th>{{ t.met }}</th></tr>
{% for r in shares %}<tr><td class="l">{{ cat(r.category) }}</td><td>{{ n(r.buildings, 0) }}</td>
<td>{{ n(r.roof_area_m2, 0) }}</td><td>{{ n(r.area_with_pv_m2, 0) }}</td><td>{{ pct(r.share) }}</td>
<td>{{ pct(r.minimum) }}</td><td>{{ t.yes if r.met else t.no }}</td></tr>{% endfor %}
</table>
<p><b>{{ t.programme }}:</b> {{ prose.programme }}
({{ t.investment }} {{ n(s.cheapest_programme.capex_yuan / 1e4, 0) }},
{{ t.pv_kwp }} {{ n(s.cheapest_programme.pv_kwp, 0) }}).</p>
<h2>{{ t.map }}</h2>
<div>{{ legend }}</div>
{{ svg }}
<h2>{{ t.townships }}</h2>
{{ towns }}
<h2>{{ t.categories }}</h2>
{{ cats }}
<h2>{{ t.feeders }}</h2>
<p>{{ prose.feeder_rule }}</p>
{{ feeders }}
<h2>{{ ranked_title }}</h2>
{{ top }}
<h2>{{ t.method }}</h2>
<ul>
{% for line in prose.method %}<li>{{ line }}</li>
{% endfor %}</ul>
</body></html>
"""


def _n(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{float(value):,.{digits}f}"


def _pct(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{100.0 * float(value):.1f} %"


def payback_colour(payback_years: float, has_pv: bool) -> str:
    """Map colour of a building by its simple payback [year].

    >>> payback_colour(6.0, True), payback_colour(float("nan"), True), payback_colour(3, False)
    ('#91cf60', '#d73027', '#bdbdbd')
    """
    if not has_pv:
        return NO_PV_COLOUR
    if not math.isfinite(payback_years):
        return PAYBACK_CLASSES[-1][1]
    return next(colour for bound, colour in PAYBACK_CLASSES if payback_years < bound)


def map_svg(table: pd.DataFrame, buildings: list[Building], width_px: float = 900.0) -> str:
    """SVG map: each roof outline (or a dot when smaller than ~2 px) coloured by payback."""
    shapes = {b.id: b for b in buildings}
    lat0 = float(table["latitude_deg"].mean()) if len(table) else 0.0
    kx = math.cos(math.radians(lat0))
    xs = table["longitude_deg"].to_numpy() * kx
    ys = table["latitude_deg"].to_numpy()
    x_min, x_max = float(xs.min()), float(xs.max())
    y_min, y_max = float(ys.min()), float(ys.max())
    span = max(x_max - x_min, y_max - y_min, 1e-4) * 1.04
    scale = width_px / span
    height = max((y_max - y_min) * 1.04 * scale, 200.0)
    pad_x, pad_y = 0.02 * span, 0.02 * span

    def px(lon: float, lat: float) -> tuple[float, float]:
        return (lon * kx - x_min + pad_x) * scale, (y_max - lat + pad_y) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width_px:.0f} {height:.0f}">'
        '<rect width="100%" height="100%" fill="#fafafa"/>'
    ]
    columns = zip(
        table["id"].astype(str),
        table["payback_years"].to_numpy(dtype=float),
        table["pv_kwp"].to_numpy(dtype=float),
        table["longitude_deg"].to_numpy(dtype=float),
        table["latitude_deg"].to_numpy(dtype=float),
        strict=True,
    )
    for bid, payback, kwp, lon, lat in columns:
        colour = payback_colour(float(payback), float(kwp) > 1e-6)
        b = shapes.get(bid)
        title = html_lib.escape(f"{bid}: {float(kwp):.1f} kWp")
        ring = None
        if b is not None and b.outline_lonlat is not None:
            ring = [px(lo, la) for lo, la in b.outline_lonlat]
            w = max(p[0] for p in ring) - min(p[0] for p in ring)
            h = max(p[1] for p in ring) - min(p[1] for p in ring)
            if max(w, h) < 2.0:
                ring = None
        if ring is not None:
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)
            parts.append(
                f'<polygon points="{pts}" fill="{colour}"><title>{title}</title></polygon>'
            )
        else:
            x, y = px(float(lon), float(lat))
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.3" fill="{colour}">'
                f"<title>{title}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _legend(t: dict[str, str]) -> str:
    items, low = [], 0.0
    for bound, colour in PAYBACK_CLASSES:
        label = f"{low:g}-{bound:g}" if math.isfinite(bound) else f">= {low:g}"
        items.append(f'<span class="swatch" style="background:{colour}"></span>{label}')
        low = bound
    items.append(f'<span class="swatch" style="background:{NO_PV_COLOUR}"></span>{t["no_pv"]}')
    return f"{t['payback']}: " + "".join(items)


def _table(frame: pd.DataFrame, columns: list[tuple[str, str, int | str]]) -> str:
    head = "".join(
        f'<th class="{"l" if fmt == "text" else ""}">{html_lib.escape(label)}</th>'
        for _, label, fmt in columns
    )
    rows = []
    for rec in frame.to_dict(orient="records"):
        cells = []
        for key, _, fmt in columns:
            v = rec[key]
            if fmt == "text":
                cells.append(f'<td class="l">{html_lib.escape(str(v))}</td>')
            elif fmt == "pct":
                cells.append(f"<td>{_pct(v)}</td>")
            elif fmt == "flag":
                colour = FLAG_COLOURS.get(_FLAG_KEY.get(str(v), str(v)), NO_PV_COLOUR)
                cells.append(f'<td style="background:{colour}">{html_lib.escape(str(v))}</td>')
            else:
                scale = 1e4 if key.endswith("_yuan") else 1.0
                cells.append(f"<td>{_n(None if v is None else float(v) / scale, int(fmt))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _prose(info: dict[str, Any], t: dict[str, str], lang: str) -> dict[str, Any]:
    """The report's sentences: summary.json's (English) in the English report, written here
    in Chinese for the Chinese one."""
    prog, run = info["cheapest_programme"], info["run"]
    routes = info["sizing_routes"]
    if lang == "en":
        method = [
            info["nea_source"],
            f"Ranking: {info['ranking']}.",
            "Sizing routes: "
            + ", ".join(f"{k} {v}" for k, v in routes.items())
            + " (see docs/county.md).",
            f"Run: {run['seconds']} s, {run['scheduler']}.",
        ]
        if info.get("buildings_skipped"):
            method.append(f"Skipped: {len(info['buildings_skipped'])} invalid rows (summary.json).")
        return {"programme": prog["message"], "feeder_rule": info["feeder_rule"], "method": method}
    if prog["status"] == "infeasible":
        programme = t["programme_none"]
    else:
        programme = t["programme_met"].format(n=prog["buildings"])
        if prog["status"] != "optimal":
            gap = _pct(prog.get("mip_gap", 0.0))
            programme += t["programme_gap"].format(s=MIP_TIME_LIMIT_S, gap=gap)
    scheduler = str(run["scheduler"])
    if scheduler == "serial":
        where = t["serial"]
    elif scheduler.startswith("local cluster"):
        where = t["local"].format(n=run["workers"])
    else:
        where = t["remote"].format(a=scheduler)
    method = [
        t["nea_source"],
        t["ranking"],
        t["routes"] + "，".join(f"{ROUTES_ZH.get(k, k)} {v} 栋" for k, v in routes.items()) + "。",
        t["run"].format(s=run["seconds"], where=where),
    ]
    if info.get("buildings_skipped"):
        method.append(t["skipped"].format(n=len(info["buildings_skipped"])))
    thresholds = info["feeder_thresholds"]
    rule = t["feeder_rule"].format(g=thresholds["green_max"], y=thresholds["yellow_max"])
    return {"programme": programme, "feeder_rule": rule, "method": method}


def render_html(
    info: dict[str, Any],
    table: pd.DataFrame,
    towns: pd.DataFrame,
    cats: pd.DataFrame,
    feeders: pd.DataFrame,
    shares: pd.DataFrame,
    buildings: list[Building],
    *,
    lang: str = "zh",
) -> str:
    """The report as one HTML page (inline SVG map)."""
    if lang not in ("zh", "en"):
        raise PeakzeroError(f"lang = {lang!r}: allowed zh, en", field="lang")
    t = {k: v[lang] for k, v in TEXT.items()}
    ci = 0 if lang == "zh" else 1
    cats = cats.assign(label=[CATEGORY_LABELS[c][ci] for c in cats["category"]])
    sums: list[tuple[str, str, int | str]] = [
        ("buildings", t["buildings"], 0),
        ("buildings_with_pv", t["with_pv"], 0),
        ("pv_kwp", t["pv_kwp"], 0),
        ("battery_kwh", t["battery_kwh"], 0),
        ("capex_yuan", t["investment"], 1),
        ("savings_year1_yuan", t["savings"], 1),
        ("npv_yuan", t["npv"], 1),
        ("co2_avoided_t_per_year", t["co2"], 0),
    ]
    top = table.head(TOP_ROWS).assign(
        cat=[CATEGORY_LABELS[c][ci] for c in table.head(TOP_ROWS)["category"]]
    )
    env = Environment(autoescape=True, undefined=StrictUndefined)
    from markupsafe import Markup

    if lang == "zh":
        feeders = feeders.assign(flag=[FLAGS_ZH.get(str(f), str(f)) for f in feeders["flag"]])

    return env.from_string(TEMPLATE).render(
        lang=lang,
        t=t,
        s=info,
        prose=_prose(info, t, lang),
        shares=shares.to_dict(orient="records"),
        n=_n,
        pct=_pct,
        cat=lambda c: CATEGORY_LABELS[c][ci],
        legend=Markup(_legend(t)),
        svg=Markup(map_svg(table, buildings)),
        towns=Markup(_table(towns, [("township", t["township"], "text"), *sums])),
        cats=Markup(_table(cats, [("label", t["category"], "text"), *sums])),
        feeders=Markup(
            _table(
                feeders,
                [
                    ("feeder", t["feeder"], "text"),
                    ("buildings", t["buildings"], 0),
                    ("pv_ac_kw", t["pv_ac"], 0),
                    ("capacity_kva", t["capacity"], 0),
                    ("pv_to_capacity", t["ratio"], "pct"),
                    ("flag", t["flag"], "flag"),
                ],
            )
        ),
        ranked_title=t["ranked"].format(n=min(TOP_ROWS, len(table))),
        top=Markup(
            _table(
                top,
                [
                    ("rank", t["rank"], 0),
                    ("id", t["id"], "text"),
                    ("township", t["township"], "text"),
                    ("cat", t["category"], "text"),
                    ("pv_kwp", t["pv_kwp"], 1),
                    ("battery_kwh", t["battery_kwh"], 0),
                    ("capex_yuan", t["investment"], 1),
                    ("npv_yuan", t["npv"], 1),
                    ("payback_years", t["payback"], 1),
                    ("irr", t["irr"], "pct"),
                    ("emc_host_npv_yuan", t["emc_host"], 1),
                ],
            )
        ),
    )


def write_pdf(html: str, path: Path) -> None:
    """Write the report as an A4 PDF with WeasyPrint (the SVG map as an image)."""
    import logging
    import re

    from weasyprint import HTML

    def to_img(match: re.Match[str]) -> str:
        data = base64.b64encode(match.group(0).encode("utf-8")).decode("ascii")
        return f'<img alt="map" style="width:100%" src="data:image/svg+xml;base64,{data}">'

    page = re.sub(r"<svg .*?</svg>", to_img, html, flags=re.S)
    log = logging.getLogger("weasyprint")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        HTML(string=page).write_pdf(str(path))
    finally:
        log.setLevel(level)
