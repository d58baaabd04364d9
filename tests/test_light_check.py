"""The light check: ``make check`` needs only Python, git and ``requirements-check.txt``.

An editor (or a pull request's first job) runs ``regbook check`` without Chromium, fonts, Pango or
WeasyPrint: the checker imports none of them, its pins are closed under their dependencies, and
``make check`` in a fresh project folder makes a venv with only those pins and passes, with
Chromium out of reach.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import FIXTURE, FIXTURE_TODAY, ROOT, copy_project

LIGHT = ROOT / "requirements-check.txt"
FULL = ROOT / "requirements.txt"
HEAVY = ("weasyprint", "playwright", "mkdocs", "material", "numpy", "lxml", "docx", "pypinyin", "PIL")
"""Modules the build and the tests need and the checker must not."""
TOOLS = ("make", "bash", "dpkg-query", "grep", "id", "touch", "git")
"""What ``make check`` may run besides Python: the Makefile, scripts/system-deps.sh, git."""


def _pins(path: Path) -> dict[str, str]:
    """``name → version`` of a requirements file's ``name==version`` lines (includes not followed)."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)", line)
            assert match, f"{path.name}: 不是精确版本：{line}"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def test_light_pins_are_exact_closed_and_included_once() -> None:
    """Check that requirements-check.txt pins exact versions (those installed), includes every
    dependency of its packages, and that requirements.txt includes it without repeating a pin."""
    light = _pins(LIGHT)
    assert {"markdown", "pymdown-extensions", "pyyaml", "tinyhtml5"} <= set(light)
    for name, version in light.items():
        assert metadata.version(name) == version, f"{name}: 已安装 {metadata.version(name)}，固定为 {version}"
        for spec in metadata.requires(name) or []:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                assert canonicalize_name(req.name) in light, f"{name} 需要 {req.name}，requirements-check.txt 中没有"
    assert "-r requirements-check.txt" in FULL.read_text(encoding="utf-8").splitlines()
    assert not set(light) & set(_pins(FULL)), "requirements.txt 重复固定了 requirements-check.txt 中的软件包"


def _imported(*args: str) -> set[str]:
    """Top-level modules a Python run imports (``-X importtime``), less those of an empty run."""

    def run(*a: str) -> set[str]:
        done = subprocess.run([sys.executable, "-X", "importtime", *a], capture_output=True, text=True, cwd=ROOT)
        names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)", done.stderr, re.M)
        return {n.split(".")[0] for n in names}

    return run(*args) - run("-c", "pass")


def test_check_imports_nothing_heavy() -> None:
    """Check that `regbook check` imports third-party modules only from requirements-check.txt's
    packages: no WeasyPrint, Playwright, MkDocs, NumPy or lxml."""
    modules = _imported(
        "-m", "regbook.cli", "check", "--root", str(FIXTURE), "--today", FIXTURE_TODAY.isoformat(), "--since", "none"
    )
    assert {"regbook", "markdown", "yaml", "tinyhtml5"} <= modules
    assert not modules & set(HEAVY)
    owners = metadata.packages_distributions()
    light = set(_pins(LIGHT))
    third_party = {m for m in modules if m not in sys.stdlib_module_names and m != "regbook" and m in owners}
    outside = {m: owners[m] for m in third_party if not {canonicalize_name(d) for d in owners[m]} & light}
    assert outside == {}, f"regbook check 导入了 requirements-check.txt 以外的软件包：{outside}"


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_make_check_in_a_fresh_project_needs_only_the_light_venv(tmp_path: Path) -> None:
    """Check that `make check` in a new project (git repository, no venv) creates a venv with only
    the checker's pins, passes on the sample content with nothing but make, git and Python on PATH
    (no Chromium), and reports an error once a file is broken."""
    project = copy_project(tmp_path / "project")
    for name in ("Makefile", "requirements-check.txt", "requirements.txt"):
        shutil.copy2(ROOT / name, project / name)
    git = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    git |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "sample"]):
        subprocess.run(["git", "-C", str(project), *command], check=True, env={**os.environ, **git})
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, f"本机没有 {tool}"
        (tools / tool).symlink_to(found)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env |= git | {"PATH": str(tools), "REGBOOK_TODAY": FIXTURE_TODAY.isoformat()}
    assert shutil.which("chromium", path=env["PATH"]) is None
    python = Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"

    done = _run(["make", "check", f"PYTHON={python}"], project, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "检查完成：0 个错误" in done.stderr
    assert "提示：" not in done.stderr, "删除检查没有运行（应与 main 的最后一次提交比较）"

    venv_python = str(project / ".venv" / "bin" / "python")
    probe = "import importlib.util as u, sys; print(' '.join(m for m in sys.argv[1:] if u.find_spec(m)))"
    found = _run([venv_python, "-c", probe, *HEAVY, "pytest"], project, env)
    assert found.returncode == 0 and found.stdout.strip() == "", f"轻量环境中装了：{found.stdout}"
    installed = _run([venv_python, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"], project, env)
    names = {canonicalize_name(line.split("==")[0]) for line in installed.stdout.splitlines()}
    assert names - {"pip", "setuptools", "regbook"} == set(_pins(LIGHT))

    broken = project / "regulations" / "falv" / "renmin-fangkong-fa.md"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("时效性: 现行有效", "时效性: 有效", 1), encoding="utf-8"
    )
    again = _run(["make", "check", f"PYTHON={python}"], project, env)
    assert again.returncode != 0
    assert "regulations/falv/renmin-fangkong-fa.md:" in again.stdout and ": 错误: “时效性”" in again.stdout
    assert "pip install" not in again.stdout, "第二次 make check 不应重新安装"
