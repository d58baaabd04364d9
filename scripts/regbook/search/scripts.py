"""The search index as scripts, for the offline copy (file://), where browsers refuse ``fetch``.

A page opened from disk may still run ``<script src>`` from its own folder tree, so each index file
``search/regbook/<name>.bin`` (gzip) and ``index.json`` gets a twin ``<name>.js`` that hands its
content to the search (``overrides/assets/javascripts/workers/regbook-search.js``, which loads these
on demand, one ``<script>`` per shard, on the page's main thread)::

    (self.regbookSearchFiles = self.regbookSearchFiles || {})["g12"] = "H4sIAAAAAAAC/…";
    (self.regbookSearchFiles = self.regbookSearchFiles || {})["index"] = {"version": 1, …};

Shards stay gzip (base64 text: a third larger than the ``.bin``, which the offline zip compresses
back); the head is its JSON as a JavaScript object literal. The theme reads its own (stub) index on
file:// from ``search/search_index.js`` (``var __index = …``): ``theme_index_script``.

Pure functions over bytes: ``regbook.offline`` decides which files go where.
"""

from __future__ import annotations

import base64
import json

GLOBAL = "regbookSearchFiles"
"""The global object the shard scripts fill (the worker file reads and empties it)."""
HEAD = "index"


def _assign(name: str, value_js: str) -> bytes:
    return f"(self.{GLOBAL} = self.{GLOBAL} || {{}})[{json.dumps(name)}] = {value_js};\n".encode("ascii")


def shard_script(name: str, packed: bytes) -> bytes:
    """The ``.js`` twin of the gzip shard ``<name>.bin`` (``g12``, ``m0``)."""
    return _assign(name, json.dumps(base64.b64encode(packed).decode("ascii")))


def head_script(index_json: bytes) -> bytes:
    """``index.js`` from ``index.json`` (ASCII-escaped: safe in any script encoding)."""
    head = json.loads(index_json.decode("utf-8"))
    return _assign(HEAD, json.dumps(head, ensure_ascii=True, separators=(",", ":"), sort_keys=True))


def theme_index_script(search_index_json: bytes) -> bytes:
    """``search/search_index.js``, the file the theme loads instead of its JSON index on file://."""
    data = json.loads(search_index_json.decode("utf-8"))
    return f"var __index = {json.dumps(data, ensure_ascii=True, separators=(',', ':'))};\n".encode("ascii")


def script_name(name: str) -> str | None:
    """The ``.js`` twin of an index file's name (``g3.bin`` → ``g3.js``, ``index.json`` →
    ``index.js``), or ``None`` for any other name."""
    stem, dot, ext = name.rpartition(".")
    if (dot and stem and ext == "bin") or name == "index.json":
        return f"{stem}.js"
    return None
