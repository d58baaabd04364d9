"""Benchmark: the PDF book (Typst; and WeasyPrint, the old engine; and a rebuild from the render cache) against a plain browser print of the print page (Chromium
``--print-to-pdf``), both from the imported ``../shared/corpus/defense/`` texts (63 documents).

Prints pages, seconds, pages per second and peak memory for each, measured in the same run:
peak RSS of the whole process tree and of its largest process, sampled every 50 ms from /proc
(the tree sum counts shared pages once per process: an over-estimate for Chromium).

Run: ``.venv/bin/python -m benchmarks.book`` (``make bench`` uses ``bench_book`` and ``bench_browser`` in its table).
``--bulk`` renders ``../shared/corpus/bulk/`` (2,585 texts, volumes) instead: long (tens of minutes).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")


def _tree_rss_kb(root_pid: int) -> tuple[int, int]:
    """(sum, largest) of VmRSS over a process and all its descendants, in KB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/status", "rb") as f:
                m = re.search(rb"VmRSS:\s+(\d+)", f.read())
        except OSError:
            continue
        pid, ppid = int(entry), int(stat[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(m[1]) if m else 0
    total, largest, todo = 0, 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        todo.extend(children.get(pid, []))
    return total, largest


def _children_cpu() -> float:
    """User + system CPU seconds of this process's finished (waited-for) descendants so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> dict[str, float]:
    """Run a command; wall seconds, CPU seconds of its process tree (``cpu``: user + system, not
    stretched by other load on the machine), peak tree RSS and largest single-process RSS (MB, sampled)."""
    started, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]

    def sample() -> None:
        while proc.poll() is None:
            total, largest = _tree_rss_kb(proc.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    sampler.join()
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"失败（{proc.returncode}）：{' '.join(cmd)}\n{err[-3000:]}")
    return {"seconds": seconds, "cpu": cpu, "tree_mb": peak[0] / 1024, "single_mb": peak[1] / 1024, "stderr": err}  # type: ignore[dict-item]


def make_project(dest: Path, source: Path) -> Path:
    """The project the book is measured on: the repository's code and configuration, empty
    hand-written pages and ``source`` imported (``benchmarks.overall.make_project``, the one way every
    benchmark assembles a project). The live hand-written pages are left out on purpose: the 年报
    and 清理 pages state figures about the live catalog, which the checker compares with the
    imported one (and rightly refuses)."""
    from benchmarks.overall import make_project as assemble

    return assemble(dest, source)


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def bench_book(
    project: Path, out: Path, per_document: bool, only: int | None = None, engine: str | None = None, cache: Path | None = None
) -> dict[str, float]:
    """Build the book in a child process (``engine``: default ``regbook.book.pdf``'s; ``cache``: the
    render cache's folder, ``None``: no cache, every PDF rendered)."""
    cache_dir = f"Path({str(cache)!r})" if cache else "None"
    code = (
        "import sys; from pathlib import Path; from regbook import corpus; from regbook.book import pdf; "
        f"r = pdf.build_book(corpus.load(sys.argv[1]), Path(sys.argv[2]), '1704240000', per_document={per_document}, only={only}, "
        f"engine={engine!r}, cache={cache is not None}, cache_dir={cache_dir}); "
        "print(r.pages, file=sys.stderr)"
    )
    m = measure([sys.executable, "-c", code, str(project), str(out)])
    err = str(m.pop("stderr"))
    print("\n".join("    " + line for line in err.splitlines() if "分册" in line or "汇编" in line))
    m["pages"] = float(err.strip().splitlines()[-1])
    return m


def bench_browser(project: Path, work: Path) -> dict[str, float]:
    """Build the site (no PDF book), serve it, and let Chromium print the print page."""
    site = work / "site"
    work.mkdir(parents=True, exist_ok=True)  # the build lock lives beside the site folder
    env = {**os.environ, "REGBOOK_BOOK": "0", "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run(
        [sys.executable, "-m", "regbook.cli", "build", "--root", str(project), "--since", "none", "--site-dir", str(site)],
        env=env, capture_output=True, text=True,
    )
    if built.returncode != 0:
        raise SystemExit(f"网站生成失败：\n{built.stderr[-3000:]}")
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM_ARGS, serve  # type: ignore[import-not-found]

    server, url = serve(site)
    try:
        pdf = work / "browser.pdf"
        m = measure(
            [str(CHROMIUM), "--headless", *CHROMIUM_ARGS, "--no-pdf-header-footer", f"--user-data-dir={work / 'profile'}",
             "--run-all-compositor-stages-before-draw", "--virtual-time-budget=60000", f"--print-to-pdf={pdf}", url + "print_page/"]
        )
        m.pop("stderr")
        m["pages"] = float(pdf_pages(pdf))
        m["size_mb"] = pdf.stat().st_size / 1024 / 1024
    finally:
        server.shutdown()
    return m


def report(name: str, m: dict[str, float]) -> None:
    print(
        f"{name:<34} {m['pages']:>7.0f} 页 {m['seconds']:>8.1f} s {m['pages'] / m['seconds']:>8.1f} 页/s "
        f"峰值内存 进程树 {m['tree_mb']:>7.0f} MB，单进程 {m['single_mb']:>6.0f} MB"
        + (f"，文件 {m['size_mb']:.1f} MB" if "size_mb" in m else "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PDF 汇编与浏览器打印的性能对比")
    parser.add_argument("--bulk", action="store_true", help="用 bulk 语料（2,585 件，分册）代替 defense")
    parser.add_argument("--volumes", type=int, help="只生成前 N 册（bulk 全部约需一小时）")
    args = parser.parse_args(argv)
    source = CORPUS / ("bulk" if args.bulk else "defense")
    if not source.is_dir():
        print(f"跳过：没有 {source}")
        return 0
    with tempfile.TemporaryDirectory(prefix="regbook-bench-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        project = make_project(work / "project", source)
        count = sum(1 for _ in (project / "regulations").rglob("*.md"))
        print(f"语料：{source}（导入 {count} 件，{time.perf_counter() - started:.1f} s）")
        book = bench_book(project, work / "book", per_document=False, only=args.volumes, engine="typst")
        report("Typst 汇编（分册、目录页码）", book)
        sizes = sum(p.stat().st_size for p in (work / "book").glob("*.pdf")) / 1024 / 1024
        print(f"{'':<34} 汇编文件共 {sizes:.1f} MB")
        if not args.bulk:
            docs = bench_book(project, work / "book-docs", per_document=True, engine="typst", cache=work / "cache")
            report("Typst 汇编 + 单篇 PDF", docs)
            print(f"{'':<34} 单篇 PDF 另需 {docs['seconds'] - book['seconds']:.1f} s（{count} 件以内）")
            again = bench_book(project, work / "book-again", per_document=True, engine="typst", cache=work / "cache")
            report("Typst 再次生成（缓存，无改动）", again)
            weasy = bench_book(project, work / "book-weasy", per_document=False, engine="weasyprint")
            report("WeasyPrint 汇编（旧引擎）", weasy)
            print(f"比值（Typst / WeasyPrint）：速度 {book['pages'] / book['seconds'] / (weasy['pages'] / weasy['seconds']):.1f}×")
        if CHROMIUM.exists() and not args.bulk:
            browser = bench_browser(project, work)
            report("Chromium --print-to-pdf 打印页", browser)
            print(
                f"比值（Typst / Chromium）：速度 {book['pages'] / book['seconds'] / (browser['pages'] / browser['seconds']):.2f}×，"
                f"进程树峰值内存 {book['tree_mb'] / browser['tree_mb']:.2f}×"
            )
        elif args.bulk:
            print("跳过浏览器打印：bulk 语料的打印页有上万页，浏览器打印只用 defense 语料对比")
        else:
            print("跳过浏览器打印：没有 /usr/bin/chromium")
    return 0


run = main

if __name__ == "__main__":
    sys.exit(main())
