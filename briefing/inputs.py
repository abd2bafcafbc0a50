"""Find every file a build reads, safely, and what each one is now: never outside its folder, never a FIFO, never an editor's scratch file."""
from __future__ import annotations

import functools
import hashlib
import os
import stat as stat_module
from pathlib import Path
from typing import NamedTuple

from .errors import Problem
from .frontmatter import MAX_SOURCE_BYTES

SOURCE_FOLDERS = ("briefings", "topics", "authors")  # below content/: one source a Markdown file
RACY_NS = 2_000_000_000  # a file changed this close to the scan may change again within the same mtime: hash it next time


class Input(NamedTuple):  # a tuple: ten thousand of them load from the state three times faster than dataclasses
    """One input as last seen: its stat (mtime, size, inode; None when too fresh to trust) and the digest of its bytes."""

    stat: tuple[int, int, int] | None
    digest: bytes


class Files(dict):
    """Every input file (its name, content/… or layouts/… -> its path), as one walk found them, with the views of it
    each build needs. Serve's builds share one walk: the views are worked out once, not once per edit. Read-only, so
    a view can never describe another set of files."""

    def _read_only(self, *args, **kwargs):
        raise TypeError("Files is read-only: walk the folders again")

    __setitem__ = __delitem__ = update = pop = popitem = setdefault = clear = __ior__ = _read_only

    def __reduce__(self):  # pickle would restore the items one by one, through __setitem__
        return (Files, (dict(self),))

    @functools.cached_property
    def sources(self) -> tuple[str, ...]:
        """The Markdown sources (content/… but site.yaml), in walk order."""
        return tuple(rel for rel in self if rel.startswith("content/") and rel != "content/site.yaml")

    @functools.cached_property
    def source_paths(self) -> tuple[str, ...]:
        """The sources as a briefing's path names them (without content/), sorted."""
        return tuple(sorted(rel[len("content/") :] for rel in self.sources))

    @functools.cached_property
    def source_paths_digest(self) -> bytes:
        return digest("\0".join(self.source_paths).encode())

    @functools.cached_property
    def layouts(self) -> tuple[str, ...]:
        return tuple(rel for rel in self if rel.startswith("layouts/"))


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def is_scratch(name: str) -> bool:
    """Editors' lock, swap and backup files (.#x.md, #x.md#, x.md~, .x.md.swp, vim's 4913): never inputs, never reported."""
    return (
        name.startswith(".#")
        or (name.startswith("#") and name.endswith("#"))
        or name.endswith("~")
        or (name.startswith(".") and name.endswith((".swp", ".swo", ".swx")))
        or name == "4913"
    )


def walk(content_dir: Path, layouts_dir: Path) -> tuple[Files, list[Problem]]:
    """Every input file, sorted: the sources below content/briefings and content/topics, site.yaml, and every layout."""
    files, problems = sources(content_dir)
    site_yaml = content_dir / "site.yaml"
    refused = _refusal(site_yaml, "site.yaml", content_dir.resolve(), "content")
    if refused is not None:
        problems.append(refused)
    elif site_yaml.is_file():
        files["content/site.yaml"] = str(site_yaml)
    if not os.path.isdir(layouts_dir):  # one located error, not "template not found" for every template
        missing = _refusal(Path(layouts_dir), "layouts", Path(layouts_dir).absolute(), "layouts")
        return Files(files), problems + [missing or Problem("layouts", 1, 1, "", f"not a folder ({layouts_dir})", "pass --layouts DIR naming the folder of templates")]
    found, refused = _walk(layouts_dir, "", "layouts")
    files.update((f"layouts/{rel}", path) for rel, path in found)
    return Files(files), problems + refused


def sources(content_dir: Path) -> tuple[dict[str, str], list[Problem]]:
    """The Markdown sources below content/ ('content/briefings/…', 'content/topics/…' -> path), sorted."""
    files: dict[str, str] = {}
    problems: list[Problem] = []
    for folder in SOURCE_FOLDERS:
        found, refused = _walk(content_dir, folder, "content")
        files.update((f"content/{rel}", path) for rel, path in found)
        problems += refused
    return files, problems


def _walk(root: Path, folder: str, kind: str) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(name relative to root, path) of every file below root/folder, sorted; links that leave root and odd files refused.

    Problems name content files relative to content/ and layouts as layouts/<name>, as every other message does.
    Directory entries say what they are, so only links and odd files cost a system call: every build walks every file.
    """
    start = os.path.join(root, folder) if folder else str(root)
    found: list[tuple[str, str]] = []
    problems: list[Problem] = []
    real_root = root.resolve()
    label = "layouts/" if kind == "layouts" else ""
    if folder and os.path.islink(start):
        problem = _refusal(Path(start), folder, real_root, kind)
        if problem is not None:
            return found, [problem]
    if not os.path.isdir(start):
        return found, problems
    prefix = len(str(root)) + 1
    stack = [start]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name, reverse=True)
        except OSError as exc:
            problems.append(Problem(label + directory[prefix:], 1, 1, "", f"cannot read the folder: {exc.strerror}", "check its permissions"))
            continue
        folders = []
        for entry in reversed(entries):
            if is_scratch(entry.name) or (kind == "content" and entry.name.startswith(".")):  # .DS_Store and friends
                continue
            rel = label + entry.path[prefix:].replace(os.sep, "/")
            odd = entry.is_symlink() or not (entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False)) or not _utf8(entry.name)
            problem = _refusal(Path(entry.path), rel, real_root, kind) if odd else None
            if problem is not None:
                problems.append(problem)
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.is_symlink() and entry.is_dir():
                continue  # a link to a folder inside the root: its files are found where they really are
            elif kind == "layouts" or entry.name.endswith(".md"):
                found.append((rel[len(label) :], entry.path))
            else:
                problems.append(Problem(rel, 1, 1, "", "not a Markdown file; it is ignored", "briefings are .md files", "warning"))
        stack += reversed(folders)
    found.sort()
    return found, problems


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # the surrogates os.fsdecode makes of bytes that are not UTF-8
        return False
    return True


def _refusal(path: Path, rel: str, real_root: Path, kind: str) -> Problem | None:
    """Why a file or folder may not be read (a name that is not UTF-8, a link leading out of its root, a FIFO), or None."""
    if not _utf8(rel):
        shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
        return Problem(shown, 1, 1, "", "the file name is not valid UTF-8", "rename it with letters, digits and hyphens")
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return Problem(rel, 1, 1, "", "symbolic link to nothing, or to itself", "delete the link or point it at a file", "warning")
        if target != real_root and real_root not in target.parents:
            what = "folder" if target.is_dir() else "file"
            return Problem(rel, 1, 1, "", f"symbolic link to a {what} outside {kind}/", f"copy the {what} into {kind}/ instead of linking to it")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:  # the folder itself missing, most often: a build started outside the project
        return Problem(rel, 1, 1, "", f"not found ({path})", f"run from the project folder, the one that holds {kind}/, or pass --{kind} DIR")
    except OSError as exc:
        return Problem(rel, 1, 1, "", f"cannot read: {exc.strerror}", "check the file's permissions")
    if not (stat_module.S_ISREG(mode) or stat_module.S_ISDIR(mode)):
        return Problem(rel, 1, 1, "", "not a regular file (a FIFO, socket or device); it would never finish reading", "delete it; sources are plain text files")
    return None


def read_regular(path: str | Path, limit: int | None = None) -> tuple[bytes | None, os.stat_result]:
    """A regular file's bytes and stat, or (None, stat) when it is over `limit`; anything else raises OSError.

    Opened without blocking, so a file swapped for a FIFO after the walk fails instead of hanging the build.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat_module.S_ISREG(st.st_mode):
            raise OSError(0, "not a regular file")
        if limit is not None and st.st_size > limit:
            return None, st
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read(), st
    finally:
        os.close(fd)


def scan(files: dict[str, str], previous: dict[str, Input], now_ns: int, only: set[str] | None = None) -> tuple[dict[str, Input], set[str], dict[str, bytes]]:
    """Stat every file (or only those named: a watcher vouches for the rest); read and hash those whose stat changed.

    Returns what each file is now, the names whose bytes changed or are new, and the bytes read on the way. A new
    file, or one that vanished or cannot be read, is 'changed' and gets no entry: its loader reads or reports it.
    """
    entries: dict[str, Input] = {}
    changed: set[str] = set()
    read: dict[str, bytes] = {}
    folders = _Folders()
    todo = files
    if only is not None and files.keys() <= previous.keys():  # serve: the rest stand as recorded, taken in bulk
        # Even a file too fresh to trust by its stat: the watcher names it again if it changes again.
        todo = {rel: files[rel] for rel in only if rel in files}
        entries = {**previous}
        for rel in (entries.keys() - files.keys() if len(entries) != len(files) else ()):
            del entries[rel]
        for rel in todo:
            del entries[rel]
    for rel, path in todo.items():
        old = previous.get(rel)
        if only is not None and rel not in only and old is not None and old.stat is not None:
            entries[rel] = old
            continue
        try:
            st = folders.stat(path)
        except OSError:
            changed.add(rel)
            continue
        stat = (st.st_mtime_ns, st.st_size, st.st_ino)
        if old is not None and old.stat == stat:
            entries[rel] = old
            continue
        if old is None:  # new: its loader reads it (in a worker, on a cold build) and records it
            changed.add(rel)
            continue
        limit = MAX_SOURCE_BYTES if rel.startswith("content/") else None
        try:
            data, st = read_regular(path, limit)
        except OSError:
            changed.add(rel)
            continue
        if data is None:  # over the limit: its loader refuses it without reading it
            changed.add(rel)
            continue
        entries[rel] = now = entry(data, st, now_ns)
        read[rel] = data
        if now.digest != old.digest:
            changed.add(rel)
    folders.close()
    return entries, changed, read


class _Folders:
    """Stats files by name within their open folder: about half the cost of a full path, and files come folder by folder."""

    def __init__(self):
        self.name, self.fd = None, None

    def stat(self, path: str) -> os.stat_result:
        folder, name = os.path.split(path)
        if folder != self.name:
            self.close()
            self.name, self.fd = folder, os.open(folder or ".", os.O_RDONLY | os.O_DIRECTORY)
        return os.stat(name, dir_fd=self.fd)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
        self.name, self.fd = None, None


def entry(data: bytes, st: os.stat_result, now_ns: int) -> Input:
    """The record of a file just read."""
    return Input((st.st_mtime_ns, st.st_size, st.st_ino) if st.st_mtime_ns < now_ns - RACY_NS else None, digest(data))
