"""The one serialiser of metadata values: every title, number, reason or name that reaches a
generated page goes through one of these functions, which types it as text for its context.

Metadata is text, never markup. A value such as ``<img src=x onerror=…>``, ``[a](javascript:…)``,
``{: onclick=… }``, ``*b*`` or ``123`` must appear on the page exactly as written:

- ``html_text``: HTML text and (double-quoted) attribute values;
- ``tooltip_attr``: an attribute the theme shows as HTML (``title`` under ``content.tooltips``,
  ``abbr`` definitions: Material puts the attribute's value into ``innerHTML``), escaped twice;
- ``md_text``: Markdown inline text, also inside link text, table cells, headings, list items and
  admonitions: every ASCII punctuation character becomes a numeric character reference, so no
  Markdown, raw-HTML, attribute-list (``{: … }``), emoji (``:x:``), abbreviation or table syntax
  can start from it, and line breaks become spaces (a value never ends a block);
- ``md_link``: a Markdown link with literal text to one of our own paths;
- ``front_matter``: a YAML front matter block written by a real dumper, every value a
  double-quoted string (``[``, ``: ``, ``#``, ``&a``, ``*b``, ``!tag``, newlines, ``123``,
  ``true``, ``2023-01-01`` and ``null`` all stay text);
- ``text``: any value a YAML reader produced (numbers, dates, booleans) as the text to show.

The page title is HTML in MkDocs (``page.title`` from a rendered heading keeps entities, and the
theme prints ``page.meta.title`` unescaped), so ``page_title_html`` is the one conversion of a
title text into what the theme prints. Floor 1: imports nothing of the project.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any, Mapping
from urllib.parse import quote

import yaml

_BREAKS_RE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
"""Line breaks and other control characters: a one-line value shows them as one space."""

_MD_SPECIAL_RE = re.compile(r"[!-/:-@\[-`{-~]")
"""Every ASCII punctuation character (``!`` to ``/``, ``:`` to ``@``, ``[`` to `````, ``{`` to ``~``)."""


def text(value: Any) -> str:
    """A metadata value as the text an editor wrote (``None`` → empty; YAML booleans and dates as
    YAML writes them), so that nothing downstream sees a number, a date or a boolean."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def one_line(value: Any) -> str:
    """The value's text with line breaks and control characters turned into single spaces."""
    return _BREAKS_RE.sub(" ", text(value))


def html_text(value: Any) -> str:
    """HTML text or a double-quoted attribute value (``& < > " '`` escaped), on one line."""
    return html.escape(one_line(value), quote=True)


def tooltip_attr(value: Any) -> str:
    """An attribute value the theme renders as HTML (tooltips): escaped for the attribute, and its
    decoded value escaped again, so that the tooltip shows the text literally."""
    return html.escape(html_text(value), quote=True)


def md_text(value: Any) -> str:
    """Markdown inline text that renders literally: ASCII punctuation as character references."""
    return _MD_SPECIAL_RE.sub(lambda m: f"&#{ord(m[0])};", one_line(value))


def md_href(path: str) -> str:
    """A relative path of our own as a Markdown link destination (percent-encoded: no space,
    bracket or parenthesis can end it). MkDocs decodes it when resolving the link."""
    return quote(path, safe="/.-_~#")


def md_link(label: Any, path: str) -> str:
    """``[label](path)`` with the label as literal text."""
    return f"[{md_text(label)}]({md_href(path)})"


def page_title_html(value: Any) -> str:
    """A page title text as the theme prints it (``page.meta.title`` is HTML to MkDocs)."""
    return html_text(value)


class _QuotedDumper(yaml.SafeDumper):
    """Every scalar double-quoted, never folded: the reader gets back exactly the strings written."""


def front_matter(fields: Mapping[str, Any], *, settings: Mapping[str, Any] | None = None) -> str:
    """A ``---`` block with ``fields`` as double-quoted YAML strings (keys too), then a blank line.

    Written by PyYAML's emitter (the reader MkDocs uses), which escapes what YAML needs escaped
    (quotes, backslashes, line breaks, U+2028 …); values are ``text``; empty values are left out.
    ``settings``: the generator's own constants (``{"search": {"exclude": True}}``), dumped as
    YAML values (never metadata: a boolean there stays a boolean)."""
    data = {text(k): text(v) for k, v in fields.items() if text(v) != ""}
    body = yaml.dump(
        data, Dumper=_QuotedDumper, default_style='"', allow_unicode=True, sort_keys=False, width=1 << 30
    )
    if settings:
        body += yaml.safe_dump(dict(settings), allow_unicode=True, sort_keys=False, width=1 << 30)
    return f"---\n{body}---\n\n"
