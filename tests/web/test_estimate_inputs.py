"""The visitor's estimate beyond typed numbers: every province's tariff and place (Chinese or
pinyin), a meter file, bills and a roof outline (page and API, bad files named), notes in the
page's language; and the expert's plan form generated from the parameter schema."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from web_world import World

from peakzero.errors import PeakzeroError
from peakzero.estimate import (
    MAX_ESTIMATE_UPLOAD_BYTES,
    PROVINCE_CAPITAL,
    EstimateFiles,
    Upload,
    estimate,
    estimate_input,
    typed_input,
)
from peakzero.provinces import provinces

#: A constant 100 kW meter year on 2025 (hourly, kW): 876,000 kWh by hand.
METER_KW = 100.0
METER_CSV = (
    pd.DataFrame(
        {
            "time": pd.date_range("2025-01-01", periods=8760, freq="h").strftime("%Y-%m-%d %H:%M"),
            "load_kw": np.full(8760, METER_KW),
        }
    )
    .to_csv(index=False)
    .encode()
)
#: Twelve monthly bills (totals and maximum demand): 80,000 + 1,000 m kWh in month m.
BILL_KWH = [80_000.0 + 1_000.0 * m for m in range(1, 13)]
BILLS_CSV = (
    "月份,总电量(kWh),最大需量(kW)\n"
    + "".join(f"{m}月,{kwh:.0f},{300 + m}\n" for m, kwh in enumerate(BILL_KWH, start=1))
).encode("gbk")
#: A 60 m x 18 m flat roof: 1,080 m2.
ROOF_JSON = b'{"vertices": [[0, 0], [60, 0], [60, 18], [0, 18]]}'
PLACE = {"province": "浙江", "city": "杭州", "building_type": "office"}
#: Provinces of the estimate's city table (city-centre coordinates, then the nearest station).
TABLE_PROVINCES = {"Jiangsu", "Zhejiang", "Shanghai", "Guangdong", "Shandong"}


# ------------------------------------------------------------------------------ engine level


def test_every_province_has_its_own_tariff_and_a_place() -> None:
    """All 31 provinces, typed in Chinese: the tariff is that province's default, the grid
    factor its own, the place its capital's station (in the same province)."""
    from peakzero.tariff import catalog, default_tariff_name
    from peakzero.weather import find_station

    tariff_province = {e.name: e.province for e in catalog()}
    seen = set()
    for prov in provinces():
        e = estimate(estimate_input({"province": prov.short_zh, "annual_kwh": 1e6}))
        assert e.tariff == default_tariff_name(prov.name)
        assert tariff_province[e.tariff] == prov.name  # the tariff file says its province
        station = find_station(e.station)
        assert station.province == prov.name, (prov.name, e.station)
        assert station.name == PROVINCE_CAPITAL[prov.name].split(",")[0]
        if prov.name not in TABLE_PROVINCES:  # placed at the capital's station itself
            assert e.station_distance_km == 0.0
        seen.add(e.tariff)
    assert len(seen) == 31  # no province falls back on another's tariff


@pytest.mark.parametrize(
    ("province", "city", "place", "station"),
    [
        ("四川", "绵阳", "绵阳", "Mianyang"),  # not in the city table: a station name
        ("sichuan", "Mianyang", "绵阳", "Mianyang"),  # the same in pinyin
        ("Inner Mongolia", "呼和浩特市", "呼和浩特", "Hohhot"),  # 市 suffix, English province
        ("江苏省", "suzhou", "苏州", "Shanghai"),  # the city table; Suzhou's nearest station
    ],
)
def test_place_in_chinese_or_pinyin(province: str, city: str, place: str, station: str) -> None:
    e = estimate(estimate_input({"province": province, "city": city, "annual_kwh": 1e6}))
    assert e.place == place
    assert e.station == station


def test_meter_file_gives_the_load() -> None:
    """A constant 100 kW year: 876,000 kWh; January 744 h x 100 kW = 74,400 kWh."""
    inp = estimate_input(PLACE)
    e = estimate(inp, EstimateFiles(meter=Upload("meter.csv", METER_CSV)))
    assert e.annual_load_kwh == METER_KW * 8760
    assert e.monthly_load_kwh[0] == METER_KW * 744
    assert e.monthly_load_kwh[1] == METER_KW * 672
    assert any("unit kW" in n for n in e.notes)  # the reader's notes reach the visitor
    # the lead stores the typed equivalent, so the expert's plan starts from the same kWh
    typed = typed_input(inp, e, EstimateFiles(meter=Upload("meter.csv", METER_CSV)))
    assert typed.annual_kwh == METER_KW * 8760
    assert estimate(typed).annual_load_kwh == e.annual_load_kwh


def test_bills_and_roof_outline() -> None:
    from peakzero.roof import Roof, layout_roof

    files = EstimateFiles(bills=Upload("账单.csv", BILLS_CSV), roof=Upload("roof.json", ROOF_JSON))
    e = estimate(estimate_input(PLACE), files)
    assert e.annual_load_kwh == sum(BILL_KWH)
    # each month's use is the bill's (kWh rounded to 1 in the estimate)
    assert e.monthly_load_kwh == pytest.approx(BILL_KWH, abs=0.5)
    assert e.roof_area_m2 == 60.0 * 18.0
    lat = 30.23  # Hangzhou station latitude [deg]
    expected = layout_roof(Roof("flat", ((0, 0), (60, 0), (60, 18), (0, 18))), lat, e.tilt_deg)
    assert e.roof_max_kwp == pytest.approx(expected.kwp, abs=0.05)
    assert 0 < e.pv_kwp <= e.roof_max_kwp
    assert any("屋顶轮廓" in n for n in e.notes_zh)


@pytest.mark.parametrize(
    ("files", "typed", "field", "words"),
    [
        (EstimateFiles(meter=Upload("m.csv", b"time,load\nx,y\n")), {}, "meter_file", "m.csv"),
        (EstimateFiles(meter=Upload("m.pdf", b"%PDF")), {}, "meter_file", ".xlsx"),
        (EstimateFiles(meter=Upload("m.xlsx", b"not a zip")), {}, "meter_file", "Excel"),
        (EstimateFiles(meter=Upload("m.csv", b"")), {}, "meter_file", "empty"),
        (
            EstimateFiles(meter=Upload("m.csv", b"x" * (MAX_ESTIMATE_UPLOAD_BYTES + 1))),
            {},
            "meter_file",
            "MB",
        ),
        (EstimateFiles(bills=Upload("b.csv", b"a,b\n1,2\n")), {}, "bills_file", "'a'"),
        (
            EstimateFiles(meter=Upload("m.csv", METER_CSV), bills=Upload("b.csv", BILLS_CSV)),
            {},
            "bills_file",
            "not both",
        ),
        (
            EstimateFiles(meter=Upload("m.csv", METER_CSV)),
            {"annual_kwh": 1e6},
            "annual_kwh",
            "clear annual_kwh",
        ),
        (
            EstimateFiles(roof=Upload("r.json", b"[[0,0],[1,1]]")),
            {"annual_kwh": 1e6},
            "roof_file",
            "3 vertices",
        ),
        (
            EstimateFiles(roof=Upload("r.json", b"[[0,0],[10,10],[10,0],[0,10]]")),
            {"annual_kwh": 1e6},
            "roof_file",
            "crosses itself",
        ),
        (
            EstimateFiles(roof=Upload("r.csv", b"x,y\n0,0\n0.05,0\n0.05,0.05\n")),
            {"annual_kwh": 1e6},
            "roof_file",
            "metres",
        ),
    ],
)
def test_bad_files_name_the_field(
    files: EstimateFiles, typed: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(PeakzeroError) as info:
        estimate(estimate_input({**PLACE, **typed}), files)
    assert info.value.field == field
    assert words in str(info.value)
    assert "/tmp" not in str(info.value)  # the visitor's file name, not the server's path


# ------------------------------------------------------------------------------ API and page


def test_api_estimate_with_files(sqlite_world: World) -> None:
    c, headers = sqlite_world.client, sqlite_world.api()
    r = c.post(
        "/api/v1/estimates/upload",
        data={"input": json.dumps({"province": "浙江", "city": "杭州"})},
        files={"meter_file": ("meter.csv", METER_CSV, "text/csv")},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["annual_load_kwh"] == METER_KW * 8760
    r = c.post(
        "/api/v1/estimates/upload",
        data={"input": json.dumps({"province": "浙江"})},
        files={"bills_file": ("bills.csv", b"a,b\n1,2\n", "text/csv")},
        headers=headers,
    )
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "bills_file"
    r = c.post("/api/v1/estimates/upload", data={"input": "{not json"}, headers=headers)
    assert r.status_code == 422 and r.json()["error"]["field"] == "input"
    r = c.post(
        "/api/v1/estimates/upload",
        data={"input": json.dumps({"province": "Atlantis", "annual_kwh": 1e6})},
        headers=headers,
    )
    assert r.status_code == 422 and r.json()["error"]["field"] == "province"
    r = c.post("/api/v1/estimates/upload", data={"input": "{}"})
    assert r.status_code == 401


def _form_token(c: TestClient, url: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', c.get(url).text)
    assert match
    return match.group(1)


def test_page_estimate_with_files_in_both_languages(sqlite_world: World) -> None:
    c = sqlite_world.client
    zh = c.get("/o/alpha?lang=zh").text
    assert 'name="meter_file"' in zh and 'name="roof_file"' in zh and "电表数据文件" in zh
    assert 'enctype="multipart/form-data"' in zh
    assert '<datalist id="l-province">' in zh and '<option value="西藏">' in zh
    form = {"csrf": _form_token(c, "/o/alpha?lang=zh"), **PLACE, "roof_kind": "flat"}
    form.update(roof_area_m2="3000", capex_yuan_per_kwp="3000")
    r = c.post(
        "/o/alpha/estimate?lang=zh",
        data=form,
        files={
            "bills_file": ("账单.csv", BILLS_CSV, "text/csv"),
            "roof_file": ("roof.json", ROOF_JSON, "application/json"),
        },
    )
    assert r.status_code == 200, r.text[-2000:]
    assert "屋顶轮廓：1,080 m2" in r.text
    notes = re.findall(r'<p class="note engine-note">([^<]*)</p>', r.text)
    assert notes and all(re.match(r"[\u4e00-\u9fff]", n) for n in notes)  # Chinese lead
    assert "杭州" in r.text  # the station in Chinese on the Chinese page
    # the lead stores the figures read from the files
    stored = json.loads(
        re.search(r'name="estimate_input" value="([^"]+)"', r.text)
        .group(1)
        .replace("&#34;", '"')
        .replace("&quot;", '"')
    )
    assert stored["annual_kwh"] == sum(BILL_KWH) and stored["roof_area_m2"] == 1080.0
    # a bad file: a form error naming the field, 422 (200 for htmx, which swaps the fragment)
    bad = {"meter_file": ("meter.csv", b"time,load\nx,y\n", "text/csv")}
    form.pop("building_type")
    r = c.post("/o/alpha/estimate?lang=en", data=form, files=bad)
    assert r.status_code == 422 and "meter_file = &#39;meter.csv&#39;" in r.text
    assert '<details class="uploads" open>' in r.text  # the file inputs stay in view
    r = c.post("/o/alpha/estimate?lang=en", data=form, files=bad, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "meter_file" in r.text and 'role="alert"' in r.text
    # an English engine message on the Chinese page comes with the Chinese lead and field label
    far = {**form, "latitude_deg": "20", "longitude_deg": "125", "annual_kwh": "1000000"}
    r = c.post("/o/alpha/estimate?lang=zh", data=far, headers={"HX-Request": "true"})
    assert "请检查输入（纬度）" in r.text and "km from the nearest" in r.text
    # an oversized form is answered on the page, unread
    r = c.post(
        "/o/alpha/estimate?lang=en",
        content=b"x" * 10,
        headers={
            "content-length": str(40 * 1024 * 1024),
            "content-type": "multipart/form-data; boundary=x",
        },
    )
    assert r.status_code == 422 and "too large" in r.text


# ------------------------------------------------------------------------------ the plan form


def test_plan_form_fields_come_from_the_schema() -> None:
    from peakzero.params import form_fields
    from peakzero.site.models import BatteryInput
    from peakzero.web.planform import plan_fields

    zh = {f.name: f for f in plan_fields("zh")}
    en = {f.name: f for f in plan_fields("en")}
    for f in form_fields(BatteryInput, "zh"):
        if f.kind in ("number", "integer", "boolean"):
            got = zh[f"site.battery.{f.name}"]
            assert (got.label, got.unit, got.minimum, got.maximum, got.step) == (
                f.label,
                f.unit,
                f.minimum,
                f.maximum,
                f.step,
            )
    assert zh["site.battery.round_trip_efficiency"].label == "充放电往返效率"
    assert en["site.battery.round_trip_efficiency"].label != "充放电往返效率"
    assert zh["site.economics.analysis_years"].kind == "integer"
    assert zh["roof.kind"].choices == ("flat", "pitched")
    assert "roof.polygon" not in zh  # set by uploads, not typed
    assert len(zh) > 60  # every scalar of plan, roof, site sections and pathway


def test_plan_form_converts_types_and_shows_errors_per_field(sqlite_world: World) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session
    from test_office import login, message, office_csrf

    from peakzero.web.models import Project

    w = sqlite_world
    message(TestClient(w.client.app, base_url="http://127.0.0.1"))
    c = w.client
    assert login(c, w.email_a) == 303
    token = office_csrf(c)
    url = c.post("/office/leads/1/project", data={"csrf": token}).url.path
    page = c.get(f"{url}?lang=zh").text
    assert "充放电往返效率" in page and 'name="site.battery.round_trip_efficiency"' in page
    assert 'min="0.5" max="1.0"' in page and "[yuan/kWp]" in page
    r = c.get(f"{url}?lang=en").text
    assert "Round-trip efficiency" in r or "round-trip" in r.lower()

    def plan() -> dict[str, Any]:
        with Session(c.app.state.engine) as s:  # type: ignore[attr-defined]
            return json.loads(s.scalars(select(Project.plan_json)).one())  # type: ignore[no-any-return]

    # strings become the model's types: int, float, bool
    r = c.post(
        f"{url}/plan",
        data={
            "csrf": token,
            "site.economics.analysis_years": "20",
            "site.battery.round_trip_efficiency": "0.9",
            "site.battery.enabled": "false",
            "site.carbon.green_certificates_sold": "true",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[-3000:]
    saved = plan()
    assert saved["site"]["economics"]["analysis_years"] == 20
    assert isinstance(saved["site"]["economics"]["analysis_years"], int)
    assert saved["site"]["battery"]["round_trip_efficiency"] == 0.9
    assert saved["site"]["battery"]["enabled"] is False
    assert saved["site"]["carbon"]["green_certificates_sold"] is True
    # conversion errors and range errors are shown at their fields; nothing is saved
    r = c.post(
        f"{url}/plan",
        data={
            "csrf": token,
            "site.economics.analysis_years": "20.5",
            "site.pv.capex_yuan_per_kwp": "abc",
        },
    )
    assert r.status_code == 422
    assert 'id="e-site.economics.analysis_years"' in r.text and "whole number" in r.text
    assert 'id="e-site.pv.capex_yuan_per_kwp"' in r.text and "not a number" in r.text
    assert 'value="abc"' in r.text  # the typed value stays for correcting
    r = c.post(f"{url}/plan", data={"csrf": token, "site.battery.round_trip_efficiency": "1.5"})
    assert r.status_code == 422 and 'id="e-site.battery.round_trip_efficiency"' in r.text
    assert plan() == saved
    # an edit of the JSON survives a post whose form fields are unchanged
    edited = {**saved, "plan": {**saved["plan"], "title": "Edited in JSON"}}
    form = {"csrf": token, "plan_text": json.dumps(edited), "plan.title": saved["plan"]["title"]}
    assert c.post(f"{url}/plan", data=form, follow_redirects=False).status_code == 303
    assert plan()["plan"]["title"] == "Edited in JSON"
    # an emptied field means "not given": the key is removed, the default applies
    r = c.post(f"{url}/plan", data={"csrf": token, "site.economics.analysis_years": ""})
    assert "analysis_years" not in plan()["site"]["economics"]
