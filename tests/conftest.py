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


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    """Gold annotations by document file name."""
    return {p.stem + ".txt": json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}


@pytest.fixture(scope="session")
def corpus_docs() -> list[Path]:
    return sorted(DOCUMENTS.glob("*.txt"))


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
