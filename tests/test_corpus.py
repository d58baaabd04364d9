"""Loading a project folder into the model: typed values, and problems instead of exceptions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from regbook import corpus
from regbook.model import Level, Outcome, Status

GOOD = """---
id: renmin-fangkong-fa
标题: 中华人民共和国人民防空法
发文字号: 中华人民共和国主席令第七十八号
制定机关: 全国人民代表大会常务委员会
效力位阶: 法律
时效性: 现行有效
公布日期: 1996-10-29
施行日期: 1997年1月1日
版本: 2009年修正
修订历史:
  - 日期: 1996-10-29
    事件: 通过
    机关: 第八届全国人民代表大会常务委员会第二十二次会议
---

# 中华人民共和国人民防空法

第一条 为了有效地组织人民防空……
"""


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_a_regulation_with_typed_values(tmp_path: Path) -> None:
    write(tmp_path, "regulations/falv/renmin-fangkong-fa.md", GOOD)
    c = corpus.load(tmp_path)
    assert c.problems == []
    (reg,) = c.regulations
    assert reg.level is Level.LAW and reg.status is Status.CURRENT
    assert reg.published == dt.date(1996, 10, 29)
    assert reg.effective == dt.date(1997, 1, 1)
    assert reg.display_title == "中华人民共和国人民防空法（2009年修正）"
    assert reg.history[0].by.startswith("第八届")
    assert reg.path == "regulations/falv/renmin-fangkong-fa.md"
    assert reg.line_of("时效性") == 7
    assert reg.body.lstrip().startswith("# 中华人民共和国人民防空法")


def test_bad_vocabulary_lists_the_allowed_values(tmp_path: Path) -> None:
    write(tmp_path, "regulations/falv/a.md", GOOD.replace("时效性: 现行有效", "时效性: 有效"))
    (problem,) = corpus.load(tmp_path).problems
    assert problem.as_text().startswith("regulations/falv/a.md:7: 错误: “时效性”的值 “有效” 不在允许范围内")
    assert "应为 现行有效、已修改、已废止、已失效、尚未生效 之一" in problem.message


def test_missing_required_field_and_unknown_key_are_both_reported(tmp_path: Path) -> None:
    text = GOOD.replace("制定机关: 全国人民代表大会常务委员会\n", "").replace("版本:", "版次:")
    write(tmp_path, "regulations/falv/a.md", text)
    messages = [p.as_text() for p in corpus.load(tmp_path).problems]
    assert len(messages) == 2
    assert any("缺少必填字段“制定机关”" in m for m in messages)
    assert any(m.startswith("regulations/falv/a.md:9: 错误: 未知字段“版次”") for m in messages)


def test_a_bad_file_does_not_hide_the_good_ones(tmp_path: Path) -> None:
    write(tmp_path, "regulations/falv/good.md", GOOD)
    (tmp_path / "regulations/falv/gbk.md").write_bytes(GOOD.replace("renmin-fangkong-fa", "b").encode("gb18030"))
    c = corpus.load(tmp_path)
    assert [r.id for r in c.regulations] == ["renmin-fangkong-fa"]
    assert [p.path for p in c.problems] == ["regulations/falv/gbk.md"]
    assert "GBK" in c.problems[0].message


def test_cleanup_records_and_disclosure_items(tmp_path: Path) -> None:
    write(
        tmp_path,
        "docs/cleanup/qingli.md",
        "---\nid: qingli\n标题: 清理公告\n公告日期: 2023-11-24\n报送备案机关: 吉林省司法厅\n决定:\n"
        "  - 文件: a\n    结果: 废止\n    理由: 上位法已修改\n---\n正文\n",
    )
    write(tmp_path, "docs/cleanup/index.md", "# 行政规范性文件清理\n")
    write(
        tmp_path,
        "docs/disclosure/zhinan/guide.md",
        "---\n索引号: X/2024-00001\n标题: 指南\n栏目: 政府信息公开指南\n发布机构: 吉林省国防动员办公室\n发布日期: 2024-01-03\n---\n",
    )
    c = corpus.load(tmp_path)
    assert c.problems == []
    (record,) = c.cleanups
    assert record.decisions[0].outcome is Outcome.REPEAL and record.decisions[0].line == 7
    assert record.src_uri == "cleanup/qingli.md" and record.url == "cleanup/qingli/"
    (item,) = c.disclosures
    assert item.column.value == "政府信息公开指南" and item.src_uri == "disclosure/zhinan/guide.md"


def test_parse_date_accepts_iso_chinese_and_full_width_digits() -> None:
    assert corpus.parse_date("2023-05-06") == dt.date(2023, 5, 6)
    assert corpus.parse_date("２０２３年５月６日") == dt.date(2023, 5, 6)
    assert corpus.parse_date("2023-02-30") is None
    assert corpus.parse_date(20230506) is None
