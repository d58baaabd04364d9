"""``regbook`` command line: thin wrappers over library functions. Help text is Chinese."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from regbook import __version__


def _cmd_check(args: argparse.Namespace) -> int:
    from regbook import corpus, rules
    from regbook.problems import render

    found = rules.check(corpus.load(args.root))
    errors = sum(p.is_error for p in found)
    warnings = len(found) - errors
    if found:
        print(render(found, args.format))
    if args.format == "text":
        print(f"检查完成：{errors} 个错误，{warnings} 个警告。", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def _cmd_build(args: argparse.Namespace) -> int:
    from regbook import build

    return build.build(Path(args.root), Path(args.site_dir) if args.site_dir else None)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="regbook", description="吉林省国防动员法律法规汇编：检查内容、生成网站和汇编。")
    p.add_argument("--version", action="version", version=f"regbook {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    check = sub.add_parser("check", help="检查全部内容的元数据，列出所有问题", description="检查全部内容的元数据，列出所有问题。")
    check.add_argument("--root", default=".", help="项目目录（默认：当前目录）")
    check.add_argument("--format", choices=("text", "github", "json"), default="text", help="输出格式（默认 text）")
    check.add_argument("--strict", action="store_true", help="有警告时也以非零状态退出")
    check.set_defaults(func=_cmd_check)

    build = sub.add_parser("build", help="检查内容后生成网站（失败时保留原网站不变）", description="检查内容后生成网站。")
    build.add_argument("--root", default=".", help="项目目录（默认：当前目录）")
    build.add_argument("--site-dir", help="输出目录（默认：项目目录下的 site/）")
    build.set_defaults(func=_cmd_build)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
