"""The one text normalisation shared by the index, the browser worker and the tests.

A page matches a query when its normalised searchable text contains every normalised term.

- whitespace (the explicit set ``WHITESPACE``, U+3000 included) collapses to one ASCII space;
- ASCII letters A–Z are lower-cased (so ``gb`` finds ``GB``); nothing else is folded: no NFKC,
  full-width ``Ｇ`` stays distinct from ``G``, and brackets stay distinct (``[2023]`` does not find
  ``〔2023〕``, nor does ``（2023）``): people copy 发文字号 from documents and expect them back exactly;
- terms are the whitespace-separated parts of the query, so no term ever contains a space and a
  match never spans two blocks (paragraphs, table cells), which the extraction separates by a space.

The worker (JavaScript) implements the same three rules; ``WHITESPACE`` is written into the index
so that both sides use the same set.
"""

from __future__ import annotations

import re

WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
"""Characters treated as whitespace, as a regular-expression character-class body (Python and JS)."""

_SPACE_RE = re.compile(f"[{WHITESPACE}]+")
_UPPER_RE = re.compile("[A-Z]+")


def normalise(text: str) -> str:
    """Collapse whitespace runs to one space, lower-case ASCII letters, strip the ends."""
    return _UPPER_RE.sub(lambda m: m[0].lower(), _SPACE_RE.sub(" ", text)).strip()


def split_terms(query: str) -> list[str]:
    """The distinct normalised terms of a query, in the order typed."""
    terms: list[str] = []
    for term in normalise(query).split(" "):
        if term and term not in terms:
            terms.append(term)
    return terms


def matches(text: str, terms: list[str]) -> bool:
    """The reference semantics: normalised ``text`` contains every term (``terms`` from ``split_terms``)."""
    return bool(terms) and all(t in text for t in terms)
