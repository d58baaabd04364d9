"""The importer on texts and Word files made here: parsing, normalising, writing, version chains."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

from regbook import corpus, importer, rules
from regbook.cli import main
from regbook.model import Level, Status

TODAY = dt.date(2026, 11, 28)

LIFA_2015 = """# 中华人民共和国立法法

2000年3月15日 第九届全国人民代表大会第三次会议通过

2015年3月15日 第十二届全国人民代表大会第三次会议《关于修改<中华人民共和国立法法>的决定》修正

%%END%%

## 第一章  总则

第一条 为了规范立法活动，制定本法。

第二条 法律的制定、修改和废止，适用本法。"""

LIFA_2023 = """# 中华人民共和国立法法

2000年3月15日 第九届全国人民代表大会第三次会议通过

2015年3月15日 第十二届全国人民代表大会第三次会议《关于修改〈中华人民共和国立法法〉的决定》第一次修正

2023年3月13日 第十四届全国人民代表大会第一次会议《关于修改〈中华人民共和国立法法〉的决定》第二次修正

%%END%%

## 第一章 总 则

第一条 为了规范立法活动，健全国家立法制度，制定本法。
"""

LIFA_2030 = LIFA_2023.replace(
    "%%END%%",
    "2026年3月13日 第十四届全国人民代表大会第四次会议《关于修改〈中华人民共和国立法法〉的决定》第三次修正\n\n%%END%%",
)

XINXI = (
    "# 中华人民共和国政府信息公开条例\n\n"
    "2007年4月5日 中华人民共和国国务院令第492号公布\n\n"
    "2019年4月3日 中华人民共和国国务院令第711号修订\u3000\n\n"
    "2019年5月15日 施行\n\n"
    "%%END%%\n\n"
    "## 第一章\u3000总则\u3000\u3000\n\n"
    "第一条 为了保障公民获取政府信息，制定本条例。\u3000\n\n"
    "### 第一节  一般规定\n\n"
    "第二条 本条例所称政府信息，是指行政机关制作或者获取的信息。"
)


END = "%%END%%"
"""Stands for the corpus' end-of-header line in the texts below: no committed file may contain the
line itself (the repository's guard against committing corpus texts)."""


def draft(text: str, level: Level | None = Level.LAW, stem: str = "", **kw: object) -> importer.Draft:
    text = text.replace(END, importer.SENTINEL)
    d, problems = importer.draft_from_text("来源.md", text, level, stem=stem, today=TODAY, **kw)  # type: ignore[arg-type]
    assert problems == [] and d is not None
    return d


def project(tmp_path: Path) -> Path:
    (tmp_path / "regulations").mkdir(parents=True, exist_ok=True)
    return tmp_path


def write_source(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    raw = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(raw.replace(END.encode(), importer.SENTINEL.encode()))
    return path


def run(root: Path, *sources: Path, **kw: object) -> importer.Report:
    return importer.import_sources(root, list(sources), today=TODAY, **kw)  # type: ignore[arg-type]


def front(path: Path) -> dict[str, object]:
    doc, problems = corpus.frontmatter.read(str(path), path.read_bytes())
    assert not problems and doc is not None
    return doc.data


# --- parsing ---------------------------------------------------------------------------------


def test_history_of_a_state_council_regulation() -> None:
    """Check that 公布/修订/施行 lines become 公布日期, 施行日期, 制定机关, 发文字号 and the history."""
    d = draft(XINXI, Level.ADMIN_REGULATION)
    assert d.data["标题"] == "中华人民共和国政府信息公开条例"
    assert d.data["公布日期"] == dt.date(2019, 4, 3)
    assert d.data["施行日期"] == dt.date(2019, 5, 15)
    assert d.data["制定机关"] == "国务院"
    assert d.data["发文字号"] == "中华人民共和国国务院令第711号"
    assert d.data["版本"] == "2019年修订"
    assert d.data["修订历史"] == [
        {"日期": dt.date(2007, 4, 5), "事件": "公布", "机关": "中华人民共和国国务院令第492号"},
        {"日期": dt.date(2019, 4, 3), "事件": "修订", "机关": "中华人民共和国国务院令第711号"},
        {"日期": dt.date(2019, 5, 15), "事件": "施行"},
    ]
    assert d.fallbacks == []


def test_body_is_normalised() -> None:
    """Check that 章/节 headings get single spaces, trailing full-width spaces go, and the text ends in a newline."""
    d = draft(XINXI, Level.ADMIN_REGULATION)
    assert d.body == (
        "## 第一章 总则\n\n第一条 为了保障公民获取政府信息，制定本条例。\n\n### 第一节 一般规定\n\n"
        "第二条 本条例所称政府信息，是指行政机关制作或者获取的信息。\n"
    )
    assert draft(LIFA_2023).body.startswith("## 第一章 总则\n")


def test_full_width_digits_in_dates() -> None:
    """Check that ２０１２年１２月１９日 is read as 2012-12-19, in dates and in decree numbers."""
    text = (
        "# 公安机关办理行政案件程序规定\n\n２０１２年１２月３日 公安部部长办公会议通过\n\n"
        "２０１２年１２月１９日 中华人民共和国公安部令第１２５号发布，\n\n２０１３年１月１日 施行\n\n"
        "%%END%%\n\n第一条 为了规范公安机关办理行政案件程序，制定本规定。"
    )
    d = draft(text, Level.RULE)
    assert d.data["公布日期"] == dt.date(2012, 12, 19)
    assert d.data["施行日期"] == dt.date(2013, 1, 1)
    assert d.data["发文字号"] == "中华人民共和国公安部令第125号"
    assert d.data["制定机关"] == "公安部"
    assert [e["日期"] for e in d.data["修订历史"]] == [dt.date(2012, 12, 3), dt.date(2012, 12, 19), dt.date(2013, 1, 1)]


def test_two_title_lines_of_the_civil_code() -> None:
    """Check that 民法典's “# 中华人民共和国民法典 / # 侵权责任编” gives one title, and 分编/章/节 levels stay consistent."""
    text = (
        "# 中华人民共和国民法典\n\n# 物权编\n\n2020年5月28日 第十三届全国人民代表大会第三次会议通过\n\n"
        "2021年1月1日 施行\n\n%%END%%\n\n## 第一分编  通则\n\n### 第一章  一般规定\n\n"
        "第二百零五条 本编调整因物的归属和利用产生的民事关系。\n\n#### 第一节  不动产登记\n\n第二百零九条 不动产物权的设立，经依法登记，发生效力。"
    )
    d = draft(text)
    assert d.data["标题"] == "中华人民共和国民法典·物权编"
    assert d.data["制定机关"] == "全国人民代表大会"
    assert d.data["施行日期"] == dt.date(2021, 1, 1)
    headings = [line for line in d.body.split("\n") if line.startswith("#")]
    assert headings == ["## 第一分编 通则", "### 第一章 一般规定", "#### 第一节 不动产登记"]
    assert d.id == "minfadian-wuquanbian-2020-05-28"


def test_empty_history_uses_the_file_name_date_and_counts_a_fallback() -> None:
    """Check that a file with an empty header takes 公布日期 from “名称(YYYY-MM-DD)” and says so."""
    text = "# 法规规章备案审查条例\n\n%%END%%\n\n第一条 为了规范法规、规章备案审查工作，制定本条例。\n\n第三十条 本条例自2024年11月1日起施行。"
    d = draft(text, Level.ADMIN_REGULATION, stem="法规规章备案审查条例(2024-08-30)")
    assert d.data["公布日期"] == dt.date(2024, 8, 30)
    assert d.data["施行日期"] == dt.date(2024, 11, 1)  # stated in the body's last article
    assert "修订历史" not in d.data
    assert d.data["制定机关"] == "国务院"
    assert any("取自文件名" in f for f in d.fallbacks)
    assert any("行政法规 → 国务院" in f for f in d.fallbacks)


def test_header_older_than_the_file_name() -> None:
    """Check that an incomplete header (only the 2001 decree, file of 2017) takes the file date and no decree number."""
    text = (
        "# 规章制定程序条例\n\n2001年11月16日 中华人民共和国国务院令第322号公布\n\n%%END%%\n\n"
        "第一条 为了规范规章制定程序，制定本条例。"
    )
    d = draft(text, Level.ADMIN_REGULATION, stem="规章制定程序条例(2017-12-22)")
    assert d.data["公布日期"] == dt.date(2017, 12, 22)
    assert "发文字号" not in d.data  # the 2001 number belongs to the 2001 version
    assert d.fallbacks == ["公布日期：修订历史缺少最新版本的日期，取自文件名"]


def test_amended_version_keeps_no_stale_effective_date() -> None:
    """Check that the original's “自1997年1月1日起施行” is not taken as the 2009 version's 施行日期."""
    text = (
        "# 中华人民共和国人民防空法\n\n1996年10月29日 第八届全国人民代表大会常务委员会第二十二次会议通过\n\n"
        "2009年8月27日 第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》修正\n\n%%END%%\n\n"
        "第一条 为了有效地组织人民防空，制定本法。\n\n第五十三条 本法自1997年1月1日起施行。"
    )
    d = draft(text)
    assert d.data["公布日期"] == dt.date(2009, 8, 27)
    assert "施行日期" not in d.data
    assert d.data["版本"] == "2009年修正"
    assert d.data["制定机关"] == "全国人民代表大会常务委员会"


def test_several_events_on_one_line_and_continuations() -> None:
    """Check that “…第一次修正  1992年…第一次修订  根据” splits, and a decision name over two lines joins."""
    text = (
        "# 广东省人口与计划生育条例\n\n1980年2月2日 广东省第五届人民代表大会常务委员会第二次会议通过\n\n"
        "1986年5月17日 广东省第六届人民代表大会常务委员会第二十次会议《关于修改〈广东省计划生育条例〉的若干规定的决议》"
        "第一次修正  1992年11月28日广东省第七届人民代表大会常务委员会第二十九次会议第一次修订  根据\n\n"
        "2015年8月29日 广东省第十二届人民代表大会常务委员会第十六次会议《关于修改〈广东省人口与计划生育条例〉\n\n"
        "〈广东省计划生育条例〉的决定》第二次修正）\n\n%%END%%\n\n第一条 为了实行计划生育，制定本条例。"
    )
    d = draft(text, Level.LOCAL_REGULATION, stem="广东省人口与计划生育条例(2015-08-29)")
    history = d.data["修订历史"]
    assert [e["日期"].isoformat() for e in history] == ["1980-02-02", "1986-05-17", "1992-11-28", "2015-08-29"]
    assert history[2] == {"日期": dt.date(1992, 11, 28), "事件": "第一次修订", "机关": "广东省第七届人民代表大会常务委员会第二十九次会议"}
    assert history[3]["事件"] == "《关于修改〈广东省人口与计划生育条例〉〈广东省计划生育条例〉的决定》第二次修正"
    assert d.data["制定机关"] == "广东省人民代表大会常务委员会"
    assert d.data["版本"] == "2015年修正"


def test_title_continuation_lines_are_not_history() -> None:
    """Check that the 地方组织法's title repeated over two lines before the dates is ignored."""
    text = (
        "# 中华人民共和国地方各级人民代表大会和地方各级人民政府组织法\n\n中华人民共和国地方各级人民代表大会\n\n"
        "和地方各级人民政府组织法\n\n1979年7月1日 第五届全国人民代表大会第二次会议通过\n\n1979年7月4日 公布\n\n"
        "1980年1月1日 施行\n\n%%END%%\n\n第一条 为了保障地方各级人民代表大会依法行使职权，制定本法。"
    )
    d = draft(text)
    assert [e["事件"] for e in d.data["修订历史"]] == ["通过", "公布", "施行"]
    assert d.data["公布日期"] == dt.date(1979, 7, 4)
    assert d.data["施行日期"] == dt.date(1980, 1, 1)
    assert "版本" not in d.data


def test_amendments_adopted_as_other_acts_count_as_amendments() -> None:
    """Check that 刑法's “…通过的《刑法修正案（十二）》” lines make a 修正 version."""
    text = (
        "# 中华人民共和国刑法\n\n1979年7月1日 第五届全国人民代表大会第二次会议通过\n\n"
        "根据2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议通过的《中华人民共和国刑法修正案（十二）》修正\n\n"
        "%%END%%\n\n第一条 为了惩罚犯罪，保护人民，制定本法。"
    )
    d = draft(text, stem="刑法")
    assert d.data["版本"] == "2023年修正"
    assert d.data["公布日期"] == dt.date(2023, 12, 29)


@pytest.mark.parametrize(
    ("title", "date", "expected"),
    [
        ("中华人民共和国立法法", dt.date(2023, 3, 13), "lifafa-2023-03-13"),
        ("重庆市国防动员条例", dt.date(2015, 7, 30), "chongqingshiguofangdongyuantiaoli-2015-07-30"),
        ("中国（上海）自由贸易试验区条例", dt.date(2014, 7, 25), "zhongguo-shanghai-ziyoumaoyishiyanqutiaoli-2014-07-25"),
    ],
)
def test_ids_are_pinyin_and_date(title: str, date: dt.date, expected: str) -> None:
    """Check the id scheme: toneless pinyin of the short title, then the date."""
    assert importer.make_id(title, date) == expected


def test_long_titles_get_short_stable_ids() -> None:
    """Check that long titles are cut and disambiguated by a hash, deterministically and URL-safe."""
    a = importer.make_id("最高人民法院关于审理政府信息公开行政案件若干问题的规定", dt.date(2011, 7, 29))
    b = importer.make_id("最高人民法院关于审理政府信息公开行政案件若干问题的解释", dt.date(2011, 7, 29))
    assert a != b and len(a) <= 60 and len(b) <= 60
    assert a == importer.make_id("最高人民法院关于审理政府信息公开行政案件若干问题的规定", dt.date(2011, 7, 29))
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a)


def test_level_from_folder_or_option() -> None:
    """Check the folder → 效力位阶 map and the --level override (a level or a folder name)."""
    assert importer.level_for(Path("corpus/宪法相关法/立法法(2023-03-13).md")) is Level.LAW
    assert importer.level_for(Path("DLC/上海地方法规/地方性法规/上海/x.md")) is Level.LOCAL_REGULATION
    assert importer.level_for(Path("部门规章/公安部/x.md")) is Level.RULE
    assert importer.level_for(Path("司法解释/x.md")) is Level.OTHER_NORMATIVE
    assert importer.level_for(Path("案例/民法典/x.md")) is Level.OTHER_NORMATIVE
    assert importer.level_for(Path("下载/x.md")) is None
    assert importer.level_for(Path("下载/x.md"), "行政规范性文件") is Level.NORMATIVE
    assert importer.level_for(Path("下载/x.md"), "行政法") is Level.LAW
    assert importer.level_for(Path("下载/x.md"), "司法文书") is None


# --- bad sources --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"", 1, "文件是空的"),
        (b"  \n\n", 1, "文件是空的"),
        ("第一条 没有标题的文本。".encode(), 1, "没有标题"),
        ("# 某条例\n\n2019年13月45日 通过\n\n%%END%%\n\n第一条 内容。".encode(), 3, "日期无效"),
        ("# 某条例\n\n2019年4月 通过\n\n%%END%%\n\n第一条 内容。".encode(), 3, "无法识别的日期"),
        ("# 某条例\n\n%%END%%\n\n第一条 内容。".encode("gbk"), 1, "不是 UTF-8"),
        ("# 某条例\n\n2019年4月3日 通过\n\n%%END%%\n\n".encode(), 5, "没有正文"),
        ("# 某条例\n\n%%END%%\n\n第一条 没有任何日期。".encode(), 1, "无法确定公布日期"),
    ],
)
def test_bad_sources_are_refused_with_a_located_chinese_error(
    tmp_path: Path, content: bytes, line: int, message: str
) -> None:
    """Check that each kind of bad source gives one error naming the file and line, and nothing is written."""
    root = project(tmp_path / "proj")
    src = write_source(tmp_path / "行政法规", "坏文件.md", content)
    report = run(root, src)
    assert [(p.path, p.line, p.severity.value) for p in report.problems] == [(str(src), line, "错误")]
    assert message in report.problems[0].message
    assert list((root / "regulations").rglob("*")) == []


def test_unknown_level_is_an_error(tmp_path: Path) -> None:
    root = project(tmp_path / "proj")
    src = write_source(tmp_path / "下载", "立法法(2023-03-13).md", LIFA_2023)
    report = run(root, src)
    assert report.problems and "无法确定效力位阶" in report.problems[0].message
    report = run(root, src, level="司法文书")
    assert report.problems and "未知的效力位阶" in report.problems[0].message
    assert list((root / "regulations").rglob("*.md")) == []
    report = run(root, src, level="法律")
    assert report.problems == [] and len(report.created) == 1


# --- writing ----------------------------------------------------------------------------------


def test_written_file_loads_and_passes_the_rules(tmp_path: Path) -> None:
    """Check that an imported file round-trips through our reader and the rules find nothing wrong."""
    root = project(tmp_path / "proj")
    src = write_source(tmp_path / "行政法规", "政府信息公开条例(2019-04-03).md", XINXI)
    report = run(root, src)
    assert report.problems == [] and len(report.created) == 1
    path = root / "regulations/xingzheng-fagui/zhengfuxinxigongkaitiaoli-2019-04-03.md"
    loaded = corpus.load(root)
    assert loaded.problems == []
    (reg,) = loaded.regulations
    assert (reg.id, reg.level, reg.status, reg.issuer) == (
        "zhengfuxinxigongkaitiaoli-2019-04-03", Level.ADMIN_REGULATION, Status.CURRENT, "国务院"
    )
    assert reg.display_title == "中华人民共和国政府信息公开条例（2019年修订）"
    assert reg.published <= reg.effective  # type: ignore[operator]
    assert [p for p in rules.check(loaded, TODAY) if p.is_error] == []
    assert path.read_text(encoding="utf-8").endswith("信息。\n")


def test_future_effective_date_is_pending(tmp_path: Path) -> None:
    """Check that a 施行日期 still ahead makes 尚未生效, kept out of the history, and the rules agree."""
    text = XINXI.replace("2019年5月15日 施行", "2027年1月1日 施行")
    d = draft(text, Level.ADMIN_REGULATION)
    assert (d.data["时效性"], d.data["施行日期"]) == ("尚未生效", dt.date(2027, 1, 1))
    assert [e["事件"] for e in d.data["修订历史"]] == ["公布", "修订"]
    root = project(tmp_path / "proj")
    run(root, write_source(tmp_path / "行政法规", "政府信息公开条例(2019-04-03).md", text))
    assert [p for p in rules.check(corpus.load(root), TODAY) if p.is_error] == []


def test_reimport_is_idempotent(tmp_path: Path) -> None:
    """Check that importing the same sources twice changes nothing, byte for byte."""
    root = project(tmp_path / "proj")
    folder = tmp_path / "宪法相关法"
    sources = [
        write_source(folder, "立法法(2015-03-15).md", LIFA_2015),
        write_source(folder, "立法法(2023-03-13).md", LIFA_2023),
    ]
    first = run(root, *sources)
    assert len(first.created) == 2
    before = {p: p.read_bytes() for p in (root / "regulations").rglob("*.md")}
    second = run(root, *sources)
    assert (second.created, second.updated, second.marked, len(second.unchanged)) == ([], [], [], 2)
    assert {p: p.read_bytes() for p in (root / "regulations").rglob("*.md")} == before


def test_newer_version_marks_the_older_one_amended(tmp_path: Path) -> None:
    """Check the 已修改 chain: 2015 → 2023 → 2026, every older version pointing at the newest."""
    root = project(tmp_path / "proj")
    folder = tmp_path / "宪法相关法"
    old = write_source(folder, "立法法(2015-03-15).md", LIFA_2015)
    new = write_source(folder, "立法法(2023-03-13).md", LIFA_2023)
    run(root, old)
    f2015 = root / "regulations/falv/lifafa-2015-03-15.md"
    assert front(f2015)["时效性"] == "现行有效"
    report = run(root, new)
    assert report.marked == ["regulations/falv/lifafa-2015-03-15.md"]
    data = front(f2015)
    assert (data["时效性"], data["现行版本"], data["版本"]) == ("已修改", "lifafa-2023-03-13", "2015年修正")
    assert "第一条 为了规范立法活动，制定本法。" in f2015.read_text(encoding="utf-8")  # not overwritten
    newest = write_source(folder, "立法法(2026-03-13).md", LIFA_2030)
    run(root, newest)
    assert front(f2015)["现行版本"] == front(root / "regulations/falv/lifafa-2023-03-13.md")["现行版本"] == "lifafa-2026-03-13"
    loaded = corpus.load(root)
    titles = {r.id: (r.display_title, r.status) for r in loaded.regulations}
    assert titles == {
        "lifafa-2015-03-15": ("中华人民共和国立法法（2015年修正）", Status.AMENDED),
        "lifafa-2023-03-13": ("中华人民共和国立法法（2023年修正）", Status.AMENDED),
        "lifafa-2026-03-13": ("中华人民共和国立法法（2026年修正）", Status.CURRENT),
    }
    assert [p for p in rules.check(loaded, TODAY) if p.is_error] == []


BANFA_2010 = "# 某某管理办法\n\n2010年5月1日 国务院发布\n\n%%END%%\n\n第一条 为了管理某某，制定本办法。"
BANFA_2020 = "# 某某管理办法\n\n2020年5月1日 国务院发布\n\n%%END%%\n\n第一条 为了加强管理某某，制定本办法。"
BANFA_2020B = BANFA_2020.replace("2020年5月1日", "2020年9月1日")


@pytest.mark.parametrize(
    "texts",
    [
        {"立法法(2015-03-15).md": LIFA_2015, "立法法(2023-03-13).md": LIFA_2023},
        {"某某管理办法(2010-05-01).md": BANFA_2010, "某某管理办法(2020-05-01).md": BANFA_2020},
        {"a(2010-05-01).md": BANFA_2010, "b(2020-05-01).md": BANFA_2020, "c(2020-09-01).md": BANFA_2020B},
        {"立法法(2023-03-13).md": LIFA_2023, "立法法(2023-06-13).md": LIFA_2023.replace("2023年3月13日", "2023年6月13日")},
    ],
)
def test_import_order_does_not_matter(tmp_path: Path, texts: dict[str, str]) -> None:
    """Check that importing versions oldest first or newest first gives the same files, labels
    included, and that importing again then changes nothing."""
    folder = tmp_path / "行政法规"
    sources = [write_source(folder, name, text) for name, text in texts.items()]
    a, b = project(tmp_path / "a"), project(tmp_path / "b")
    for src in sources:
        run(a, src)
    for src in reversed(sources):
        run(b, src)
    files = sorted(p.relative_to(a) for p in (a / "regulations").rglob("*.md"))
    assert files == sorted(p.relative_to(b) for p in (b / "regulations").rglob("*.md"))
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    again = run(b, *sources)
    assert (again.created, again.updated, again.marked) == ([], [], [])
    labels = sorted(str(front(a / f).get("版本")) for f in files)
    assert len(set(labels)) == len(files)  # every version told apart


def test_labels_of_unamended_versions(tmp_path: Path) -> None:
    """Check the labels when no version comes from an amendment: 年版, then the full date on a clash."""
    root = project(tmp_path / "proj")
    folder = tmp_path / "行政法规"
    run(root, write_source(folder, "c(2020-09-01).md", BANFA_2020B))
    run(root, write_source(folder, "b(2020-05-01).md", BANFA_2020))
    run(root, write_source(folder, "a(2010-05-01).md", BANFA_2010))
    got = {str(f.name): (front(f)["版本"], front(f)["时效性"]) for f in (root / "regulations").rglob("*.md")}
    assert got == {
        "moumouguanlibanfa-2020-09-01.md": ("2020年9月1日版", "现行有效"),
        "moumouguanlibanfa-2020-05-01.md": ("2020年5月1日版", "已修改"),
        "moumouguanlibanfa-2010-05-01.md": ("2010年版", "已修改"),
    }


def test_hand_written_version_is_kept_and_linked(tmp_path: Path) -> None:
    """Check that an existing hand-written file of the same version is not duplicated, and an older
    hand-written one is marked 已修改 without losing its comments or body."""
    root = project(tmp_path / "proj")
    hand = root / "regulations/falv/lifa-fa-2015.md"
    hand.parent.mkdir(parents=True)
    hand.write_text(
        "---\nid: lifa-fa-2015\n标题: 中华人民共和国立法法\n制定机关: 全国人民代表大会  # 编辑手填\n效力位阶: 法律\n"
        "时效性: 现行有效\n公布日期: 2015-03-15\n---\n\n手工录入的正文。\n",
        encoding="utf-8",
    )
    folder = tmp_path / "宪法相关法"
    report = run(root, write_source(folder, "立法法(2015-03-15).md", LIFA_2015))
    assert report.skipped and "已有同一版本" in report.problems[0].message and not report.problems[0].is_error
    run(root, write_source(folder, "立法法(2023-03-13).md", LIFA_2023))
    text = hand.read_text(encoding="utf-8")
    assert "# 编辑手填" in text and text.endswith("手工录入的正文。\n")
    data = front(hand)
    assert (data["时效性"], data["现行版本"], data["版本"]) == ("已修改", "lifafa-2023-03-13", "2015年版")


def test_out_folder_must_be_under_regulations(tmp_path: Path) -> None:
    root = project(tmp_path / "proj")
    src = write_source(tmp_path / "宪法相关法", "立法法(2023-03-13).md", LIFA_2023)
    report = run(root, src, out=Path("docs"))
    assert report.problems and "regulations/" in report.problems[0].message
    report = run(root, src, out=Path("regulations/guofang"))
    assert (root / "regulations/guofang/lifafa-2023-03-13.md").exists()


# --- Word files -------------------------------------------------------------------------------


def make_docx(path: Path) -> Path:
    """A Word file as editors download it: title, history paragraphs, headings, articles."""
    from docx import Document

    doc = Document()
    doc.add_heading("中华人民共和国政府信息公开条例", level=1)
    doc.add_paragraph("（2007年4月5日中华人民共和国国务院令第492号公布　根据2019年4月3日中华人民共和国国务院令第711号修订\u3000")
    doc.add_paragraph("２０１９年５月１５日 施行）")
    doc.add_paragraph("目\u3000\u3000录")
    doc.add_paragraph("第一章  总则")
    doc.add_paragraph("第二章 公开的主体和范围")
    doc.add_heading("第一章  总则", level=2)
    doc.add_paragraph("第一条 为了保障公民获取政府信息，制定本条例。")
    doc.add_paragraph("第二章 公开的主体和范围")  # a chapter typed as a plain paragraph
    doc.add_paragraph("第二条 各级人民政府应当加强政府信息公开工作。")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def test_docx_is_imported_like_the_text_layout(tmp_path: Path) -> None:
    """Check that a .docx made here gives the same metadata as the text, with headings and articles."""
    root = project(tmp_path / "proj")
    src = make_docx(tmp_path / "下载" / "政府信息公开条例.docx")
    report = run(root, src, level="行政法规")
    assert report.problems == []
    path = root / "regulations/xingzheng-fagui/zhengfuxinxigongkaitiaoli-2019-04-03.md"
    data = front(path)
    assert data["公布日期"] == dt.date(2019, 4, 3) and data["施行日期"] == dt.date(2019, 5, 15)
    assert data["发文字号"] == "中华人民共和国国务院令第711号" and data["版本"] == "2019年修订"
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == (
        "\n## 第一章 总则\n\n第一条 为了保障公民获取政府信息，制定本条例。\n\n## 第二章 公开的主体和范围\n\n"
        "第二条 各级人民政府应当加强政府信息公开工作。\n"
    )


def test_broken_docx_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path / "proj")
    src = write_source(tmp_path / "下载", "坏文件.docx", b"PK\x03\x04 not really a zip")
    report = run(root, src, level="法律")
    assert len(report.problems) == 1 and "不是有效的 Word" in report.problems[0].message
    assert list((root / "regulations").rglob("*.md")) == []


# --- command line -----------------------------------------------------------------------------


def test_cli_import_reports_per_file_and_fails_on_bad_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check `regbook import`: a line per file when not on a terminal, errors as path:line: 错误: …, exit 1."""
    root = project(tmp_path / "proj")
    good = write_source(tmp_path / "宪法相关法", "立法法(2023-03-13).md", LIFA_2023)
    bad = write_source(tmp_path / "宪法相关法", "坏文件(2023-01-01).md", "没有标题。")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    code = main(["import", "--root", str(root), str(tmp_path / "宪法相关法")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"[2/2] {good}：已新建 regulations/falv/lifafa-2023-03-13.md" in err
    assert f"{bad}:1: 错误: 没有标题" in err
    assert "新建 1 件" in err and "出错 1 件" in err
    code = main(["import", "--root", str(root), str(good)])
    assert code == 0 and "未变 1 件" in capsys.readouterr().err


# --- front matter writing -----------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40), st.dates())
def test_front_matter_round_trips_through_our_reader(value: str, date: dt.date) -> None:
    """Check that any text value (control characters are stripped from sources) and date written
    by the importer reads back unchanged."""
    data = {"id": "a-2020-01-01", "标题": value, "公布日期": date, "修订历史": [{"日期": date, "事件": value}]}
    doc, problems = corpus.frontmatter.read("x.md", importer.render(data, "正文\n").encode("utf-8"))
    assert problems == [] and doc is not None
    assert doc.data == data


# --- the build date -----------------------------------------------------------------------------


def test_import_asks_the_one_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Check that the importer's “today” (尚未生效, 公布日期 not in the future) is --today, else
    REGBOOK_TODAY (regbook.clock), never a date read elsewhere."""
    root = project(tmp_path / "proj")
    text = "# 某某防护条例\n\n2026年6月1日 中华人民共和国国务院令第801号公布\n\n2027年1月1日 施行\n\n%%END%%\n\n第一条 内容。"
    src = write_source(tmp_path / "行政法规", "某某防护条例.md", text)
    path = root / "regulations/xingzheng-fagui/moumoufanghutiaoli-2026-06-01.md"
    monkeypatch.setenv("REGBOOK_TODAY", "2025-01-01")
    report = importer.import_sources(root, [src])
    assert [p.message for p in report.problems] == ["公布日期 2026-06-01 晚于今天，请核对来源"]
    monkeypatch.setenv("REGBOOK_TODAY", "2026-11-28")
    assert importer.import_sources(root, [src]).problems == []
    assert front(path)["时效性"] == Status.PENDING.value
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert main(["import", "--root", str(root), "--today", "2027-03-02", str(src)]) == 0
    assert front(path)["时效性"] == Status.CURRENT.value
    capsys.readouterr()
    assert main(["import", "--root", str(root), "--today", "2027-13-01", str(src)]) == 2
    assert "regbook import --today：“2027-13-01”不是有效日期" in capsys.readouterr().err
