"""Hostile inputs of ``bench_robustness.py``: names, text, special files and silent wrong data.

Each case puts one hostile thing into a folder next to a good plan, runs the real ``kg`` and
checks what the issue expects. Cases are generated here (nothing is copied from the tests).
"""
from __future__ import annotations

import io
import os
import socket
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from robustness_kit import (Check, Tally, build, clean_stderr, error_names, exit_is, exports_safe,
                            first_failure, last_line, nq_valid, plan_text, write_plan)

Maker = Callable[[Path], Optional[str]]


@dataclass
class Case:
    """One hostile case: kind (the issue's numbering), name, command, expectation, and its run."""

    kind: str
    name: str
    command: str
    expect: str
    go: Callable[[Path, Tally], Check]
    timeout: float = 300


KIND_NAMES = "1 names & text"
KIND_SPECIAL = "2 special files"
KIND_SILENT = "3 silent wrong data"


def _bytes_name(docs: Path, raw: bytes, text: str) -> str:
    """Create a file whose name is raw bytes (not necessarily UTF-8); return a printable form."""
    path = os.path.join(os.fsencode(docs), raw)
    with open(path, "wb") as f:
        f.write(text.encode("utf-8"))
    return os.fsdecode(raw)


def builds_beside_good(maker: Maker, docs_expected: int, fails: bool,
                       env: Optional[dict[str, str]] = None) -> Callable[[Path, Tally], Check]:
    """Build ``docs/`` holding ``good.txt`` and what ``maker`` adds; check the issue's expectations.

    ``fails``: the hostile file must be refused with a one-line error naming it (exit 1);
    otherwise it must be built (exit 0). Either way the good plan is built and IRIs are valid.
    """
    def go(work: Path, tally: Tally) -> Check:
        docs = work / "docs"
        write_plan(docs / "good.txt")
        named = maker(docs)
        res = build(tally, work, ["docs"], env=env)
        checks: list[Callable[[], Check]] = [lambda: clean_stderr(res),
                                             lambda: exit_is(res, 1 if fails else 0)]
        if fails and named:
            checks.append(lambda: error_names(res, named))
        checks += [lambda: _with_cause(nq_valid(work / "out", docs_expected), res.err),
                   lambda: exports_safe(work / "out")]
        return first_failure(checks)
    return go


def _with_cause(reason: Check, stderr: str) -> Check:
    """The reason, with what kg said (its last line) when it says something."""
    said = last_line(stderr)
    return f"{reason}; kg said: {said}" if reason and said else reason


def name_case(name: str, raw: bytes) -> Case:
    def make(docs: Path) -> Optional[str]:
        _bytes_name(docs, raw, plan_text(title="名称测试"))
        return None
    return Case(KIND_NAMES, name, "kg build docs", "exit 0; both documents built; kg.nq parses (valid IRIs)",
                builds_beside_good(make, 2, fails=False))


def text_case(name: str, lead: str, support: str = "市工商局") -> Case:
    """An agency name with hostile characters in the text of a second plan."""
    def make(docs: Path) -> Optional[str]:
        write_plan(docs / "hostile.txt", title="机构名测试", lead=lead, support=support)
        return None
    return Case(KIND_NAMES, name, "kg build docs",
                "exit 0; both built; kg.nq parses; no formula cells in CSV/XLSX",
                builds_beside_good(make, 2, fails=False))


def refused_case(kind: str, name: str, maker: Maker, timeout: float = 300,
                 env: Optional[dict[str, str]] = None) -> Case:
    note = "".join(f" ({k}={v})" for k, v in (env or {}).items())
    return Case(kind, name, "kg build docs" + note,
                "exit 1; one kg: line naming the file; the good document built; no traceback",
                builds_beside_good(maker, 1, fails=True, env=env), timeout)


def name_cases() -> list[Case]:
    cjk = "关于进一步加强和改进全市安全生产工作推动高质量发展实施方案的通知"
    long_name = (cjk * 3)[:82]
    return [
        name_case("82 CJK characters in the file name", (long_name + ".txt").encode()),
        name_case("83 CJK characters, .md (253 bytes)", ((cjk * 3)[:83] + ".md").encode()),
        name_case("file name not valid UTF-8 (0xff 0xfe)", b"plan-\xff\xfe.txt"),
        name_case("file name in GBK bytes", "质量计划".encode("gbk") + b".txt"),
        name_case("file name in Latin-1 bytes", b"qualit\xe9.txt"),
        name_case("C0 control (0x01) in the file name", b"plan\x01x.txt"),
        name_case("newline and tab in the file name", b"two\nlines\tplan.txt"),
        name_case("DEL and ESC in the file name", b"plan\x7f\x1b[31m.txt"),
        name_case("private-use character in the file name", "\ue000计划.txt".encode()),
        name_case("bidi override in the file name", "plan\u202etxt.exe.txt".encode()),
        name_case("zero-width joiner and BOM in the file name", "计\u200d划\ufeff.txt".encode()),
        name_case("noncharacter U+FFFF in the file name", "计划\uffff.txt".encode()),
        name_case("IRI delimiters <>\"{}|^` #?% in the file name", b'a<b>"{c}|^`#1?50%.txt'),
        name_case("line separator U+2028 and NEL in the file name", "计划\u2028第二行\x85.txt".encode()),
        name_case("astral emoji in the file name", "\U0001f4c4计划.txt".encode()),
        name_case("file name starting with '-'", b"-rf --out x.txt"),
        name_case("file name of dots", b"....txt"),
        name_case("percent-encoded look-alike name", b"%E8%AE%A1%E5%88%92.txt"),
    ]


def text_cases() -> list[Case]:
    return [
        text_case("C0 control inside a lead agency", "市质\x01监局"),
        text_case("NUL-free C0 run (0x02-0x08) in an agency", "市\x02\x03\x08质监局"),
        text_case("noncharacters U+FDD0/U+FFFE in an agency", "市质\ufdd0监局", "市工\ufffe商局"),
        text_case("GBK private-use glyph in an agency", "市\ue5e5质监局", "\ue000市工商局"),
        text_case("bidi controls in an agency", "市质\u202e监局", "市工\u2066商局\u2069"),
        text_case("zero-width marks in an agency", "市质\u200b监局", "市工\u200c商\u2060局"),
        text_case("'|' inside an agency", "市质|监局", "市工商|局"),
        text_case("agency starting with '='", "=市质监局", "=HYPERLINK(\"http://x\")局"),
        text_case("agency starting with '+' and '-'", "+市质监局", "-市工商局"),
        text_case("agency starting with '@'", "@市质监局", "@SUM(1)局"),
        text_case("agency with a tab and a CR", "\t市质监局", "市工\r商局"),
        text_case("agency with angle brackets and quotes", "市<b>质\"监'局", "市&amp;工商局"),
        text_case("10,000-character agency name", "市" + "质" * 10000 + "局"),
        text_case("lone combining marks in an agency", "\u0301\u0308市质监局"),
        text_case("vertical tab and form feed in an agency", "市质\x0b监局", "市工\x0c商局"),
        text_case("NEL and U+2028/U+2029 in an agency", "市质\u2028监局", "市工\x85商\u2029局"),
        text_case("file/group separators (0x1C-0x1E) in an agency", "市质\x1c监局", "市工\x1d商\x1e局"),
    ]


def _touch(name: str, data: bytes) -> Maker:
    def make(docs: Path) -> Optional[str]:
        (docs / name).write_bytes(data)
        return name
    return make


def _fifo(docs: Path) -> str:
    os.mkfifo(docs / "pipe.txt")
    return "pipe.txt"


def _symlink(target: str, name: str) -> Maker:
    def make(docs: Path) -> Optional[str]:
        (docs / name).symlink_to(target)
        return name
    return make


def _device(docs: Path) -> str:
    os.mknod(docs / "null.txt", 0o600 | 0o020000, os.makedev(1, 3))
    return "null.txt"


def _socket(docs: Path) -> str:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(docs / "sock.txt"))
    s.close()
    return "sock.txt"


def _docx_bomb(inflated_mb: int) -> Maker:
    """A .docx whose document.xml inflates to ``inflated_mb`` MB of spaces (sizes declared truly)."""
    def make(docs: Path) -> Optional[str]:
        name = f"bomb{inflated_mb}.docx"
        with zipfile.ZipFile(docs / name, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                       'openxmlformats.org/package/2006/content-types"/>')
            with z.open("word/document.xml", "w", force_zip64=True) as f:
                f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                        b'wordprocessingml/2006/main"><w:body>')
                chunk = b" " * (1 << 20)
                for _ in range(inflated_mb):
                    f.write(chunk)
                f.write(b"</w:body></w:document>")
        return name
    return make


def _office(kind: str) -> bytes:
    """A small valid .docx/.xlsx/.pdf holding the plan, made with the libraries kg reads them with."""
    buf = io.BytesIO()
    if kind == "docx":
        import docx
        d = docx.Document()
        for line in plan_text().splitlines():
            d.add_paragraph(line)
        d.save(buf)
    elif kind == "xlsx":
        import openpyxl
        wb = openpyxl.Workbook()
        for line in plan_text().splitlines():
            wb.active.append([line])
        wb.save(buf)
    else:
        from reportlab.pdfgen import canvas
        c = canvas.Canvas(buf)
        c.drawString(72, 720, "Quality plan 2020 " * 3)
        c.showPage()
        c.save()
    return buf.getvalue()


def _truncated(kind: str) -> Maker:
    def make(docs: Path) -> Optional[str]:
        data = _office(kind)
        name = f"cut.{kind}"
        (docs / name).write_bytes(data[: len(data) * 2 // 3])
        return name
    return make


def _dir_named(name: str) -> Maker:
    def make(docs: Path) -> Optional[str]:
        (docs / name).mkdir()
        write_plan(docs / name / "inner.txt", title="子目录")
        return None
    return make


def special_cases() -> list[Case]:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    return [
        refused_case(KIND_SPECIAL, "FIFO named .txt in the folder", _fifo, timeout=120),
        refused_case(KIND_SPECIAL, "symlink to /dev/zero named .txt", _symlink("/dev/zero", "zero.txt"), 120),
        refused_case(KIND_SPECIAL, "symlink to /dev/urandom named .docx",
                     _symlink("/dev/urandom", "random.docx"), 120),
        refused_case(KIND_SPECIAL, "character device (null) named .txt", _device, 120),
        refused_case(KIND_SPECIAL, "Unix socket named .txt", _socket, 120),
        refused_case(KIND_SPECIAL, "dangling symlink", _symlink("/nonexistent/plan.txt", "gone.txt")),
        refused_case(KIND_SPECIAL, "symlink loop", _symlink("loop.txt", "loop.txt")),
        refused_case(KIND_SPECIAL, ".docx inflating to 1.1 GB", _docx_bomb(1100), timeout=600),
        refused_case(KIND_SPECIAL, ".docx inflating to 40 MB, KG_MAX_FILE_MB=8", _docx_bomb(40),
                     env={"KG_MAX_FILE_MB": "8"}),
        refused_case(KIND_SPECIAL, "truncated .docx", _truncated("docx")),
        refused_case(KIND_SPECIAL, "truncated .xlsx", _truncated("xlsx")),
        refused_case(KIND_SPECIAL, "truncated .pdf", _truncated("pdf")),
        refused_case(KIND_SPECIAL, "empty .txt", _touch("empty.txt", b"")),
        refused_case(KIND_SPECIAL, "whitespace-only .md", _touch("blank.md", " \n\t\r\n\u3000".encode() * 50)),
        refused_case(KIND_SPECIAL, "BOM-only .txt", _touch("bom.txt", b"\xef\xbb\xbf")),
        refused_case(KIND_SPECIAL, "binary (PNG bytes) named .txt", _touch("image.txt", png)),
        refused_case(KIND_SPECIAL, "ZIP of text named .docx", _touch("fake.docx", _plain_zip())),
        Case(KIND_SPECIAL, "directory named plan.txt (holding a plan)", "kg build docs",
             "exit 0; the directory walked, not read as a file; 2 documents",
             builds_beside_good(_dir_named("plan.txt"), 2, fails=False)),
        Case(KIND_SPECIAL, "directory named report.docx given directly", "kg build docs/report.docx",
             "the folder's plan built; exit 0", _dir_direct),
    ]


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not word")
    return buf.getvalue()


def _dir_direct(work: Path, tally: Tally) -> Check:
    write_plan(work / "docs" / "report.docx" / "inner.txt")
    res = build(tally, work, ["docs/report.docx"])
    return first_failure([lambda: clean_stderr(res), lambda: exit_is(res, 0),
                          lambda: nq_valid(work / "out", 1)])


def _twins(names: tuple[str, ...]) -> Callable[[Path, Tally], Check]:
    """Files differing only in extension or case are distinct documents, the same on every build."""
    def go(work: Path, tally: Tally) -> Check:
        for i, n in enumerate(names):
            write_plan(work / "docs" / n, title=f"方案{i}")
        first = build(tally, work, ["docs"])
        from robustness_kit import documents
        before = documents(work / "out") if (work / "out" / "kg.nq").exists() else []
        (work / "docs" / names[0]).write_text(plan_text(title="方案改"), encoding="utf-8")
        second = build(tally, work, ["docs"])
        return first_failure([lambda: clean_stderr(first), lambda: exit_is(first, 0),
                              lambda: None if len(before) == len(names)
                              else f"{len(before)} documents for {len(names)} files",
                              lambda: exit_is(second, 0), lambda: nq_valid(work / "out", len(names))])
    return go


def silent_cases() -> list[Case]:
    from robustness_silent import silent_more
    return [
        Case(KIND_SILENT, "plan.txt and plan.md", "kg build docs (twice)",
             "two documents, both kept on a rebuild", _twins(("plan.txt", "plan.md"))),
        Case(KIND_SILENT, "plan.txt, plan.md, plan.html", "kg build docs (twice)",
             "three documents", _twins(("plan.txt", "plan.md", "plan.html"))),
        Case(KIND_SILENT, "Plan.txt and plan.txt", "kg build docs (twice)",
             "two documents", _twins(("Plan.txt", "plan.txt"))),
        Case(KIND_SILENT, "plan.txt and plan.TXT", "kg build docs (twice)",
             "two documents", _twins(("plan.txt", "plan.TXT"))),
        *silent_more(),
    ]
