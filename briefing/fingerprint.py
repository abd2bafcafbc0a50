"""Page data as bytes, and fingerprints: what a page is made of, with each source (briefing, topic, profile) standing in by its path.

A page's data is pickled with every briefing, topic and author's profile replaced by a reference to its source path. The bytes name
everything the page shows besides those sources; the sources' own digests (tokens) join them in its fingerprint.
Unpacking puts the current sources in place, so a page is rendered from exactly what was fingerprinted.
"""
from __future__ import annotations

import hashlib
import io
import pickle
from typing import Mapping

from .model import Briefing, Place, Profile, ProfilePlace, Topic

PROTOCOL = 4  # fixed, so a Python upgrade that changes the default cannot change every digest (it changes the code key anyway)


def digest(*parts: bytes) -> bytes:
    return hashlib.blake2b(b"".join(parts), digest_size=16).digest()


def _source(path: str):  # stands in for a source when packed; unpacking maps it to the current source
    raise LookupError(path)


class Packer(pickle.Pickler):
    """Packs values one after another (one pickler: most of a build's pages), sources (briefings, topics, profiles) by reference.

    Page data holds no sets (their order varies between processes, and so would the bytes): lists and tuples only.
    """

    def __init__(self):
        self.buffer = io.BytesIO()
        super().__init__(self.buffer, protocol=PROTOCOL)
        self.shown: list[str] = []
        # by exact type, as reducer_override did, but pickle's C code looks the table up: no Python call for other objects
        self.dispatch_table = {kind: self._reference for kind in (Place, Briefing, Topic, Profile, ProfilePlace)}

    def _reference(self, obj):
        self.shown.append(obj.path)
        return _source, (obj.path,)

    def pack(self, value) -> tuple[bytes, tuple[str, ...]]:
        """The value's bytes, and the sources it holds (their paths, each once, in order met)."""
        self.buffer.seek(0)
        self.buffer.truncate()
        self.clear_memo()
        self.shown = []
        self.dump(value)
        return self.buffer.getvalue(), tuple(dict.fromkeys(self.shown))


class _Unpacker(pickle.Unpickler):
    def __init__(self, data: bytes, sources: Mapping[str, object]):
        super().__init__(io.BytesIO(data))
        self.sources = sources

    def find_class(self, module, name):
        if module == __name__ and name == "_source":
            return self.sources.__getitem__
        return super().find_class(module, name)


def unpack(data: bytes, sources: Mapping[str, object]):
    """A packed value with each reference replaced by the current source at that path."""
    return _Unpacker(data, sources).load()


def of(value) -> bytes:
    """The digest of a value by content, all of it (a briefing with its text)."""
    return digest(pickle.dumps(value, protocol=PROTOCOL))


def page(packed_digest: bytes, shown: tuple[str, ...], tokens: Mapping[str, bytes], template: bytes, config: bytes) -> bytes:
    """A page's fingerprint: its own data, the sources it shows, its templates, and the config every filter reads."""
    return digest(packed_digest, template, config, *(tokens[path] for path in shown))
