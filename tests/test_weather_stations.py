"""Bundled CSWD stations: look-up, nearest station, typical-year series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pvlib
import pytest

from peakzero.data import data_path, read_table
from peakzero.errors import PeakzeroError
from peakzero.weather import (
    Station,
    Weather,
    find_station,
    list_stations,
    nearest_station,
    station_weather,
)
from peakzero.weather.stations import EARTH_RADIUS_KM, haversine_km

#: The CSWD README gives annual GHI rounded to whole kWh/m2: allow the rounding (0.5) only.
README_ROUNDING_KWH_PER_M2 = 0.5
#: Distances below are hand-derived to 0.01 km; float arithmetic differs far below that.
DISTANCE_TOL_KM = 0.01


def test_table_has_270_stations_with_sources() -> None:
    table = read_table("weather/stations.csv")
    assert len(table) == 270
    assert table["wmo_id"].astype(str).is_unique
    assert (table["utc_offset_h"] == 8.0).all()
    assert table["source"].str.contains("CSWD").all()
    assert len(list_stations()) == 270


def test_bundled_data_within_budget() -> None:
    size_mb = sum(p.stat().st_size for p in data_path("weather").iterdir()) / 1e6
    assert size_mb <= 15.0


@pytest.mark.parametrize(
    ("name", "readme_kwh_per_m2"),
    [
        ("Beijing", 1401),
        ("Jinan", 1299),
        ("Shanghai", 1271),
        ("Nanjing", 1208),
        ("Hangzhou", 1202),
        ("Guangzhou", 1137),
        ("Chengdu", 900),
        ("Lhasa", 2033),
    ],
)
def test_annual_ghi_matches_the_cswd_readme(name: str, readme_kwh_per_m2: float) -> None:
    data = station_weather(name).data
    assert data["ghi"].sum() / 1000.0 == pytest.approx(
        readme_kwh_per_m2, abs=README_ROUNDING_KWH_PER_M2
    )


@pytest.mark.parametrize("query", ["Nanjing", "nanjing", "  NANJING ", "582380", "58238"])
def test_find_station_by_name_case_or_wmo_id(query: str) -> None:
    station = find_station(query)
    assert (station.name, station.province, station.wmo_id) == ("Nanjing", "Jiangsu", "582380")


def test_duplicate_name_needs_province() -> None:
    with pytest.raises(PeakzeroError) as info:
        find_station("Chaoyang")
    assert "ambiguous" in str(info.value)
    assert "Chaoyang, Liaoning" in str(info.value)
    assert find_station("chaoyang, shandong").wmo_id == "548080"


def test_unknown_station_suggests_close_names() -> None:
    with pytest.raises(PeakzeroError) as info:
        find_station("Nanjin")
    message = str(info.value)
    assert "'Nanjin'" in message
    assert "Did you mean Nanjing" in message
    assert info.value.field == "station"
    with pytest.raises(PeakzeroError, match="no bundled station has this WMO id"):
        find_station("999999")


def test_list_by_province() -> None:
    assert [s.name for s in list_stations("tibet")] == ["Lhasa", "Nyingchi", "Qamdo"]
    with pytest.raises(PeakzeroError, match="Did you mean Jiangsu"):
        list_stations("Jiangsuu")


def test_nearest_on_the_same_meridian_is_the_arc_length() -> None:
    # Nanjing station is at 32.83 N 118.80 E; a point 0.83 deg due south on the same meridian
    # is R * 0.83 * pi / 180 = 6371.0088 * 0.0144862 = 92.29 km away.
    match = nearest_station(32.0, 118.8)
    assert match.station.name == "Nanjing"
    assert match.distance_km == pytest.approx(
        EARTH_RADIUS_KM * 0.83 * math.pi / 180, abs=DISTANCE_TOL_KM
    )
    assert match.distance_km == pytest.approx(92.29, abs=DISTANCE_TOL_KM)
    assert match.warning is None


def test_nearest_off_meridian_against_written_out_haversine() -> None:
    lat, lon = 31.23, 121.47  # People's Square, Shanghai
    match = nearest_station(lat, lon)
    s = match.station
    assert s.name == "Shanghai"
    # haversine written out independently with the math module
    p1, p2 = math.radians(lat), math.radians(s.latitude_deg)
    dp, dl = p2 - p1, math.radians(s.longitude_deg - lon)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    expected = 2 * 6371.0088 * math.asin(math.sqrt(a))
    assert match.distance_km == pytest.approx(expected, abs=DISTANCE_TOL_KM)
    # and it is the minimum over all stations
    others = [haversine_km(lat, lon, t.latitude_deg, t.longitude_deg) for t in list_stations()]
    assert match.distance_km == pytest.approx(float(np.min(others)), abs=1e-9)


def test_far_site_gets_a_warning() -> None:
    # 2 deg due south of Lhasa (29.67 N 91.13 E): 6371.0088 * 2 * pi / 180 = 222.39 km
    # issue 11: refused by default (outside China or a typo) unless the caller has a weather file
    with pytest.raises(PeakzeroError, match=r"222 km .*more than 150 km.*weather file") as info:
        nearest_station(27.67, 91.13)
    assert info.value.field == "location"
    match = nearest_station(27.67, 91.13, max_distance_km=None)
    assert match.station.name == "Lhasa"
    assert match.distance_km == pytest.approx(222.39, abs=DISTANCE_TOL_KM)
    assert match.warning is not None
    assert "222 km" in match.warning
    assert "150 km" in match.warning


@pytest.mark.parametrize(
    ("lat", "lon", "field"), [(95.0, 100.0, "latitude"), (30.0, 181.0, "longitude")]
)
def test_nearest_validates_the_location(lat: float, lon: float, field: str) -> None:
    with pytest.raises(PeakzeroError) as info:
        nearest_station(lat, lon)
    assert info.value.field == field


def test_station_weather_shape_labels_and_units() -> None:
    weather = station_weather("Beijing", year=2023)
    assert isinstance(weather, Weather)
    assert isinstance(weather.station, Station)
    data = weather.data
    assert len(data) == 8760
    assert weather.interval_minutes == 60
    assert str(data.index.tz) == "Etc/GMT-8"
    assert data.index[0] == pd.Timestamp("2023-01-01 00:00", tz="Etc/GMT-8")
    assert data.index[-1] == pd.Timestamp("2023-12-31 23:00", tz="Etc/GMT-8")
    assert list(data.columns[:5]) == ["ghi", "dni", "dhi", "temp_air", "wind_speed"]
    assert not data.isna().any().any()
    assert (data[["ghi", "dni", "dhi", "wind_speed"]] >= 0).all().all()
    # Beijing's typical year: coldest month January below 0 deg C, hottest July above 25.
    monthly_t = data["temp_air"].groupby(data.index.month).mean()
    assert monthly_t[1] < 0 < 25 < monthly_t[7]
    # Night is dark: interval-beginning 00:00-04:00 carry no sun at 40 N in any season.
    night = data.index.hour < 4
    assert (data.loc[night, "ghi"] == 0).all()
    assert "CSWD" in weather.source


def test_leap_year_repeats_28_february() -> None:
    normal = station_weather("Lhasa", year=2023).data
    leap = station_weather("Lhasa", year=2024).data
    assert len(leap) == 8784
    feb28 = leap.loc["2024-02-28"].to_numpy()
    feb29 = leap.loc["2024-02-29"].to_numpy()
    np.testing.assert_array_equal(feb28, feb29)
    np.testing.assert_array_equal(leap.loc["2024-03-01"].to_numpy(), normal.loc["2023-03-01"])
    assert leap["ghi"].sum() == pytest.approx(
        normal["ghi"].sum() + normal.loc["2023-02-28", "ghi"].sum(), abs=1e-6
    )


def test_station_weather_rejects_a_foreign_station() -> None:
    foreign = Station("", "My roof", "", 31.0, 121.0, 5.0, 8.0, "user")
    with pytest.raises(PeakzeroError, match="not a bundled station"):
        station_weather(foreign)


@pytest.mark.parametrize(
    ("name", "dark_at_middle"), [("Beijing", 63), ("Lhasa", 91), ("Chengdu", 128)]
)
def test_cswd_irradiance_is_centred_on_the_label(name: str, dark_at_middle: int) -> None:
    # Hours with GHI > 0 while the sun is more than 3 deg below the horizon cannot be right.
    # With the sun at the label time there are none; at the interval middle there are many
    # (counts from `scripts/build_weather.py --check-timing`).
    weather = station_weather(name)
    assert weather.solar_position_offset_minutes == 0.0
    st = weather.station
    sunny = weather.data["ghi"].to_numpy() > 0

    def dark(offset_min: float) -> int:
        times = weather.data.index + pd.Timedelta(minutes=offset_min)
        zenith = pvlib.solarposition.get_solarposition(times, st.latitude_deg, st.longitude_deg)
        return int((sunny & (zenith["zenith"].to_numpy() > 93.0)).sum())

    assert dark(0.0) == 0
    assert dark(30.0) == dark_at_middle


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("南京", "Nanjing"),
        ("南京市", "Nanjing"),
        ("nan jing", "Nanjing"),
        ("Nánjīng", "Nanjing"),
        ("Xi'an", "Xian"),
        ("乌鲁木齐", "Urumqi"),
        ("朝城", "Chaoyang"),  # CSWD's "Chaoyang, Shandong" is WMO 54808 Chaocheng
        ("南京，江苏", "Nanjing"),
    ],
)
def test_chinese_and_pinyin_names(query: str, name: str) -> None:
    assert find_station(query).name == name


def test_every_station_has_a_chinese_name() -> None:
    from peakzero.weather.stations import station_name_zh

    names = [station_name_zh(s) for s in list_stations()]
    assert all(names) and len(names) == 270
    assert station_name_zh(find_station("Chaoyang, Shandong")) == "朝城"
    assert station_name_zh(find_station("Chaoyang, Liaoning")) == "朝阳"
