"""Shared fixtures: small sites built from dicts into tmp_path, so no test touches the repo's content/ or site/."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "layouts"
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)

SITE_YAML = """\
title: Test Briefings
description: A small collection for tests.
base_url: https://example.org/
language: en
timezone: America/New_York
per_page: 2
"""


def briefing_text(title="A briefing", author="Jane Doe", date="2020-01-02", tags=("news",), body="Some text.", **extra) -> str:
    """A briefing file's text; extra fields are written as YAML lines verbatim (key: value)."""
    lines = ["---", f'title: "{title}"', f"author: {author}", f"date: {date}", "tags:"]
    lines += [f"  - {tag}" for tag in tags]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines + ["---", "", textwrap.dedent(body).strip(), ""])


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


@pytest.fixture
def make_content(tmp_path):
    """make_content({'briefings/2020/a.md': text, ...}) -> a content folder with a site.yaml."""

    def make(files: dict[str, str | bytes], site_yaml: str = SITE_YAML) -> Path:
        root = tmp_path / "content"
        return write_tree(root, {"site.yaml": site_yaml, **files})

    return make


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in a subprocess, as a user would run it."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd or ROOT, capture_output=True, text=True, env=env, timeout=300)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root with its bytes: two equal snapshots are the same site."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def copy_layouts(tmp_path):
    def copy() -> Path:
        target = tmp_path / "layouts"
        shutil.copytree(LAYOUTS, target)
        return target

    return copy
