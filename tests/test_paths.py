"""No file name, slug, tag, author, alias or link can make a build write outside its output folder."""
import os
from pathlib import Path

import pytest

from briefing import content, inputs, pipeline, writer
from conftest import LAYOUTS, NOW, briefing_text, run_cli, snapshot

TOPIC = "---\ntitle: News\nsummary: All of it.\ntags: [news]\n---\n\nIntro.\n"
HOSTILE_NAMES = ["../../../etc/passwd", "/etc/passwd", "..\\..\\windows\\system32", "C:\\Windows", "a/../../b", "..", ".", "~root", "%2e%2e%2f", "\u202eexe.txt", "con", "nul"]


def all_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def check(root: Path):
    return pipeline.check(pipeline.Options(content_dir=root, layouts_dir=LAYOUTS, now=NOW))


def build(root: Path, output: Path):
    return pipeline.build_site(pipeline.Options(content_dir=root, layouts_dir=LAYOUTS, output_dir=output, now=NOW))


@pytest.mark.parametrize(
    "rel",
    [
        "a\\..\\..\\b.md",  # a backslash is a legal character in a Linux file name
        "Bad Name.md",
        "café.md",
        "UPPER.md",
        "a..b.md",
        "-leading.md",
        "x" * 200 + ".md",
    ],
)
def test_a_briefing_file_name_that_is_not_a_slug_is_refused(make_content, rel):
    root = make_content({f"briefings/2020/{rel}": briefing_text()})
    [problem] = check(root).problems
    assert problem.path == f"{root}/briefings/2020/{rel}"  # as it opens from here
    assert "the file name is its URL: lower-case letters (of any script), digits and single hyphens" in problem.message
    assert problem.hint.startswith("rename it to ")


def test_a_briefing_outside_a_year_folder_is_refused(make_content):
    root = make_content({"briefings/2020/deep/a.md": briefing_text()})
    assert [p.message for p in check(root).problems] == ["a briefing must live at briefings/<year>/<slug>.md"]


def test_hostile_tags_authors_and_titles_only_make_safe_paths(make_content, tmp_path):
    files = {"topics/news.md": TOPIC}
    for n, name in enumerate(HOSTILE_NAMES):
        # numbered: names that differ only in marks would share a slug, which is an error (test_contributor)
        files[f"briefings/2020/b{n}.md"] = briefing_text(title=name.replace("\\", "\\\\"), author=f'"{name} Doe {n}"'.replace("\\", "\\\\"), tags=("news", f'"{name} x{n}"'.replace("\\", "\\\\")), date=f"2020-01-{n + 1:02d}")
    root = make_content(files)
    report = build(root, tmp_path / "site")
    assert report.ok, report.problems
    written = all_files(tmp_path / "site")
    assert all(".." not in path.split("/") and "\\" not in path for path in written)
    assert {p.name for p in tmp_path.iterdir()} == {"content", "site", ".site.briefing-lock"}  # nothing else appeared beside the output
    assert "tags/etc-passwd-x1/index.html" in written and "authors/etc-passwd-doe-1/index.html" in written


@pytest.mark.parametrize(
    "alias",
    ["/../../etc/", "/a/../../etc/", "../x/", "/./x/", "//evil.example/", "https://evil.example/", "/a\\b/", "/%2e%2e/x/", "/" + "a" * 400 + "/", "/x\u0000/"],
)
def test_an_alias_that_could_leave_the_site_is_refused(make_content, alias):
    root = make_content({"briefings/2020/a.md": briefing_text(aliases=f'["{alias}"]'.replace("\\", "\\\\").replace("\x00", "\\0"))})
    errors = check(root).errors
    assert [p.field for p in errors] == ["aliases"], errors


def test_every_bad_alias_of_a_list_is_named_at_once_on_the_first_ones_line(make_content):
    root = make_content({"briefings/2020/a.md": briefing_text(aliases='\n  - /ok/\n  - "bad one"\n  - "../x"')})
    [error] = check(root).errors
    assert (error.line, error.col, error.field) == (9, 5, "aliases")
    assert error.message == "'bad one' and '../x' are not site paths"


@pytest.mark.parametrize("rel", ["../x", "/etc/passwd", "a/../../x", "a\\..\\x", "a\x00b", "a//b", "./a", "", "x" * 1001])
def test_the_writer_refuses_any_path_that_could_leave_the_output(rel):
    with pytest.raises(writer.OutputError, match="refusing to write outside the output folder"):
        writer.safe_relative(rel)


def walk(content_root):
    """The briefings a build would read below content_root, and what the walk refused."""
    files, problems = inputs.walk(content_root, LAYOUTS)
    return [rel[len("content/") :] for rel in files if rel.startswith("content/briefings/")], problems


def test_a_symlink_to_a_file_outside_content_is_refused(make_content, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(briefing_text(title="Secret"))
    root = make_content({"topics/news.md": TOPIC})
    (root / "briefings/2020").mkdir(parents=True)
    os.symlink(secret, root / "briefings/2020/leak.md")
    sources, problems = walk(root)
    assert sources == []
    assert [str(p) for p in problems] == ["briefings/2020/leak.md:1:1: error: symbolic link to a file outside content/ (copy the file into content/ instead of linking to it)"]


def test_a_symlinked_folder_outside_content_is_refused_and_not_entered(make_content, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.md").write_text(briefing_text(title="Outside"))
    root = make_content({})
    (root / "briefings").mkdir()
    os.symlink(outside, root / "briefings/2020")
    sources, problems = walk(root)
    assert sources == [] and [p.path for p in problems] == ["briefings/2020"]


def test_a_symlink_that_stays_inside_content_is_followed(make_content):
    root = make_content({"briefings/2020/real.md": briefing_text()})
    os.symlink(root / "briefings/2020/real.md", root / "briefings/2020/alias.md")
    sources, problems = walk(root)
    assert sources == ["briefings/2020/alias.md", "briefings/2020/real.md"] and problems == []


def test_a_symlink_loop_does_not_hang_the_walk(make_content):
    root = make_content({})
    (root / "briefings/2020").mkdir(parents=True)
    os.symlink(root / "briefings", root / "briefings/2020/loop")
    sources, problems = walk(root)
    assert sources == [] and all(p.severity == "warning" for p in problems)


def test_a_build_over_a_symlink_to_etc_passwd_fails_and_leaks_nothing(make_content, tmp_path):
    root = make_content({"topics/news.md": TOPIC, "briefings/2020/a.md": briefing_text(tags=("news",))})
    os.symlink("/etc/passwd", root / "briefings/2020/passwd.md")
    done = run_cli("build", "--content", str(root), "--output", str(tmp_path / "site"))
    assert done.returncode == 1
    assert "briefings/2020/passwd.md:1:1: error: symbolic link to a file outside content/" in done.stderr
    assert not (tmp_path / "site").exists()


def test_output_to_a_folder_briefing_did_not_build_is_refused(make_content, tmp_path):
    precious = tmp_path / "home"
    (precious / "docs").mkdir(parents=True)
    (precious / "docs/thesis.txt").write_text("years of work")
    before = snapshot(precious)
    root = make_content({"briefings/2020/a.md": briefing_text()})
    done = run_cli("build", "--content", str(root), "--output", str(precious))
    assert done.returncode == 1
    assert "is not empty and was not built by Briefing" in done.stderr and "refusing to replace it" in done.stderr
    assert snapshot(precious) == before


def test_a_walk_is_read_only_so_the_views_worked_out_once_always_describe_it(make_content):
    """Serve's builds share one walk and its views (the sources, the layouts): a walk that could change under them
    would let a build miss a file."""
    content = make_content({"briefings/2020/one.md": briefing_text(title="One")})
    files, problems = inputs.walk(content, LAYOUTS)
    assert not problems
    assert files.sources == tuple(rel for rel in files if rel.startswith("content/") and rel != "content/site.yaml")
    assert files.source_paths == ("briefings/2020/one.md",)
    assert "layouts/base.html" in files.layouts and all(rel.startswith("layouts/") for rel in files.layouts)
    for change in (lambda: files.__setitem__("content/briefings/2020/two.md", "x"), lambda: files.pop("content/site.yaml"), lambda: files.update({}), lambda: files.clear()):
        with pytest.raises(TypeError):
            change()
    assert files.source_paths == ("briefings/2020/one.md",)
