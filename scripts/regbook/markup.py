"""What the site, the checker and the book agree on about the Markdown of a content file.

The site renders through MkDocs with ``mkdocs.yml``'s extensions; the checker (to see what the
site will publish) and the book (to lay documents out without MkDocs) render the same bodies with
Python-Markdown directly, so the extension list and the article pattern live here, once.
"""

from __future__ import annotations

import re

from pymdownx.slugs import slugify

EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
]
"""``mkdocs.yml``'s Markdown extensions, less pymdownx.emoji (the checker refuses emoji shortcodes)."""

SLUGIFY = slugify(case="lower")
"""Heading ids as the site makes them (``toc.slugify`` in ``mkdocs.yml``): readable Chinese ids."""

ARTICLE_RE = re.compile(r"^(第[一二三四五六七八九十百千零〇两]+条(?:之[一二三四五六七八九十]+)?)(?=[ \u3000])", re.M)
"""An article paragraph: 第X条 (Chinese numerals, 之一 suffixes) at a line start, then a space."""
