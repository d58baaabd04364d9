"""The preview's caches (``make serve``): ``corpus.LoadCache`` parses again exactly the files whose
bytes changed, whatever their modification time and size say, and forgets files that are gone;
``rules.CheckCache`` checks again exactly the texts that changed; both give what loading and
checking afresh give. The plugin's ``_TemplateCode`` reuses a compiled template only for its
unchanged source."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2

from regbook import corpus, rules
from regbook.mkdocs_plugin.plugin import _TemplateCode
from regbook.problems import render
from tests.conftest import FIXTURE, FIXTURE_TODAY

EDITED = "regulations/falv/guofang-fa.md"
TITLE = "标题: 中华人民共和国国防法"
GONE = "regulations/qita-guifanxing-wenjian/renfang-xuanchuan-jiaoyu-yijian.md"
"""A regulation no other document refers to: deleting it leaves the content without errors."""


def _content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    return root


def _same_as_fresh(root: Path, cache: corpus.LoadCache, check_cache: rules.CheckCache) -> corpus.Corpus:
    """Load and check through the caches; assert the result is what loading afresh gives."""
    cached, fresh = corpus.load(root, cache), corpus.load(root)
    for name in ("regulations", "cleanups", "disclosures", "problems", "texts", "files", "unloaded"):
        assert repr(getattr(cached, name)) == repr(getattr(fresh, name)), name
    assert render(rules.check(cached, FIXTURE_TODAY, check_cache)) == render(rules.check(fresh, FIXTURE_TODAY))
    return cached


def _title(loaded: corpus.Corpus, path: str) -> str:
    return next(r.title for r in loaded.regulations if r.path == path)


def test_a_change_of_the_same_size_at_the_same_time_is_seen(tmp_path: Path) -> None:
    """Check that a file rewritten with the same number of bytes and its old modification time
    (as within one tick of a coarse file-system clock) is parsed and checked again."""
    root = _content(tmp_path)
    cache, check_cache = corpus.LoadCache(), rules.CheckCache()
    first = _same_as_fresh(root, cache, check_cache)
    parsed, checked = cache.parsed_files, check_cache.checked_texts
    path = root / EDITED
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert TITLE in text
    assert "国防是国家" in text
    changed = text.replace("国防法", "国防律").replace("国防是国家", "国防乃国家")  # title and body, 3 bytes for 3
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    second = _same_as_fresh(root, cache, check_cache)
    assert _title(first, EDITED) == "中华人民共和国国防法" and _title(second, EDITED) == "中华人民共和国国防律"
    assert any("国防乃国家" in t.body for t in second.texts if t.path == EDITED)
    assert cache.parsed_files == parsed + 1
    assert check_cache.checked_texts == checked + 1


def test_a_touched_file_is_not_parsed_again(tmp_path: Path) -> None:
    """Check that a new modification time alone (same bytes) reuses what was parsed and found."""
    root = _content(tmp_path)
    cache, check_cache = corpus.LoadCache(), rules.CheckCache()
    first = _same_as_fresh(root, cache, check_cache)
    parsed, checked = cache.parsed_files, check_cache.checked_texts
    path = root / EDITED
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    second = _same_as_fresh(root, cache, check_cache)
    assert cache.parsed_files == parsed and check_cache.checked_texts == checked
    reg = next(r for r in second.regulations if r.path == EDITED)
    assert any(r is reg for r in first.regulations)  # the very object: nothing parsed again


def test_deleted_and_renamed_files_are_forgotten(tmp_path: Path) -> None:
    """Check that a deleted file leaves the corpus and the cache, and that a renamed one is loaded
    under its new name (its problems name the new file)."""
    root = _content(tmp_path)
    cache, check_cache = corpus.LoadCache(), rules.CheckCache()
    _same_as_fresh(root, cache, check_cache)
    size, texts = len(cache), len(check_cache)
    (root / GONE).unlink()
    after = _same_as_fresh(root, cache, check_cache)
    assert len(cache) == size - 1 and len(check_cache) == texts - 1
    assert all(r.path != GONE for r in after.regulations) and all(t.path != GONE for t in after.texts)
    renamed = "regulations/falv/guofang-fa-renamed.md"
    (root / EDITED).rename(root / renamed)
    moved = _same_as_fresh(root, cache, check_cache)
    assert len(cache) == size - 1
    assert any(r.path == renamed for r in moved.regulations) and all(r.path != EDITED for r in moved.regulations)
    assert f"{renamed}:" in render(rules.check(moved, FIXTURE_TODAY, check_cache))  # its name is not its id


def test_an_error_comes_and_goes_through_the_caches(tmp_path: Path) -> None:
    """Check that an error written into a file is found through the caches and is gone once the
    file is fixed again (the fixed file's bytes are those cached before the error)."""
    root = _content(tmp_path)
    cache, check_cache = corpus.LoadCache(), rules.CheckCache()
    assert [p for p in rules.check(_same_as_fresh(root, cache, check_cache), FIXTURE_TODAY, check_cache) if p.is_error] == []
    path = root / EDITED
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace(TITLE, TITLE.replace(": ", "："), 1), encoding="utf-8")
    errors = [p for p in rules.check(_same_as_fresh(root, cache, check_cache), FIXTURE_TODAY, check_cache) if p.is_error]
    assert [p.path for p in errors] == [EDITED]
    path.write_text(good, encoding="utf-8")
    assert [p for p in rules.check(_same_as_fresh(root, cache, check_cache), FIXTURE_TODAY, check_cache) if p.is_error] == []


def test_compiled_templates_are_reused_only_for_the_same_source(tmp_path: Path) -> None:
    """Check that a new Jinja environment (one per serve rebuild) takes a template's compiled code
    from the plugin's cache, and that an edited template is compiled again."""
    template = tmp_path / "page.html"
    template.write_text("甲{{ x }}", encoding="utf-8")
    code = _TemplateCode()

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), bytecode_cache=code)
        return env.get_template("page.html").render(x=1)

    assert render() == "甲1"
    ((key, first),) = code.code.items()
    assert render() == "甲1" and code.code[key] is first  # loaded, not compiled and stored again
    template.write_text("乙{{ x }}", encoding="utf-8")
    assert render() == "乙1" and code.code[key] is not first
