"""The preview's caches (``make serve``): ``corpus.LoadCache`` parses again exactly the files whose
bytes changed, whatever their modification time and size say, and forgets files that are gone;
``rules.CheckCache`` checks again exactly the texts that changed; both give what loading and
checking afresh give. The plugin's ``_TemplateCode`` reuses a compiled template only for its
unchanged source; the catalog pages and open data are reused exactly while only regulations'
bodies changed (``corpus.metadata_digest``), and equal what a fresh build makes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import datetime as dt

import jinja2
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from regbook import corpus, pages, rules
from regbook.book import from_site
from regbook.mkdocs_plugin import plugin as plugin_module
from regbook.mkdocs_plugin.plugin import RegbookPlugin, _listings_key, _TemplateCode
from regbook.problems import render
from tests.conftest import FIXTURE, FIXTURE_TODAY, copy_project

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


BODY_TEXT = ("国防是国家", "国防乃国家")
"""A change of ``EDITED``'s body only."""


def test_metadata_digest_leaves_out_only_the_bodies(tmp_path: Path) -> None:
    """Check that the digest is the same after a body edit and differs after a title edit, in a
    regulation, a cleanup record's decision and a disclosure item's body."""
    root = _content(tmp_path)
    before = corpus.metadata_digest(corpus.load(root))
    path = root / EDITED
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(*BODY_TEXT), encoding="utf-8")
    assert corpus.metadata_digest(corpus.load(root)) == before
    path.write_text(text.replace(TITLE, TITLE + "（修订）"), encoding="utf-8")
    assert corpus.metadata_digest(corpus.load(root)) != before
    path.write_text(text, encoding="utf-8")
    assert corpus.metadata_digest(corpus.load(root)) == before
    cache, kept = corpus.LoadCache(), {}  # the parts kept by document, as under serve
    assert corpus.metadata_digest(corpus.load(root, cache), kept) == before
    path.write_text(text.replace(TITLE, TITLE + "（修订）"), encoding="utf-8")
    retitled = corpus.load(root, cache)
    assert corpus.metadata_digest(retitled, kept) == corpus.metadata_digest(retitled) != before
    assert len(kept) == len(retitled.regulations)
    path.write_text(text, encoding="utf-8")
    assert corpus.metadata_digest(corpus.load(root, cache), kept) == before
    loaded = corpus.load(root)
    for doc in (loaded.cleanups[0], loaded.disclosures[0]):
        other = root / doc.path
        original = other.read_text(encoding="utf-8")
        other.write_text(original + "\n补充一句。\n", encoding="utf-8")
        assert corpus.metadata_digest(corpus.load(root)) != before, doc.path
        other.write_text(original, encoding="utf-8")


def test_catalogs_and_open_data_are_reused_only_for_a_body_edit(tmp_path: Path) -> None:
    """Check that under ``serve`` a body edit reuses the previous catalog pages and open data, equal
    to those a fresh build makes (none of them reads a body), and that a title edit or another
    build date makes them again, changed; the feeds' links are set on every rebuild's new config."""
    project = copy_project(tmp_path / "project")
    plugin = RegbookPlugin()
    plugin.on_startup(command="serve", dirty=True)
    cache = corpus.LoadCache()

    def listings(today: dt.date = FIXTURE_TODAY) -> tuple[object, object]:
        """The serving plugin's listings and a fresh (non-serve) plugin's, for the project as it is now."""
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        served = plugin._listings(config, loaded := corpus.load(project, cache), today, set(), _listings_key(config, loaded, today, set()))
        assert config.extra["regbook_feeds"]
        fresh = RegbookPlugin()._listings(config, corpus.load(project), today, set(), None)
        assert served == fresh
        return served

    first = listings()
    assert plugin.listings_reused == 0
    path = project / EDITED
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(*BODY_TEXT), encoding="utf-8")
    body_only = listings()
    assert plugin.listings_reused == 1 and body_only is not first and body_only == first
    assert body_only[0] is first[0] and body_only[1] is first[1]
    path.write_text(text.replace("中华人民共和国国防法", "中华人民共和国国防律"), encoding="utf-8")
    retitled = listings()
    assert plugin.listings_reused == 1
    catalogs, open_data = retitled
    assert catalogs != first[0] and open_data != first[1]
    assert "中华人民共和国国防律" in catalogs["catalog/index.md"]
    assert "中华人民共和国国防律".encode() in open_data["catalog.json"]
    assert listings() == retitled and plugin.listings_reused == 2
    later = listings(FIXTURE_TODAY + dt.timedelta(days=1))
    assert plugin.listings_reused == 2 and later[1] != retitled[1]


def test_regulation_pages_are_made_again_only_for_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Check that under ``serve`` a body edit makes again only that regulation's page, a title edit
    (metadata other pages may show) every page, and that the pages equal a fresh build's."""
    monkeypatch.setenv("REGBOOK_TODAY", FIXTURE_TODAY.isoformat())
    monkeypatch.setenv("REGBOOK_BOOK", "0")
    monkeypatch.delenv("REGBOOK_CHECKED", raising=False)
    project = copy_project(tmp_path / "project")
    site = str(tmp_path / "site")
    serving = load_config(str(project / "mkdocs.yml"), site_dir=site).plugins["regbook"]
    assert isinstance(serving, RegbookPlugin)  # MkDocs keeps this instance for every later load_config
    serving.on_startup(command="serve", dirty=True)

    def rebuild() -> int:
        """Pages the serving plugin made in this rebuild; asserts they are what a build makes afresh."""
        made = serving.regulation_pages_made
        config = load_config(str(project / "mkdocs.yml"), site_dir=site)
        assert config.plugins["regbook"] is serving
        config.plugins.on_files(get_files(config), config=config)
        fresh = corpus.load(project)
        assert serving.page_sources.keys() == {r.id for r in fresh.regulations}
        for reg in fresh.regulations:
            page = pages.regulation_page(fresh, reg, today=FIXTURE_TODAY, body_mark=serving.body_mark)
            assert serving.page_sources[reg.id] == page, reg.id
        return serving.regulation_pages_made - made

    count = rebuild()
    assert count == len(serving.page_sources) > 1
    path = project / EDITED
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(*BODY_TEXT), encoding="utf-8")
    assert rebuild() == 1
    assert "国防乃国家" in serving.page_sources["guofang-fa"]
    assert rebuild() == 0
    path.write_text(text.replace("中华人民共和国国防法", "中华人民共和国国防律"), encoding="utf-8")
    assert rebuild() == count


def test_serve_freezes_what_the_first_build_left_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Check that the preview moves the objects left by its first build out of the garbage
    collector's reach at its first rebuild, after collecting the garbage, and only then; a build
    never does."""
    calls: list[str] = []
    monkeypatch.setattr(plugin_module.gc, "collect", lambda: calls.append("collect") or 0)
    monkeypatch.setattr(plugin_module.gc, "freeze", lambda: calls.append("freeze"))
    config = load_config(str(copy_project(tmp_path / "project") / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    for command, expected in (("build", []), ("serve", ["collect", "freeze"])):
        plugin = RegbookPlugin()
        plugin.load_config({})
        plugin.on_startup(command=command, dirty=command == "serve")
        plugin.on_pre_build(config=config)  # the first build: nothing loaded yet
        assert calls == []
        plugin.corpus = corpus.load(FIXTURE)
        for _ in range(3):
            plugin.on_pre_build(config=config)
        assert calls == expected, command


def test_bodies_of_deleted_documents_are_forgotten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Check that under ``serve`` the site bodies kept for the book (``site_bodies``) of a deleted
    regulation are dropped at the next rebuild, and those of the others kept."""
    monkeypatch.setenv("REGBOOK_TODAY", FIXTURE_TODAY.isoformat())
    monkeypatch.setenv("REGBOOK_BOOK", "0")
    monkeypatch.delenv("REGBOOK_CHECKED", raising=False)
    project = copy_project(tmp_path / "project")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    serving = config.plugins["regbook"]
    assert isinstance(serving, RegbookPlugin)
    serving.on_startup(command="serve", dirty=True)
    gone_id = next(r.id for r in corpus.load(project).regulations if r.path == GONE)
    kept = from_site.SiteBody("<p>x</p>", "t", "s")
    serving.site_bodies.update({gone_id: kept, "guofang-fa": kept})
    (project / GONE).unlink()
    config.plugins.on_files(get_files(config), config=config)
    assert gone_id not in serving.site_bodies and serving.site_bodies["guofang-fa"] is kept
