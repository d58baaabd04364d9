"""``regbook`` command line: thin wrappers over library functions. Help text is Chinese."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from regbook import __version__
from regbook.cli_zh import ChineseParser

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
    from regbook.importer.project import shown
    from regbook.problems import Problem

    today = _today(args, "import")
    if today is None:
        return 2
    fallback_date = None
    if args.date:
        try:
            fallback_date = dt.date.fromisoformat(args.date)
        except ValueError:
            print(f"--date: 日期应写作 YYYY-MM-DD（如 2023-05-06），实际为“{args.date}”", file=sys.stderr)
            return 2
    sources = [Path(s) for s in args.sources]
    missing = [s for s in sources if not os.path.exists(s)]  # never raises (a folder without access: False)
    for s in missing:
        print(f"{shown(s)}:1: 错误: 文件或文件夹不存在或无法访问（或是失效的链接）", file=sys.stderr)
    sources = [s for s in sources if s not in missing]
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
        today=today,
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


# --- editors' commands: regbook new, cleanup new, abolish, amend (regbook.editing) ----------------

EDIT_ROOT_HELP = "项目目录（默认：当前目录）"
EDIT_TODAY_HELP = f"今天的日期（默认：环境变量 {TODAY_ENV}，否则今天）：据此判断“尚未生效”，并拒绝将来的公布、公告日期"
DRY_RUN_HELP = "只显示将要写入的内容，不写文件"


def _edit_root(args: argparse.Namespace, command: str) -> Path | None:
    root = Path(args.root)
    if not (root / "regulations").is_dir() and not (root / "docs").is_dir():
        print(f"regbook {command}：{root.resolve()} 不是项目目录（其中没有 regulations/ 和 docs/）；请用 --root 指定", file=sys.stderr)
        return None
    return root


def _option_date(command: str, option: str, text: str | None) -> tuple[bool, dt.date | None]:
    """(ok, date) of a date option; prints why not when it is not a date."""
    if text is None:
        return True, None
    from regbook.corpus import date_or_reason

    date, why = date_or_reason(text)
    if date is None:
        print(f"regbook {command}：{option}“{text}”不是有效日期（{why}）：应写作 YYYY-MM-DD，如 2026-11-25", file=sys.stderr)
        return False, None
    return True, date


def _refused(command: str, exc: Exception) -> int:
    from regbook.editing import Refusal

    assert isinstance(exc, Refusal)
    print(str(exc) if exc.path else f"regbook {command}：{exc.message}", file=sys.stderr)
    return 1


def _finish(command: str, root: Path, plan: object, today: dt.date, dry_run: bool) -> int:
    """Print what the plan writes, write it (unless ``dry_run``), and check the written files."""
    from regbook import corpus, editing, rules

    assert isinstance(plan, editing.Plan)
    for line in editing.describe(plan):
        print(line)
    if dry_run:
        print("（试运行：没有写入任何文件）")
        return 0
    try:
        editing.apply(root, plan)
    except editing.Refusal as exc:
        return _refused(command, exc)
    for note in plan.notes:
        print(f"提示：{note}")
    found = [p for p in rules.check(corpus.load(root), today) if p.path in plan.paths]
    for problem in found:
        print(problem.as_text())
    if not found:
        print(f"检查：写入的 {len(plan.edits)} 个文件没有问题（regbook check）。")
    return 1 if any(p.is_error for p in found) else 0


def _ask(kind: str, facts: object) -> list[str]:
    """Ask for the facts ``regbook new`` still needs (on a terminal); the options missing otherwise."""
    from regbook.editing import new

    assert isinstance(facts, new.Facts)
    if not sys.stdin.isatty():
        return [f"  {f.option} {f.label}（如 {f.example}）" for f in new.needed(kind, facts)]
    while missing := new.needed(kind, facts):
        fact = missing[0]
        try:
            answer = input(f"{fact.prompt()}：")
        except EOFError:
            return [f"  {f.option} {f.label}（如 {f.example}）" for f in missing]
        value, why = new.parse(fact, answer)
        if why:
            print(why, file=sys.stderr)
        else:
            setattr(facts, fact.name, value)
    return []


def _cmd_new(args: argparse.Namespace) -> int:
    from regbook import corpus, editing
    from regbook.editing import new

    today, root = _today(args, "new"), _edit_root(args, "new")
    if today is None or root is None:
        return 2
    bad: list[str] = []
    values = {name: getattr(args, name) for name in new.FACTS}
    facts = new.facts_from(values, args.kind, bad.append)
    for why in bad:
        print(f"regbook new：{why}", file=sys.stderr)
    if bad:
        return 2
    missing = _ask(args.kind, facts)
    if missing:
        print(f"regbook new {args.kind}：缺少以下信息（不在终端中运行，无法逐项询问），请用选项给出：", file=sys.stderr)
        print("\n".join(missing), file=sys.stderr)
        return 2
    try:
        plan = new.draft(corpus.load(root), args.kind, facts, today)
    except editing.Refusal as exc:
        return _refused("new", exc)
    return _finish("new", root, plan, today, args.dry_run)


def _cmd_cleanup_new(args: argparse.Namespace) -> int:
    from regbook import corpus, editing
    from regbook.editing import cleanup

    today, root = _today(args, "cleanup new"), _edit_root(args, "cleanup new")
    ok, date = _option_date("cleanup new", "--date", args.date)
    if today is None or root is None or not ok or date is None:
        return 2
    try:
        plan = cleanup.draft(corpus.load(root), args.year, date, today, args.filed_with)
    except editing.Refusal as exc:
        return _refused("cleanup new", exc)
    return _finish("cleanup new", root, plan, today, args.dry_run)


def _cmd_abolish(args: argparse.Namespace) -> int:
    from regbook import corpus, editing
    from regbook.editing import abolish

    today, root = _today(args, "abolish"), _edit_root(args, "abolish")
    ok, date = _option_date("abolish", "--date", args.date)
    if today is None or root is None or not ok:
        return 2
    try:
        loaded = corpus.load(root)
        base = abolish.published(root, args.since) if loaded.cleanup(args.by) is not None else abolish.Published(None, "")
        plan = abolish.draft(loaded, args.document, args.by, expired=args.expired, date=date, today=today, base=base)
    except editing.Refusal as exc:
        return _refused("abolish", exc)
    return _finish("abolish", root, plan, today, args.dry_run)


def _cmd_amend(args: argparse.Namespace) -> int:
    from regbook import corpus, editing
    from regbook.editing import amend

    today, root = _today(args, "amend"), _edit_root(args, "amend")
    dates = {o: _option_date("amend", f"--{o.replace('_', '-')}", getattr(args, o)) for o in ("date", "effective", "written", "valid_until")}
    if today is None or root is None or not all(ok for ok, _ in dates.values()):
        return 2
    date = dates["date"][1]
    assert date is not None
    try:
        plan = amend.draft(
            corpus.load(root),
            args.document,
            args.version_label,
            date,
            today,
            number=args.number,
            effective=dates["effective"][1],
            written=dates["written"][1],
            valid_until=dates["valid_until"][1],
            index_no=args.index_no,
            new_id=args.id,
            event=args.event,
        )
    except editing.Refusal as exc:
        return _refused("amend", exc)
    return _finish("amend", root, plan, today, args.dry_run)


NEW_KINDS = ("法律", "行政法规", "地方性法规", "规章", "行政规范性文件", "其他规范性文件", "公开", "年报")
"""regbook.editing.new.KINDS (not imported here: `regbook --help` stays fast)."""


def _add_common(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--root", default=".", metavar="目录", help=EDIT_ROOT_HELP)
    cmd.add_argument("--today", metavar="YYYY-MM-DD", help=EDIT_TODAY_HELP)
    cmd.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)


def _add_editing_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    new = sub.add_parser(
        "new",
        help="新建文件：法规、规范性文件、政府信息公开内容（公开）或年报",
        description="新建一个文件，放到正确的文件夹：id、索引号（下一个流水号）、时效性、本办行政规范性文件的有效期至"
        "（施行之日起5年）都自动填写，正文为待替换的提纲。缺少的信息在终端中逐项询问；不在终端中运行时须用选项给出。"
        "写入后显示文件路径和各字段，并运行检查。",
    )
    new.add_argument("kind", metavar="类别", choices=NEW_KINDS, help="、".join(NEW_KINDS) + "（公开：政府信息公开内容）")
    new.add_argument("--title", metavar="标题", help="标题（年报默认为“吉林省国防动员办公室YYYY年政府信息公开工作年度报告”）")
    new.add_argument("--number", metavar="发文字号", help="发文字号；规范性文件按 GB/T 9704 写作如 吉国动办发〔2026〕5号")
    new.add_argument("--issuer", metavar="制定机关", help="制定机关（默认按效力位阶：行政规范性文件为吉林省国防动员办公室；其他规范性文件须给出）")
    new.add_argument("--written", metavar="YYYY-MM-DD", help="成文日期（规范性文件必填）")
    new.add_argument("--date", metavar="YYYY-MM-DD", help="公布日期（公开、年报：发布日期）")
    new.add_argument("--effective", metavar="YYYY-MM-DD", help="施行日期（在今天之后的为“尚未生效”）")
    new.add_argument("--valid-until", metavar="YYYY-MM-DD", help="有效期至（本办行政规范性文件默认为施行之日起5年的前一天）")
    new.add_argument("--topic", metavar="主题分类", help="主题分类，用反斜杠分级，如 国防\\人民防空（本办行政规范性文件必填）")
    new.add_argument("--index-no", metavar="索引号", help="索引号（默认：本办机构代码/年份-下一个流水号）")
    new.add_argument("--id", metavar="ID", help="id（公开、年报：文件名，不含 .md）；默认由标题拼音生成")
    new.add_argument("--column", metavar="栏目", help="公开：栏目（政府信息公开指南、政府信息公开制度、法定主动公开内容）")
    new.add_argument("--year", metavar="YYYY", help="年报：报告年度（默认为发布日期的上一年）")
    new.add_argument("--publisher", metavar="发布机构", help="公开、年报：发布机构（默认与已有内容相同）")
    _add_common(new)
    new.set_defaults(func=_cmd_new)

    cleanup = sub.add_parser(
        "cleanup", help="规范性文件清理记录：新建清理记录", description="行政规范性文件清理记录。"
    )
    cleanup_sub = cleanup.add_subparsers(dest="cleanup_command", required=True, metavar="命令")
    draft = cleanup_sub.add_parser(
        "new",
        help="新建清理记录的草稿",
        description="新建清理记录 docs/cleanup/<年份>-guifanxing-wenjian-qingli.md：列出公告日期当天现行有效的全部本办"
        "行政规范性文件，结果暂定为“保留”，理由留空待填。要废止或宣布失效的文件再用 regbook abolish 处理。",
    )
    draft.add_argument("year", metavar="年份", type=_year, help="清理年份，如 2026")
    draft.add_argument("--date", metavar="YYYY-MM-DD", required=True, help="公告日期")
    draft.add_argument("--filed-with", metavar="机关", help="报送备案机关（默认与上一次清理相同，没有时为吉林省司法厅）")
    _add_common(draft)
    draft.set_defaults(func=_cmd_cleanup_new)

    abolish = sub.add_parser(
        "abolish",
        help="废止文件或宣布失效（由清理记录或其他文件）",
        description="废止文件（或加 --expired 宣布失效）：改时效性、废止或失效日期和依据。由清理记录废止时，"
        "日期为该记录的公告日期，并在该记录中写上（或改为）“废止”“宣布失效”的决定；只能修改尚未发布的清理记录。"
        "废止现行版本时，旧版本不用改动。",
    )
    abolish.add_argument("document", metavar="文件id", help="要废止的文件的 id")
    abolish.add_argument("--by", metavar="依据id", required=True, help="依据：清理记录的 id，或废止本文件的文件的 id")
    abolish.add_argument("--expired", action="store_true", help="宣布失效（时效性“已失效”），而不是废止")
    abolish.add_argument("--date", metavar="YYYY-MM-DD", help="废止或失效日期（只用于由其他文件废止；默认为该文件的施行日期）")
    abolish.add_argument("--since", metavar="REF", help="判断清理记录是否已发布时比较的 git 版本（默认：主分支，与 regbook check 相同）")
    _add_common(abolish)
    abolish.set_defaults(func=_cmd_abolish)

    amend = sub.add_parser(
        "amend",
        help="修改文件：新建新版本，旧版本改为“已修改”",
        description="新建文件的新版本（复制旧版本，新 id 在末尾加年份），旧版本改为“已修改”并指向新版本，"
        "更早的各版本也都改为指向新版本。",
    )
    amend.add_argument("document", metavar="文件id", help="现行版本的 id")
    amend.add_argument("--version", dest="version_label", metavar="版本", required=True, help="新版本的版本，如 2025年修正")
    amend.add_argument("--date", metavar="YYYY-MM-DD", required=True, help="新版本的公布日期")
    amend.add_argument("--number", metavar="发文字号", help="新版本的发文字号（规范性文件必填）")
    amend.add_argument("--effective", metavar="YYYY-MM-DD", help="新版本的施行日期（默认为公布日期）")
    amend.add_argument("--written", metavar="YYYY-MM-DD", help="新版本的成文日期（规范性文件；默认为公布日期）")
    amend.add_argument("--valid-until", metavar="YYYY-MM-DD", help="有效期至（本办行政规范性文件默认为施行之日起5年的前一天）")
    amend.add_argument("--index-no", metavar="索引号", help="新版本的索引号（本办文件默认为下一个流水号）")
    amend.add_argument("--id", metavar="ID", help="新版本的 id（默认：旧 id 去掉年份后加新版本的年份）")
    amend.add_argument("--event", metavar="事件", help="修订历史中这一项的事件（默认取自版本：修正、修订或修改）")
    _add_common(amend)
    amend.set_defaults(func=_cmd_amend)


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"年份应为四位数字，如 2026，实际为“{text}”")
    return int(text)


def _cmd_verify(args: argparse.Namespace) -> int:
    from regbook import corpus, verify
    from regbook.problems import render

    today = _today(args, "verify")
    if today is None:
        return 2
    root, reference = Path(args.root), Path(args.corpus)
    if not (root / corpus.REGULATIONS_DIR).is_dir():
        print(f"regbook verify：{root.resolve()} 不是项目目录（其中没有 regulations/）；请用 --root 指定", file=sys.stderr)
        return 2
    if not reference.is_dir():
        print(f"regbook verify --corpus：{reference} 不是文件夹；请指定参考语料的文件夹，如 ../shared/corpus", file=sys.stderr)
        return 2
    report = verify.verify(corpus.load(root), reference, today)
    try:
        if report.problems:
            print(render(sorted(report.problems), args.format), flush=True)
    except BrokenPipeError:  # `regbook verify | head`: as in `regbook check`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if args.format == "text":
        print(report.summary(), file=sys.stderr)
    return 1 if any(p.is_error for p in report.problems) else 0


def _add_verify_command(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    cmd = sub.add_parser(
        "verify",
        help="把法律、行政法规的元数据与参考语料（国家法律法规数据库的文本）逐项核对",
        description="把每件法律、行政法规与参考语料中标题和版本相同的文本核对：公布日期、施行日期、发文字号、版本、修订历史，"
        "不一致之处列为“文件:行号: 错误: …”。语料的读法与 regbook import 相同；语料没有载明的字段（如主席令号）不核对，"
        "语料中没有的文件只计数。",
    )
    cmd.add_argument("--corpus", metavar="文件夹", required=True, help="参考语料的文件夹（国家法律法规数据库的文本格式），如 ../shared/corpus")
    cmd.add_argument("--root", default=".", help="项目目录（默认：当前目录）")
    cmd.add_argument("--format", choices=("text", "github", "json"), default="text", help="输出格式：text（文件:行号: 错误: …，默认）、github、json")
    cmd.add_argument("--today", metavar="YYYY-MM-DD", help=f"按指定日期读取语料（默认：环境变量 {TODAY_ENV}，否则今天）")
    cmd.set_defaults(func=_cmd_verify)


def _cmd_stats(args: argparse.Namespace) -> int:
    import json

    from regbook import clock, corpus, stats

    root = Path(args.root)
    if not (root / corpus.REGULATIONS_DIR).is_dir():
        print(f"regbook stats：{root.resolve()} 不是项目目录（其中没有 regulations/）；请用 --root 指定", file=sys.stderr)
        return 2
    loaded = corpus.load(root)
    table = stats.table_two(loaded, args.year)
    try:
        if args.format == "json":
            print(json.dumps(table.as_json(), ensure_ascii=False, indent=2), flush=True)
        else:
            print(stats.text_table(table), end="", flush=True)
    except BrokenPipeError:  # `regbook stats | head`: as in `regbook check`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if loaded.errors:
        print(f"注意：内容中有 {len(loaded.errors)} 个错误，未能读取的文件没有计入：请先运行 regbook check 改正", file=sys.stderr)
    if table.as_of >= clock.today():
        print(f"注意：{args.year}年12月31日尚未过去，数字按目录中已有的日期推算", file=sys.stderr)
    return 0


def _add_stats_command(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    stats_cmd = sub.add_parser(
        "stats",
        help="按元数据计算政府信息公开年报表二第二十条第（一）项（规章、行政规范性文件的本年制发、本年废止、现行有效件数）",
        description="按元数据计算某年政府信息公开工作年度报告表二第二十条第（一）项：本办制发的规章和行政规范性文件的"
        "本年制发件数（公布日期在该年）、本年废止件数（该年废止或失效，含清理和有效期届满）、现行有效件数（截至该年12月31日）。"
        "计算方法见编辑指南第八部分。",
    )
    stats_cmd.add_argument("--year", metavar="年份", type=_year, required=True, help="报告年度，如 2023")
    stats_cmd.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（表格，默认）、json（含每个数字对应的文件 id）")
    stats_cmd.add_argument("--root", default=".", help="项目目录（默认：当前目录）")
    stats_cmd.set_defaults(func=_cmd_stats)


def parser() -> argparse.ArgumentParser:
    p = ChineseParser(prog="regbook", description="吉林省国防动员法律法规汇编：检查内容、生成网站和汇编；新建、废止和修改文件。")
    p.add_argument("--version", action="version", version=f"regbook {__version__}", help="显示版本号并退出")
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
    imp.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help=f"按指定日期导入（默认：环境变量 {TODAY_ENV}，否则今天）：施行日期在此日之后的为“尚未生效”，公布日期不得晚于此日",
    )
    imp.add_argument("--root", default=".", help="项目目录（默认：当前目录）")
    imp.set_defaults(func=_cmd_import)
    _add_stats_command(sub)
    _add_editing_commands(sub)
    _add_verify_command(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else argv):  # `regbook` alone: the full help, in Chinese
        parser().print_help()
        return 0
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
