"""Time domain classification on generated documents of nested tasks, against the classifier
before issue 16 (which re-scanned every task's whole body, sub-tasks included, up to 3,000
characters), to show that scanning each task's own text once is linear in the document.

    python benchmarks/bench_domains.py [--tasks 1000 5000 20000] [--baseline ecae950]
                                       [--out benchmarks/results/domains.md]
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCES = ["扩大就业见习规模,落实失业保险稳岗返还政策", "加强工地扬尘管控和柴油货车尾气治理",
             "做好政府信息主动公开和政策解读", "全面实施市场准入负面清单制度", "加快高标准农田建设",
             "修订完善突发事件应急预案", "完善工作机制,细化工作措施"]
NUMERALS = "一二三四五六七八九十"


def document(tasks: int) -> str:
    """Sections of ten items of ten sub-items (about ``tasks`` tasks), each with a sentence and a clause."""
    lines, n, section = [], 0, 0
    while n < tasks:
        section += 1
        lines.append(f"第{section}部分 重点任务")
        for i in range(10):
            lines.append(f"({NUMERALS[i]}){SENTENCES[(section + i) % len(SENTENCES)]}。")
            for j in range(1, 11):
                lines.append(f"{j}.{SENTENCES[(i + j) % len(SENTENCES)]}。(市人力资源社会保障局牵头,市财政局配合)")
            n += 11
    return "\n".join(lines) + "\n"


def baseline(rev: str):  # type: ignore[no-untyped-def]
    """The classifier module as it was at ``rev``."""
    code = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:kg/extract/domains.py"], check=True,
                          capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "old_domains.py"
    path.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_domains", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(tasks: int, old) -> tuple[int, int, float, float]:  # type: ignore[no-untyped-def]
    from kg.extract.domains import classify
    from kg.extract.pipeline import extract_source
    from kg.extract.read import make_source
    from kg.reference import load_reference

    reference = load_reference()
    doc = extract_source(make_source("bench.txt", document(tasks)), reference)
    tasks_list = list(doc.tasks)
    start = time.perf_counter()
    classify(doc.source, tasks_list, reference, doc.clauses, doc.assignments, doc.metadata.title)
    new = time.perf_counter() - start
    start = time.perf_counter()
    old.classify(doc.source, tasks_list, reference.domains)
    before = time.perf_counter() - start
    return len(tasks_list), len(doc.source.text), before, new


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--baseline", default="ecae950")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "domains.md")
    args = parser.parse_args()
    old = baseline(args.baseline)
    rows = ["| tasks | characters | before (whole bodies) | after (own text once) | after, µs per task |",
            "|---|---|---|---|---|"]
    for n in args.tasks:
        count, chars, before, new = measure(n, old)
        rows.append(f"| {count:,} | {chars:,} | {before:.2f} s | {new:.2f} s | {new / count * 1e6:.0f} |")
        print(rows[-1], flush=True)
    args.out.write_text("# Domain classification time (classify only, extraction excluded)\n\n"
                        "Generated documents: sections of ten items with ten sub-items each, every item with a\n"
                        "sentence and a lead/support clause. One run on the shared 2-core machine.\n\n"
                        + "\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
