"""The search index: Pagefind over the pages a theme marks, made from the new tree's pages and published with them."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from . import fingerprint
from .errors import Problem
from .writer import Kept, digest

MARK = b"data-pagefind-body"  # the theme opts pages in; a theme that marks none gets no index
FOLDER = "pagefind"  # the index's place in the site; no page or alias may claim it
TIMEOUT = 600


def find_pagefind() -> Path | None:
    """The pagefind binary: $PAGEFIND_BINARY_PATH (Pagefind's own variable), PyPI's pagefind_bin, or PATH."""
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return Path(override) if Path(override).is_file() else None
    try:
        from pagefind_bin import get_executable
    except ImportError:
        found = shutil.which("pagefind_extended") or shutil.which("pagefind")
        return Path(found) if found else None
    try:
        return Path(get_executable())
    except Exception:  # the wheel is there but has no binary for this platform
        return None


@lru_cache(maxsize=1)
def version() -> str:
    """Pagefind's version: an index made by another version is made again."""
    binary = find_pagefind()
    if binary is None:
        return ""
    try:
        return subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def index_files(outputs: dict[str, tuple], previous: dict[str, tuple], live: dict[str, bytes], problems: list[Problem]) -> Callable[[Callable[[str], bytes]], Iterator[tuple[str, bytes | Kept]]]:
    """The writer's `derived` step: the index of the pages marked in `outputs` (path -> fingerprint, digest, marked),
    kept as it is when those pages are the same, else made anew from the new tree's bytes; its files join `outputs`."""

    def derive(read: Callable[[str], bytes]) -> Iterator[tuple[str, bytes | Kept]]:
        indexed = [(rel, value[1]) for rel, value in outputs.items() if value[2]]
        if not indexed:
            return
        fp = fingerprint.digest(version().encode(), *(rel.encode() + b"\0" + page_digest for rel, page_digest in sorted(indexed)))
        old = {rel: value for rel, value in previous.items() if rel.startswith(FOLDER + "/")}
        if old and all(value[0] == fp and live.get(rel) == value[1] for rel, value in old.items()):
            for rel, value in old.items():
                outputs[rel] = value
                yield rel, Kept(value[1])
            return
        made = run_pagefind([(rel, read(rel)) for rel, _ in indexed], problems)
        for rel, data in made.items():
            outputs[rel] = (fp, digest(data), False)
            yield rel, data

    return derive


def run_pagefind(pages: list[tuple[str, bytes]], problems: list[Problem]) -> dict[str, bytes]:
    """Index these pages in a private folder and return Pagefind's files by output path; a warning when it cannot."""
    binary = find_pagefind()
    if binary is None:
        problems.append(Problem("pagefind", 1, 1, "", "Pagefind is not installed, so the site has no search index", "pip install 'pagefind[bin]'", "warning"))
        return {}
    with tempfile.TemporaryDirectory(prefix="briefing-search-") as folder:
        root = Path(folder)
        for rel, data in pages:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        try:
            done = subprocess.run([str(binary), "--site", str(root), "--silent"], capture_output=True, text=True, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.append(Problem("pagefind", 1, 1, "", f"Pagefind could not run: {exc}", "the pages were built; search will not work", "warning"))
            return {}
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
            problems.append(Problem("pagefind", 1, 1, "", f"Pagefind failed: {detail[0]}", "the pages were built; search will not work", "warning"))
            return {}
        index = root / FOLDER
        return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(index.rglob("*")) if path.is_file()}
