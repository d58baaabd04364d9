"""Building the site: check first, build elsewhere, then swap, so a failure leaves ``site/`` as it was."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from regbook import clock, corpus, rules
from regbook.problems import render
from regbook.rules import history


def source_date_epoch(root: Path) -> str:
    """The commit time of HEAD (reproducible builds), or now outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if out:
            return out
    except (OSError, subprocess.CalledProcessError):
        pass
    return str(int(time.time()))


def build(root: Path, site_dir: Path | None = None, since: str | None = None, today: dt.date | None = None) -> int:
    """Check the content, build the site into a new folder, then swap it in. Returns an exit code.

    ``since``: the deletion guard's revision, as ``regbook check --since`` (default: the main
    branch's merge-base; ``"none"``: off). It runs with the other rules, before anything is written.
    """
    root = root.resolve()
    site_dir = (site_dir or root / "site").resolve()
    started = time.perf_counter()
    loaded = corpus.load(root)
    today = today or clock.today()  # one date for the check and the MkDocs subprocess (REGBOOK_TODAY)
    found = rules.check(loaded, today)
    try:
        lost, notice = history.guard(loaded, since)
    except history.HistoryError as exc:
        print(f"regbook build --since：{exc}", file=sys.stderr)
        return 2
    found = sorted(set(found) | set(lost))
    if notice:
        print(notice, file=sys.stderr)
    if found:
        print(render(found), file=sys.stderr)
    if any(p.is_error for p in found):
        print(f"内容检查未通过：{sum(p.is_error for p in found)} 个错误。网站未更新（{site_dir} 保持原样）。", file=sys.stderr)
        return 1
    staging = site_dir.with_name(f".{site_dir.name}-new")
    shutil.rmtree(staging, ignore_errors=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH") or source_date_epoch(root)}
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env[clock.ENV] = today.isoformat()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(staging)],
        cwd=root,
        env=env,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"网站生成失败（mkdocs 退出码 {result.returncode}）。网站未更新（{site_dir} 保持原样）。", file=sys.stderr)
        return 1
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"网站已生成：{site_dir}（用时 {time.perf_counter() - started:.1f} 秒）", file=sys.stderr)
    return 0
