"""The importer on real articles: tests/import-corpus measured by bench/import_accuracy.py, so a regression fails CI."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("trafilatura")
BENCH = Path(__file__).resolve().parent.parent / "bench" / "import_accuracy.py"
FIELDS = ("imported", "usable", "title", "author", "date", "first sentence", "clean body")
# What the importer reaches (percent, rounded down), per part of the corpus (tests/import-corpus/SOURCES.md says which
# files are held out and why). The development files (425, the first twelve rounds) have all been read while working on
# the importer: on them the bar of issue 12 is asserted (on "all" when no file is held out). The development floors are
# what the eleventh pass reaches on them, rounded down. A held-out round is measured once; its floors are those figures
# rounded down, so it is reported and guarded, not tuned for. The held-out floors below are the thirteenth round's (6
# files), measured once after the eleventh pass.
FLOOR = {
    "development": {
        "html": {"imported": 100, "usable": 100, "title": 100, "author": 100, "date": 100, "first sentence": 97, "clean body": 96},
        "text": {"imported": 99, "usable": 97, "title": 97, "author": 99, "date": 99, "first sentence": 95, "clean body": 96},
    },
    "held-out": {
        "html": {"imported": 66, "usable": 66, "title": 66, "author": 66, "date": 66, "first sentence": 33, "clean body": 66},
        "text": {"imported": 100, "usable": 66, "title": 100, "author": 66, "date": 100, "first sentence": 100, "clean body": 66},
    },
}
BAR = {"imported": 95, "title": 95, "author": 95, "date": 95, "first sentence": 95, "clean body": 90}


def _load():
    spec = importlib.util.spec_from_file_location("import_accuracy", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def table() -> dict:
    return _load().measure()["table"]


def _percent(table: dict, engine: str, kind: str, field: str, part: str = "development") -> float:
    right, total = table[(engine, kind, part)][field]
    return 100 * right / total


def _parts(table: dict) -> set[str]:
    return {part for _, _, part in table}


@pytest.mark.parametrize("part", ["development", "held-out"])
@pytest.mark.parametrize("kind", ["html", "text"])
def test_no_field_falls_below_what_the_importer_reaches_today(table, kind, part):
    if part not in _parts(table):
        pytest.skip(f"no {part} file in the corpus")
    assert FLOOR[part], f"a {part} set is measured: its floors are its one measurement, rounded down"
    floor = FLOOR[part][kind]
    low = {f: round(_percent(table, "ours", kind, f, part)) for f in FIELDS if _percent(table, "ours", kind, f, part) < floor[f]}
    assert not low, f"{kind}, {part}: below the floor: {low}"


@pytest.mark.parametrize("kind", ["html", "text"])
def test_the_importer_is_ahead_of_trafilatura_alone_on_every_field(table, kind):
    # On development files (the whole corpus when none is held out). "imported" is no contest (Trafilatura returns text
    # for any page); "usable", imported with title, author and date right, is.
    behind = [f for f in FIELDS[1:] if _percent(table, "ours", kind, f) <= _percent(table, "trafilatura", kind, f)]
    assert not behind, f"{kind}: not ahead of Trafilatura on {behind}"


@pytest.mark.parametrize("kind", ["html", "text"])
def test_the_issue_bar_is_met_on_development_files(table, kind):
    # With no file held out, the development files are the whole corpus, so the bar is asserted on all of it.
    part = "development" if "held-out" in _parts(table) else "all"
    short = {f: round(_percent(table, "ours", kind, f, part)) for f in BAR if _percent(table, "ours", kind, f, part) < BAR[f]}
    assert not short, f"{kind}: below issue 12's bar on {part} files: {short}"
