"""Editors' commands (``regbook new``, ``cleanup new``, ``abolish``, ``amend``) on a copy of the
frozen sample content: what they write, what they refuse, and that the result passes
``regbook check`` (and, once, builds)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from regbook import cli, corpus, rules
from regbook.problems import Problem
from tests.conftest import FIXTURE, build_site, copy_project

TODAY = "2026-12-02"
"""The fixture's build date (``tests.conftest.FIXTURE_TODAY``)."""
NORMATIVE = "regulations/xingzheng-guifanxing-wenjian"
RECORD = "2026-guifanxing-wenjian-qingli"
RECORD_PATH = f"docs/cleanup/{RECORD}.md"
KEPT_2023 = "jilin-renfang-jingbao-sheshi-guanli-tongzhi"
"""An office document the 2023 record kept."""
PUFA = "jilin-guodongban-pufa-zeren-qingdan"
XIZE = "jilin-guodongban-xinxi-gongkai-shishi-xize"
LAW_2018, LAW_2024 = "guofang-jiaoyu-fa-2018", "guofang-jiaoyu-fa-2024"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def run(project: Path, capsys: pytest.CaptureFixture[str], *args: str, today: str = TODAY) -> tuple[int, str, str]:
    """``regbook <args> --root <project> --today <today>`` in this process: (status, stdout, stderr)."""
    code = cli.main([*args, "--root", str(project), "--today", today])
    out, err = capsys.readouterr()
    return code, out, err


def problems(project: Path, today: str = TODAY) -> list[Problem]:
    return rules.check(corpus.load(project), dt.date.fromisoformat(today))


def changed(project: Path) -> set[str]:
    """Content files the commands wrote: new, or different from the frozen sample content."""
    out = set()
    for path in [*(project / "regulations").rglob("*.md"), *(project / "docs").rglob("*.md")]:
        rel = path.relative_to(project).as_posix()
        original = FIXTURE / rel
        if not original.is_file() or original.read_bytes() != path.read_bytes():
            out.add(rel)
    return out


def assert_checks(project: Path, today: str = TODAY) -> None:
    """No errors anywhere, and in the files the commands wrote no warning the sample content lacks."""
    written = changed(project)
    before = {(p.path, p.message) for p in problems(FIXTURE, today) if p.is_warning}
    found = [
        p.as_text()
        for p in problems(project, today)
        if p.is_error or (p.is_warning and p.path in written and (p.path, p.message) not in before)
    ]
    assert found == []


def read(project: Path, path: str) -> str:
    return (project / path).read_text(encoding="utf-8")


def front(text: str) -> str:
    """The front matter lines (each ending in a newline), after the opening fence's."""
    return text.split("\n---\n", 1)[0] + "\n"


# --- regbook new ---------------------------------------------------------------------------------

NEW_CASES = {
    "行政规范性文件": (
        [
            "--title", "吉林省国防动员办公室关于加强人民防空工程维护管理的通知",
            "--number", "吉国动办发〔2026〕12号",
            "--written", "2026-11-20",
            "--date", "2026-11-25",
            "--effective", "2027-01-01",
            "--topic", "国防\\人民防空",
        ],
        f"{NORMATIVE}/jilin-guodongban-jiaqiang-renmin-fangkong-gongcheng-tongzhi.md",
        [
            "时效性: 尚未生效",
            "有效期至: 2031-12-31",
            "索引号: 11220000MB1949XXXX/2026-00010",
            "主题分类: '国防\\人民防空'",
        ],
    ),
    "其他规范性文件": (
        ["--title", "关于做好人民防空宣传教育工作的意见", "--issuer", "国家人民防空办公室", "--date", "2026-03-01",
         "--effective", "2026-03-01"],
        "regulations/qita-guifanxing-wenjian/zuohao-renmin-fangkong-xuanchuan-jiaoyu-gongzuo-yijian.md",
        ["制定机关: 国家人民防空办公室", "时效性: 现行有效"],
    ),
    "规章": (
        ["--title", "吉林省人民防空警报设施管理办法", "--number", "吉林省人民政府令第300号", "--date", "2026-03-01",
         "--effective", "2026-05-01"],
        "regulations/guizhang/jilin-renmin-fangkong-jingbao-sheshi-guanli-banfa.md",
        ["制定机关: 吉林省人民政府", "发文字号: 吉林省人民政府令第300号"],
    ),
    "地方性法规": (
        ["--title", "吉林省国防动员条例", "--date", "2026-09-25", "--effective", "2026-12-01"],
        "regulations/difangxing-fagui/jilin-guofang-dongyuan-tiaoli.md",
        ["制定机关: 吉林省人民代表大会常务委员会"],
    ),
    "行政法规": (
        ["--title", "人民防空工程维护管理条例", "--date", "2026-05-01", "--effective", "2026-07-01"],
        "regulations/xingzheng-fagui/renmin-fangkong-gongcheng-weihu-guanli-tiaoli.md",
        ["制定机关: 国务院"],
    ),
    "法律": (
        ["--title", "中华人民共和国国防交通法", "--date", "2026-04-26", "--effective", "2026-09-01"],
        "regulations/falv/guofang-jiaotong-fa.md",
        ["id: guofang-jiaotong-fa", "制定机关: 全国人民代表大会常务委员会"],
    ),
    "公开": (
        ["--title", "吉林省国防动员办公室2026年法治政府建设年度报告", "--column", "法定主动公开内容", "--date", "2026-12-01"],
        "docs/disclosure/fading/2026-fazhi-zhengfu-jianshe-niandu-baogao.md",
        ["索引号: 11220000MB1949XXXX/2026-00010", "栏目: 法定主动公开内容", "发布机构: 吉林省国防动员办公室"],
    ),
}


@pytest.mark.parametrize("kind", list(NEW_CASES))
def test_new_writes_a_file_that_passes_the_check(project: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    """Check that `regbook new <kind>` writes the file in the right folder, with the derived fields,
    prints its path and fields, and that the project still passes `regbook check`."""
    options, path, lines = NEW_CASES[kind]
    code, out, err = run(project, capsys, "new", kind, *options)
    assert code == 0, err
    assert f"新建 {path}：" in out
    text = read(project, path)
    for line in lines:
        assert f"\n{line}\n" in front(text), line
        assert f"    {line}" in out
    assert '!!! warning "待替换"' in text
    assert "导入记录" not in text
    assert "没有问题" in out
    assert_checks(project)


def test_new_annual_report(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that `regbook new 年报` drafts the previous year's report in the form of the latest one
    (its six parts, tables and markers), every figure 0 but the carried-over requests, text to write;
    it passes the check (on time, table 三 balanced, 上年结转 = last year's 结转下年度), twice in a row."""
    code, out, err = run(project, capsys, "new", "年报", "--date", "2025-01-20")
    assert code == 0, err
    path = "docs/disclosure/nianbao/2024-zhengfu-xinxi-gongkai-niandu-baogao.md"
    text = read(project, path)
    assert "标题: 吉林省国防动员办公室2024年政府信息公开工作年度报告" in text
    assert "索引号: 11220000MB1949XXXX/2025-00001" in text
    assert "统计期限为2024年1月1日至12月31日" in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [line for line in read(project, "docs/disclosure/nianbao/2023-zhengfu-xinxi-gongkai-niandu-baogao.md")
                        .splitlines() if line.startswith("## ")]
    assert len(headings) == 6
    body = text.split("\n---\n", 1)[1]
    assert "……" in body and "本年度新收" not in body
    assert_checks(project)
    code, _, err = run(project, capsys, "new", "年报", "--date", "2026-01-15")
    assert code == 0, err
    assert_checks(project)
    code, _, err = run(project, capsys, "new", "年报", "--date", "2026-01-16")
    assert code == 1 and "2025 年的年报已有" in err


def test_new_without_terminal_lists_the_options_to_give(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that missing facts without a terminal are a Chinese error listing the options, and nothing is written."""
    before = sorted(p.name for p in (project / NORMATIVE).iterdir())
    code, out, err = run(project, capsys, "new", "行政规范性文件", "--title", "吉林省国防动员办公室关于某事的通知")
    assert code == 2
    assert "缺少以下信息" in err
    for option in ("--number 发文字号", "--written 成文日期", "--date 公布日期", "--effective 施行日期", "--topic 主题分类"):
        assert option in err
    assert "--title" not in err
    assert sorted(p.name for p in (project / NORMATIVE).iterdir()) == before


def test_new_asks_on_a_terminal(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Check that on a terminal the missing facts are asked one by one, a bad answer asked again."""
    answers = iter(["关于做好防空警报试鸣工作的意见", "吉林省国防动员办公室", "吉国动办发[2026]13号", "吉国动办发〔2026〕13号",
                    "2026年11月20日", "2026-13-01", "2026-11-25", "2026-11-25"])
    asked: list[str] = []

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", answer)
    code, out, err = run(project, capsys, "new", "其他规范性文件")
    assert code == 1, err  # the GB/T 9704 number is checked when drafting: asked again below
    assert "不符合 GB/T 9704" in err and "应写作“吉国动办发〔2026〕13号”" in err
    assert [p.split("（")[0] for p in asked[:3]] == ["标题", "制定机关", "发文字号"]
    answers = iter(["关于做好防空警报试鸣工作的意见", "吉林省国防动员办公室", "吉国动办发〔2026〕13号",
                    "2026年11月20日", "2026-13-01", "2026-11-25", "2026-11-25"])
    asked.clear()
    code, out, err = run(project, capsys, "new", "其他规范性文件")
    assert code == 0, err
    assert [p.split("（")[0] for p in asked] == ["标题", "制定机关", "发文字号", "成文日期", "公布日期", "公布日期", "施行日期"]
    assert "没有 13 月" in err
    assert "索引号: 11220000MB1949XXXX/2026-00010" in out
    assert_checks(project)


def test_new_refusals(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check the Chinese refusals: a taken title, a number of the wrong year, a future 公布日期."""
    code, _, err = run(project, capsys, "new", "法律", "--title", "中华人民共和国人民防空法", "--date", "2026-01-01",
                       "--effective", "2026-01-01")
    assert code == 1 and "regbook amend renmin-fangkong-fa" in err
    base = ["--title", "吉林省国防动员办公室关于某事的通知", "--topic", "国防\\人民防空", "--effective", "2026-12-01"]
    code, _, err = run(project, capsys, "new", "行政规范性文件", *base, "--number", "吉国动办发〔2025〕1号",
                       "--written", "2026-11-20", "--date", "2026-11-25")
    assert code == 1 and "发文字号中的年份 2025 与成文日期的年份 2026 不一致" in err
    code, _, err = run(project, capsys, "new", "行政规范性文件", *base, "--number", "吉国动办发〔2026〕1号",
                       "--written", "2026-11-20", "--date", "2026-12-05")
    assert code == 1 and "公布日期 2026-12-05 晚于今天 2026-12-02" in err
    code, _, err = run(project, capsys, "new", "行政规范性文件", *base, "--number", "吉国动办发〔2026〕9号",
                       "--written", "2026-11-20", "--date", "2026-11-25")
    assert code == 1 and "已用于 regulations/xingzheng-guifanxing-wenjian/jilin-guodongban-zhifa-anjuan-pingcha-banfa.md" in err


def test_new_index_numbers_follow_each_other(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that two new items of one year take consecutive 索引号, regulations and disclosure items alike."""
    run(project, capsys, "new", "公开", "--title", "吉林省国防动员办公室机构职能（2026年）", "--column", "法定主动公开内容",
        "--date", "2026-11-30")
    code, out, err = run(project, capsys, "new", "公开", "--title", "吉林省国防动员办公室政府信息公开指南（2026年修订）",
                         "--column", "指南", "--date", "2026-11-30")
    assert code == 0, err
    assert "索引号: 11220000MB1949XXXX/2026-00011" in out
    assert "docs/disclosure/zhinan/zhengfu-xinxi-gongkai-zhinan-2026-xiuding.md" in out
    assert_checks(project)


# --- regbook cleanup new -------------------------------------------------------------------------


def test_cleanup_new_lists_the_documents_in_force(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check the drafted record: every office 行政规范性文件 in force on the date as 保留 with an empty 理由
    (not the repealed, expired or pending ones), and refusals for the same year or the same date."""
    code, out, err = run(project, capsys, "cleanup", "new", "2026", "--date", "2026-11-30")
    assert code == 0, err
    text = read(project, RECORD_PATH)
    documents = [line.split(": ")[1] for line in text.splitlines() if line.startswith("  - 文件: ")]
    assert documents == [
        KEPT_2023,
        "jilin-guodongban-xinxi-gongkai-shishi-xize",
        PUFA,
        "jilin-guofang-dongyuan-chufa-cailiang-jizhun",
    ]
    assert text.count("    结果: 保留\n    理由: \"\"\n") == 4
    assert "报送备案机关: 吉林省司法厅" in text
    assert "四、本次清理结果将报送吉林省司法厅备案。" in text and "已报送" not in text
    assert "见附件1《继续有效目录》" in text
    assert f"新建 {RECORD_PATH}：" in out
    assert_checks(project)
    code, _, err = run(project, capsys, "cleanup", "new", "2026", "--date", "2026-11-29")
    assert code == 1 and "已存在" in err
    code, _, err = run(project, capsys, "cleanup", "new", "2027", "--date", "2026-11-30")
    assert code == 1 and "公告日期也是 2026-11-30" in err


# --- regbook abolish -----------------------------------------------------------------------------


def test_abolish_by_a_new_record(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check abolish --by a new record: the document gets 时效性, 废止或失效日期 and 依据, the record's decision
    becomes 废止; with --expired 已失效 and 宣布失效; a document not in the record gets a decision appended."""
    run(project, capsys, "cleanup", "new", "2026", "--date", "2026-11-30")
    record_before = read(project, RECORD_PATH)
    code, out, err = run(project, capsys, "abolish", PUFA, "--by", RECORD)
    assert code == 0, err
    doc = read(project, f"{NORMATIVE}/{PUFA}.md")
    assert "时效性: 已废止\n" in doc and "废止或失效日期: 2026-11-30\n依据: 2026-guifanxing-wenjian-qingli\n" in doc
    assert "  - 第  7行 | 时效性: 现行有效" in out and "  + 第  7行 | 时效性: 已废止" in out
    record = read(project, RECORD_PATH)
    assert record == record_before.replace(
        f"文件: {PUFA}\n    结果: 保留", f"文件: {PUFA}\n    结果: 废止"
    )
    code, out, err = run(project, capsys, "abolish", KEPT_2023, "--by", RECORD, "--expired")
    assert code == 0, err
    assert "时效性: 已失效" in read(project, f"{NORMATIVE}/{KEPT_2023}.md")
    assert f"文件: {KEPT_2023}\n    结果: 宣布失效" in read(project, RECORD_PATH)
    # Not listed (not an office document): the decision is added, its 理由 left to fill.
    other = "guanche-junshi-sheshi-baohu-fa-tongzhi"
    code, out, err = run(project, capsys, "abolish", other, "--by", RECORD)
    assert code == 0, err
    assert read(project, RECORD_PATH).endswith(
        f"  - 文件: {other}\n    结果: 废止\n    理由: ''\n---\n" + record.split("\n---\n", 1)[1]
    )
    assert "请填写理由" in out
    assert_checks(project)
    code, _, err = run(project, capsys, "abolish", PUFA, "--by", RECORD)
    assert code == 1 and "已经是“已废止”" in err


def test_abolish_by_an_instrument(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check abolish --by another document: 依据 its id, the date its 施行日期 or --date."""
    path = f"{NORMATIVE}/jilin-guodongban-xinxi-gongkai-shishi-xize.md"
    before = read(project, path)
    code, out, err = run(project, capsys, "abolish", "jilin-guodongban-xinxi-gongkai-shishi-xize", "--by",
                         "jilin-guofang-dongyuan-chufa-cailiang-jizhun")
    assert code == 0, err
    assert read(project, path) == before.replace(
        "时效性: 现行有效", "时效性: 已废止"
    ).replace("施行日期: 2023-04-01\n", "施行日期: 2023-04-01\n废止或失效日期: 2024-05-01\n依据: jilin-guofang-dongyuan-chufa-cailiang-jizhun\n")
    assert "废止或失效日期取 jilin-guofang-dongyuan-chufa-cailiang-jizhun 的施行日期 2024-05-01" in out
    assert_checks(project)
    code, out, err = run(project, capsys, "abolish", PUFA, "--by", "jilin-guofang-dongyuan-chufa-cailiang-jizhun",
                         "--date", "2026-06-01", "--expired")
    assert code == 0, err
    assert "废止或失效日期: 2026-06-01\n" in read(project, f"{NORMATIVE}/{PUFA}.md")
    assert_checks(project)
    code, _, err = run(project, capsys, "abolish", KEPT_2023, "--by", "jilin-guodongban-xinxi-gongkai-shishi-xize",
                       "--date", "2023-11-01")
    assert code == 1 and "晚于该公告日期" in err  # the 2023 record kept it on 2023-11-24
    code, _, err = run(project, capsys, "abolish", KEPT_2023, "--by", "no-such-thing")
    assert code == 1 and "既不是清理记录的 id" in err


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True)


def test_abolish_refuses_to_rewrite_a_published_record(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that a record on the main branch is published: abolish --by it is refused (nothing written),
    while a record new on a branch can still be changed, and the result passes the check with the git guard."""
    _git(project, "init", "-q", "-b", "main")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "content")
    before = read(project, f"{NORMATIVE}/{PUFA}.md")
    code, _, err = run(project, capsys, "abolish", PUFA, "--by", "2023-guifanxing-wenjian-qingli")
    assert code == 1
    assert "已经发布（在 main 的提交" in err and "已公告的清理记录不能改写" in err and "regbook cleanup new" in err
    assert read(project, f"{NORMATIVE}/{PUFA}.md") == before
    _git(project, "checkout", "-qb", "qingli-2026")
    run(project, capsys, "cleanup", "new", "2026", "--date", "2026-11-30")
    code, _, err = run(project, capsys, "abolish", PUFA, "--by", RECORD)
    assert code == 0, err
    code = cli.main(["check", "--root", str(project), "--today", TODAY])
    out, err = capsys.readouterr()
    assert code == 0 and "0 个错误" in err


def test_abolish_in_a_version_chain(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that abolishing the current version of a law ends the work and keeps the chain valid (the
    old version still points to it), and that an old version is refused with the current one's id."""
    code, _, err = run(project, capsys, "abolish", LAW_2018, "--by", "guofang-fa", "--date", "2026-01-01")
    assert code == 1 and f"请对 {LAW_2024} 运行 regbook abolish" in err
    old = read(project, f"regulations/falv/{LAW_2018}.md")
    code, out, err = run(project, capsys, "abolish", LAW_2024, "--by", "guofang-fa", "--date", "2026-01-01")
    assert code == 0, err
    assert read(project, f"regulations/falv/{LAW_2018}.md") == old
    assert "时效性: 已废止" in read(project, f"regulations/falv/{LAW_2024}.md")
    assert_checks(project)


def test_edits_keep_every_other_byte(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that an edit keeps comments, quoting, CRLF line endings and a BOM as they were."""
    path = project / NORMATIVE / f"{PUFA}.md"
    text = path.read_text(encoding="utf-8").replace("主题分类: '综合政务\\普法宣传'", "主题分类: '综合政务\\普法宣传'  # 平台分类")
    text = text.replace("时效性: 现行有效", "时效性: \"现行有效\"")
    path.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    code, _, err = run(project, capsys, "abolish", PUFA, "--by", "jilin-guofang-dongyuan-chufa-cailiang-jizhun",
                       "--date", "2026-06-01")
    assert code == 0, err
    expected = text.replace("时效性: \"现行有效\"", "时效性: \"已废止\"").replace(
        "施行日期: 2023-05-10\n", "施行日期: 2023-05-10\n废止或失效日期: 2026-06-01\n依据: jilin-guofang-dongyuan-chufa-cailiang-jizhun\n"
    )
    assert path.read_bytes() == ("\ufeff" + expected.replace("\n", "\r\n")).encode("utf-8")


# --- regbook amend -------------------------------------------------------------------------------


def test_amend_moves_the_whole_chain(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check amend twice on a law with two versions: each new version is copied with its own id, 版本,
    dates and 修订历史 event, the previous one becomes 已修改, and every older version points to the end."""
    code, out, err = run(project, capsys, "amend", LAW_2024, "--version", "2026年修正", "--date", "2026-06-28",
                         "--number", "中华人民共和国主席令第五十号")
    assert code == 0, err
    new = read(project, "regulations/falv/guofang-jiaoyu-fa-2026.md")
    old_body = read(project, f"regulations/falv/{LAW_2024}.md").split("\n---\n", 1)[1]
    assert front(new).endswith("  - 日期: 2026-06-28\n    事件: 修正\n")
    for line in ("id: guofang-jiaoyu-fa-2026", "版本: 2026年修正", "公布日期: 2026-06-28", "施行日期: 2026-06-28",
                 "时效性: 现行有效", "发文字号: 中华人民共和国主席令第五十号", "标题: 中华人民共和国国防教育法"):
        assert f"\n{line}\n" in new, line
    assert new.split("\n---\n", 1)[1].endswith(old_body.lstrip("\n"))
    assert "\n时效性: 已修改\n现行版本: guofang-jiaoyu-fa-2026\n" in read(project, f"regulations/falv/{LAW_2024}.md")
    assert "现行版本: guofang-jiaoyu-fa-2026\n" in read(project, f"regulations/falv/{LAW_2018}.md")
    assert_checks(project)
    code, out, err = run(project, capsys, "amend", "guofang-jiaoyu-fa-2026", "--version", "2026年修订", "--date",
                         "2026-11-01", "--effective", "2027-01-01", "--id", "guofang-jiaoyu-fa-2026-11-01")
    assert code == 0, err
    assert "时效性: 尚未生效" in read(project, "regulations/falv/guofang-jiaoyu-fa-2026-11-01.md")
    for old in (LAW_2018, LAW_2024, "guofang-jiaoyu-fa-2026"):
        assert "现行版本: guofang-jiaoyu-fa-2026-11-01\n" in read(project, f"regulations/falv/{old}.md"), old
    assert_checks(project)
    code, _, err = run(project, capsys, "amend", LAW_2024, "--version", "2026年再修正", "--date", "2026-11-02")
    assert code == 1 and "现行版本为 guofang-jiaoyu-fa-2026-11-01" in err


def test_amend_an_office_document(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check amend on an office 行政规范性文件: a 发文字号 is required, the new version gets the next 索引号,
    a new 有效期至, and the old one a 版本 label (it had none)."""
    code, _, err = run(project, capsys, "amend", XIZE, "--version", "2026年修订", "--date", "2026-11-25")
    assert code == 1 and "必须有自己的发文字号" in err
    code, out, err = run(project, capsys, "amend", XIZE, "--version", "2026年修订", "--date", "2026-11-25",
                         "--number", "吉国动办发〔2026〕12号", "--effective", "2027-01-01")
    assert code == 0, err
    new = read(project, f"{NORMATIVE}/{XIZE}-2026.md")
    for line in ("索引号: 11220000MB1949XXXX/2026-00010", "有效期至: 2031-12-31", "成文日期: 2026-11-25",
                 "时效性: 尚未生效"):
        assert f"\n{line}\n" in new, line
    assert "版本: 2023年版\n" in read(project, f"{NORMATIVE}/{XIZE}.md")
    assert_checks(project)


# --- one build -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_site_builds_after_the_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that a project changed by every command builds (REGBOOK_BOOK=0) and shows the new statuses."""
    project = copy_project(tmp_path / "project")
    steps = [
        ["new", "行政规范性文件", *NEW_CASES["行政规范性文件"][0]],
        ["new", "公开", *NEW_CASES["公开"][0]],
        ["cleanup", "new", "2026", "--date", "2026-11-30"],
        ["abolish", PUFA, "--by", RECORD],
        ["amend", LAW_2024, "--version", "2026年修正", "--date", "2026-06-28"],
    ]
    for step in steps:
        code, _, err = run(project, capsys, *step)
        assert code == 0, (step, err)
    assert_checks(project)
    done = build_site(project, tmp_path / "site", book=False)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "regulations" / PUFA / "index.html").read_text(encoding="utf-8")
    assert "已废止" in page and RECORD in page
    assert (tmp_path / "site" / "regulations" / "guofang-jiaoyu-fa-2026" / "index.html").is_file()


def test_new_annual_report_without_an_earlier_one(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check that with no report to start from, `regbook new 年报` writes the tables as front matter
    shown at their marker lines (hand-written table markup is refused), and the draft passes the check."""
    for report in (project / "docs/disclosure/nianbao").glob("*.md"):
        report.unlink()
    code, _, err = run(project, capsys, "new", "年报", "--date", "2025-01-20")
    assert code == 0, err
    text = read(project, "docs/disclosure/nianbao/2024-zhengfu-xinxi-gongkai-niandu-baogao.md")
    head = front(text)
    assert "\n表二:\n  行政许可: 0\n" in head and "\n表三:\n" in head and "\n表四:\n" in head
    assert "  （七）总计: [0, 0, 0, 0, 0, 0, 0]" in head
    body = text.split("\n---\n", 1)[1]
    for n in (2, 3, 4):
        assert f"\n<!-- regbook:nianbao-table-{n} -->\n" in body
    assert "| " not in body
    assert_checks(project)
