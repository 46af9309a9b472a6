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

from shared.runtime.settings.project import PROJECT_ROOT

OWN = {"shared", "services", "tools", "tests"}


def declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    runtime = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    dev = {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"]["dev"]}
    return runtime, dev


def imported(folders: Iterable[str]) -> dict[str, Path]:
    """Top-level module -> a file importing it, over every module of ``folders``."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
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


def undeclared(folders: Iterable[str], allowed: set[str]) -> dict[str, str]:
    distributions = packages_distributions()
    missing = {}
    for module, path in imported(folders).items():
        if module in OWN or module in sys.stdlib_module_names:
            continue
        names = {canonicalize_name(d) for d in distributions.get(module, [module])}
        if not names & allowed:
            missing[module] = str(path.relative_to(PROJECT_ROOT))
    return missing


def test_the_services_import_only_declared_dependencies() -> None:
    runtime, _ = declared()
    assert undeclared(["shared", "services"], runtime) == {}


def test_the_tests_and_tools_import_only_declared_dependencies() -> None:
    runtime, dev = declared()
    assert undeclared(["tests", "tools"], runtime | dev) == {}
