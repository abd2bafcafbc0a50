#!/usr/bin/env python3
"""Run one command and print, as one JSON line, its wall seconds, exit code, stderr tail and peak memory.

Usage:
  python bench/measure.py [--cwd DIR] [--timeout S] -- COMMAND ARGS...

Run it in a fresh process for every measured build: `getrusage(RUSAGE_CHILDREN)`
keeps the largest RSS of any child ever waited for, so reusing a process would
carry one build's peak into the next.

Two peaks are reported, in KiB:
  maxrss_kib - the largest single process of the tree (kernel's ru_maxrss);
  tree_kib   - the largest sum of RSS over the whole tree, sampled every 50 ms
               (catches worker pools whose processes are each small).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _tree_rss_kib(root: int) -> int:
    """Sum of RSS of `root` and every process descended from it, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()  # the command name may hold spaces
        pid = int(entry)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * PAGE_KIB
    total, stack = 0, [root]
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def measure(command: list[str], cwd: str | None, timeout: float) -> dict:
    """Run `command` once; return wall seconds, exit code, stderr tail and the two peaks."""
    peak = [0]
    done = threading.Event()

    def sample(pid: int) -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(pid))
            done.wait(0.05)

    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        sampler = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
        sampler.start()
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            rc = "timeout"
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return {"wall": wall, "rc": rc, "maxrss_kib": maxrss, "tree_kib": peak[0], "stderr": tail}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cwd")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not command:
        ap.error("no command given")
    print(json.dumps(measure(command, a.cwd, a.timeout)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
