"""The buildability checks the proposal shows: the roof's load and the site's transformer.

Pure functions on the design's figures; each returns a small dict of the report's table
(docs/report-schema.md, keys ``checks.roof_load`` and ``checks.transformer``), with the rule it
applies stated in its keys so that the report can say it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from peakzero.design import transformer_loading

#: Screening allowable extra roof load [kg/m2] by roof kind, used when the plan gives no
#: ``roof.allowable_load_kg_per_m2``, with its source. A structural engineer confirms either.
DEFAULT_ALLOWABLE_LOAD_KG_PER_M2: dict[str, tuple[float, str]] = {
    "flat": (
        51.0,
        "GB 50009-2012 Table 5.3.1: 0.5 kN/m2 (51 kg/m2) live load of a non-accessible roof, "
        "taken as the screening reserve of a concrete flat roof [unverified]",
    ),
    "pitched": (
        15.0,
        "typical reserve of a light steel (profiled sheet) roof for PV, 0.15 kN/m2 [unverified]",
    ),
}


def roof_load_check(
    dead_load_kg_per_m2: float, allowable_kg_per_m2: float | None, roof_kind: str
) -> dict[str, Any]:
    """The array's dead load against the roof's allowable extra load.

    >>> c = roof_load_check(20.5, 30.0, "flat")
    >>> c["ok"], round(c["utilisation"], 3), c["allowable_given"]
    (True, 0.683, True)
    >>> roof_load_check(20.5, None, "pitched")["ok"]
    False
    """
    given = allowable_kg_per_m2 is not None
    if allowable_kg_per_m2 is None:
        allowable, source = DEFAULT_ALLOWABLE_LOAD_KG_PER_M2[roof_kind]
    else:
        allowable, source = float(allowable_kg_per_m2), "plan file"
    return {
        "dead_load_kg_per_m2": round(float(dead_load_kg_per_m2), 2),
        "allowable_kg_per_m2": allowable,
        "allowable_given": given,
        "allowable_source": source,
        "utilisation": round(float(dead_load_kg_per_m2) / allowable, 4),
        "ok": bool(dead_load_kg_per_m2 <= allowable),
    }


def transformer_check(
    *,
    load_kw: NDArray[np.float64],
    import_kw: NDArray[np.float64],
    export_kw: NDArray[np.float64],
    inverter_ac_kw: float | None,
    transformer_kva: float | None,
    power_factor: float,
) -> dict[str, Any]:
    """Peak import today and with the system, peak export and the PV inverters' AC rating,
    each as apparent power (active power / ``power_factor``) against the transformer rating.

    Rule (peakzero's screening rule; the grid company's connection study decides): every
    apparent power stays within the transformer rating [kVA]. Without a rating, ``ok`` is None
    and ``required_kva`` is the smallest rating that passes.

    >>> c = transformer_check(load_kw=np.array([900.0]), import_kw=np.array([950.0]),
    ...     export_kw=np.array([0.0]), inverter_ac_kw=600.0, transformer_kva=1250.0,
    ...     power_factor=0.95)
    >>> [(r["item"], r["kva"], r["ok"]) for r in c["rows"]][1]
    ('peak_import_after', 1000.0, True)
    """
    rows: list[dict[str, Any]] = []
    required = 0.0
    for item, kw in (
        ("peak_import_before", float(np.max(load_kw, initial=0.0))),
        ("peak_import_after", float(np.max(import_kw, initial=0.0))),
        ("peak_export_after", float(np.max(export_kw, initial=0.0))),
        ("inverter_ac", float(inverter_ac_kw or 0.0)),
    ):
        kva = kw / power_factor
        required = max(required, round(kva, 1))
        rows.append(
            {
                "item": item,
                "kw": round(kw, 1),
                "kva": round(kva, 1),
                "loading": None if transformer_kva is None else round(kva / transformer_kva, 4),
                "ok": None if transformer_kva is None else bool(kva <= transformer_kva + 1e-9),
            }
        )
    ok = None
    if transformer_kva is not None:
        loading = transformer_loading(
            import_kw, export_kw, transformer_kva, power_factor=power_factor
        )
        ok = loading.ok and all(r["ok"] for r in rows)
    return {
        "transformer_kva": transformer_kva,
        "power_factor": power_factor,
        "required_kva": required,
        "rows": rows,
        "ok": ok,
    }
