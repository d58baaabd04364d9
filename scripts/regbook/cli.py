"""``regbook`` command line: thin wrappers over library functions. Help text is Chinese."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from regbook import __version__

TODAY_ENV = "REGBOOK_TODAY"  # regbook.clock.ENV (not imported here: `regbook --help` stays fast)


def _cmd_check(args: argparse.Namespace) -> int:
    from regbook import corpus, rules
    from regbook.problems import render, summary
    from regbook.rules import history

    today = _today(args, "check")
    if today is None:
        return 2
    root = Path(args.root)
    if not (root / corpus.REGULATIONS_DIR).is_dir() and not (root / "docs").is_dir():
        print(f"regbook check：{root.resolve()} 不是项目目录（其中没有 regulations/ 和 docs/）；请用 --root 指定", file=sys.stderr)
        return 2
    loaded = corpus.load(root)
    found = rules.check(loaded, today)
    try:
        lost, notice = history.guard(loaded, args.since)
    except history.HistoryError as exc:
        print(f"regbook check --since：{exc}", file=sys.stderr)
        return 2
    found = sorted(set(found) | set(lost))
    if notice:
        print(notice, file=sys.stderr)
    try:
        if found or args.format == "codequality":  # a code-quality report is a JSON array, even empty
            print(render(found, args.format), flush=True)
    except BrokenPipeError:  # `regbook check | head`: the reader has enough (Python docs' recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if args.format == "text":
        print(summary(found), file=sys.stderr)
    errors = any(p.is_error for p in found)
    warnings = any(p.is_warning for p in found)
    return 1 if errors or (args.strict and warnings) else 0


def _today(args: argparse.Namespace, command: str) -> dt.date | None:
    """The build date (``--today``, else ``REGBOOK_TODAY``, else today in Beijing); ``None`` after
    printing why the given value is not a date."""
    from regbook import clock

    try:
        return clock.resolve(args.today)
    except clock.ClockError as exc:
        print(f"regbook {command} {exc}", file=sys.stderr)
        return None


def _cmd_build(args: argparse.Namespace) -> int:
    from regbook import build

    today = _today(args, "build")
    if today is None:
        return 2
    return build.build(Path(args.root), Path(args.site_dir) if args.site_dir else None, since=args.since, today=today)


def _cmd_import(args: argparse.Namespace) -> int:
    """Import law texts; per-file progress on stderr, problems as ``path:line: 错误: …``."""
    import datetime as dt
    import time
    from typing import Any

    from regbook import importer
    from regbook.problems import Problem

    fallback_date = None
    if args.date:
        try:
            fallback_date = dt.date.fromisoformat(args.date)
        except ValueError:
            print(f"--date: 日期应写作 YYYY-MM-DD（如 2023-05-06），实际为“{args.date}”", file=sys.stderr)
            return 2
    sources = [Path(s) for s in args.sources]
    missing = [s for s in sources if not s.exists()]
    for s in missing:
        print(f"{s}:1: 错误: 文件或文件夹不存在", file=sys.stderr)
    sources = [s for s in sources if s.exists()]
    started = time.monotonic()
    bars: list[Any] = []  # a tqdm bar on a terminal, made at the first file (when the total is known)

    def on_file(i: int, n: int, source: str, outcome: str, problems: list[Problem]) -> None:
        if sys.stderr.isatty():
            if not bars:
                from tqdm import tqdm

                bars.append(tqdm(total=n, file=sys.stderr, unit="件", desc="导入"))
            for problem in problems:
                bars[0].write(problem.as_text(), file=sys.stderr)
            bars[0].update(1)
        else:
            print(f"[{i}/{n}] {source}：{outcome}", file=sys.stderr)
            for problem in problems:
                print(problem.as_text(), file=sys.stderr)

    report = importer.import_sources(
        Path(args.root),
        sources,
        level=args.level,
        out=Path(args.out) if args.out else None,
        fallback_date=fallback_date,
        chosen_id=args.id,
        resolve="edits" if args.keep_edits else "source" if args.use_source else None,
        on_file=on_file,
    )
    for bar in bars:
        bar.close()
    if not report.problems_shown:
        for problem in report.problems:  # problems with the arguments, before any file was read
            print(problem.as_text(), file=sys.stderr)
    seconds = time.monotonic() - started
    print(
        f"导入完成：新建 {len(report.created)} 件，更新 {len(report.updated)} 件，未变 {len(report.unchanged)} 件，"
        f"跳过 {len(report.skipped)} 件，出错 {report.failed + len(missing)} 件，冲突未改动 {len(report.conflicts)} 件，"
        f"旧版本标为已修改 {len(report.marked)} 件；"
        f"用时 {seconds:.1f} 秒。",
        file=sys.stderr,
    )
    if report.fallbacks:
        print(f"其中 {report.files_with_fallback} 件使用了兜底规则：", file=sys.stderr)
        for reason, count in report.fallbacks.most_common():
            print(f"  {count:5d}  {reason}", file=sys.stderr)
    if report.conflicts:
        print(
            f"有 {len(report.conflicts)} 件文件的字段编辑和来源都改过，未改动（见上方“导入冲突”）："
            "核对后加 --keep-edits（保留编辑的值）或 --use-source（采用来源的值）重新导入",
            file=sys.stderr,
        )
    return 1 if report.failed or report.conflicts or missing else 0


SINCE_HELP = (
    "删除检查：与 git 版本 REF（如 origin/main、提交号）比较，该版本中的内容文件被删除、id（索引号）被修改，"
    "或清理记录、政府信息公开内容的文件被移动、改名时报错。"
    "默认与主分支（origin/main，没有时为 main）的分叉点比较，在 main 上即与最后一次提交比较；"
    "没有 git 历史时跳过并提示。写 --since none 关闭此项检查"
)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="regbook", description="吉林省国防动员法律法规汇编：检查内容、生成网站和汇编。")
    p.add_argument("--version", action="version", version=f"regbook {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    check = sub.add_parser("check", help="检查全部内容的元数据，列出所有问题", description="检查全部内容的元数据，列出所有问题。")
    check.add_argument("--root", default=".", help="项目目录（默认：当前目录）")
    check.add_argument(
        "--format",
        choices=("text", "github", "codequality", "json"),  # regbook.problems.FORMATS
        default="text",
        help="输出格式：text（文件:行号: 错误: …，默认）、github（GitHub 拉取请求中的批注）、"
        "codequality（GitLab 合并请求的代码质量报告）、json",
    )
    check.add_argument("--strict", action="store_true", help="有警告时也以非零状态退出（提示不影响）")
    check.add_argument(
        "--today", metavar="YYYY-MM-DD", help=f"按指定日期检查（默认：环境变量 {TODAY_ENV}，否则今天），如检查到期和尚未生效的文件"
    )
    check.add_argument("--since", metavar="REF", help=SINCE_HELP)
    check.set_defaults(func=_cmd_check)

    build = sub.add_parser("build", help="检查内容后生成网站（失败时保留原网站不变）", description="检查内容后生成网站。")
    build.add_argument("--root", default=".", help="项目目录（默认：当前目录）")
    build.add_argument("--site-dir", help="输出目录（默认：项目目录下的 site/）")
    build.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help=f"按指定日期生成（默认：环境变量 {TODAY_ENV}，否则今天）：网站、目录、检索和汇编显示该日的时效性",
    )
    build.add_argument("--since", metavar="REF", help=SINCE_HELP)
    build.set_defaults(func=_cmd_build)

    imp = sub.add_parser(
        "import",
        help="导入法律文本（国家法律法规数据库的文本格式或 Word .docx），生成带元数据的法规文件",
        description="导入法律文本：每个来源生成一个法规文件（regulations/<效力位阶文件夹>/<id>.md），"
        "元数据取自标题和制定、修改情况；同一法律的新版本会把旧版本标为“已修改”。"
        "再次导入时只更新编辑没有改过的字段和正文；编辑和来源都改过的，文件不动并列出冲突。",
    )
    imp.add_argument("sources", nargs="+", metavar="来源", help="文本文件（.md/.txt）、Word 文件（.docx）或包含它们的文件夹")
    imp.add_argument("--level", metavar="效力位阶", help="效力位阶（法律、行政法规、地方性法规、规章、行政规范性文件、其他规范性文件）；默认按来源文件夹名判断")
    imp.add_argument("--out", metavar="文件夹", help="输出文件夹（须在 regulations/ 下；默认 regulations/<效力位阶文件夹>/）")
    imp.add_argument("--date", metavar="YYYY-MM-DD", help="来源完全没有日期时使用的公布日期（会在正文顶部提示核对）")
    imp.add_argument("--id", metavar="ID", help="指定导入文件的 id（只能用于单个来源文件；小写字母、数字和连字符）；默认由标题拼音和公布日期生成")
    resolve = imp.add_mutually_exclusive_group()
    resolve.add_argument("--keep-edits", action="store_true", help="再次导入时，编辑改过、来源也改过的字段保留编辑的值")
    resolve.add_argument("--use-source", action="store_true", help="再次导入时，编辑改过、来源也改过的字段采用来源的值")
    imp.add_argument("--root", default=".", help="项目目录（默认：当前目录）")
    imp.set_defaults(func=_cmd_import)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
