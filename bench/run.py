#!/usr/bin/env python3
"""Benchmark our build on generated corpora (optionally against Hugo and Pelican) and write a Markdown report.

Usage:
  python bench/run.py [--sizes 1000,10000] [--runs 3] [--peers] [--out bench/results.md]
                      [--only cold,noop,body,tags,template,serve] [--work /tmp/briefing-bench]

See bench/README.md for what each scenario means and how the targets are judged.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import gen_corpus  # noqa: E402  (a sibling script, not a package)

SCENARIOS = {  # name -> what the row means
    "cold": "cold build: no output dir, no .cache",
    "noop": "no-op rebuild: nothing changed",
    "body": "one briefing's body edited",
    "tags": "one briefing's tags edited",
    "template": "layouts/article.html edited",
    "serve": "serve: a body edit reaches the open tab",  # last: it edits the content (and puts it back)
}
PAIRED = {  # our scenario -> the peer builds measured alongside it, run for run
    "cold": [("hugo", "cold"), ("pelican", "cold")],
    "noop": [("hugo", "warm")],
    "body": [("hugo", "edit")],
}
# The shared kit that installs and drives the peers; a CI clone finds shared/ beside the repo.
PEERS_SH_PLACES = [Path("/work/shared/bench/peers.sh"), BENCH.parent.parent / "shared" / "bench" / "peers.sh"]
TARGET_N = 10_000
SERVE_GOAL = 0.300  # seconds from a briefing's write to the open tab's reload event, at TARGET_N


@dataclass
class Result:
    """The measured runs of one scenario (ours or a peer's) at one size."""

    runs: list[float] = field(default_factory=list)
    peak_kib: int = 0  # the larger of the largest process and the tree's PSS: what the memory target is judged on
    largest_kib: int = 0  # the largest single process (ru_maxrss)
    failure: str = ""  # empty when every run succeeded

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs and not self.failure else None

    def add(self, m: dict, times: list[float] | None = None) -> bool:
        """Record one measurement (its wall time, or `times` when one command timed several things); False if it failed."""
        self.peak_kib = max(self.peak_kib, peak_kib(m))
        self.largest_kib = max(self.largest_kib, m["maxrss_kib"])
        if m["rc"] != 0:
            self.failure = f"exit {m['rc']}: " + (m["stderr"].strip().splitlines() or ["(no stderr)"])[-1]
            return False
        self.runs.extend([m["wall"]] if times is None else times)
        return True


def peak_kib(m: dict) -> int:
    """The larger of the largest single process (RSS) and the whole tree's PSS, which counts shared pages once."""
    return max(m["maxrss_kib"], m.get("tree_pss_kib", 0))


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def users_env(env: dict | None = None) -> dict:
    """The environment a build is timed in: as users run Python, which keeps the modules it compiles (__pycache__).
    Some machines set PYTHONDONTWRITEBYTECODE, and then every run compiles every module of the package again:
    about 50 ms more a run for ours at 6,300 lines, a cost no user pays, and it grows with the code, not with what the build does."""
    return {name: value for name, value in (os.environ if env is None else env).items() if name != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], cwd: Path, timeout: float, env: dict | None = None) -> dict:
    """Run `command` under bench/measure.py in a fresh process, so peak memory is this run's alone."""
    wrapper = [sys.executable, str(BENCH / "measure.py"), "--cwd", str(cwd), "--timeout", str(timeout), "--", *command]
    out = subprocess.run(wrapper, capture_output=True, text=True, env=users_env(env))
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"wall": 0.0, "rc": "measure.py failed", "maxrss_kib": 0, "tree_kib": 0, "tree_pss_kib": 0, "stderr": out.stderr}


def report_failure(label: str, m: dict) -> None:
    tail = "\n".join(m["stderr"].rstrip().splitlines()[-15:])
    log(f"  FAILED {label} (exit {m['rc']}); stderr tail:\n" + "\n".join("    " + line for line in tail.splitlines()))


# ---------------------------------------------------------------- our tool


@dataclass
class Workspace:
    """Per-size and per-variant directories: the size's pristine corpus, and the variant's working content, layouts
    copy, build cwd and output (each variant edits and builds its own copy)."""

    n: int
    root: Path
    corpus_root: Path

    corpus = property(lambda self: self.corpus_root / "corpus")
    content = property(lambda self: self.root / "content")
    layouts = property(lambda self: self.root / "layouts")
    cwd = property(lambda self: self.root / "run")  # the tool keeps its state in <cwd>/.cache
    site = property(lambda self: self.root / "site")


def prepare(n: int, work: Path, repo: Path, seed: int, label: str = "ours") -> Workspace:
    """Generate (or reuse) the corpus, then lay out a fresh content copy, layouts copy and empty state."""
    ws = Workspace(n, work / f"n{n}" / re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-"), work / f"n{n}")
    stamp = f"seed={seed} generator={_digest(BENCH / 'gen_corpus.py')}\n"
    stamp_file = ws.corpus_root / "corpus.stamp"
    if not (stamp_file.exists() and stamp_file.read_text() == stamp and ws.corpus.is_dir()):
        log(f"n={n}: generating corpus into {ws.corpus}")
        shutil.rmtree(ws.corpus, ignore_errors=True)
        gen_corpus.generate(n, str(ws.corpus), seed)
        stamp_file.write_text(stamp)
    for d in (ws.content, ws.layouts, ws.cwd, ws.site):
        shutil.rmtree(d, ignore_errors=True)
    ws.root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ws.corpus, ws.content)
    if (repo / "layouts").is_dir():
        shutil.copytree(repo / "layouts", ws.layouts)
    ws.cwd.mkdir(parents=True)
    return ws


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def build_command(repo: Path, ws: Workspace, search: bool = False) -> list[str]:
    """The build line; --layouts and -q only when the tool's --help lists them (it may still be partial)."""
    build = repo / "build.py"
    cmd = [sys.executable, str(build), "--content", str(ws.content), "--output", str(ws.site)]
    usage = ""
    for ask in (["--help"], ["build", "--help"]):  # options may sit on a `build` subcommand
        try:
            usage += subprocess.run([sys.executable, str(build), *ask], capture_output=True, text=True, timeout=60).stdout
        except subprocess.TimeoutExpired:
            pass
    if "--layouts" in usage and ws.layouts.is_dir():
        cmd += ["--layouts", str(ws.layouts)]
    if "-q" in usage.split() or "-q," in usage:
        cmd.append("-q")
    if not search and "--no-search" in usage:  # the peers build no search index; compare like with like
        cmd.append("--no-search")
    return cmd


class OurBuild:
    """Our tool (one variant: a checkout, search on or off) at one size: its build line, whether its state is warm,
    and the change each scenario makes."""

    def __init__(self, ws: Workspace, repo: Path, timeout: float, seed: int, search: bool = True, edits: int = 7, label: str = "ours"):
        self.ws, self.timeout, self.label = ws, timeout, label
        self.missing = "" if (repo / "build.py").exists() else f"{repo / 'build.py'} does not exist"
        self.serve_timeout = timeout * (edits + 2)  # serve_latency's own deadlines fire first and stop the server
        self.serve_cmd = [sys.executable, str(BENCH / "serve_latency.py"), "--content", str(ws.content), "--layouts",
                          str(ws.layouts), "--repo", str(repo), "--edits", str(edits), "--workdir", str(ws.root),
                          "--timeout", str(timeout), "--json", str(ws.root / "serve.json")]
        self.cmd = [] if self.missing else build_command(repo, ws, search)
        self.repo, self.search = repo, search
        self.edits = _edits(ws, seed)
        self.warm = False
        self.facts: dict = {"command": " ".join(self.cmd)} if self.cmd else {}

    def start(self, name: str, result: Result) -> bool:
        """Get ready for a scenario: a warm state (one unmeasured build) for all but cold; False if impossible."""
        if self.missing:
            result.failure = self.missing
        elif name == "template" and not (self.ws.layouts / "article.html").exists():
            result.failure = "layouts/article.html not found"
        elif name not in ("cold", "serve") and not self.warm:  # serve builds from nothing, in a folder of its own
            m = measure(self.cmd, self.ws.cwd, self.timeout)
            self.warm = m["rc"] == 0
            if not self.warm:
                report_failure(f"priming build for {name}", m)
                result.failure = "no successful build to start from"
        return not result.failure

    def step(self, name: str, k: int, runs: int, result: Result) -> bool:
        """Make the scenario's change, then one measured build; False if it failed."""
        ws = self.ws
        if name == "serve":
            return self.serve(result)
        if name == "cold":
            shutil.rmtree(ws.site, ignore_errors=True)
            shutil.rmtree(ws.cwd / ".cache", ignore_errors=True)
        elif name in self.edits:
            self.edits[name](k)
        m = measure(self.cmd, ws.cwd, self.timeout)
        self.warm = result.add(m)
        log(f"n={ws.n} {self.label} {name} run {k}/{runs}: {m['wall']:.2f} s, "
            f"peak {peak_kib(m) / 1024:.0f} MiB" + ("" if self.warm else " FAILED"))
        if not self.warm:
            report_failure(f"{name} run {k}", m)
        elif name == "cold" and k == runs:
            self.facts["html_pages"] = sum(1 for _ in ws.site.rglob("*.html"))
            self.facts["files"] = sum(1 for p in ws.site.rglob("*") if p.is_file())
        return self.warm

    def serve(self, result: Result) -> bool:
        """One `serve` session under measure.py, so its memory is measured too; its runs are the edits' latencies."""
        (self.ws.root / "serve.json").unlink(missing_ok=True)
        m = measure(self.serve_cmd, self.ws.root, self.serve_timeout)
        try:
            times = json.loads((self.ws.root / "serve.json").read_text())["latencies"]
        except (OSError, ValueError, KeyError):
            times = []
        if m["rc"] == 0 and not times:
            m["rc"], m["stderr"] = "no result", m["stderr"] + "\nserve_latency.py wrote no latencies"
        ok = result.add(m, times)
        log(f"n={self.ws.n} {self.label} serve: " + (f"median {result.median:.3f} s over {len(times)} edits "
            f"({', '.join(f'{t:.3f}' for t in times)}), peak {peak_kib(m) / 1024:.0f} MiB" if ok else "FAILED"))
        if not ok:
            report_failure("serve", m)
        return ok


def _edits(ws: Workspace, seed: int) -> dict:
    """The change each edit scenario makes before run k: a new sentence, a swapped tag, a template comment."""
    files = sorted(ws.content.glob("briefings/*/*.md"))
    body_file = files[len(files) // 2] if files else None
    tags_file = files[len(files) // 3] if files else None
    _, pool, _ = gen_corpus.build_pools(seed)
    topics = {gen_corpus.q(name) for name, _, _ in gen_corpus.TOPICS}

    def body(k: int) -> None:
        with open(body_file, "a", encoding="utf-8") as f:
            f.write(f"\nThe benchmark appended sentence number {k} to this briefing.\n")

    def tags(k: int) -> None:
        head, sep, rest = tags_file.read_text(encoding="utf-8").partition("\n---\n")
        lines = head.split("\n")
        i = max(j for j, line in enumerate(lines) if line.startswith("  - ") and line[4:] not in topics)
        # a mid-popularity tag the briefing does not have yet, different on every run
        new = next(t for t in pool[100 + k :] if f"  - {gen_corpus.q(t)}" not in lines)
        lines[i] = f"  - {gen_corpus.q(new)}"
        tags_file.write_text("\n".join(lines) + sep + rest, encoding="utf-8")

    def template(k: int) -> None:
        with open(ws.layouts / "article.html", "a", encoding="utf-8") as f:
            f.write(f"<!-- bench edit {k} -->\n")

    return {"body": body, "tags": tags, "template": template}


# ---------------------------------------------------------------- peers


def peers_env(anchors: Path) -> dict:
    return {**os.environ, "A": str(anchors)}


def peers_ready(anchors: Path) -> bool:
    venv = anchors / "venv"
    return (venv / "bin" / "pelican").exists() and any(venv.glob("lib/python3*/site-packages/hugo/binaries/hugo"))


class PeerBuilds:
    """Hugo and Pelican at one size, driven through the shared peers.sh."""

    def __init__(self, n: int, work: Path, anchors: Path, timeout: float, script: Path):
        self.n, self.work, self.timeout, self.env, self.script = n, work, timeout, peers_env(anchors), str(script)
        self.failure = ""
        if not (anchors / "sites" / f"hugo-{n}").is_dir() or not (anchors / "sites" / f"pelican-{n}").is_dir():
            log(f"n={n}: peers.sh setup {n}")
            done = subprocess.run(["bash", self.script, "setup", str(n)], env=self.env, capture_output=True, text=True)
            if done.returncode != 0:
                self.failure = "peers.sh setup failed: " + done.stderr.strip()[-200:]

    def _command(self, peer: str, mode: str) -> list[str]:
        return ["bash", self.script, "build", peer, str(self.n), mode]

    def start(self, key: tuple[str, str], result: Result) -> bool:
        result.failure = self.failure
        if not result.failure and key[1] == "warm":  # warm reuses the last warm build's output: make one first
            subprocess.run(self._command(*key), env=self.env, capture_output=True)
        return not result.failure

    def step(self, key: tuple[str, str], k: int, runs: int, result: Result) -> bool:
        m = measure(self._command(*key), self.work, self.timeout, self.env)
        ok = result.add(m)
        log(f"n={self.n} {key[0]} {key[1]} run {k}/{runs}: {m['wall']:.2f} s" + ("" if ok else " FAILED"))
        if not ok:
            report_failure(" ".join(key), m)
        return ok

    def finish(self, key: tuple[str, str]) -> None:
        if key[1] == "cold":  # cold outputs pile up under $A/out/cold
            subprocess.run(["bash", self.script, "clean-cold"], env=self.env, capture_output=True)


def bench_size(variants: list[OurBuild], peers: PeerBuilds | None, runs: int, only: list[str]) -> tuple[dict, dict]:
    """Each scenario in turn; inside it, run k of every variant of ours, then run k of the paired peer builds, so that
    load drift hits all of them alike. Serve is timed once per checkout (it never builds the search index)."""
    paired = {name: list(keys) for name, keys in PAIRED.items()}
    if "body" not in only:  # Hugo's edit is still needed as the reference of the tags edit
        paired["tags"] = paired.pop("body")
    mine: dict[str, dict[str, Result]] = {v.label: {} for v in variants}
    theirs: dict[tuple[str, str], Result] = {}
    for name in only:
        log(f"n={variants[0].ws.n}: {SCENARIOS[name]}")
        chosen = [v for v in variants if name != "serve" or v.search or not any(w.repo == v.repo and w.search for w in variants)]
        keys = paired.get(name, []) if peers else []
        live = {}
        for v in chosen:
            mine[v.label][name] = Result()
            live[v.label] = v.start(name, mine[v.label][name])
        for key in keys:
            theirs[key] = Result()
            live[key] = peers.start(key, theirs[key])
        for k in range(1, (1 if name == "serve" else runs) + 1):  # one serve session times several edits
            for v in chosen:
                if live[v.label]:
                    live[v.label] = v.step(name, k, runs, mine[v.label][name])
            for key in keys:
                if live[key]:
                    live[key] = peers.step(key, k, runs, theirs[key])
        for key in keys:
            peers.finish(key)
    return mine, theirs


# ---------------------------------------------------------------- report


def machine(repo: Path, anchors: Path | None) -> list[tuple[str, str]]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    rev = _out(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"]) or "?"
    dirty = _out(["git", "-C", str(repo), "status", "--porcelain", "--", "briefing", "build.py", "layouts"])
    rows = [
        ("nproc", str(len(os.sched_getaffinity(0)))),
        ("CPU", cpu),
        ("load average at start", " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("Python", platform.python_version()),
        ("Briefing", f"git {rev}" + (" + uncommitted changes" if dirty else "")),
    ]
    if anchors is not None and peers_ready(anchors):
        hugo = next(iter(anchors.glob("venv/lib/python3*/site-packages/hugo/binaries/hugo")))
        rows.append(("Hugo", ((_out([str(hugo), "version"]) or "? ?").split() + ["?"])[1].split("-")[0]))
        rows.append(("Pelican", _out([str(anchors / "venv/bin/pelican"), "--version"]) or "?"))
    return rows


def _out(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def fmt(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


SEARCH_LABEL, NO_SEARCH_LABEL = "ours", "ours --no-search"


def targets(n: int, results: dict[str, dict[str, Result]], peers: dict | None, results_all: dict[int, dict[str, dict[str, Result]]]) -> list[list[str]]:
    """One row per target: what is compared, the two numbers, the ratio, the goal and PASS/FAIL. The default build
    (search on) is judged on issue 13's goals, `--no-search` on the earlier speed goals, and against a baseline
    checkout (measured the same way in the same run) on the no-regression goal."""
    rows: list[list[str]] = []

    def med(label: str, name: str) -> float | None:
        r = results.get(label, {}).get(name)
        return r.median if r is not None else None

    def peer(p: str, mode: str) -> float | None:
        return peers[(p, mode)].median if peers and (p, mode) in peers else None

    def row(what: str, a: float | None, b: float | None, ratio_of, goal: str, ok) -> None:
        ratio = ratio_of(a, b) if a is not None and b is not None and a > 0 and b > 0 else None
        verdict = "—" if ratio is None else ("PASS" if ok(ratio) else "FAIL")
        rows.append([what, fmt(a), fmt(b), fmt(ratio), goal, verdict])

    def peak(label: str) -> float:
        return max((r.peak_kib for r in results.get(label, {}).values()), default=0) / 1024

    def memory(label: str, limit: int) -> None:
        top = peak(label)
        rows.append([f"{label}: peak memory, MiB (any scenario)", fmt(top or None, 0), str(limit), fmt(top / limit if top else None), "≤ 1.00", "—" if not top else ("PASS" if top <= limit else "FAIL")])

    ours, bare = SEARCH_LABEL, NO_SEARCH_LABEL
    if ours in results:
        row(f"{ours} cold ÷ Hugo cold", med(ours, "cold"), peer("hugo", "cold"), lambda a, b: a / b, "≤ 3.50", lambda r: r <= 3.5)
        row(f"{ours} body edit ÷ Hugo edit", med(ours, "body"), peer("hugo", "edit"), lambda a, b: a / b, "≤ 0.25 (1/4)", lambda r: r <= 1 / 4)
        row(f"{ours} tags edit ÷ Hugo edit", med(ours, "tags"), peer("hugo", "edit"), lambda a, b: a / b, "≤ 0.333 (1/3)", lambda r: r <= 1 / 3)
        memory(ours, 800 if n <= TARGET_N else 4096)  # issue 13: 800 MiB at 10,000; a 100,000 cold build under 4 GiB
    if bare in results:
        row(f"{bare} cold: Pelican cold ÷ ours", med(bare, "cold"), peer("pelican", "cold"), lambda a, b: b / a, "≥ 3.00", lambda r: r >= 3)
        row(f"{bare} cold ÷ Hugo cold", med(bare, "cold"), peer("hugo", "cold"), lambda a, b: a / b, "≤ 3.00", lambda r: r <= 3)
        row(f"{bare} no-op ÷ Hugo warm", med(bare, "noop"), peer("hugo", "warm"), lambda a, b: a / b, "≤ 0.167 (1/6)", lambda r: r <= 1 / 6)
        row(f"{bare} body edit ÷ Hugo edit", med(bare, "body"), peer("hugo", "edit"), lambda a, b: a / b, "≤ 0.20 (1/5)", lambda r: r <= 1 / 5)
        row(f"{bare} tags edit ÷ Hugo edit", med(bare, "tags"), peer("hugo", "edit"), lambda a, b: a / b, "≤ 0.25 (1/4)", lambda r: r <= 1 / 4)
        memory(bare, 600)
    serving = ours if "serve" in results.get(ours, {}) else bare
    row("serve: edit → reload, s (median of the edits)", med(serving, "serve"), SERVE_GOAL, lambda a, b: a / b, f"≤ 1.00 ({SERVE_GOAL:.3f} s)", lambda r: r <= 1)
    rows[-1][1:3] = [fmt(med(serving, "serve"), 3), fmt(SERVE_GOAL, 3)]
    for label in [label for label in results if label.startswith("baseline")]:
        for name in SCENARIOS:
            mine = bare if name != "serve" else serving
            if med(mine, name) is not None and med(label, name) is not None:
                row(f"no regression, {SCENARIOS[name]}: {mine} ÷ {label}", med(mine, name), med(label, name), lambda a, b: a / b, "≤ 1.10", lambda r: r <= 1.1)
    smaller = [m for m in sorted(results_all) if m < n]
    for label in (ours, bare):
        if smaller and label in results:
            base = smaller[0]
            for name, what in (("cold", "cold"), ("noop", "no-op")):
                a = med(label, name)
                r = results_all[base].get(label, {}).get(name)
                b = r.median if r is not None else None
                row(f"{label} growth, {what}: s/briefing at {n:,} ÷ at {base:,}", a / n if a else None, b / base if b else None, lambda a, b: a / b, "≤ 1.20", lambda r: r <= 1.2)
                rows[-1][1:3] = [fmt(a / n * 1000 if a else None, 3) + " ms", fmt(b / base * 1000 if b else None, 3) + " ms"]
    return rows


def render(argv: list[str], rows_machine, sizes, runs, ours_all, facts_all, peers_all, peer_note) -> str:
    out = [f"# Briefing benchmark", "",
           f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC: `python bench/run.py {' '.join(argv)}`", "",
           "| machine | |", "|---|---|", *[f"| {k} | {v} |" for k, v in rows_machine], ""]
    out += [f"## Our build (median of {runs} runs, wall seconds)", "",
            f"`{SEARCH_LABEL}` is `python build.py` as users run it (search on); `{NO_SEARCH_LABEL}` skips the search index; "
            "a `baseline` is another checkout measured the same way in the same run.", "",
            "| N | build | scenario | median s | runs s | ms per briefing | peak MiB (max of largest process RSS, tree PSS) "
            "| largest process MiB | status |",
            "|---:|---|---|---:|---|---:|---:|---:|---|"]
    failures = []
    for n in sizes:
        for label, results in ours_all[n].items():
            for name, r in results.items():
                status = "FAILED" if r.failure else "ok"
                if r.failure:
                    failures.append(f"- N={n:,} {label} {name}: {r.failure}")
                digits = 3 if name == "serve" else 2  # the serve goal is 0.300 s
                per = fmt(r.median / n * 1000, 3) if r.median is not None and name != "serve" else "—"
                out.append(f"| {n:,} | {label} | {SCENARIOS[name]} | {fmt(r.median, digits)} | {', '.join(f'{x:.{digits}f}' for x in r.runs) or '—'} "
                           f"| {per} | {fmt(r.peak_kib / 1024 if r.peak_kib else None, 0)} "
                           f"| {fmt(r.largest_kib / 1024 if r.largest_kib else None, 0)} | {status} |")
    out.append("\nPeak MiB is the larger of the largest single process's RSS (`ru_maxrss`) and the whole process "
               "tree's PSS (pages shared by forked workers split among them, not counted once per process), "
               "the maximum over the scenario's runs.")
    if any("serve" in results for n in sizes for results in ours_all[n].values()):
        out.append("The serve row times one `build.py serve` session (bench/serve_latency.py): its runs are the "
                   "seconds from each edited briefing's write to the reload event on the open event stream; "
                   "its memory is the whole session's, first build included.")
    for n in sizes:
        f = facts_all.get(n, {})
        if "html_pages" in f:
            out.append(f"\nN={n:,}: the cold build wrote {f['html_pages']:,} HTML pages, {f['files']:,} files.")
    commands = dict.fromkeys(c for f in facts_all.values() for c in f.get("commands", ()))
    if commands:
        out.append("\nBuild commands: " + "; ".join(f"`{c}`" for c in commands))
    out.append("")
    if any(peers_all.values()):
        out += [f"## Peers (same run, median of {runs} runs)", "",
                "| N | peer | mode | median s | runs s | peak MiB (max of largest process RSS, tree PSS) | status |",
                "|---:|---|---|---:|---|---:|---|"]
        for n in sizes:
            for (p, mode), r in peers_all.get(n, {}).items():
                if r.failure:
                    failures.append(f"- N={n:,} {p} {mode}: {r.failure}")
                out.append(f"| {n:,} | {p} | {mode} | {fmt(r.median)} | {', '.join(f'{x:.2f}' for x in r.runs) or '—'} "
                           f"| {fmt(r.peak_kib / 1024 if r.peak_kib else None, 0)} | {'FAILED' if r.failure else 'ok'} |")
        out.append("")
    elif peer_note:
        out += [f"Peers: {peer_note}", ""]
    for n in sizes:
        note = "" if n == TARGET_N else f" (targets are set at N={TARGET_N:,}; indicative only)"
        out += [f"## Targets at N={n:,}{note}", "",
                "| target | ours | reference | ratio | goal | result |", "|---|---:|---:|---:|---|---|"]
        out += ["| " + " | ".join(r) + " |" for r in targets(n, ours_all[n], peers_all.get(n), ours_all)]
        out.append("")
    if failures:
        out += ["## Failures (last stderr line; the full tail was printed during the run)", "", *failures, ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=3, help="measured runs per scenario; the median is reported")
    ap.add_argument("--peers", action="store_true", help="also time Hugo (cold, warm, edit) and Pelican (cold)")
    ap.add_argument("--only", default=",".join(SCENARIOS), help=f"scenarios to run, of {','.join(SCENARIOS)}")
    ap.add_argument("--out", default=str(BENCH / "results.md"), help="where to write the Markdown report")
    ap.add_argument("--work", default="/tmp/briefing-bench", help="work dir for corpora, outputs and build state")
    ap.add_argument("--repo", default=str(BENCH.parent), help="the Briefing checkout whose build.py is measured")
    ap.add_argument("--anchors", default=os.environ.get("A", "/tmp/anchors"), help="peers.sh's $A")
    ap.add_argument("--peers-sh", default=str(next((p for p in PEERS_SH_PLACES if p.exists()), PEERS_SH_PLACES[0])),
                    help="the shared peers.sh (default /work/shared/bench/peers.sh)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--modes", default="search,no-search", help="our builds to time: search (the default build), no-search, or both (default)")
    ap.add_argument("--baseline", action="append", default=[], metavar="REPO", help="another checkout timed with --no-search in the same run, for the no-regression goal (repeatable)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before one build is killed")
    ap.add_argument("--edits", type=int, default=7, help="timed edits in the serve scenario; the median is reported")
    a = ap.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in a.sizes.split(",") if s.strip())
    only = [s.strip() for s in a.only.split(",") if s.strip()]
    unknown = [s for s in only if s not in SCENARIOS]
    if unknown:
        ap.error(f"unknown scenario {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    only = [s for s in SCENARIOS if s in only]  # always in the order that keeps the build state meaningful
    repo, work, anchors = Path(a.repo).resolve(), Path(a.work), Path(a.anchors)
    work.mkdir(parents=True, exist_ok=True)

    peer_note = ""
    if a.peers and not peers_ready(anchors):
        log(f"installing peers (log: {work / 'peers-install.log'}) ...")
        with open(work / "peers-install.log", "w") as logf:
            subprocess.run(["bash", a.peers_sh, "install"], env=peers_env(anchors), stdout=logf, stderr=subprocess.STDOUT)
        if not peers_ready(anchors):
            peer_note = f"not measured: `peers.sh install` did not produce Hugo and Pelican (see {work / 'peers-install.log'})"
    rows_machine = machine(repo, anchors if a.peers else None)

    ours_all: dict[int, dict[str, Result]] = {}
    facts_all: dict[int, dict] = {}
    peers_all: dict[int, dict] = {}
    modes = [m.strip() for m in a.modes.split(",") if m.strip()]
    plan = [(SEARCH_LABEL, repo, True)] * ("search" in modes) + [(NO_SEARCH_LABEL, repo, False)] * ("no-search" in modes)
    plan += [(f"baseline {_out(['git', '-C', b, 'rev-parse', '--short', 'HEAD']) or Path(b).name} --no-search", Path(b).resolve(), False) for b in a.baseline]
    for n in sizes:
        variants = [OurBuild(prepare(n, work, path, a.seed, label), path, a.timeout, a.seed, search, a.edits, label) for label, path, search in plan]
        peers = PeerBuilds(n, work, anchors, a.timeout, Path(a.peers_sh)) if a.peers and not peer_note else None
        ours_all[n], peers_all[n] = bench_size(variants, peers, a.runs, only)
        facts_all[n] = {**variants[0].facts, "commands": [" ".join(v.cmd) for v in variants if v.cmd]}
        for v in variants:
            shutil.rmtree(v.ws.site, ignore_errors=True)  # outputs of 100k briefings are large; keep the corpus only
    text = render(argv, rows_machine, sizes, a.runs, ours_all, facts_all, peers_all,
                  peer_note or ("" if a.peers else "not measured (pass --peers)"))
    print(text)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(text + "\n", encoding="utf-8")
    log(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
