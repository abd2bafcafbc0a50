"""The build state kept between builds under .cache/: what every input and output was, so a rebuild redoes only what changed."""
from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import pickle
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import jinja2
import jinja2.meta
import markdown
import nh3
import yaml

from .errors import Problem
from .frontmatter import MAX_SOURCE_BYTES
from .model import Briefing, Topic
from .writer import Trees

VERSION = 2
SHARDS = 64  # parsed sources are saved in this many files, so an edit rewrites one of them, not 50 MB
KEEP_STATES = 16  # state files of other output folders (test runs, previews) beyond this many are dropped, oldest first
RACY_NS = 2_000_000_000  # a file changed this close to the scan may change again within the same mtime: re-hash it next time


@dataclass
class Input:
    """One source or layout file as last seen: its stat (None when too fresh to trust) and the digest of its bytes."""

    stat: tuple[int, int] | None
    digest: bytes


@dataclass
class Head:
    """The small part, enough to tell that nothing changed without loading parsed briefings."""

    key: bytes  # code and folders: anything else means start afresh
    stamp: bytes  # pairs this head with its body file
    settings: tuple  # drafts, future, base_url: a change means the no-op shortcut does not apply
    inputs: dict[str, Input]
    wake: datetime | None  # the first held-back future briefing's date: from then on the output differs
    live_id: tuple[int, int] | None
    problems: list[Problem]
    counts: dict[str, int]
    held_back: int


@dataclass
class Body:
    """The large part: parsed sources and what every output was made from."""

    stamp: bytes
    parsed: dict[str, tuple[bytes, Briefing | Topic | None, list[Problem]]]  # rel -> (token, result, problems)
    outputs: dict[str, tuple[bytes, bool]]  # rel -> (fingerprint, holds an indexed region)
    trees: Trees | None
    related: tuple = (b"", {}, ())  # (shape of the collection, path -> related paths, each briefing's (path, tag keys))
    shards: tuple[str, ...] = ()  # on disk, `parsed` lives in these content-named files instead
    templates: dict = field(default_factory=dict)  # layout digest -> what template_names found in it
    shown_on: dict = field(default_factory=dict)  # source path -> positions of the pages whose data holds it


@dataclass
class State:
    head: Head | None = None
    body: Body | None = None


@dataclass
class Session:
    """A state kept in memory between builds of one process (serve), saved to disk when it ends."""

    state: State = field(default_factory=State)
    walked: tuple | None = None  # the last walk of the input folders: (files, problems, normalised path -> name)
    plan: object = None  # pipeline.Plan of the last build, for edits that re-plan nothing


def code_key(content_dir: Path, layouts_dir: Path) -> bytes:
    """Everything outside content and layouts that output bytes depend on: our code, the libraries' versions, the folders."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    versions = (VERSION, sys.version_info[:2], markdown.__version__, jinja2.__version__, yaml.__version__, getattr(nh3, "__version__", ""))
    h.update(repr((versions, str(content_dir.absolute()), str(layouts_dir.absolute()))).encode())
    return h.digest()


def state_paths(cache_dir: Path, output_dir: Path) -> tuple[Path, Path]:
    """One state per output folder, so two output folders never share one."""
    name = hashlib.blake2b(str(output_dir.absolute()).encode(), digest_size=8).hexdigest()
    return cache_dir / "briefing" / f"{name}.head", cache_dir / "briefing" / f"{name}.body"


@contextlib.contextmanager
def lock(cache_dir: Path, output_dir: Path):
    """Hold the output folder's build lock; yields None when held, else the pid of the build that holds it.

    Two builds of one output folder would share its spare tree and state; the second one stops instead.
    """
    path = state_paths(cache_dir, output_dir)[0].with_suffix(".lock")
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


def load_head(cache_dir: Path, output_dir: Path, key: bytes) -> Head | None:
    """The recorded head, or None when there is none, it is damaged, or it comes from other code: a full build then."""
    head = _load(state_paths(cache_dir, output_dir)[0])
    return head if isinstance(head, Head) and head.key == key else None


def load_body(cache_dir: Path, output_dir: Path, head: Head) -> Body | None:
    body_path = state_paths(cache_dir, output_dir)[1]
    body = _load(body_path)
    if not isinstance(body, Body) or body.stamp != head.stamp:
        return None
    for name in body.shards:
        part = _load(body_path.with_name(name))
        if not isinstance(part, dict):
            return None
        body.parsed.update(part)
    return body


def _load(path: Path):
    try:
        with open(path, "rb") as f:
            if f.read(8) != b"BRIEF%03d" % VERSION:
                return None
            return pickle.load(f)
    except Exception:  # any damage at all (truncated, foreign, unpicklable) only costs a full build
        return None


def save(cache_dir: Path, output_dir: Path, state: State, body_changed: bool = True) -> None:
    """Body first, then head, each by atomic rename: a kill in between leaves a head whose stamp no body matches."""
    head_path, body_path = state_paths(cache_dir, output_dir)
    head_path.parent.mkdir(parents=True, exist_ok=True)
    shards = None
    if body_changed or not body_path.exists():
        state.head.stamp = state.body.stamp = secrets.token_bytes(8)
        shards = _save_shards(body_path, state.body.parsed)
        _dump(body_path, dataclasses.replace(state.body, parsed={}, shards=shards))
    _dump(head_path, state.head)
    if shards is not None:
        for path in head_path.parent.glob(f"{head_path.stem}.*.parsed"):
            if path.name not in shards:
                path.unlink(missing_ok=True)  # the last body's, now replaced
    _prune(head_path.parent)


def _save_shards(body_path: Path, parsed: dict[str, tuple]) -> tuple[str, ...]:
    """Parsed sources by shard, each file named after the tokens it holds: an unchanged shard is already on disk."""
    groups: dict[int, dict[str, tuple]] = {}
    for rel, entry in parsed.items():
        groups.setdefault(int.from_bytes(hashlib.blake2b(rel.encode(), digest_size=2).digest(), "big") % SHARDS, {})[rel] = entry
    names = []
    for _, group in sorted(groups.items()):
        key = hashlib.blake2b(b"".join(rel.encode() + b"\0" + entry[0] for rel, entry in group.items()), digest_size=12).hexdigest()
        path = body_path.with_name(f"{body_path.stem}.{key}.parsed")
        if not path.exists():
            _dump(path, group)
        names.append(path.name)
    return tuple(names)


def _dump(path: Path, value) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    with open(temp, "wb") as f:
        f.write(b"BRIEF%03d" % VERSION)
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temp, path)


def _prune(folder: Path) -> None:
    heads = sorted(folder.glob("*.head"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for head in heads[KEEP_STATES:]:
        for path in (head, head.with_suffix(".body"), head.with_suffix(".lock"), *folder.glob(f"{head.stem}.*.parsed")):
            path.unlink(missing_ok=True)
        shutil.rmtree(head.with_suffix(".spare"), ignore_errors=True)


def scan(files: dict[str, Path], previous: dict[str, Input], now_ns: int, only: set[str] | None = None) -> tuple[dict[str, Input], set[str], dict[str, bytes]]:
    """Stat every file (or only those named, when a watcher says the rest are as they were); read and hash
    only those whose stat changed or was too fresh to trust.

    Returns the new table, the names whose bytes changed (or are new), and the bytes read on the way.
    """
    table: dict[str, Input] = {}
    changed: set[str] = set()
    read: dict[str, bytes] = {}
    for rel, path in files.items():
        if only is not None and rel not in only:
            old = previous.get(rel)
            if old is not None and old.stat is not None:
                table[rel] = old
                continue
        try:
            st = os.stat(path)
        except OSError:
            changed.add(rel)  # vanished since the walk: the loader reports it
            continue
        stat = (st.st_mtime_ns, st.st_size)
        old = previous.get(rel)
        if old is not None and old.stat == stat:
            table[rel] = old
            continue
        if old is None or (st.st_size > MAX_SOURCE_BYTES and rel.startswith("content/")):
            changed.add(rel)  # new (or refused as too large): its loader reads it and records its digest
            continue
        try:
            data = path.read_bytes()
        except OSError:
            changed.add(rel)
            continue
        entry = Input(stat if st.st_mtime_ns < now_ns - RACY_NS else None, hashlib.blake2b(data, digest_size=16).digest())
        table[rel] = entry
        read[rel] = data
        if entry.digest != old.digest:
            changed.add(rel)
    return table, changed, read


def record(path: Path, data: bytes, now_ns: int, st: os.stat_result | None = None) -> Input:
    """The table entry for a file just read."""
    st = st or os.stat(path)
    return Input((st.st_mtime_ns, st.st_size) if st.st_mtime_ns < now_ns - RACY_NS else None, hashlib.blake2b(data, digest_size=16).digest())


def template_names(env: jinja2.Environment, source: bytes, known: dict | None = None) -> tuple[frozenset, frozenset[str]]:
    """The templates a template names (None when computed) and the variables it reads from outside; `known` remembers
    them by the digest of the source, across builds."""
    digest = hashlib.blake2b(source, digest_size=16).digest()
    if known is not None and digest in known:
        return known[digest]
    ast = env.parse(source.decode("utf-8"))
    found = frozenset(jinja2.meta.find_referenced_templates(ast)), frozenset(jinja2.meta.find_undeclared_variables(ast))
    if known is not None:
        known[digest] = found
    return found


def bytecode_dir(cache_dir: Path, key: bytes) -> Path:
    """Compiled templates, in a folder of this code version's own (Jinja checks sources, not our options); older ones go."""
    folder = cache_dir / "briefing" / f"jinja-{key.hex()[:16]}"
    for old in (cache_dir / "briefing").glob("jinja-*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    return folder


def template_closure(env: jinja2.Environment, name: str, sources: dict[str, bytes], memo: dict[str, frozenset[str]], names=template_names) -> frozenset[str]:
    """A template and every template it extends, includes or imports; all of them when a name is computed at render time."""
    if name in memo:
        return memo[name]
    memo[name] = frozenset({name})  # a cycle ends here
    try:
        found = set(names(env, sources[name])[0])
    except (KeyError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
        found = set()  # a missing or broken template fails when rendered, and its own digest already changed
    if None in found:
        memo[name] = frozenset(sources)
        return memo[name]
    result = {name}
    for other in found:
        result |= template_closure(env, other, sources, memo, names)
    memo[name] = frozenset(result)
    return memo[name]


def names_used(env: jinja2.Environment, templates: frozenset[str], sources: dict[str, bytes], names=template_names) -> frozenset[str]:
    """The global names templates read (e.g. tag_names): a page depends on a global only if its templates use it."""
    used: set[str] = set()
    for name in templates:
        try:
            used |= names(env, sources[name])[1]
        except (KeyError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
            return frozenset(env.globals)  # unreadable: assume it uses everything
    return frozenset(used)


class Fingerprints:
    """Digests of what a page is made of, with briefings and topics standing in as the digests of their sources."""

    def __init__(self, tokens: dict[str, bytes]):
        self.tokens = {path: "t" + token.hex() for path, token in tokens.items()}  # source path -> its encoding
        self.objects: dict[int, tuple[object, str]] = {}  # id -> (object, encoding) of shared values (tags, authors)

    def of(self, *parts) -> bytes:
        out: list[str] = []
        self._encode(parts, out)
        return hashlib.blake2b("\x1f".join(out).encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def page(self, page, *parts, shows: set[str] | None = None) -> bytes:
        """The page's fingerprint; with `shows`, also collect the tokens ("t…") of the sources its data holds."""
        out: list[str] = []
        self._encode((page.url, page.kind, page.template, page.source, page.context, *parts), out)
        if shows is not None:
            shows.update(entry for entry in out if entry[0] == "t")
        return hashlib.blake2b("\x1f".join(out).encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def _encode(self, value, out: list[str]) -> None:
        kind = type(value)  # exact types first: this runs a few hundred thousand times per build
        if kind is str:
            out.append("s" + value)
        elif kind is Briefing or kind is Topic:
            out.append(self.tokens[value.path])
        elif kind is list or kind is tuple:
            out.append("[%d" % len(value))
            for item in value:
                if type(item) is Briefing:
                    out.append(self.tokens[item.path])
                else:
                    self._encode(item, out)
        elif kind is dict:
            out.append("{%d" % len(value))
            for key, item in value.items():
                self._encode(key, out)
                self._encode(item, out)
        elif value is None or kind is int:
            out.append(repr(value))
        else:
            known = self.objects.get(id(value))
            if known is not None and known[0] is value:  # a tag or author met on an earlier page
                out.append(known[1])
            else:
                self._encode_other(value, out)

    def _encode_other(self, value, out: list[str]) -> None:
        if isinstance(value, str):
            out.append("s" + value)
        elif value is None or isinstance(value, (bool, int, float)):
            out.append(repr(value))
        elif isinstance(value, bytes):
            out.append("b" + value.hex())
        elif isinstance(value, (Briefing, Topic)):
            out.append(self.tokens[value.path])
        elif isinstance(value, dict):
            self._encode(dict(value), out)
        elif isinstance(value, (list, tuple, frozenset, set)):
            self._encode(sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value), out)
        elif isinstance(value, (datetime, date)):
            out.append("d" + value.isoformat() + str(getattr(value, "tzinfo", "")))
        elif dataclasses.is_dataclass(value):
            known = self.objects.get(id(value))
            if known is None or known[0] is not value:
                parts = ["c" + type(value).__name__]
                for f in dataclasses.fields(value):
                    self._encode(getattr(value, f.name), parts)
                known = self.objects[id(value)] = (value, "\x1e".join(parts))  # holding the object keeps its id unique
            out.append(known[1])
        else:
            out.append("r" + repr(value))  # an unknown object: if its repr varies, the page is merely rendered again
