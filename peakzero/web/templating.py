"""Jinja2 templates of the pages, with the translator and number / time filters."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates

from peakzero.web.i18n import t

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
_CST = dt.timezone(dt.timedelta(hours=8))


def _when(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return dt.datetime.fromtimestamp(seconds, _CST).strftime("%Y-%m-%d %H:%M")


def _num(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{float(value):,.{digits}f}"


def _g(value: Any) -> str:
    """A number in its shortest form (1e+06 for a million), for ranges and steps."""
    return "" if value is None else f"{float(value):g}"


TEMPLATES.env.globals["t"] = t
TEMPLATES.env.filters["g"] = _g
TEMPLATES.env.filters["when"] = _when
TEMPLATES.env.filters["num"] = _num
TEMPLATES.env.filters["fromjson"] = json.loads
