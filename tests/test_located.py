"""Every path a command prints opens from where it was run; GitHub annotations name files from the repository root;
nothing a file name or a value holds can drive the terminal."""
import json
import os
from pathlib import Path

from conftest import LAYOUTS, ROOT, briefing_text, run_cli, write_tree

BAD = briefing_text(date="2020-02-30")


def annotations(stdout: str) -> list[str]:
    """The file= of each ::error or ::warning line."""
    return [line.split("file=", 1)[1].split(",", 1)[0] for line in stdout.splitlines() if line.startswith("::")]


def test_check_names_content_files_as_they_open_from_the_working_directory(tmp_path):
    write_tree(tmp_path / "project/content", {"site.yaml": (ROOT / "content/site.yaml").read_text(), "briefings/2020/bad.md": BAD})
    project = tmp_path / "project"
    text = run_cli("check", "--content", "content", "--layouts", str(LAYOUTS), cwd=project)
    assert "content/briefings/2020/bad.md:4:1: error: date:" in text.stderr.splitlines()[0]
    [problem] = json.loads(run_cli("check", "--format", "json", "--content", "./content", "--layouts", str(LAYOUTS), cwd=project).stdout)
    assert problem["path"] == "content/briefings/2020/bad.md" and (project / problem["path"]).is_file()
    elsewhere = run_cli("check", "--content", str(project / "content"), "--layouts", str(LAYOUTS), cwd=tmp_path)
    assert elsewhere.stderr.startswith(f"{project}/content/briefings/2020/bad.md:4:1: error:")


def test_template_errors_name_the_layouts_folder_given(tmp_path, copy_layouts):
    layouts = copy_layouts()
    (layouts / "tag.html").write_text("{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}\n")
    content = write_tree(tmp_path / "content", {"site.yaml": (ROOT / "content/site.yaml").read_text(), "briefings/2020/a.md": briefing_text()})
    done = run_cli("check", "--content", "content", "--layouts", "layouts", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("layouts/tag.html:1:1: error: template: UndefinedError:"), done.stderr
    assert content.is_dir()


def test_github_annotations_name_files_from_the_repository_root_wherever_check_runs(tmp_path):
    repository = tmp_path / "repository"
    write_tree(repository / "site-content", {"site.yaml": (ROOT / "content/site.yaml").read_text(), "briefings/2020/bad.md": BAD})
    (repository / "tools").mkdir()
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repository)}
    runs = [
        run_cli("check", "--content", "site-content", "--layouts", str(LAYOUTS), cwd=repository, env=env),
        run_cli("check", "--content", "../site-content", "--layouts", str(LAYOUTS), cwd=repository / "tools", env=env),
        run_cli("check", "--content", str(repository / "site-content"), "--layouts", str(LAYOUTS), cwd=tmp_path, env=env),
    ]
    for done in runs:
        assert done.returncode == 1
        assert annotations(done.stdout) == ["site-content/briefings/2020/bad.md"], done.stdout
        assert (repository / annotations(done.stdout)[0]).is_file()


def test_control_characters_in_a_file_name_or_a_value_reach_no_terminal(tmp_path):
    name = "bad\x1b[2Jname\u202e.md"
    write_tree(tmp_path / "content", {"site.yaml": (ROOT / "content/site.yaml").read_text(), f"briefings/2020/{name}": briefing_text()})
    for args, stream in ((("check",), "stderr"), (("check", "--format", "github"), "stdout")):
        done = run_cli(*args, "--content", "content", "--layouts", str(LAYOUTS), cwd=tmp_path)
        printed = getattr(done, stream)
        assert "\x1b" not in printed and "\u202e" not in printed
        assert "bad\\x1b[2Jname\\u202e.md" in printed
