"""What Oxigraph's bulk loads cost by load size: an N-Quads file loaded into an empty on-disk
store in chunks of a given size, back to back, then the CPU until RocksDB's compaction settles.

    python benchmarks/bench_load_sizes.py QUADS.nq --chunk-mb 32 [--store /tmp/kgsizes]
    python benchmarks/bench_load_sizes.py QUADS.nq --chunk-mb 0     # one load of the whole file

Every load adds store files that overlap everything stored (Oxigraph keys terms by hash), which
RocksDB merges with the whole store; the loader holds about 1 KB a quad of each load. Run it in a
fresh process per size (the peak resident memory is the process's). ``kg.nq`` of a build is a
ready input (``kg dump --dumps nq``).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import time
from pathlib import Path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rocksdb_cpu() -> float:
    """CPU seconds of this process's RocksDB threads (compaction, flushes)."""
    total = 0.0
    for task in Path("/proc/self/task").iterdir():
        stat = (task / "stat").read_text()
        if "(rocksdb:" in stat:
            fields = stat[stat.rindex(")") + 2:].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def main() -> None:
    import pyoxigraph as ox

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("quads", type=Path)
    parser.add_argument("--chunk-mb", type=float, default=32, help="MB of N-Quads a load (0: one load)")
    parser.add_argument("--store", type=Path, default=Path("/tmp/kgsizes"))
    args = parser.parse_args()
    shutil.rmtree(args.store, ignore_errors=True)
    store, part = ox.Store(str(args.store)), args.store.with_suffix(".part.nq")
    start, cpu, loads = time.perf_counter(), _cpu(), 0
    if not args.chunk_mb:
        store.bulk_load(path=str(args.quads), format=ox.RdfFormat.N_QUADS, lenient=True)
        loads = 1
    with args.quads.open("rb") as source:
        while args.chunk_mb and (data := source.read(int(args.chunk_mb * 1e6))):
            part.write_bytes(data + source.readline())  # whole lines
            del data
            store.bulk_load(path=str(part), format=ox.RdfFormat.N_QUADS, lenient=True)
            loads += 1
    loaded, previous = _cpu(), -1.0
    while _cpu() - previous > 0.05:  # until the background compaction is done
        previous = _cpu()
        time.sleep(3)
    part.unlink(missing_ok=True)
    print("| load size | loads | CPU s until settled | of which RocksDB threads | CPU s during the loads | peak RSS | wall s | load avg |")
    print(f"| {args.chunk_mb or 'all'} MB | {loads} | {_cpu() - cpu:.1f} | {_rocksdb_cpu():.1f} | {loaded - cpu:.1f} | "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB | {time.perf_counter() - start:.0f} | "
          f"{os.getloadavg()[0]:.2f} |")
    del store
    shutil.rmtree(args.store, ignore_errors=True)


if __name__ == "__main__":
    main()
