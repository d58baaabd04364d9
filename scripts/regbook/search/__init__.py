"""Exact-substring search for the site: text normalisation, text extraction and a sharded n-gram index.

Pure Python, no MkDocs imports. The MkDocs adapter (``regbook.mkdocs_plugin.search``) hands pages in
and writes the files out; the browser side is ``overrides/assets/javascripts/workers/regbook-search.js``.
The design, the semantics and the measurements are in ``dev-docs/search.md``.
"""

from regbook.search.index import IndexStats, SearchDoc, build_index
from regbook.search.text import normalise, split_terms

__all__ = ["IndexStats", "SearchDoc", "build_index", "normalise", "split_terms"]
