"""Put bytes at paths, all or nothing: bring the spare tree beside the site to the wanted files, then swap the two with one atomic rename.

Every tree the writer finishes holds a marker naming its build, and the writer returns a record of it (each file's
digest and stat, each folder's mtime); given that record back, `verify` tells which files are still as written.
The writer knows nothing else of builds: what to keep and what to write comes in as plain values.
"""
from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import array
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

MARKER = ".briefing"  # in every tree the writer makes: a non-empty folder without it is never replaced or deleted
MARKER_HEAD = b"Built by Briefing. This whole folder is replaced on every build.\n"

Sig = tuple[bytes, int, int, int]  # a file as written: digest, size, mtime_ns, inode


class OutputError(Exception):
    """The output folder cannot be written safely; the message says why and what to do."""


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class Kept:
    """An output whose bytes the live tree already holds (the caller checked it): linked, never rewritten."""

    digest: bytes


@dataclass(frozen=True)
class Tree:
    """What a tree held when the writer finished it: the build named in its marker, its files and its folders."""

    id: str
    files: dict[str, Sig]
    folders: dict[str, int]  # folder (''= the tree itself) -> mtime_ns: a changed mtime means entries came or went

    @functools.cached_property  # asked for twice a build (live, then spare) for every file of the site
    def digests(self) -> dict[str, bytes]:
        """Path -> digest of the files whose bytes are known (not UNKNOWN_FILE)."""
        return {rel: sig[0] for rel, sig in self.files.items() if sig[0]}

    def __getstate__(self):  # the state saves the record, not what is derived from it
        return {name: value for name, value in self.__dict__.items() if name != "digests"}


@dataclass(frozen=True)
class Checked:
    """What of a tree on disk is still as recorded."""

    present: bool  # the folder is there and was made by Briefing
    tree: Tree  # the recorded files and folders that still match (empty when the marker names another build)
    unknown: frozenset[str] = frozenset()  # folders whose entries changed: what else they hold is not known
    exact: bool = False  # every recorded file matched and nothing else is there

    @property
    def digests(self) -> dict[str, bytes]:
        """Path -> digest of the files known to hold what was written."""
        return self.tree.digests


@dataclass(frozen=True)
class Published:
    live: Tree
    spare: Tree | None  # the previous site, kept beside the new one for the next build to update
    written: int
    removed: int


NOTHING = Tree("", {}, {})
KEPT = Kept(b"")  # what _put is given for a file taken in bulk: its digest comes beside it


def safe_relative(rel: str) -> PurePosixPath:
    """Refuse any output path that could land outside the output folder."""
    path = PurePosixPath(rel)
    if not rel or rel == MARKER or "\\" in rel or "\x00" in rel or path.is_absolute() or any(part in ("", ".", "..") for part in rel.split("/")) or len(rel) > 1000:
        raise OutputError(f"refusing to write outside the output folder: {rel[:120]!r}")
    return path


_PATHS: list = [frozenset(), [], hashlib.sha256()]  # the last content_id's paths: as a set, sorted, and hashed


def content_id(files: dict[str, bytes]) -> str:
    """A name for a tree's content (path -> digest), the same for the same files; in C loops, as it runs every build,
    and most builds name the same paths as the last: their sorting and hashing is kept. SHA-256, not BLAKE2:
    processors hash it in hardware, three times as fast on the megabyte of a large site's paths."""
    if files.keys() != _PATHS[0]:
        paths = sorted(files)
        _PATHS[:] = [frozenset(paths), paths, hashlib.sha256("\0".join(paths).encode())]
    _, paths, hashed = _PATHS
    digests = list(map(files.__getitem__, paths))
    h = hashed.copy()
    h.update(array.array("I", map(len, digests)).tobytes())
    h.update(b"".join(digests))
    return h.hexdigest()[:16]


def spare_path(output_dir: Path) -> Path:
    return output_dir.absolute().parent / f".{output_dir.name}.briefing-spare"


def _aside_path(output_dir: Path) -> Path:
    return output_dir.absolute().parent / f".{output_dir.name}.briefing-old"


def marker_id(root: Path) -> str | None:
    """The build named in a tree's marker; '' for a marker of ours naming none; None when the folder is not ours."""
    try:
        with open(root / MARKER, "rb") as f:
            text = f.read(4096)
    except OSError:
        return None
    if not text.startswith(MARKER_HEAD):
        return None
    rest = text[len(MARKER_HEAD) :].decode("ascii", "replace").split()
    return rest[1] if len(rest) == 2 and rest[0] == "build" else ""


UNKNOWN_FILE: Sig = (b"", -1, -1, -1)  # in a record: a file whose bytes are not known (it differs from what was written)
UNKNOWN_FOLDER = -1  # in a record: a folder that may hold files the writer did not put there


def verify(root: Path, tree: Tree | None, linked: Tree = NOTHING) -> Checked:
    """Which recorded files are still as the writer left them (same size, mtime and inode), and whether anything else came.

    What no longer matches stays in the returned record as unknown, so that this tree, kept as the spare, is put
    right when it is next used. A tree whose marker names another build is another tree, whatever its files look
    like: nothing of it is trusted. `linked`: what a check of the live tree found as recorded. The spare shares most
    of its files with it by hard link: a file recorded alike in both (one inode, same size and mtime), in a folder
    whose entries have not changed since, is that checked file under a second name, and is not looked at again
    (a build that writes checked twice as many files as a no-op).
    """
    found = marker_id(root)
    if found is None:
        return Checked(False, NOTHING)
    if tree is None or found != tree.id or not tree.id:
        return Checked(True, NOTHING, frozenset({""}))
    changed, unknown = [], set()
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:  # paths relative to the open folder: about half the cost of absolute ones, for every file of the site
        lstat = os.lstat
        for rel, mtime in tree.folders.items():  # first: a folder whose entries changed vouches for none of its files
            try:
                if lstat(rel or ".", dir_fd=fd).st_mtime_ns != mtime:
                    unknown.add(rel)
            except OSError:
                unknown.add(rel)
        checked = linked.files
        for rel, sig in tree.files.items():
            if checked.get(rel) == sig and rel.rpartition("/")[0] not in unknown:
                continue
            try:
                st = lstat(rel, dir_fd=fd)
            except OSError:
                changed.append(rel)
                continue
            if st.st_mtime_ns != sig[2] or st.st_ino != sig[3] or st.st_size != sig[1]:
                changed.append(rel)
    finally:
        os.close(fd)
    if not changed and not unknown:
        return Checked(True, tree, frozenset(), True)
    files = {**tree.files, **dict.fromkeys(changed, UNKNOWN_FILE)}
    folders = {**tree.folders, **dict.fromkeys(unknown, UNKNOWN_FOLDER)}
    return Checked(True, Tree(tree.id, files, folders), frozenset(unknown), False)


def trusted(tree: Tree) -> Checked:
    """A record taken as it is: the tree this process just wrote and nobody else writes."""
    return Checked(True, tree, frozenset(), True)


def check_replaceable(output_dir: Path) -> None:
    if output_dir.is_symlink() or (output_dir.exists() and not output_dir.is_dir()):
        raise OutputError(f"{output_dir} is not a folder; pass --output to a folder Briefing may replace")
    if output_dir.is_dir() and marker_id(output_dir) is None and any(output_dir.iterdir()):
        raise OutputError(f"{output_dir} is not empty and was not built by Briefing (it has no {MARKER} marker of Briefing's); refusing to replace it (pass --output to a new folder, or empty this one if it is an old build)")
    for path in (spare_path(output_dir), _aside_path(output_dir)):
        if (path.exists() or path.is_symlink()) and (path.is_symlink() or not path.is_dir() or marker_id(path) is None):
            raise OutputError(f"{path} is in the way: Briefing keeps its previous site there, but this was not made by Briefing; move it elsewhere")


@contextlib.contextmanager
def lock(output_dir: Path):
    """Hold the output folder's lock, beside it, so two builds of one folder never interleave wherever they were
    started from; yields None when held, else the pid of the build that holds it."""
    path = output_dir.absolute().parent / f".{output_dir.name}.briefing-lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            yield f.read().strip() or "unknown"
            return
        f.truncate(0)
        f.write(str(os.getpid()))
        f.flush()
        try:
            yield None
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def recover(output_dir: Path) -> None:
    """A build killed between the renames of the fallback swap leaves the site aside: put it back (only a tree of ours)."""
    aside = _aside_path(output_dir)
    if not output_dir.exists() and aside.is_dir() and not aside.is_symlink() and marker_id(aside) is not None:
        os.rename(aside, output_dir)


Derived = Callable[[Callable[[str], bytes]], Iterable[tuple[str, "bytes | Kept"]]]


def publish(output_dir: Path, files: Iterable[tuple[str, bytes | Kept, bytes | None]], live: Checked, spare: Callable[[], Checked], derived: Derived | None = None, kept: dict[str, bytes] | None = None, fill_spare: bool = False) -> Published | None:
    """Make the output folder hold exactly `files`, atomically; None when it already does (nothing is touched then).

    The files stream in (a cold build's pages need not all be in memory), each with the digest of its bytes when the
    caller has it already (else None: worked out here). The spare tree (`spare` says what of it is
    as recorded, asked only once a file differs) is changed only where it differs; files the live tree holds are
    hard-linked (same inode, mtime kept, so rsync and CDN uploads skip them).
    `derived`, given a function that reads a file of the new tree, yields more files made from them (a search
    index). `kept`: files (path -> digest) the live tree holds as they are, taken in bulk. If anything raises, the
    site is untouched and the spare is left part-way, which `verify` will see. `fill_spare` (a preview, whose next
    build should be quick): when there was no previous site to keep, make the spare now, of links to the new one.
    """
    output_dir = output_dir.absolute()
    recover(output_dir)
    check_replaceable(output_dir)
    sync = _Sync(output_dir, live, spare)
    sync.add_kept(kept or {})
    for rel, value, known in files:
        sync.add(rel, value, known)
    for rel, value in derived(sync.read) if derived is not None else ():
        sync.add(rel, value)
    if not sync.opened and live.exact and set(sync.wanted) == set(live.tree.files) - {MARKER}:
        return None
    sync.open()
    removed = sync.prune()
    new_live = sync.finish()
    existed = output_dir.exists()
    _swap(sync.root, output_dir)
    if existed and not live.present:
        os.rmdir(sync.root)  # the empty folder the first build replaced (check_replaceable allows no other)
    old = live.tree if existed and live.present else None
    if old is None and fill_spare:
        old = _mirror(output_dir, sync.root, new_live)
    return Published(new_live, old, sync.written, removed)


def _mirror(live: Path, spare: Path, tree: Tree) -> Tree | None:
    """The spare made of hard links to every file of the live tree (its marker too): a record of it is the live one's,
    but for the folders' mtimes. None (and no spare) if it cannot be made."""
    try:
        spare.mkdir()
        folders = {}
        for rel in sorted(tree.folders, key=len):
            if rel:
                os.mkdir(os.path.join(spare, rel))
        for rel in tree.files:
            os.link(os.path.join(live, rel), os.path.join(spare, rel))
        for rel in tree.folders:
            folders[rel] = os.lstat(os.path.join(spare, rel) if rel else spare).st_mtime_ns
    except OSError:
        shutil.rmtree(spare, ignore_errors=True)
        return None
    return Tree(tree.id, dict(tree.files), folders)


class _Sync:
    """Brings the spare tree to the wanted files; opens it lazily, at the first file that differs from the live tree."""

    def __init__(self, output_dir: Path, live: Checked, spare: Callable[[], Checked]):
        self.live_dir, self.root = str(output_dir), spare_path(output_dir)
        self.live, self.check_spare = live.digests, spare
        self.spare, self.spare_digests = Checked(False, NOTHING), {}
        self.live_known = live.present and bool(live.tree.id)  # else a file's bytes are compared with the live file's
        self.wanted: dict[str, bytes] = {}
        self.pending: list[tuple[str, bytes | Kept]] = []  # same as live so far; applied if the spare is opened
        self.pending_kept: dict[str, bytes] = {}  # likewise, taken in bulk
        self.opened = False
        self.touched: dict[str, None] = {}  # files written or linked into the spare, in order
        self.removed: list[str] = []  # files removed from it
        self.made: set[str] = set()
        self.written = 0

    def add(self, rel: str, value: bytes | Kept, known: bytes | None = None) -> None:
        if rel not in self.live:
            safe_relative(rel)
        data_digest = value.digest if type(value) is Kept else known or digest(value)
        if rel in self.wanted:
            raise OutputError(f"two outputs at {rel}")
        self.wanted[rel] = data_digest
        if self.opened:
            self._put(rel, value, data_digest)
        elif self.live.get(rel) == data_digest or (not self.live_known and type(value) is not Kept and _same_bytes(os.path.join(self.live_dir, rel), value)):
            self.pending.append((rel, value))
        else:
            self.open()
            self._put(rel, value, data_digest)

    def add_kept(self, kept: dict[str, bytes]) -> None:
        """Files the live tree holds as they are (the caller checked each against it), many at once."""
        if self.wanted and self.wanted.keys() & kept.keys():
            raise OutputError(f"two outputs at {sorted(self.wanted.keys() & kept.keys())[0]}")
        if not kept.items() <= self.live.items():  # the whole site's worth: compared at C speed
            unchecked = next(rel for rel, data_digest in kept.items() if self.live.get(rel) != data_digest)
            raise OutputError(f"{self.live_dir}/{unchecked} is not what the build keeps; build again")
        self.wanted.update(kept)
        if self.opened:
            self._put_kept(kept)
        else:
            self.pending_kept.update(kept)

    def _put_kept(self, kept: dict[str, bytes]) -> None:
        spare = self.spare_digests
        for rel in [rel for rel, data_digest in kept.items() if spare.get(rel) != data_digest]:  # most are there already
            self._put(rel, KEPT, kept[rel])

    def read(self, rel: str) -> bytes:
        """A wanted file's bytes as the new tree will hold them."""
        with open(os.path.join(str(self.root) if self.opened else self.live_dir, rel), "rb") as f:
            return f.read()

    def open(self) -> None:
        if self.opened:
            return
        self.opened = True
        self.spare = self.check_spare()
        self.spare_digests = self.spare.digests
        root = self.root
        if not self.spare.present:
            if root.exists() or root.is_symlink():
                raise OutputError(f"{root} is in the way; move it elsewhere")
            root.mkdir(parents=True)
            (root / MARKER).write_bytes(MARKER_HEAD + b"build -\n")  # ours from the start, naming no build until finished
        pending, self.pending = self.pending, []
        for rel, value in pending:
            self._put(rel, value, self.wanted[rel])
        pending_kept, self.pending_kept = self.pending_kept, {}
        self._put_kept(pending_kept)

    def _put(self, rel: str, value: bytes | Kept, data_digest: bytes) -> None:
        if self.spare_digests.get(rel) == data_digest:
            return  # the spare holds it already
        target = os.path.join(self.root, rel)  # strings, not Paths: this runs for every file of the site
        self._clear(target)
        self.touched[rel] = None
        if self.live.get(rel) == data_digest or type(value) is Kept or (not self.live_known and _same_bytes(os.path.join(self.live_dir, rel), value)):
            try:
                os.link(os.path.join(self.live_dir, rel), target)
                return
            except FileNotFoundError:
                if type(value) is Kept:
                    raise OutputError(f"{self.live_dir}/{rel} vanished during the build; build again") from None
        with open(target, "xb") as out:
            out.write(value)
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
        """Remove what the spare holds beyond the wanted files: recorded files no longer wanted, and whatever else came."""
        removed = 0
        stale = sorted(self.spare.tree.files.keys() - self.wanted.keys() - {MARKER})
        for folder in self.spare.unknown:
            stale += [rel for rel in _listing(self.root, folder) if rel not in self.wanted and rel != MARKER]
        for rel in dict.fromkeys(stale):
            path = self.root / rel
            try:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    os.unlink(path)
            except FileNotFoundError:
                continue
            removed += 1
            self.removed.append(rel)
            _remove_empty_parents(self.root, PurePosixPath(rel).parent)
        return removed

    def finish(self) -> Tree:
        """Name the tree in its marker by what it holds (the same files give the same bytes, marker included), and
        record every file and folder as they now are."""
        build_id = content_id(self.wanted)
        marker = self.root / MARKER
        marker.unlink(missing_ok=True)
        marker.write_bytes(MARKER_HEAD + f"build {build_id}\n".encode())
        base = str(self.root)
        kept = self.spare.tree.files
        files = dict(kept)  # as recorded: every file not touched
        for rel in files.keys() - self.wanted.keys():
            del files[rel]
        for rel in self.touched.keys() | (self.wanted.keys() - files.keys()):
            st = os.lstat(os.path.join(base, rel))
            files[rel] = (self.wanted[rel], st.st_size, st.st_mtime_ns, st.st_ino)
        st = os.lstat(marker)
        files[MARKER] = (digest(marker.read_bytes()), st.st_size, st.st_mtime_ns, st.st_ino)
        # A folder's mtime changes only when entries come or go in it: the folders above what was written or removed.
        changed = {""}
        for rel in (*self.touched, *self.removed):
            parent = rel.rpartition("/")[0]
            while parent and parent not in changed:
                changed.add(parent)
                parent = parent.rpartition("/")[0]
        recorded = self.spare.tree.folders
        if self.spare.exact and not self.removed:  # the same folders as the spare's record: only those written in changed
            folders = dict(recorded)
            for rel in changed:
                folders[rel] = os.lstat(os.path.join(base, rel) if rel else base).st_mtime_ns
            return self._tree(build_id, files, folders)
        folders = {}
        for rel in files:
            parent = rel.rpartition("/")[0]
            while parent not in folders:
                mtime = recorded.get(parent, UNKNOWN_FOLDER) if parent not in changed else UNKNOWN_FOLDER
                folders[parent] = mtime if mtime != UNKNOWN_FOLDER else os.lstat(os.path.join(base, parent) if parent else base).st_mtime_ns
                if not parent:
                    break
                parent = parent.rpartition("/")[0]
        return self._tree(build_id, files, folders)

    def _tree(self, build_id: str, files: dict[str, Sig], folders: dict[str, int]) -> Tree:
        tree = Tree(build_id, files, folders)
        tree.__dict__["digests"] = {**self.wanted, MARKER: files[MARKER][0]}  # what Tree.digests would find, known here
        return tree


def _listing(root: Path, folder: str) -> list[str]:
    """Every file and link below root/folder, by path relative to root."""
    start = root / folder if folder else root
    cut = len(str(root)) + 1
    found = []
    for directory, dirnames, names in os.walk(start):
        found += [os.path.join(directory, name)[cut:] for name in names]
        found += [os.path.join(directory, name)[cut:] for name in dirnames if os.path.islink(os.path.join(directory, name))]
    return found


def _remove_empty_parents(root: Path, rel: PurePosixPath) -> None:
    while rel.parts:
        try:
            os.rmdir(root / rel)
        except OSError:  # not empty (or gone): stop climbing
            return
        rel = rel.parent


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


_libc = ctypes.CDLL(None, use_errno=True)  # the C library this process runs on (find_library would start ldconfig)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): both trees stay complete at every instant."""
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _swap(spare: Path, output_dir: Path) -> None:
    """The new tree becomes the site, and the site takes the new tree's place."""
    if not output_dir.exists():
        os.rename(spare, output_dir)
        return
    if _exchange(spare, output_dir):
        return
    # Elsewhere: three renames; recover() puts the site back if a kill falls between the first two.
    aside = _aside_path(output_dir)
    os.rename(output_dir, aside)
    os.rename(spare, output_dir)
    os.rename(aside, spare)
