"""Cleanup records as history: decisions apply in the order of the records' dates.

A 2023 record keeps a document, a 2025 record declares it 失效: the later decision holds, the
2023 record stays exactly as published, and the document's page lists both records.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from regbook import corpus, pages, rules
from regbook.cleanup_history import rulings_by_document
from regbook.model import CleanupRecord, Decision, Outcome
from regbook.problems import render
from tests.test_rules_golden import BASE, build_tree

TODAY = dt.date(2025, 6, 1)
RECORD_2023 = "docs/cleanup/2023-qingli.md"
RECORD_2025 = """\
---
id: 2025-qingli
标题: 吉林省国防动员办公室关于2025年行政规范性文件清理结果的公告
公告日期: 2025-03-01
报送备案机关: 吉林省司法厅
决定:
  - 文件: tongzhi-a
    结果: 宣布失效
    理由: 调整对象已消失
---

清理结果见上表。
"""
EXPIRED_BY_2025 = ["时效性: 现行有效", "时效性: 已失效\n废止或失效日期: 2025-03-01\n依据: 2025-qingli"]
TONGZHI = "regulations/xingzheng-guifanxing-wenjian/tongzhi-a.md"


def _record(id_: str, announced: dt.date, *decisions: tuple[str, Outcome]) -> CleanupRecord:
    made = [Decision(doc, outcome, "", line) for line, (doc, outcome) in enumerate(decisions, 8)]
    return CleanupRecord(id_, id_, announced, "吉林省司法厅", None, made, f"docs/cleanup/{id_}.md", f"cleanup/{id_}.md")


def test_rulings_follow_the_records_dates_not_their_order() -> None:
    """Check that decisions are ordered by 公告日期 and the latest one is effective."""
    later = _record("b-2025", dt.date(2025, 3, 1), ("x", Outcome.DECLARE_EXPIRED))
    earlier = _record("a-2023", dt.date(2023, 11, 24), ("x", Outcome.KEEP), ("y", Outcome.KEEP))
    history = rulings_by_document([later, earlier])
    assert [r.record.id for r in history["x"].rulings] == ["a-2023", "b-2025"]
    assert history["x"].effective.outcome is Outcome.DECLARE_EXPIRED
    assert history["x"].ending is not None and history["x"].after_ending == ()
    assert history["y"].effective.outcome is Outcome.KEEP and history["y"].ending is None


def test_nothing_after_an_end_becomes_effective() -> None:
    """Check that a decision after 废止 is listed as after the end, and the end stays effective."""
    repeal = _record("a-2023", dt.date(2023, 11, 24), ("x", Outcome.REPEAL), ("x", Outcome.KEEP))
    keep = _record("b-2025", dt.date(2025, 3, 1), ("x", Outcome.KEEP))
    rulings = rulings_by_document([keep, repeal])["x"]
    assert len(rulings.rulings) == 2  # the duplicate within one record counts once
    assert rulings.effective.record is repeal and rulings.latest.record is keep
    assert [r.record for r in rulings.after_ending] == [keep]


def _project(tmp_path: Path, replace: dict[str, list[list[str]]]) -> Path:
    return build_tree({"files": {"docs/cleanup/2025-qingli.md": RECORD_2025}, "replace": replace}, tmp_path / "p")


def test_a_later_record_ends_what_an_earlier_one_kept(tmp_path: Path) -> None:
    """Check that 2023 保留 then 2025 宣布失效 passes, leaves the 2023 record alone, and both show on the page."""
    root = _project(tmp_path, {TONGZHI: [EXPIRED_BY_2025]})
    loaded = corpus.load(root)
    assert render(rules.check(loaded, TODAY)) == ""
    assert (root / RECORD_2023).read_bytes() == (BASE / RECORD_2023).read_bytes()
    page = pages.regulation_page(loaded, loaded.by_id["tongzhi-a"])
    block = page[page.index('"清理情况"') :]
    first = block.index("2023年11月24日，[吉林省国防动员办公室关于行政规范性文件清理结果的公告](../cleanup/2023-qingli.md)：保留")
    second = block.index("2025年3月1日，[吉林省国防动员办公室关于2025年行政规范性文件清理结果的公告](../cleanup/2025-qingli.md)：宣布失效（调整对象已消失）")
    assert first < second


def test_the_earlier_record_alone_would_still_require_the_keep(tmp_path: Path) -> None:
    """Check that without the 2025 record the same document is an error (the history is what allows it)."""
    root = build_tree({"replace": {TONGZHI: [EXPIRED_BY_2025]}}, tmp_path / "p")
    out = render(rules.check(corpus.load(root), TODAY))
    assert "“依据”“2025-qingli”看起来是 id，但没有这个清理记录或文件" in out


def test_kept_documents_may_end_later_by_instrument_or_expiry(tmp_path: Path) -> None:
    """Check that a document kept in 2023 may expire (有效期届满) or be repealed by a named instrument after that."""
    expired = ["时效性: 现行有效", "时效性: 已失效\n废止或失效日期: 2024-03-21\n依据: 有效期届满"]
    root = build_tree({"replace": {TONGZHI: [expired, ["有效期至: 2027-03-20", "有效期至: 2024-03-20"]]}}, tmp_path / "a")
    assert render(rules.check(corpus.load(root), TODAY)) == ""
    repealed = ["时效性: 现行有效", "时效性: 已废止\n废止或失效日期: 2025-05-10\n依据: xize-c"]
    root = build_tree({"replace": {TONGZHI: [repealed]}}, tmp_path / "b")
    assert render(rules.check(corpus.load(root), TODAY)) == ""


def test_pages_without_cleanup_have_no_block(tmp_path: Path) -> None:
    """Check that a document no record decided on gets no 清理情况 block."""
    loaded = corpus.load(build_tree({}, tmp_path / "p"))
    assert "清理情况" not in pages.regulation_page(loaded, loaded.by_id["renmin-fangkong-fa"])
    assert pages.cleanup_history_block(loaded, loaded.by_id["banfa-b"]).count("\n    - ") == 1
