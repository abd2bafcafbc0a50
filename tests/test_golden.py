"""The output is the product: a small fixture site builds to exactly the checked-in tree.

To accept an intended change, regenerate the goldens and review the diff:
    UPDATE_GOLDENS=1 python -m pytest tests/test_golden.py
"""
import os
import shutil
from pathlib import Path

from briefing import pipeline
from conftest import NOW, snapshot

HERE = Path(__file__).parent / "golden"
EXPECTED = HERE / "expected"


def build_fixture(output: Path):
    return pipeline.build_site(pipeline.Options(content_dir=HERE / "content", layouts_dir=HERE / "layouts", output_dir=output, now=NOW))


def test_fixture_site_builds_to_the_golden_tree(tmp_path):
    report = build_fixture(tmp_path / "site")
    assert report.ok, report.problems
    built = snapshot(tmp_path / "site")
    if os.environ.get("UPDATE_GOLDENS"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(tmp_path / "site", EXPECTED)
    expected = snapshot(EXPECTED)
    assert sorted(built) == sorted(expected), "the set of output paths changed"
    for path in expected:
        assert built[path].decode() == expected[path].decode(), f"{path} differs from its golden"
