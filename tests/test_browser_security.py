"""The Content-Security-Policy in a real browser (issue 14, item 10): every page, the API page
with its vendored Swagger UI, the printable tracking sheet and the corrections list work with
no console error (Chromium reports each CSP refusal as one)."""

from __future__ import annotations

from playwright.sync_api import expect

from paths import needs_shared

pytestmark = needs_shared  # the live server holds the Zhejiang pair of ../shared/corpus


def test_the_api_page_renders_swagger_ui_from_the_package(page_as):
    tab = page_as("viewer")
    outside: list[str] = []
    tab.page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith(tab.base_url) and not r.url.startswith("data:") else None
        ),
    )
    tab.goto("/docs")
    expect(tab.page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert tab.page.locator(".swagger-ui .opblock").count() > 10
    tab.shot("docs")
    assert outside == [], outside
    tab.assert_no_js_errors()


def test_every_page_works_under_the_policy(page_as, live_server):
    tab = page_as("admin")
    for path in (
        "/",
        "/records",
        f"/documents/{live_server.reader_id}",
        f"/scorecard?year={live_server.plan_year}",
        "/compare",
        "/corrections",
        "/tracking",
        "/tracking/units",
        "/tracking/report",
        "/admin/users",
        "/admin/audit",
    ):
        tab.goto(path)
    tab.page.wait_for_timeout(300)
    tab.assert_no_js_errors()


def test_the_print_button_needs_no_inline_handler(page_as):
    tab = page_as("viewer")
    tab.goto("/tracking/report")
    tab.page.evaluate("window.print = () => { window.__printed = 1; }")
    tab.page.click("#print")
    assert tab.page.evaluate("window.__printed") == 1
    tab.assert_no_js_errors()
