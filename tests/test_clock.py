"""One clock: time never turns into an error, and every output shows the status of the build date.

The frozen sample has a 尚未生效 document (施行日期 2027-03-01) and 行政规范性文件 with 有效期至
(the earliest 2027-08-21). Checked and built on 2027-03-02 and 2031-01-01 (``--today`` and
``REGBOOK_TODAY``): both succeed with warnings naming file, line and edit, and the page banner,
the metadata badge, the catalogs, the search index's metadata, the print page and the book's
selection all show the status of that day. No test reads the system clock.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from regbook import clock, pages, rules
from regbook import corpus as corpus_mod
from regbook.book.selection import select
from regbook.corpus import Corpus
from regbook.model import Regulation, Status
from regbook.status import Shown, status_on
from tests.conftest import FIXTURE, copy_project

PENDING = "jilin-guodongban-zhifa-anjuan-pingcha-banfa"  # 尚未生效, 施行日期 2027-03-01, 有效期至 2032-02-29
EXPIRING = "jilin-renfang-jingbao-sheshi-guanli-tongzhi"  # 现行有效, 有效期至 2027-08-21
SPRING, LATER = dt.date(2027, 3, 2), dt.date(2031, 1, 1)
EDITION = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def sample() -> Corpus:
    return corpus_mod.load(FIXTURE)


def _reg(sample: Corpus, reg_id: str) -> Regulation:
    reg = sample.regulation(reg_id)
    assert reg is not None, reg_id
    return reg


# --- the clock ----------------------------------------------------------------------------------


def test_clock_takes_option_then_environment() -> None:
    """Check that --today wins over REGBOOK_TODAY, which wins over the system clock."""
    env = {clock.ENV: "2031-01-01"}
    assert clock.resolve("2027-03-02", env) == SPRING
    assert clock.resolve(None, env) == LATER
    assert clock.today(env) == LATER
    assert clock.today({clock.ENV: " 2027-03-02 "}) == SPRING


@pytest.mark.parametrize("text", ["2027-02-30", "20270302", "2027/03/02", "明天", "2027-3-2"])
def test_bad_dates_are_refused_in_chinese(text: str) -> None:
    """Check that a value that is not a YYYY-MM-DD calendar date raises a Chinese message naming its source."""
    with pytest.raises(clock.ClockError, match=f"--today：“{re.escape(text)}”不是有效日期，应写作 YYYY-MM-DD"):
        clock.resolve(text, {})
    with pytest.raises(clock.ClockError, match=f"环境变量 REGBOOK_TODAY：“{re.escape(text)}”"):
        clock.today({clock.ENV: text})


def test_epoch_date_is_beijing() -> None:
    """Check that 2023-12-31 17:00 UTC is already 2024-01-01 in Beijing."""
    epoch = int(dt.datetime(2023, 12, 31, 17, tzinfo=dt.timezone.utc).timestamp())
    assert clock.date_of_epoch(epoch) == dt.date(2024, 1, 1)


# --- the one status function --------------------------------------------------------------------


def test_status_on_follows_the_date(sample: Corpus) -> None:
    """Check 尚未生效 → 现行有效 on its 施行日期, and 现行有效 → 已失效 the day after 有效期至."""
    pending, expiring = _reg(sample, PENDING), _reg(sample, EXPIRING)
    assert status_on(pending, dt.date(2027, 2, 28)).status is Status.PENDING
    assert status_on(pending, dt.date(2027, 3, 1)) == Shown(Status.CURRENT, "施行日期已到", dt.date(2027, 3, 1))
    assert status_on(pending, dt.date(2032, 3, 1)) == Shown(Status.EXPIRED, "有效期届满", dt.date(2032, 3, 1))
    assert status_on(expiring, dt.date(2027, 8, 21)).status is Status.CURRENT  # the last day still counts
    assert status_on(expiring, dt.date(2027, 8, 22)) == Shown(Status.EXPIRED, "有效期届满", dt.date(2027, 8, 22))
    assert status_on(pending, None).status is Status.PENDING  # no date: as written


def test_written_ended_statuses_never_change(sample: Corpus) -> None:
    """Check that 已废止, 已失效 and 已修改 documents show what the editor wrote on any date."""
    for reg in sample.regulations:
        if reg.status in (Status.REPEALED, Status.EXPIRED, Status.AMENDED):
            assert status_on(reg, LATER).status is reg.status and not status_on(reg, LATER).by_date


# --- the checker: warnings with the exact edit, never errors ------------------------------------


@pytest.mark.parametrize("today", [SPRING, LATER])
def test_time_gives_warnings_not_errors(sample: Corpus, today: dt.date) -> None:
    """Check that the sample on a later date has warnings (file, line, edit) and no error."""
    found = rules.check(sample, today)
    assert not [p for p in found if p.is_error], [p.as_text() for p in found]
    texts = [p.as_text() for p in found if p.is_warning]
    pending = _reg(sample, PENDING)
    line = pending.line_of("时效性")
    assert f"{pending.path}:{line}: 警告: 施行日期 2027-03-01（2027年3月1日）已到，网站和汇编已按“现行有效”显示：" in "\n".join(texts)
    assert any(t.startswith(f"{pending.path}:{line}:") and f"请把第 {line} 行“时效性: 尚未生效”改为“时效性: 现行有效”" in t for t in texts)
    expiring = _reg(sample, EXPIRING)
    expired_warning = [t for t in texts if t.startswith(f"{expiring.path}:{expiring.line_of('时效性')}:")]
    if today == LATER:
        assert expired_warning and (
            f"请把第 {expiring.line_of('时效性')} 行“时效性: 现行有效”改为“时效性: 已失效”，"
            "并加上“废止或失效日期: 2027-08-22”和“依据: 有效期届满”" in expired_warning[0]
        )
    else:
        assert not expired_warning


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_doing_what_the_warnings_say_makes_the_check_clean(tmp_path: Path) -> None:
    """Check that the edits the warnings name, done literally, leave no warning on that date."""
    project = copy_project(tmp_path / "project")
    loaded = corpus_mod.load(project)
    pending, expiring = _reg(loaded, PENDING), _reg(loaded, EXPIRING)
    _edit(project / pending.path, "时效性: 尚未生效", "时效性: 现行有效")
    _edit(project / expiring.path, "时效性: 现行有效", "时效性: 已失效\n废止或失效日期: 2027-08-22\n依据: 有效期届满")
    found = rules.check(corpus_mod.load(project), dt.date(2027, 8, 22))
    left = [p.as_text() for p in found if p.is_error or p.is_warning]
    # The frozen sample predates issue 12: its 清单, 评查办法 and 国动委联合办 notice stay filed as
    # 行政规范性文件, with warnings (rules.classification) that no date changes.
    assert [t for t in left if "国办发〔2018〕37号" not in t] == [], left


def test_editor_mistakes_about_dates_stay_errors(tmp_path: Path) -> None:
    """Check that a 现行有效 document with a future 施行日期 is still an error (not time: a mistake)."""
    project = copy_project(tmp_path / "project")
    pending = _reg(corpus_mod.load(project), PENDING)
    _edit(project / pending.path, "时效性: 尚未生效", "时效性: 现行有效")
    errors = [p for p in rules.check(corpus_mod.load(project), dt.date(2027, 2, 1)) if p.is_error]
    assert [p.line for p in errors] == [pending.line_of("施行日期")] and "未到施行日期" in errors[0].message


# --- the book's selection (domain level) --------------------------------------------------------


def test_book_selection_on_the_build_date(sample: Corpus) -> None:
    """Check body vs appendix on both dates: 尚未生效 printed as in force, 有效期届满 in the appendix."""
    before = select(sample, EDITION, dt.date(2027, 2, 1))
    entry = next(e for e in before.entries if e.id == PENDING)
    assert entry.pending and entry.pending_note == "尚未生效，自2027年3月1日起施行"

    spring = select(sample, EDITION, SPRING)
    entry = next(e for e in spring.entries if e.id == PENDING)
    assert not entry.pending and entry.pending_note == ""
    assert EXPIRING in {e.id for e in spring.entries}

    later = select(sample, EDITION, LATER)
    assert PENDING in {e.id for e in later.entries}
    assert EXPIRING not in {e.id for e in later.entries}
    row = next(r for r in later.appendix if r.regulation.id == EXPIRING)
    assert (row.status_text, row.date, row.basis) == ("已失效", dt.date(2027, 8, 22), "有效期届满")
    body_ids = {e.id for e in later.entries}
    assert all(status_on(r, LATER).status in (Status.CURRENT, Status.PENDING) for r in sample.regulations if r.id in body_ids)


def test_book_edition_is_the_build_date(sample: Corpus) -> None:
    """Check that the cover's 「截至」 date is the day whose statuses the book prints, not the commit's."""
    from regbook.book import pdf

    epoch = str(int(dt.datetime(2026, 12, 2, 12, tzinfo=clock.BEIJING).timestamp()))
    assert pdf.plan(sample, epoch, today=LATER).edition == LATER
    assert pdf.plan(sample, epoch).edition == dt.date(2026, 12, 2)  # no build date: the commit's


def test_pages_show_the_status_of_the_day(sample: Corpus) -> None:
    """Check the page's front matter (search), banner and badge for both documents on both dates."""
    pending, expiring = _reg(sample, PENDING), _reg(sample, EXPIRING)
    before = pages.regulation_page(sample, pending, today=dt.date(2027, 2, 1))
    assert '"regbook_status": "尚未生效"' in before and '!!! info "尚未生效"' in before
    spring = pages.regulation_page(sample, pending, today=SPRING)
    assert '"regbook_status": "现行有效"' in spring and "!!!" not in spring.split("<dl")[0]
    assert "regbook-status--current" in spring
    later = pages.regulation_page(sample, expiring, today=LATER)
    assert '"regbook_status": "已失效"' in later and "regbook-status--expired" in later
    assert '!!! danger "已失效"' in later
    assert "本文件有效期至 2027年8月21日，已于 2027年8月22日失效（有效期届满）" in later


# --- the built site on both dates -----------------------------------------------------------------


def _build(project: Path, site: Path, today: dt.date, how: str) -> subprocess.CompletedProcess[str]:
    """``regbook build`` without the PDF, the date given as ``--today`` or as ``REGBOOK_TODAY``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REGBOOK_BOOK": "0"}
    env.pop(clock.ENV, None)
    args = [sys.executable, "-m", "regbook.cli", "build", "--root", str(project), "--site-dir", str(site)]
    if how == "option":
        args += ["--today", today.isoformat()]
    else:
        env[clock.ENV] = today.isoformat()
    return subprocess.run(args, capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[dt.date, tuple[Path, str]]:
    """The sample built on 2027-03-02 (``--today``) and on 2031-01-01 (``REGBOOK_TODAY``)."""
    base = tmp_path_factory.mktemp("clock")
    project = copy_project(base / "project")
    built = {}
    for today, how in ((SPRING, "option"), (LATER, "environment")):
        site = base / f"site-{today.isoformat()}"
        result = _build(project, site, today, how)
        assert result.returncode == 0, result.stderr
        built[today] = (site, result.stderr)
    return built


def _html(site: Path, url: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / url / "index.html").read_bytes())


def _badge(site: Path, reg_id: str) -> str:
    doc = _html(site, f"regulations/{reg_id}/")
    return "".join(doc.xpath('//dl[@class="regbook-meta"]//span[contains(@class, "regbook-status")]/text()'))


def _catalog_ids(site: Path, url: str) -> dict[str, str]:
    """Document id → the status badge in that catalog's tables."""
    out = {}
    for row in _html(site, url).cssselect(".regbook-catalog tbody tr"):
        href = row.cssselect("a[href]")[0].get("href").rstrip("/")
        out[href.rsplit("/", 1)[-1]] = row.cssselect(".regbook-status")[0].text_content()
    return out


def _search_status(site: Path) -> dict[str, str]:
    """Page URL → the status in the search index's metadata."""
    folder = site / "search" / "regbook"
    head = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    rows = [row for k in range(head["metaShards"]) for row in json.loads(gzip.decompress((folder / f"m{k}.bin").read_bytes()))]
    return {row[0]: row[3] for row in rows}


def _print_sections(site: Path) -> tuple[set[str], list[list[str]]]:
    """The print page's document anchors (the book's body) and its appendix table's rows."""
    doc = _html(site, "print_page/")
    body = {a.get("id").removeprefix("doc-") for a in doc.cssselect("article.doc[id]")}
    rows = [[td.text_content() for td in tr.cssselect("td")] for tr in doc.cssselect("section.appendix tbody tr")]
    return body, rows


@pytest.mark.slow
def test_build_succeeds_with_warnings_on_later_dates(sample: Corpus, sites: dict[dt.date, tuple[Path, str]]) -> None:
    """Check that both builds passed (exit 0) and said why, with file:line and the edit."""
    spring_log, later_log = sites[SPRING][1], sites[LATER][1]
    pending, expiring = _reg(sample, PENDING), _reg(sample, EXPIRING)
    line = pending.line_of("时效性")
    assert f"{pending.path}:{line}: 警告: 施行日期 2027-03-01（2027年3月1日）已到" in spring_log
    assert f"请把第 {line} 行“时效性: 尚未生效”改为“时效性: 现行有效”" in spring_log
    assert f"{expiring.path}:{expiring.line_of('时效性')}: 警告: 有效期已于 2027-08-21（2027年8月21日）届满" in later_log
    assert "错误" not in spring_log + later_log


@pytest.mark.slow
def test_built_site_shows_the_status_of_the_build_date(sample: Corpus, sites: dict[dt.date, tuple[Path, str]]) -> None:
    """Check banner, badge, catalogs, search metadata and print page agree on each date."""
    spring, later = sites[SPRING][0], sites[LATER][0]
    # 2027-03-02: the 尚未生效 document is in force everywhere.
    assert _badge(spring, PENDING) == "现行有效"
    titles = [t.text_content().strip() for t in _html(spring, f"regulations/{PENDING}/").cssselect(".admonition-title")]
    assert "尚未生效" not in titles  # no banner (the sample's own 示例文本 note stays)
    assert _catalog_ids(spring, "catalog/current/")[PENDING] == "现行有效"
    assert _catalog_ids(spring, "catalog/")[PENDING] == "现行有效"
    assert _search_status(spring)[f"regulations/{PENDING}/"] == "现行有效"
    body, _ = _print_sections(spring)
    assert {PENDING, EXPIRING} <= body
    assert not _html(spring, "print_page/").cssselect(f"#doc-{PENDING} .doc-pending")
    # 2031-01-01: the document past its 有效期至 is 已失效 everywhere, with the reason and date.
    assert _badge(later, EXPIRING) == "已失效"
    danger = _html(later, f"regulations/{EXPIRING}/").cssselect(".admonition.danger")
    assert danger and "有效期至 2027年8月21日，已于 2027年8月22日失效（有效期届满）" in danger[0].text_content()
    assert EXPIRING not in _catalog_ids(later, "catalog/current/")
    assert _catalog_ids(later, "catalog/repealed/")[EXPIRING] == "已失效"
    assert _catalog_ids(later, "catalog/")[EXPIRING] == "已失效"
    assert _search_status(later)[f"regulations/{EXPIRING}/"] == "已失效"
    body, appendix = _print_sections(later)
    assert EXPIRING not in body and PENDING in body
    expiring = _reg(sample, EXPIRING)
    assert [row[2:] for row in appendix if row[1] == expiring.display_title] == [
        [expiring.number or "", "已失效", "2027年8月22日", "有效期届满"]
    ]
