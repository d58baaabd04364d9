"""Golden tests for the checker: one case per rule, an input tree and the exact expected messages.

Each ``tests/golden/<family>/<case>.yml`` starts from the small valid project in
``tests/golden/_base`` and changes it:

- ``replace: {path: [[old, new], …]}``: text replacements in base files (each must match);
- ``files: {path: text}``: files added or overwritten;
- ``remove: [path, …]``: files deleted;
- ``encode: {path: gbk | utf-8-sig | crlf | utf-16}``: a file re-saved the way an editor's tool would;
- ``grow: {path: bytes}``: a file padded with spaces to that size (the size limit);
- ``today``: the build date (default 2025-06-01);
- ``expected``: the exact output of ``regbook check`` (text format), one problem per line.

``REGBOOK_GOLDEN_UPDATE=1 pytest tests/test_rules_golden.py`` rewrites ``expected`` from the
actual output (then read every changed message before committing).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from regbook import corpus, rules
from regbook.problems import render

GOLDEN = Path(__file__).parent / "golden"
BASE = GOLDEN / "_base"
CASES = sorted(p for p in GOLDEN.rglob("*.yml") if "_base" not in p.parts)
DEFAULT_TODAY = dt.date(2025, 6, 1)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.allow_unicode = True
    return yaml


def _encode(path: Path, how: str) -> None:
    text = path.read_text(encoding="utf-8")
    data = {
        "gbk": lambda: text.encode("gbk"),
        "utf-8-sig": lambda: text.encode("utf-8-sig"),
        "crlf": lambda: text.replace("\n", "\r\n").encode("utf-8"),
        "utf-16": lambda: text.encode("utf-16"),
    }[how]()
    path.write_bytes(data)


def build_tree(case: dict[str, Any], dest: Path) -> Path:
    """The base project with the case's changes applied."""
    shutil.copytree(BASE, dest)
    for rel, pairs in (case.get("replace") or {}).items():
        path = dest / rel
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, f"{rel}: “{old}” not in the base file"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    for rel, text in (case.get("files") or {}).items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(str(text), encoding="utf-8")
    for rel in case.get("remove") or []:
        (dest / rel).unlink()
    for rel, how in (case.get("encode") or {}).items():
        _encode(dest / rel, how)
    for rel, size in (case.get("grow") or {}).items():
        path = dest / rel
        path.write_bytes(path.read_bytes().ljust(int(size), b" "))
    return dest


def run_case(case: dict[str, Any], tmp_path: Path) -> str:
    root = build_tree(case, tmp_path / "project")
    today = corpus.parse_date(case.get("today")) or DEFAULT_TODAY
    return render(rules.check(corpus.load(root), today))


def test_base_is_clean(tmp_path: Path) -> None:
    """Check that the base project has no problem at all, so each case shows only its own."""
    assert run_case({}, tmp_path) == ""


def test_every_rule_family_has_cases() -> None:
    """Check that each rule module has a golden folder with at least one case."""
    families = {p.parent.name for p in CASES}
    expected = {"reader", "corpus", "fields", "dates", "numbers", "identifiers", "characters", "uniqueness", "cleanup", "versions", "validity", "links", "safety", "disclosure", "classification"}
    assert expected <= families, expected - families


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(GOLDEN).with_suffix("")) for p in CASES])
def test_golden(path: Path, tmp_path: Path) -> None:
    """Check that the case's input gives exactly the expected messages."""
    yaml = _yaml()
    case = yaml.load(path.read_text(encoding="utf-8"))
    actual = run_case(case, tmp_path)
    if os.environ.get("REGBOOK_GOLDEN_UPDATE"):
        case["expected"] = LiteralScalarString(actual + "\n") if actual else ""
        with path.open("w", encoding="utf-8") as fh:
            yaml.dump(case, fh)
    expected = str(case.get("expected") or "").strip()
    assert actual.strip() == expected, f"{path.name}:\n{actual}"
    assert expected, "a golden case must expect at least one problem"
