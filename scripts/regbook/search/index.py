"""A sharded character n-gram index that answers exact-substring queries with little transfer.

What is written (all under one folder of the site, fetched lazily by the worker):

``index.json``
    a few hundred bytes: format version, number of documents, shard counts, the whitespace set.
``m<k>.bin``
    gzip of a JSON list ``[url, title, 发文字号, 时效性]`` for documents ``k*META_SHARD_DOCS`` onwards;
    the worker fetches them all at the first query, in parallel with the gram shards (a result list
    needs the metadata of every hit, and common terms hit most pages).
``g<h>.bin``
    gzip of the postings of every gram whose ``gram_hash`` modulo the shard count is ``h``.
    Grams never contain a space (query terms never do):

    - 1 and 2 characters: the documents that contain the gram (answers 1- and 2-character terms exactly);
    - 3 characters: the documents and the positions in each (a term of 3 or more characters is
      verified exactly by trigrams at offsets 0, 3, 6, … and ``len - 3`` lining up).

A shard (before gzip) is one stream of unsigned LEB128 varints, read front to back::

    gram*    gram = k cp1..cpk ndocs doc*      (k = 1, 2 or 3 code points)
    doc  (k = 1, 2) = docdelta
    doc  (k = 3)    = docdelta npos posdelta*

Document and position lists are delta-coded (the first value absolute). Positions count code
points of the normalised text, the same in Python and in the worker (which iterates by code point).
The build is vectorised with NumPy: the 2,603 pages of the imported bulk corpus (15 M characters)
take about 15 s on this 2-core machine, where a pure-Python loop took three minutes; the postings
are encoded ``CHUNK_OCCURRENCES`` at a time, so memory stays under 1 GB (4 GB when encoded at once).
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from regbook.search.text import WHITESPACE

FORMAT_VERSION = 1
META_SHARD_DOCS = 512
"""Documents per metadata shard (about 60 KB of JSON, 13 KB gzipped). Few shards: the worker fetches
all of them, in parallel with the first query's grams (see the worker)."""
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


def gram_hash(code_points: Sequence[int]) -> int:
    """32-bit FNV-1a over the gram's code points (not bytes); the worker computes the same."""
    h = 0x811C9DC5
    for c in code_points:
        h = ((h ^ c) * 0x01000193) & 0xFFFFFFFF
    return h


def _hash_columns(columns: list[np.ndarray]) -> np.ndarray:
    """``gram_hash`` of many grams at once, one code-point column per gram position."""
    h = np.full(len(columns[0]), 0x811C9DC5, dtype=np.uint64)
    for col in columns:
        h = ((h ^ col.astype(np.uint64)) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
    return h


def _varint_encode(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LEB128 bytes of every value, and the byte offset where each value starts."""
    v = values.astype(np.uint64)
    if not len(v):
        return np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=np.int64)
    nbytes = np.ones(len(v), dtype=np.int64)
    for k in range(1, 10):
        more = v >= np.uint64(1 << (7 * k))
        if not more.any():
            break
        nbytes += more
    starts = np.cumsum(nbytes) - nbytes
    out = np.zeros(int(nbytes.sum()), dtype=np.uint8)
    for k in range(int(nbytes.max())):
        sel = nbytes > k
        byte = (v[sel] >> np.uint64(7 * k)) & np.uint64(0x7F)
        cont = (nbytes[sel] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[sel] + k] = (byte | cont).astype(np.uint8)
    return out, starts


@dataclass
class _Stream:
    """The varint-coded postings of one gram length, grams in key order, with each gram's byte range."""

    data: np.ndarray
    gram_start: np.ndarray
    gram_end: np.ndarray
    shard_key: np.ndarray


_SPACE = 0x20
_SENTINEL = 0
CHUNK_OCCURRENCES = 1 << 21
"""Gram occurrences encoded at a time (about 2 M): the encoder's arrays stay tens of megabytes
whatever the corpus' size (the whole stream at once took 4 GB on the 15 M characters of the bulk corpus)."""


def _windows(cps: np.ndarray, k: int) -> np.ndarray:
    """Indices where a k-gram without space or document boundary starts."""
    n = len(cps) - k + 1
    ok = np.ones(max(n, 0), dtype=bool)
    for j in range(k):
        col = cps[j : j + n]
        ok &= col != _SPACE
        ok &= col != _SENTINEL
    return np.nonzero(ok)[0]


@dataclass
class _Occurrences:
    """The start indices of every k-gram, sorted by (gram, index): packed as ``key << pos_bits | index``
    in one array when that fits in 64 bits, else as two arrays."""

    packed: np.ndarray | None
    pos_bits: int
    idx: np.ndarray | None = None
    key: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.packed) if self.packed is not None else len(self.idx)  # type: ignore[arg-type]

    def gram_end(self, i: int) -> int:
        """The end of the run of occurrences of the gram at ``i``."""
        if self.packed is not None:
            after = ((self.packed[i] >> np.uint64(self.pos_bits)) + np.uint64(1)) << np.uint64(self.pos_bits)
            return int(np.searchsorted(self.packed, after, side="left"))
        assert self.key is not None
        return int(np.searchsorted(self.key, self.key[i], side="right"))

    def slice(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices and gram keys of occurrences ``a`` to ``b``."""
        if self.packed is not None:
            part = self.packed[a:b]
            return (part & np.uint64((1 << self.pos_bits) - 1)).astype(np.int64), part >> np.uint64(self.pos_bits)
        assert self.idx is not None and self.key is not None
        return self.idx[a:b], self.key[a:b]


def _sorted_occurrences(cps: np.ndarray, dense: np.ndarray, bits: int, k: int) -> _Occurrences:
    """Start indices of the k-grams sorted by (gram, index)."""
    idx = _windows(cps, k)
    key = np.zeros(len(idx), dtype=np.uint64)
    for j in range(k):
        key <<= np.uint64(bits)
        key |= dense[idx + j]
    pos_bits = max(1, int(len(cps)).bit_length())
    if k * bits + pos_bits <= 64:  # one unstable sort of (gram, index) packed in 64 bits: fast
        key <<= np.uint64(pos_bits)
        key |= idx.astype(np.uint64)
        del idx
        key.sort()
        return _Occurrences(key, pos_bits)
    order = np.argsort(key, kind="stable")
    return _Occurrences(None, pos_bits, idx[order], key[order])


def _chunks(occ: _Occurrences, size: int) -> list[tuple[int, int]]:
    """Ranges of about ``size`` occurrences that never split a gram."""
    out, a, n = [], 0, len(occ)
    while a < n:
        b = n if a + size >= n else occ.gram_end(a + size - 1)
        out.append((a, b))
        a = b
    return out


def _gram_stream(cps: np.ndarray, doc_starts: np.ndarray, idx: np.ndarray, key: np.ndarray, k: int, shards: int) -> _Stream:
    """The varint-coded postings of the grams whose sorted occurrences are ``idx``/``key`` (whole grams)."""
    positional = k == 3
    docs = np.searchsorted(doc_starts, idx, side="right") - 1
    pos = idx - doc_starts[docs]
    cols = [cps[idx + j] for j in range(k)]
    m = len(key)
    gstart = np.ones(m, dtype=bool)
    gstart[1:] = key[1:] != key[:-1]
    dstart = gstart.copy()
    dstart[1:] |= docs[1:] != docs[:-1]
    if not positional:
        keep = dstart
        key, docs, gstart, cols = key[keep], docs[keep], gstart[keep], [c[keep] for c in cols]
        dstart = np.ones(len(key), dtype=bool)
        m = len(key)
    prev_doc = np.zeros(m, dtype=np.int64)
    prev_doc[1:] = docs[:-1]
    docdelta = np.where(gstart, docs, docs - prev_doc)
    g_idx = np.nonzero(gstart)[0]
    ndocs = np.add.reduceat(dstart.astype(np.int64), g_idx) if m else np.zeros(0, dtype=np.int64)
    header = 2 + k  # k, code points, ndocs
    if positional:
        count = 1 + 2 * dstart + header * gstart
    else:
        count = 1 + header * gstart
    total = int(count.sum())
    stream = np.zeros(total, dtype=np.int64)
    off = np.cumsum(count) - count
    g_off = off[g_idx]
    stream[g_off] = k
    for j, c in enumerate(cols):
        stream[g_off + 1 + j] = c[g_idx]
    stream[g_off + 1 + k] = ndocs
    if positional:
        d_idx = np.nonzero(dstart)[0]
        npos = np.diff(np.append(d_idx, m))
        prev_pos = np.zeros(m, dtype=np.int64)
        prev_pos[1:] = pos[:-1]
        posdelta = np.where(dstart, pos, pos - prev_pos)
        last = off + count - 1
        stream[last] = posdelta
        stream[last[d_idx] - 2] = docdelta[d_idx]
        stream[last[d_idx] - 1] = npos
    else:
        stream[off + count - 1] = docdelta
    data, starts = _varint_encode(stream)
    gram_start = starts[g_off]
    gram_end = np.append(gram_start[1:], len(data))
    shard_key = _hash_columns([c[g_idx] for c in cols]) % np.uint64(shards)
    return _Stream(data, gram_start, gram_end, shard_key)


def _deal(stream: _Stream, pieces: list[list[bytes]]) -> int:
    """Append each gram's bytes to its shard's pieces, grams in key order within a shard; the gram count."""
    lengths = stream.gram_end - stream.gram_start
    order = np.argsort(stream.shard_key, kind="stable")
    sizes = lengths[order]
    ends = np.cumsum(sizes)
    gather = np.repeat(stream.gram_start[order] - (ends - sizes), sizes) + np.arange(int(ends[-1]) if len(ends) else 0)
    dealt = stream.data[gather].tobytes()
    per_shard = np.bincount(stream.shard_key.astype(np.int64), weights=lengths, minlength=len(pieces)).astype(np.int64)
    bounds = np.cumsum(per_shard) - per_shard
    for h in np.nonzero(per_shard)[0].tolist():
        pieces[h].append(dealt[bounds[h] : bounds[h] + per_shard[h]])
    return len(lengths)


def _write(path: Path, data: bytes) -> int:
    packed = gzip.compress(data, compresslevel=5, mtime=0)
    path.write_bytes(packed)
    return len(packed)


def _code_points(docs: Sequence[SearchDoc]) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one code-point array (0 after each document), and where each document starts."""
    parts = [np.frombuffer((d.text + "\0").encode("utf-32-le"), dtype="<u4") for d in docs]
    cps = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)
    lengths = np.array([len(p) for p in parts], dtype=np.int64)
    return cps, np.cumsum(lengths) - lengths


def build_index(docs: Sequence[SearchDoc], out_dir: Path, *, target_shard_bytes: int = TARGET_SHARD_BYTES) -> IndexStats:
    """Write the index of ``docs`` (document id = position in the sequence) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.bin"):
        old.unlink()
    cps, doc_starts = _code_points(docs)
    # The shard count follows from the size: about 2 bytes per character were measured on law texts.
    gram_shards = max(1, math.ceil(2.2 * len(cps) / target_shard_bytes))
    present = np.zeros(0x110000, dtype=bool)
    present[cps] = True
    ranks = (np.cumsum(present) - 1).astype(np.uint32)
    dense = ranks[cps]  # code points renumbered densely (a few thousand distinct): short sort keys
    bits = max(1, int(present.sum()).bit_length())
    pieces: list[list[bytes]] = [[] for _ in range(gram_shards)]
    grams = 0
    for k in (1, 2, 3):  # each shard: the 1-grams, then the 2-grams, then the 3-grams, each in key order
        occ = _sorted_occurrences(cps, dense, bits, k)
        for a, b in _chunks(occ, CHUNK_OCCURRENCES):
            idx, key = occ.slice(a, b)
            grams += _deal(_gram_stream(cps, doc_starts, idx, key, k, gram_shards), pieces)
        del occ
    del cps, dense
    size = 0
    for h, chunk in enumerate(pieces):
        size += _write(out_dir / f"g{h}.bin", b"".join(chunk))
    meta_shards = max(1, math.ceil(len(docs) / META_SHARD_DOCS))
    for k in range(meta_shards):
        # Always strings: the worker escapes and highlights them as text.
        rows = [[str(d.url), str(d.title), str(d.number), str(d.status)] for d in docs[k * META_SHARD_DOCS : (k + 1) * META_SHARD_DOCS]]
        size += _write(out_dir / f"m{k}.bin", json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    head = {
        "version": FORMAT_VERSION,
        "docs": len(docs),
        "gramShards": gram_shards,
        "metaShards": meta_shards,
        "metaShardDocs": META_SHARD_DOCS,
        "whitespace": WHITESPACE,
    }
    raw_head = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    (out_dir / "index.json").write_bytes(raw_head)
    size += len(raw_head)
    return IndexStats(
        docs=len(docs),
        grams=grams,
        gram_shards=gram_shards,
        meta_shards=meta_shards,
        files=gram_shards + meta_shards + 1,
        bytes_on_disk=size,
    )
