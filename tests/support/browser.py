"""Browser tests: Playwright driving Debian's Chromium against the site served in a subprocess.

Design, so that browser tests stay fast and leave the other tests' data alone:

* The session's test database gets the demo data once (tests/conftest.py). Right after, when browser
  tests are collected, it is copied with CREATE DATABASE ... TEMPLATE into `<test db>_web_demo`
  (`snapshot_demo_database`), before any transactional test may flush it.
* Each browser test module gets its own server (`web_server`): a fresh copy `<test db>_web_<n>` of that
  snapshot, and `manage.py runserver` (make dev's settings plus the site's strict Content-Security-
  Policy, tests/support/browser_server_settings.py) on a free port of 127.0.0.1, with the offline basemap and
  photos in a temporary folder. What a module's tests write stays in that copy.
* `web` opens pages in fresh browser contexts (English or Greek, desktop or phone), logs every request,
  refuses (and records) any that would leave 127.0.0.1, records CSP violations and script errors, and
  after the test takes a screenshot of each page into the folder printed at the end of the run.

A module sets WEB_SERVER_ENV = {...} to start its server with other environment variables.

`assert_accessible(page)` checks the page as it stands against WCAG 2.1 A and AA with axe-core (the version pinned in
tests/support/axe/package-lock.json, installed by `make browser`; test tooling, never served by the site).
"""
import functools
import itertools
import json
import os
import re
import select
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("BROWSER_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
LOCAL_HOST = "127.0.0.1"
DESKTOP = {"viewport": {"width": 1280, "height": 860}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LOCALES = {"en": "en-GB", "el": "el-GR"}
SERVER_START_TIMEOUT_S = 90
# axe-core, injected into pages by assert_accessible; the rules of WCAG 2.0 and 2.1, levels A and AA, and the impacts
# that fail a test.
AXE_SCRIPT = PROJECT_ROOT / "tests" / "support" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = ("serious", "critical")
BROWSER_FIXTURES = {"web_server", "web", "browser"}
# The fixtures that need the demo database as it was loaded (browser servers, and `make run` under load).
SNAPSHOT_FIXTURES = BROWSER_FIXTURES | {"browser_demo_database"}

_snapshot_key = pytest.StashKey[str]()
_screenshots_key = pytest.StashKey[Path]()
_failed_key = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remembers a failed test body, whose pages the `web` fixture then screenshots."""
    outcome = yield
    if outcome.get_result().failed:
        item.stash[_failed_key] = True


def pytest_collection_modifyitems(config, items):
    """A test that drives the browser (the `web` or `browser` fixture) says so with the `browser` marker, and a test
    with the marker drives it: the run stops at collection otherwise, naming the tests. Tests with a server (`web_server`)
    get `django_db`, so that the test database (which their servers copy) is set up even when no other test asks for
    it; pytest-django has already sorted the tests by then, so they still run last."""
    unmarked = [item.nodeid for item in items if _drives_browser(item) and not item.get_closest_marker("browser")]
    needless = [item.nodeid for item in items if item.get_closest_marker("browser") and not _drives_browser(item)]
    if unmarked or needless:
        raise pytest.UsageError(
            "".join(f"\n{nodeid}: drives the browser without the `browser` marker" for nodeid in unmarked)
            + "".join(f"\n{nodeid}: marked `browser` but drives no browser" for nodeid in needless))
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.django_db)
    # Browser tests last, whatever their markers: the session's browser keeps Playwright's event loop running in this
    # thread, where Django's async_to_sync (the job queue's calls among others) then refuses to run.
    items[:] = [item for item in items if not _drives_browser(item)] + [item for item in items if _drives_browser(item)]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    folder = config.stash.get(_screenshots_key, None)
    if folder is not None:
        terminalreporter.write_line(f"browser screenshots: {folder}")


# --- databases -------------------------------------------------------------------------------


def _is_browser_test(item) -> bool:
    """A test with a served copy of the site (a browser test, or one that reads the site as a client)."""
    return bool(BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())))


def _drives_browser(item) -> bool:
    return bool({"web", "browser"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """pytest-django makes the test database only when a collected test asks for the database itself; browser tests
    use it through their server's copy, so when they run alone it is made here (else tests/conftest.py would load
    the demo data into, and the snapshot be copied from, DATABASE_URL's own database)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    made = None
    if any(_is_browser_test(item) for item in request.session.items) and \
            connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
        with django_db_blocker.unblock():
            made = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    if made is not None:
        with django_db_blocker.unblock():
            teardown_databases(made, verbosity=0)


def _maintenance_connection():
    import psycopg
    from django.db import connection

    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"], password=s["PASSWORD"],
                           dbname="postgres", autocommit=True)


def _drop_database(name: str) -> None:
    from psycopg import sql

    with _maintenance_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _drop_database_retrying(name: str, attempts: int = 20) -> None:
    """Drop a copy; the server may refuse a connection for a moment when every slot is taken."""
    import psycopg

    for attempt in range(attempts):
        try:
            return _drop_database(name)
        except psycopg.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(1)


_drops: list = []


def drop_database_later(name: str) -> None:
    """Drop a copy nobody uses any more in a thread of its own (a DROP DATABASE waits for a checkpoint), so the next
    tests need not wait; the session waits for every drop at its end (pytest_sessionfinish below)."""
    from concurrent.futures import ThreadPoolExecutor

    if not _drops:
        _drops.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-database"))
    _drops.append(_drops[0].submit(_drop_database_retrying, name))


def pytest_sessionfinish(session, exitstatus):
    if _drops:
        executor, *futures = _drops
        executor.shutdown(wait=True)
        _drops.clear()
        for future in futures:
            future.result()  # a copy that could not be dropped is an error of the run


def _copy_database(source: str, target: str) -> None:
    """target becomes a copy of source (which must have no open connection)."""
    from psycopg import sql

    with _maintenance_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(source)))


def snapshot_demo_database(request) -> None:
    """Called by tests/conftest.py's django_db_setup once the demo data is loaded: keep a copy for browser tests."""
    if not any(SNAPSHOT_FIXTURES & set(getattr(item, "fixturenames", ())) for item in request.session.items):
        return
    from django.db import connection, connections
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX

    source = connection.settings_dict["NAME"]
    assert source.startswith(TEST_DATABASE_PREFIX), f"{source} is not a test database; it is not copied"
    snapshot = f"{source}_web_demo"
    connections.close_all()
    _copy_database(source, snapshot)
    request.config.stash[_snapshot_key] = snapshot
    request.addfinalizer(lambda: _drop_database(snapshot))


def _database_url(name: str) -> str:
    from django.db import connection

    s = connection.settings_dict
    credentials = quote(s["USER"], safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
    return f"postgis://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


# --- the server ------------------------------------------------------------------------------


@dataclass
class WebServer:
    """The site served for one test module, on its own copy of the demo database."""

    url: str
    database_url: str
    env: dict
    log_path: Path
    media_root: Path

    def query(self, statement: str, params=None) -> list[dict]:
        """Rows of a SELECT on the server's database (to check what a page stored)."""
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(self.database_url.replace("postgis://", "postgresql://", 1), row_factory=dict_row) as conn:
            return conn.execute(statement, params).fetchall()

    _worker: subprocess.Popen | None = field(default=None, repr=False)
    _pending: bytes = field(default=b"", repr=False)

    def django(self, code: str, **values):
        """Run Python with Django set up against the server's database; `values` are given as variables,
        and the snippet's `result` (JSON-serialisable) is returned. For setting up users and the like.
        Snippets run one after another in one helper process of the server's (each in a namespace of its own,
        its database connections closed afterwards), so Django is set up once per module, not once per snippet."""
        if self._worker is None or self._worker.poll() is not None:
            self._worker = subprocess.Popen([sys.executable, "-c", _SNIPPET_WORKER], cwd=PROJECT_ROOT, env=self.env,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=self.log_path.with_name("snippets.log").open("ab"), bufsize=0)
            self._pending = b""
        self._worker.stdin.write(json.dumps({"code": code, "values": values}).encode() + b"\n")
        answer = json.loads(self._read_answer(timeout_s=120))
        assert "error" not in answer, answer.get("error", "")[-3000:]
        return answer["result"]

    def _read_answer(self, timeout_s: float) -> str:
        deadline = time.monotonic() + timeout_s
        stdout = self._worker.stdout
        while True:
            for line in self._pending.split(b"\n")[:-1]:
                if line.startswith(_ANSWER):
                    self._pending = self._pending.split(line + b"\n", 1)[1]
                    return line[len(_ANSWER):].decode()
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"a snippet ran longer than {timeout_s} s"
            ready, _, _ = select.select([stdout], [], [], remaining)
            if ready:
                chunk = os.read(stdout.fileno(), 65536)
                if not chunk:
                    raise AssertionError("the snippet helper stopped: "
                                         + self.log_path.with_name("snippets.log").read_text(errors="replace")[-3000:])
                self._pending += chunk

    def close(self) -> None:
        if self._worker is not None and self._worker.poll() is None:
            self._worker.stdin.close()
            try:
                self._worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._worker.kill()
                self._worker.wait()

    def create_user(self, username: str, password: str, *, department: str | None = None, role: str = "staff",
                    planner: bool = False, superuser: bool = False) -> str:
        """A user who can sign in to the site, maybe a department's staff or manager or a planner; returns an API token."""
        return self.django(
            """
from django.conf import settings
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from issues.models import Department, DepartmentMembership
user = User.objects.create_user(username=username, password=password, is_staff=superuser, is_superuser=superuser)
if department:
    DepartmentMembership.objects.create(user=user, department=Department.objects.get(slug=department), role=role)
if planner:
    user.groups.add(Group.objects.get_or_create(name=settings.PLANNER_GROUP)[0])
result = Token.objects.create(user=user).key
""",
            username=username, password=password, department=department, role=role, planner=planner, superuser=superuser,
        )

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


_ANSWER = b"@@answer@@"
# The helper behind WebServer.django: reads one snippet a line, runs it, answers with _ANSWER and a JSON line.
_SNIPPET_WORKER = r"""
import json, sys, traceback
import django
django.setup()
from django.db import connections
for line in sys.stdin:
    request = json.loads(line)
    scope = {"__name__": "__snippet__", **request["values"], "result": None}
    try:
        exec(compile(request["code"], "<snippet>", "exec"), scope)
        answer = {"result": scope["result"]}
    except BaseException:
        answer = {"error": traceback.format_exc()}
    finally:
        connections.close_all()
    sys.stdout.flush()
    sys.stdout.buffer.write(b"\n@@answer@@" + json.dumps(answer).encode() + b"\n")
    sys.stdout.buffer.flush()
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test server stopped at start:\n{log_path.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the test server did not answer within {SERVER_START_TIMEOUT_S} s:\n"
                       f"{log_path.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="session")
def browser_demo_database(request, django_db_setup) -> str:
    snapshot = request.config.stash.get(_snapshot_key, None)
    assert snapshot, "the demo database snapshot was not taken: tests/conftest.py's django_db_setup calls snapshot_demo_database"
    return snapshot


_server_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def web_server(request, browser_demo_database, tmp_path_factory):
    from django.conf import settings
    from django.db import connection

    name = f"{connection.settings_dict['NAME']}_web_{next(_server_numbers)}"  # dropped later: each module's its own
    _copy_database(browser_demo_database, name)
    folder = tmp_path_factory.mktemp("web-server")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.browser_server_settings",
        "DATABASE_URL": _database_url(name),
        "BASEMAP_TILES_URL": "",
        "MEDIA_ROOT": str(folder / "media"),
        "HAZARD_DATA_DIR": str(settings.HAZARD_DATA_DIR),
        "PYTHONUNBUFFERED": "1",
        **getattr(request.module, "WEB_SERVER_ENV", {}),
    }
    log_path = folder / "server.log"
    url = f"http://{LOCAL_HOST}:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"{LOCAL_HOST}:{port}"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    server = WebServer(url=url, database_url=env["DATABASE_URL"], env=env, log_path=log_path, media_root=folder / "media")
    try:
        _wait_until_up(url, process, log_path)
        yield server
    finally:
        server.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        drop_database_later(name)


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_screenshots(request) -> Path:
    """The screenshots' folder: BROWSER_SCREENSHOTS_DIR, or a new temporary one that outlives the run
    (pytest's own temporary folders are pruned by later runs)."""
    if os.environ.get("BROWSER_SCREENSHOTS_DIR"):
        folder = Path(os.environ["BROWSER_SCREENSHOTS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="gis-portal-screenshots-"))
    request.config.stash[_screenshots_key] = folder
    return folder


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, started by Playwright with a fresh profile, once for the session: every page is
    opened in a fresh context of its own (no cookies, storage or cache shared between tests)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (scripts/install_system.sh --browser)")
    from playwright.sync_api import expect, sync_playwright

    # the pages' own waits (a form's answer, a map's tiles) as long as the contexts' actions (15 s): a suite loading
    # both cores can keep a server's answer past Playwright's 5 s default
    expect.set_options(timeout=15_000)

    # Playwright's sync API keeps an asyncio loop running in this thread, which Django takes for async
    # code; the test's own database work (the django_db transaction) is synchronous all the same.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
            # Django keeps connections opened while the loop runs apart from the others: close them now,
            # or the test database cannot be dropped at the end of the run.
            from django.db import connections

            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class BrowserSession:
    """Pages of one test, with what they asked for and what went wrong."""

    browser: object
    server: WebServer
    screenshots: Path
    name: str
    requests: list = field(default_factory=list)
    outside_requests: list = field(default_factory=list)
    csp_violations: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    contexts: list = field(default_factory=list)
    _shots: int = 0

    def page(self, path: str = "/", *, lang: str = "en", phone: bool = False, **context_options):
        """A new page in a fresh context (no cookies), in English or Greek, on a desktop or a phone, opened at path;
        context_options go to Playwright's new_context (geolocation, permissions ...)."""
        options = {**(PHONE if phone else DESKTOP), **context_options}
        context = self.browser.new_context(base_url=self.server.url, locale=LOCALES[lang], **options)
        self.contexts.append(context)
        context.set_default_timeout(15_000)
        context.on("request", lambda req: self.requests.append(req.url))
        context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://.*"), self._refuse)
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.pages.append(page)
        if path is not None:
            page.goto(path)
        return page

    def _refuse(self, route):
        self.outside_requests.append(route.request.url)
        route.abort("blockedbyclient")

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text:
            self.csp_violations.append(text)
        elif message.type == "error":
            self.console_errors.append(text)

    def screenshot(self, page, label: str) -> Path:
        self._shots += 1
        path = self.screenshots / f"{self.name}-{self._shots:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def requests_leaving_localhost(self) -> list[str]:
        outside = [url for url in self.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                   and urlsplit(url).hostname != LOCAL_HOST]
        return sorted(set(outside + self.outside_requests))

    def assert_clean(self) -> None:
        assert self.requests_leaving_localhost() == [], "requests left 127.0.0.1"
        assert self.csp_violations == [], "the page broke the Content-Security-Policy"
        assert self.page_errors == [], "a script failed"

    def close(self, *, screenshots: bool = True) -> None:
        for page in self.pages if screenshots else ():
            if not page.is_closed():
                try:
                    self.screenshot(page, "end")
                except Exception:  # a page that crashed has nothing to show; the assertions say why
                    pass
        for context in self.contexts:
            context.close()


@pytest.fixture
def web(request, browser, web_server, browser_screenshots):
    """Open pages with web.page(path, lang=..., phone=...); afterwards the test fails if a request left 127.0.0.1, the
    CSP was broken or a script failed. The pages are screenshotted when the test failed (every test's pages with
    BROWSER_SCREENSHOTS_ALL=1): a full-page screenshot of a map costs about a second."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)[:80]
    session = BrowserSession(browser=browser, server=web_server, screenshots=browser_screenshots, name=name)
    yield session
    failed = request.node.stash.get(_failed_key, False)
    session.close(screenshots=failed or os.environ.get("BROWSER_SCREENSHOTS_ALL") == "1")
    session.assert_clean()


# --- accessibility ---------------------------------------------------------------------------


def accessibility_violations(page, impacts=AXE_FAILING_IMPACTS) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of the page as it stands (run it once the page has drawn what it draws),
    those of the given impacts. axe is evaluated through the browser's debugging protocol rather than added as a
    <script> tag, which the site's Content-Security-Policy would rightly refuse; the page's own scripts are not
    touched."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT.relative_to(PROJECT_ROOT)} is missing: `make browser` installs axe-core "
                    "(npm ci in tests/support/axe)", pytrace=False)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                            AXE_RULE_TAGS)
    return [v for v in results["violations"] if v["impact"] in impacts]


def assert_accessible(page, context: str = "") -> None:
    """Fails, listing each serious or critical WCAG 2.1 A/AA violation axe-core finds on the page (its rule, impact,
    the elements at fault as CSS selectors and what to fix), so that a developer can fix them."""
    violations = accessibility_violations(page)
    if violations:
        where = f"{context} ({page.url})" if context else page.url
        pytest.fail(f"{where}: {len(violations)} serious or critical WCAG 2.1 AA violation(s)\n"
                    + "\n".join(describe_violation(v) for v in violations), pytrace=False)


def describe_violation(violation: dict, most: int = 8) -> str:
    """One violation as a developer reads it: rule, impact, what it asks, and each element with axe's summary."""
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}"]
    for node in violation["nodes"][:most]:
        target = " ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
        summary = " ".join(node.get("failureSummary", "").split())
        summary = summary.removeprefix("Fix any of the following: ").removeprefix("Fix all of the following: ")
        lines.append(f"    {target}: {summary[:300]}")
    if len(violation["nodes"]) > most:
        lines.append(f"    ... and {len(violation['nodes']) - most} more element(s)")
    return "\n".join(lines)


@functools.cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")
