"""Drivers of emissions: Kaya identity, LMDI-I additive decomposition, Tapio decoupling.

References
----------
Kaya, Y. (1990). Impact of carbon dioxide emission control on GNP growth. IPCC EIS.
Ang, B. W. (2005). The LMDI approach to decomposition analysis: a practical guide.
Energy Policy 33, 867-871 (LMDI-I additive, exact: no residual).
Ang, B. W., Liu, N. (2007). Handling zero values in the logarithmic mean Divisia index
decomposition approach. Energy Policy 35, 238-246 (the limits used for zero values).
Tapio, P. (2005). Towards a theory of decoupling. Transport Policy 12, 137-151.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from peakzero.errors import PeakzeroError

KAYA_FACTORS = ("population", "gdp_per_capita", "energy_intensity", "carbon_intensity")
"""Kaya factors: C = P x (GDP/P) x (E/GDP) x (C/E)."""


def kaya_factors(
    population: ArrayLike, gdp_yuan: ArrayLike, energy: ArrayLike, emissions_t: ArrayLike
) -> dict[str, np.ndarray]:
    """Kaya identity factors whose product is ``emissions_t``.

    Parameters
    ----------
    population
        Population [persons].
    gdp_yuan
        GDP [yuan] (any constant-price currency unit).
    energy
        Energy use [tce or GJ; any one unit].
    emissions_t
        Emissions [tCO2].

    Returns
    -------
    dict
        ``population`` [persons], ``gdp_per_capita`` [yuan/person], ``energy_intensity``
        [energy unit/yuan], ``carbon_intensity`` [tCO2/energy unit].

    Examples
    --------
    >>> f = kaya_factors(10.0, 200.0, 50.0, 100.0)
    >>> [float(f[k]) for k in KAYA_FACTORS]
    [10.0, 20.0, 0.25, 2.0]
    """
    p = np.asarray(population, dtype=float)
    g = np.asarray(gdp_yuan, dtype=float)
    e = np.asarray(energy, dtype=float)
    c = np.asarray(emissions_t, dtype=float)
    for name, arr in (("population", p), ("gdp_yuan", g), ("energy", e)):
        if np.any(arr <= 0):
            raise PeakzeroError(
                f"{name} must be > 0 for the Kaya identity (it is a denominator)", field=name
            )
    if np.any(c < 0):
        raise PeakzeroError("emissions_t must be >= 0", field="emissions_t")
    return {
        "population": p,
        "gdp_per_capita": g / p,
        "energy_intensity": e / g,
        "carbon_intensity": c / e,
    }


def log_mean(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """Logarithmic mean ``L(a, b) = (a - b) / (ln a - ln b)``, ``L(a, a) = a``, ``L(a, 0) = 0``.

    >>> float(log_mean(2.0, 2.0)), float(log_mean(0.0, 3.0)), round(float(log_mean(1.0, np.e)), 6)
    (2.0, 0.0, 1.718282)
    """
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    out = np.zeros(np.broadcast(x, y).shape)
    xb, yb = np.broadcast_arrays(x, y)
    pos = (xb > 0) & (yb > 0)
    equal = pos & np.isclose(xb, yb, rtol=1e-12, atol=0.0)
    diff = pos & ~equal
    out[equal] = xb[equal]
    out[diff] = (xb[diff] - yb[diff]) / (np.log(xb[diff]) - np.log(yb[diff]))
    return out


def lmdi_additive(factors_0: ArrayLike, factors_t: ArrayLike) -> np.ndarray:
    """LMDI-I additive decomposition of ``C = sum_i prod_k x_ik`` between two years.

    ``D_k = sum_i L(C_i^T, C_i^0) ln(x_ik^T / x_ik^0)``; ``sum_k D_k = C^T - C^0`` exactly.

    Zero values follow the limit of the small-value strategy (Ang & Liu 2007): in a sector whose
    aggregate is zero in one year, the whole change of that sector goes to the factor(s) that are
    zero, shared by the number of zeros; a sector zero in both years contributes nothing.

    Parameters
    ----------
    factors_0, factors_t
        Factor values in the base and target year, shape ``(n_factors,)`` (one sector) or
        ``(n_sectors, n_factors)``; all >= 0.

    Returns
    -------
    numpy.ndarray
        Effect of each factor [unit of C], shape ``(n_factors,)``.

    Examples
    --------
    >>> eff = lmdi_additive([2.0, 3.0], [4.0, 3.0])   # C: 6 -> 12, only factor 0 moved
    >>> eff.round(12).tolist()
    [6.0, 0.0]
    """
    x0 = np.atleast_2d(np.asarray(factors_0, dtype=float))
    xt = np.atleast_2d(np.asarray(factors_t, dtype=float))
    if x0.shape != xt.shape:
        raise PeakzeroError(
            f"factor arrays differ in shape: {x0.shape} vs {xt.shape}", field="factors"
        )
    if (
        np.any(x0 < 0)
        or np.any(xt < 0)
        or not (np.all(np.isfinite(x0)) and np.all(np.isfinite(xt)))
    ):
        raise PeakzeroError("LMDI factors must be finite and >= 0", field="factors")
    c0 = np.prod(x0, axis=1)
    ct = np.prod(xt, axis=1)
    effects = np.zeros(x0.shape[1])
    for i in range(x0.shape[0]):
        a0, at = x0[i], xt[i]
        if c0[i] > 0 and ct[i] > 0:
            effects += log_mean(ct[i], c0[i]) * np.log(at / a0)
            continue
        # limit of the small-value strategy: ln(x^T/x^0) ~ n_k ln(delta) as delta -> 0
        n_k = (at == 0).astype(float) - (a0 == 0).astype(float)
        total = n_k.sum()
        if total != 0:
            effects += (ct[i] - c0[i]) * n_k / total
    return effects


@dataclass(frozen=True)
class KayaDecomposition:
    """LMDI effects of the Kaya factors between two years [tCO2]."""

    from_year: int
    to_year: int
    emissions_from_t: float
    emissions_to_t: float
    effects_t: dict[str, float]

    @property
    def change_t(self) -> float:
        """Total change [tCO2] = sum of the effects."""
        return self.emissions_to_t - self.emissions_from_t


def decompose_kaya(
    years: Sequence[int] | ArrayLike,
    factors: Mapping[str, ArrayLike],
    from_year: int,
    to_year: int,
) -> KayaDecomposition:
    """LMDI-I additive decomposition of the emission change between two years.

    ``factors`` maps factor names (e.g. :func:`kaya_factors` output) to annual arrays whose
    product is the emissions [tCO2].
    """
    yrs = np.asarray(years, dtype=int)
    idx = {}
    for label, y in (("from", from_year), ("to", to_year)):
        hits = np.flatnonzero(yrs == y)
        if hits.size != 1:
            raise PeakzeroError(
                f"--{label} year {y} is not in the data (years {int(yrs.min())}-{int(yrs.max())})",
                field=f"{label}_year",
            )
        idx[label] = int(hits[0])
    names = list(factors)
    mat = np.column_stack([np.asarray(factors[k], dtype=float) for k in names])
    x0, xt = mat[idx["from"]], mat[idx["to"]]
    eff = lmdi_additive(x0, xt)
    return KayaDecomposition(
        from_year=int(from_year),
        to_year=int(to_year),
        emissions_from_t=float(np.prod(x0)),
        emissions_to_t=float(np.prod(xt)),
        effects_t={k: float(v) for k, v in zip(names, eff, strict=True)},
    )


TAPIO_STATES = (
    "strong decoupling",
    "weak decoupling",
    "expansive coupling",
    "expansive negative decoupling",
    "strong negative decoupling",
    "weak negative decoupling",
    "recessive coupling",
    "recessive decoupling",
)
"""Tapio's (2005) eight decoupling states."""


@dataclass(frozen=True)
class TapioResult:
    """Tapio decoupling elasticity ``e = (dC/C0) / (dG/G0)`` and its state."""

    elasticity: float
    state: str
    emissions_change_fraction: float
    gdp_change_fraction: float


def tapio(
    emissions_0: float, emissions_t: float, gdp_0: float, gdp_t: float, *, band: float = 0.2
) -> TapioResult:
    """Tapio decoupling index between two years.

    States (``band`` = 0.2 gives Tapio's thresholds 0.8 and 1.2):

    ======================  ======  ======  =====================
    state                   dG      dC      elasticity e
    ======================  ======  ======  =====================
    strong decoupling       > 0     < 0     e < 0
    weak decoupling         > 0     >= 0    0 <= e < 0.8
    expansive coupling      > 0     > 0     0.8 <= e <= 1.2
    expansive neg. decoup.  > 0     > 0     e > 1.2
    strong neg. decoupling  < 0     > 0     e < 0
    weak neg. decoupling    < 0     <= 0    0 <= e < 0.8
    recessive coupling      < 0     < 0     0.8 <= e <= 1.2
    recessive decoupling    < 0     < 0     e > 1.2
    ======================  ======  ======  =====================

    Examples
    --------
    >>> tapio(100.0, 95.0, 100.0, 110.0).state
    'strong decoupling'
    >>> r = tapio(100.0, 103.0, 100.0, 110.0)
    >>> (round(r.elasticity, 6), r.state)
    (0.3, 'weak decoupling')
    """
    if emissions_0 <= 0 or gdp_0 <= 0:
        raise PeakzeroError(
            "Tapio index needs base-year emissions and GDP > 0", field="emissions_0/gdp_0"
        )
    dc = (emissions_t - emissions_0) / emissions_0
    dg = (gdp_t - gdp_0) / gdp_0
    if dg == 0:
        raise PeakzeroError(
            "GDP is unchanged between the two years: the Tapio elasticity is undefined; "
            "choose years with a GDP change",
            field="gdp",
        )
    e = dc / dg
    lo, hi = 1.0 - band, 1.0 + band
    if dg > 0:
        if dc < 0:
            state = "strong decoupling"
        elif e < lo:
            state = "weak decoupling"
        elif e <= hi:
            state = "expansive coupling"
        else:
            state = "expansive negative decoupling"
    elif dc > 0:
        state = "strong negative decoupling"
    elif e < lo:
        state = "weak negative decoupling"
    elif e <= hi:
        state = "recessive coupling"
    else:
        state = "recessive decoupling"
    return TapioResult(
        elasticity=float(e),
        state=state,
        emissions_change_fraction=float(dc),
        gdp_change_fraction=float(dg),
    )
