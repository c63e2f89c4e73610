"""Helpers for the browser tests: the app on a live loopback server, Debian's Chromium driven
by Playwright, tabs with their screenshots and JavaScript errors.  The fixtures built on these
are in ``conftest.py``:

* ``live_server`` (module scope): :class:`LiveServer` on a copy of the session's web database
  (:func:`web_support.make_db`: the sample and the Zhejiang pair of ../shared/corpus, whose first
  report's targets the second one's results judge; one user per role, password
  ``password-<role>``; ``WEB_REPORTS = "sample"`` in a module: the sample alone).  Its
  ``reader_id`` is the pair's first report (else the sample) and ``plan_year`` and ``region``
  that report's.
* ``browser`` (module scope): ``/usr/bin/chromium`` headless (``playwright install`` is never
  needed).  A test using it carries the ``browser`` marker: without Chromium it is skipped, or
  fails when the environment variable ``CI`` is set: CI must run them (``.ci/run`` installs it).
* ``page_as(role)``: a :class:`Tab` in a fresh browser context, signed in through the real
  ``/login`` form (``None``: not signed in).  Every tab records console errors and uncaught
  exceptions; :meth:`Tab.shot` saves ``tests/artifacts/<test name>-<step>.png``.
"""

from __future__ import annotations

import re
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from web_support import password

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium calls out to Google's services, which a
# closed network refuses (and which a test has no business doing anyway).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, whatever *_proxy say
TIMEOUT_MS = 10_000  # any one wait in a page: a missing element fails in seconds, not minutes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """``create_app(db)`` served by uvicorn in a daemon thread on 127.0.0.1."""

    def __init__(self, database):
        import uvicorn

        from luoshi.serve import create_app

        self.db = database
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(database), host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="luoshi-live-server", daemon=True)

    def start(self, timeout: float = 20.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.thread.is_alive():
                raise RuntimeError(f"the live server on port {self.port} stopped while starting")
            if self.server.started:
                try:
                    with NO_PROXY.open(self.url + "/session.json", timeout=2) as r:
                        if r.status == 200:
                            return
                except (urllib.error.URLError, OSError):
                    pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the live server did not answer on {self.url} within {timeout:.0f} s")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class Tab:
    """A page in its own browser context, with the JavaScript errors it met and screenshots."""

    def __init__(self, context, base_url: str, test_name: str):
        self.context, self.base_url = context, base_url
        self.name = re.sub(r"[^\w.-]+", "_", test_name)
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"{self.page.url}: uncaught {e}"))

    def _console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if isinstance(message.location, dict) else ""
            self.errors.append(
                f"{self.page.url}: console error: {message.text}"
                + (f" (from {where})" if where and where != self.page.url else "")
            )

    def goto(self, path: str):
        """Open ``path`` and check that the server answered with a page, not an error."""
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.ok, (
            f"GET {path}: {response.status if response else 'no response'} {self.page.inner_text('main')[:200]!r}"
        )
        return response

    def sign_in(self, role: str) -> None:
        """Through the real form, as a person would."""
        self.goto("/login")
        self.page.fill("input[name=name]", role)
        self.page.fill("input[name=password]", password(role))
        with self.page.expect_navigation():
            self.page.click("form[action='/login'] button[type=submit]")
        assert "/login" not in self.page.url, f"sign-in as {role} failed: {self.page.inner_text('main')[:200]!r}"

    def shot(self, step: str, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{step}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def assert_no_js_errors(self) -> None:
        assert not self.errors, "JavaScript errors:\n" + "\n".join(self.errors)
