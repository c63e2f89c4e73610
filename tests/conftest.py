"""The fixtures shared by the test modules, and the markers that skip a test whose need is absent.

Markers (registered in pyproject.toml; ``-m "not browser"`` and the like select the rest):

* ``shared``: needs ../shared beside the checkout (``paths.needs_shared``).
* ``postgres``: needs the PostgreSQL server named by ``LUOSHI_TEST_PG`` (``.ci/run`` starts one);
  the ``postgresql`` parameter of ``store_support.BACKENDS`` carries it.
* ``browser``: drives Debian's Chromium; every test using the ``browser`` fixture (so
  ``page_as``) gets it here.  Without ``/usr/bin/chromium`` it is skipped, or fails when ``CI``
  is set: CI must run the browser tests.

Fixtures, and why their scope:

* ``backend`` (each test): an empty database, once per backend.
* ``loaded`` (module, per backend): the sample and three small real reports, imported once per
  session into a template that each module gets a copy of (a module may not see another's
  writes; the import is the cost, the copy is not).
* ``web_db``, ``web_app`` (module), ``client_for`` (each test): the web app on a copy of a
  session's database with the reports and one user per role (``web_support.make_db``);
  ``WEB_REPORTS = "sample"`` in a module gives the sample alone.  ``web_copy(reports)`` (each
  test): a copy of its own, for a test that changes it.
* ``browser``, ``live_server`` (module), ``page_as`` (each test): see ``browser_support``.
  Chromium stays per module: while Playwright's sync API runs, the main thread has an event loop
  marked running, which ``asyncio.run`` in later modules would refuse.
"""

from __future__ import annotations

import os

import pytest

from browser_support import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, LiveServer, Tab
from luoshi import importing, store
from luoshi.serve import create_app
from paths import CORPUS, SAMPLE, SHARED
from store_support import BACKENDS, PG_URL, fresh_pg, fresh_url, report_files
from web_support import PAIR, REPORTS, copy_db, make_db, signed_in_clients

NEEDS = {  # marker: (is its need met, why a test carrying it is skipped)
    "shared": (SHARED.exists(), f"../shared is not beside the checkout ({SHARED})"),
    "postgres": (bool(PG_URL), "LUOSHI_TEST_PG is not set (.ci/run starts a PostgreSQL server)"),
    "browser": (
        CHROMIUM.exists(),
        f"{CHROMIUM} is missing (Debian: apt-get install chromium; never `playwright install`)",
    ),
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The browser marker by fixture use; a skip, with its reason, where a marker's need is absent."""
    unmet = {name: why for name, (met, why) in NEEDS.items() if not met}
    if os.environ.get("CI"):
        unmet.pop("browser", None)  # pytest_runtest_setup fails those tests instead
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        why = next((why for name, why in unmet.items() if item.get_closest_marker(name)), None)
        if why:
            item.add_marker(pytest.mark.skip(reason=why))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if os.environ.get("CI") and item.get_closest_marker("browser") and not NEEDS["browser"][0]:
        pytest.fail(f"CI must run the browser tests: {NEEDS['browser'][1]}", pytrace=False)


# --- the store ----------------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path) -> str:
    """An empty database URL or path, once per backend."""
    return fresh_url(request.param, tmp_path)


@pytest.fixture(scope="session")
def loaded_template(tmp_path_factory):
    """``loaded_template(kind)``: (the template database's path or name, files), made once."""
    made = {}

    def template(kind: str):
        if kind not in made:
            folder = tmp_path_factory.mktemp("loaded-template")
            files = report_files(folder / "reports")
            name = "luoshi_loaded_template"
            db = store.connect(fresh_pg(name) if kind == "postgresql" else folder / "luoshi.db")
            try:
                report = importing.import_paths(db, [folder / "reports"], workers=1)
            finally:
                db.close()
            assert report.count("imported") == len(files), report.results
            made[kind] = (name if kind == "postgresql" else folder / "luoshi.db", files)
        return made[kind]

    return template


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(request, loaded_template, tmp_path_factory):
    """(database, files): the sample and the small real reports, a copy for this module."""
    source, files = loaded_template(request.param)
    if request.param == "postgresql":
        db = store.connect(fresh_pg("luoshi_" + request.module.__name__, template=source))
    else:
        db = copy_db(source, tmp_path_factory.mktemp("loaded"))
    yield db, files
    db.close()


# --- the web app --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def web_template(tmp_path_factory):
    """``web_template(reports)``: the path of a closed SQLite file holding ``reports`` (one of
    ``web_support.REPORTS``) and one user per role, made once per session."""
    made = {}

    def template(reports: str = REPORTS[0]):
        assert reports in REPORTS, f"WEB_REPORTS is one of {REPORTS}, not {reports!r}"
        if reports not in made:
            path = tmp_path_factory.mktemp("web-template") / "web.db"
            make_db(path, files=None if reports == "sample+pair" else [SAMPLE]).close()
            made[reports] = path
        return made[reports]

    return template


def module_reports(request) -> str:
    return getattr(request.module, "WEB_REPORTS", REPORTS[0])


@pytest.fixture(scope="module")
def web_db(request, web_template, tmp_path_factory):
    """This module's copy of the web database (its ``WEB_REPORTS``, else the sample and the pair)."""
    database = copy_db(web_template(module_reports(request)), tmp_path_factory.mktemp("web"))
    yield database
    database.close()


@pytest.fixture(scope="module")
def web_app(web_db):
    return create_app(web_db)


@pytest.fixture
def client_for(web_app):
    """``client_for(role)``: a TestClient signed in as ``role`` (``None``: not signed in); its
    ``csrf`` attribute holds the session's token."""
    with signed_in_clients(web_app) as make:
        yield make


@pytest.fixture
def web_copy(web_template, tmp_path):
    """``web_copy(reports)``: a web database of this test's own (closed after it)."""
    opened = []

    def make(reports: str = REPORTS[0]):
        opened.append(copy_db(web_template(reports), tmp_path / f"web-{len(opened)}"))
        return opened[-1]

    yield make
    for database in opened:
        database.close()


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_server(request, web_template, tmp_path_factory):
    reports = module_reports(request)
    missing = [name for name in PAIR if not (CORPUS / name).exists()] if reports == "sample+pair" else []
    if missing:
        pytest.skip(f"the browser tests need {', '.join(missing)} in {CORPUS}")
    database = copy_db(web_template(reports), tmp_path_factory.mktemp("browser"))
    server = LiveServer(database)
    docs = {d["name"]: d for d in store.list_documents(database)}
    first = docs[PAIR[0]] if reports == "sample+pair" else next(iter(docs.values()))
    server.reader_id, server.plan_year, server.region = first["id"], first["year"], first["region"]
    server.start()
    try:
        yield server
    finally:
        server.stop()
        database.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
    except Exception:
        playwright.stop()
        raise
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture
def page_as(browser, live_server, request):
    """``page_as(role)``: a new :class:`Tab` signed in as ``role`` (closed after the test; when
    the test fails, each tab's last view is saved as ``<test name>-failed-<n>.png``)."""
    tabs: list[Tab] = []
    failures = request.session.testsfailed

    def open_tab(role: str | None = "viewer") -> Tab:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        tab = Tab(context, live_server.url, request.node.name)
        tabs.append(tab)
        if role is not None:
            tab.sign_in(role)
        return tab

    yield open_tab
    failed = request.session.testsfailed > failures  # tests run one at a time: this one failed
    for n, tab in enumerate(tabs, 1):
        if failed:
            try:
                tab.shot(f"failed-{n}", full_page=False)
            except Exception:  # noqa: BLE001 - a closed or crashed page: nothing to keep
                pass
        tab.context.close()
