"""Problems: every failure the domain finds, with a path and a line.

The domain never raises past its boundary for bad content; it returns ``Problem``
objects, and the adapters (CLI, MkDocs plugin) decide how to show them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Iterable


class Severity(str, Enum):
    """How bad a problem is; the values are what editors read."""

    ERROR = "错误"
    WARNING = "警告"


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

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_text(self) -> str:
        return f"{self.path}:{self.line}: {self.severity.value}: {self.message}"

    def as_github(self) -> str:
        level = "error" if self.is_error else "warning"
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} file={self.path},line={self.line}::{message}"


class ContentError(Exception):
    """Raised by adapters (never by the domain) when problems stop a build."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.as_text() for p in self.problems))


def render(problems: Iterable[Problem], fmt: str = "text") -> str:
    """Render problems as ``text`` (path:line: 错误: …), ``github`` annotations or ``json``."""
    items = sorted(problems)
    if fmt == "json":
        return json.dumps(
            [{**asdict(p), "severity": p.severity.value} for p in items],
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "github":
        return "\n".join(p.as_github() for p in items)
    return "\n".join(p.as_text() for p in items)
