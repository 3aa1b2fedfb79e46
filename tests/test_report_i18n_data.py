"""Report names kept as data: every station, province, fuel and new key has both languages."""

from __future__ import annotations

import re

from peakzero.data import read_table
from peakzero.report.i18n import LABELS, data_labels, label, province_name, station_name

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_station_and_province_has_a_chinese_name() -> None:
    stations = read_table("weather/stations.csv")
    assert len(stations) == 270
    for wmo, name, province in zip(
        stations["wmo_id"], stations["name"], stations["province"], strict=True
    ):
        zh = station_name(int(wmo), "zh")
        assert HAN.search(zh), (wmo, name, zh)
        assert station_name(name, "zh", province=province) == zh
        assert station_name(name, "en") == name
        assert HAN.search(province_name(province, "zh")), province
        assert not HAN.search(province_name(province, "en"))


def test_known_names() -> None:
    assert station_name("Shanghai", "zh") == "上海"
    assert station_name(583620, "zh") == "上海"
    # two Chaoyang stations: the province (or the WMO id) tells them apart
    assert station_name("Chaoyang", "zh", province="Liaoning") == "朝阳"
    assert station_name("Chaoyang", "zh", province="Shandong") == "朝城"
    assert station_name("Chaoyang", "zh") == "Chaoyang"
    assert province_name("Nei Mongol", "zh") == province_name("inner mongolia", "zh") == "内蒙古"
    assert province_name("Nei Mongol", "en") == "Inner Mongolia"
    # unknown names pass through (a user's own weather file)
    assert station_name("My roof sensor", "zh") == "My roof sensor"
    assert province_name("Atlantis", "zh") == "Atlantis"


def test_fuel_keys_match_the_fuel_table() -> None:
    fuels = read_table("carbon/fuels.csv")
    for fuel, name_zh in zip(fuels["fuel"], fuels["name_zh"], strict=True):
        assert label(f"fuel:{fuel}", "zh") == name_zh
        assert not HAN.search(label(f"fuel:{fuel}", "en"))
    for key in ("electricity", "heat", "process", "exported_electricity", "exported_heat"):
        assert HAN.search(label(key, "zh")) and label(key, "en") != key


def test_existing_keys_keep_their_text() -> None:
    assert label("npv_yuan", "en") == "Net present value (NPV)"
    assert label("heat_pump", "zh") == LABELS["heat_pump"][0]
    assert label("some_new_measure", "en") == "Some new measure"
    assert label("fuel:unknown_gas", "en") == "Unknown gas"


def test_every_data_label_has_both_languages() -> None:
    for key, (zh, en) in data_labels().items():
        assert HAN.search(zh), key
        assert en and not HAN.search(en), key
