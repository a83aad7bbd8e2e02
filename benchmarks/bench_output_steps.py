"""Where the derived files' memory goes: ``write_outputs`` on a built export folder, its writers
run one after another in this process (as above 250,000 assignments), with this process's
resident set size before and after each step and the step in which the peak fell (sampled every
0.1 s). The folder's derived files are rewritten; its store and caches are only read, so a
hard-linked copy of a build will do (``cp -al BUILD/store BUILD/.kg-cache COPY/``).

    python benchmarks/bench_output_steps.py FOLDER [SOURCES_DIR]
"""
from __future__ import annotations

import functools
import importlib
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import psutil

STEPS = [("kg.present.row_cache", "read_rows"), ("kg.present.files", "_by_subject"),
         ("kg.present.files", "_write_page"), ("kg.present.files", "_write_data"),
         ("kg.present.files", "_write_workbook"), ("kg.present.files", "_write_networks"),
         ("kg.present.files", "_write_tables"), ("kg.present.spreadsheets", "report_tables"),
         ("kg.present.report_page", "report_html")]


class Watch:
    """This process's RSS, its peak so far and the step it fell in."""

    def __init__(self) -> None:
        self.me, self.start = psutil.Process(), time.time()
        self.peak, self.where, self.step = 0, "", "start"
        threading.Thread(target=self._sample, daemon=True).start()

    def rss(self) -> int:
        return int(self.me.memory_info().rss >> 20)

    def _sample(self) -> None:
        while True:
            if (now := self.rss()) > self.peak:
                self.peak, self.where = now, self.step
            time.sleep(0.1)

    def wrap(self, name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def step(*args: Any, **kwargs: Any) -> Any:
            outer, self.step = self.step, name
            before, began = self.rss(), time.time()
            result = f(*args, **kwargs)
            print(f"{time.time() - self.start:7.1f}s {name:22s} {time.time() - began:6.1f}s rss {before}->{self.rss()} MB "
                  f"(peak so far {self.peak} in {self.where})", flush=True)
            self.step = outer
            return result
        return step


def main() -> None:
    folder = Path(sys.argv[1])
    (folder / ".kg-cache" / "outputs.state").unlink(missing_ok=True)
    import kg.present.analytics as analytics
    import kg.present.files as files
    from kg.names import display_name
    from kg.reference import load_reference

    files.FORK_ROWS = -1  # every writer in turn, in this process
    reference, watch = load_reference(), Watch()
    for module, name in STEPS:
        target = importlib.import_module(module)
        setattr(target, name, watch.wrap(name, getattr(target, name)))
    analytics.Analytics.of = classmethod(watch.wrap("Analytics.of", analytics.Analytics.of.__func__))  # type: ignore[method-assign]
    sources = {display_name(p.name): p for p in sorted(Path(sys.argv[2]).iterdir())} if len(sys.argv) > 2 else {}
    cpu = time.process_time()
    files.write_outputs(folder, reference=reference, sources=sources)
    print(f"wall {time.time() - watch.start:.1f} s cpu {time.process_time() - cpu:.1f} s peak {watch.peak} MB "
          f"in {watch.where}, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
