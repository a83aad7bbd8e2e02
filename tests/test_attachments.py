"""Attachments as users receive them, through the real CLI: .xlsx task tables (openpyxl), ruled
PDF tables (pdfplumber) with merged cells, and one-line errors saying how to convert the formats
that cannot be read. Files are built here with openpyxl and reportlab; expected rows by hand."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extract.read import read_document

ERROR_LINE = re.compile(r"^kg: .+: .+ \(.+\)$")
HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
ROWS = [["1", "开展产品质量监督抽查", "市场监管局", "市公安局、市商务局", "2021年底"],
        ["2", "推进标准化建设", None, "市财政局", "长期"],  # lead merged with the row above
        ["3", "培育知名品牌", "市工信局", None, "2022年6月"]]
EXPECTED = [("1", "lead", "市场监管局"), ("1", "support", "市公安局"), ("1", "support", "市商务局"),
            ("2", "lead", "市场监管局"), ("2", "support", "市财政局"), ("3", "lead", "市工信局")]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def triples(result) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(r["path"], r["role"], r["mention"]) for r in csv.DictReader(io.StringIO(result.stdout))]


def offsets_round_trip(path: Path, result) -> None:  # type: ignore[no-untyped-def]
    text = read_document(path).text
    for r in csv.DictReader(io.StringIO(result.stdout)):
        assert r["mention"] in text[int(r["start"]):int(r["end"])]


def make_xlsx(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2021年质量工作重点任务分工表"])
    sheet.merge_cells("A1:E1")  # a title across the table
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append([int(row[0])] + row[1:])  # numbers typed as numbers, as Excel users do
    sheet.merge_cells("C3:C4")
    book.save(path)


def test_xlsx_task_table_with_merged_cells(tmp_path):
    path = tmp_path / "分工表.xlsx"
    make_xlsx(path)
    result = run("extract", str(path), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert triples(result) == EXPECTED
    offsets_round_trip(path, result)
    assert read_document(path).text.splitlines()[0] == "2021年质量工作重点任务分工表"


def make_pdf(path: Path) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10)
    table = Table([HEADER] + [[c or "" for c in row] for row in ROWS])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 10),
                               ("GRID", (0, 0), (-1, -1), 0.5, "black"), ("SPAN", (2, 1), (2, 2))]))
    SimpleDocTemplate(str(path)).build([Paragraph("一、重点任务分工", style), table,
                                        Paragraph("二、保障措施", style)])


def test_pdf_table_read_as_a_table(tmp_path):
    path = tmp_path / "plan.pdf"
    make_pdf(path)
    result = run("extract", str(path), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert triples(result) == EXPECTED
    offsets_round_trip(path, result)
    lines = read_document(path).text.splitlines()
    assert lines[0] == "一、重点任务分工" and lines[-1] == "二、保障措施"  # text around the table in reading order


@pytest.mark.parametrize("name,problem,target", [
    ("plan.doc", "Word 97-2003 .doc files cannot be read", "docx"),
    ("plan.wps", "WPS .wps files cannot be read", "docx"),
    ("table.xls", "Excel 97-2003 .xls files cannot be read", "xlsx"),
    ("table.et", "WPS .et spreadsheets cannot be read", "xlsx")])
def test_unreadable_formats_say_how_to_convert(tmp_path, name, problem, target):
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 60)
    good = tmp_path / "good.txt"
    good.write_text("一、任务\n(一)加强监管。(市质监局牵头)\n", encoding="utf-8")
    result = run("extract", str(tmp_path), "--format", "csv")  # a folder: the unreadable file is reported
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg:")]
    assert errors == [f"kg: {tmp_path / name}: {problem} (convert it: libreoffice --headless --convert-to {target} {name})"]
    assert ERROR_LINE.match(errors[0])
    assert triples(result) == [("1.1", "lead", "市质监局")]  # the other document is still read


def test_old_word_file_renamed_docx_and_scanned_pdf(tmp_path):
    renamed = tmp_path / "renamed.docx"
    renamed.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 60)
    from reportlab.pdfgen import canvas

    scan = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(scan))
    page.rect(50, 50, 200, 200, fill=1)  # a page with no text layer, like a scan
    page.save()
    result = run("extract", str(renamed), str(scan))
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg:")]
    assert errors == [f"kg: {renamed}: an old binary Office file named .docx "
                      "(convert it: libreoffice --headless --convert-to docx renamed.docx)",
                      f"kg: {scan}: PDF has no text layer (a scan?) (run OCR on it first: ocrmypdf IN.pdf OUT.pdf)"]
