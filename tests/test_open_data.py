"""Open data (``regbook.opendata``): the catalog and the disclosure items as JSON and CSV in the built
site (the frozen sample, built once with the book: the PDF field needs it), validated against the
published JSON Schema, one CSV row per document, every field documented on ``data/``."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import html as lxml_html

from regbook import corpus as corpus_mod
from regbook import opendata
from regbook.book import site as book_site
from regbook.model import Status
from regbook.status import status_on
from tests.conftest import FIXTURE, FIXTURE_TODAY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus() -> corpus_mod.Corpus:
    return corpus_mod.load(FIXTURE)


def _json(site: Path, name: str) -> Any:
    return json.loads((site / name).read_text(encoding="utf-8"))


def _csv_rows(site: Path, name: str) -> tuple[bytes, list[dict[str, str]]]:
    raw = (site / name).read_bytes()
    with open(site / name, encoding="utf-8-sig", newline="") as fh:
        return raw, list(csv.DictReader(fh))


def _page_exists(site: Path, address: str) -> bool:
    """A root-relative page address (``regulations/x/``) is a built page."""
    return (site / address / "index.html").is_file() if address.endswith("/") else (site / address).is_file()


@pytest.mark.parametrize(
    ("data", "schema", "key"),
    [
        (opendata.CATALOG_JSON, opendata.CATALOG_SCHEMA, "id"),
        (opendata.DISCLOSURE_JSON, opendata.DISCLOSURE_SCHEMA, "索引号"),
    ],
)
def test_json_validates_against_its_published_schema(sample_site: Path, data: str, schema: str, key: str) -> None:
    document, rules = _json(sample_site, data), _json(sample_site, schema)
    jsonschema.Draft202012Validator.check_schema(rules)
    validator = jsonschema.Draft202012Validator(rules)
    assert list(validator.iter_errors(document)) == []
    assert document["数据日期"] == FIXTURE_TODAY.isoformat()
    assert document["记录数"] == len(document["记录"]) > 0
    # The schema is not a formality: a wrong date, a missing field and an unknown one are refused.
    record = dict(document["记录"][0])
    for broken in (
        {**record, "数据日期": "2026年12月2日"},
        {k: v for k, v in record.items() if k != key},
        {**record, "备注": ""},
    ):
        assert not validator.is_valid({**document, "记录": [broken]})


def test_catalog_has_every_document_with_its_status_on_the_build_date(sample_site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    records = _json(sample_site, opendata.CATALOG_JSON)["记录"]
    by_id = {r["id"]: r for r in records}
    assert sorted(by_id) == sorted(r.id for r in corpus.regulations) and len(records) == len(by_id)
    for reg in corpus.regulations:
        record, shown = by_id[reg.id], status_on(reg, FIXTURE_TODAY)
        assert list(record) == [f.name for f in opendata.CATALOG_FIELDS]
        assert record["标题"] == reg.title and record["效力位阶"] == reg.level.value
        assert record["时效性"] == reg.status.value and record["公布日期"] == reg.published.isoformat()
        assert record["当前时效性"] == shown.status.value and record["当前时效性说明"] == shown.reason
        assert all(isinstance(v, str) for k, v in record.items() if k != "修订历史")
        assert [e["日期"] for e in record["修订历史"]] == [e.date.isoformat() for e in reg.history]
        assert _page_exists(sample_site, record["网页"]), record["网页"]
        if record["依据网页"]:
            assert _page_exists(sample_site, record["依据网页"]), record["依据网页"]
    # Only documents in force (or about to be) are in the book and have a PDF of their own, and it is there.
    for record in records:
        if record["当前时效性"] not in (Status.CURRENT.value, Status.PENDING.value):
            assert record["PDF"] == ""
        else:
            assert record["PDF"] == book_site.document_pdf(record["id"])
            assert (sample_site / record["PDF"]).read_bytes().startswith(b"%PDF-")
    repealed = by_id["jilin-renfang-chufa-cailiang-jizhun-shixing"]
    assert repealed["依据"] == "2023-guifanxing-wenjian-qingli"
    assert repealed["依据网页"] == "cleanup/2023-guifanxing-wenjian-qingli/"


def test_csv_opens_with_one_row_per_document_and_a_bom(sample_site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    raw, rows = _csv_rows(sample_site, opendata.CATALOG_CSV)
    assert raw.startswith(b"\xef\xbb\xbfid,") and b"\r\n" in raw
    assert list(rows[0]) == [f.name for f in opendata.CATALOG_FIELDS]
    assert sorted(r["id"] for r in rows) == sorted(r.id for r in corpus.regulations)
    records = {r["id"]: r for r in _json(sample_site, opendata.CATALOG_JSON)["记录"]}
    for row in rows:  # the same values as the JSON (修订历史 in one cell)
        record = records[row["id"]]
        assert {k: v for k, v in row.items() if k != "修订历史"} == {k: v for k, v in record.items() if k != "修订历史"}
        assert row["修订历史"].count("；") == max(len(record["修订历史"]) - 1, 0)
    raw, rows = _csv_rows(sample_site, opendata.DISCLOSURE_CSV)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert sorted(r["索引号"] for r in rows) == sorted(d.index_no for d in corpus.disclosures)
    assert all(_page_exists(sample_site, r["网页"]) for r in rows)


def test_every_field_is_documented_on_the_data_page(sample_site: Path) -> None:
    root = lxml_html.fromstring((sample_site / "data" / "index.html").read_text(encoding="utf-8"))
    tables = root.xpath("//article//table")
    documented = [[row.xpath("string(td[1])") for row in table.xpath(".//tbody/tr")] for table in tables]
    assert [f.name for f in opendata.CATALOG_FIELDS] in documented
    assert [f.name for f in opendata.DISCLOSURE_FIELDS] in documented
    links = set(root.xpath("//article//a/@href"))
    for name in opendata.DATA_FILES:
        assert f"../{name}" in links and (sample_site / name).is_file()
    # The schema says what the page says.
    schema = _json(sample_site, opendata.CATALOG_SCHEMA)["properties"]["记录"]["items"]["properties"]
    assert {k: v["description"] for k, v in schema.items()} == {f.name: f.meaning for f in opendata.CATALOG_FIELDS}


def test_catalog_pages_link_the_data(sample_site: Path) -> None:
    page = (sample_site / "catalog" / "index.html").read_text(encoding="utf-8")
    assert 'href="../data/"' in page


# --- the domain, without a build ----------------------------------------------------------------


def test_status_by_date_and_its_reason(corpus) -> None:  # type: ignore[no-untyped-def]
    reg = next(r for r in corpus.regulations if r.status is Status.CURRENT)
    dated = dataclasses.replace(reg, valid_until=dt.date(2025, 6, 30))
    record = opendata.regulation_record(corpus, dated, FIXTURE_TODAY, opendata.Site())
    assert (record["时效性"], record["当前时效性"]) == ("现行有效", "已失效")
    assert (record["当前时效性说明"], record["当前时效性起始日期"]) == ("有效期届满", "2025-07-01")


def test_addresses_follow_the_site_settings(corpus) -> None:  # type: ignore[no-untyped-def]
    reg = corpus.regulation("renmin-fangkong-fa")
    pdfs = {"renmin-fangkong-fa": "downloads/x/renmin-fangkong-fa.pdf"}
    flat = opendata.regulation_record(corpus, reg, FIXTURE_TODAY, opendata.Site(False, "", pdfs))
    assert (flat["网页"], flat["PDF"]) == ("regulations/renmin-fangkong-fa.html", pdfs["renmin-fangkong-fa"])
    absolute = opendata.regulation_record(corpus, reg, FIXTURE_TODAY, opendata.Site(True, "https://example.gov.cn/fg", pdfs))
    assert absolute["网页"] == "https://example.gov.cn/fg/regulations/renmin-fangkong-fa/"
    assert absolute["PDF"] == "https://example.gov.cn/fg/downloads/x/renmin-fangkong-fa.pdf"


def test_csv_cells_never_start_a_formula_and_files_are_stable(corpus) -> None:  # type: ignore[no-untyped-def]
    reg = corpus.regulation("renmin-fangkong-fa")
    planted = dataclasses.replace(reg, title='=HYPERLINK("http://x","点击")', number="-1", topic="@SUM(A1)")
    planted_corpus = dataclasses.replace(corpus, regulations=[planted])
    rows = list(csv.DictReader(io.StringIO(opendata.to_csv(opendata.CATALOG_FIELDS, opendata.catalog_records(planted_corpus, FIXTURE_TODAY, opendata.Site())).decode("utf-8-sig"))))
    assert (rows[0]["标题"], rows[0]["发文字号"], rows[0]["主题分类"]) == ("'" + planted.title, "'-1", "'@SUM(A1)")
    records = opendata.catalog_records(planted_corpus, FIXTURE_TODAY, opendata.Site())
    assert records[0]["标题"] == planted.title  # JSON keeps the text
    first = opendata.data_files(corpus, FIXTURE_TODAY, opendata.Site(), "汇编")
    assert first == opendata.data_files(corpus_mod.load(FIXTURE), FIXTURE_TODAY, opendata.Site(), "汇编")
