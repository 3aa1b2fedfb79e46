"""User weather files: EPW, TMY3 and plain CSV readers on good and malformed input."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from peakzero.errors import PeakzeroError
from peakzero.weather import read_weather_file, station_weather
from peakzero.weather.epw import parse_epw
from peakzero.weather.gaps import fill_short_gaps

DATA = Path(__file__).parent / "data" / "weather"
TMY3_SAMPLE = Path(os.path.dirname(pvlib.__file__)) / "data" / "703165TY.csv"
#: Values written to files with one decimal come back within half a unit of the last digit.
ROUND_TRIP_TOL = 0.05 + 1e-9
#: Erbs diffuse fraction rebuilt by hand: equal to float precision apart from the zenith
#: cut-off rows, which are excluded.
ERBS_TOL = 1e-9


def epw_text(
    frame: pd.DataFrame,
    *,
    tz: float = 8.0,
    lat: float = 32.83,
    lon: float = 118.8,
    elev: float = 7.1,
    records_per_hour: int = 1,
) -> str:
    """A minimal EPW file from a weather frame (EPW order, ``records_per_hour`` rows per hour)."""
    header = [
        f"LOCATION,Testville,Jiangsu,CHN,TEST,123450,{lat},{lon},{tz},{elev}",
        "DESIGN CONDITIONS,0",
        "TYPICAL/EXTREME PERIODS,0",
        "GROUND TEMPERATURES,0",
        "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
        "COMMENTS 1,made by the peakzero tests",
        "COMMENTS 2,",
        f"DATA PERIODS,1,{records_per_hour},Data,Sunday, 1/ 1,12/31",
    ]
    step = 60 // records_per_hour
    lines = []
    for i, row in enumerate(frame.itertuples(index=False)):
        hour_index, k = divmod(i, records_per_hour)
        stamp = pd.Timestamp("2005-01-01") + pd.Timedelta(hours=hour_index)
        minute = (k + 1) * step
        lines.append(
            f"2005,{stamp.month},{stamp.day},{stamp.hour + 1},{minute},A7A7,"
            f"{row.temp_air},0.0,50,{row.pressure},9999,9999,300,{row.ghi},{row.dni},{row.dhi},"
            f"999999,999999,999999,9999,180,{row.wind_speed},5,5,9999,99999,9,999999999,0,"
            "0.0,0,88,999,999,99"
        )
    return "\n".join(header + lines) + "\n"


@pytest.fixture(scope="module")
def nanjing() -> pd.DataFrame:
    return station_weather("Nanjing", year=2023).data


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# ---------------------------------------------------------------- EPW


def test_epw_round_trip_equals_bundled_station(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    weather = read_weather_file(write(tmp_path, "nj.epw", epw_text(nanjing)))
    assert weather.station.name == "Testville"
    assert weather.station.latitude_deg == 32.83
    assert weather.data.index.equals(nanjing.index)
    np.testing.assert_allclose(weather.data.to_numpy(), nanjing.to_numpy(), atol=ROUND_TRIP_TOL)
    assert weather.notes == ()
    assert weather.solar_position_offset_minutes == 30.0  # interval middle


def test_cswd_epw_is_centred_on_the_label(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    text = epw_text(nanjing).replace(",TEST,", ",CSWD,", 1)
    weather = read_weather_file(write(tmp_path, "c.epw", text))
    assert weather.solar_position_offset_minutes == 0.0


def test_epw_missing_codes_are_missing_not_numbers(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    frame = nanjing.copy()
    noon = 24 * 170 + 12  # 20 June 12:00
    ghi_before, ghi_after = frame["ghi"].iat[noon - 1], frame["ghi"].iat[noon + 2]
    frame = frame.astype(object)
    frame.iloc[noon : noon + 2, frame.columns.get_loc("ghi")] = 9999
    frame.iloc[noon, frame.columns.get_loc("temp_air")] = 99.9
    weather = read_weather_file(write(tmp_path, "m.epw", epw_text(frame)))
    ghi = weather.data["ghi"].to_numpy()
    # two missing hours, linear between the neighbours: 1/3 and 2/3 of the way
    assert ghi[noon] == pytest.approx(ghi_before + (ghi_after - ghi_before) / 3)
    assert ghi[noon + 1] == pytest.approx(ghi_before + 2 * (ghi_after - ghi_before) / 3)
    assert ghi.max() < 1500
    assert any("2 ghi, 1 temp_air" in note for note in weather.notes)


def test_epw_long_gap_is_refused_with_lines(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    frame = nanjing.astype(object)
    frame.iloc[100:105, frame.columns.get_loc("dni")] = 9999
    with pytest.raises(PeakzeroError) as info:
        read_weather_file(write(tmp_path, "g.epw", epw_text(frame)))
    message = str(info.value)
    assert "'dni'" in message
    assert "5 consecutive" in message
    assert "line 109 to 113" in message  # 8 header lines, record 101 is line 109
    assert info.value.field == "dni"


def test_parse_epw_reads_codes_as_nan() -> None:
    text = epw_text(
        pd.DataFrame(
            {
                "ghi": [9999],
                "dni": [0],
                "dhi": [0],
                "temp_air": [99.9],
                "wind_speed": [999],
                "pressure": [999999],
            }
        )
    )
    data = parse_epw(text).data
    assert data[["ghi", "temp_air", "wind_speed", "pressure"]].isna().all().all()
    assert data["dni"].iat[0] == 0.0


def test_epw_in_another_time_zone_is_shifted(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    weather = read_weather_file(write(tmp_path, "tz.epw", epw_text(nanjing, tz=7.0, lon=105.0)))
    # local 00:00 at UTC+7 is 01:00 at UTC+8: the series moves one hour later (wrapped)
    np.testing.assert_allclose(
        weather.data["ghi"].to_numpy(), np.roll(nanjing["ghi"].to_numpy(), 1), atol=1e-9
    )
    assert any("UTC+7 converted to UTC+8" in note for note in weather.notes)


def test_epw_sub_hourly(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    quarter = nanjing.loc[nanjing.index.repeat(4)].reset_index(drop=True)
    weather = read_weather_file(write(tmp_path, "q.epw", epw_text(quarter, records_per_hour=4)))
    assert weather.interval_minutes == 15
    assert len(weather.data) == 4 * 8760
    assert weather.data.index[1] == pd.Timestamp("2023-01-01 00:15", tz="Etc/GMT-8")
    # energy: 15-min means equal to the hourly ones give the same annual sum
    assert weather.data["ghi"].sum() / 4 == pytest.approx(nanjing["ghi"].sum())


def test_epw_year_and_leap_day(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    weather = read_weather_file(write(tmp_path, "y.epw", epw_text(nanjing)), year=2024)
    assert len(weather.data) == 8784
    np.testing.assert_array_equal(
        weather.data.loc["2024-02-29"].to_numpy(), weather.data.loc["2024-02-28"].to_numpy()
    )


def test_epw_duplicated_hour(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    text = epw_text(nanjing).splitlines()
    text[8 + 10] = text[8 + 9]  # record 11 repeats record 10
    with pytest.raises(PeakzeroError, match=r"line 19 .*duplicated") as info:
        read_weather_file(write(tmp_path, "d.epw", "\n".join(text)))
    assert info.value.field == "timestamp"


@pytest.mark.parametrize(
    ("name", "pattern", "field"),
    [
        ("bad_location.epw", "LOCATION", "LOCATION"),
        ("truncated.epw", r"48 records.*8760", "timestamp"),
    ],
)
def test_malformed_epw_fixtures(name: str, pattern: str, field: str) -> None:
    with pytest.raises(PeakzeroError, match=pattern) as info:
        read_weather_file(DATA / name)
    assert info.value.field == field


def test_epw_location_override_and_range(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    path = write(tmp_path, "o.epw", epw_text(nanjing))
    weather = read_weather_file(path, latitude_deg=31.0, longitude_deg=121.0)
    assert (weather.station.latitude_deg, weather.station.longitude_deg) == (31.0, 121.0)
    assert any("instead of the file's" in note for note in weather.notes)
    with pytest.raises(PeakzeroError, match="latitude = 95"):
        read_weather_file(path, latitude_deg=95.0)


# ---------------------------------------------------------------- TMY3


def test_tmy3_sample_matches_pvlib() -> None:
    weather = read_weather_file(TMY3_SAMPLE)
    assert weather.station.name == "SAND POINT"
    assert weather.station.utc_offset_h == -9.0
    raw, _ = pvlib.iotools.read_tmy3(str(TMY3_SAMPLE), map_variables=True)
    # UTC-9 -> UTC+8 is 17 h later; hour-ending row i is interval-beginning row i, rolled by 17
    np.testing.assert_allclose(
        weather.data["ghi"].to_numpy(), np.roll(raw["ghi"].to_numpy(), 17), atol=1e-9
    )
    np.testing.assert_allclose(
        weather.data["pressure"].to_numpy(), np.roll(raw["pressure"].to_numpy() * 100, 17)
    )
    assert len(weather.data) == 8760


def test_tmy3_broken_fixture() -> None:
    with pytest.raises(PeakzeroError, match="cannot be read as TMY3") as info:
        read_weather_file(DATA / "tmy3_broken.csv")
    assert info.value.field == "weather"


# ---------------------------------------------------------------- plain CSV


def test_csv_15_min_ghi_only_uses_erbs() -> None:
    lat, lon = 32.0, 118.8
    weather = read_weather_file(DATA / "csv_15min_day.csv", latitude_deg=lat, longitude_deg=lon)
    data = weather.data
    assert weather.interval_minutes == 15
    assert len(data) == 96
    assert data.index[0] == pd.Timestamp("2023-06-21 00:00", tz="Etc/GMT-8")
    notes = " ".join(weather.notes)
    assert "taken as China Standard Time (UTC+8)" in notes
    assert "Erbs" in notes
    assert "1 days, not a full year" in notes
    # Independent Erbs: zenith at interval middle, Spencer (1971) extraterrestrial irradiance,
    # kt = GHI / (E0 cos z), diffuse fraction from the three-piece polynomial (Erbs 1982).
    middle = data.index + pd.Timedelta(minutes=7.5)
    zenith = pvlib.solarposition.get_solarposition(middle, lat, lon, altitude=0.0)["zenith"]
    cos_z = np.cos(np.radians(zenith.to_numpy()))
    b = 2 * math.pi * (middle.day_of_year.to_numpy() - 1) / 365
    e0 = 1366.1 * (  # pvlib's solar constant [W/m2]
        1.00011
        + 0.034221 * np.cos(b)
        + 0.00128 * np.sin(b)
        + 0.000719 * np.cos(2 * b)
        + 0.000077 * np.sin(2 * b)
    )
    ghi = data["ghi"].to_numpy()
    day = (zenith.to_numpy() < 85) & (ghi > 0)
    kt = ghi[day] / (e0[day] * cos_z[day])
    df = np.where(
        kt <= 0.22,
        1 - 0.09 * kt,
        np.where(
            kt <= 0.8,
            0.9511 - 0.1604 * kt + 4.388 * kt**2 - 16.638 * kt**3 + 12.336 * kt**4,
            0.165,
        ),
    )
    np.testing.assert_allclose(data["dhi"].to_numpy()[day], df * ghi[day], rtol=ERBS_TOL)
    # closure GHI = DHI + DNI cos z in daylight
    np.testing.assert_allclose(
        data["dhi"].to_numpy()[day] + data["dni"].to_numpy()[day] * cos_z[day],
        ghi[day],
        rtol=1e-9,
    )
    assert (data["dni"] >= 0).all()
    assert (data["dhi"] <= data["ghi"] + 1e-9).all()


def test_csv_with_dni_and_dhi_keeps_them(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    day = nanjing.loc["2023-05-01":"2023-05-02"].copy()
    day.index = day.index.strftime("%Y-%m-%d %H:%M")
    day.index.name = "timestamp"
    path = tmp_path / "full.csv"
    day.to_csv(path)
    weather = read_weather_file(path, latitude_deg=32.8, longitude_deg=118.8, elevation_m=7.0)
    np.testing.assert_allclose(weather.data.to_numpy(), nanjing.loc["2023-05-01":"2023-05-02"])
    assert not any("Erbs" in n for n in weather.notes)


def test_csv_utc_offsets_are_converted() -> None:
    weather = read_weather_file(DATA / "csv_utc.csv", latitude_deg=32.0, longitude_deg=118.8)
    assert weather.data.index[0] == pd.Timestamp("2023-06-21 00:00", tz="Etc/GMT-8")
    assert any("+00:00 converted to UTC+8" in note for note in weather.notes)
    hourly = read_weather_file(
        DATA / "csv_15min_day.csv", latitude_deg=32.0, longitude_deg=118.8
    ).data["ghi"]
    np.testing.assert_array_equal(weather.data["ghi"].to_numpy(), hourly.to_numpy()[::4])


@pytest.mark.parametrize(
    ("name", "pattern", "field"),
    [
        ("csv_duplicate.csv", r"2023-06-21 10:00\+0800 on line 13 is duplicated", "timestamp"),
        ("csv_gap.csv", r"gap .* line 12 \(2023-06-21 10:00\).*3 step\(s\) of 60 min", "timestamp"),
        ("csv_ghi_range.csv", r"ghi = 1800 W/m2 at line 14 .*0 to 1500", "ghi"),
        ("csv_negative.csv", r"ghi = -50 W/m2 at line 14", "ghi"),
        ("csv_no_wind.csv", r"missing column\(s\) wind_speed", "wind_speed"),
        ("csv_text_value.csv", r"temp_air = 'n/a' on line 7 is not a number", "temp_air"),
        ("csv_partial_day.csv", r"from 2023-06-21 06:00 .*whole days", "timestamp"),
    ],
)
def test_malformed_csv_fixtures(name: str, pattern: str, field: str) -> None:
    with pytest.raises(PeakzeroError, match=pattern) as info:
        read_weather_file(DATA / name, latitude_deg=32.0, longitude_deg=118.8)
    assert info.value.field == field


def test_csv_needs_a_location() -> None:
    # issue 9: engine errors name the field, never a command-line option (the CLI adds
    # --lat/--lon: tests/test_cli_lazy.py::test_cli_names_the_option_of_an_engine_error)
    with pytest.raises(PeakzeroError, match="give the site's latitude and longitude") as info:
        read_weather_file(DATA / "csv_15min_day.csv")
    assert info.value.field == "latitude"
    assert "--" not in str(info.value)


def test_csv_blank_cells_short_and_long(tmp_path: Path) -> None:
    text = (DATA / "csv_15min_day.csv").read_text().splitlines()
    short = list(text)
    for i in (40, 41):  # two 15-min cells blank: filled
        parts = short[i + 1].split(",")
        parts[1] = ""
        short[i + 1] = ",".join(parts)
    weather = read_weather_file(
        write(tmp_path, "s.csv", "\n".join(short)), latitude_deg=32.0, longitude_deg=118.8
    )
    assert any("2 ghi" in note for note in weather.notes)
    long = list(text)
    for i in range(40, 53):  # 13 x 15 min = 3.25 h blank: refused
        parts = long[i + 1].split(",")
        parts[2] = ""
        long[i + 1] = ",".join(parts)
    with pytest.raises(PeakzeroError, match="13 consecutive lines"):
        read_weather_file(
            write(tmp_path, "l.csv", "\n".join(long)), latitude_deg=32.0, longitude_deg=118.8
        )


def test_csv_small_night_offset_is_zeroed(tmp_path: Path) -> None:
    text = (DATA / "csv_15min_day.csv").read_text().splitlines()
    parts = text[2].split(",")
    parts[1] = "-3"
    text[2] = ",".join(parts)
    weather = read_weather_file(
        write(tmp_path, "n.csv", "\n".join(text)), latitude_deg=32.0, longitude_deg=118.8
    )
    assert weather.data["ghi"].iat[1] == 0.0
    assert any("set to 0" in note for note in weather.notes)


def test_csv_mixed_offsets_and_bad_step(tmp_path: Path) -> None:
    mixed = (
        "timestamp,ghi,temp_air,wind_speed\n2023-01-01 00:00+08:00,0,1,1\n2023-01-01 01:00,0,1,1\n"
    )
    with pytest.raises(PeakzeroError, match="lacks a UTC offset"):
        read_weather_file(write(tmp_path, "m.csv", mixed), latitude_deg=30.0, longitude_deg=120.0)
    odd = "timestamp,ghi,temp_air,wind_speed\n" + "".join(
        f"2023-01-01 {h:02d}:{m:02d},0,1,1\n" for h in range(2) for m in (0, 7)
    )
    with pytest.raises(PeakzeroError, match="time step 7 min is not allowed"):
        read_weather_file(write(tmp_path, "o.csv", odd), latitude_deg=30.0, longitude_deg=120.0)


def test_missing_file_and_unknown_type(tmp_path: Path) -> None:
    with pytest.raises(PeakzeroError, match="does not exist"):
        read_weather_file(tmp_path / "nope.csv", latitude_deg=30.0, longitude_deg=120.0)
    with pytest.raises(PeakzeroError, match="unknown weather file type"):
        read_weather_file(write(tmp_path, "x.dat", "hello\n"))


def test_fill_short_gaps_by_hand() -> None:
    frame = pd.DataFrame({"x": [0.0, np.nan, np.nan, 3.0, np.nan]})
    filled, counts = fill_short_gaps(frame, ["x"], interval_minutes=60, where="t")
    assert filled["x"].tolist() == [0.0, 1.0, 2.0, 3.0, 3.0]  # trailing gap takes the last value
    assert counts == {"x": 3}
    with pytest.raises(PeakzeroError, match="4 consecutive rows"):
        fill_short_gaps(
            pd.DataFrame({"x": [1.0, np.nan, np.nan, np.nan, np.nan, 1.0]}),
            ["x"],
            interval_minutes=60,
            where="t",
        )


@pytest.mark.parametrize(
    ("style", "note"),
    [
        ("{y}/{m}/{d} {H}:{M:02d}", None),
        ("{y}年{m}月{d}日 {H}:{M:02d}", None),
        ("{d:02d}/{m:02d}/{y} {H:02d}:{M:02d}", "dd/mm/yyyy"),  # day 13 and above decide it
        ("serial", "Excel serial"),
    ],
)
def test_csv_timestamps_as_meters_write_them(
    tmp_path: Path, nanjing: pd.DataFrame, style: str, note: str | None
) -> None:
    """The load reader's date forms read the same weather as ISO stamps (one date parser)."""
    days = nanjing.loc["2023-05-10":"2023-05-15"].copy()
    iso = tmp_path / "iso.csv"
    days.set_axis(days.index.strftime("%Y-%m-%d %H:%M"), axis=0).rename_axis("timestamp").to_csv(
        iso
    )
    if style == "serial":
        naive = days.index.tz_localize(None)
        stamps = [f"{d:.10f}" for d in (naive - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)]
    else:
        stamps = [
            style.format(y=t.year, m=t.month, d=t.day, H=t.hour, M=t.minute) for t in days.index
        ]
    other = tmp_path / "other.csv"
    days.set_axis(stamps, axis=0).rename_axis("timestamp").to_csv(other)
    where = {"latitude_deg": 32.8, "longitude_deg": 118.8, "elevation_m": 7.0}
    want = read_weather_file(iso, **where)  # type: ignore[arg-type]
    got = read_weather_file(other, **where)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(got.data, want.data)
    if note is not None:
        assert any(note in n for n in got.notes), got.notes


def test_csv_dates_that_read_both_ways_are_refused(tmp_path: Path, nanjing: pd.DataFrame) -> None:
    days = nanjing.loc["2023-05-01":"2023-05-02"].copy()
    stamps = list(days.index.strftime("%d/%m/%Y %H:%M"))  # 01/05 and 02/05: both ways
    path = tmp_path / "ambiguous.csv"
    days.set_axis(stamps, axis=0).rename_axis("timestamp").to_csv(path)
    with pytest.raises(PeakzeroError, match="write the dates year first") as info:
        read_weather_file(path, latitude_deg=32.8, longitude_deg=118.8)
    assert info.value.field == "timestamp" and "date_format" not in str(info.value)
