"""Units of the model and of the page Markdown built from it."""

from __future__ import annotations

import datetime as dt

import pytest

from regbook import pages
from regbook.corpus import Corpus
from regbook.dates import cn_date
from regbook.model import CleanupRecord, Column, Decision, DisclosureItem, Level, Outcome, Regulation, Status


def make(id_: str = "a-fa", **kw: object) -> Regulation:
    fields: dict[str, object] = dict(
        id=id_,
        title="示例法",
        level=Level.LAW,
        status=Status.CURRENT,
        issuer="全国人民代表大会常务委员会",
        published=dt.date(2020, 1, 2),
        path=f"regulations/falv/{id_}.md",
    )
    fields.update(kw)
    return Regulation(**fields)  # type: ignore[arg-type]


def test_levels_are_in_compendium_order() -> None:
    """Check that 效力位阶 ranks follow the order the book prints them in."""
    assert [level.value for level in sorted(Level, key=lambda level: level.rank)] == [
        "法律",
        "行政法规",
        "地方性法规",
        "规章",
        "行政规范性文件",
        "其他规范性文件",
    ]


def test_outcomes_map_to_statuses() -> None:
    assert Outcome.REPEAL.resulting_status is Status.REPEALED
    assert Outcome.DECLARE_EXPIRED.resulting_status is Status.EXPIRED
    assert Outcome.KEEP.resulting_status is None
    assert Status.REPEALED.is_ended and Status.EXPIRED.is_ended and not Status.AMENDED.is_ended


def test_display_title_tells_versions_apart() -> None:
    assert make().display_title == "示例法"
    assert make(version_label="2023年修正").display_title == "示例法（2023年修正）"


def test_url_is_stable_from_id() -> None:
    reg = make("renmin-fangkong-fa")
    assert reg.url == "regulations/renmin-fangkong-fa/"
    assert reg.src_uri == "regulations/renmin-fangkong-fa.md"


@pytest.mark.parametrize(
    ("date", "text"), [(dt.date(2023, 5, 6), "2023年5月6日"), (dt.date(2023, 12, 31), "2023年12月31日"), (None, "")]
)
def test_cn_date_has_no_leading_zeros(date: dt.date | None, text: str) -> None:
    assert cn_date(date) == text


def test_link_is_relative_between_sources() -> None:
    assert pages.link("regulations/a.md", "cleanup/b.md") == "../cleanup/b.md"
    assert pages.link("catalog/index.md", "regulations/a.md") == "../regulations/a.md"


def test_articles_get_anchors_but_references_do_not() -> None:
    body = "第十条 本法所称……\n\n依照本法第十条 的规定\n\n第一百零二条　全角空格之后"
    out = pages.anchor_articles(body)
    assert '<a id="第十条" class="regbook-article"></a>**第十条** 本法' in out
    assert '<a id="第一百零二条"' in out
    assert out.count("<a id=") == 2


def _corpus(*regs: Regulation, cleanups: list[CleanupRecord] | None = None) -> Corpus:
    import pathlib

    return Corpus(pathlib.Path("."), regulations=list(regs), cleanups=cleanups or [])


def test_banner_for_repealed_links_the_cleanup_record() -> None:
    record = CleanupRecord(
        id="qingli-2023",
        title="清理结果的公告",
        announced=dt.date(2023, 11, 24),
        filed_with="吉林省司法厅",
        filed_on=None,
        decisions=[Decision("old", Outcome.REPEAL, "", 5)],
        path="docs/cleanup/qingli-2023.md",
        src_uri="cleanup/qingli-2023.md",
    )
    old = make("old", status=Status.REPEALED, ended=dt.date(2023, 11, 24), basis="qingli-2023")
    text = pages.banner(_corpus(old, cleanups=[record]), old)
    assert text.startswith('!!! danger "已废止"')
    assert "2023年11月24日废止" in text
    assert "[清理结果的公告](../cleanup/qingli-2023.md)" in text


def test_banner_for_amended_links_the_current_version() -> None:
    new = make("new", version_label="2024年修订")
    old = make("old", status=Status.AMENDED, current_version="new")
    text = pages.banner(_corpus(old, new), old)
    assert text.startswith('!!! warning "已修改"')
    assert "[示例法（2024年修订）](new.md)" in text


def test_banner_for_pending_gives_the_date() -> None:
    reg = make(status=Status.PENDING, effective=dt.date(2027, 3, 1))
    assert "将自2027年3月1日起施行" in pages.banner(_corpus(reg), reg)


def test_no_banner_for_current() -> None:
    reg = make()
    assert pages.banner(_corpus(reg), reg) == ""


def test_metadata_block_escapes_values() -> None:
    reg = make(number="<b>吉国动办发〔2023〕5号</b>")
    block = pages.metadata_block(reg)
    assert "&lt;b&gt;吉国动办发〔2023〕5号&lt;/b&gt;" in block
    assert "<dt>时效性</dt>" in block and "regbook-status--current" in block


def test_index_number_breaks_only_after_its_slash() -> None:
    """Check that a 索引号 offers one break point, after the "/", and none inside its numbers."""
    reg = make(index_no="11220000MB1949XXXX/2024-00002")
    block = pages.metadata_block(reg)
    assert (
        '<dd><span class="regbook-nowrap">11220000MB1949XXXX/</span><wbr><span class="regbook-nowrap">2024-00002</span></dd>'
        in block
    )


def test_cleanup_block_lists_the_annexes_as_offices_publish_them() -> None:
    """附件1 继续有效目录 and 附件2 废止（失效）目录, numbered, linked, with 发文字号; hostile values stay text."""
    keep = make("keep", title="保留*办法*", level=Level.NORMATIVE, number="吉人防发〔2019〕1号")
    gone = make("gone", title="废止|办法", level=Level.NORMATIVE, number="吉人防发〔2018〕<b>2</b>号")
    record = CleanupRecord(
        id="qingli-2023",
        title="清理结果的公告",
        announced=dt.date(2023, 11, 24),
        filed_with="吉林省司法厅",
        filed_on=dt.date(2023, 11, 30),
        decisions=[
            Decision("keep", Outcome.KEEP, "", 5),
            Decision("gone", Outcome.REPEAL, "", 8),
            Decision("old", Outcome.DECLARE_EXPIRED, "", 11),
        ],
        path="docs/cleanup/qingli-2023.md",
        src_uri="cleanup/qingli-2023.md",
        notice_no="吉国动办公告<script>〔2023〕3号",
    )
    text = pages.cleanup_block(_corpus(keep, gone, cleanups=[record]), record)
    assert "吉国动办公告&lt;script&gt;〔2023〕3号" in text and "<script>" not in text
    assert text.index("公告编号") < text.index("公告日期")
    annex1 = text.index("**附件1　继续有效目录**")
    annex2 = text.index("**附件2　废止（失效）目录**")
    assert annex1 < annex2 and "修改目录" not in text
    assert text[annex1:annex2].count("\n1. ") == 1
    assert "1. [保留&#42;办法&#42;](../regulations/keep.md)（吉人防发〔2019〕1号）" in text[annex1:annex2]
    annex = text[annex2:]
    assert "1. [废止&#124;办法](../regulations/gone.md)（吉人防发〔2018〕&#60;b&#62;2&#60;&#47;b&#62;号）" in annex
    assert "\n2. old\n" in annex


def test_disclosure_list_is_the_catalog_of_article_12() -> None:
    """索引号 | 名称 | 内容概述 | 生成日期 (成文日期, else 发布日期); hostile values stay text."""

    def item(no: str, written: dt.date | None, summary: str) -> DisclosureItem:
        return DisclosureItem(
            index_no=no,
            title=f"标题|{no}",
            column=Column.STATUTORY,
            publisher="吉林省国防动员办公室",
            published=dt.date(2024, 1, 22),
            path=f"docs/disclosure/fading/{no}.md",
            src_uri=f"disclosure/fading/{no}.md",
            written=written,
            summary=summary,
        )

    import pathlib

    corpus = Corpus(
        pathlib.Path("."),
        disclosures=[item("a", dt.date(2024, 1, 18), "概述<img src=x>|*强调*"), item("b", None, "")],
    )
    text = pages.disclosure_list(corpus, "disclosure/index.md")
    assert "| 索引号 | 名称 | 内容概述 | 生成日期 |" in text
    assert "| a | [标题&#124;a](fading/a.md) | 概述&#60;img src&#61;x&#62;&#124;&#42;强调&#42; | 2024年1月18日 |" in text
    assert "| b | [标题&#124;b](fading/b.md) |  | 2024年1月22日 |" in text
    assert "<img" not in text
