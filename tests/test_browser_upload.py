"""Adding a report in a real browser: an editor chooses a file, sees the upload's progress, and
lands in the new report's reader; the same file again says which stored report holds it."""

from __future__ import annotations

from playwright.sync_api import expect

from paths import CORPUS, needs_shared

pytestmark = needs_shared  # the live server holds the Zhejiang pair of ../shared/corpus


def test_an_editor_adds_a_report_and_reads_it(page_as, tmp_path):
    source = CORPUS / "gansu-2025-gwr.txt"
    chosen = tmp_path / "甘肃省2025年政府工作报告.txt"
    chosen.write_bytes(source.read_bytes())
    tab = page_as("editor")
    tab.page.set_viewport_size({"width": 390, "height": 844})
    tab.goto("/")
    tab.page.click("header.top .menu-toggle")
    with tab.page.expect_navigation():
        tab.page.click("#add-report")
    assert tab.page.locator("h1").inner_text() == "添加报告"
    tab.page.set_input_files("#upload-form input[type=file]", str(chosen))
    expect(tab.page.locator("#chosen")).to_contain_text("甘肃省2025年政府工作报告.txt")
    with tab.page.expect_navigation(timeout=60_000):
        tab.page.click("#upload-form button[type=submit]")
    assert "/documents/" in tab.page.url
    expect(tab.page.locator("#text mark.rec").first).to_be_visible()
    assert tab.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    tab.goto("/documents/new")
    tab.page.set_input_files("#upload-form input[type=file]", str(chosen))
    tab.page.click("#upload-form button[type=submit]")
    error = tab.page.locator("#upload-error")
    expect(error).to_be_visible(timeout=30_000)
    expect(error).to_contain_text("与已存储的报告《甘肃省2025年政府工作报告.txt》内容相同")
    expect(error.locator("a")).to_have_text("打开已存储的报告")
    tab.shot("duplicate")
    # Chromium logs the expected 409 answer itself as a console error; nothing else may be there
    tab.errors = [e for e in tab.errors if "status of 409 (Conflict)" not in e]
    tab.assert_no_js_errors()


def test_a_report_over_the_limit_is_refused_before_it_is_sent(page_as, tmp_path, monkeypatch):
    """The page's script says what `luoshi import` says of a file over the limit, in Chinese,
    with the file's name, and sends nothing (the server would refuse it with a 413 that says
    the same)."""
    monkeypatch.setenv("LUOSHI_MAX_BYTES", "100000")  # the live server runs in this process
    chosen = tmp_path / "大报告.txt"
    chosen.write_bytes("报告".encode() * 40_000)  # 240,000 bytes
    tab = page_as("editor")
    tab.goto("/documents/new")
    sent = []
    tab.page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    tab.page.set_input_files("#upload-form input[type=file]", str(chosen))
    tab.page.click("#upload-form button[type=submit]")
    error = tab.page.locator("#upload-error")
    expect(error).to_be_visible()
    expect(error).to_have_text("大报告.txt：文件大小 0.2 MB，超过 100,000 字节 的上限")
    tab.shot("too-large")
    assert sent == [] and "/documents/new" in tab.page.url
    tab.assert_no_js_errors()
