"""Benchmark: ``regbook import`` of ``../shared/corpus/bulk/`` (2,585 texts) into an empty project.

Prints, measured in the same run: the baseline (reading and decoding every file), parsing
alone (text → metadata and body, nothing written), and the whole import (parse, version
chains, atomic writes), each in seconds, files per second and as a ratio to the baseline;
then the outcome counts and the fallbacks by reason.

Run: ``.venv/bin/python -m benchmarks.importer`` (``--defense`` for the 63 defense texts).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from regbook import frontmatter, importer

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="导入法律文本的性能")
    parser.add_argument("--defense", action="store_true", help="用 defense 语料（63 件）代替 bulk（2,585 件）")
    args = parser.parse_args(argv)
    source = CORPUS / ("defense" if args.defense else "bulk")
    if not source.is_dir():
        print(f"跳过：没有 {source}")
        return 0
    files = list(importer.find_sources([source]))

    started = time.perf_counter()
    for path in files:
        frontmatter.decode(str(path), path.read_bytes())
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    parsed = sum(importer.read_source(p, str(p), importer.level_for(p))[0] is not None for p in files)
    parsing = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="regbook-import-") as tmp:
        root = Path(tmp)
        (root / "regulations").mkdir()
        started = time.perf_counter()
        report = importer.import_sources(root, [source])
        whole = time.perf_counter() - started
        started = time.perf_counter()
        again = importer.import_sources(root, [source])
        rerun = time.perf_counter() - started

    n = len(files)
    print(f"语料：{source}（{n} 个文件）")
    for name, seconds in (("读取和解码（基线）", baseline), ("解析（不写入）", parsing), ("导入（写入空项目）", whole), ("重复导入（无变化）", rerun)):
        print(f"{name:<12} {seconds:>7.2f} s {n / seconds:>8.0f} 件/s  {seconds / baseline:>6.1f}× 基线")
    print(
        f"结果：新建 {len(report.created)}，跳过 {len(report.skipped)}（同一版本重复），出错 {report.failed}，"
        f"旧版本标为已修改 {len(report.marked)}；可解析 {parsed}；重复导入未变 {len(again.unchanged)}"
    )
    print(f"使用兜底规则的文件：{report.files_with_fallback} 件")
    for reason, count in report.fallbacks.most_common():
        print(f"  {count:5d}  {reason}")
    errors: dict[str, int] = {}
    for p in report.problems:
        if p.is_error:
            key = p.message.split("：")[0]
            errors[key] = errors.get(key, 0) + 1
    for reason, count in sorted(errors.items(), key=lambda kv: -kv[1]):
        print(f"  拒绝 {count:4d}  {reason}")
    return 0


run = main

if __name__ == "__main__":
    sys.exit(main())
