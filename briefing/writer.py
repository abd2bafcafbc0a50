"""Put bytes at paths, all or nothing: bring a spare tree up to date beside the site, then swap them with one atomic rename."""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

MARKER = ".briefing"  # written into every output tree; a non-empty folder without it is never replaced
MARKER_TEXT = b"Built by Briefing. This whole folder is replaced on every build.\n"
INCOMPLETE = ".briefing-incomplete"  # inside the new tree while it is being changed: a killed build leaves it untrusted


class OutputError(Exception):
    """The output folder cannot be written safely; the message says why and what to do."""


class Stale(OutputError):
    """A file the build state said was unchanged is missing from the output folder: build again from scratch."""


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class File:
    """One output: its path, the digest of its bytes, and the bytes unless the live tree already holds them."""

    rel: str
    digest: bytes
    data: bytes | None = None


@dataclass(frozen=True)
class Trees:
    """What the build state knows of the two trees: each file's digest, and which folder each table describes."""

    live: dict[str, bytes]
    spare: dict[str, bytes] | None
    live_id: tuple[int, int] | None
    spare_id: tuple[int, int] | None


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int
    swapped: bool = False
    trees: Trees | None = field(default=None, compare=False)  # what to remember for the next build


def safe_relative(rel: str) -> PurePosixPath:
    """Refuse any output path that could land outside the output folder."""
    path = PurePosixPath(rel)
    if not rel or "\\" in rel or "\x00" in rel or path.is_absolute() or any(part in ("", ".", "..") for part in rel.split("/")) or len(rel) > 1000:
        raise OutputError(f"refusing to write outside the output folder: {rel[:120]!r}")
    return path


def staging_path(output_dir: Path, tag: str) -> Path:
    return output_dir.parent / f".{output_dir.name}.{tag}-{os.getpid()}"


def tree_id(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def recover(output_dir: Path) -> None:
    """Undo what a killed build left: restore a moved-aside site, drop half-built trees."""
    parent = output_dir.parent
    if not parent.is_dir():
        return
    leftovers = sorted(parent.glob(f".{output_dir.name}.*-*"))
    old = [p for p in leftovers if p.name.startswith(f".{output_dir.name}.old-")]
    if not output_dir.exists() and old:
        os.rename(old[-1], output_dir)
    for path in leftovers:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)


def check_replaceable(output_dir: Path) -> None:
    if output_dir.is_symlink() or (output_dir.exists() and not output_dir.is_dir()):
        raise OutputError(f"{output_dir} is not a folder; pass --output to a folder Briefing may replace")
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER).is_file():
        raise OutputError(f"{output_dir} is not empty and was not built by Briefing; refusing to replace it (pass --output to a new folder, or empty this one)")


def publish(output_dir: Path, files: Iterable[File], known: Trees | None = None, finish: Callable[[Path], None] | None = None, spare: Path | None = None, fill_spare: bool = False, same: dict[str, bytes] | None = None) -> WriteStats:
    """Make the output folder hold exactly `files`, atomically; when every file is already there, touch nothing.

    The new tree is written beside the site, unchanged files as hard links to the live ones (same inode, mtime
    kept), and `finish` runs on it before the swap (the search indexer needs files). With `spare` (a path on the
    same file system) the old site is kept there after the swap and the next build changes only what differs:
    deleting a tree of ten thousand folders costs seconds on some disks. Without it the old tree is deleted.
    `fill_spare` (serve): when there was no old site to keep, make the spare now, so the first edit does not wait for it.
    `same`: more files, by path and digest, that the live tree holds as they are; handled in bulk.
    """
    output_dir = output_dir.absolute()
    recover(output_dir)
    check_replaceable(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    live_id = tree_id(output_dir)
    if known is not None and (known.live_id != live_id or live_id is None):
        known = None  # someone replaced or removed the folder: trust nothing recorded about it
    sync = _Sync(output_dir, known, spare)
    for file in files:
        sync.add(file)
    if same:
        sync.add_same(same)
    sync.add(File(MARKER, digest(MARKER_TEXT), MARKER_TEXT))
    if not sync.opened and live_id is not None and set(sync.wanted) == set(known.live if known else _listing(output_dir)):
        return WriteStats(0, len(sync.wanted), 0, False, Trees(sync.wanted, known.spare if known else None, live_id, known.spare_id if known else None))
    try:
        sync.open()
        removed = sync.prune()
        if finish is not None:
            finish(sync.spare)
        (sync.spare / INCOMPLETE).unlink()
        _swap(sync.spare, output_dir)
    except OSError:  # a full disk, say: give the space back; the site was not touched
        shutil.rmtree(sync.spare, ignore_errors=True)
        raise
    if spare is None and sync.spare.exists():
        shutil.rmtree(sync.spare)  # now the previous site
    previous = known.live if known and spare is not None else None
    if previous is None and spare is not None and fill_spare:
        previous = _mirror(output_dir, sync.spare, sync.wanted)
    trees = Trees(sync.wanted, previous, tree_id(output_dir), tree_id(sync.spare) if previous is not None else None)
    return WriteStats(sync.written, len(sync.wanted) - sync.written, removed, True, trees)


def _mirror(live: Path, spare: Path, files: dict[str, bytes]) -> dict[str, bytes] | None:
    """Make `spare` a tree of hard links to the live files: what the next build changes instead of linking them all then."""
    try:
        if spare.exists() or spare.is_symlink():
            shutil.rmtree(spare) if spare.is_dir() and not spare.is_symlink() else spare.unlink()
        spare.mkdir()
        (spare / INCOMPLETE).touch()
        made: set[str] = set()
        for rel in files:
            parent = os.path.dirname(rel)
            if parent and parent not in made:
                os.makedirs(os.path.join(spare, parent), exist_ok=True)
                made.add(parent)
            os.link(os.path.join(live, rel), os.path.join(spare, rel))
        (spare / INCOMPLETE).unlink()
    except OSError:  # no spare then: the next build makes one as it goes
        return None
    return dict(files)


def _listing(root: Path) -> set[str]:
    start = len(str(root)) + 1
    return {os.path.join(d, name)[start:] for d, _, names in os.walk(root) for name in names}


class _Sync:
    """Brings the spare tree to the wanted files; opens the spare lazily, at the first file that differs from the live tree."""

    def __init__(self, output_dir: Path, known: Trees | None, spare: Path | None):
        self.live, self.spare, self.known = output_dir, (spare or staging_path(output_dir, "new")).absolute(), known
        self.wanted: dict[str, bytes] = {}
        self.checked = known.live if known else {}  # paths a previous build wrote were checked then
        self.pending: dict[str, bytes] = {}  # same as live so far; linked into the spare if it is opened
        self.opened = False
        self.trusted: dict[str, bytes] | None = None  # the spare's digests, when the state vouches for them
        self.made: set[str] = set()
        self.written = 0

    def add(self, file: File) -> None:
        if file.data is None:
            self._vouch()
        if file.rel not in self.checked:
            safe_relative(file.rel)
        self.wanted[file.rel] = file.digest
        if self.opened:
            self._put(file)
        elif self._same_as_live(file):
            self.pending[file.rel] = file.digest
        else:
            self.open()
            self._put(file)

    def _same_as_live(self, file: File) -> bool:
        if file.data is None:
            return True
        if self.known is not None:
            return self.known.live.get(file.rel) == file.digest
        return _same_bytes(self.live / file.rel, file.data) is True

    def open(self) -> None:
        if self.opened:
            return
        self.opened = True
        known = self.known
        if self.spare.is_dir() and known is not None and known.spare is not None and tree_id(self.spare) == known.spare_id and not (self.spare / INCOMPLETE).exists():
            self.trusted = known.spare
        elif self.spare.exists() and not self.spare.is_dir() or self.spare.is_symlink():
            self.spare.unlink()
        self.spare.mkdir(parents=True, exist_ok=True)
        (self.spare / INCOMPLETE).touch()
        pending, self.pending = self.pending, {}
        self._link_same(pending)

    def _vouch(self) -> None:
        """Files named as unchanged need a live tree the state describes; publish dropped `known` when it is another."""
        if self.known is None:
            raise Stale(f"{self.live} is not the site the build state describes; nothing in it can be reused")

    def add_same(self, digests: dict[str, bytes]) -> None:
        """Many files at once that the live tree holds as they are (a rebuild that changed a few pages of many)."""
        self._vouch()
        for rel in digests.keys() - self.checked.keys():
            safe_relative(rel)
        self.wanted.update(digests)
        if self.opened:
            self._link_same(digests)
        else:
            self.pending.update(digests)

    def _link_same(self, digests: dict[str, bytes]) -> None:
        trusted = self.trusted
        for rel, digest in digests.items() if trusted is None else [(r, d) for r, d in digests.items() if trusted.get(r) != d]:
            self._put(File(rel, digest))

    def _put(self, file: File) -> None:
        if self.trusted is not None and self.trusted.get(file.rel) == file.digest:
            return
        target = os.path.join(self.spare, file.rel)  # strings, not Paths: this runs for every file of the site
        live = os.path.join(self.live, file.rel)
        self._clear(target)
        if file.data is None or (self.known is not None and self.known.live.get(file.rel) == file.digest) or (self.known is None and _same_bytes(live, file.data) is True):
            try:
                os.link(live, target)  # same inode: mtime kept, so rsync and CDN uploads skip it
                return
            except FileNotFoundError:
                if file.data is None:
                    raise Stale(f"{live} is missing") from None
        with open(target, "xb") as out:
            out.write(file.data)
        self.written += 1

    def _clear(self, target: str) -> None:
        """Make room for a new file: never write into an existing one, which may be a hard link to a live file."""
        parent = os.path.dirname(target)
        if parent not in self.made:
            if os.path.isfile(parent) or os.path.islink(parent):
                os.unlink(parent)
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        except (IsADirectoryError, PermissionError):
            shutil.rmtree(target)

    def prune(self) -> int:
        """Remove what the spare holds beyond the wanted files (pages of deleted briefings, a search index to redo)."""
        keep_top = {rel.split("/", 1)[0] for rel in self.wanted} | {INCOMPLETE}
        removed = 0
        for entry in os.scandir(self.spare):
            if entry.name not in keep_top:
                shutil.rmtree(entry.path) if entry.is_dir(follow_symlinks=False) else os.unlink(entry.path)
                removed += 1
        if self.trusted is not None:
            stale = [rel for rel in self.trusted if rel not in self.wanted]
        else:
            stale = [rel for rel in _listing(self.spare) if rel not in self.wanted and rel != INCOMPLETE]
        for rel in stale:
            try:
                os.unlink(self.spare / rel)
            except FileNotFoundError:
                continue
            removed += 1
            _remove_empty_parents(self.spare, PurePosixPath(rel).parent)
        return removed


def _remove_empty_parents(root: Path, rel: PurePosixPath) -> None:
    while rel.parts:
        try:
            os.rmdir(root / rel)
        except OSError:  # not empty (or gone): stop climbing
            return
        rel = rel.parent


def _same_bytes(path: str | Path, data: bytes) -> bool | None:
    """True if the old file holds these bytes, False if it differs, None if there is no old file."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return None


_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): both trees stay complete at every instant."""
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _swap(spare: Path, output_dir: Path) -> None:
    """The new tree becomes the site, and the site takes the new tree's place."""
    if not output_dir.exists():
        os.rename(spare, output_dir)
        return
    if _exchange(spare, output_dir):
        return
    # Elsewhere: three renames; recover() puts the old tree back if a kill falls between them.
    aside = staging_path(output_dir, "old")
    os.rename(output_dir, aside)
    os.rename(spare, output_dir)
    os.rename(aside, spare)
