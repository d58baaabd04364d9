"""Benchmark: the whole pipeline on the national corpus, one table, the baseline measured in the same run.

``python -m benchmarks`` (``make bench``) imports ``../shared/corpus/bulk/`` (2,585 laws) into a
temporary project (the repository's code and configuration, a stub of hand-written pages, the
imported regulations: ``tests/test_search_support.import_corpus``, which fills in placeholders for
the few required fields the texts lack and leaves out what still fails), builds a stock
mkdocs-material site of the same Markdown as the baseline (theme ``material``, automatic
navigation with ``navigation.sections``, the built-in search, no regbook plugin), and prints one
Markdown table: each of our figures, the baseline's, their ratio and the target (✓/✗).

- ``regbook check``: median of 5 runs (``--quick``: 1);
- the site build without the book (``REGBOOK_BOOK=0 regbook build``): median of 3 runs (``--quick``:
  1), the stock build once; wall seconds and peak memory;
- site size, median and largest regulation page, page chrome (a page's HTML minus its
  ``<article>``) on the frozen sample (``tests/fixtures/sample``) and on the bulk corpus;
- search: the index on disk, and the bytes the first query (人民防空) fetches: the worker, the
  index head, the gram shards of its trigrams (computed from the index format,
  ``regbook.search.index``) and every metadata shard; for the stock site its whole
  ``search_index.json`` and worker, which the theme fetches before the first answer;
- the floor: Python-Markdown (MkDocs' default extensions) converting the same files in one process;
- the PDF book (``benchmarks/book.py``) on the imported defense set (63 texts) against Chromium
  ``--print-to-pdf`` of the same print page, the book with its per-document PDFs (what ``regbook
  build`` makes; no render cache), and the first bulk volume (``--quick``: skipped).

Peak memory: every 50 ms the harness reads ``VmRSS`` of every process in ``/proc`` and sums it over
the measured process and its descendants (``benchmarks.book.measure``); shared pages count once per
process, so for a tree this is an upper bound. (No cgroup ``memory.peak`` here: the benchmark runs
in the caller's cgroup, shared with everything else on the machine.)

Times: wall seconds, and CPU seconds (user + system) of the measured process tree, read from
``getrusage(RUSAGE_CHILDREN)`` around each command: the machine is shared, and other load stretches
wall time but not CPU time, so the site targets (✓/✗) are judged on CPU time (on an idle machine
the two agree for these single-threaded builds). CPU time counts only descendants their parents
reaped: Chromium's renderers (forked by its zygote) escape it, so the book rows, which compare with
Chromium, are judged on wall time and their CPU figures are lower bounds.

Not a test: nothing is asserted; targets are printed as ✓/✗. ``--project DIR`` reuses (or creates)
an imported bulk project; ``--profile FILE`` instead profiles one ``mkdocs build`` of it with cProfile
(CPU-time clock) and prints the 15 most expensive calls by cumulative time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from benchmarks.book import CHROMIUM, bench_book, bench_browser, measure

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
TODAY = "2026-12-02"
"""The build date of every run (``REGBOOK_TODAY``): statuses do not change with the calendar."""
QUERY = "人民防空"
STUB_CONTENT = {
    "docs/index.md": "# 首页\n",
    "docs/about.md": "# 关于本站\n",
    "docs/disclosure/index.md": "# 政府信息公开\n",
    "docs/cleanup/index.md": "# 规范性文件清理\n",
    "CONTRIBUTING.md": "# 编辑指南\n",
}
"""The hand-written pages ``mkdocs.yml``'s navigation names, empty: the project's content is the import."""
ARTICLE_RE = re.compile(r"<article\b.*?</article>", re.S)


def env() -> dict[str, str]:
    """The environment of every command: no book, one build date."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REGBOOK_BOOK": "0", "REGBOOK_TODAY": TODAY}


def _tests_support() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def make_project(dest: Path, source: Path) -> Path:
    """The repository's code and configuration, empty hand-written pages, and ``source`` imported."""
    _tests_support()
    from tests.conftest import assemble_project
    from tests.test_search_support import import_corpus

    with tempfile.TemporaryDirectory(prefix="regbook-stub-") as tmp:
        for rel, text in STUB_CONTENT.items():
            (Path(tmp) / rel).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / rel).write_text(text, encoding="utf-8")
        (Path(tmp) / "regulations").mkdir()
        assemble_project(dest, Path(tmp))
    imported, patched, dropped = import_corpus(dest, source, env())
    print(f"导入 {source.name}：{imported} 件，补占位元数据 {len(patched)} 件，略去 {len(dropped)} 件", file=sys.stderr)
    return dest


def refresh_code(project: Path) -> None:
    """A reused project gets the repository's current code and configuration (its content stays)."""
    _tests_support()
    from tests.conftest import PROJECT_CODE

    for name in PROJECT_CODE:
        source, dest = ROOT / name, project / name
        if dest.is_dir():
            shutil.rmtree(dest)
        if source.is_dir():
            shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, dest)


def stock_project(project: Path, dest: Path) -> Path:
    """A stock mkdocs-material project of the same Markdown files (front matter included)."""
    docs = dest / "docs"
    shutil.copytree(project / "regulations", docs)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    config = {
        "site_name": "stock mkdocs-material",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "zh", "features": ["navigation.sections"]},
        "plugins": ["search"],
    }
    (dest / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    return dest


@dataclass
class Run:
    """Medians of repeated measurements of one command."""

    seconds: float
    cpu: float
    tree_mb: float
    single_mb: float
    runs: int


def repeat(n: int, command: Callable[[int], list[str]], cwd: Path | None = None, before: Callable[[int], None] | None = None) -> Run:
    """Median wall time and peak memory of ``n`` runs of ``command(i)``."""
    got = []
    for i in range(n):
        if before:
            before(i)
        got.append(measure(command(i), env=env(), cwd=cwd))
    return Run(
        statistics.median(m["seconds"] for m in got),
        statistics.median(m["cpu"] for m in got),
        statistics.median(m["tree_mb"] for m in got),
        statistics.median(m["single_mb"] for m in got),
        n,
    )


def regbook(*args: str) -> list[str]:
    return [sys.executable, "-m", "regbook.cli", *args]


@dataclass
class Pages:
    """Sizes of a built site."""

    bytes: int
    files: int
    page_median: float
    page_max: int
    chrome_median: float


def site_pages(site: Path, under: str) -> Pages:
    """Site size, and the regulation pages (``index.html`` below ``under``): size and chrome."""
    files = [p for p in site.rglob("*") if p.is_file()]
    sizes, chrome = [], []
    for page in (site / under).rglob("index.html") if under else site.rglob("index.html"):
        if page.parent == site:
            continue
        html = page.read_text(encoding="utf-8")
        article = ARTICLE_RE.search(html)
        sizes.append(len(html.encode()))
        chrome.append(len(html.encode()) - (len(article[0].encode()) if article else 0))
    return Pages(
        sum(p.stat().st_size for p in files),
        len(files),
        statistics.median(sizes),
        max(sizes),
        statistics.median(chrome),
    )


def first_query_bytes(site: Path, query: str = QUERY) -> tuple[int, int]:
    """(index bytes on disk, bytes the worker fetches for ``query`` as the first query): the worker
    script, ``index.json``, the gram shards of the query's trigrams (1–2 characters: the gram itself)
    and every metadata shard, as ``overrides/assets/javascripts/workers/regbook-search.js`` does."""
    from regbook.mkdocs_plugin.search import INDEX_DIR
    from regbook.search.index import gram_hash

    folder = site / INDEX_DIR
    on_disk = sum(p.stat().st_size for p in folder.iterdir()) + (site / "search" / "search_index.json").stat().st_size
    head = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    chars = [ord(c) for c in query]
    offsets = list(range(0, len(chars) - 2, 3)) or [0]
    if len(chars) > 2 and offsets[-1] != len(chars) - 3:
        offsets.append(len(chars) - 3)
    grams = [chars[o : o + 3] for o in offsets] if len(chars) > 2 else [chars]
    shards = {gram_hash(g) % head["gramShards"] for g in grams}
    fetched = [folder / "index.json", *(folder / f"g{h}.bin" for h in shards), *(folder / f"m{k}.bin" for k in range(head["metaShards"]))]
    worker = site / "assets" / "javascripts" / "workers" / "regbook-search.js"
    return on_disk, sum(p.stat().st_size for p in [*fetched, worker])


def stock_search_bytes(site: Path) -> int:
    """The stock theme's search: its index and its worker, all fetched before the first answer."""
    workers = [p for p in (site / "assets" / "javascripts" / "workers").glob("search.*.js")]
    return (site / "search" / "search_index.json").stat().st_size + sum(p.stat().st_size for p in workers)


def markdown_floor(docs: Path, runs: int) -> float:
    """Median CPU seconds (``time.process_time``: not stretched by other load) for Python-Markdown
    (MkDocs' default extensions) to convert every file, in one process."""
    import markdown
    from mkdocs.utils.meta import get_data

    texts = [get_data(p.read_text(encoding="utf-8"))[0] for p in sorted(docs.rglob("*.md"))]
    times = []
    for _ in range(runs):
        md = markdown.Markdown(extensions=["toc", "tables", "fenced_code"])
        started = time.process_time()
        for text in texts:
            md.reset().convert(text)
        times.append(time.process_time() - started)
    return statistics.median(times)


def machine(load: tuple[float, float]) -> str:
    """CPU model, cores, memory, Python, the date and the load average around the run, one line each."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return (
        f"- 处理器：{cpu}，{os.cpu_count()} 核\n- 内存：{mem / 1024 / 1024:.1f} GB\n"
        f"- Python {platform.python_version()}（{platform.system()} {platform.release()}）\n"
        f"- 日期：{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC\n"
        f"- 机器负载（1 分钟平均，开始 / 结束）：{load[0]:.1f} / {load[1]:.1f}（同一机器上的其他进程也在运行时，时间偏长）"
    )


@dataclass
class Table:
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def add(self, what: str, ours: str, base: str = "—", ratio: str = "—", target: str = "") -> None:
        self.rows.append((what, ours, base, ratio, target))
        print(f"  {what}：{ours}（基线 {base}，比值 {ratio}）{target}", file=sys.stderr, flush=True)

    def render(self) -> str:
        head = ("项目", "regbook", "基线", "比值", "目标")
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def mark(ok: bool, text: str) -> str:
    return f"{'✓' if ok else '✗'} {text}"


def mb(kb_or_bytes: float, unit: int = 1) -> str:
    return f"{kb_or_bytes / unit:,.0f} MB" if unit > 1 else f"{kb_or_bytes:,.0f} MB"


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def ratio(a: float, b: float) -> str:
    return "—" if not b else f"{a / b:.2f}×" if a / b >= 0.1 else f"{a / b:.2g}×"


def bench_site(project: Path, work: Path, table: Table, quick: bool) -> None:
    """Check, site build, stock build, sizes, search, floor."""
    stock = stock_project(project, work / "stock")
    check = repeat(1 if quick else 5, lambda i: regbook("check", "--root", str(project), "--since", "none"))
    table.add(f"regbook check，CPU（墙钟）（{check.runs} 次中位数）", f"{check.cpu:.1f} s（{check.seconds:.1f} s）", target=mark(check.cpu <= 5, "≤ 5 s"))

    def fresh(i: int) -> None:
        shutil.rmtree(work / "site", ignore_errors=True)

    ours = repeat(1 if quick else 3, lambda i: regbook("build", "--root", str(project), "--since", "none", "--site-dir", str(work / "site")), before=fresh)
    base = repeat(1, lambda i: [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(work / "stock-site")], cwd=stock)
    limit = 1.5 * 1024
    table.add(
        f"网站生成，不含 PDF，CPU 时间（用户 + 系统，整个进程树；{ours.runs} 次中位数，基线 1 次）",
        f"{ours.cpu:.0f} s",
        f"{base.cpu:.0f} s",
        ratio(ours.cpu, base.cpu),
        mark(ours.cpu <= 0.25 * base.cpu, "≤ 0.25×（力争 0.15×）"),
    )
    table.add("网站生成，墙钟时间", f"{ours.seconds:.0f} s", f"{base.seconds:.0f} s", ratio(ours.seconds, base.seconds))
    table.add("生成峰值内存，整个进程树", mb(ours.tree_mb), mb(base.tree_mb), ratio(ours.tree_mb, base.tree_mb), mark(ours.tree_mb <= limit, "≤ 1.5 GB"))
    table.add("生成峰值内存，最大的单个进程", mb(ours.single_mb), mb(base.single_mb), ratio(ours.single_mb, base.single_mb))

    site, stock_site = work / "site", work / "stock-site"
    bulk, plain = site_pages(site, "regulations"), site_pages(stock_site, "")
    table.add("网站大小（文件数）", f"{mb(bulk.bytes, 1 << 20)}（{bulk.files:,}）", f"{mb(plain.bytes, 1 << 20)}（{plain.files:,}）", ratio(bulk.bytes, plain.bytes))
    table.add("法规页面大小，中位数", kb(bulk.page_median), kb(plain.page_median), ratio(bulk.page_median, plain.page_median))
    table.add("法规页面大小，最大", kb(bulk.page_max), kb(plain.page_max), ratio(bulk.page_max, plain.page_max))
    table.add("页面外框（页面减去正文 article），中位数", kb(bulk.chrome_median), kb(plain.chrome_median), ratio(bulk.chrome_median, plain.chrome_median))

    _tests_support()
    from tests.conftest import build_site, copy_project

    sample = copy_project(work / "sample")
    result = build_site(sample, work / "sample-site", book=False)
    if result.returncode != 0:
        raise SystemExit(f"样例网站生成失败：\n{result.stderr[-3000:]}")
    small = site_pages(work / "sample-site", "regulations")
    drift = abs(bulk.chrome_median - small.chrome_median) / small.chrome_median
    table.add(
        "页面外框：bulk 与样例（tests/fixtures/sample）之比",
        f"{kb(bulk.chrome_median)} / {kb(small.chrome_median)}",
        ratio=ratio(bulk.chrome_median, small.chrome_median),
        target=mark(drift <= 0.10, "相差 ≤ 10 %"),
    )

    on_disk, first = first_query_bytes(site)
    stock_bytes = stock_search_bytes(stock_site)
    stock_index = (stock_site / "search" / "search_index.json").stat().st_size
    table.add("检索索引，磁盘上", mb(on_disk, 1 << 20), mb(stock_index, 1 << 20), ratio(on_disk, stock_index))
    table.add(f"首次查询“{QUERY}”下载（未压缩传输）", kb(first), kb(stock_bytes), ratio(first, stock_bytes))

    floor = markdown_floor(stock / "docs", 1 if quick else 3)
    table.add(
        f"下限：Python-Markdown 在一个进程中转换同样的文件，CPU 时间（{1 if quick else 3} 次中位数）",
        f"{floor:.0f} s",
        f"{base.cpu:.0f} s",
        ratio(floor, base.cpu),
        f"regbook 生成的 CPU 时间是下限的 {ours.cpu / floor:.1f} 倍",
    )


def bench_pdf(defense: Path, bulk: Path | None, work: Path, table: Table) -> None:
    """The book on the defense set against Chromium, with its per-document PDFs, and on the first bulk volume."""
    book = bench_book(defense, work / "book", per_document=False)
    speed = book["pages"] / book["seconds"]
    browser = bench_browser(defense, work / "browser") if CHROMIUM.exists() else None
    gb = 1024
    if browser:
        b_speed = browser["pages"] / browser["seconds"]
        table.add(
            f"PDF 汇编，defense，每秒页数（墙钟；{book['pages']:.0f} 页；Chromium 打印页 {browser['pages']:.0f} 页）",
            f"{speed:.1f} 页/s（CPU {book['cpu']:.0f} s，墙钟 {book['seconds']:.0f} s）",
            f"{b_speed:.1f} 页/s（CPU {browser['cpu']:.0f} s，墙钟 {browser['seconds']:.0f} s）",
            ratio(speed, b_speed),
            mark(speed >= 50, "≥ 50 页/s"),
        )
        table.add(
            "PDF 汇编峰值内存，defense（进程树）",
            mb(book["tree_mb"]),
            mb(browser["tree_mb"]),
            ratio(book["tree_mb"], browser["tree_mb"]),
            mark(book["tree_mb"] <= gb, "≤ 1 GB"),
        )
    docs = bench_book(defense, work / "book-docs", per_document=True)
    d_speed = docs["pages"] / docs["seconds"]
    table.add(
        f"PDF 汇编 + 单篇 PDF，defense，每秒页数（墙钟；{docs['pages']:.0f} 页，另有单篇 PDF）",
        f"{d_speed:.1f} 页/s（CPU {docs['cpu']:.0f} s，墙钟 {docs['seconds']:.0f} s）",
        target=mark(d_speed >= 50, "≥ 50 页/s"),
    )
    table.add("PDF 汇编 + 单篇 PDF 峰值内存，defense（进程树）", mb(docs["tree_mb"]), target=mark(docs["tree_mb"] <= gb, "≤ 1 GB"))
    if bulk is not None:
        vol = bench_book(bulk, work / "book-bulk", per_document=False, only=1)
        table.add(
            f"PDF 汇编，bulk 第 1 册，每秒页数（墙钟；{vol['pages']:.0f} 页）",
            f"{vol['pages'] / vol['seconds']:.1f} 页/s（CPU {vol['cpu']:.0f} s，墙钟 {vol['seconds']:.0f} s）",
            target=mark(vol["pages"] / vol["seconds"] >= 50, "≥ 50 页/s"),
        )
        table.add("PDF 汇编峰值内存，bulk 第 1 册（进程树）", mb(vol["tree_mb"]), target=mark(vol["tree_mb"] <= gb, "≤ 1 GB"))


PROFILED_BUILD = """
import cProfile, sys, time
from mkdocs.__main__ import cli
profiler = cProfile.Profile(time.process_time)
try:
    profiler.runcall(cli.main, args=sys.argv[2:], prog_name="mkdocs", standalone_mode=False)
finally:
    profiler.dump_stats(sys.argv[1])
"""
"""``mkdocs build`` in-process under cProfile with a CPU-time clock (other load on the machine does not
stretch it); argv: the stats file, then mkdocs' arguments."""


def profile(project: Path, out: Path, work: Path) -> None:
    """One ``mkdocs build`` of the project (what ``regbook build`` runs after its check; no book)
    under cProfile, CPU time; prints the top 15 by cumulative time."""
    import pstats

    command = [sys.executable, "-c", PROFILED_BUILD, str(out), "build", "--quiet",
               "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(work / "profile-site")]
    started = time.perf_counter()
    subprocess.run(command, cwd=project, env=env(), check=True)
    print(f"cProfile（CPU 时间）：mkdocs build 用时 {time.perf_counter() - started:.0f} s，结果 {out}")
    pstats.Stats(str(out)).sort_stats("cumulative").print_stats(15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="整体性能：bulk 语料，与原样 mkdocs-material 对比")
    parser.add_argument("--quick", action="store_true", help="每项只测一次，不生成 bulk 的 PDF 分册（开发时用）")
    parser.add_argument("--project", type=Path, help="已导入 bulk 语料的项目目录（不存在则导入到此处并保留）")
    parser.add_argument("--profile", type=Path, metavar="FILE", help="只用 cProfile 剖析一次网站生成，结果写入 FILE")
    parser.add_argument("--skip-pdf", action="store_true", help="不测 PDF 汇编")
    parser.add_argument("--skip-site", action="store_true", help="只测 PDF 汇编（不测检查、网站生成和大小）")
    args = parser.parse_args(argv)
    if not (CORPUS / "bulk").is_dir():
        print(f"跳过：没有 {CORPUS / 'bulk'}")
        return 0
    started, load = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="regbook-bench-") as tmp:
        work = Path(tmp)
        project = args.project or work / "bulk"
        if not (project / "regulations").is_dir():
            make_project(project, CORPUS / "bulk")
        else:
            refresh_code(project)
        if args.profile:
            profile(project, args.profile.resolve(), work)
            return 0
        count = sum(1 for _ in (project / "regulations").rglob("*.md"))
        table = Table()
        print(f"测量中：bulk 项目 {count} 件法规（{project}）", file=sys.stderr)
        if not args.skip_site:
            bench_site(project, work, table, args.quick)
        if not args.skip_pdf:
            defense = make_project(work / "defense", CORPUS / "defense")
            bench_pdf(defense, None if args.quick else project, work, table)
    print(machine((load, os.getloadavg()[0])))
    print(f"- 语料：../shared/corpus/bulk（导入 {count} 件）；{'--quick' if args.quick else '完整运行'}，用时 {(time.perf_counter() - started) / 60:.0f} 分钟\n")
    print(table.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
