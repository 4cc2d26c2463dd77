"""End to end in a real Chromium (issue #5, #6): sign in as an editor created
through the CLI, mark a seed claim on the claims desk, reload and see it kept
(and still be signed in), download the CSV and find the row, sign out in a
second tab, and check that hostile report text does not execute. Screenshots go into the test's tmp dir on failure.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from lib import settings as settings_module
from lib.store import Store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "a long editor password"
HOSTILE = ('Ukraine said on Monday that 5,000 North Korean troops <img src=x onerror="window.__xss=1;alert(1)"> '
           'had arrived in Kursk, according to the defence ministry. '
           '<script>window.__xss=2;alert(2)</script> The Kremlin did not comment on [the report](javascript:alert(3)).')

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed (make test installs it)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(url: str, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run([sys.executable, "-m", "lib", "--db", url, *args], input=stdin, text=True,
                            capture_output=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def server(seeded_sqlite_template, tmp_path, model):
    """`python -m lib serve` on a free port over a private copy of the seeded SQLite store,
    with an editor created through the CLI and one hostile report ingested."""
    from lib.ingest import ReportInput
    from lib.pipeline import Pipeline

    db = tmp_path / "browser.db"
    shutil.copy(seeded_sqlite_template, db)
    url = f"sqlite:///{db}"
    store = Store.open(settings_module.load({}, database_url=url))
    Pipeline(store, store.settings, model=model).ingest_items(
        [ReportInput(text=HOSTILE, title='Hostile <img src=x onerror="window.__xss=3"> title',
                     outlet="Evil <b>Outlet</b>")], name="hostile.txt", actor="test")
    cli(url, "users", "add", "ed", "--role", "editor", "--password-stdin", stdin=PASSWORD + "\n")
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    env = dict(os.environ, FACTDESK_PORT=str(port), FACTDESK_DATABASE_URL=url,
               STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
    proc = subprocess.Popen([sys.executable, "-m", "lib", "--db", url, "serve"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    else:
        proc.kill()
    if proc.poll() is not None or time.time() >= deadline:
        log.close()
        print((tmp_path / "server.log").read_text())
        pytest.fail("the dashboard did not come up; its log is printed above")
    yield {"base": base, "store": store, "url": url, "log": tmp_path / "server.log"}
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    store.close()


@pytest.fixture
def page():
    """A Chromium page (Debian's chromium through Playwright's executable_path)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1400}, accept_downloads=True)
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        pg.dialogs = []
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
        yield pg
        browser.close()


@contextmanager
def screenshot_on_failure(page, tmp_path: Path, log: Path):
    """On failure: a full-page screenshot into tmp_path and the server log's tail."""
    try:
        yield
    except BaseException:
        shot = tmp_path / "failure.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}")
        except Exception as exc:  # noqa: BLE001 - the original failure matters more
            print(f"no screenshot: {exc}")
        print("server log tail:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-40:]))
        raise


def settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector("[data-testid='stAppViewContainer']")
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=30_000)
    page.wait_for_timeout(300)


def sign_in(page, base: str, path: str) -> None:
    page.goto(base + path)
    settle(page)
    side = page.locator("[data-testid='stSidebar']")
    side.get_by_label("User name").fill("ed")
    side.get_by_label("Password", exact=True).fill(PASSWORD)
    side.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()
    settle(page)


def choose(page, container, option: str) -> None:
    box = container.locator("[data-testid='stSelectbox']").first.get_by_role("combobox")
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    assert box.input_value() == option


def test_mark_reload_download_and_hostile_text(server, page, tmp_path):
    with screenshot_on_failure(page, tmp_path, server["log"]):
        _mark_reload_download_and_hostile_text(server, page, tmp_path)


def _mark_reload_download_and_hostile_text(server, page, tmp_path):
    store, base = server["store"], server["base"]
    claim = next(c for c in store.claims() if "12,000" in c["text"] or "12 000" in c["text"])
    cid = claim["id"]

    sign_in(page, base, f"/Claims?claim={cid}")
    form = page.locator("[data-testid='stForm']").filter(has_text="Mark this claim")
    choose(page, form, "Unable to independently verify")
    form.get_by_role("textbox", name="Note").fill("Only Kyiv says so; Euronews could not verify.")
    form.get_by_role("button", name="Save status").click()
    page.get_by_text("Marked Unable to independently verify.").wait_for()
    assert [c for c in store.claims() if c["id"] == cid][0]["status"] == "unverified"

    page.reload()  # the status is kept, and the sign-in too (signed cookie)
    settle(page)
    side = page.locator("[data-testid='stSidebar']")
    side.get_by_text("Signed in as").wait_for()
    assert "Signed in as ed (editor)" in side.inner_text()
    assert side.locator("[data-testid='stSidebarNav']").count() == 0  # Streamlit's file-named list
    menu = [t.splitlines()[-1].strip() for t in side.locator("[data-testid='stPageLink']").all_inner_texts()]  # icon, label
    assert "Overview" in menu and "Claims" in menu and "Audit trail" not in menu  # admins only
    panel = page.locator("[data-testid='stMain']")
    panel.get_by_text("Desk status:").first.wait_for()
    assert "Desk status: Unable to independently verify" in panel.inner_text()
    form = page.locator("[data-testid='stForm']").filter(has_text="Mark this claim")
    assert form.get_by_role("textbox", name="Note").input_value().startswith("Only Kyiv says so")

    page.goto(base + "/Sheets")
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV").click()
    path = tmp_path / "sheet.csv"
    info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = {r["Claim ID"]: r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))}
    assert rows[cid]["Desk status"] == "Unable to independently verify"
    assert rows[cid]["Note"] == "Only Kyiv says so; Euronews could not verify."

    # hostile text: shown literally, never executed, on every page that shows it
    # a new tab (a shared link) opens signed in; signing out ends it for reloads too
    other = page.context.new_page()
    other.goto(base + "/Claims")
    settle(other)
    other.locator("[data-testid='stSidebar']").get_by_text("Signed in as").wait_for()
    other.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign out").click()
    other.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign in").wait_for()
    settle(other)
    other.reload()
    settle(other)
    other.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign in").wait_for()
    assert "Signed in as" not in other.locator("[data-testid='stSidebar']").inner_text()
    other.close()

    hostile = next(c for c in store.claims() if "onerror" in c["text"])
    for path_ in ["/", "/Stories", f"/Claims?claim={hostile['id']}", "/Figures"]:
        page.goto(base + path_)
        settle(page)
        assert page.evaluate("() => window.__xss") is None, path_
    main = page.locator("[data-testid='stMain']")
    page.goto(base + f"/Claims?claim={hostile['id']}")
    settle(page)
    assert 'onerror="window.__xss=1;alert(1)"' in main.inner_text()
    assert page.locator("[data-testid='stMain'] img[src='x']").count() == 0
    assert page.dialogs == []
