"""Put bytes at paths, all or nothing: build a sibling tree, then swap it in with one atomic rename."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

MARKER = ".briefing"  # written into every output tree; a non-empty folder without it is never replaced
MARKER_TEXT = b"Built by Briefing. This whole folder is replaced on every build.\n"


class OutputError(Exception):
    """The output folder cannot be written safely; the message says why and what to do."""


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def safe_relative(rel: str) -> PurePosixPath:
    """Refuse any output path that could land outside the output folder."""
    path = PurePosixPath(rel)
    if not rel or "\\" in rel or "\x00" in rel or path.is_absolute() or any(part in ("", ".", "..") for part in rel.split("/")) or len(rel) > 1000:
        raise OutputError(f"refusing to write outside the output folder: {rel[:120]!r}")
    return path


def staging_path(output_dir: Path, tag: str) -> Path:
    return output_dir.parent / f".{output_dir.name}.{tag}-{os.getpid()}"


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


def publish(output_dir: Path, files: dict[str, bytes], finish: Callable[[Path], None] | None = None) -> WriteStats:
    """Write the complete new tree beside the old one, reusing unchanged files by hard link, then swap.

    `finish` runs on the complete new tree before the swap (the search indexer works on files on disk).
    """
    output_dir = output_dir.absolute()
    recover(output_dir)
    check_replaceable(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_path(output_dir, "new")
    staging.mkdir()
    try:
        stats = _fill(staging, output_dir, {**files, MARKER: MARKER_TEXT})
        if finish is not None:
            finish(staging)
        _swap(staging, output_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return stats


def _fill(staging: Path, old_root: Path, files: dict[str, bytes]) -> WriteStats:
    written = unchanged = replaced = 0
    made: set[Path] = set()
    for rel in sorted(files):
        data = files[rel]
        relative = safe_relative(rel)
        target = staging / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        old = old_root / relative
        same = _same_bytes(old, data)
        if same is True:
            os.link(old, target)  # same inode: mtime kept, so rsync and CDN uploads skip it
            unchanged += 1
        else:
            target.write_bytes(data)
            written += 1
            replaced += same is False
    previous = _count_files(old_root) if old_root.is_dir() else 0
    return WriteStats(written, unchanged, previous - unchanged - replaced)


def _count_files(root: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(root))


def _same_bytes(path: Path, data: bytes) -> bool | None:
    """True if the old file holds these bytes, False if it differs, None if there is no old file."""
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
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


def _swap(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    if _exchange(staging, output_dir):
        shutil.rmtree(staging)  # staging now holds the previous site
        return
    # Elsewhere: two renames; recover() puts the old tree back if a kill falls between them.
    aside = staging_path(output_dir, "old")
    os.rename(output_dir, aside)
    os.rename(staging, output_dir)
    shutil.rmtree(aside)
