"""The Dockerfile and .dockerignore, read as text (no Docker engine here): python:3.11-slim on
Debian trixie (its PostgreSQL client reads compose's server), a non-root user, the dependencies
from pyproject.toml alone before any source, a build context without local state or secrets."""

from __future__ import annotations

import fnmatch
import re
import shlex

import pytest

from shared.runtime.settings.project import PROJECT_ROOT

Instruction = tuple[str, str]


def dockerfile_stages() -> list[list[Instruction]]:
    """Each stage's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = (PROJECT_ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stages: list[list[Instruction]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        stages[-1].append((keyword.upper(), arguments.strip()))
    return stages


def copy_sources(arguments: str) -> tuple[list[str], list[str]]:
    """The flags and sources of a COPY (its last word is the destination)."""
    words = shlex.split(arguments)
    flags = [w for w in words if w.startswith("--")]
    return flags, [w for w in words if not w.startswith("--")][:-1]


def is_dependency_install(keyword: str, arguments: str) -> bool:
    return keyword == "RUN" and "tomllib" in arguments and "pip install" in arguments


def test_every_stage_of_the_image_is_python_311_slim() -> None:
    bases = [args for stage in dockerfile_stages() for kw, args in stage if kw == "FROM"]
    assert bases
    assert all(re.fullmatch(r"python:3\.11-slim-trixie(\s+AS\s+\w+)?", b, re.I) for b in bases), (
        bases
    )


def test_the_final_stage_runs_as_a_non_root_user() -> None:
    users = [args for kw, args in dockerfile_stages()[-1] if kw == "USER"]
    assert users
    assert users[-1].split(":")[0] not in ("root", "0")


def test_dependencies_install_from_pyproject_alone_before_any_source_is_copied() -> None:
    """A source edit must not invalidate the dependency layer: until they are installed, the
    stage has seen pyproject.toml and nothing else of the project."""
    stages = dockerfile_stages()
    [stage] = [s for s in stages if any(is_dependency_install(*i) for i in s)]
    assert stage is stages[-1], "dependencies belong in the image that runs"
    install = next(n for n, i in enumerate(stage) if is_dependency_install(*i))
    assert "['project']['dependencies']" in stage[install][1]
    copies = [
        (n, copy_sources(args)) for n, (kw, args) in enumerate(stage) if kw in {"COPY", "ADD"}
    ]
    assert copies
    first, (flags, sources) = copies[0]
    assert (flags, sources) == ([], ["pyproject.toml"])
    assert first < install
    assert [n for n, _ in copies[1:] if n < install] == []


def test_the_project_itself_installs_without_its_dependencies() -> None:
    project_installs = [
        args
        for stage in dockerfile_stages()
        for kw, args in stage
        if kw == "RUN" and re.search(r"pip (install|wheel)", args) and "tomllib" not in args
    ]
    assert project_installs
    assert all("--no-deps" in args for args in project_installs), project_installs
    final_runs = [args for kw, args in dockerfile_stages()[-1] if kw == "RUN"]
    assert any("pip install --no-cache-dir --no-deps" in args for args in final_runs)


def dockerignore_patterns() -> list[str]:
    lines = (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(path: str) -> bool:
    """Docker's reading, near enough: the last pattern that matches the path or a directory
    above it decides; ``!`` takes a path back in."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    verdict = False
    for line in dockerignore_patterns():
        keep = line.startswith("!")
        pattern = line.removeprefix("!").strip("/")
        if pattern.startswith("**/"):
            hit = any(fnmatch.fnmatch(c.rsplit("/", 1)[-1], pattern[3:]) for c in candidates)
        else:
            hit = any(fnmatch.fnmatch(c, pattern) for c in candidates)
        if hit:
            verdict = not keep
    return verdict


@pytest.mark.parametrize(
    "path",
    [
        ".venv/bin/python",
        "var/intake.sqlite3",
        ".git/HEAD",
        ".env",
        "tests/conftest.py",
        "shared/__pycache__/settings.cpython-311.pyc",
        ".mypy_cache/3.11/x.json",
    ],
)
def test_the_build_context_leaves_out_local_state_and_secrets(path: str) -> None:
    assert ignored(path)


def test_the_build_context_keeps_everything_the_dockerfile_copies() -> None:
    sources = [
        source
        for stage in dockerfile_stages()
        for kw, args in stage
        if kw in {"COPY", "ADD"}
        for flags, found in [copy_sources(args)]
        if not any(flag.startswith("--from") for flag in flags)
        for source in found
    ]
    assert {"pyproject.toml", "README.md", "shared", "services", "tools"} <= set(sources)
    for source in sources:
        assert (PROJECT_ROOT / source).exists(), source
        assert not ignored(source), source
    assert not ignored("shared/runtime/settings/__init__.py")
    assert not ignored("services/notifier/templates")
