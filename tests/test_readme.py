"""The README's account of the code (every module, its size and its job) is made from the tree, so it cannot go stale.

After a change to the package: UPDATE_README=1 python -m pytest tests/test_readme.py, then review `git diff README.md`.
"""
from __future__ import annotations

import ast
import os
import re

from conftest import ROOT

START = "<!-- code: made by tests/test_readme.py from the tree; UPDATE_README=1 python -m pytest tests/test_readme.py -->"
END = "<!-- end of code -->"


def code_section() -> str:
    """A table of every module of the package: its path, its lines, and the first sentence of its docstring."""
    rows, total = [], 0
    for path in sorted((ROOT / "briefing").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n")
        total += lines
        doc = (ast.get_docstring(ast.parse(source)) or "").strip()
        job = re.split(r"(?<=\.)\s", " ".join(doc.split()), maxsplit=1)[0] if doc else ""
        rows.append(f"| `{path.relative_to(ROOT).as_posix()}` | {lines} | {job} |")
    table = ["| module | lines | job (its docstring's first sentence) |", "|---|---:|---|", *rows, f"| total | {total} | |"]
    return "\n".join([START, *table, END])


def test_the_readme_lists_every_module_with_its_size_and_job():
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert START in text and END in text, "the README has lost its markers for the code section"
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    expected = before + code_section() + after
    if os.environ.get("UPDATE_README"):
        readme.write_text(expected, encoding="utf-8")
    assert text == expected, "the README's code section is stale: UPDATE_README=1 python -m pytest tests/test_readme.py"


def test_every_module_says_its_job_in_one_sentence():
    missing = [row for row in code_section().splitlines() if row.startswith("| `") and row.endswith("|  |")]
    assert not missing, missing
