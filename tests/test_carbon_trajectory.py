"""Peak classifier and neutrality on synthetic and real series."""

from __future__ import annotations

import numpy as np
import pytest

from peakzero.carbon.trajectory import analyze_trajectory, growth_rates, neutral_year_of
from peakzero.errors import PeakzeroError

YEARS = np.arange(2000, 2021)

# US CO2 emissions from energy consumption [MtCO2], EIA Monthly Energy Review table "Carbon Dioxide
# Emissions From Energy Consumption By Sector" (total column) as quoted by Reuters, 31 May 2017
# ("U.S. carbon emissions fell last year to a 24-year-low"). One vintage, typed by hand.
US_EIA_MT = {
    1973: 4735, 1974: 4575, 1975: 4439, 1976: 4707, 1977: 4847, 1978: 4897, 1979: 4966,
    1980: 4771, 1981: 4646, 1982: 4405, 1983: 4377, 1984: 4614, 1985: 4600, 1986: 4608,
    1987: 4766, 1988: 4984, 1989: 5070, 1990: 5039, 1991: 4993, 1992: 5087, 1993: 5185,
    1994: 5261, 1995: 5323, 1996: 5510, 1997: 5584, 1998: 5635, 1999: 5688, 2000: 5868,
    2001: 5761, 2002: 5804, 2003: 5853, 2004: 5970, 2005: 5993, 2006: 5910, 2007: 6000,
}  # fmt: skip


def _us(first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    years = np.arange(first, last + 1)
    return years, np.array([US_EIA_MT[y] * 1e6 for y in years], dtype=float)


def test_clean_peak() -> None:
    # rises 5 units/yr to 100 in 2010, then falls 3/yr: 2020 = 70
    gross = np.r_[np.linspace(50, 100, 11), 100 - 3 * np.arange(1, 11)]
    a = analyze_trajectory(YEARS, gross)
    assert a.status == "peaked"
    assert (a.peak_year, a.peak_value_t, a.years_since_peak) == (2010, 100.0, 10)
    assert a.drop_from_peak_fraction == pytest.approx(0.30, abs=1e-12)  # (100 - 70) / 100
    assert a.meets_peak_target
    # growth in 2011: 97 / 100 - 1 = -3 %
    assert a.growth_rate[11] == pytest.approx(-0.03, abs=1e-12)
    assert np.isnan(a.growth_rate[0])


def test_noisy_peak() -> None:
    rng = np.random.default_rng(42)
    trend = np.r_[100 * 1.04 ** np.arange(11), 100 * 1.04**10 * 0.96 ** np.arange(1, 11)]
    noisy = trend * (1 + rng.normal(0, 0.005, trend.size))  # 0.5 % noise << 4 %/yr trend
    a = analyze_trajectory(YEARS, noisy)
    assert a.status == "peaked"
    assert abs(a.peak_year - 2010) <= 1


def test_plateau() -> None:
    gross = np.r_[np.linspace(50, 100, 15), [100.3, 100.1, 100.5, 100.2, 100.4, 100.6]]
    a = analyze_trajectory(YEARS, gross)
    assert a.status == "plateau"
    assert not a.meets_peak_target
    # a wider band is not needed; a stricter band (0.1 %) turns it into not_peaked
    assert analyze_trajectory(YEARS, gross, plateau_band_fraction=0.001).status == "not_peaked"


def test_double_peak() -> None:
    # first peak 100 in 2005, dip to 80 in 2009, second (higher) peak 110 in 2014, then -4/yr
    gross = np.r_[
        np.linspace(60, 100, 6),
        np.linspace(95, 80, 4),
        np.linspace(86, 110, 5),
        110 - 4 * np.arange(1, 7),
    ]
    a = analyze_trajectory(YEARS, gross)
    assert (a.status, a.peak_year) == ("peaked", 2014)
    # cut in 2012, on the way up to the second peak (80 -> 98 in 2009-2012): not peaked
    b = analyze_trajectory(YEARS[:13], gross[:13])
    assert b.peak_year == 2005
    assert b.status == "not_peaked"
    assert "rose again" in b.explanation


def test_still_rising() -> None:
    a = analyze_trajectory(YEARS, np.linspace(50, 100, 21))
    assert (a.status, a.peak_year, a.years_since_peak) == ("not_peaked", 2020, 0)
    assert a.drop_from_peak_fraction == 0.0
    assert "still rising" in a.explanation


def test_short_series() -> None:
    with pytest.raises(PeakzeroError, match="at least 3"):
        analyze_trajectory([2020, 2021], [1.0, 0.9])
    # 3 years, maximum one year behind: too early to confirm
    a = analyze_trajectory([2020, 2021, 2022], [1.0, 1.2, 1.1])
    assert a.status == "not_peaked"
    assert "needed to confirm" in a.explanation


def test_real_us_first_peak_1979() -> None:
    # 1973-1983: max 4966 in 1979, then four years down to 4377 in 1983
    years, gross = _us(1973, 1983)
    a = analyze_trajectory(years, gross, peak_target_year=1980)
    assert (a.status, a.peak_year, a.years_since_peak) == ("peaked", 1979, 4)
    assert a.drop_from_peak_fraction == pytest.approx(1 - 4377 / 4966, abs=1e-12)
    assert a.meets_peak_target


def test_real_us_rebound_is_not_a_peak() -> None:
    # 1973-1985: emissions rose again from 4377 (1983) to 4600 (1985) after the 1979 max
    years, gross = _us(1973, 1985)
    assert analyze_trajectory(years, gross).status == "not_peaked"
    # 1973-2007: the maximum (6000) is the last year
    years, gross = _us(1973, 2007)
    a = analyze_trajectory(years, gross)
    assert (a.status, a.peak_year) == ("not_peaked", 2007)


def test_neutrality() -> None:
    years = np.arange(2050, 2066)
    gross = np.linspace(100, 40, years.size)  # 100 -> 40, -4 per year
    sinks = np.full(years.size, 30.0)
    offsets = np.full(years.size, 20.0)
    a = analyze_trajectory(years, gross, sinks, offsets)
    # net = gross - 50 <= 0 from gross <= 50: 100 - 4k <= 50 -> k >= 12.5 -> 2063
    assert a.neutral_year == 2063
    np.testing.assert_allclose(a.net_t, gross - 50, rtol=0, atol=1e-12)
    assert a.residual_gross_t == pytest.approx(48.0)  # gross in 2063
    assert not a.meets_neutral_target
    assert analyze_trajectory(
        years, gross, sinks, offsets, neutral_target_year=2065
    ).meets_neutral_target
    never = analyze_trajectory(years, gross)
    assert never.neutral_year is None and not never.meets_neutral_target


def test_neutral_year_must_stay() -> None:
    years = np.arange(2058, 2063)
    assert neutral_year_of(years, np.array([1.0, -1.0, 0.5, 0.0, -2.0])) == 2061
    assert neutral_year_of(years, np.array([-1.0, -1.0, -1.0, -1.0, 1.0])) is None
    assert neutral_year_of(years, np.zeros(5)) == 2058


def test_growth_rates_zero_previous() -> None:
    g = growth_rates([0.0, 5.0, 10.0])
    assert np.isnan(g[1]) and g[2] == 1.0


@pytest.mark.parametrize(
    ("years", "gross", "match"),
    [
        ([2020, 2021, 2023, 2024], [1, 2, 3, 4], r"missing years \[2022\]"),
        ([2020, 2021, 2021, 2022], [1, 2, 3, 4], r"duplicated years \[2021\]"),
        ([2022, 2021, 2020], [1, 2, 3], "increasing"),
        ([2020, 2021, 2022], [1, -2, 3], "negative"),
        ([2020, 2021, 2022], [1, 2], "one value per year"),
        ([2020, 2021, 2022], [1, float("nan"), 3], "missing or non-finite"),
    ],
)
def test_bad_input(years: list[int], gross: list[float], match: str) -> None:
    with pytest.raises(PeakzeroError, match=match):
        analyze_trajectory(years, gross)
