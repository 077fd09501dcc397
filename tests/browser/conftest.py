"""Fixtures of the browser tests: exports served on 127.0.0.1, one headless Chromium for the
whole session, and the checkers from node_modules (axe-core, the W3C Nu checker).

Outside CI a missing Chromium, Java or node_modules skips these tests; in CI they fail.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from reader_support import (AXE, CHROMIUM_ARGS, CLS_INIT, DEVICES, VNU, LocalServer, Watch,
                            build_site, node_module)
from support import require_tool, unavailable

@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The sample story, the hostile-caption story and the sample with WebP, exported side
    by side, each with host pages around its embed.html; plus a page with two embeds."""
    return build_site(tmp_path_factory.mktemp("site"), tmp_path_factory.mktemp("scratch"))


@pytest.fixture(scope="session")
def server(site):
    local = LocalServer(site.root)
    yield local
    local.close()


@pytest.fixture(scope="session")
def browser():
    executable = require_tool("chromium", "chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, server):
    """open_page(url, device="desktop", javascript=True) -> (page, watch)."""
    contexts = []

    def open_(url: str, device: str = "desktop", javascript: bool = True, wait: str = "load"):
        context = browser.new_context(**DEVICES[device], java_script_enabled=javascript,
                                      service_workers="block")
        context.add_init_script(CLS_INIT)
        contexts.append(context)
        page = context.new_page()
        watch = Watch(page, server.base)
        page.goto(url, wait_until=wait)
        return page, watch

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_source():
    return node_module(AXE).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_messages(site):
    """The Nu checker's messages for every page a reader or host gets, by file path."""
    java = require_tool("java")
    jar = node_module(VNU)
    pages = sorted([str(p) for e in site.exports.values()
                    for p in (e.folder / "index.html", e.folder / "host-plain.html",
                              e.folder / "host-hostile.html")]
                   + [str(site.root / "two-stories.html")])
    control = site.root / "control-invalid.html"  # proves the checker is really checking
    control.write_text("<!DOCTYPE html><html lang=en><head><title>x</title></head>"
                       "<body><p><div></p><img src=a.jpg></body></html>", encoding="utf-8")
    run = subprocess.run([java, "-jar", str(jar), "--format", "json", "--exit-zero-always",
                          *pages, str(control)], capture_output=True, text=True, timeout=300)
    report = json.loads(run.stderr or run.stdout)
    by_file: dict[str, list[dict]] = {page: [] for page in pages + [str(control)]}
    for message in report["messages"]:
        path = message.get("url", "").removeprefix("file:")
        assert path in by_file, message  # every message is about a page we checked
        by_file[path].append(message)
    assert any(m.get("type") == "error" for m in by_file.pop(str(control))), report
    return by_file
