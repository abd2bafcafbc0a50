"""Index a finished site for full-text search with Pagefind, as the writer's last step before the swap."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .errors import Problem

MARK = b"data-pagefind-body"  # the theme opts pages in; a theme that marks none gets no index
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


def run_pagefind(site_dir: Path) -> Problem | None:
    """Write site_dir/pagefind/; a warning when Pagefind is missing or fails, since the pages stand without it."""
    binary = find_pagefind()
    if binary is None:
        return Problem("pagefind", 1, 1, "", "Pagefind is not installed, so the site has no search index", "pip install 'pagefind[bin]'", "warning")
    try:
        done = subprocess.run([str(binary), "--site", str(site_dir), "--silent"], capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Problem("pagefind", 1, 1, "", f"Pagefind could not run: {exc}", "the pages were built; search will not work", "warning")
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        return Problem("pagefind", 1, 1, "", f"Pagefind failed: {detail[0]}", "the pages were built; search will not work", "warning")
    return None

