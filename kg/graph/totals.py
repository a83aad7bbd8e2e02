"""Corpus burden totals per agency, kept by the build beside the store so that ``kg sparql burden``
and ``kg report burden`` read one small file instead of summing every load on disk.

Summing the per-document loads (:mod:`kg.graph.loads`) is cheap; reading them is not: on a disk
store each long term (an agency's IRI, its name) costs a look-up when it leaves the engine, so a
million quads take 0.3 s of engine time before a row is printed. The totals hold, per agency, what
both commands print: for ``kg sparql burden`` the very TSV rows ``burden.rq`` answers (its sums,
its ``ROUND``, its order; :func:`sparql_lines`), for ``kg report burden`` the exact sums the report
computes from (:func:`report_rows`). They are made from the store after a build; a state file
(``store``) vouches for them: the *state* of the store's files they were made from
(:func:`store_state`: names, sizes and modification times; any write to the store, by a build, an
update or another program, changes it) and the digest of each file. A reader uses a file only
while both hold, and otherwise answers the exact way: stale totals are never read. The files
themselves hold nothing that depends on when they were made (the same store gives the same
bytes); only the state file does, as the store's own files do. Each document's loads are kept
too (``documents.records``, JSON, by the document graph's fingerprint), so a build reads again
only the documents it changed.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

__all__ = ["FOLDER", "STATE", "read_state", "digest", "Record", "Agent", "store_state", "sum_records", "Total",
           "sparql_lines", "report_rows",
           "credit_units", "rounded_decimal"]

FOLDER = Path(".kg-cache") / "burden"  # in the export folder
STATE = "store"  # the state file: the store's state the totals are valid for, and each file's digest
VERSION = "1"  # what the files mean; a change makes every older file stale
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_SCALE = 10 ** 18  # xsd:decimal in Oxigraph: 18 decimal places
_ZERO = Fraction(0)


def store_state(out: Path) -> str:
    """A digest of the store's files (name, size, modification time; RocksDB's info logs left out)
    and of what the totals mean: it changes whenever anything writes to the store.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); (folder / "store").mkdir()
    >>> before = store_state(folder); _ = (folder / "store" / "000001.log").write_bytes(b"x")
    >>> before == store_state(folder), len(before)
    (False, 64)
    """
    digest = hashlib.sha256(f"{VERSION}\n{_queries_digest()}".encode())
    with os.scandir(out / "store") as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if not entry.name.startswith("LOG"):
                info = entry.stat()
                digest.update(f"\n{entry.name}\t{info.st_size}\t{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def forget(out: Path) -> None:
    """Remove the totals of ``out`` (before something writes its store by other means than a
    build; the state check would refuse them anyway, this leaves nothing stale behind)."""
    import shutil

    shutil.rmtree(out / FOLDER, ignore_errors=True)


def read_state(out: Path) -> tuple[str | None, dict[str, str]]:
    """The state the totals in ``out`` are valid for, and the digest of each of their files
    (None and nothing when there is no state file)."""
    try:
        lines = (out / FOLDER / STATE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None, {}
    return (lines[0] if lines else None), {name: value for name, _, value in (line.partition(" ") for line in lines[1:])}


def digest(text: str) -> str:
    """A file's digest, as the state file records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _queries_digest() -> str:
    """The bundled queries the totals stand for or are read with (a changed query: new totals)."""
    from kg.graph.query_source import query_text

    names = ("burden", "totals_loads", "totals_domains", "totals_documents", "totals_agents")
    return hashlib.sha256("".join(query_text(n) for n in names).encode()).hexdigest()


Load = list[Any]  # agency, tasks, lead, support, responsible, 3 shares ("1/2"), credit (decimal text), combinations


@dataclass
class Record:
    """One document's loads, as its graph with this fingerprint holds them."""

    graph: str
    fingerprint: str
    assigned: int
    loads: list[Load] = field(default_factory=list)


@dataclass(frozen=True)
class Agent:
    """How an agency is named: the TSV cells ``burden.rq`` prints, and their values."""

    name_cell: str
    function_cell: str
    name: str
    function: str
    collective: bool


@dataclass
class Total:
    """One agency's sums over every document."""

    tasks: int = 0
    documents: int = 0
    counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    shares: list[Fraction] = field(default_factory=lambda: [_ZERO] * 3)
    units: int = 0  # the default-weight credit in 10⁻¹⁸, as SPARQL sums the loads' decimals
    domains: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def sum_records(records: dict[str, Record]) -> dict[str, Total]:
    """Agency → its totals over ``records``.

    >>> r = Record("g", "f", 2, [["a", 2, 1, 1, 0, "1/2", "1", "0", "1", ["1 jobs"]]])
    >>> s = Record("h", "f", 1, [["a", 1, 1, 0, 0, "1/3", "0", "0", "0.333333333333333333", ["1 jobs"]]])
    >>> t = sum_records({"d1": r, "d2": s})["a"]
    >>> t.tasks, t.documents, t.counts, t.shares[0], t.units, dict(t.domains)
    (3, 2, [2, 1, 0], Fraction(5, 6), 1333333333333333333, {'jobs': 2})
    """
    totals: dict[str, Total] = defaultdict(Total)
    sums: dict[tuple[str, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))  # (agency, role) → d → Σ n
    ratios, units = _Ratios(), _Units()
    for record in records.values():
        for agency, tasks, lead, support, responsible, *shares, credit, combinations in record.loads:
            total = totals[agency]
            total.tasks += tasks
            total.documents += 1
            counts = total.counts
            counts[0], counts[1], counts[2] = counts[0] + lead, counts[1] + support, counts[2] + responsible
            for role, share in enumerate(shares):
                if share != "0":
                    numerator, denominator = ratios[share]
                    sums[agency, role][denominator] += numerator  # summed per denominator, added up once
            total.units += units[credit]
            for combination in combinations:
                count, _, keys = combination.partition(" ")
                total.domains[keys] += int(count)
    for (agency, role), parts in sums.items():
        totals[agency].shares[role] = fraction_sum(parts)
    return dict(totals)


def fraction_sum(parts: dict[int, int]) -> Fraction:
    """Σ n/d over {d: n}, in integers over the least common denominator, reduced once (a sum of
    Fractions reduces at every step: most of the time of summing shares).

    >>> fraction_sum({2: 1, 3: 2}), fraction_sum({1: 0})
    (Fraction(7, 6), Fraction(0, 1))
    """
    common = math.lcm(*parts)
    return Fraction(sum(n * (common // d) for d, n in parts.items()), common)


class _Ratios(dict[str, tuple[int, int]]):
    """An owl:rational lexical form ("3/2") as (numerator, denominator), each parsed once."""

    def __missing__(self, text: str) -> tuple[int, int]:
        value = self[text] = Fraction(text).as_integer_ratio()
        return value


class _Units(dict[str, int]):
    """A decimal lexical form in units of 10⁻¹⁸, each parsed once."""

    def __missing__(self, text: str) -> int:
        value = self[text] = credit_units(text)
        return value


def credit_units(text: str) -> int:
    """An xsd:decimal lexical form in units of 10⁻¹⁸ (Oxigraph keeps 18 places).

    >>> credit_units("0.75"), credit_units("2")
    (750000000000000000, 2000000000000000000)
    """
    return int(Decimal(text).scaleb(18))


def rounded_decimal(units: int) -> str:
    """``ROUND(x * 1000000) / 1000000`` of x = units · 10⁻¹⁸, as Oxigraph writes it in TSV:
    halves rounded up (towards positive infinity), the shortest decimal, an integral value typed.

    >>> rounded_decimal(1_000_000_500_000_000_000), rounded_decimal(2_499_999_500_000_000_000)
    ('1.000001', '2.5')
    >>> rounded_decimal(7 * 10 ** 18), rounded_decimal(333_333_333_333_333_333)
    ('"7"^^<http://www.w3.org/2001/XMLSchema#decimal>', '0.333333')
    """
    return _decimal_cell(_micro(units))


def _micro(units: int) -> int:
    """floor(x · 10⁶ + ½) of x = units · 10⁻¹⁸: SPARQL's ROUND of x · 10⁶."""
    return (units + _SCALE // 2_000_000) // (_SCALE // 1_000_000)


def _decimal_cell(micro: int) -> str:
    """micro · 10⁻⁶ as a TSV cell: the shortest decimal, an integral value typed."""
    sign, (whole, part) = "-" if micro < 0 else "", divmod(abs(micro), 1_000_000)
    if not part:
        return f'"{sign}{whole}"^^<{_XSD_DECIMAL}>'
    return f"{sign}{whole}.{part:06d}".rstrip("0")


def sparql_lines(totals: dict[str, Total], agents: dict[str, Agent]) -> list[str]:
    """``burden.rq``'s answer as TSV lines (agency, name, function, burden, lead, support,
    responsible, tasks) in its order, ``DESC(?burden) DESC(?lead) ?name ?agency``, as
    :mod:`kg.graph.direct` sorts it (numbers by value, names and IRIs by code point, which holds
    for names of one kind only); agencies without a name and function key are left out, as the
    query's joins leave them out.

    >>> agents = {a: Agent(f'"{a}"@zh', '"f"', a, "f", False) for a in ("u:b", "u:a")}
    >>> totals = {"u:a": Total(1, 1, [1, 0, 0], units=10 ** 18), "u:b": Total(1, 1, [1, 0, 0], units=10 ** 18)}
    >>> [line[:line.index(">") + 1] for line in sparql_lines(totals, agents)]
    ['<u:a>', '<u:b>']
    """
    if len({a.name_cell[a.name_cell.rindex('"'):] for a in agents.values()}) > 1:
        raise ValueError("names of more than one kind: the engine orders them")
    rows = []
    for agency, t in totals.items():
        agent = agents.get(agency)
        if agent is not None:
            micro = _micro(t.units)
            rows.append(((-micro, -t.counts[0], agent.name, agency),
                         f"<{agency}>\t{agent.name_cell}\t{agent.function_cell}\t{_decimal_cell(micro)}\t"
                         f"{t.counts[0]}\t{t.counts[1]}\t{t.counts[2]}\t{t.tasks}"))
    rows.sort()
    return [line for _key, line in rows]


def report_rows(totals: dict[str, Total], agents: dict[str, Agent]) -> list[list[Any]]:
    """The totals as ``kg report burden`` reads them (:mod:`kg.analysis.totals`), agency order."""
    texts = _Texts()
    return [[agency, agent.name, agent.function, agent.collective, t.tasks, t.documents, *t.counts,
             *map(texts.__getitem__, t.shares)]
            for agency, t in sorted(totals.items()) if (agent := agents.get(agency)) is not None]


class _Texts(dict[Fraction, str]):
    """Rationals as text ("3/2"), each written once (the same few recur)."""

    def __missing__(self, value: Fraction) -> str:
        text = self[value] = str(value)
        return text


def domain_rows(totals: dict[str, Total], agents: dict[str, Agent]) -> dict[str, dict[str, int]]:
    """Agency → tasks per domain combination (the keys joined by commas), for the JSON report."""
    return {agency: t.domains for agency, t in sorted(totals.items()) if agency in agents and t.domains}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
