"""File names as text and as derived file names, whatever bytes the input's name holds.

Linux allows any bytes but ``/`` and NUL in a name, up to 255 bytes. Python hands names that
are not UTF-8 over with surrogate escapes, which cannot be written to a terminal, a JSON file
or an RDF literal; and an input name near the limit cannot take the suffix of a derived file.
Every name therefore goes through here once: :func:`display_name` for text, :func:`derived_name`
for files named after an input.
"""
from __future__ import annotations

import hashlib
import os

__all__ = ["display_name", "derived_name", "MAX_DERIVED_BYTES"]

MAX_DERIVED_BYTES = 200  # with room for a writer's temporary prefix and suffix under NAME_MAX (255)


def display_name(name: str) -> str:
    r"""The name as valid text: each byte that is not UTF-8 shown as ``\xNN``, the rest unchanged.

    Two names that differ in their bytes stay different.

    >>> display_name("plan.txt"), display_name(os.fsdecode(b"p\xe9.txt"))
    ('plan.txt', 'p\\xe9.txt')
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def derived_name(name: str, suffix: str) -> str:
    """A file name for something derived from the input ``name``: ``name + suffix`` when it fits,
    else a prefix cut on a character boundary, ``~`` and a hash of the whole name.

    >>> derived_name("plan.txt", ".json")
    'plan.txt.json'
    >>> long = derived_name("规" * 90 + ".txt", ".json")
    >>> len(long.encode()) <= MAX_DERIVED_BYTES, long.startswith("规规"), long.endswith(".json")
    (True, True, True)
    """
    shown = display_name(name)
    whole = shown + suffix
    if len(whole.encode("utf-8")) <= MAX_DERIVED_BYTES:
        return whole
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:16]
    room = MAX_DERIVED_BYTES - len(suffix.encode("utf-8")) - len(digest) - 1
    prefix = shown.encode("utf-8")[:room].decode("utf-8", "ignore")
    return f"{prefix}~{digest}{suffix}"
