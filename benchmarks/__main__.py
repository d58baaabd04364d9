"""``python -m benchmarks [--quick] …``: the one table (``benchmarks/overall.py``); ``python -m
benchmarks search book``: the named modules' own reports instead."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_"))
    if not argv or argv[0].startswith("-"):
        from benchmarks import overall

        return overall.main(argv)
    unknown = [n for n in argv if n not in names]
    if unknown:
        print(f"没有这些基准测试：{'、'.join(unknown)}（可用：{'、'.join(names)}）", file=sys.stderr)
        return 2
    status = 0
    for name in argv:
        print(f"=== benchmarks.{name} ===", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        status = max(status, int(module.main([]) or 0))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
