"""Readers during a rebuild: every query answers, and every answer has every document.

A build replaces each document's graph while ``kg sparql`` runs in other processes, for a bounded
number of reads and time; no reader may fail, and none may find a document missing.
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

TEMPLATE = "关于印发{n}号实施方案的通知\n一、主要任务\n(一)加强质量监管。(市质监局牵头,市发改委、市公安局配合)\n" \
           "(二)推进标准化。(责任单位:市科技局、市财政局)\n"


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=120)


def test_readers_never_fail_nor_miss_a_document_during_a_rebuild(tmp_path: Path) -> None:
    docs, out = tmp_path / "docs", tmp_path / "out"
    docs.mkdir()
    names = [f"plan{i}.txt" for i in range(6)]
    for i, name in enumerate(names):
        (docs / name).write_text(TEMPLATE.format(n=i), encoding="utf-8")
    first = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out)])  # no reader yet: in this process
    assert first.exit_code == 0, first.output
    for i, name in enumerate(names):  # every document changes: every graph is replaced
        (docs / name).write_text(TEMPLATE.format(n=i) + "(三)完善制度。(市司法局负责)\n", encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(docs), "--out", str(out)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    answers, deadline = [], time.monotonic() + 90
    try:
        while (build.poll() is None or not answers) and len(answers) < 40 and time.monotonic() < deadline:
            reader = kg("sparql", "documents", "--format", "csv", "--out", str(out))
            assert reader.returncode == 0, reader.stderr
            answers.append(sorted(r["document"]
                                  for r in csv.DictReader(io.StringIO(reader.stdout))))
    finally:
        _, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert answers and all(a == names for a in answers), answers
