"""Shared fixtures: the bundled corpus, the gold files copied from the annotation project."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "data" / "documents"
GOLD = Path(__file__).resolve().parent / "gold"
HOSTILE = Path(__file__).resolve().parent / "data" / "bad" / "<img src=x onerror=window.kgPwned=9>.txt"


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    """Gold annotations by document file name."""
    return {p.stem + ".txt": json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}


@pytest.fixture(scope="session")
def corpus_docs() -> list[Path]:
    return sorted(DOCUMENTS.glob("*.txt"))


@pytest.fixture(scope="session")
def built_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One build of the bundled corpus for the whole run (for each xdist worker), made by the real
    CLI, with two extraction workers (tests/test_scale.py compares it with a serial build):
    (export folder, what the build printed on standard output)."""
    from click.testing import CliRunner

    from kg.cli import cli

    out = tmp_path_factory.mktemp("exports")
    result = CliRunner().invoke(cli, ["build", str(DOCUMENTS), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return out, result.stdout


@pytest.fixture(scope="session")
def built(built_run: tuple[Path, str]) -> Path:
    """The export folder of the shared corpus build. Tests only read it; a test that builds on top
    of a build of the corpus starts from a copy (:func:`copy_export`) instead of building again."""
    return built_run[0]


RICHEST = "000_4f8aafbd3b2270d0.txt"  # the one sample with co-leads, pre-reform agencies and a group


@pytest.fixture(scope="session")
def built_one(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of the sample document that gives rows to every bundled query, for tests whose
    point is not the whole corpus (a store compared with another, a graph validated). Tests only
    read it (a test that changes it copies the folder first, see :func:`copy_export`)."""
    from click.testing import CliRunner

    from kg.cli import cli

    out = tmp_path_factory.mktemp("exports_one")
    result = CliRunner().invoke(cli, ["build", str(DOCUMENTS / RICHEST), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def copy_export(source: Path, target: Path) -> Path:
    """A private copy of a shared export folder (store included), safe to change."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".kg-build.lock"))
    return target


@pytest.fixture(scope="session")
def built_with_hostile(tmp_path_factory: pytest.TempPathFactory, corpus_docs: list[Path]) -> tuple[Path, Path]:
    """One build of the corpus plus the hostile-text document, for the page tests:
    (documents folder, export folder). Tests only read it."""
    from click.testing import CliRunner

    from kg.cli import cli

    docs = tmp_path_factory.mktemp("docs_hostile")
    for path in corpus_docs + [HOSTILE]:
        shutil.copy(path, docs / path.name)
    out = tmp_path_factory.mktemp("exports_hostile")
    result = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return docs, out


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled documents, safe to modify."""
    folder = tmp_path / "docs"
    shutil.copytree(DOCUMENTS, folder)
    return folder


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI (.ci/run installs the Debian package 'chromium')")
        pytest.skip("headless Chromium not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    """Headless Chromium driven by Playwright (the system binary; nothing downloaded)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield launched
        launched.close()


@pytest.fixture()
def offline_page(browser):
    """A page with the network disabled; console errors, page errors and requests recorded."""
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.kg_errors, page.kg_requests = [], []
    page.on("console", lambda m: page.kg_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.kg_errors.append(str(e)))
    page.on("request", lambda r: page.kg_requests.append(r.url))
    yield page
    context.close()
