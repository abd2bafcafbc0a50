#!/usr/bin/env python3
"""Time and peak memory of indexing one search shard, by shard size: what search.MAX_SHARD_PAGES trades.

Usage:
  python bench/search_shards.py --site SITE [--sizes 125,250,500,1000,2000] [--runs 3]

SITE is a built site (say `python build.py --content /tmp/c10k --output /tmp/s10k`); each measured run indexes the
first N article pages of it with search.index_shard in a fresh process, so the peak RSS of Pagefind (the largest
child that process waited for) belongs to that run alone. Prints one line per size: pages, median seconds,
median peak MiB of Pagefind, and the bundle's size.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def one(site: Path, n: int) -> dict:
    from briefing import search

    paths = sorted(p for p in (site / "briefings").rglob("index.html"))[:n]
    pages = [(p.relative_to(site).as_posix(), p.read_bytes()) for p in paths]
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        files = search.index_shard("bench", pages, Path(work))
        seconds = time.perf_counter() - started
    if not isinstance(files, dict):
        raise SystemExit(str(files))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"pages": len(pages), "seconds": seconds, "pagefind_kib": peak, "bundle_bytes": sum(map(len, files.values()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--sizes", default="125,250,500,1000,2000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.site, args.one)))
        return
    print("| pages | seconds (median) | Pagefind peak MiB | bundle MiB |")
    print("|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        runs = [json.loads(subprocess.run([sys.executable, __file__, "--site", str(args.site), "--one", str(size)], check=True, capture_output=True, text=True).stdout) for _ in range(args.runs)]
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = statistics.median(r["pagefind_kib"] for r in runs) / 1024
        print(f"| {runs[0]['pages']} | {seconds:.2f} | {peak:.0f} | {runs[0]['bundle_bytes'] / 2**20:.1f} |", flush=True)


if __name__ == "__main__":
    main()
