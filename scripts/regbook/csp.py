"""The Content-Security-Policy of every page: the theme's own inline scripts allowed by hash.

``overrides/main.html`` writes the policy (``<meta http-equiv="Content-Security-Policy">``, the
first element of ``<head>``) with ``script-src 'self'``; ``with_script_hashes`` adds the SHA-256 of
every inline script the *theme* put into the rendered page (the theme's ``__md_scope`` script
differs from page to page: it holds the page's relative base URL). A script inside the page's
own content (Markdown turned into HTML) is never hashed, so if one ever got past the checker's
HTML allowlist it would still not run. Nothing else may run either: no inline event handler
(``onerror=…``), no ``javascript:`` link, no script from elsewhere.

Pure string functions; the MkDocs plugin calls them on every rendered page (``on_post_page``).
"""

from __future__ import annotations

import base64
import hashlib
import re

META_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC_RE = re.compile(r"\ssrc\s*=", re.I)
_TYPE_RE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.I)
_SCRIPT_SRC_RE = re.compile(r"script-src 'self'[^;]*")
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
"""Script types a browser runs (``application/json`` data blocks are not scripts: no hash)."""


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script a browser would run, in page order."""
    found = []
    for m in SCRIPT_RE.finditer(html):
        attrs = m[1]
        kind = _TYPE_RE.search(attrs)
        if _SRC_RE.search(attrs) or (kind and kind[1].lower() not in _EXECUTABLE_TYPES):
            continue
        found.append(m[2])
    return found


def sha256_source(script: str) -> str:
    """A CSP hash source (``'sha256-…'``) for one script's exact text."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def with_script_hashes(html: str, *, content: str = "", serving: bool = False) -> str:
    """The page with the hashes of the theme's inline scripts in the policy's ``script-src``;
    ``content``: the page's rendered Markdown, whose scripts are left out.

    ``serving`` (``mkdocs serve``): the live-reload script is injected into every response after
    the build, so no hash can name it; the preview allows inline scripts instead (the rest of the
    policy still applies). A page without the policy meta is returned unchanged."""
    m = META_RE.search(html)
    if m is None:
        return html
    if serving:
        sources = "'self' 'unsafe-inline'"
    else:
        theme = html.replace(content, "") if content.strip() else html
        hashes = dict.fromkeys(sha256_source(s) for s in inline_scripts(theme))
        sources = " ".join(["'self'", *hashes])
    policy = _SCRIPT_SRC_RE.sub(lambda _: f"script-src {sources}", m[1], count=1)
    return html[: m.start(1)] + policy + html[m.end(1) :]


def policy_of(html: str) -> dict[str, list[str]]:
    """The page's policy as directive → sources (empty when the page has none)."""
    m = META_RE.search(html)
    if m is None:
        return {}
    out: dict[str, list[str]] = {}
    for part in m[1].split(";"):
        if words := part.split():
            out[words[0]] = words[1:]
    return out
