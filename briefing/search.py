"""Full-text search: indexed pages split into date-range shards of bounded size, each indexed by Pagefind on its own and
merged again in the reader's browser, so a change re-indexes one shard and indexing memory follows the shard, not the site.

The pipeline calls two functions: mark(html) for each rendered page (False, or what search remembers of it), and
index_files(...), the writer's `derived` step, which keeps the shards whose pages are the same and indexes the others.
Beneath them, pure parts: search_view, shards, shard_fingerprint, bundle_files; and index_shard, which runs Pagefind.
"""
from __future__ import annotations

import bisect
import functools
from collections import deque
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from datetime import date as Date, datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from .errors import Problem
from .writer import Kept, digest

MARK = b"data-pagefind-body"  # the theme opts pages in; a theme that marks none gets no index
MAX_SHARD_PAGES = 500  # Pagefind holds ~0.3 MB a page while indexing: ~150 MB and ~1 s a full shard (README, Search)
# Pagefind's time is linear in a shard's pages, with no fixed cost to speak of: halving shards halves what an edit
# re-indexes, and doubles the small files a reader's first search loads. Collections up to LARGE_COLLECTION pages
# take the cheaper edits; a larger one takes 500, so a search loads half as many shards (about 320 at 100,000).
SMALL_SHARD_PAGES = 250
LARGE_COLLECTION = 20_000
ROOT = "pagefind"
FOLDER = ROOT  # the index's place in the site; no page or alias may claim it
MANIFEST = f"{ROOT}/shards.json"
FORMAT = 1  # of what index_shard keeps and the manifest says; part of every fingerprint
TIMEOUT = 600
YEAR_SECONDS = 367 * 86400  # a year's span in seconds, with room for a leap day and a DST hour
UNDATED = "pages"  # the group of indexed pages that are not briefings (a theme may mark others)
UNDATED_SPAN = 1 << 32
UI_FILES = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")  # our page has its own UI


def find_pagefind() -> Path | None:
    """The pagefind binary: $PAGEFIND_BINARY_PATH (Pagefind's own variable), PyPI's pagefind_bin, or PATH."""
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return Path(override) if Path(override).is_file() else None
    try:
        from pagefind_bin import get_executable
    except ImportError:
        found = shutil.which("pagefind_extended") or shutil.which("pagefind")
        return Path(found) if found else None
    try:
        return Path(get_executable())
    except Exception:  # the wheel is there but has no binary for this platform
        return None


def not_installed() -> Problem:
    return Problem("pagefind", 1, 1, "", "Pagefind is not installed, so the site has no search index", "pip install 'pagefind[bin]'", "warning")


def failed(detail: str) -> Problem:
    return Problem("pagefind", 1, 1, "", f"Pagefind failed: {detail}", "the pages were built; search will not find the pages of that shard", "warning")


@functools.lru_cache(maxsize=4)
def _version(binary: str, stamp: tuple) -> str:
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60)
    return done.stdout.strip() or f"unknown {stamp}"


def version() -> str:
    """Pagefind's version (`pagefind 1.5.2`), or "" without Pagefind: an index made by another version is made again."""
    return pagefind_version()


def pagefind_version(binary: Path | None = None) -> str:
    """`pagefind 1.5.2`, or "" when there is none; asked once per binary (by path, size and mtime)."""
    binary = binary or find_pagefind()
    if binary is None:
        return ""
    try:
        st = binary.stat()
        return _version(str(binary), (st.st_size, st.st_mtime_ns))
    except (OSError, subprocess.SubprocessError):
        return ""


def search_view(page: bytes) -> bytes:
    """The part of a page Pagefind reads: its language, its title and the one element marked data-pagefind-body, as a
    small page of its own; the whole page when it has any other Pagefind attribute outside that element, or is unusual.

    What a shard's fingerprint is made from, so that a change around the article (a related list, the masthead, a
    neighbour's title) re-indexes nothing. The same view of a view.
    """
    at = page.find(MARK)
    start = page.rfind(b"<", 0, at) if at >= 0 else -1
    name = re.match(rb"<([a-zA-Z][a-zA-Z0-9-]*)", page[start : start + 40]) if start >= 0 else None
    end = _closing(page, start, name.group(1).lower()) if name else -1
    if end < 0 or b"data-pagefind-" in page[:start] or b"data-pagefind-" in page[end:] or MARK in page[at + len(MARK) : end]:
        return page
    lang = re.search(rb"<html[^>]*?\slang=\"([^\"<>]*)\"", page[:start])
    title = re.search(rb"<title>([^<]*)</title>", page[:start])
    head = b'<!DOCTYPE html><html lang="' + (lang.group(1) if lang else b"") + b'"><head><meta charset="utf-8"><title>'
    return head + (title.group(1) if title else b"") + b"</title></head><body>" + page[start:end] + b"</body></html>"


def _closing(page: bytes, start: int, name: bytes) -> int:
    """The offset just past the end tag that closes the element opening at `start` (same-name elements nest), or -1."""
    pattern = re.compile(rb"<(/?)" + re.escape(name) + rb"[\s>/]", re.IGNORECASE)
    depth = 0
    for match in pattern.finditer(page, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = page.find(b">", match.end() - 1)
            return close + 1 if close >= 0 else -1
    return -1


def view_digest(page: bytes) -> bytes | bool:
    """A digest of the page's search_view, or False for a page Pagefind does not index (no data-pagefind-body)."""
    return MARK in page and hashlib.blake2b(search_view(page), digest_size=16).digest()


# Each starts with its attribute's name, so that the regex engine skips to it like str.find (eight times faster than
# a leading \s, which tries every offset of the page); the look-behind then asks for the space before it.
SORT_DATE = re.compile(rb'data-pagefind-sort="(?<=\sdata-pagefind-sort=")[^"]*?\bdate:(-?\d+)"')
YEAR = re.compile(rb'data-pagefind-filter="(?<=\sdata-pagefind-filter=")[^"]*?\byear:(\d{1,4})"')


def mark(page: bytes) -> bool | tuple[bytes, tuple[int, int] | None]:
    """What search keeps of a rendered page: False when Pagefind does not index it, else (digest of its search view,
    (year, unix time) as the page gives them to Pagefind: its `year` filter and `date` sort; None without them).

    Shards are cut by that same date, so their order is the order of Pagefind's `date` sort ("newest first").
    """
    if MARK not in page:
        return False
    view = search_view(page)
    year, when = YEAR.search(view), SORT_DATE.search(view)
    return hashlib.blake2b(view, digest_size=16).digest(), ((int(year.group(1)), int(when.group(1))) if year and when else None)


def index_files(outputs: dict[str, tuple], previous: dict[str, tuple], live: dict[str, bytes], problems: list[Problem]) -> Callable[[Callable[[str], bytes]], Iterator[tuple[str, bytes | Kept]]]:
    """The writer's `derived` step: the pages marked in `outputs` (path -> fingerprint, digest, mark; a mark of None, from a
    build without search, is taken from the page now) in shards; a shard
    whose fingerprint stands and whose files the live tree holds is kept, the others are indexed from the new tree's
    pages, two at a time; then the manifest. The index's files join `outputs` as (shard fingerprint, digest, False)."""

    def derive(read: Callable[[str], bytes]) -> Iterator[tuple[str, bytes | Kept]]:
        for rel in [rel for rel, value in outputs.items() if value[2] is None]:  # made by a build without search
            outputs[rel] = (*outputs[rel][:2], mark(read(rel)))
        marked = {rel: value for rel, value in outputs.items() if value[2]}
        pagefind = version()
        if not marked or not pagefind:
            if marked:
                problems.append(not_installed())
            return
        groups = shards(((rel, value[2][1] if isinstance(value[2], tuple) else None) for rel, value in marked.items()), shard_limit(len(marked)))
        prints = {key: shard_fingerprint(key, [(rel, _seen(marked[rel])) for rel in rels], pagefind) for key, rels in groups.items()}
        old: dict[str, dict[str, tuple]] = {}
        for rel, value in previous.items():
            if rel.startswith(f"{ROOT}/") and rel != MANIFEST:
                old.setdefault(rel.split("/")[1], {})[rel] = value
        todo = []
        for key, fp in prints.items():
            kept = old.get(key)
            if kept and all(value[0] == fp and live.get(rel) == value[1] for rel, value in kept.items()):
                for rel, value in kept.items():
                    outputs[rel] = value
                    yield rel, Kept(value[1])
            else:
                todo.append(key)
        from concurrent.futures import ThreadPoolExecutor  # here: a build whose index stands never needs it (4 ms to import)

        with ThreadPoolExecutor(SCRATCH_SHARDS) as pool:  # Pagefind uses one core; at most two shards' pages in memory at once
            running: deque = deque()
            for key in todo + [None, None]:
                if key is not None:
                    running.append((key, pool.submit(index_shard, key, [(rel, search_view(read(rel))) for rel in groups[key]])))
                if running and (key is None or len(running) == 2):
                    done, made = running.popleft()
                    made = made.result()
                    if isinstance(made, Problem):
                        problems.append(made)
                        del prints[done]
                        continue
                    for rel, data in made.items():
                        outputs[rel] = (prints[done], digest(data), False)
                        yield rel, data
        for rel, data in bundle_files(prints).items():
            outputs[rel] = (digest(data), digest(data), False)
            yield rel, data

    return derive


def _seen(value: tuple) -> bytes:
    """A page's view digest from its output record (a page marked True by older code: the digest of its bytes)."""
    return value[2][0] if isinstance(value[2], tuple) else value[1]


def _place(rel: str, when: datetime | Date | tuple[int, int] | None) -> tuple[str, int, int]:
    """A page's group (its year, or UNDATED), its position in the group and the group's span: what shards split on."""
    if when is None:
        return UNDATED, int.from_bytes(hashlib.blake2b(rel.encode(), digest_size=4).digest(), "big"), UNDATED_SPAN
    if isinstance(when, tuple):  # (year, unix time), as a page gives them (mark)
        year, unix = when
        return f"{year:04d}", min(max(int(unix - _year_start(year)), 0), YEAR_SECONDS - 1), YEAR_SECONDS
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day)
    start = datetime(when.year, 1, 1, tzinfo=when.tzinfo)
    seconds = int(when.timestamp() - start.timestamp()) if when.tzinfo else int((when - start).total_seconds())
    return f"{when.year:04d}", min(max(seconds, 0), YEAR_SECONDS - 1), YEAR_SECONDS


@functools.lru_cache(maxsize=None)  # every page of a year asks: every build places every indexed page
def _year_start(year: int) -> float:
    """The first instant of `year` anywhere: it starts somewhere within 14 hours of UTC's."""
    return datetime(year, 1, 1, tzinfo=timezone.utc).timestamp() - 14 * 3600


def shard_limit(count: int) -> int:
    """The most pages a shard holds, in a collection that indexes `count` pages."""
    return MAX_SHARD_PAGES if count > LARGE_COLLECTION else min(SMALL_SHARD_PAGES, MAX_SHARD_PAGES)


def shards(pages, limit: int | None = None) -> dict[str, list[str]]:
    """Group indexed pages, given as (output path, date, or (year, unix time), or None), into shards: {key: sorted
    paths}, newest shard first.

    A shard is a year ("2017"), halved again and again ("2017-0", "2017-01", ...) while it holds more than `limit`
    pages, so a shard is a contiguous span of time (the search page sorts by date across shards by their order) and
    its key depends only on how many pages fall in it and its ancestors: a text edit keeps every shard as it is,
    adding or removing a briefing changes one shard, or two when one splits or two merge.
    """
    limit = limit or MAX_SHARD_PAGES
    groups: dict[str, list[tuple[int, str]]] = {}
    spans: dict[str, int] = {}
    for rel, when in pages:
        group, position, span = _place(rel, when)
        groups.setdefault(group, []).append((position, rel))
        spans[group] = span
    found: dict[str, list[str]] = {}
    for group in sorted(groups):
        items = sorted(groups[group])
        _split(group, items, [p for p, _ in items], 0, len(items), 0, spans[group], "", limit, found)
    return {key: found[key] for key in sorted(found, key=_newest_first)}


def _split(group, items, positions, first, last, lo, hi, bits, limit, found) -> None:
    """Halve the span [lo, hi) until each part holds at most `limit` pages (or cannot be halved: one instant)."""
    if last - first <= limit or hi - lo <= 1:
        if last > first:
            found[group + (f"-{bits}" if bits else "")] = sorted(rel for _, rel in items[first:last])
        return
    middle = (lo + hi) // 2
    cut = bisect.bisect_left(positions, middle, first, last)
    _split(group, items, positions, first, cut, lo, middle, bits + "0", limit, found)
    _split(group, items, positions, cut, last, middle, hi, bits + "1", limit, found)


def _newest_first(key: str) -> tuple:
    """Order of the manifest: newest year first, within a year the later span first; undated pages last."""
    group, _, bits = key.partition("-")
    return (group == UNDATED, -int(group) if group.isdigit() else 0, [-int(b) for b in bits])


def shard_fingerprint(key: str, pages, version: str | None = None) -> bytes:
    """A digest of what the shard's bundle is made from: its key, Pagefind's version, and each page as (output path,
    its view_digest, or any digest that changes whenever that does). The same fingerprint means the same bundle."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}\0{version if version is not None else pagefind_version()}\0{key}\0".encode())
    for rel, digest in sorted(pages):
        h.update(rel.encode() + b"\0" + digest + b"\n")
    return h.digest()


def index_shard(key: str, pages, workdir: Path | None = None) -> dict[str, bytes] | Problem:
    """Pagefind's bundle for exactly `pages` ((output path, HTML bytes) pairs), as {`pagefind/<key>/...`: bytes}.

    Pagefind's CLI runs on the pages' search views, written to a temporary folder inside `workdir`, else in memory
    (scratch_root) when there is room, else in the system's temporary folder (removed afterwards), so the site tree is
    never touched and memory follows the shard; a warning when Pagefind is missing or fails.
    Each bundle keeps Pagefind's runtime (pagefind.js, its worker, the WebAssembly of the languages it holds), so any
    shard can be the one the search page loads first; Pagefind's own UI files are dropped.
    """
    binary = find_pagefind()
    if binary is None:
        return not_installed()
    views = []
    for rel, data in pages:
        path = PurePosixPath(rel)
        if path.is_absolute() or ".." in path.parts or not rel:
            raise ValueError(f"not a path inside the site: {rel!r}")
        views.append((rel, search_view(data)))
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = scratch_root(SCRATCH_PER_BYTE * sum(len(view) for _, view in views))
        if workdir is not None:
            sweep(workdir)
    try:
        with tempfile.TemporaryDirectory(prefix=f".search-{os.getpid()}-{key}-", dir=workdir) as scratch:
            Path(scratch, SCRATCH_MARK).touch()
            return _run_pagefind(binary, key, views, Path(scratch))
    except OSError as exc:  # no room left for the scratch folder, say: this shard has no index this time
        return failed(f"shard {key}: {exc.strerror or exc}")


MEMORY = Path("/dev/shm")  # Linux's memory-backed folder; a container may give it as little as 64 MB
SCRATCH_PER_BYTE = 8  # a shard's scratch holds its views, and Pagefind's bundle of them (smaller), with room to spare
SCRATCH_SHARDS = 2  # shards indexed at once (index_files)


def scratch_root(needed: int) -> Path | None:
    """Where a shard's scratch folder goes: memory, when there is one with room for SCRATCH_SHARDS of them and TMPDIR
    does not name another place; None, the system's temporary folder, otherwise. Written once and read once, a shard's
    pages on a disk cost thousands of folder and file creations and deletions: at 10,000 briefings on this project's
    ext4 (mounted with discard), 3 to 16 s of the search step's 32 to 49 s of CPU in alternated runs."""
    if os.environ.get("TMPDIR"):
        return None
    try:
        st = os.statvfs(MEMORY)
    except OSError:
        return None
    if not os.access(MEMORY, os.W_OK | os.X_OK) or st.f_bavail * st.f_frsize < SCRATCH_SHARDS * needed:
        return None
    return MEMORY


SCRATCH_MARK = "briefing-search-scratch"  # in every scratch folder: what sweep() takes as the build's own
SCRATCH_NAME = re.compile(r"\.search-(\d+)-.+")


def sweep(root: Path) -> None:
    """Remove the scratch folders that killed builds left in `root` (in memory, they would hold it until a reboot):
    only folders named and marked as a build's own, whose process is gone. Another build's, running, are kept."""
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        owner = SCRATCH_NAME.fullmatch(entry.name)
        if owner and entry.is_dir(follow_symlinks=False) and os.path.isfile(os.path.join(entry.path, SCRATCH_MARK)) and not _running(int(owner.group(1))):
            shutil.rmtree(entry.path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process (or a number no process has: keep the folder)
        return True
    return True


def _run_pagefind(binary: Path, key: str, views: list[tuple[str, bytes]], scratch: Path) -> dict[str, bytes] | Problem:
    site, out = scratch / "site", scratch / "out"
    made: set[str] = set()
    for rel, view in views:
        target = os.path.join(site, rel)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        with open(target, "wb") as f:
            f.write(view)
    try:
        done = subprocess.run([str(binary), "--site", str(site), "--output-path", str(out), "--silent"], capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return failed(f"could not run: {exc}")
    if done.returncode != 0 or not (out / "pagefind-entry.json").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        return failed(f"shard {key}: {detail[0]}")
    return _bundle(key, out)


def _bundle(key: str, out: Path) -> dict[str, bytes]:
    entry = json.loads((out / "pagefind-entry.json").read_bytes())
    wasm = {f"wasm.{language.get('wasm') or 'unknown'}.pagefind" for language in entry.get("languages", {}).values()}
    files: dict[str, bytes] = {}
    for directory, _, names in os.walk(out):
        for name in names:
            if name.startswith(UI_FILES) or (name.startswith("wasm.") and name not in wasm):
                continue
            path = Path(directory, name)
            files[f"{ROOT}/{key}/{path.relative_to(out).as_posix()}"] = path.read_bytes()
    return dict(sorted(_canonical(files, f"{ROOT}/{key}/").items()))


SIGNATURE = b"pagefind_dcd"  # Pagefind's binary files: gzip of this signature and one CBOR value


def _canonical(files: dict[str, bytes], prefix: str) -> dict[str, bytes]:
    """The same bundle with its filter tables in a fixed order. Pagefind writes each filter's values, and the list of
    filters, in hash-map order, so the same pages gave different bytes on every run; sorted, and the files renamed
    after their new bytes, a bundle is a function of its pages. Anything not understood is left as Pagefind wrote it."""
    try:
        renamed: dict[str, str] = {}
        out = dict(files)
        for rel in [rel for rel in files if rel.startswith(f"{prefix}filter/")]:
            name, values = _unpack(files[rel])
            old = rel[len(prefix) + len("filter/") : -len(".pf_filter")]
            new = _rename(old, _pack([name, sorted(values, key=lambda item: item[0])]), 7)
            del out[rel]
            out[f"{prefix}filter/{new[0]}.pf_filter"], renamed[old] = new[1], new[0]
        entry = files[f"{prefix}pagefind-entry.json"]
        for language in json.loads(entry)["languages"].values():
            rel = f"{prefix}pagefind.{language['hash']}.pf_meta"
            meta = _unpack(files[rel])
            meta[3] = sorted([name, renamed.get(chunk, chunk)] for name, chunk in meta[3])
            new = _rename(language["hash"], _pack(meta), 10)
            del out[rel]
            out[f"{prefix}pagefind.{new[0]}.pf_meta"] = new[1]
            entry = entry.replace(f'"{language["hash"]}"'.encode(), f'"{new[0]}"'.encode())
        out[f"{prefix}pagefind-entry.json"] = entry
        return out
    except (ValueError, KeyError, TypeError, IndexError, OSError, EOFError):
        return files


def _rename(old: str, data: bytes, size: int) -> tuple[str, bytes]:
    """(Pagefind-style name `<language>_<hex>` after the bytes, the file's gzip bytes)."""
    language = old.rsplit("_", 1)[0]
    return f"{language}_{hashlib.blake2b(data, digest_size=8).hexdigest()[:size]}", gzip.compress(data, mtime=0)


def _unpack(data: bytes):
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise ValueError("not a Pagefind file")
    value, end = _cbor_decode(raw, len(SIGNATURE))
    if end != len(raw) or _cbor(value) != raw[len(SIGNATURE) :]:
        raise ValueError("a CBOR encoding this module would not write back the same")
    return value


def _pack(value) -> bytes:
    return SIGNATURE + _cbor(value)


def _cbor_decode(data: bytes, at: int):
    """One CBOR value at `at` and the offset after it: unsigned and negative integers, strings, bytes and arrays."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info >= 28:
        raise ValueError("indefinite or reserved CBOR length")
    size = 0 if info < 24 else 1 << (info - 24)
    count, at = (info if info < 24 else int.from_bytes(data[at : at + size], "big")), at + size
    if major == 0:
        return count, at
    if major == 1:
        return -1 - count, at
    if major in (2, 3):
        chunk = data[at : at + count]
        return (chunk.decode() if major == 3 else chunk), at + count
    if major == 4:
        items = []
        for _ in range(count):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major}")


def _cbor(value) -> bytes:
    if isinstance(value, int) and not isinstance(value, bool):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        return _head(3, len(value.encode())) + value.encode()
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_cbor(item) for item in value)
    raise ValueError(f"cannot encode {type(value).__name__}")


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def bundle_files(fingerprints: dict[str, bytes]) -> dict[str, bytes]:
    """The files shared by all shards: the manifest the search page reads, listing each shard's key and a tag of its
    fingerprint (the browser's cache key for the shard's entry file), newest first. Same shards, same bytes."""
    listed = [{"key": key, "tag": fingerprints[key].hex()[:16]} for key in sorted(fingerprints, key=_newest_first)]
    manifest = {"format": FORMAT, "shards": listed}
    return {MANIFEST: (json.dumps(manifest, ensure_ascii=False, separators=(",", ":")) + "\n").encode()}


def read_manifest(data: bytes | None) -> dict[str, str]:
    """{key: tag} from a manifest's bytes; empty for none, or for one this version cannot read."""
    try:
        manifest = json.loads(data or b"null")
        if manifest["format"] != FORMAT:
            return {}
        return {item["key"]: item["tag"] for item in manifest["shards"]}
    except (ValueError, KeyError, TypeError):
        return {}

