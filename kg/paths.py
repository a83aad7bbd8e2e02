"""Where the project's folders are. The only module that knows; it does no I/O."""
from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "DATA", "DOCUMENTS", "ONTOLOGY_DIR", "EXPORTS", "QUERIES"]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
DOCUMENTS = DATA / "documents"
ONTOLOGY_DIR = ROOT / "ontology"
EXPORTS = ROOT / "exports"
QUERIES = Path(__file__).resolve().parent / "graph" / "queries"
