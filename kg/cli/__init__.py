"""The ``kg`` command: a thin layer over the library, one module per stage of commands.

:mod:`kg.cli.common` holds the group and what commands share; importing the command modules
registers their commands on it. Imports inside commands are lazy, so ``kg --help`` is fast.
"""
from __future__ import annotations

from kg.cli import building, querying, reference, reporting  # noqa: F401 - each registers its commands
from kg.cli.common import cli

__all__ = ["cli"]
