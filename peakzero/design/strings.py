"""String sizing: how many modules in series keep a string inside an inverter's voltage limits.

GB 50797-2012 (Code for design of photovoltaic power station) §6.4.2, formulas 6.4.2-1 and -2:

    N <= V_dcmax / (V_oc x [1 + (t - 25) K_v])
    V_mpptmin / (V_pm x [1 + (t' - 25) K_v']) <= N <= V_mpptmax / (V_pm x [1 + (t - 25) K_v'])

with t the lowest cell temperature (the site's extreme minimum air temperature: cells are at air
temperature at dawn), t' the highest cell temperature in operation, K_v and K_v' the temperature
coefficients of V_oc and V_pm [1/deg C]. Cold raises the voltage (the upper bounds); heat lowers
V_pm (the lower bound).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pvlib
from numpy.typing import ArrayLike

from peakzero.design.products import InverterSpec, ModuleSpec
from peakzero.errors import PeakzeroError, check_range

#: Reference temperature of the STC ratings [deg C].
T_STC_C = 25.0


@dataclass(frozen=True)
class StringWindow:
    """Allowed modules per string for one module on one inverter at one site.

    Attributes
    ----------
    min_modules, max_modules
        Shortest and longest allowed string [-] (``min_modules > max_modules``: none fits).
    voc_cold_v
        Module open-circuit voltage at the lowest cell temperature [V].
    vmp_cold_v, vmp_hot_v
        Module maximum-power voltage at the lowest and highest cell temperature [V].
    t_min_c, t_max_cell_c
        The temperatures used [deg C].
    """

    min_modules: int
    max_modules: int
    voc_cold_v: float
    vmp_cold_v: float
    vmp_hot_v: float
    t_min_c: float
    t_max_cell_c: float

    @property
    def feasible(self) -> bool:
        """Whether any string length fits."""
        return self.min_modules <= self.max_modules


def string_window(
    module: ModuleSpec, inverter: InverterSpec, t_min_c: float, t_max_cell_c: float
) -> StringWindow:
    """Modules per string allowed by GB 50797-2012 §6.4.2 (see the module docstring).

    Parameters
    ----------
    module, inverter
        The products.
    t_min_c
        Lowest cell temperature [deg C]: the site's minimum air temperature.
    t_max_cell_c
        Highest cell temperature in operation [deg C] (see :func:`site_cell_temperatures`).

    Examples
    --------
    Voc 50 V, Vmp 42 V, both -0.3 %/deg C, 1000 V DC maximum, MPPT 200-850 V, -10 to 70 deg C:
    Voc(-10) = 50 x 1.105 = 55.25 V -> N <= 18.1; Vmp(-10) = 46.41 V -> N <= 18.3;
    Vmp(70) = 42 x 0.865 = 36.33 V -> N >= 5.5: 6 to 18 modules.

    >>> from peakzero.design.products import ModuleSpec, InverterSpec
    >>> m = ModuleSpec("m", "m", 500, 50, 42, 13, 12, -0.003, -0.003, 2, 1, 25, "example")
    >>> inv = InverterSpec("i", "i", 100, 1000, 200, 850, 20, 20, 1.5, 0.98, "example")
    >>> w = string_window(m, inv, -10.0, 70.0)
    >>> (w.min_modules, w.max_modules)
    (6, 18)
    """
    check_range("t_min_c", t_min_c, -60.0, 40.0, unit="deg C")
    check_range("t_max_cell_c", t_max_cell_c, t_min_c, 100.0, unit="deg C")
    voc_cold = module.voc_v * (1.0 + (t_min_c - T_STC_C) * module.beta_voc_per_c)
    vmp_cold = module.vmp_v * (1.0 + (t_min_c - T_STC_C) * module.beta_vmp_per_c)
    vmp_hot = module.vmp_v * (1.0 + (t_max_cell_c - T_STC_C) * module.beta_vmp_per_c)
    # a tiny relative guard so that an exact integer ratio is not lost to round-off
    eps = 1e-9
    n_max = min(
        math.floor(inverter.max_dc_v / voc_cold + eps),
        math.floor(inverter.mppt_max_v / vmp_cold + eps),
    )
    n_min = math.ceil(inverter.mppt_min_v / vmp_hot - eps)
    return StringWindow(n_min, n_max, voc_cold, vmp_cold, vmp_hot, t_min_c, t_max_cell_c)


def site_cell_temperatures(
    poa_global_w_per_m2: ArrayLike,
    temp_air_c: ArrayLike,
    wind_speed_m_per_s: ArrayLike,
    *,
    sapm_config: str = "open_rack_glass_glass",
) -> tuple[float, float]:
    """Lowest air temperature and highest SAPM cell temperature of a year [deg C].

    The cell temperature is ``pvlib.temperature.sapm_cell`` with the parameters ``sapm_config``
    (King et al. 2004, SAND2004-3535), as :mod:`peakzero.solar.model` uses for rows on a flat
    roof. A typical meteorological year holds no extreme values: a design margin for the record
    cold is the designer's to add (``t_min_c`` of :func:`string_window` is an input).
    """
    poa = np.asarray(poa_global_w_per_m2, dtype=float)
    air = np.asarray(temp_air_c, dtype=float)
    wind = np.asarray(wind_speed_m_per_s, dtype=float)
    if poa.shape != air.shape or air.shape != wind.shape or air.size == 0:
        raise PeakzeroError(
            f"poa, temp_air and wind_speed must have one equal non-empty shape; got "
            f"{poa.shape}, {air.shape}, {wind.shape}",
            field="temp_air_c",
        )
    p = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][sapm_config]
    cell = pvlib.temperature.sapm_cell(poa, air, wind, p["a"], p["b"], p["deltaT"])
    return float(np.min(air)), float(np.max(cell))
