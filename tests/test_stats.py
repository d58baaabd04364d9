"""The annual report's 表二 第二十条第（一）项 from the metadata, and the 年报 page's tables.

The catalog built here has documents made, abolished, expired and amended across the 2023/2024
boundary, one of them abolished by a cleanup record of January 2024; the expected figures are
counted by hand in each test (``regbook.stats``' docstring gives the definitions).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import lxml.html as lxml_html
import pytest

from tests.conftest import build_site, copy_project
from regbook import cli, corpus, report, stats
from regbook.model import Level, ReportData, Status

OFFICE = "吉林省国防动员办公室"


def _regulation(root: Path, id_: str, level: Level, issuer: str = OFFICE, **fields: str) -> None:
    folder = root / "regulations" / level.slug
    folder.mkdir(parents=True, exist_ok=True)
    head = {"id": id_, "标题": fields.pop("标题", f"关于{id_}的通知"), "制定机关": issuer, "效力位阶": level.value}
    head.update(fields)
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in head.items()) + "---\n\n第一条 示例。\n"
    (folder / f"{id_}.md").write_text(text, encoding="utf-8")


@pytest.fixture()
def catalog(tmp_path: Path) -> corpus.Corpus:
    """Two years of the office's documents (see each comment) and one cleanup record of 2024-01-10."""
    root = tmp_path / "project"
    normative = Level.NORMATIVE
    # in force throughout
    _regulation(root, "a", normative, 时效性="现行有效", 公布日期="2022-05-01", 有效期至="2027-04-30")
    # made in December 2023, in force from 2024-01-01
    _regulation(root, "b", normative, 时效性="现行有效", 公布日期="2023-12-20", 施行日期="2024-01-01")
    # abolished by the cleanup record of 2024-01-10: still in force on 2023-12-31
    _regulation(root, "c", normative, 时效性="已废止", 公布日期="2021-03-01", 废止或失效日期="2024-01-10")
    # expired in 2023 (有效期至 2023-06-30): counted as 本年废止 in 2023
    _regulation(root, "d", normative, 时效性="已失效", 公布日期="2020-01-01", 有效期至="2023-06-30", 废止或失效日期="2023-07-01")
    # amended: e1 replaced by e2 (made 2023-11-01, in force 2024-02-01)
    _regulation(root, "e1", normative, 标题="某办法", 时效性="已修改", 现行版本="e2", 公布日期="2019-01-01")
    _regulation(root, "e2", normative, 标题="某办法", 时效性="现行有效", 公布日期="2023-11-01", 施行日期="2024-02-01")
    # joint issuer (counted), another body (not counted)
    _regulation(root, "h", normative, issuer=f"{OFFICE}、吉林省财政厅", 时效性="现行有效", 公布日期="2024-06-01")
    _regulation(root, "g", normative, issuer="吉林省人民政府", 时效性="现行有效", 公布日期="2023-04-01")
    # a 规章 of the office's predecessor in 2024; an 其他规范性文件 of the office (not in table 二)
    _regulation(root, "r", Level.RULE, issuer="吉林省人民防空办公室", 时效性="现行有效", 公布日期="2024-03-01")
    _regulation(root, "o", Level.OTHER_NORMATIVE, 时效性="现行有效", 公布日期="2023-05-01")
    cleanup = root / "docs" / "cleanup"
    cleanup.mkdir(parents=True)
    (cleanup / "2024-qingli.md").write_text(
        "---\nid: 2024-qingli\n标题: 清理结果的公告\n公告日期: 2024-01-10\n报送备案机关: 吉林省司法厅\n决定:\n"
        "  - 文件: a\n    结果: 保留\n  - 文件: c\n    结果: 废止\n---\n\n正文。\n",
        encoding="utf-8",
    )
    loaded = corpus.load(root)
    assert loaded.errors == [], loaded.errors
    return loaded


def _ids(row: stats.Row) -> tuple[list[str], list[str], list[str]]:
    return sorted(r.id for r in row.made), sorted(r.id for r in row.ended), sorted(r.id for r in row.in_force)


def test_table_two_for_two_consecutive_years(catalog: corpus.Corpus) -> None:
    """Check 2023 and 2024 against counts worked out by hand."""
    # 2023: made b, e2 (公布日期 in 2023); ended d (失效 2023-07-01); on 31 Dec in force: a, c (its
    # cleanup record is of 2024-01-10), e1 (e2 only in force from 2024-02-01). b, e2 are pending.
    y2023 = stats.table_two(catalog, 2023).row(Level.NORMATIVE)
    assert _ids(y2023) == (["b", "e2"], ["d"], ["a", "c", "e1"])
    assert y2023.figures == (2, 1, 3)
    # 2024: made h; ended c (the cleanup record); e1 replaced by e2 is not 废止; in force a, b, e2, h.
    y2024 = stats.table_two(catalog, 2024).row(Level.NORMATIVE)
    assert _ids(y2024) == (["h"], ["c"], ["a", "b", "e2", "h"])
    assert y2024.figures == (1, 1, 4)
    assert stats.table_two(catalog, 2023).row(Level.RULE).figures == (0, 0, 0)
    assert stats.table_two(catalog, 2024).row(Level.RULE).figures == (1, 0, 1)


def test_differences_account_for_the_gap(catalog: corpus.Corpus) -> None:
    """Check that 现行有效 2024 = 3 + 1 − 1 + 2 (b, e2 came into force) − 1 (e1 replaced)."""
    diff = stats.differences(catalog, Level.NORMATIVE, 2024)
    assert sorted(r.id for r in diff.pending_before) == ["b", "e2"]
    assert [r.id for r in diff.replaced] == ["e1"]
    assert diff.pending_now == ()
    assert 3 + 1 - 1 + diff.amount == 4


def test_status_as_of_a_past_date(catalog: corpus.Corpus) -> None:
    """Check statuses derived from dates: written 已废止 today, 现行有效 before the record's date."""
    by_id, history = catalog.by_id, catalog.cleanup_history
    c = by_id["c"]
    assert stats.status_as_of(c, dt.date(2023, 12, 31), history.get("c")) is Status.CURRENT
    assert stats.status_as_of(c, dt.date(2024, 1, 10), history.get("c")) is Status.REPEALED
    assert stats.status_as_of(by_id["b"], dt.date(2023, 12, 31)) is Status.PENDING
    assert stats.status_as_of(by_id["b"], dt.date(2023, 12, 19)) is None
    assert stats.status_as_of(by_id["d"], dt.date(2023, 6, 30)) is Status.CURRENT
    assert stats.status_as_of(by_id["d"], dt.date(2023, 7, 1)) is Status.EXPIRED
    replaced = stats.successors(catalog.regulations)
    assert replaced == {"e1": dt.date(2024, 2, 1)}
    assert stats.status_as_of(by_id["e1"], dt.date(2024, 1, 31), successor_from=replaced["e1"]) is Status.CURRENT
    assert stats.status_as_of(by_id["e1"], dt.date(2024, 2, 1), successor_from=replaced["e1"]) is Status.AMENDED


def test_cleanup_record_counts_even_if_the_document_says_otherwise(catalog: corpus.Corpus, tmp_path: Path) -> None:
    """Check that a cleanup record's 废止 ends a document from the record's date (cleanup as history)."""
    ruling = catalog.cleanup_history["c"]
    reg = catalog.by_id["c"]
    reg.status, reg.ended = Status.CURRENT, None  # as if the editor had not yet updated the file
    assert stats.status_as_of(reg, dt.date(2024, 1, 9), ruling) is Status.CURRENT
    assert stats.status_as_of(reg, dt.date(2024, 1, 10), ruling) is Status.REPEALED
    assert stats.table_two(catalog, 2024).row(Level.NORMATIVE).figures == (1, 1, 4)


def test_cli_stats_text_and_json(catalog: corpus.Corpus, capsys: pytest.CaptureFixture[str]) -> None:
    """Check ``regbook stats --year`` in both formats."""
    assert cli.main(["stats", "--year", "2023", "--root", str(catalog.root)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"行政规范性文件\s+2\s+1\s+3\n", out), out
    assert "截至2023年12月31日" in out
    assert cli.main(["stats", "--year", "2024", "--root", str(catalog.root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {row["信息内容"]: row for row in data["行"]}
    assert (rows["规章"]["本年制发件数"], rows["规章"]["现行有效件数"]) == (1, 1)
    assert rows["行政规范性文件"]["本年废止"] == ["c"]


def test_table_four_is_one_row_of_fifteen_cells() -> None:
    """Check the rendered 表四 (issue 12): three header rows, one data row of 15 cells in order."""
    data = ReportData(four={"行政复议": (1, 0, 0, 0, 1), "未经复议直接起诉": (0, 2, 0, 0, 2), "复议后起诉": (0, 0, 0, 3, 3)})
    table = lxml_html.fromstring(report.table_four_html(data))
    rows = table.xpath(".//tbody/tr")
    assert len(rows) == 1
    assert [td.text_content() for td in rows[0].xpath("td")] == "1 0 0 0 1 0 2 0 0 2 0 0 0 3 3".split()


def test_sample_report_page_shows_the_computed_tables(tmp_path: Path) -> None:
    """Check the sample's 2023 年报 page (one build, no book): 表二 with the catalog's figures, 表三
    with its 勾稽关系 note, 表四 as one data row of 15 cells, no marker left."""
    project = copy_project(tmp_path / "project")
    expected = stats.table_two(corpus.load(project), 2023)
    assert expected.row(Level.NORMATIVE).figures == (2, 1, 3)  # the frozen sample: 细则 and 清单 made, 试行 repealed
    site = tmp_path / "site"
    result = build_site(project, site, book=False)
    assert result.returncode == 0, result.stderr
    html = (site / "disclosure/nianbao/2023-zhengfu-xinxi-gongkai-niandu-baogao/index.html").read_text(encoding="utf-8")
    assert "regbook:nianbao" not in html
    page = lxml_html.fromstring(html)
    tables = page.xpath("//article//table")
    two = next(t for t in tables if "第二十条第（一）项" in t.text_content())
    row = next(tr for tr in two.xpath(".//tr") if tr.xpath("th") and tr.xpath("th")[0].text_content() == "行政规范性文件")
    assert [td.text_content() for td in row.xpath("td")] == ["2", "1", "3"]
    assert "行政许可" in two.text_content() and "本年收费金额（单位：万元）" in two.text_content()
    three = next(t for t in tables if "申请人情况" in t.text_content())
    assert report.THREE_NOTE in three.xpath(".//thead")[0].text_content()
    assert [td.text_content() for td in three.xpath(".//tbody/tr")[0].xpath("td")] == ["3", "1", "0", "0", "0", "0", "4"]
    four = next(t for t in tables if "复议后起诉" in t.text_content())
    data_rows = four.xpath(".//tbody/tr")
    assert len(data_rows) == 1 and len(data_rows[0].xpath("td")) == 15
