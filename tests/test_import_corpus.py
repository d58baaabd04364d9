"""The importer on the real texts of ../shared/corpus (read at test time; skipped where absent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from regbook import corpus, importer, rules
from regbook.importer import writing
from regbook.model import Level, Status
from tests.conftest import copy_project

pytestmark = pytest.mark.corpus

TODAY = dt.date(2026, 11, 28)

# Rules that imported texts cannot satisfy honestly: the sources print no 发文字号 for judicial
# interpretations, which the rules require of every 其他规范性文件 (reported to the lead).
KNOWN_RULE_GAPS = ("缺少“发文字号”：效力位阶为“其他规范性文件”",)


@pytest.fixture(scope="module")
def defense_project(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, importer.Report]:
    """A copy of this project with all of corpus/defense/ imported into it."""
    root = copy_project(tmp_path_factory.mktemp("import") / "proj")
    report = importer.import_sources(root, [shared_corpus / "defense"], today=TODAY)
    return root, report


def test_all_defense_texts_import(defense_project: tuple[Path, importer.Report]) -> None:
    """Check that the 63 defense texts import without error: new files, or the sample's own version kept."""
    root, report = defense_project
    assert [p for p in report.problems if p.is_error] == []
    assert len(report.created) + len(report.skipped) == 63
    assert all("已有同一版本" in p.message for p in report.problems)  # only the sample's own files


def test_imported_tree_loads_and_passes_the_rules(defense_project: tuple[Path, importer.Report]) -> None:
    """Check that the project with the imports loads cleanly and the rules find nothing but the known gap."""
    root, _ = defense_project
    loaded = corpus.load(root)
    assert loaded.problems == []
    errors = [p for p in rules.check(loaded, TODAY) if p.is_error]
    unexpected = [p.as_text() for p in errors if not any(gap in p.message for gap in KNOWN_RULE_GAPS)]
    assert unexpected == []
    assert len(errors) <= 2  # the two judicial interpretations of defense/


def test_versions_of_one_law_are_told_apart_and_chained(defense_project: tuple[Path, importer.Report]) -> None:
    """Check 立法法 2015/2023: distinct display titles, the older 已修改 pointing at the newer."""
    root, _ = defense_project
    loaded = corpus.load(root)
    old, new = loaded.by_id["lifafa-2015-03-15"], loaded.by_id["lifafa-2023-03-13"]
    assert (old.display_title, new.display_title) == ("中华人民共和国立法法（2015年修正）", "中华人民共和国立法法（2023年修正）")
    assert (old.status, old.current_version, new.status) == (Status.AMENDED, new.id, Status.CURRENT)
    titles = [r.display_title for r in loaded.regulations]
    assert len(titles) == len(set(titles))  # every version distinguishable wherever titles are shown


def test_reimporting_defense_changes_nothing(
    defense_project: tuple[Path, importer.Report], shared_corpus: Path
) -> None:
    root, _ = defense_project
    before = {p: p.read_bytes() for p in (root / "regulations").rglob("*.md")}
    again = importer.import_sources(root, [shared_corpus / "defense"], today=TODAY)
    assert (again.created, again.updated, again.marked) == ([], [], [])
    assert {p: p.read_bytes() for p in (root / "regulations").rglob("*.md")} == before


def _draft(shared_corpus: Path, rel: str) -> importer.Draft:
    path = shared_corpus / rel
    if not path.exists():
        pytest.skip(f"语料中没有 {rel}")
    draft, problems = importer.read_source(path, rel, importer.level_for(path), today=TODAY)
    assert problems == [] and draft is not None
    return draft


def test_odd_case_empty_history(shared_corpus: Path) -> None:
    """法规规章备案审查条例(2024) has an empty header: 公布日期 from the file name, 施行日期 from the body."""
    d = _draft(shared_corpus, "defense/行政法规/法规规章备案审查条例(2024-08-30).md")
    assert (d.data["公布日期"], d.data.get("施行日期")) == (dt.date(2024, 8, 30), dt.date(2024, 11, 1))
    assert "修订历史" not in d.data and d.fallbacks


def test_odd_case_two_title_lines(shared_corpus: Path) -> None:
    d = _draft(shared_corpus, "bulk/民法典/侵权责任编.md")
    assert d.title == "中华人民共和国民法典·侵权责任编"
    assert d.level is Level.LAW and d.data["公布日期"] == dt.date(2020, 5, 28)


def test_odd_case_full_width_digits(shared_corpus: Path) -> None:
    d = _draft(shared_corpus, "bulk/部门规章/公安部/公安机关办理行政案件程序规定(2019-04-27).md")
    assert [e["日期"].year for e in d.data["修订历史"]] == [2012, 2012, 2013, 2014, 2018]
    assert d.data["制定机关"] == "公安部" and d.level is Level.RULE


def test_odd_case_title_continuation_lines(shared_corpus: Path) -> None:
    d = _draft(shared_corpus, "defense/宪法相关法/地方各级人民代表大会和地方各级人民政府组织法(2022-03-11).md")
    assert d.data["修订历史"][0] == {"日期": dt.date(1979, 7, 1), "事件": "通过", "机关": "第五届全国人民代表大会第二次会议"}
    assert d.data["版本"] == "2022年修正" and d.data["制定机关"] == "全国人民代表大会"
    assert "〈中华人民共和国全国人民代表大会和地方各级人民代表大会选举法〉" in d.data["修订历史"][-2]["事件"]


def test_odd_case_no_date_anywhere_but_the_body(shared_corpus: Path) -> None:
    """上海市征兵工作条例 has no date in its header or name: the body's 施行日期 stands in, flagged in the text."""
    d = _draft(shared_corpus, "defense/DLC/上海地方法规/地方性法规/上海/上海市征兵工作条例.md")
    assert d.data["公布日期"] == dt.date(1994, 11, 1)
    assert d.body.startswith('!!! warning "元数据待核"')
    assert d.data["制定机关"] == "上海市人民代表大会常务委员会"


def test_imported_files_round_trip_through_ruamel(defense_project: tuple[Path, importer.Report]) -> None:
    """Check that every file the importer wrote (versions marked 已修改 included) is one ruamel.yaml
    writes back byte for byte, so a later re-import can change single fields of it, and that each
    carries an import record matching its own front matter."""
    root, _ = defense_project
    for path in sorted((root / "regulations").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        parts = writing.split(text)
        assert parts is not None
        if parts.record is None:
            continue  # the sample's own hand-made files
        writing.edit_front(parts.front, {})  # raises Unfaithful if ruamel.yaml would rewrite a line
        doc, problems = corpus.frontmatter.read(str(path), text.encode("utf-8"))
        assert problems == [] and doc is not None
        fields = {key: writing.fingerprint(value) for key, value in doc.data.items()}
        assert {k: v for k, v in parts.record.items() if k != writing.BODY} == fields, path.name
