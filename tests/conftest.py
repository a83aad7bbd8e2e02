"""Shared fixtures: the bundled corpus, the gold files copied from the annotation project."""
from __future__ import annotations

import fcntl
import json
import os
import random
import resource
import shutil
from pathlib import Path
from typing import Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "data" / "documents"
GOLD = Path(__file__).resolve().parent / "gold"
HOSTILE = Path(__file__).resolve().parent / "data" / "bad" / "<img src=x onerror=window.kgPwned=9>.txt"


def pytest_configure(config: pytest.Config) -> None:
    """Under xdist, every worker gets the same (random) hash seed, as every test of a one-process
    run shares its process's: a build made in one worker and compared with a build made in
    another then differs only where their inputs or options differ. Set before the workers
    start; tests that compare hash seeds pass their own PYTHONHASHSEED to a subprocess."""
    workers = getattr(config.option, "numprocesses", None)
    if workers and "PYTEST_XDIST_WORKER" not in os.environ and "PYTHONHASHSEED" not in os.environ:
        os.environ["PYTHONHASHSEED"] = str(random.randint(5, 2**32 - 1))  # 1-4: the seeds tests pick
    _steal_work(config, workers)


def _steal_work(config: pytest.Config, workers: object) -> None:
    """Under ``-n`` without an explicit ``--dist``: ``worksteal`` rather than xdist's ``load``. Our
    tests take from a hundredth of a second to fifteen seconds; an idle worker then takes tests
    from a busy one instead of waiting for its batch to end. (Here, not in setup.cfg's addopts,
    so that ``-p no:xdist`` still runs.)"""
    explicit = any(arg == "-d" or arg.startswith("--dist") for arg in config.invocation_params.args)
    if workers and not explicit and getattr(config.option, "dist", "no") in ("no", "load"):
        config.option.dist = "worksteal"


CPU_LOG = "KG_TEST_CPU_LOG"  # benchmarks/bench_tests.py sets it: one line per test, its CPU seconds


def _cpu_seconds() -> float:
    """User + system seconds of this process and of every child it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    """With ``KG_TEST_CPU_LOG`` set, append ``seconds<TAB>test id`` for every test (setup, call and
    teardown, so a shared build counts for the test that first asked for it): CPU seconds, unlike
    --durations, do not depend on how busy the machine is."""
    log = os.environ.get(CPU_LOG)
    start = _cpu_seconds() if log else 0.0
    yield
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{_cpu_seconds() - start:.2f}\t{item.nodeid}\n")


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    """Gold annotations by document file name."""
    return {p.stem + ".txt": json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}


@pytest.fixture(scope="session")
def corpus_docs() -> list[Path]:
    return sorted(DOCUMENTS.glob("*.txt"))


def _build(args: list[str], stream: str = "stdout") -> str:
    """``kg build ARGS`` by the real CLI (in this process); what it printed on ``stream``."""
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["build", *args])
    assert result.exit_code == 0, result.output
    return str(getattr(result, stream))


def _once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], str]) -> tuple[Path, str]:
    """``make(folder)`` once per test run, shared by every xdist worker: the first worker to ask
    makes it under a lock in the run's common temporary folder, the others wait and read it
    (tests only read shared builds). Without xdist: once per session. (folder, make's text)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = factory.mktemp(name)
        return folder, make(folder)
    root = factory.getbasetemp().parent  # one folder per run, shared by its workers
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a half-made folder of a worker that failed
            folder.mkdir()
            text = make(folder)
            done.write_text(text, encoding="utf-8")
    return folder, done.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One build of the bundled corpus for the whole run, made by the real CLI with two extraction
    workers (tests/test_scale.py compares it with a serial build): (export folder, what the
    build printed on standard output)."""
    return _once(tmp_path_factory, "exports", lambda out: _build([str(DOCUMENTS), "--out", str(out), "--jobs", "2"]))


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
    return _once(tmp_path_factory, "exports_one", lambda out: _build([str(DOCUMENTS / RICHEST), "--out", str(out)]))[0]


@pytest.fixture(scope="session")
def built_tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One build of the tiny plan of tests/kg_tiny.py: (folder with docs/plan.txt and out/, what
    the build printed on standard error). Tests only read it (copy ``out`` to change it)."""
    from kg_tiny import write_plan

    def make(folder: Path) -> str:
        return _build([str(write_plan(folder / "docs").parent), "--out", str(folder / "out")], "stderr")

    return _once(tmp_path_factory, "tiny", make)


def other_hash_seed() -> str:
    """A ``PYTHONHASHSEED`` for a subprocess that differs from this process's, so that comparing
    what the two wrote shows whether the output depends on the hash seed (one subprocess instead of
    two: this process is the other run)."""
    return "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"


def copy_export(source: Path, target: Path) -> Path:
    """A private copy of a shared export folder (store included), safe to change."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".kg-build.lock"))
    return target


@pytest.fixture(scope="session")
def built_with_hostile(tmp_path_factory: pytest.TempPathFactory, corpus_docs: list[Path],
                       built_run: tuple[Path, str]) -> tuple[Path, Path]:
    """One build of the corpus plus the hostile-text document, for the page tests:
    (documents folder, export folder). Tests only read it. It adds the document to a copy of the
    shared corpus build, so only that document is extracted (an incremental build writes what a
    fresh one writes: tests/test_scale.py, tests/test_build_outputs.py)."""
    def make(folder: Path) -> str:
        docs = folder / "docs"
        docs.mkdir()
        for path in corpus_docs + [HOSTILE]:
            shutil.copy(path, docs / path.name)
        out = copy_export(built_run[0], folder / "out")  # built_run: page tests name their own "built"
        text = _build([str(docs), "--out", str(out)], "stderr")
        assert "built 1, unchanged 5, removed 0" in text, text
        return text

    folder, _ = _once(tmp_path_factory, "hostile", make)
    return folder / "docs", folder / "out"


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
