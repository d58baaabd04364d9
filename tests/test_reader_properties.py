"""Property-based tests: whatever bytes or front matter an editor commits, the reader and the
checker report problems; they never raise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regbook import corpus, frontmatter, rules
from regbook.corpus import Corpus, Text
from regbook.model import REGULATION_FIELDS
from regbook.problems import Problem, Severity

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = dt.date(2025, 6, 1)

# Pieces editors (and YAML) trip over, mixed into generated front matter.
TRICKY = [
    "no", "yes", "on", "off", "true", "~", "null", "012", "0x1F", "1_000", "1e3", ".inf", "2023-02-30",
    "2023-05-06", "2023-13-01", "2023年5月6日", "2023/05/06", "〔2023〕5号", "[2023]5号", "'", '"', "[", "]",
    "{", "}", "&a", "*a", "!!binary aGk=", "!!python/object:os.system", "<<", "- x", ": x", "\t", "#", "|",
    ">", "%", "@", "`", "现行有效", "已废止", "行政规范性文件", "吉国动办发〔2023〕5号", "<script>", "\x00",
    "\u3000", "\ufeff", "\r", "\u2028", "\x85", "---", "...",
]
KEYS = [*REGULATION_FIELDS, "决定", "文件", "结果", "日期", "事件", "x", "", "? x", "<<", "- 文件"]


def _check_outcome(doc: frontmatter.Document | None, problems: list[Problem]) -> None:
    if doc is None:
        assert problems, "a file that cannot be read must say why"
    for p in problems:
        assert p.line >= 1 and p.path and p.message
        assert p.severity in Severity


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_document_or_problems(raw: bytes) -> None:
    """Check that any bytes give a Document or located problems, never an exception."""
    _check_outcome(*frontmatter.read("regulations/x.md", raw))


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_inside_front_matter(raw: bytes) -> None:
    """Check that any bytes between the --- fences give a Document or problems."""
    _check_outcome(*frontmatter.read("regulations/x.md", b"---\n" + raw + b"\n---\nbody\n"))


line = st.tuples(st.sampled_from(KEYS), st.sampled_from(["", " ", "  ", "\t", "- "]), st.sampled_from([": ", ":", " : ", ""]),
                 st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=8)), max_size=3))


@SETTINGS
@given(st.lists(line, max_size=14), st.text(max_size=200))
def test_arbitrary_front_matter_reaches_every_rule(lines: list, body: str) -> None:
    """Check that tricky front matter goes through reader, loader and every rule without an exception."""
    fm = "\n".join(f"{indent}{key}{colon}{''.join(parts)}" for key, indent, colon, parts in lines)
    raw = f"---\n{fm}\n---\n{body}".encode("utf-8", "surrogatepass")
    _run_everything(raw)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
    st.dates(), st.sampled_from(TRICKY),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)


@SETTINGS
@given(st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), values, max_size=12), st.text(max_size=200))
def test_arbitrary_yaml_values_reach_every_rule(data: dict, body: str) -> None:
    """Check that any well-formed YAML mapping (any types in any field) gives problems, not exceptions."""
    fm = yaml.safe_dump(data, allow_unicode=True)
    _run_everything(f"---\n{fm}---\n{body}".encode("utf-8", "surrogatepass"))


def _run_everything(raw: bytes) -> None:
    path = "regulations/falv/x.md"
    doc, problems = frontmatter.read(path, raw)
    _check_outcome(doc, problems)
    if doc is None:
        return
    reg = corpus.regulation_from(doc, problems)
    item = corpus.cleanup_from(doc, "cleanup/x.md", problems)
    disclosure = corpus.disclosure_from(doc, "disclosure/x.md", problems)
    loaded = Corpus(Path("/nonexistent-regbook-root"), problems=problems)
    if reg is not None:
        loaded.regulations.append(reg)
    if item is not None:
        item.path = "docs/cleanup/x.md"
        loaded.cleanups.append(item)
    if disclosure is not None:
        loaded.disclosures.append(disclosure)
    loaded.texts.append(Text(path, "regulations/x.md", doc.body, doc.body_line))
    for p in rules.check(loaded, TODAY):
        assert p.line >= 1 and p.message
