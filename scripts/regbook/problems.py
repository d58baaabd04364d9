"""Problems: every failure the domain finds, with a path and a line.

The domain never raises past its boundary for bad content; it returns ``Problem``
objects, and the adapters (CLI, MkDocs plugin) decide how to show them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass
from enum import Enum
from html import escape
from typing import Iterable


class Severity(str, Enum):
    """How bad a problem is; the values are what editors read."""

    ERROR = "错误"
    """Stops ``regbook check`` and the build."""
    WARNING = "警告"
    """Reported; fails ``regbook check --strict`` only."""
    NOTICE = "提示"
    """Reported for information (e.g. a 有效期 ending soon); never fails anything."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located by file and line (1-based)."""

    path: str
    line: int
    severity: Severity
    message: str

    @classmethod
    def error(cls, path: str, line: int, message: str) -> "Problem":
        return cls(path, max(line, 1), Severity.ERROR, message)

    @classmethod
    def warning(cls, path: str, line: int, message: str) -> "Problem":
        return cls(path, max(line, 1), Severity.WARNING, message)

    @classmethod
    def notice(cls, path: str, line: int, message: str) -> "Problem":
        return cls(path, max(line, 1), Severity.NOTICE, message)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING

    def as_text(self) -> str:
        return f"{self.path}:{self.line}: {self.severity.value}: {self.message}"

    def as_github(self) -> str:
        level = _LEVELS[self.severity]
        message = _escape(self.message)
        path = _escape(self.path).replace(":", "%3A").replace(",", "%2C")
        return f"::{level} file={path},line={self.line},title={self.severity.value}::{message}"


_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"}
"""Severities as GitHub annotations and tools name them."""

_CODE_QUALITY_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTICE: "info"}
"""Severities in GitLab's code-quality scale (info, minor, major, critical, blocker)."""


def _escape(text: str) -> str:
    """GitHub workflow-command escaping (data part)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


class ContentError(Exception):
    """Raised by adapters (never by the domain) when problems stop a build."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.as_text() for p in self.problems))


def summary(problems: Iterable[Problem]) -> str:
    """``检查完成：N 个错误，N 个警告，N 个提示。``"""
    items = list(problems)
    counts = {s: sum(p.severity is s for p in items) for s in Severity}
    return (
        f"检查完成：{counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个警告，"
        f"{counts[Severity.NOTICE]} 个提示。"
    )


FORMATS = ("text", "github", "codequality", "json")
"""What ``render`` (and ``regbook check --format``) can write."""


def code_quality(problems: Iterable[Problem]) -> list[dict[str, object]]:
    """The problems as a GitLab code-quality report (a JSON array; GitLab shows it on merge requests).

    The fingerprint identifies a problem across commits without its line (so a problem that only
    moved is not new): file, severity and message, plus a counter for repeats within the file."""
    seen: Counter[tuple[str, Severity, str]] = Counter()
    report: list[dict[str, object]] = []
    for p in sorted(problems):
        key = (p.path, p.severity, p.message)
        seen[key] += 1
        identity = "\0".join((p.path, p.severity.name, p.message, str(seen[key])))
        report.append(
            {
                "description": f"{p.severity.value}: {p.message}",
                "check_name": f"regbook-{_LEVELS[p.severity]}",
                "fingerprint": hashlib.sha256(identity.encode("utf-8")).hexdigest(),
                "severity": _CODE_QUALITY_SEVERITIES[p.severity],
                "location": {"path": p.path, "lines": {"begin": p.line}},
            }
        )
    return report


def render(problems: Iterable[Problem], fmt: str = "text") -> str:
    """Render problems as ``text`` (path:line: 错误: …), ``github`` annotations, a GitLab
    ``codequality`` report (always a JSON array, ``[]`` when there is nothing) or ``json``."""
    items = sorted(problems)
    if fmt == "codequality":
        return json.dumps(code_quality(items), ensure_ascii=False, indent=2)
    if fmt == "json":
        return json.dumps(
            [{**asdict(p), "severity": p.severity.value, "level": _LEVELS[p.severity]} for p in items],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "github":
        return "\n".join(p.as_github() for p in items)
    return "\n".join(p.as_text() for p in items)


def render_html(problems: Iterable[Problem]) -> str:
    """The problems as an HTML list, one item per problem: ``path:line`` (in code), severity and
    message, all escaped (messages quote what editors typed, ``<`` and ``\\`` included)."""
    items = "".join(
        f"<li><strong><code>{escape(p.path)}:{p.line}</code> {p.severity.value}</strong><br>{escape(p.message)}</li>\n"
        for p in sorted(problems)
    )
    return f'<ol class="regbook-problems">\n{items}</ol>\n'
