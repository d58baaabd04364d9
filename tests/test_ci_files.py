"""Pull-request CI: the GitHub workflow, the GitLab pipeline, the templates, and the check they run.

The workflow files are parsed and their structure checked (triggers, jobs, permissions, the order
of the steps). The check job's commands are then run the way the CI runs them, in a fresh clone of
a repository made from the sample content with a pull-request branch that deletes a published file
and breaks a date: GitHub's annotations and GitLab's code-quality report must point at both lines.
The apt-get lines (root only) and ``make build``/``make test`` are not re-run here: ``.ci/run`` runs
``make test``, and ``make build`` is what ``tests/test_live_content.py`` does.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from regbook.cli import main
from regbook.problems import Problem, code_quality, render
from tests.conftest import FIXTURE_TODAY, ROOT, copy_project

GITHUB = ROOT / ".github" / "workflows" / "ci.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
CJK = re.compile(r"[\u4e00-\u9fff]")
DELETED = "regulations/xingzheng-fagui/zhengbing-gongzuo-tiaoli.md"
BROKEN = "regulations/falv/guofang-fa.md"
BROKEN_LINE = 8
ADDED_ON_MAIN = "regulations/falv/shili-fa.md"
NEW_LAW = """---
id: shili-fa
标题: 中华人民共和国示例法
发文字号: 中华人民共和国主席令第九十九号
制定机关: 全国人民代表大会常务委员会
效力位阶: 法律
时效性: 现行有效
公布日期: 2024-06-28
施行日期: 2025-01-01
---

第一条 为了示例，制定本法。
"""


def _load(path: Path) -> Any:
    """A CI file as data (YAML 1.2, as GitHub and GitLab read it: ``on`` is a string, not true)."""
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _step_index(steps: list[dict[str, Any]], needle: str) -> int:
    """The index of the only step whose ``uses`` or ``run`` contains ``needle``."""
    found = [i for i, s in enumerate(steps) if needle in str(s.get("uses", "")) + str(s.get("run", ""))]
    assert len(found) == 1, f"{needle}: {found}"
    return found[0]


# --- structure --------------------------------------------------------------------------------


def test_github_workflow_structure() -> None:
    """Check the GitHub workflow: pull requests and main trigger it; read-only by default; the check
    job checks out full history, then checks with annotations against the base branch; the build job
    builds, uploads the site and the PDF, then tests; main alone publishes to Pages."""
    flow = _load(GITHUB)
    assert flow["on"]["pull_request"]["branches"] == ["main"] and flow["on"]["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read"}
    assert set(flow["jobs"]) == {"check", "build", "deploy"}
    on_main = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"

    check = flow["jobs"]["check"]
    assert check["if"] == "github.event_name == 'pull_request'" and check["container"].startswith("debian:")
    steps = check["steps"]
    apt, checkout = _step_index(steps, "apt-get install"), _step_index(steps, "actions/checkout@")
    run = _step_index(steps, "regbook check")
    assert apt < checkout < _step_index(steps, "make deps-check") < run == len(steps) - 1
    assert steps[checkout]["with"]["fetch-depth"] == 0
    assert steps[run]["run"].strip() == '.venv/bin/regbook check --format github --since "origin/$GITHUB_BASE_REF"'

    build = flow["jobs"]["build"]
    assert build["needs"] == "check" and "!failure()" in build["if"] and build["container"].startswith("debian:")
    steps = build["steps"]
    assert steps[_step_index(steps, "actions/checkout@")]["with"]["fetch-depth"] == 0
    uploads = [i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    assert [steps[i]["with"]["path"] for i in uploads] == ["site/", "site/downloads/*.pdf"]
    assert _step_index(steps, "make build") < uploads[0] < uploads[1] < _step_index(steps, "make test")
    pages = steps[_step_index(steps, "actions/upload-pages-artifact@")]
    assert pages["if"] == on_main and pages["with"]["path"] == "site/"

    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["if"] == on_main
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]

    for job in flow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[\w-]+@(v\d+|[0-9a-f]{40})", step["uses"]), step["uses"]


def test_gitlab_pipeline_structure() -> None:
    """Check the GitLab pipeline: merge requests and the default branch; full history and the target
    branch fetched; the check job's code-quality report kept even when it fails; the preview job
    builds then tests and exposes the site; the default branch publishes public/ (job pages)."""
    ci = _load(GITLAB)
    assert [r["if"] for r in ci["workflow"]["rules"]] == [
        '$CI_PIPELINE_SOURCE == "merge_request_event"',
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
    ]
    assert ci["variables"]["GIT_DEPTH"] == "0" and ci["default"]["image"].startswith("debian:")
    assert "git fetch" in ci["default"]["before_script"][-1]
    mr, default_branch = [{"if": r["if"]} for r in ci["workflow"]["rules"]]

    check = ci["check"]
    assert check["rules"] == [mr] and check["stage"] == "check"
    assert check["script"][0] == "make deps-check"
    assert "--format codequality" in check["script"][1] and "> gl-code-quality-report.json" in check["script"][1]
    assert check["artifacts"] == {"when": "always", "reports": {"codequality": "gl-code-quality-report.json"}}

    preview = ci["preview"]
    assert preview["rules"] == [mr] and preview["script"] == ["make build", "make test"]
    assert preview["artifacts"]["paths"] == ["site/"] and preview["artifacts"]["when"] == "always"
    assert preview["artifacts"]["expose_as"]

    pages = ci["pages"]
    assert pages["rules"] == [default_branch] and pages["script"][:2] == ["make build", "make test"]
    assert pages["script"][-1] == "rm -rf public && mv site public" and pages["artifacts"]["paths"] == ["public/"]
    assert ci["stages"].index(check["stage"]) < ci["stages"].index(preview["stage"]) < ci["stages"].index("deploy")


def test_templates_are_chinese_checklists_and_a_valid_issue_form() -> None:
    """Check the pull-request and merge-request templates (Chinese checklists) and the readers'
    issue templates (a GitHub form whose every field has a Chinese label; a GitLab Markdown one)."""
    for path in (ROOT / ".github/pull_request_template.md", ROOT / ".gitlab/merge_request_templates/默认.md"):
        text = path.read_text(encoding="utf-8")
        items = re.findall(r"^- \[ \] (.+)$", text, re.M)
        assert len(items) >= 8 and all(CJK.search(i) for i in items), path
        assert "没有删除文件" in text and "预览" in text
    form = _load(ROOT / ".github/ISSUE_TEMPLATE/text-error.yml")
    assert CJK.search(form["name"]) and CJK.search(form["description"])
    fields = [f for f in form["body"] if f["type"] != "markdown"]
    assert all(CJK.search(f["attributes"]["label"]) for f in fields)
    assert len({f["id"] for f in fields}) == len(fields)
    required = {f["id"] for f in fields if f.get("validations", {}).get("required")}
    assert {"document", "address", "wrong", "right"} <= required
    assert "现在的写法" in (ROOT / ".gitlab/issue_templates/文本错误.md").read_text(encoding="utf-8")


# --- the code-quality report ------------------------------------------------------------------


def test_code_quality_report() -> None:
    """Check GitLab's code-quality entries: description, check name, severity scale, location; the
    fingerprint is unique, and the same when a problem only moves to another line."""
    problems = [
        Problem.error("a.md", 3, "错一"),
        Problem.error("a.md", 9, "错一"),
        Problem.warning("a.md", 4, "警一"),
        Problem.notice("b.md", 1, "提一"),
    ]
    report = code_quality(problems)
    assert report[0] == {
        "description": "错误: 错一",
        "check_name": "regbook-error",
        "fingerprint": report[0]["fingerprint"],
        "severity": "major",
        "location": {"path": "a.md", "lines": {"begin": 3}},
    }
    assert [r["severity"] for r in report] == ["major", "minor", "major", "info"]
    assert len({r["fingerprint"] for r in report}) == 4
    moved = code_quality([Problem.error("a.md", 5, "错一")])
    assert moved[0]["fingerprint"] == report[0]["fingerprint"]
    assert json.loads(render(problems, "codequality")) == report


def test_no_problems_give_an_empty_code_quality_report(tmp_path: Path) -> None:
    """Check that `regbook check --format codequality` writes [] (a valid report, where the text
    format writes nothing) when there is no problem at all."""
    (tmp_path / "regulations").mkdir()
    (tmp_path / "docs").mkdir()
    args = ["check", "--root", str(tmp_path), "--today", FIXTURE_TODAY.isoformat(), "--since", "none"]
    for fmt, expected in (("codequality", "[]\n"), ("text", "")):
        out = io.StringIO()
        with redirect_stdout(out):
            assert main([*args, "--format", fmt]) == 0
        assert out.getvalue() == expected


# --- the check job's commands, run in a fresh clone ---------------------------------------------


def _git(repo: Path, *args: str, env: dict[str, str]) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def _run(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A CI script as both hosts run ``bash`` steps: ``bash --noprofile --norc -eo pipefail``."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _pull_request(tmp_path: Path, env: dict[str, str]) -> Path:
    """The office's repository: the sample project on main; branch ``fix`` deletes a published file
    and writes an impossible date; afterwards main moves on (a new law), as it does during review."""
    upstream = copy_project(tmp_path / "upstream")
    for name in ("Makefile", "requirements-check.txt", "requirements.txt", ".gitlab-ci.yml", ".github"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, upstream / name)
        else:
            shutil.copy2(source, upstream / name)
    _git(upstream, "init", "-q", "-b", "main", env=env)
    _git(upstream, "add", "-A", env=env)
    _git(upstream, "commit", "-q", "-m", "示例内容", env=env)
    _git(upstream, "checkout", "-q", "-b", "fix", env=env)
    (upstream / DELETED).unlink()
    broken = upstream / BROKEN
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("公布日期: 2020-12-26", "公布日期: 2020-12-32"), "utf-8"
    )
    _git(upstream, "commit", "-q", "-am", "删除一件法规，写错一个日期", env=env)
    _git(upstream, "checkout", "-q", "main", env=env)
    (upstream / ADDED_ON_MAIN).write_text(NEW_LAW, encoding="utf-8")
    _git(upstream, "add", ADDED_ON_MAIN, env=env)
    _git(upstream, "commit", "-q", "-m", "新增示例法", env=env)
    return upstream


def _github_commands() -> list[str]:
    """The check job's ``run`` steps after the checkout (before it: apt-get, as root)."""
    steps = _load(GITHUB)["jobs"]["check"]["steps"]
    return [s["run"] for s in steps[_step_index(steps, "actions/checkout@") + 1 :]]


def _gitlab_commands() -> list[str]:
    """The check job's lines: the default ``before_script`` less apt-get (root), then its ``script``."""
    ci = _load(GITLAB)
    before = [line for line in ci["default"]["before_script"] if not line.startswith("apt-get ")]
    assert len(before) == len(ci["default"]["before_script"]) - 1
    return [*before, *ci["check"]["script"]]


@pytest.mark.slow
def test_check_jobs_in_a_fresh_clone_point_at_the_broken_lines(tmp_path: Path) -> None:
    """Check the check jobs' own commands in a fresh clone: GitHub (on the pull request's merge
    commit, against origin/main) annotates the deleted file and the bad date and fails; GitLab (on
    the branch, against where it left main) writes both to its code-quality report and fails; the
    law added on main meanwhile is reported by neither."""
    git_env = {
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "GIT_AUTHOR_NAME": "编辑",
        "GIT_AUTHOR_EMAIL": "editor@example.invalid",
        "GIT_COMMITTER_NAME": "编辑",
        "GIT_COMMITTER_EMAIL": "editor@example.invalid",
    }
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")} | git_env
    env["PYTHON"] = str(Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}")
    env["REGBOOK_TODAY"] = FIXTURE_TODAY.isoformat()  # the sample content's statuses, not the workflow's
    upstream = _pull_request(tmp_path, env)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(upstream), str(clone)], check=True, env=env)

    # GitHub: actions/checkout (fetch-depth: 0) checks out the pull request merged into its base.
    _git(clone, "checkout", "-q", "--detach", "origin/fix", env=env)
    _git(clone, "merge", "-q", "--no-edit", "origin/main", env=env)
    github = env | {"GITHUB_WORKSPACE": str(clone), "GITHUB_BASE_REF": "main"}
    *prepare, check = _github_commands()
    for script in prepare:
        done = _run(script, clone, github)
        assert done.returncode == 0, done.stdout + done.stderr
    done = _run(check, clone, github)
    assert done.returncode == 1, done.stdout + done.stderr
    annotations = done.stdout.splitlines()
    deleted = (
        f"::error file={DELETED},line=1,title=错误::文件被删除：{DELETED}（id“zhengbing-gongzuo-tiaoli”）在 origin/main"
    )
    assert any(a.startswith(deleted) for a in annotations), annotations
    bad_date = f"::error file={BROKEN},line={BROKEN_LINE},title=错误::“公布日期”不是有效日期"
    assert any(a.startswith(bad_date) for a in annotations), annotations
    assert all(a.startswith("::") for a in annotations) and ADDED_ON_MAIN not in done.stdout
    assert f"directory = {clone}" in Path(git_env["GIT_CONFIG_GLOBAL"]).read_text(encoding="utf-8")

    # GitLab: the runner checks out the merge request's head, without the target branch.
    _git(clone, "checkout", "-q", "--detach", "origin/fix", env=env)
    _git(clone, "update-ref", "-d", "refs/remotes/origin/main", env=env)
    base = _git(upstream, "merge-base", "main", "fix", env=env).strip()
    gitlab = env | {"CI_PROJECT_DIR": str(clone), "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
    gitlab |= {"CI_MERGE_REQUEST_DIFF_BASE_SHA": base}
    done = _run("\n".join(_gitlab_commands()), clone, gitlab)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        f"{DELETED}:1: 错误: 文件被删除" in done.stdout and f"{BROKEN}:{BROKEN_LINE}: 错误: “公布日期”" in done.stdout
    )
    report = json.loads((clone / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert {(r["location"]["path"], r["location"]["lines"]["begin"], r["severity"]) for r in report} >= {
        (DELETED, 1, "major"),
        (BROKEN, BROKEN_LINE, "major"),
    }
    assert all(set(r) == {"description", "check_name", "fingerprint", "severity", "location"} for r in report)
    assert ADDED_ON_MAIN not in json.dumps(report, ensure_ascii=False)
    fetched = _git(clone, "rev-parse", "origin/main", env=env)
    assert fetched == _git(upstream, "rev-parse", "main", env=env), "before_script 没有取回目标分支"
    # Against main's tip instead of the diff base, the law added meanwhile would look deleted.
    tip = _run(".venv/bin/regbook check --since origin/main", clone, gitlab)
    assert f"{ADDED_ON_MAIN}:1: 错误: 文件被删除" in tip.stdout
