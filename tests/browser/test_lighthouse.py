"""Lighthouse scores 100 for accessibility, best practices and SEO on every page kind, on a phone and on a desktop.

Two Node processes, each with its own Chrome (tests/browser/lighthouse.mjs), share the audits, one per page kind and
form factor, on the generated collection (it has every kind of page); each test then reads its own line of the results.
"""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, need

pytestmark = pytest.mark.browser
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse"
CATEGORIES = ("accessibility", "best-practices", "seo")
FORM_FACTORS = ("mobile", "desktop")
KINDS = ("home", "article", "topics", "topic", "tags", "tag", "authors", "author", "archive", "archive-year", "search", "notfound")


@pytest.fixture(scope="session")
def lighthouse_results(served, tmp_path_factory) -> dict[tuple[str, str], dict]:
    need(shutil.which("node"), "Node.js (for Lighthouse)", "install Node 18.16 or newer")
    need((LIGHTHOUSE / "package.json").is_file(), f"Lighthouse at {LIGHTHOUSE.relative_to(ROOT)}", "run npm ci")
    need(CHROMIUM.is_file(), f"a Chromium-based browser at {CHROMIUM}", "apt-get install -y chromium")
    site = served["corpus"]
    folder = tmp_path_factory.mktemp("lighthouse")
    runs = []
    # Two Node processes, each with its own Chrome and half the pages: Lighthouse runs one audit at a time per process,
    # and these categories do not depend on timing, so the two cores share the work (it was the slowest part of CI).
    for half in (KINDS[0::2], KINDS[1::2]):
        job = {
            "chrome": str(CHROMIUM),
            "flags": CHROMIUM_ARGS,
            "pages": [{"kind": kind, "url": site.base + site.urls[kind]} for kind in half],
            "formFactors": list(FORM_FACTORS),
            "categories": list(CATEGORIES),
        }
        path = folder / f"job-{half[0]}.json"
        path.write_text(json.dumps(job), encoding="utf-8")
        runs.append(subprocess.Popen(["node", str(ROOT / "tests" / "browser" / "lighthouse.mjs"), str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT))
    results = {}
    for run in runs:
        try:
            out, err = run.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            run.kill()
            out, err = run.communicate()
        assert run.returncode == 0, err[-3000:]
        lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        results.update({(line["kind"], line["formFactor"]): line for line in lines})
    return results


def test_every_kind_of_html_page_is_audited(served):
    assert set(KINDS) == {kind for kind in served["corpus"].urls if not kind.endswith("-page-2")}


@pytest.mark.parametrize("form_factor", FORM_FACTORS)
@pytest.mark.parametrize("kind", KINDS)
def test_lighthouse_scores_100_for_accessibility_best_practices_and_seo(lighthouse_results, kind, form_factor):
    result = lighthouse_results[(kind, form_factor)]
    assert not result["problem"], result["problem"]
    scores = dict(result["scores"])
    assert scores == dict.fromkeys(CATEGORIES, 100), result["failing"]
