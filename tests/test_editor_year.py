"""An editor's year, replayed on a copy of the frozen sample content, one commit per step.

Each step is a routine content change an editor makes by pull request (a new 行政规范性文件, a
cleanup record that abolishes one document and declares another 失效 that an earlier record
kept, a new version of a law, the next 年报, a document that takes effect later). After every
step ``regbook check`` passes (the deletion guard compares with ``main``, as on a pull-request
branch), the site builds, and every output shows the same status for the documents the year
touched: the page's metadata block and banner, the catalogs, the print page (the book's
selection: body or appendix) and the search index's metadata.

Then the same content is checked and built on two later dates: time alone turns nothing into
an error, and the outputs show the status that holds on each day.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.conftest import copy_project

pytestmark = pytest.mark.slow

TODAY = "2026-12-01"
RECORD_2025 = "2025-guifanxing-wenjian-qingli"
NEW_DOC = "jilin-guodongban-renfang-gongcheng-weihu-tongzhi"
LATER_DOC = "jilin-guodongban-fangkong-jingbao-shiming-tongzhi"
REPEALED = "jilin-guodongban-pufa-zeren-qingdan"
EXPIRED = "jilin-renfang-jingbao-sheshi-guanli-tongzhi"  # kept by the 2023 record
LAW_OLD, LAW_NEW = "renmin-fangkong-fa", "renmin-fangkong-fa-2025"
PENDING_SAMPLE = "jilin-guodongban-zhifa-anjuan-pingcha-banfa"  # 尚未生效 until 2027-03-01
NORMATIVE = "regulations/xingzheng-guifanxing-wenjian"

NEW_DOC_TEXT = f"""---
id: {NEW_DOC}
标题: 吉林省国防动员办公室关于加强人民防空工程维护管理的通知（示例）
发文字号: 吉国动办发〔2025〕3号
制定机关: 吉林省国防动员办公室
效力位阶: 行政规范性文件
时效性: 现行有效
成文日期: 2025-03-04
公布日期: 2025-03-10
施行日期: 2025-04-10
有效期至: 2030-04-09
索引号: 11220000MB1949XXXX/2025-00003
主题分类: '国防\\人民防空'
---

!!! note "示例文本"

    本页为虚构的示例文件，仅用于测试。

各市（州）国防动员办公室：

一、人民防空工程产权单位应当按照规定做好工程维护管理。

二、本通知自2025年4月10日起施行，有效期五年。
"""

LATER_DOC_TEXT = f"""---
id: {LATER_DOC}
标题: 吉林省国防动员办公室关于规范防空警报试鸣工作的通知（示例）
发文字号: 吉国动办发〔2026〕11号
制定机关: 吉林省国防动员办公室
效力位阶: 行政规范性文件
时效性: 尚未生效
成文日期: 2026-11-20
公布日期: 2026-11-25
施行日期: 2027-01-01
有效期至: 2031-12-31
索引号: 11220000MB1949XXXX/2026-00012
主题分类: '国防\\人民防空'
---

!!! note "示例文本"

    本页为虚构的示例文件，仅用于测试。

一、防空警报试鸣应当提前向社会公告。

二、本通知自2027年1月1日起施行，有效期五年。
"""

RECORD_TEXT = f"""---
id: {RECORD_2025}
标题: 吉林省国防动员办公室关于2025年行政规范性文件清理结果的公告（示例）
公告日期: 2025-11-20
报送备案机关: 吉林省司法厅
报送备案日期: 2025-11-28
决定:
  - 文件: {NEW_DOC}
    结果: 保留
    理由: 继续有效
  - 文件: jilin-guofang-dongyuan-chufa-cailiang-jizhun
    结果: 保留
    理由: 继续有效
  - 文件: {REPEALED}
    结果: 废止
    理由: 已被新的普法责任制度替代
  - 文件: {EXPIRED}
    结果: 宣布失效
    理由: 调整对象已消失
---

本办对现行有效的行政规范性文件进行了清理，现将结果公告如下（示例）。
"""


def _run(project: Path, *args: str, today: str = TODAY) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REGBOOK_BOOK": "0", "REGBOOK_TODAY": today}
    return subprocess.run(
        [sys.executable, "-m", "regbook.cli", *args, "--root", str(project)],
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
    )


def _git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=编辑", "-c", "user.email=editor@example.invalid", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


def _edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _end(project: Path, doc: str, status: str, date: str) -> None:
    _edit(project, f"{NORMATIVE}/{doc}.md", "时效性: 现行有效\n", f"时效性: {status}\n废止或失效日期: {date}\n依据: {RECORD_2025}\n")


# --- the steps ----------------------------------------------------------------------------------


def step_new_document(project: Path) -> None:
    (project / NORMATIVE / f"{NEW_DOC}.md").write_text(NEW_DOC_TEXT, encoding="utf-8")


def step_cleanup_2025(project: Path) -> None:
    (project / "docs/cleanup" / f"{RECORD_2025}.md").write_text(RECORD_TEXT, encoding="utf-8")
    _end(project, REPEALED, "已废止", "2025-11-20")
    _end(project, EXPIRED, "已失效", "2025-11-20")


def step_new_law_version(project: Path) -> None:
    old = project / "regulations/falv" / f"{LAW_OLD}.md"
    text = old.read_text(encoding="utf-8")
    new = (
        text.replace(f"id: {LAW_OLD}\n", f"id: {LAW_NEW}\n")
        .replace("发文字号: 中华人民共和国主席令第十八号", "发文字号: 中华人民共和国主席令第九十九号")
        .replace("公布日期: 2009-08-27", "公布日期: 2025-06-27")
        .replace("施行日期: 2009-08-27", "施行日期: 2025-06-27")
        .replace("版本: 2009年修正", "版本: 2025年修正（测试虚构）")
        .replace(
            "    机关: 第十一届全国人民代表大会常务委员会第十次会议\n---",
            "    机关: 第十一届全国人民代表大会常务委员会第十次会议\n"
            "  - 日期: 2025-06-27\n    事件: 修正（测试虚构）\n---",
        )
    )
    assert new.count("2025-06-27") == 3, "the sample's 人民防空法 changed: adapt this step"
    (old.parent / f"{LAW_NEW}.md").write_text(new, encoding="utf-8")
    _edit(project, f"regulations/falv/{LAW_OLD}.md", "时效性: 现行有效\n", f"时效性: 已修改\n现行版本: {LAW_NEW}\n")


def step_annual_report_2024(project: Path) -> None:
    folder = project / "docs/disclosure/nianbao"
    text = (folder / "2023-zhengfu-xinxi-gongkai-niandu-baogao.md").read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    head = (
        head.replace("11220000MB1949XXXX/2024-00002", "11220000MB1949XXXX/2025-00001")
        .replace("2023年政府信息公开工作年度报告", "2024年政府信息公开工作年度报告")
        .replace("成文日期: 2024-01-18", "成文日期: 2025-01-16")
        .replace("发布日期: 2024-01-22", "发布日期: 2025-01-20")
    )
    carried = (  # 2023's 四、结转下年度 is 2024's 二、上年结转 (checked across years); 一 + 二 = （七） + 四
        ("二、上年结转政府信息公开申请数量: [0, 0, 0, 0, 0, 0, 0]", "二、上年结转政府信息公开申请数量: [1, 0, 0, 0, 0, 0, 1]"),
        ("（一）予以公开: [1, 1, 0, 0, 0, 0, 2]", "（一）予以公开: [2, 1, 0, 0, 0, 0, 3]"),
        ("（七）总计: [2, 1, 0, 0, 0, 0, 3]", "（七）总计: [3, 1, 0, 0, 0, 0, 4]"),
    )
    for old, new in carried:
        assert old in head, "the sample's 2023 年报 changed: adapt this step"
        head = head.replace(old, new)
    assert "2025-00001" in head and "2025-01-20" in head, "the sample's 2023 年报 changed: adapt this step"
    body = body.replace("2023年", "2024年").replace("，完成省级行政规范性文件清理，保留1件、废止1件", "")  # no cleanup in 2024
    (folder / "2024-zhengfu-xinxi-gongkai-niandu-baogao.md").write_text(head + sep + body, encoding="utf-8")


def step_later_document(project: Path) -> None:
    (project / NORMATIVE / f"{LATER_DOC}.md").write_text(LATER_DOC_TEXT, encoding="utf-8")


STEPS = [
    ("新增行政规范性文件", step_new_document, {NEW_DOC: "现行有效"}),
    ("2025年清理：保留、废止、宣布失效", step_cleanup_2025, {REPEALED: "已废止", EXPIRED: "已失效"}),
    ("法律新版本", step_new_law_version, {LAW_OLD: "已修改", LAW_NEW: "现行有效"}),
    ("2024年年报", step_annual_report_2024, {}),
    ("将来施行的文件", step_later_document, {LATER_DOC: "尚未生效", PENDING_SAMPLE: "尚未生效"}),
]


# --- reading the outputs -------------------------------------------------------------------------


def _page(site: Path, rel: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((site / rel / "index.html").read_text(encoding="utf-8"))


def _shown_on_page(site: Path, doc: str) -> str:
    """The 时效性 value in the page's metadata block."""
    page = _page(site, f"regulations/{doc}")
    values = page.xpath('//dl[contains(@class, "regbook-meta")]//div[dt="时效性"]/dd')
    assert len(values) == 1, f"{doc}: no 时效性 in the metadata block"
    return " ".join(values[0].text_content().split())


def _banner(site: Path, doc: str) -> str:
    page = _page(site, f"regulations/{doc}")
    banners = page.xpath('//div[contains(@class, "admonition")][contains(@class, "danger") or contains(@class, "warning") '
                         'or contains(@class, "info")]')  # the status banners; a body's own notes are "note"
    return " ".join(" ".join(a.text_content().split()) for a in banners)


def _catalog_ids(site: Path, rel: str) -> set[str]:
    page = _page(site, rel)
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in page.xpath("//article//a/@href") if "regulations/" in href}


def _search_status(site: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for shard in sorted((site / "search/regbook").glob("m*.bin")):
        for url, _title, _number, status in json.loads(gzip.decompress(shard.read_bytes())):
            if url.startswith("regulations/"):
                out[url.rstrip("/").rsplit("/", 1)[-1]] = status
    return out


def _print_page(site: Path) -> tuple[set[str], set[str]]:
    """The titles of the documents the print page prints, and the titles its appendix lists."""
    page = _page(site, "print_page")
    printed = {" ".join(h.text_content().split()) for h in page.xpath('//section[contains(@class, "group")]//h2[@class="doc-title"]')}
    listed = {" ".join(td.text_content().split()) for td in page.xpath('//section[contains(@class, "appendix")]//tbody/tr/td[2]')}
    return printed, listed


def _title(project: Path, doc: str) -> str:
    from regbook import corpus

    reg = corpus.load(project).regulation(doc)
    assert reg is not None, doc
    return reg.display_title


def assert_outputs_agree(project: Path, site: Path, expected: dict[str, str]) -> None:
    """Every output shows ``expected[doc]`` (a status label, optionally with a reason) for each doc."""
    current = _catalog_ids(site, "catalog/current")
    ended = _catalog_ids(site, "catalog/repealed")
    everything = _catalog_ids(site, "catalog")
    search = _search_status(site)
    body, appendix = _print_page(site)
    for doc, label in expected.items():
        status = label.split("（")[0]
        shown = _shown_on_page(site, doc)
        assert shown.startswith(status), f"{doc}: page shows {shown!r}, expected {label!r}"
        if "（" in label:
            assert label.split("（")[1].rstrip("）") in shown + _banner(site, doc), f"{doc}: reason missing"
        assert doc in everything, f"{doc}: not in the full catalog"
        assert (doc in current) == (status == "现行有效"), f"{doc}: current catalog disagrees ({status})"
        assert (doc in ended) == (status in ("已废止", "已失效")), f"{doc}: ended catalog disagrees ({status})"
        assert search.get(doc, "").startswith(status), f"{doc}: search says {search.get(doc)!r}, expected {status}"
        title = _title(project, doc)
        in_body, in_appendix = title in body, title in appendix  # exact titles: the 依据 column names others
        if status in ("现行有效", "尚未生效"):
            assert in_body and not in_appendix, f"{doc}: should be printed in the book's body"
        else:
            assert in_appendix and not in_body, f"{doc}: should be listed in the book's appendix only"
        banner = _banner(site, doc)
        if status == "已废止":
            assert "废止" in banner, f"{doc}: no 已废止 banner"
        elif status == "已失效":
            assert "失效" in banner, f"{doc}: no 已失效 banner"
        elif status == "已修改":
            assert "现行版本" in banner, f"{doc}: the 已修改 banner names no current version"
        elif status == "尚未生效":
            assert "尚未生效" in banner, f"{doc}: no 尚未生效 banner"
        else:
            assert not any(w in banner for w in ("已废止", "已失效", "已修改", "尚未生效")), f"{doc}: stale banner {banner!r}"


def _check_and_build(project: Path, tmp: Path, name: str, today: str = TODAY) -> tuple[str, Path]:
    check = _run(project, "check", today=today)
    assert check.returncode == 0, f"{name}: regbook check failed\n{check.stdout}\n{check.stderr}"
    site = tmp / f"site-{name}"
    build = _run(project, "build", "--site-dir", str(site), today=today)
    assert build.returncode == 0, f"{name}: regbook build failed\n{build.stderr[-3000:]}"
    return check.stdout + check.stderr, site


def test_an_editors_year(tmp_path: Path) -> None:
    """Check that each routine step passes check and build, and that all outputs agree on the statuses."""
    project = copy_project(tmp_path / "project")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "sample")
    _git(project, "checkout", "-q", "-b", "editor-2025")
    expected: dict[str, str] = {}
    for i, (name, step, statuses) in enumerate(STEPS, 1):
        step(project)
        _git(project, "add", "-A")
        _git(project, "commit", "-q", "-m", name)
        expected.update(statuses)
        _, site = _check_and_build(project, tmp_path, f"step{i}")
        assert_outputs_agree(project, site, expected)
        if name.startswith("2025年清理"):
            page = _page(site, f"regulations/{EXPIRED}").text_content()
            for title in ("吉林省国防动员办公室关于行政规范性文件清理结果的公告", "关于2025年行政规范性文件清理结果的公告"):
                assert title in page, f"the page lists every record that decided on the document: {title}"
    assert "2024年政府信息公开工作年度报告" in _page(site, "disclosure").text_content()

    # Time moves on, nobody edits: warnings only, and every output shows the status of that day.
    out, site = _check_and_build(project, tmp_path, "2027", today="2027-03-02")
    assert ": 错误:" not in out, out
    for doc in (LATER_DOC, PENDING_SAMPLE):
        assert f"{doc}.md" in out, f"no warning for {doc} on 2027-03-02:\n{out}"
        expected[doc] = "现行有效"
    assert_outputs_agree(project, site, expected)

    out, site = _check_and_build(project, tmp_path, "2031", today="2031-01-01")
    assert ": 错误:" not in out, out
    for doc in (NEW_DOC, "jilin-guofang-dongyuan-chufa-cailiang-jizhun", "jilin-guodongban-xinxi-gongkai-shishi-xize"):
        assert f"{doc}.md" in out, f"no warning for {doc} on 2031-01-01:\n{out}"
        expected[doc] = "已失效（有效期届满）"
    assert_outputs_agree(project, site, expected)
