#!/usr/bin/env python3
"""How well agency resolution clusters real mentions: the share of gold mentions that get a
function, and same-function pairwise precision/recall/F1 against a hand-made answer key.

Usage: python benchmarks/bench_resolution.py GOLD_DIR... [--key benchmarks/data/function_key.csv]
       [--dump FILE] [--out benchmarks/results/resolution.md]

Each gold JSON gives the document's jurisdiction and level; every lead/support/responsible
mention, group member and office host is resolved with that metadata (places = the
jurisdiction). The answer key lists (document, mention) → the function a person assigns;
pairwise scores count mention pairs of one document set that share a function.
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import re
import sys
from pathlib import Path

from kg.extract.read import fold
from kg.extract.resolve import Resolver
from kg.model import Metadata, Mention, Role
from kg.reference import load_reference


def gold_mentions(folders: list[Path]) -> list[tuple[str, str, Metadata, bool]]:
    """(document, mention, metadata, traditional) for every mention in the gold files."""
    out = []
    for folder in folders:
        for path in sorted(folder.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            place = gold.get("jurisdiction") or ""
            meta = Metadata(jurisdiction=place or None, level=gold.get("level"), places=(place,) if place else ())
            trad = gold.get("script") == "traditional"
            names = [m for t in gold["tasks"] for r in ("lead", "support", "responsible") for m in t[r]]
            names += [m for g in gold.get("groups", []) for m in g.get("members", [])]
            names += [g["office_host"] for g in gold.get("groups", []) if g.get("office_host")]
            out += [(gold["document"], n, meta, trad) for n in names]
    return out


def resolve_all(rows: list[tuple[str, str, Metadata, bool]]) -> list[dict[str, str]]:
    reference, result = load_reference(), []
    for doc, name, meta, trad in rows:
        view = fold(name, trad)
        agency = Resolver(reference, meta).resolve(Mention(name, 0, len(name), Role.RESPONSIBLE), view)
        result.append({"document": doc, "mention": name, "agency": agency.name, "function": agency.function,
                       "resolved": str(agency.resolved)})
    return result


def pairwise(pred: list[str], true: list[str]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(pred)), 2):
        same_p, same_t = pred[i] == pred[j], true[i] == true[j]
        tp += same_p and same_t
        fp += same_p and not same_t
        fn += same_t and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="+", type=Path)
    ap.add_argument("--key", type=Path, default=Path(__file__).parent / "data" / "function_key.csv")
    ap.add_argument("--dump", type=Path)
    args = ap.parse_args(argv)
    rows = resolve_all(gold_mentions(args.gold))
    if args.dump:
        with args.dump.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    total = len(rows)
    with_fn = sum(1 for r in rows if not r["function"].startswith("unresolved:"))
    print(f"mentions {total}, with a function {with_fn} ({with_fn / total:.3f})")
    names = {(r["document"], r["mention"]): r["function"] for r in rows}
    named = sum(1 for f in names.values() if not f.startswith("unresolved:"))
    print(f"distinct (document, mention) {len(names)}, with a function {named} ({named / len(names):.3f})")
    if args.key.is_file():
        key = {(r["document"], r["mention"]): r["function"]
               for r in csv.DictReader(args.key.open(encoding="utf-8"))}
        unique = {(r["document"], r["mention"]): r for r in rows}  # one vote per mention as written
        keyed = [r for k, r in sorted(unique.items()) if k in key]
        p, rc, f = pairwise([r["function"] for r in keyed], [key[(r["document"], r["mention"])] for r in keyed])
        print(f"keyed {len(keyed)}: pairwise P={p:.3f} R={rc:.3f} F1={f:.3f}")
        for r in keyed:
            if r["function"] != key[(r["document"], r["mention"])]:
                print("  differs:", r["document"][:12], r["mention"], r["function"], "≠", key[(r["document"], r["mention"])])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
