"""Every package the code imports is declared in pyproject.toml: the services' imports among the
project's dependencies, the tests' and tools' among them or the dev extra. A package that is
only there because another pulls it in (rich came with schemathesis) breaks the day that other
package drops it."""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterable
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from setuptools import find_namespace_packages

from shared.runtime.settings.project import PROJECT_ROOT

OWN = {"shared", "services", "tools", "tests"}


def declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    runtime = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    dev = {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"]["dev"]}
    return runtime, dev


def in_folders(folders: Iterable[str]) -> list[Path]:
    return [path for folder in folders for path in (PROJECT_ROOT / folder).rglob("*.py")]


def in_wheel() -> list[Path]:
    """The modules the wheel holds: pyproject's package find, as setuptools reads it (folders
    without an ``__init__.py``, such as the migrations, count: namespaces are on by default)."""
    find = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    find = find["packages"]["find"]
    packages = find_namespace_packages(
        str(PROJECT_ROOT), include=find["include"], exclude=find["exclude"]
    )
    return [
        p for package in packages for p in (PROJECT_ROOT / package.replace(".", "/")).glob("*.py")
    ]


def imported(paths: Iterable[Path]) -> dict[str, Path]:
    """Top-level module -> a file importing it, over ``paths``."""
    found: dict[str, Path] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path)
    return found


def undeclared(paths: Iterable[Path], allowed: set[str]) -> dict[str, str]:
    distributions = packages_distributions()
    missing = {}
    for module, path in imported(paths).items():
        if module in OWN or module in sys.stdlib_module_names:
            continue
        names = {canonicalize_name(d) for d in distributions.get(module, [module])}
        if not names & allowed:
            missing[module] = str(path.relative_to(PROJECT_ROOT))
    return missing


def test_the_services_import_only_declared_dependencies() -> None:
    runtime, _ = declared()
    assert undeclared(in_folders(["shared", "services"]), runtime) == {}


def test_the_tests_and_tools_import_only_declared_dependencies() -> None:
    runtime, dev = declared()
    assert undeclared(in_folders(["tests", "tools"]), runtime | dev) == {}


def test_what_the_wheel_holds_imports_only_the_project_dependencies() -> None:
    """The image installs the wheel beside the project's dependencies only (Dockerfile): a
    dev-only import in a packaged module (tools.harness's aiosmtpd) would fail there."""
    runtime, _ = declared()
    packaged = in_wheel()
    assert PROJECT_ROOT / "tools" / "run_embedded.py" in packaged
    assert undeclared(packaged, runtime) == {}
