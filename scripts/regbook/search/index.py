"""A sharded character n-gram index that answers exact-substring queries with little transfer.

What is written (all under one folder of the site, fetched lazily by the worker):

``index.json``
    a few hundred bytes: format version, number of documents, shard counts, the whitespace set.
``m<k>.bin``
    gzip of a JSON list ``[url, title, 发文字号, 时效性]`` for documents ``k*META_SHARD_DOCS`` onwards;
    the worker fetches only the shards its results need.
``g<h>.bin``
    gzip of the postings of every gram whose FNV-1a hash (of its UTF-8 bytes) modulo the shard count
    is ``h``. Grams never contain a space (query terms never do):

    - 1 and 2 characters: the documents that contain the gram (answers 1- and 2-character terms exactly);
    - 3 characters: the documents and the positions in each (a term of 3 or more characters is
      verified exactly by trigrams at offsets 0, 3, 6, … and ``len - 3`` lining up).

Binary layout of a shard (before gzip), all integers unsigned LEB128 varints::

    entry*   entry   = len(gram utf-8) gram-utf-8 len(payload) payload
    payload (1-2 chars) = ndocs  docdelta*
    payload (3 chars)   = ndocs (docdelta npos posdelta*)*

Document and position lists are delta-coded (first value absolute). Positions count code points
of the normalised text, the same in Python and in the worker (which iterates by code point).
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from regbook.search.text import WHITESPACE

FORMAT_VERSION = 1
META_SHARD_DOCS = 128
"""Documents per metadata shard (about 10 KB of JSON, 3–4 KB gzipped)."""
TARGET_SHARD_BYTES = 12_000
"""Raw postings bytes aimed at per gram shard; the shard count follows from the total."""


@dataclass(frozen=True)
class SearchDoc:
    """One searchable page. ``text`` is already normalised (``regbook.search.text.normalise``)."""

    url: str
    title: str
    number: str
    status: str
    text: str


@dataclass(frozen=True)
class IndexStats:
    docs: int
    grams: int
    gram_shards: int
    meta_shards: int
    files: int
    bytes_on_disk: int


def fnv1a(data: bytes) -> int:
    """32-bit FNV-1a; the worker computes the same over the gram's UTF-8 bytes."""
    h = 0x811C9DC5
    for b in data:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


_SMALL = [bytes([i]) for i in range(128)]


def _varint(buf: bytearray, n: int) -> None:
    if n < 128:
        buf += _SMALL[n]
        return
    while n >= 128:
        buf.append((n & 0x7F) | 0x80)
        n >>= 7
    buf.append(n)


class _Postings:
    """Accumulates every gram's payload, document by document (documents in increasing id order)."""

    def __init__(self) -> None:
        self.payload: dict[str, bytearray] = {}
        self.ndocs: dict[str, int] = {}
        self.last: dict[str, int] = {}

    def _start(self, gram: str, doc: int) -> bytearray:
        buf = self.payload.get(gram)
        if buf is None:
            buf = self.payload[gram] = bytearray()
            self.ndocs[gram] = 0
            _varint(buf, doc)
        else:
            _varint(buf, doc - self.last[gram])
        self.last[gram] = doc
        self.ndocs[gram] += 1
        return buf

    def add_doc(self, doc: int, text: str) -> None:
        unigrams: set[str] = set()
        bigrams: set[str] = set()
        trigrams: dict[str, list[int]] = {}
        offset = 0
        for segment in text.split(" "):
            n = len(segment)
            unigrams.update(segment)
            for i in range(n - 1):
                bigrams.add(segment[i : i + 2])
            for i in range(n - 2):
                g = segment[i : i + 3]
                positions = trigrams.get(g)
                if positions is None:
                    trigrams[g] = [offset + i]
                else:
                    positions.append(offset + i)
            offset += n + 1
        for g in unigrams:
            self._start(g, doc)
        for g in bigrams:
            self._start(g, doc)
        for g, positions in trigrams.items():
            buf = self._start(g, doc)
            _varint(buf, len(positions))
            prev = 0
            for p in positions:
                _varint(buf, p - prev)
                prev = p

    def entries(self) -> Iterable[tuple[str, bytes]]:
        for gram, buf in self.payload.items():
            head = bytearray()
            _varint(head, self.ndocs[gram])
            yield gram, bytes(head + buf)


def _entry(gram: str, payload: bytes) -> bytes:
    raw = gram.encode("utf-8")
    out = bytearray()
    _varint(out, len(raw))
    out += raw
    _varint(out, len(payload))
    out += payload
    return bytes(out)


def _write(path: Path, data: bytes) -> int:
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    path.write_bytes(packed)
    return len(packed)


def build_index(docs: Sequence[SearchDoc], out_dir: Path, *, target_shard_bytes: int = TARGET_SHARD_BYTES) -> IndexStats:
    """Write the index of ``docs`` (document id = position in the sequence) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.bin"):
        old.unlink()
    postings = _Postings()
    for i, doc in enumerate(docs):
        postings.add_doc(i, doc.text)
    entries = [_entry(g, p) for g, p in postings.entries()]
    grams = [g for g in postings.payload]
    del postings
    total = sum(len(e) for e in entries)
    gram_shards = max(1, math.ceil(total / target_shard_bytes))
    shards: list[bytearray] = [bytearray() for _ in range(gram_shards)]
    for gram, entry in zip(grams, entries):
        shards[fnv1a(gram.encode("utf-8")) % gram_shards] += entry
    size = 0
    for h, data in enumerate(shards):
        size += _write(out_dir / f"g{h}.bin", bytes(data))
    meta_shards = max(1, math.ceil(len(docs) / META_SHARD_DOCS))
    for k in range(meta_shards):
        rows = [[d.url, d.title, d.number, d.status] for d in docs[k * META_SHARD_DOCS : (k + 1) * META_SHARD_DOCS]]
        size += _write(out_dir / f"m{k}.bin", json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    head = {
        "version": FORMAT_VERSION,
        "docs": len(docs),
        "gramShards": gram_shards,
        "metaShards": meta_shards,
        "metaShardDocs": META_SHARD_DOCS,
        "whitespace": WHITESPACE,
    }
    raw = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    (out_dir / "index.json").write_bytes(raw)
    size += len(raw)
    return IndexStats(
        docs=len(docs),
        grams=len(grams),
        gram_shards=gram_shards,
        meta_shards=meta_shards,
        files=gram_shards + meta_shards + 1,
        bytes_on_disk=size,
    )
