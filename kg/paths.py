"""Where the project's files are. The only module that knows.

Bundled files (reference tables, sample documents, ontology, queries, page assets) are package
data, found through :mod:`importlib.resources`, so they travel with every kind of install
(editable, wheel, sdist, pipx). Outputs go under the current directory, never next to the code.

>>> (DATA / "functions.csv").is_file(), EXPORTS
(True, PosixPath('exports'))
"""
from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

__all__ = ["DATA", "DOCUMENTS", "ONTOLOGY_DIR", "EXPORTS", "QUERIES", "STATIC", "REFERENCE_ENV",
           "reference_dir"]


def _folder(package: str) -> Path:
    """The folder of an installed package (plain files: pip never installs kg zipped)."""
    return Path(str(files(package)))


DATA = _folder("kg.data")
DOCUMENTS = DATA / "documents"
ONTOLOGY_DIR = _folder("kg.ontology")
QUERIES = _folder("kg.graph") / "queries"
STATIC = _folder("kg.present") / "static"
EXPORTS = Path("exports")  # relative: under the directory the command runs in
REFERENCE_ENV = "KG_REFERENCE"


def reference_dir() -> Path:
    """The reference tables in use: ``$KG_REFERENCE`` when set (``kg --reference DIR`` sets it),
    else the bundled ones."""
    chosen = os.environ.get(REFERENCE_ENV, "").strip()
    return Path(chosen) if chosen else DATA
