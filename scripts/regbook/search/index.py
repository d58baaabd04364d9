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
The build is vectorised with NumPy: the 2,569 searchable pages of the imported bulk corpus (15 M
characters) take about 6–7 s of CPU on this 2-core machine (2026-12-02; 11 s before grams were cut
from shifted slices, 1- and 2-grams sorted as (gram, document) pairs, the document of an
occurrence looked up instead of searched, and varints written a byte column at a time), where a
pure-Python loop took three minutes. A third of that is gzip (level 5, fixed: the bytes must not
change) and writing the 2,759 files. The postings are encoded ``CHUNK_OCCURRENCES`` at a time, so
memory stays under 1 GB (4 GB when encoded at once).
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
    """LEB128 bytes of every (non-negative) value, and the byte offset where each value starts.

    One pass per output byte over all values: the bytes go into a values × ``width`` matrix whose
    row ``i`` holds value ``i``'s bytes, and a mask keeps the first ``nbytes[i]`` of each row (row
    by row, so in stream order)."""
    if not len(values):
        return np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=np.int64)
    top = int(values.max())
    v = values.astype(np.uint32 if top < 1 << 32 else np.uint64)
    width = max(1, (top.bit_length() + 6) // 7)
    nbytes = np.ones(len(v), dtype=np.uint8)
    for k in range(1, width):
        nbytes += np.greater_equal(v, 1 << (7 * k))
    rows = np.empty((len(v), width), dtype=np.uint8)
    for k in range(width):
        byte = np.right_shift(v, 7 * k).astype(np.uint8) & np.uint8(0x7F)
        rows[:, k] = byte | ((nbytes > k + 1).view(np.uint8) << np.uint8(7))
    out = rows[np.arange(width, dtype=np.uint8) < nbytes[:, None]]
    ends = np.cumsum(nbytes, dtype=np.int64)
    return out, ends - nbytes


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
PACK_BITS = 64
"""(gram, low) pairs are sorted packed in one ``uint64`` when they fit in this many bits, else as
two arrays (``np.lexsort``, slower); the tests lower it to take the second path."""


def _windows(cps: np.ndarray, k: int) -> np.ndarray:
    """Where a k-gram starts that holds no space and no document boundary (a mask over starts)."""
    n = len(cps) - k + 1
    ok = np.ones(max(n, 0), dtype=bool)
    for j in range(k):
        col = cps[j : j + n]
        ok &= col != _SPACE
        ok &= col != _SENTINEL
    return ok


@dataclass
class _Occurrences:
    """The k-grams' occurrences sorted by (gram key, low), packed as ``key << low_bits | low`` in one
    array when that fits in ``PACK_BITS``, else as two arrays. ``low`` is the start index of the
    occurrence for trigrams (their positions are written), the document for 1- and 2-grams (each
    (gram, document) pair once: their documents are all that is written)."""

    packed: np.ndarray | None
    low_bits: int
    low: np.ndarray | None = None
    key: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.packed) if self.packed is not None else len(self.low)  # type: ignore[arg-type]

    def gram_end(self, i: int) -> int:
        """The end of the run of occurrences of the gram at ``i``."""
        if self.packed is not None:
            after = ((self.packed[i] >> np.uint64(self.low_bits)) + np.uint64(1)) << np.uint64(self.low_bits)
            return int(np.searchsorted(self.packed, after, side="left"))
        assert self.key is not None
        return int(np.searchsorted(self.key, self.key[i], side="right"))

    def slice(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Lows and gram keys of occurrences ``a`` to ``b``."""
        if self.packed is not None:
            part = self.packed[a:b]
            return (part & np.uint64((1 << self.low_bits) - 1)).astype(np.int64), part >> np.uint64(self.low_bits)
        assert self.low is not None and self.key is not None
        return self.low[a:b], self.key[a:b]


def _changes(*columns: np.ndarray) -> np.ndarray:
    """True where a row differs from the one before (and at row 0) in any of the columns."""
    n = len(columns[0])
    out = np.zeros(n, dtype=bool)
    out[:1] = True
    for col in columns:
        out[1:] |= col[1:] != col[:-1]
    return out


def _sorted_occurrences(cps: np.ndarray, dense: np.ndarray, bits: int, k: int, doc_of: np.ndarray) -> _Occurrences:
    """The k-grams' occurrences sorted by (gram, low) (see ``_Occurrences``)."""
    ok = _windows(cps, k)
    n = len(ok)
    key = dense[:n].astype(np.uint64)  # every start's gram, from shifted slices (no gather), then the kept ones
    for j in range(1, k):
        key <<= np.uint64(bits)
        key |= dense[j : j + n]
    key = key[ok]
    if k == 3:
        low, low_bits = np.nonzero(ok)[0], max(1, len(cps).bit_length())
    else:
        low, low_bits = doc_of[:n][ok], max(1, int(doc_of[-1]).bit_length() if len(doc_of) else 1)
    del ok
    if k * bits + low_bits <= PACK_BITS:  # one unstable sort of (gram, low) packed in 64 bits: fast
        key <<= np.uint64(low_bits)
        key |= low.astype(np.uint64)
        del low
        key.sort()
        return _Occurrences(key if k == 3 else key[_changes(key)], low_bits)
    order = np.lexsort((low, key))
    key, low = key[order], low[order].astype(np.int64)
    if k < 3:
        keep = _changes(key, low)
        key, low = key[keep], low[keep]
    return _Occurrences(None, low_bits, low, key)


def _chunks(occ: _Occurrences, size: int) -> list[tuple[int, int]]:
    """Ranges of about ``size`` occurrences that never split a gram."""
    out, a, n = [], 0, len(occ)
    while a < n:
        b = n if a + size >= n else occ.gram_end(a + size - 1)
        out.append((a, b))
        a = b
    return out


@dataclass(frozen=True)
class _Corpus:
    """The texts as arrays: code points, their dense ranks, and where each document is."""

    cps: np.ndarray
    """All texts' code points, 0 after each document."""
    doc_starts: np.ndarray
    doc_of: np.ndarray
    """The document of every index of ``cps``."""
    chars: np.ndarray
    """The distinct code points, ascending: ``chars[rank]`` is the code point of a dense rank."""
    dense: np.ndarray
    """``cps`` renumbered densely (a few thousand distinct): short sort keys."""
    bits: int
    """Bits of a dense rank."""


def _gram_stream(corpus: _Corpus, low: np.ndarray, key: np.ndarray, k: int, shards: int) -> _Stream:
    """The varint-coded postings of the grams whose sorted occurrences are ``low``/``key`` (whole grams)."""
    m = len(key)
    gstart = _changes(key)
    g_idx = np.nonzero(gstart)[0]
    value = np.uint32 if len(corpus.cps) < 1 << 32 else np.uint64  # every value is below len(cps) or a code point
    if k == 3:
        docs_all = corpus.doc_of[low]
        pos = low - corpus.doc_starts[docs_all]
        dstart = gstart.copy()
        dstart[1:] |= docs_all[1:] != docs_all[:-1]
        d_idx = np.nonzero(dstart)[0]
        docs = docs_all[d_idx].astype(np.int64)
        first_doc = gstart[d_idx]
        del docs_all
    else:
        docs, first_doc = low, gstart  # one row per (gram, document)
    docdelta = docs.copy()
    docdelta[1:] -= docs[:-1]
    docdelta[first_doc] = docs[first_doc]
    ndocs = np.diff(np.append(np.nonzero(first_doc)[0], len(docs)))
    header = 2 + k  # k, code points, ndocs
    # Values each row writes: a trigram occurrence its position (after its document's docdelta and
    # npos if it starts one); a 1- or 2-gram row its docdelta; the first row of a gram the header before.
    if k == 3:
        count = 1 + 2 * dstart.astype(np.int64) + header * gstart
    else:
        count = 1 + header * gstart.astype(np.int64)
    ends = np.cumsum(count)
    stream = np.empty(int(ends[-1]) if m else 0, dtype=value)
    g_off = ends[g_idx] - count[g_idx]
    stream[g_off] = k
    gram_keys = key[g_idx]
    mask = np.uint64((1 << corpus.bits) - 1)
    cols = [corpus.chars[(gram_keys >> np.uint64(corpus.bits * (k - 1 - j))) & mask] for j in range(k)]
    for j, c in enumerate(cols):
        stream[g_off + 1 + j] = c
    stream[g_off + 1 + k] = ndocs
    last = ends - 1
    if k == 3:
        posdelta = pos.copy()
        posdelta[1:] -= pos[:-1]
        posdelta[dstart] = pos[dstart]
        stream[last] = posdelta
        stream[last[d_idx] - 2] = docdelta
        stream[last[d_idx] - 1] = np.diff(np.append(d_idx, m))
    else:
        stream[last] = docdelta
    data, starts = _varint_encode(stream)
    gram_start = starts[g_off]
    gram_end = np.append(gram_start[1:], len(data))
    shard_key = _hash_columns(cols) % np.uint64(shards)
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


def _corpus(docs: Sequence[SearchDoc]) -> _Corpus:
    """The texts of ``docs`` as the arrays the index is computed from."""
    cps, doc_starts = _code_points(docs)
    lengths = np.diff(np.append(doc_starts, len(cps)))
    present = np.zeros(0x110000, dtype=bool)
    present[cps] = True
    ranks = (np.cumsum(present) - 1).astype(np.uint32)
    return _Corpus(
        cps=cps,
        doc_starts=doc_starts,
        doc_of=np.repeat(np.arange(len(docs), dtype=np.int32), lengths),
        chars=np.nonzero(present)[0].astype(np.uint32),
        dense=ranks[cps],
        bits=max(1, int(present.sum()).bit_length()),
    )


def build_index(docs: Sequence[SearchDoc], out_dir: Path, *, target_shard_bytes: int = TARGET_SHARD_BYTES) -> IndexStats:
    """Write the index of ``docs`` (document id = position in the sequence) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.bin"):
        old.unlink()
    corpus = _corpus(docs)
    # The shard count follows from the size: about 2 bytes per character were measured on law texts.
    gram_shards = max(1, math.ceil(2.2 * len(corpus.cps) / target_shard_bytes))
    pieces: list[list[bytes]] = [[] for _ in range(gram_shards)]
    grams = 0
    for k in (1, 2, 3):  # each shard: the 1-grams, then the 2-grams, then the 3-grams, each in key order
        occ = _sorted_occurrences(corpus.cps, corpus.dense, corpus.bits, k, corpus.doc_of)
        for a, b in _chunks(occ, CHUNK_OCCURRENCES):
            low, key = occ.slice(a, b)
            grams += _deal(_gram_stream(corpus, low, key, k, gram_shards), pieces)
        del occ
    del corpus
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
