"""The peak classifier on real national series (CDIAC-FF fossil CO2, 1950-2020).

Expected statuses are what a carbon analyst reads off the published series (see
``tests/data/carbon/README.md``): Western European and other OECD emitters whose maximum lies years
back and who stand well below it have peaked; fast-growing emitters whose maximum is the latest
year have not. The 2020 pandemic dip is no evidence of a peak: a series ending in 2020 whose
maximum is 2019 is ``not_peaked`` (one year of decline, three are needed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peakzero.carbon.trajectory import analyze_trajectory

DATA = Path(__file__).parent / "data" / "carbon" / "cdiac_national_fossil_co2.csv"


def _series(country: str, last: int = 2020) -> tuple[np.ndarray, np.ndarray]:
    table = pd.read_csv(DATA)
    rows = table[(table["country"] == country) & (table["year"] <= last)]
    assert not rows.empty, country
    return rows["year"].to_numpy(), rows["total_kt_c"].to_numpy(dtype=float)


# country, the year the published series has its maximum (1950-2020), and a year range over which
# every end year must read "peaked" (each end year is a separate analysis of the series up to it).
PEAKED = [
    ("United Kingdom", 1971, range(2010, 2021)),
    ("France", 1979, range(2010, 2021)),
    ("United States", 2007, range(2017, 2021)),
    ("Sweden", 1970, range(2010, 2021)),
    ("Denmark", 1996, range(2010, 2021)),
    ("Belgium", 1979, range(2010, 2021)),
    ("Italy", 2005, range(2015, 2021)),
    ("Spain", 2007, range(2017, 2021)),
    ("Japan", 2004, range(2015, 2021)),
    ("Poland", 1987, range(2010, 2021)),
    ("Romania", 1989, range(2010, 2021)),
    ("Hungary", 1984, range(2010, 2021)),
    ("Finland", 2003, range(2015, 2021)),
    ("Netherlands", 1979, range(2011, 2021)),  # 2010 stood only 0.9 % below the 1979 maximum
    ("Bulgaria", 1987, range(2010, 2021)),
    ("Portugal", 2002, range(2015, 2021)),
    ("Greece", 2005, range(2015, 2021)),
    ("Switzerland", 1973, range(2010, 2021)),
]

STILL_RISING = ["India", "Indonesia", "Viet Nam", "Bangladesh", "Philippines", "China (mainland)",
                "Malaysia"]  # fmt: skip


@pytest.mark.parametrize(("country", "peak_year", "ends"), PEAKED)
def test_peaked_countries(country: str, peak_year: int, ends: range) -> None:
    for last in ends:
        years, gross = _series(country, last)
        a = analyze_trajectory(years, gross)
        assert (a.status, a.peak_year) == ("peaked", peak_year), (country, last, a.explanation)
        assert a.peak_year == int(years[np.argmax(gross)])


@pytest.mark.parametrize("country", STILL_RISING)
def test_still_rising_countries(country: str) -> None:
    years, gross = _series(country, 2019)
    a = analyze_trajectory(years, gross)
    assert (a.status, a.peak_year, a.years_since_peak) == ("not_peaked", 2019, 0), a.explanation
    # the 2020 dip is one year of decline: not a peak
    years, gross = _series(country, 2020)
    assert analyze_trajectory(years, gross).status == "not_peaked"


def test_rebound_long_after_the_peak_is_peaked_with_a_caveat() -> None:
    # Hungary 1950-2019: maximum 24,776 ktC in 1984; 2016-2019 rose (12,429 -> 12,829 ktC, the
    # last four values 12,5xx-12,9xx) while staying ~48 % below the maximum 35 years later.
    years, gross = _series("Hungary", 2019)
    a = analyze_trajectory(years, gross)
    assert (a.status, a.caveat, a.peak_year) == ("peaked", "rebounding", 1984)
    window = gross[-3:]
    assert np.all(window < 0.9 * gross.max())  # the rebound stays > 10 % below the maximum
    assert window[-1] / gross[-4] - 1 > 0  # and it did rise over the last three years
    assert "rebounding" in a.explanation
    # the same series in 2020 falls again: peaked, no caveat
    years, gross = _series("Hungary", 2020)
    b = analyze_trajectory(years, gross)
    assert (b.status, b.caveat) == ("peaked", None)


def test_belgium_forty_years_after_its_maximum() -> None:
    # the case the issue names: maximum (1979) decades back, ~30 % lower, rising over 2016-2019
    years, gross = _series("Belgium", 2019)
    a = analyze_trajectory(years, gross)
    assert a.drop_from_peak_fraction == pytest.approx(1 - 26642 / 38242, abs=1e-12)
    assert gross[-1] > gross[-4]
    assert (a.status, a.caveat) == ("peaked", "rebounding")


def test_rebound_rule_thresholds() -> None:
    # Spain: maximum 2007. Ending 2016 (9 years on) a rise over 2013-2016 is not yet tolerated;
    # with a 5-year rule it is. The parameters are honoured.
    years, gross = _series("Spain", 2016)
    assert gross[-1] > gross[-4]
    assert analyze_trajectory(years, gross).status == "not_peaked"
    loose = analyze_trajectory(years, gross, rebound_min_years_since_peak=5)
    assert (loose.status, loose.caveat) == ("peaked", "rebounding")
    # a margin wider than the drop (Belgium 2019 is 30.3 % below) sends it back to not_peaked
    years, gross = _series("Belgium", 2019)
    strict = analyze_trajectory(years, gross, rebound_margin_fraction=0.35)
    assert strict.status == "not_peaked"
    assert "came within 35%" in strict.explanation


def test_peak_at_series_start_is_flagged() -> None:
    # Ukraine's series begins in 1992 (independence) at its maximum
    years, gross = _series("Ukraine", 2020)
    a = analyze_trajectory(years, gross)
    assert (a.status, a.peak_year, a.caveat) == ("peaked", 1992, "peak_at_series_start")
    assert "may lie earlier" in a.explanation
    assert a.to_dict()["caveat"] == "peak_at_series_start"


def test_rebound_to_near_the_maximum_is_not_peaked() -> None:
    # synthetic: maximum 100 in 2000, down to 80 by 2010, back up to 95 by 2020 (within 10 %)
    years = np.arange(1990, 2021)
    gross = np.r_[np.linspace(80, 100, 11), np.linspace(98, 80, 10), np.linspace(81.5, 95, 10)]
    a = analyze_trajectory(years, gross)
    assert (a.status, a.peak_year) == ("not_peaked", 2000)
    assert "came within 10%" in a.explanation
