"""Browser tests: a real Stepwise server and a real Chromium, driven by Playwright.

Everything here is meant to be reused by every domain's browser tests
(``tests/<anything>/`` can use these fixtures by living under ``tests/browser/``).
Mark such tests ``@pytest.mark.browser``. Chromium is taken from
``$STEPWISE_TEST_CHROMIUM`` (default ``/usr/bin/chromium``, what
``scripts/install-system-deps.sh`` installs). Without it (or without the
``playwright`` package) they skip with a one-line reason naming the install
command; with ``STEPWISE_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they fail
instead, so CI cannot go green on skipped browser tests.

Fixtures
--------
``live_server`` (session)
    A :class:`LiveServer`: ``stepwise serve`` in a subprocess on a free port,
    against a fresh SQLite database prepared exactly like ``make run``:
    ``stepwise db upgrade``, ``stepwise rubrics load`` (the project's
    ``rubrics/`` *plus* the ``mini`` fixture rubric) and ``stepwise demo seed``
    (``pat@`` and ``sam@example.com`` participants, ``coach@`` assigned to both,
    ``admin@``; password :data:`DEMO_PASSWORD`). ``live_server.url("/path")``
    builds URLs; ``live_server.cli("users", ...)`` runs another ``stepwise``
    command against the same database; ``live_server.log()`` is the server's
    output (shown when start-up fails). The database is shared by the whole
    session: tests create their own data (e.g. a new assessment) rather than
    assuming an empty one.
``browser`` (session)
    Playwright's Chromium launched from :data:`CHROMIUM`, headless, with the
    flags of :data:`CHROMIUM_ARGS`.
``console_watch`` (function)
    A :class:`ConsoleWatch` that every context from ``new_context`` reports to:
    console errors, uncaught page errors, failed requests to our server and
    5xx answers from it. The test fails at teardown if anything was recorded.
    An *expected* error (Chromium logs every 4xx fetch, e.g. a 409 conflict, as
    a console error) is allowed with ``console_watch.allow(r"regex")``.
``new_context`` (function)
    ``new_context(**playwright_kwargs)`` -> a watched ``BrowserContext`` with
    ``base_url`` set to the live server and a 1280x900 viewport unless given
    (``new_context(java_script_enabled=False)``, ``new_context(viewport=PHONE)``).
    Closed at the end of the test.
``context`` / ``page`` (function)
    One watched desktop context and a page in it.
``sign_in`` (function)
    ``sign_in(page, email, password=DEMO_PASSWORD)`` fills the login form and
    waits until the browser has left ``/login``.
``screenshot`` (function)
    ``screenshot(page, "name")`` saves a full-page PNG to ``var/screenshots/name.png``
    and returns the path (look at them: they are part of the review).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from app.accounts.demo import DEMO_PASSWORD
from tests.fixtures.paths import ROOT
from tests.fixtures.processes import free_port, stop

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request

CHROMIUM = Path(os.environ.get("STEPWISE_TEST_CHROMIUM") or "/usr/bin/chromium")
#: Set (to 1) where skipping is not allowed: a missing browser fails the tests instead.
REQUIRE_BROWSER = os.environ.get("STEPWISE_REQUIRE_BROWSER", "") not in ("", "0")
INSTALL_HINT = "run `sudo bash scripts/install-system-deps.sh`"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
#: Seconds to wait for a UI state (autosave, navigation) before failing.
TIMEOUT_MS = 10_000

__all__ = ["DEMO_PASSWORD", "DESKTOP", "PHONE", "ConsoleWatch", "LiveServer"]


@dataclass
class LiveServer:
    base_url: str
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def cli(self, *args: str) -> str:
        """Run ``stepwise ARGS`` against the server's database; its stdout."""
        done = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "stepwise"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(
                f"stepwise {' '.join(args)} failed ({done.returncode}):\n{done.stderr}"
            )
        return done.stdout

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@contextmanager
def running_server(tmp: Path, extra_env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """A prepared ``stepwise serve`` in ``tmp`` (what ``live_server`` is), with ``extra_env``
    on top of its settings (e.g. an SMTP server's), stopped on exit."""
    rubrics = tmp / "rubrics"
    rubrics.mkdir()
    for source in [*(ROOT / "rubrics").glob("*.yaml"), ROOT / "tests/fixtures/rubrics/mini.yaml"]:
        shutil.copy(source, rubrics / source.name)
    port = free_port()
    env = {
        **os.environ,
        # The test suite's own settings point at its database: replace them all.
        "STEPWISE_ENVIRONMENT": "development",
        "STEPWISE_DATABASE_URL": f"sqlite:///{tmp / 'browser.db'}",
        "STEPWISE_RUBRICS_DIR": str(rubrics),
        "STEPWISE_VAR_DIR": str(tmp / "var"),
        "STEPWISE_SECRET_KEY": "browser-test-secret-0123456789abcdef0123456789",
        "STEPWISE_HTTPS": "false",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    server = LiveServer(f"http://127.0.0.1:{port}", env, tmp / "server.log")
    for command in (["db", "upgrade"], ["rubrics", "load"], ["demo", "seed"]):
        server.cli(*command)
    with server.log_path.open("wb") as log:
        server.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "stepwise"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(server)
        yield server
    finally:
        assert server.process is not None
        stop(server.process, timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with running_server(tmp_path_factory.mktemp("live-server")) as server:
        yield server


#: How long ``stepwise serve`` may take to answer; generous, as the suite's other
#: workers share the CPU while it imports the app.
STARTUP_SECONDS = 120


def _wait_until_up(server: LiveServer) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    assert server.process is not None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"stepwise serve exited early:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url("/healthz"), timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(
        f"stepwise serve did not answer /healthz in {STARTUP_SECONDS} s:\n{server.log()}"
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _skip_or_fail(f"Chromium not found at {CHROMIUM}: {INSTALL_HINT}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("the playwright package is missing: run `make .venv/.installed-stamp`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _skip_or_fail(reason: str) -> NoReturn:
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (STEPWISE_REQUIRE_BROWSER is set: browser tests may not skip)")
    pytest.skip(reason)


@dataclass
class ConsoleWatch:
    """Collects what a clean page never produces; see the module docstring."""

    origin: str
    problems: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Accept console errors matching ``pattern`` (for deliberately provoked 4xx)."""
        self.allowed.append(re.compile(pattern))

    def _record(self, problem: str) -> None:
        if not any(p.search(problem) for p in self.allowed):
            self.problems.append(problem)

    def attach(self, context: BrowserContext) -> None:
        def watch_page(page: Page) -> None:
            page.on("console", self._on_console)
            page.on("pageerror", lambda exc: self._record(f"page error: {exc}"))

        for page in context.pages:
            watch_page(page)
        context.on("page", watch_page)
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location.get("url", "") if message.location else ""
            self._record(f"console error: {message.text} ({location})")

    def _on_request_failed(self, request: Request) -> None:
        failure = request.failure or ""
        # A request cut short by navigating away (a reload mid-save) is not a server
        # failure; the questionnaire keeps such answers in localStorage and resends them.
        if request.url.startswith(self.origin) and "ERR_ABORTED" not in failure:
            self._record(f"request failed: {request.method} {request.url}: {failure}")

    def _on_response(self, response: Any) -> None:
        if response.url.startswith(self.origin) and response.status >= 500:
            self._record(
                f"server error: {response.status} {response.request.method} {response.url}"
            )


@pytest.fixture
def console_watch(live_server: LiveServer) -> Iterator[ConsoleWatch]:
    watch = ConsoleWatch(origin=live_server.base_url)
    yield watch
    if watch.problems:
        pytest.fail("the browser reported problems:\n" + "\n".join(watch.problems))


@contextmanager
def closing_contexts(
    browser: Browser, *, watch: ConsoleWatch | None = None, **defaults: Any
) -> Iterator[Callable[..., BrowserContext]]:
    """``make(**kwargs)``: a new context (``kwargs`` over ``defaults``) with the suite's
    timeout, watched by ``watch`` if given; every context made is closed on leaving."""
    contexts: list[BrowserContext] = []

    def make(**kwargs: Any) -> BrowserContext:
        context = browser.new_context(**{**defaults, **kwargs})
        context.set_default_timeout(TIMEOUT_MS)
        if watch is not None:
            watch.attach(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_context(
    browser: Browser, live_server: LiveServer, console_watch: ConsoleWatch
) -> Iterator[Callable[..., BrowserContext]]:
    with closing_contexts(
        browser, watch=console_watch, viewport=DESKTOP, base_url=live_server.base_url
    ) as make:
        yield make


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def sign_in() -> Callable[..., None]:
    def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name=re.compile("sign in", re.IGNORECASE)).click()
        page.wait_for_url(lambda url: "/login" not in url)

    return sign_in


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    def take(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        # From the top, so sticky headers sit where a visitor first sees them.
        page.evaluate("window.scrollTo(0, 0)")
        page.mouse.move(0, 0)  # no hover highlight left over from the last click
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
