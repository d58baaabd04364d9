"""Benchmark: site search on the imported bulk corpus (``../shared/corpus/bulk/``, 2,585 laws).

Builds the site twice from the same imported project: with regbook's exact-substring search (the
theme's search box answered by our worker from a sharded n-gram index) and with the theme's
built-in search (lunr, one ``search_index.json``). For each it prints, measured in headless
Chromium (Debian's) against a local server in the same run:

- bytes transferred for search on page load, for the first query and for the second query
  (response bodies + headers of every request the page and its worker make);
- latency from the last keystroke to the result list changing on screen, per query;
- the number of results and, against the truth computed from the built pages' text, how many
  are false hits and how many pages were missed;
- index size on disk, number of index files, and the build time.

Pagefind (extended) is measured too, on the regbook build's pages (article text only, print page
left out), through its own JavaScript API (it does not plug into the theme's search box): bytes,
time from the call to the answer, and the number of results against the truth (its results carry
no URL until each result's fragment is fetched, so only counts are compared).

Not a test: nothing is asserted. Run: ``.venv/bin/python -m benchmarks search`` (``make bench``
prints the table of ``benchmarks/overall.py`` instead). ``--project DIR`` reuses an already imported project; ``--keep DIR``
keeps the work folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
QUERIES = ["人民防空", "防空地下室", "行政处罚", "〔2023〕5号", "第十条", "国务院令第711号", "中华人民共和国", "GB 50016", "消防 人民防空"]
"""The first two are "first query" and "second query"; the others show the spread."""

ENGINES = {
    "regbook": "regbook 精确检索（分片 n-gram 索引）",
    "material": "Material 内置检索（lunr，单一索引）",
    "pagefind": "Pagefind 1.5 extended（分片词索引；不经主题检索框，直接调用其 JS 接口）",
}


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REGBOOK_BOOK": "0"}


def prepare(project: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.conftest import copy_project
    from tests.test_search_support import import_corpus

    copy_project(project)
    started = time.perf_counter()
    imported, patched, dropped = import_corpus(project, CORPUS / "bulk", _env())
    print(
        f"导入 {imported} 件（{time.perf_counter() - started:.0f} s）；补占位元数据 {len(patched)} 件，"
        f"仍无法生成而略去 {len(dropped)} 件"
    )


def build(project: Path, site: Path, engine: str) -> float:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    plain = text.replace("  - regbook-search:\n      enabled: false\n", "  - regbook-search\n")
    config.write_text(
        plain if engine == "regbook" else plain.replace("  - regbook-search\n", "  - regbook-search:\n      enabled: false\n"),
        encoding="utf-8",
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "regbook.cli", "build", "--root", str(project), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        env=_env(),
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    config.write_text(plain, encoding="utf-8")
    return time.perf_counter() - started


def index_size(site: Path, engine: str) -> tuple[int, int]:
    files = list((site / "search").rglob("*")) + list((site / "assets" / "javascripts" / "workers").glob("*"))
    files = [f for f in files if f.is_file() and not f.name.endswith(".map")]
    ours = [f for f in files if "regbook" in f.relative_to(site).as_posix()]
    files = ours if engine == "regbook" else [f for f in files if f not in ours]
    return sum(f.stat().st_size for f in files), len(files)


def _index_build_s(texts: dict[str, str], work: Path) -> float:
    from regbook.search import SearchDoc, build_index

    docs = [SearchDoc(url, "", "", "", text) for url, text in texts.items()]
    started = time.perf_counter()
    build_index(docs, work / "index-timing")
    elapsed = time.perf_counter() - started
    shutil.rmtree(work / "index-timing", ignore_errors=True)
    return elapsed


def _dir_size(folder: Path) -> tuple[int, int]:
    files = [f for f in folder.rglob("*") if f.is_file()]
    return sum(f.stat().st_size for f in files), len(files)


def measure(site: Path, engine: str, texts: dict[str, str]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, serve
    from tests.test_search_support import SearchBox, expected

    server, url = serve(site)
    phases: list[int] = [0]
    out: dict[str, Any] = {"queries": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()

            def finished(request: Any) -> None:
                if any(part in request.url for part in ("/search/", "/workers/", "/lunr/")):
                    sizes = request.sizes()
                    body = sizes["responseBodySize"]
                    if body == 0 and request.url.startswith(url):  # worker scripts report 0: count the file
                        local = site / request.url[len(url) :].split("?")[0]
                        body = local.stat().st_size if local.is_file() else 0
                    phases[-1] += body + sizes["responseHeadersSize"]

            page.on("requestfinished", finished)
            box = SearchBox(page)
            box.open(url)
            page.wait_for_load_state("networkidle")
            out["load_bytes"] = phases[-1]
            for q in QUERIES:
                phases.append(0)
                answer = box.query(q, timeout=600)
                page.wait_for_load_state("networkidle")
                truth = expected(texts, q)
                got = set(answer.locations)
                out["queries"].append(
                    {
                        "query": q,
                        "bytes": phases[-1],
                        "ms": answer.latency_ms,
                        "results": len(answer.locations),
                        "truth": len(truth),
                        "false": len(got - truth),
                        "missed": len(truth - got),
                    }
                )
            context.close()
            if engine == "regbook":  # every query once more as the first one of a fresh browser (empty cache)
                for entry in out["queries"]:
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    page.on("requestfinished", finished)
                    phases.append(0)
                    box = SearchBox(page)
                    box.open(url)
                    page.wait_for_load_state("networkidle")
                    answer = box.query(entry["query"])
                    page.wait_for_load_state("networkidle")
                    entry["cold_bytes"], entry["cold_ms"] = phases[-1], answer.latency_ms
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def build_pagefind(site: Path) -> float:
    started = time.perf_counter()
    hidden = site.parent / "print_page.hidden"
    (site / "print_page").rename(hidden) if (site / "print_page").exists() else None
    try:
        subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(site), "--root-selector", "article.md-content__inner",
             "--force-language", "zh"],
            check=True,
            capture_output=True,
        )
    finally:
        if hidden.exists():
            hidden.rename(site / "print_page")
    return time.perf_counter() - started


def measure_pagefind(site: Path, texts: dict[str, str]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, serve
    from tests.test_search_support import expected

    server, url = serve(site)
    phases: list[int] = [0]
    out: dict[str, Any] = {"queries": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()

            def finished(request: Any) -> None:
                if "/pagefind/" in request.url:
                    sizes = request.sizes()
                    phases[-1] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

            page.on("requestfinished", finished)
            page.goto(url, wait_until="networkidle")
            page.evaluate("async () => { window.__pf = await import('./pagefind/pagefind.js'); await window.__pf.init(); }")
            page.wait_for_load_state("networkidle")
            out["load_bytes"] = phases[-1]
            for q in QUERIES:
                phases.append(0)
                got = page.evaluate(
                    "async q => { const t = performance.now(); const r = await window.__pf.search(q);"
                    " return { n: r.results.length, ms: performance.now() - t }; }",
                    q,
                )
                page.wait_for_load_state("networkidle")
                truth = expected(texts, q)
                out["queries"].append(
                    {"query": q, "bytes": phases[-1], "ms": got["ms"], "results": got["n"], "truth": len(truth),
                     "false": None, "missed": None}
                )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def report(engine: str, built_s: float, size: tuple[int, int], m: dict[str, Any]) -> None:
    what = "生成索引" if engine == "pagefind" else "生成网站"
    print(f"\n{ENGINES[engine]}：{what} {built_s:.0f} s，索引 {size[0] / 1e6:.1f} MB / {size[1]} 个文件")
    print(f"  打开页面时检索相关传输 {m['load_bytes'] / 1024:.1f} KB")
    cold = all("cold_bytes" in q for q in m["queries"])
    print(f"  {'查询':<14}{'传输 KB':>9}{'延迟 ms':>9}{'结果':>7}{'应有':>7}{'误中':>6}{'漏检':>6}"
          + ("  作为首次查询（含打开页面）：传输 KB、延迟 ms" if cold else ""))
    for i, q in enumerate(m["queries"]):
        label = q["query"] + ("（首次）" if i == 0 else "（第二次）" if i == 1 else "")
        first = q["bytes"] + (m["load_bytes"] if i == 0 else 0)
        note = f"（含打开页面 {first / 1024:.0f} KB）" if i == 0 else ""
        print(
            f"  {label:<14}{q['bytes'] / 1024:>9.1f}{q['ms']:>9.0f}{q['results']:>7}{q['truth']:>7}"
            f"{'—' if q['false'] is None else q['false']:>6}{'—' if q['missed'] is None else q['missed']:>6} {note}"
            + (f"  {q['cold_bytes'] / 1024:>7.1f} {q['cold_ms']:>6.0f}" if cold else "")
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="站内检索：regbook 精确检索与 Material 内置检索对比（bulk 语料）")
    parser.add_argument("--project", type=Path, help="已导入 bulk 语料的项目目录（省去导入）")
    parser.add_argument("--keep", type=Path, help="保留工作目录（网站）到此处")
    parser.add_argument("--reuse", action="store_true", help="--keep 目录中已有的网站不再生成，只测量")
    parser.add_argument("--engines", default="regbook,material,pagefind", help="逗号分隔：regbook、material、pagefind")
    args = parser.parse_args(argv)
    if not (CORPUS / "bulk").is_dir() or not CHROMIUM.exists():
        print(f"跳过：需要 {CORPUS / 'bulk'} 和 {CHROMIUM}")
        return 0
    sys.path.insert(0, str(ROOT))
    from tests.test_search_support import site_texts

    work = args.keep or Path(tempfile.mkdtemp(prefix="regbook-bench-search-"))
    try:
        project = args.project
        if project is None:
            project = work / "project"
            prepare(project)
        texts: dict[str, str] | None = None
        for engine in args.engines.split(","):
            site = work / f"site-{engine}"
            if engine == "pagefind":  # indexes the regbook build's pages (built here if not yet)
                site = work / "site-regbook"
                if not site.is_dir():
                    build(project, site, "regbook")
                built_s = float("nan") if args.reuse and (site / "pagefind").is_dir() else build_pagefind(site)
            elif args.reuse and site.is_dir():
                built_s = float("nan")
            else:
                built_s = build(project, site, engine)
            if texts is None:
                started = time.perf_counter()
                texts = site_texts(site)
                print(f"页面文本（真值）：{len(texts)} 个页面，{sum(map(len, texts.values())) / 1e6:.1f} M 字符"
                      f"（{time.perf_counter() - started:.0f} s）")
            if engine == "pagefind":
                report(engine, built_s, _dir_size(site / "pagefind"), measure_pagefind(site, texts))
            else:
                report(engine, built_s, index_size(site, engine), measure(site, engine, texts))
            if engine == "regbook":
                print(f"  其中检索索引的生成（build_index，同样的页面文本）：{_index_build_s(texts, work):.1f} s")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
