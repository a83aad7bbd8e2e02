"""Silent-wrong-data cases of ``bench_robustness.py``: nothing fails, but is the output right?

Exports read back as input, invisible characters changing who is responsible, formula cells,
broken Markdown tables, page-breaking text, and output that depends on the run or hash seed.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable

from robustness_kit import (Check, Tally, build, clean_stderr, csv_cells_safe, exit_is, exports_safe,
                            first_failure, markdown_intact, nq_valid, plan_text, run, snapshot,
                            write_plan)

KIND = "3 silent wrong data"


def _case(name: str, command: str, expect: str, go: Callable[[Path, Tally], Check]):  # type: ignore[no-untyped-def]
    from robustness_inputs import Case
    return Case(KIND, name, command, expect, go)


def _export_inside(work: Path, tally: Tally) -> Check:
    write_plan(work / "docs" / "a.txt")
    first = build(tally, work, ["docs"], out="docs/exports", dumps="all")
    n1 = (work / "docs/exports/kg.nq").read_bytes() if (work / "docs/exports/kg.nq").exists() else b""
    second = build(tally, work, ["docs"], out="docs/exports", dumps="all")
    n2 = (work / "docs/exports/kg.nq").read_bytes() if (work / "docs/exports/kg.nq").exists() else b""
    return first_failure([lambda: exit_is(first, 0), lambda: exit_is(second, 0),
                          lambda: clean_stderr(second), lambda: nq_valid(work / "docs/exports", 1),
                          lambda: None if n1 == n2 else _changed("kg.nq", n1, n2)])


def _changed(what: str, before: bytes, after: bytes) -> str:
    """Which lines of a dump a rebuild of the same input changed (a sample), for the table."""
    old, new = set(before.splitlines()), set(after.splitlines())
    sample = sorted(new - old)[:1] or sorted(old - new)[:1]
    return (f"{what} changed on the second build: {len(new - old)} lines added, {len(old - new)} gone"
            f" (e.g. {sample[0][:90].decode('utf-8', 'replace') if sample else 'order only'})")


def _default_out_inside(work: Path, tally: Tally) -> Check:
    """``cd docs && kg build .`` twice: the default ./exports is inside the input folder."""
    docs = work / "docs"
    write_plan(docs / "a.txt")
    for _ in range(2):
        res = tally.add(run(["build", ".", "--jobs", "1", "--dumps", "nq"], docs, 300))
    return first_failure([lambda: exit_is(res, 0), lambda: clean_stderr(res),
                          lambda: nq_valid(docs / "exports", 1)])


def _agency_rows(text: str) -> list[tuple[str, str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return sorted((r["path"], r["role"], r["agency"]) for r in rows)


def _same_as_clean(dirty_lead: str, dirty_support: str) -> Callable[[Path, Tally], Check]:
    """A plan whose agency names hold invisible characters resolves exactly like the clean one."""
    def go(work: Path, tally: Tally) -> Check:
        write_plan(work / "clean.txt")
        write_plan(work / "dirty.txt", lead=dirty_lead, support=dirty_support)
        clean = tally.add(run(["extract", "clean.txt", "--format", "csv"], work, 120))
        dirty = tally.add(run(["extract", "dirty.txt", "--format", "csv"], work, 120))
        want, got = _agency_rows(clean.out), _agency_rows(dirty.out)
        diff = sorted(set(got) ^ set(want))
        return first_failure([lambda: exit_is(dirty, 0), lambda: clean_stderr(dirty),
                              lambda: None if not diff else f"agencies differ from the clean text: {diff[:2]}"])
    return go


def _glyph_kept(glyph: str) -> Callable[[Path, Tally], Check]:
    """A private-use character (a rare glyph of an old GBK document) is a letter of the name:
    the name must not be read as the one without it."""
    def go(work: Path, tally: Tally) -> Check:
        write_plan(work / "clean.txt")
        write_plan(work / "glyph.txt", lead=f"市质{glyph}监局")
        clean = tally.add(run(["extract", "clean.txt", "--format", "csv"], work, 120))
        dirty = tally.add(run(["extract", "glyph.txt", "--format", "csv"], work, 120))
        want = {r for r in _agency_rows(clean.out) if r[1] == "lead" and r[0] == "1.1"}
        got = {r for r in _agency_rows(dirty.out) if r[1] == "lead" and r[0] == "1.1"}
        return first_failure([lambda: exit_is(dirty, 0),
                              lambda: f"U+{ord(glyph):04X} was dropped: read as {sorted(got)[0][2]}"
                              if got and got == want else None])
    return go


def _formula_extract(work: Path, tally: Tally) -> Check:
    write_plan(work / "f.txt", lead="=市质监局", support="+市工商局、-市食药监局、@市商务局")
    res = tally.add(run(["extract", "f.txt", "--format", "csv"], work, 120))
    return first_failure([lambda: exit_is(res, 0), lambda: csv_cells_safe(res.out, "kg extract csv")])


def _formula_reports(work: Path, tally: Tally) -> Check:
    write_plan(work / "docs" / "f.txt", lead="=市质监局", support="+市工商局、-市食药监局、@市商务局")
    b = build(tally, work, ["docs"])
    outs = [tally.add(run(["report", "burden", "--format", "csv", "--out", "out"], work, 120)),
            tally.add(run(["report", "gaps", "--format", "csv", "--out", "out"], work, 120)),
            tally.add(run(["sparql", "assignments", "--format", "csv", "--out", "out"], work, 120))]
    return first_failure([lambda: exit_is(b, 0), lambda: exports_safe(work / "out"),
                          *[(lambda r=r: exit_is(r, 0)) for r in outs],
                          *[(lambda r=r: csv_cells_safe(r.out, "report/sparql csv")) for r in outs]])


def _pipe_markdown(work: Path, tally: Tally) -> Check:
    write_plan(work / "docs" / "p.txt", lead="市质|监局", support="市工商|局、市|食药|监局")
    b = build(tally, work, ["docs"])
    md = tally.add(run(["report", "burden", "--format", "markdown", "--out", "out"], work, 120))
    files = sorted((work / "out").rglob("*.md"))
    return first_failure([lambda: exit_is(b, 0), lambda: exit_is(md, 0),
                          lambda: markdown_intact(md.out, "kg report burden --format markdown"),
                          *[(lambda p=p: markdown_intact(p.read_text(encoding="utf-8"), p.name)) for p in files]])


PAYLOAD = "</script><script>window.kgPwned=1</script><img src=x onerror=kgPwned=2>{{ kg_data }}{% raw %}"


def _script_text(work: Path, tally: Tally) -> Check:
    write_plan(work / "docs" / "s.txt", title=PAYLOAD, lead="市质监局", support=f"市{PAYLOAD}局",
               extra=f"(三){PAYLOAD}。(市商务局牵头)\n")
    b = build(tally, work, ["docs"], dumps="all")
    r = tally.add(run(["render", "-o", "page.html", "--out", "out"], work, 120))
    pages = [work / "out" / "graph.html", work / "out" / "report.html", work / "page.html"]

    def raw_payload() -> Check:
        for p in pages:
            if not p.exists():
                return f"{p.name} not written"
            text = p.read_text(encoding="utf-8")
            if "<script>window.kgPwned" in text or "<img src=x onerror" in text:
                return f"{p.name} carries the payload unescaped"
        return None
    return first_failure([lambda: exit_is(b, 0), lambda: exit_is(r, 0), raw_payload])


def _deterministic(work: Path, tally: Tally) -> Check:
    """Two builds of a hostile corpus, PYTHONHASHSEED 1 and 2: every file byte-identical."""
    docs = work / "docs"
    for i, (lead, sup) in enumerate([("市质监局", "市工商局、市食药监局"), ("市工商局", "市质监局、市食药监局"),
                                     ("市食药监局", "市质监局、市工商局"), ("=市质\u202e监局", "市工\u200b商局|x")]):
        write_plan(docs / f"d{i}.txt", title="同名标题", lead=lead, support=sup)
    (docs / "d0.md").write_text(plan_text(title="同名标题"), encoding="utf-8")
    snaps = []
    for seed in ("1", "2"):
        res = build(tally, work, ["docs"], out=f"out{seed}", dumps="all", env={"PYTHONHASHSEED": seed})
        if res.rc != 0:
            return exit_is(res, 0)
        snaps.append(snapshot(work / f"out{seed}"))
    diff = sorted(k for k in snaps[0].keys() | snaps[1].keys()
                  if snaps[0].get(k) != snaps[1].get(k) and k != ".kg-sources")
    return f"differ between hash seeds: {', '.join(diff[:5])}" if diff else None


def silent_more() -> list:  # type: ignore[type-arg]
    c = "kg build docs --out docs/exports (twice)"
    return [
        _case("export folder inside the input folder", c, "the second build adds nothing (kg.nq identical)",
              _export_inside),
        _case("default ./exports inside the input folder", "cd docs && kg build . (twice)",
              "exit 0; one document", _default_out_inside),
        _case("bidi override inside agency names", "kg extract (clean vs dirty)",
              "same agencies as the clean text", _same_as_clean("市质\u202e监局", "市工\u202a商局\u202c、市食药\u2067监局")),
        _case("zero-width marks inside agency names", "kg extract (clean vs dirty)",
              "same agencies as the clean text", _same_as_clean("市质\u200b监局", "市工\ufeff商局、市食药\u200d监局")),
        _case("C0 control inside an agency name", "kg extract (clean vs dirty)",
              "same agencies as the clean text (a control is no letter)",
              _same_as_clean("市质\x01监局", "市工商局、市食药\x07监局")),
        _case("GBK private-use glyph U+E000 inside a name", "kg extract (clean vs glyph)",
              "the glyph kept: not read as the name without it", _glyph_kept("\ue000")),
        _case("GBK private-use glyph U+E3A1 inside a name", "kg extract (clean vs glyph)",
              "the glyph kept: not read as the name without it", _glyph_kept("\ue3a1")),
        _case("agencies starting with = + - @ (extract)", "kg extract --format csv",
              "no cell starts a formula", _formula_extract),
        _case("agencies starting with = + - @ (exports)", "kg build; kg report/sparql --format csv",
              "no CSV or XLSX cell starts a formula", _formula_reports),
        _case("'|' inside agency names", "kg build; kg report burden --format markdown",
              "every Markdown table row has its header's cell count", _pipe_markdown),
        _case("script-like text in title, agencies, task", "kg build; kg render",
              "graph.html/report.html never carry it unescaped", _script_text),
        _case("ties and hostile names, two hash seeds", "kg build docs (PYTHONHASHSEED=1, 2)",
              "every export byte-identical", _deterministic),
    ]
