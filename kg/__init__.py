"""Responsibility knowledge graph: who is responsible for what in Chinese policy documents.

Nothing runs at import time; the public entry points import their modules lazily.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.model import DocumentExtraction

__version__ = "0.1.0"
__all__ = ["__version__", "extract"]


def extract(path: str | Path) -> DocumentExtraction:
    """Extract one document: see :func:`kg.extract.pipeline.extract`."""
    from kg.extract.pipeline import extract as _extract

    return _extract(path)
