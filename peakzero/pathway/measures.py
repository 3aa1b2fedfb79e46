"""Abatement measures of the pathway planner: one frozen dataclass and the built-in types.

A measure is deployed in *units* (kW of rooftop PV, hectares of forest, tCO2 of CCER, ...). A unit
installed in year ``v`` is active in years ``v .. v + lifetime_years - 1`` and, in its year of age
``a`` (0 in the year it is installed), has four kinds of effect:

* ``direct``: tCO2 removed from the baseline source named by ``acts_on`` (fuels, heat, process);
* ``grid``: MWh of purchased grid electricity avoided (negative: added, e.g. a heat pump), worth
  ``MWh x EF(y)`` tCO2 in year ``y``, so a kWh of PV avoids less as the grid decarbonises;
* ``sink``: tCO2 taken up (afforestation, growing with stand age);
* ``offset``: tCO2 of offsets retired (CCER).

Default parameters of the built-in types live in ``peakzero/data/pathway/measures.csv`` with a
source on every row; most are ``[unverified]`` editable defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from peakzero.data import read_table
from peakzero.errors import PeakzeroError

FloatArray = npt.NDArray[np.float64]

MEASURES_TABLE = "pathway/measures.csv"


#: A measure's effects per unit by age -> the field holding them: direct abatement of its source
#: [tCO2], purchased electricity avoided [MWh], sink removal [tCO2], offsets retired [tCO2].
EFFECTS: dict[str, str] = {
    "direct": "direct_t_by_age",
    "grid": "grid_mwh_by_age",
    "sink": "sink_t_by_age",
    "offset": "offset_t_by_age",
}


def discrete_unit(unit: str) -> bool:
    """Whether ``unit`` counts whole things (:data:`DISCRETE_UNITS`).

    >>> discrete_unit("vehicle"), discrete_unit("kW")
    (True, False)
    """
    return unit.strip().lower() in DISCRETE_UNITS


#: Units that count whole things: a measure in one of them is deployed in whole units (the
#: pathway LP makes its columns integer, :attr:`PathwayProblem.integer_units`).
DISCRETE_UNITS = frozenset({"vehicle", "vehicles", "unit", "units", "pcs", "set", "sets"})


@dataclass(frozen=True)
class Measure:
    """One abatement measure, per unit deployed.

    Attributes
    ----------
    name
        Unique name in a plan, e.g. ``"rooftop PV phase 1"``.
    kind
        Built-in type (``pv_storage``, ``efficiency_fuel``, ...) or ``custom``.
    unit
        What one unit is, e.g. ``"kW"``, ``"ha"``, ``"tCO2"``.
    capex_yuan_per_unit
        Investment per unit installed in the base year [yuan]; falls by ``cost_decline_per_year``
        each later year (learning).
    opex_yuan_per_unit_year
        Net yearly cost of one active unit [yuan]: O&M plus energy bought minus energy saved;
        negative when the measure saves money.
    lifetime_years
        Years a unit stays active, including its installation year.
    earliest_year
        First year a unit can be installed.
    max_units_per_year
        Most units installed in one year.
    max_units_total
        Most units active at once (roof area, land, fleet size); ``inf`` when unlimited.
    cost_decline_per_year
        Fractional capex decline per year after the base year (0.03 = 3 %/yr).
    acts_on
        Name of the baseline source its ``direct`` abatement comes out of; None when it has none.
    direct_t_by_age, grid_mwh_by_age, sink_t_by_age, offset_t_by_age
        Effects of one unit in each year of its life, index = age [tCO2], [MWh], [tCO2], [tCO2].
    source
        Where the numbers come from.
    """

    name: str
    kind: str
    unit: str
    capex_yuan_per_unit: float
    opex_yuan_per_unit_year: float
    lifetime_years: int
    earliest_year: int
    max_units_per_year: float
    max_units_total: float = math.inf
    cost_decline_per_year: float = 0.0
    acts_on: str | None = None
    direct_t_by_age: tuple[float, ...] = field(default=())
    grid_mwh_by_age: tuple[float, ...] = field(default=())
    sink_t_by_age: tuple[float, ...] = field(default=())
    offset_t_by_age: tuple[float, ...] = field(default=())
    source: str = ""

    def __post_init__(self) -> None:
        n = self.lifetime_years
        for name in ("direct_t_by_age", "grid_mwh_by_age", "sink_t_by_age", "offset_t_by_age"):
            values = getattr(self, name)
            if len(values) == 0:
                object.__setattr__(self, name, (0.0,) * n)
            elif len(values) != n:
                raise PeakzeroError(
                    f"measure {self.name!r}: {name} has {len(values)} values, expected one per "
                    f"year of life ({n}).",
                    field=name,
                )

    def effect(self, name: str) -> FloatArray:
        """One unit's effect ``name`` (see :data:`EFFECTS`) by age."""
        return np.asarray(getattr(self, EFFECTS[name]), dtype=float)

    @property
    def discrete(self) -> bool:
        """Whether a unit is a whole thing (:data:`DISCRETE_UNITS`), deployed in whole units."""
        return discrete_unit(self.unit)

    def effects(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Per-unit effects by age: (direct [tCO2], grid [MWh], sink [tCO2], offset [tCO2])."""
        return (
            np.asarray(self.direct_t_by_age, dtype=float),
            np.asarray(self.grid_mwh_by_age, dtype=float),
            np.asarray(self.sink_t_by_age, dtype=float),
            np.asarray(self.offset_t_by_age, dtype=float),
        )

    def capex_in(self, years: npt.ArrayLike, base_year: int) -> FloatArray:
        """Capex per unit installed in ``years`` after learning [yuan].

        >>> m = Measure("x", "custom", "u", 100.0, 0.0, 1, 2025, 1.0, cost_decline_per_year=0.1)
        >>> m.capex_in([2025, 2027], 2025).round(6).tolist()
        [100.0, 81.0]
        """
        t = np.asarray(years, dtype=float) - base_year
        factor = (1.0 - self.cost_decline_per_year) ** np.maximum(t, 0.0)
        return np.asarray(self.capex_yuan_per_unit * factor, dtype=float)


def chapman_richards_sink(
    cmax_t: float, k_per_year: float, shape: float, lifetime_years: int
) -> tuple[float, ...]:
    """Yearly sink of a stand by age from a Chapman-Richards carbon stock curve [tCO2/yr].

    Stock ``C(a) = cmax (1 - exp(-k a)) ** shape``; the sink in year of age ``a`` (0 = planting
    year) is ``C(a + 1) - C(a)``. Richards (1959), J. Exp. Bot. 10, 290-300.

    >>> [round(s, 4) for s in chapman_richards_sink(100.0, 0.1, 1.0, 2)]
    [9.5163, 8.6107]
    """
    ages = np.arange(lifetime_years + 1, dtype=float)
    stock = cmax_t * (1.0 - np.exp(-k_per_year * ages)) ** shape
    return tuple(float(s) for s in np.diff(stock))


@lru_cache(maxsize=1)
def _defaults() -> dict[str, dict[str, Any]]:
    frame = read_table(MEASURES_TABLE)
    return {
        str(row["kind"]): {str(k): v for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    }


def builtin_kinds() -> tuple[str, ...]:
    """Names of the built-in measure types in the bundled table."""
    return tuple(_defaults())


def builtin_defaults(kind: str) -> dict[str, Any]:
    """Default parameters of a built-in measure type, as in ``measures.csv``."""
    table = _defaults()
    if kind not in table:
        raise PeakzeroError(
            f"measure type {kind!r} is unknown: allowed {', '.join(sorted(table))} or 'custom'.",
            field="type",
        )
    return dict(table[kind])


def builtin_measure(
    kind: str,
    name: str,
    *,
    earliest_year: int,
    max_units_per_year: float,
    max_units_total: float = math.inf,
    **overrides: Any,
) -> Measure:
    """A built-in measure with its bundled defaults, any of which ``overrides`` replaces.

    ``overrides`` may name any :class:`Measure` field, plus the per-year shortcuts
    ``direct_t_per_unit_year``, ``grid_mwh_per_unit_year``, ``offset_t_per_unit_year`` and, for
    afforestation, ``sink_cmax_t_per_unit``, ``sink_k_per_year``, ``sink_shape``.

    >>> pv = builtin_measure("pv_storage", "PV", earliest_year=2025, max_units_per_year=500)
    >>> pv.unit, pv.grid_mwh_by_age[0], pv.lifetime_years
    ('kW', 1.1, 25)
    """
    d = builtin_defaults(kind)
    d.update(overrides)
    return _from_params(kind, name, d, earliest_year, max_units_per_year, max_units_total)


def custom_measure(
    name: str,
    earliest_year: int,
    max_units_per_year: float,
    max_units_total: float,
    params: dict[str, Any],
) -> Measure:
    """A measure of type ``custom`` from a full parameter mapping (the columns of measures.csv)."""
    return _from_params("custom", name, params, earliest_year, max_units_per_year, max_units_total)


def _from_params(
    kind: str,
    name: str,
    d: dict[str, Any],
    earliest_year: int,
    max_units_per_year: float,
    max_units_total: float,
) -> Measure:
    life = int(d["lifetime_years"])
    if life < 1:
        raise PeakzeroError(
            f"measure {name!r}: lifetime_years = {life} is out of range: allowed >= 1.",
            field="lifetime_years",
        )
    acts_on = d.get("acts_on")
    if acts_on is None or (isinstance(acts_on, float) and math.isnan(acts_on)) or acts_on == "":
        acts_on = None
    cmax = float(d.get("sink_cmax_t_per_unit", 0.0) or 0.0)
    sink = (
        chapman_richards_sink(cmax, float(d["sink_k_per_year"]), float(d["sink_shape"]), life)
        if cmax > 0
        else ()
    )
    base = Measure(
        name=name,
        kind=kind,
        unit=str(d["unit"]),
        capex_yuan_per_unit=float(d["capex_yuan_per_unit"]),
        opex_yuan_per_unit_year=float(d["opex_yuan_per_unit_year"]),
        lifetime_years=life,
        earliest_year=earliest_year,
        max_units_per_year=max_units_per_year,
        max_units_total=max_units_total,
        cost_decline_per_year=float(d["cost_decline_per_year"]),
        acts_on=None if acts_on is None else str(acts_on),
        direct_t_by_age=_by_age(d, "direct_t_by_age", float(d["direct_t_per_unit_year"]), life),
        grid_mwh_by_age=_by_age(d, "grid_mwh_by_age", float(d["grid_mwh_per_unit_year"]), life),
        sink_t_by_age=sink or _by_age(d, "sink_t_by_age", 0.0, life),
        offset_t_by_age=_by_age(d, "offset_t_by_age", float(d["offset_t_per_unit_year"]), life),
        source=str(d["source"]),
    )
    return base


def _by_age(d: dict[str, Any], key: str, per_year: float, life: int) -> tuple[float, ...]:
    """An explicit per-age tuple from ``d[key]`` or ``per_year`` repeated over the life."""
    if d.get(key) is not None:
        return tuple(float(v) for v in d[key])
    return (per_year,) * life


def pv_storage_measure(
    name: str,
    *,
    kwh_per_kw_year: float,
    capex_yuan_per_kw: float,
    annual_saving_yuan_per_kw: float,
    earliest_year: int,
    max_units_per_year: float,
    max_units_total: float = math.inf,
    om_yuan_per_kw_year: float = 45.0,
    degradation_per_year: float = 0.0,
    lifetime_years: int = 25,
    cost_decline_per_year: float = 0.03,
    source: str = "site optimiser per-kW results",
) -> Measure:
    """Rooftop PV + storage per kW, valued from the site optimiser's per-kW results.

    Abatement per kW in year ``y`` is ``kwh_per_kw_year / 1000 x EF(y)`` [tCO2], applied by the
    LP through the grid effect; ``opex = om - saving`` (negative: a net saving). Phases are
    expressed by ``max_units_per_year`` and ``earliest_year``.

    >>> m = pv_storage_measure("PV", kwh_per_kw_year=1000, capex_yuan_per_kw=3000,
    ...                        annual_saving_yuan_per_kw=600, earliest_year=2026,
    ...                        max_units_per_year=100, lifetime_years=3)
    >>> m.grid_mwh_by_age, m.opex_yuan_per_unit_year
    ((1.0, 1.0, 1.0), -555.0)
    """
    ages = np.arange(lifetime_years, dtype=float)
    mwh = kwh_per_kw_year / 1000.0 * (1.0 - degradation_per_year) ** ages
    return Measure(
        name=name,
        kind="pv_storage",
        unit="kW",
        capex_yuan_per_unit=capex_yuan_per_kw,
        opex_yuan_per_unit_year=om_yuan_per_kw_year - annual_saving_yuan_per_kw,
        lifetime_years=lifetime_years,
        earliest_year=earliest_year,
        max_units_per_year=max_units_per_year,
        max_units_total=max_units_total,
        cost_decline_per_year=cost_decline_per_year,
        grid_mwh_by_age=tuple(float(v) for v in mwh),
        source=source,
    )
