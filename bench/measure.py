#!/usr/bin/env python3
"""Run one command and print, as one JSON line, its wall seconds, exit code, stderr tail and peak memory.

Usage:
  python bench/measure.py [--cwd DIR] [--timeout S] -- COMMAND ARGS...

Run it in a fresh process for every measured build: `getrusage(RUSAGE_CHILDREN)`
keeps the largest RSS of any child ever waited for, so reusing a process would
carry one build's peak into the next.

Three peaks are reported, in KiB:
  maxrss_kib   - the largest single process of the tree (kernel's ru_maxrss);
  tree_kib     - the largest sum of RSS over the whole tree, sampled every 50 ms;
                 pages that forked workers share with their parent (copy-on-write)
                 count once per process, so a forked pool overstates it;
  tree_pss_kib - the largest sum of PSS over the tree: each shared page is split
                 among the processes that map it, so the sum is what the tree
                 really holds (from /proc/PID/smaps_rollup). Reading it walks
                 page tables (about 10 ms per 300 MB), so it is sampled every
                 50 ms or 20 times its own cost, whichever is longer: a few
                 hundred ms apart for a large build. Each PSS sample also counts
                 towards tree_kib, so tree_pss_kib <= tree_kib.
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
PSS_COST_SHARE = 20  # a PSS sample that took t seconds is followed by the next one no sooner than 20 t later


def _tree_kib(root: int, pss: bool) -> tuple[int, int]:
    """Sums of RSS and PSS (0 unless `pss`) over `root` and every process descended from it, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        fields = _stat(entry) if entry.isdigit() else None
        if fields:
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * PAGE_KIB
    total = [0, 0]
    stack = [root]
    while stack:
        pid = stack.pop()
        # without smaps_rollup (old kernel, or not ours to read) RSS stands in for PSS: an overstatement
        one = (_rss_pss_kib(pid) or (rss.get(pid, 0),) * 2) if pss else (rss.get(pid, 0), 0)
        total = [total[0] + one[0], total[1] + one[1]]
        stack.extend(children.get(pid, ()))
    return total[0], total[1]


def _rss_pss_kib(pid: int) -> tuple[int, int] | None:
    """One process's RSS and PSS from one read of smaps_rollup, so PSS never exceeds RSS; None if it cannot be read."""
    found = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith((b"Rss:", b"Pss:")):
                    found[line[:3]] = int(line.split()[1])
    except (OSError, ValueError):
        return None
    return (found[b"Rss"], found[b"Pss"]) if len(found) == 2 else None


def _stat(pid: str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (field 4 on), or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode("ascii", "replace")
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :].split()  # the command name may hold spaces and parentheses


def measure(command: list[str], cwd: str | None, timeout: float) -> dict:
    """Run `command` once; return wall seconds, exit code, stderr tail and the three peaks."""
    peak = [0, 0]  # tree RSS, tree PSS
    done = threading.Event()

    def sample(pid: int) -> None:
        next_pss = 0.0
        while not done.is_set():
            began = time.monotonic()
            with_pss = began >= next_pss
            rss, pss = _tree_kib(pid, with_pss)
            if with_pss:  # reading PSS walks every page table: keep that to about 5% of one core
                next_pss = began + PSS_COST_SHARE * (time.monotonic() - began)
            peak[:] = max(peak[0], rss), max(peak[1], pss)
            done.wait(0.05)

    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        sampler = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
        sampler.start()
        # Popen.wait(timeout=…) polls with sleeps of up to 50 ms, which rounded every wall time up to the next 50 ms
        # step (a no-op build read 0.37, 0.42 or 0.47 s): a plain wait returns at once, and a timer kills on timeout.
        expired = threading.Event()
        killer = threading.Timer(timeout, lambda: (expired.set(), proc.kill()))
        killer.start()
        rc = proc.wait()
        wall = time.perf_counter() - start
        killer.cancel()
        rc = "timeout" if expired.is_set() else rc
        done.set()
        sampler.join()
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return {"wall": wall, "rc": rc, "maxrss_kib": maxrss, "tree_kib": peak[0], "tree_pss_kib": peak[1], "stderr": tail}


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
