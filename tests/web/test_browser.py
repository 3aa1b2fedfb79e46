"""Browser tests: Playwright driving Debian's Chromium (headless, no sandbox, no background
networking; no browser is ever downloaded) against one live server and worker for the module.

The visitor's estimate and message in Chinese and English; the expert's login, lead, project,
upload, job with progress and proposal download. Screenshots go to ``out/screenshots/web``
(``PEAKZERO_SCREENSHOTS`` to change).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian's chromium is not installed: run scripts/setup_web_deps.sh", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api")

from web_world import ADMIN_PASSWORD, free_port, make_world  # noqa: E402

SHOTS = Path(os.environ.get("PEAKZERO_SCREENSHOTS", "out/screenshots/web"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--metrics-recording-only",
]
#: How long the browser waits for the full plan job (report included) [ms].
JOB_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A server (uvicorn) and a worker on a seeded SQLite database, for the whole module."""
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'peakzero.db'}"
    world = make_world(url)
    world.client.app.state.engine.dispose()  # type: ignore[attr-defined]
    port = free_port()
    env = {**os.environ, "PEAKZERO_DATABASE_URL": url, "PEAKZERO_LEASE_SECONDS": "10"}
    log = folder / "server.log"
    with log.open("ab") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "peakzero", "serve", "--port", str(port)],  # what users run
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(
            [sys.executable, "-m", "peakzero", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        worker.kill()
        pytest.fail("server did not start: " + log.read_text())
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield {"base": base, "browser": browser, "world": world, "folder": folder}
        finally:
            browser.close()
            for proc in (server, worker):
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)


def _page(live: dict[str, Any]) -> Any:
    context = live["browser"].new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN"
    )
    return context.new_page()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_visitor_estimate_and_message(live: dict[str, Any], lang: str) -> None:
    page = _page(live)
    page.goto(f"{live['base']}/o/alpha" + ("?lang=en" if lang == "en" else ""))
    assert ("即时估算" if lang == "zh" else "Instant estimate") in page.content()
    page.select_option("#f-building_type", "factory_two_shift")
    page.fill("#f-roof_area_m2", "8000")
    page.click("details.uploads summary")
    if lang == "zh":  # typed in Chinese, the roof from an outline file (100 m x 80 m)
        page.fill("#f-province", "江苏")
        page.fill("#f-city", "苏州")
        page.fill("#f-annual_kwh", "3000000")
        outline = live["folder"] / "roof.json"
        outline.write_text('{"vertices": [[0, 0], [100, 0], [100, 80], [0, 80]]}')
        page.set_input_files("#f-roof_file", str(outline))
    else:  # pinyin, a province beyond the first five, the use from a meter file
        page.fill("#f-province", "sichuan")
        page.fill("#f-city", "Chengdu")
        page.set_input_files("#f-meter_file", str(_meter_csv(live["folder"] / "meter.csv")))
    page.click("#estimate-form button[type=submit]")
    page.wait_for_selector("#pv-kwp", timeout=20_000)
    assert "kWp" in page.inner_text("#pv-kwp")
    result = page.inner_text("#estimate-result")
    if lang == "zh":
        assert "屋顶轮廓：8,000 m2" in result and "苏州" not in page.inner_text("#pv-kwp")
    else:
        assert "Chengdu" in result and "unit kW from the header" in result  # reader notes shown
        assert "MWh" in result
    assert page.locator("#estimate-result svg.chart").count() == 1
    page.screenshot(path=str(SHOTS / f"visitor_estimate_{lang}.png"), full_page=True)
    page.fill("#message-form input[name=name]", "王工" if lang == "zh" else "Ms Li")
    page.fill("#message-form input[name=company]", f"Browser test company {lang}")
    page.fill("#message-form input[name=phone]", "13800000000")
    page.fill("#message-form input[name=email]", f"{lang}@example.com")
    page.fill("#message-form textarea[name=message]", "请尽快联系" if lang == "zh" else "Call me")
    page.check("#message-form input[name=consent]")
    page.click("#message-form button[type=submit]")
    page.wait_for_selector(".ok", timeout=20_000)
    assert ("谢谢" if lang == "zh" else "Thank you") in page.inner_text(".ok")
    page.screenshot(path=str(SHOTS / f"visitor_message_{lang}.png"), full_page=True)
    page.context.close()


def _meter_csv(path: Path) -> Path:
    from peakzero.load import archetype_load

    load = archetype_load("office", year=2025, annual_kwh=500_000).to_numpy()
    rng = np.random.default_rng(7)
    values = load * (1 + 0.05 * rng.standard_normal(load.size))
    path.write_text("load_kw\n" + "\n".join(f"{v:.3f}" for v in np.maximum(values, 0)) + "\n")
    return path


def test_expert_lead_project_job_download(live: dict[str, Any]) -> None:
    page = _page(live)
    base = live["base"]
    page.goto(f"{base}/office/leads")
    assert page.url.endswith("/office/login")  # no session: the login page
    page.fill("input[name=email]", live["world"].email_a)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#leads").count() == 1, page.content()[-1500:]
    assert "Browser test company zh" in page.content()
    page.screenshot(path=str(SHOTS / "expert_leads_zh.png"), full_page=True)
    page.click("text=王工")
    page.select_option("select[name=status]", "contacted")
    page.click("#save-status")
    page.wait_for_selector("#history")
    assert "contacted" in page.inner_text("#history")
    page.screenshot(path=str(SHOTS / "expert_lead_zh.png"), full_page=True)
    page.click("#new-project")
    page.wait_for_selector("#plan-form")
    project_url = page.url
    # the plan form from the schema: a whole-number field given 20.5 is refused at the field
    page.fill("#p-site\\.economics\\.analysis_years", "20.5")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector(".field-error")
    assert "whole number" in page.inner_text(".field-error")
    page.screenshot(path=str(SHOTS / "expert_plan_form_error_zh.png"), full_page=True)
    page.goto(project_url)
    page.wait_for_selector("#plan-form")
    page.select_option("select[name=kind]", "meter")
    page.set_input_files("input[name=file]", str(_meter_csv(live["folder"] / "meter.csv")))
    page.click("#upload")
    page.wait_for_selector("text=meter.csv")
    page.click("#run")
    page.wait_for_selector(".job")
    page.screenshot(path=str(SHOTS / "expert_job_running_zh.png"), full_page=True)
    page.wait_for_selector(".status-succeeded", timeout=JOB_TIMEOUT_MS)
    page.screenshot(path=str(SHOTS / "expert_project_zh.png"), full_page=True)
    with page.expect_download() as info:
        page.click('a[href$="report.pdf"]')
    pdf = info.value.path()
    assert Path(pdf).read_bytes().startswith(b"%PDF")
    with page.expect_download() as info:
        page.click('a[href$="/cash_flows.csv"]')
    assert Path(info.value.path()).read_text().startswith("year,")
    with page.expect_download() as info:
        page.click('a[href$="/assumptions.csv"]')
    assert Path(info.value.path()).read_text().startswith("group,key,name,")
    # the same pages in English, one click away
    page.click("a.lang")
    page.wait_for_selector("text=Runs")
    page.goto(f"{base}/office/leads")
    assert "Leads" in page.content()
    page.screenshot(path=str(SHOTS / "expert_leads_en.png"), full_page=True)
    page.context.close()
