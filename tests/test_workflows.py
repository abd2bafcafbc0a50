"""The GitHub workflows: valid against GitHub's own workflow schema, and doing what CONTRIBUTING.md promises."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def check_jsonschema(*paths: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    return subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", *map(str, paths)], capture_output=True, text=True, timeout=120)


def load(name: str) -> dict:
    # PyYAML reads the key `on:` as True (YAML 1.1); GitHub reads it as "on".
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return {("on" if key is True else key): value for key, value in data.items()}


def steps(job: dict) -> list[str]:
    return [step.get("uses") or step.get("run", "") for step in job["steps"]]


def test_both_workflows_match_githubs_schema():
    done = check_jsonschema(WORKFLOWS / "check.yml", WORKFLOWS / "deploy.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_the_schema_check_can_fail(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    done = check_jsonschema(broken)
    assert done.returncode == 1


def test_pull_requests_run_check_then_the_tests():
    workflow = load("check.yml")
    assert "pull_request" in workflow["on"]
    [job] = workflow["jobs"].values()
    commands = steps(job)
    assert any(c.startswith("actions/checkout@") for c in commands)
    assert any("pip install -e '.[test" in c for c in commands)
    assert commands.index("python build.py check") < next(i for i, c in enumerate(commands) if c.startswith("python -m pytest"))
    assert job["env"]["CI"] == "true"  # browser tests fail instead of skipping when Chromium is missing


def test_the_browser_tests_use_the_browser_the_runner_ships_not_an_apt_snap_shim():
    [job] = load("check.yml")["jobs"].values()
    assert job["env"]["BRIEFING_BROWSER"] == "/usr/bin/google-chrome"  # read by tests/browser/conftest.py
    assert not any("apt-get" in c for c in steps(job))


def test_pushes_to_main_build_and_deploy_with_the_official_pages_actions():
    workflow = load("deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    commands = steps(build)
    assert [c.split("@")[0] for c in commands if c.startswith("actions/")] == ["actions/checkout", "actions/setup-python", "actions/cache", "actions/configure-pages", "actions/upload-pages-artifact"]
    assert any(c.startswith("python build.py build") for c in commands)
    assert build["steps"][-1]["with"]["path"] == "site/"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert steps(deploy) == ["actions/deploy-pages@v4"]


def test_deploys_keep_the_build_state_only_for_the_same_code_and_layouts():
    [cached] = [step for step in load("deploy.yml")["jobs"]["build"]["steps"] if step.get("uses", "").startswith("actions/cache@")]
    code = "hashFiles('pyproject.toml', 'briefing/**', 'layouts/**')"
    assert cached["with"]["path"] == ".cache/"
    assert code in cached["with"]["key"] and cached["with"]["key"].endswith("${{ github.sha }}")  # a new state is saved on every deploy
    assert [line for line in cached["with"]["restore-keys"].splitlines() if line] == [cached["with"]["key"].removesuffix("${{ github.sha }}")]


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_actions_are_pinned_to_a_major_version(name):
    uses = [c for job in load(name)["jobs"].values() for c in steps(job) if "/" in c and "@" in c]
    assert uses and all(c.split("@")[1].startswith("v") for c in uses)
