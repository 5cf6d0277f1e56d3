"""The front door: a real browser opens the course in JupyterLab, runs a lecture, clicks a widget.

test_notebooks.py executes notebooks with nbclient, which never renders anything. This file
starts `jupyter lab` like `make lab` does, drives headless Chromium through it with Playwright
(the system's browser: Debian's `chromium` package; no browser downloads) and checks what a
student sees: outputs without errors, a TraceStepper that renders and moves when clicked, and
the nbgrader menu. Skipped when Chromium or Playwright is missing.
"""
import hashlib
import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHROMIUM = pathlib.Path("/usr/bin/chromium")
LECTURE = "lectures/04_forward_mode.ipynb"
SCREENSHOT_COPY = pathlib.Path("/tmp/test_browser_04_forward_mode.png")
STARTUP_TIMEOUT = 60  # seconds for JupyterLab to answer
RUN_ALL_TIMEOUT = 240  # seconds for every cell of the lecture, in a browser, on a busy CI core
UI_TIMEOUT = 30_000  # milliseconds for one UI element to appear

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found: apt-get install chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

# Chromium as root in a container: no sandbox, no GPU, and no traffic of its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# JupyterLab user settings for the test's private settings directory.
LAB_SETTINGS = {
    # Autosave would write the executed outputs back into the repository's notebook.
    "docmanager-extension/plugin": {"autosave": False},
    # Render every cell (no virtual scrolling), so every output is in the DOM to be checked.
    "notebook-extension/tracker": {"windowingMode": "none"},
    # No "get Jupyter news?" toast over the screenshot, and no requests to the internet.
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}

# Each code cell's prompt is "[ ]:" before it runs, "[*]:" while queued or running, "[n]:" after;
# errors and stderr both render with the stderr MIME type.
NOTEBOOK_STATE_JS = """() => ({
    status: document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status,
    prompts: Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'),
                        e => e.textContent.trim()),
    errors: Array.from(document.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'),
        e => e.textContent.slice(0, 1000)),
})"""
# The toolbar says "No Kernel" (and, wrongly, "idle") until the notebook's kernel is attached.
KERNEL_READY_JS = """() => {
    const name = document.querySelector('.jp-Toolbar-kernelName')?.textContent.trim();
    const status = document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
    return !!name && name !== 'No Kernel' && status === 'idle';
}"""
RUN_FINISHED_JS = f"""() => {{
    const s = ({NOTEBOOK_STATE_JS})();
    const ran = s.prompts.every(p => /^\\[\\d+\\]:$/.test(p));
    return s.status === 'idle' && !s.prompts.includes('[*]:') && (ran || s.errors.length > 0);
}}"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_lab_settings(directory):
    for name, values in LAB_SETTINGS.items():
        path = directory / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _wait_for_kernel(base, token, path):
    """Until the server reports the kernel of the notebook at `path` started and idle."""
    deadline, sessions = time.monotonic() + STARTUP_TIMEOUT, []
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as answer:
            sessions = json.load(answer)
        if any(s["path"] == path and s["kernel"]["execution_state"] == "idle" for s in sessions):
            return
        time.sleep(0.5)
    pytest.fail(f"no idle kernel for {path} after {STARTUP_TIMEOUT} s: {sessions}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on the repository, as `make lab` starts it: yields (base URL, token)."""
    home = tmp_path_factory.mktemp("lab")
    _write_lab_settings(home / "settings")
    port, token = _free_port(), secrets.token_hex(16)
    bin_dir = pathlib.Path(sys.executable).parent
    env = dict(os.environ, JAX_PLATFORMS="cpu", PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    # Opening a notebook makes a first checkpoint: keep it out of lectures/.ipynb_checkpoints.
    cmd = [str(bin_dir / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--ServerApp.token={token}", f"--ServerApp.root_dir={ROOT}",
           f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = home / "lab.log"
    with open(log, "w") as out:
        # From the repository root, as `make lab`: nbgrader's server extension reads config there.
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def page(lab, tmp_path):
    """A fresh headless Chromium tab (new profile directory) that has logged in with the token."""
    base, token = lab
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 900})
        context.set_default_timeout(UI_TIMEOUT)
        tab = context.pages[0] if context.pages else context.new_page()
        tab.goto(f"{base}/lab?token={token}")  # the token becomes a cookie for later pages
        tab.locator("#jp-main-dock-panel").wait_for()
        yield tab
        context.close()


def _open_menu_item(page, menu, item):
    page.locator(".lm-MenuBar-item", has_text=menu).click()
    page.locator(".lm-Menu-item", has_text=item).first.click()


def test_lecture_runs_in_jupyterlab_and_its_stepper_moves(lab, page, tmp_path):
    base, token = lab
    notebook = ROOT / LECTURE
    if not notebook.exists():
        pytest.skip(f"{LECTURE} is not written yet")
    stored = hashlib.sha256(notebook.read_bytes()).hexdigest()

    page.goto(f"{base}/lab/tree/{LECTURE}")
    page.locator(".jp-Notebook .jp-CodeCell").first.wait_for()
    _wait_for_kernel(base, token, LECTURE)
    page.wait_for_function(KERNEL_READY_JS)  # Run All before this does nothing, silently
    _open_menu_item(page, "Run", "Run All Cells")
    shot = tmp_path / "04_forward_mode.png"
    try:
        page.wait_for_function(RUN_FINISHED_JS, timeout=RUN_ALL_TIMEOUT * 1000, polling=500)
    except sync_api.TimeoutError:
        page.screenshot(path=shot)
        pytest.fail(f"Run All Cells unfinished after {RUN_ALL_TIMEOUT} s (screenshot {shot}): "
                    f"{page.evaluate(NOTEBOOK_STATE_JS)}")

    state = page.evaluate(NOTEBOOK_STATE_JS)
    assert not state["errors"], "error or stderr output in the browser:\n" + "\n---\n".join(state["errors"])
    assert all(p[1:-2].isdigit() for p in state["prompts"]), f"cells that did not run: {state['prompts']}"

    # The first TraceStepper: Next adds one row to its table and moves its slider.
    next_button = page.locator(".widget-button", has_text="Next").first
    stepper = next_button.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    rows, readout = stepper.locator(".widget-html table tr"), stepper.locator(".widget-readout")
    next_button.scroll_into_view_if_needed()
    before = rows.count(), readout.inner_text()
    next_button.click()
    sync_api.expect(rows).to_have_count(before[0] + 1)
    sync_api.expect(readout).not_to_have_text(before[1])
    next_button.click()
    sync_api.expect(rows).to_have_count(before[0] + 2)
    assert stepper.locator(".widget-output img").count() == 1, "the stepper draws its graph as one image"

    # Let the kernel finish redrawing, then photograph the whole stepper.
    page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for()
    stepper.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=shot)
    shutil.copy(shot, SCREENSHOT_COPY)
    assert hashlib.sha256(notebook.read_bytes()).hexdigest() == stored, "the browser saved the notebook"


def test_nbgrader_extensions_are_in_the_lab(lab, page):
    menu = page.locator(".lm-MenuBar-item", has_text="Nbgrader")
    menu.click()
    items = page.locator(".lm-Menu-item .lm-Menu-itemLabel").all_inner_texts()
    assert {"Assignment List", "Formgrader"} <= set(items), f"Nbgrader menu: {items}"
    # The assignment list is drawn by the lab extension from the server extension's answers.
    page.locator(".lm-Menu-item", has_text="Assignment List").click()
    sync_api.expect(page.locator(".lm-TabBar-tab", has_text="Assignments")).to_be_visible()
