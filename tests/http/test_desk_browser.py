"""The web desk in a real headless Chromium against a real server process (issue 15).

A SQLite store is prepared in this process (the standard agency, a 发文 waiting for the
leader's signature, an API token for the leader), then ``govoffice serve`` serves it on a
free loopback port, and Selenium drives Debian's ``chromium`` through ``chromedriver``: log in
with the token, open the 待办 queue, open the document, sign it with an opinion, see it
leave the queue and appear in the decision trail.

Screenshots of each page are kept as test artifacts: in pytest's ``tmp_path`` and in
``tests/artifacts/desk/`` (git-ignored; ``GOVOFFICE_TEST_ARTIFACTS`` names another
directory). Without chromium and chromedriver the test is skipped with the reason (install
``apt-get install chromium chromium-driver fonts-noto-cjk``), except under ``CI=true``,
where it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from govoffice.domain.document import DocumentStatus
from govoffice.testing import office_for_tests, outgoing_document, standard_agency
from tests.conftest import IN_CI

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parents[2]


def _require_chromium() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    reason = None
    if missing:
        reason = (
            f"{', '.join(missing)} missing: apt-get install chromium chromium-driver fonts-noto-cjk"
        )
    else:
        try:
            import selenium  # noqa: F401
        except ImportError:
            reason = "selenium is not installed (the dev extra installs it)"
    if reason is not None:
        if IN_CI:
            pytest.fail(f"CI=true and the browser test needs Chromium: {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            out = server.stdout.read().decode() if server.stdout else ""
            raise AssertionError(f"the server exited ({server.returncode}):\n{out}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer {url} within {seconds}s")


@pytest.fixture
def artifacts(tmp_path: Path) -> Iterator[list[Path]]:
    """Where the screenshots go: tmp_path, copied to tests/artifacts/desk/ at the end."""
    shots: list[Path] = []
    yield shots
    keep = Path(os.environ.get("GOVOFFICE_TEST_ARTIFACTS", ROOT / "tests" / "artifacts")) / "desk"
    keep.mkdir(parents=True, exist_ok=True)
    for shot in shots:
        shutil.copy2(shot, keep / shot.name)


def test_a_leader_signs_in_the_browser(tmp_path: Path, artifacts: list[Path]) -> None:
    """[001 发文 五(五)1] the leader logs in with his token, finds the draft in his 待办,
    signs it with an opinion; it leaves his queue and its trail shows the signature, made
    through his token."""
    _require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    store = f"sqlite:///{tmp_path / 'desk.db'}"
    office = office_for_tests(store)
    people = standard_agency(office)
    doc = outgoing_document(office, people, to=DocumentStatus.AWAITING_SIGNATURE)
    title = office.documents.get(doc).form.title
    token = office.tokens.issue(people.deputy, by=people.admin, label="浏览器测试")
    office.close()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "govoffice", "serve", "--store", store, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_argument("--window-size=1280,1000")
    driver = None
    try:
        _wait_until_up(f"{base}/desk/login", server)
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        driver.implicitly_wait(2)

        def arrive(title: str) -> None:
            """Wait for the page a click loads (a form post navigates asynchronously)."""
            WebDriverWait(driver, 20).until(ec.title_contains(title), driver.page_source)

        def shot(name: str) -> None:
            path = tmp_path / f"{len(artifacts) + 1:02d}-{name}.png"
            driver.save_screenshot(str(path))
            artifacts.append(path)

        driver.get(f"{base}/desk/")
        assert "登录" in driver.title
        driver.find_element(By.ID, "token").send_keys(token.secret)
        shot("login")
        driver.find_element(By.ID, "login").click()

        arrive("待办")
        rows = driver.find_elements(By.CSS_SELECTOR, f'tr.item[data-record="{doc}"]')
        assert len(rows) == 1 and "签发" in rows[0].text
        shot("queue")
        rows[0].find_element(By.LINK_TEXT, title).click()
        arrive(title)

        assert driver.find_element(By.ID, "status").text == "待签发"
        box = driver.find_element(By.ID, "opinion-sign")
        box.clear()
        box.send_keys("同意印发。请办公室抓紧登记。")
        shot("record")
        driver.find_element(By.CSS_SELECTOR, "#step-sign button").click()
        WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.ID, "notice")))

        assert driver.find_element(By.ID, "notice").text == "已签发"
        assert driver.find_element(By.ID, "status").text == "已签发"
        last = driver.find_elements(By.CSS_SELECTOR, "#trail tr.decision")[-1]
        assert "签发" in last.text and "何副局长" in last.text
        assert "同意印发。请办公室抓紧登记。" in last.text
        assert f"经token认证 {token.token_id}" in last.text
        assert not driver.find_elements(By.ID, "step-sign")
        shot("signed")

        driver.find_element(By.ID, "nav-queue").click()
        arrive("待办")
        assert not driver.find_elements(By.CSS_SELECTOR, f'tr.item[data-record="{doc}"]')
        shot("queue-after")

        driver.find_element(By.ID, "nav-report").click()
        arrive("年度报告")
        shot("report")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    reopened = office_for_tests(store)
    try:
        signed = reopened.documents.get(doc)
        assert signed.status is DocumentStatus.SIGNED
        last_decision = reopened.documents.history(doc)[-1]
        assert last_decision.by == people.deputy
        assert last_decision.opinion == "同意印发。请办公室抓紧登记。"
    finally:
        reopened.close()
    assert len(artifacts) == 6 and all(p.stat().st_size > 0 for p in artifacts)
