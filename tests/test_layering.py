"""Packages import downwards only: read every module's imports (``ast``) and check each against
the table of layers below, so a new upward or cross-service import fails here, with the rule.

Lowest first: ``shared.sop``, ``shared.wording`` (words built from it) and ``shared.runtime``
(side by side), ``shared.database`` and ``shared.attachments`` (side by side, the attachment
store on the settings alone), ``shared.messaging`` and ``shared.web`` (side by side),
``shared.process``, then the services (each its domain, then its
``api``/``console``/``portal``/``tasks``/``worker``), then ``tools``; ``tests`` above them all.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from shared.runtime.settings.project import PROJECT_ROOT


@dataclass(frozen=True)
class Layer:
    name: str
    modules: tuple[str, ...]  # dotted patterns, ``*`` standing for one name; a module or below
    may_import: tuple[str, ...]  # the layers besides its own it may import
    exact: bool = False  # the package itself only, not the modules below it


SHARED = ("shared.sop", "shared.wording", "shared.runtime", "shared.database")
SHARED_ALL = (*SHARED, "shared.attachments", "shared.messaging", "shared.web", "shared.process")
# A service's entry points: what a process or a person starts. Its domain never imports them.
ENTRY = ("api", "console", "portal", "tasks", "worker", "migrations")

# First match wins: the more specific patterns come first.
LAYERS = (
    # The office's own data beside the SOP: its licensing services and the SKM survey.
    Layer(
        "shared.sop",
        ("shared.sop", "shared.sop_shapes", "shared.licensing_services", "shared.skm"),
        (),
    ),
    Layer("shared.wording", ("shared.wording",), ("shared.sop",)),
    Layer("shared.runtime", ("shared.runtime",), ("shared.sop",)),
    Layer("shared.database", ("shared.database",), ("shared.sop", "shared.runtime")),
    Layer("shared.attachments", ("shared.attachments",), ("shared.runtime",)),
    Layer("shared.messaging", ("shared.messaging",), SHARED),
    # A stored file as an HTTP answer (shared.web.downloads) sends the attachments' headers.
    Layer("shared.web", ("shared.web",), (*SHARED, "shared.attachments")),
    Layer("shared.process", ("shared.process",), (*SHARED, "shared.messaging", "shared.web")),
    Layer("shared", ("shared",), (), exact=True),
    Layer(
        "a service's entry points",
        tuple(f"services.*.{entry}" for entry in ENTRY),
        (*SHARED_ALL, "a service's domain"),
    ),
    Layer("a service's domain", ("services.*",), SHARED_ALL),
    Layer("services", ("services",), (), exact=True),
    Layer("tools", ("tools",), (*SHARED_ALL, "a service's entry points", "a service's domain")),
    Layer("tests", ("tests",), ("*",)),
)
# Modules under different matches of this pattern never import each other: the services talk
# through messages (shared.messaging), each with its own database.
SEPARATE = "services.*"
PACKAGES = ("shared", "services", "tools")

# Imports allowed against the table, each with why; one no longer made fails, to be removed.
WAIVERS: dict[tuple[str, str], str] = {}


def _matches(module: str, pattern: str, *, exact: bool = False) -> bool:
    names, wanted = module.split("."), pattern.split(".")
    long_enough = len(names) == len(wanted) if exact else len(names) >= len(wanted)
    return long_enough and all(map(fnmatchcase, names, wanted))


def layer_of(module: str) -> Layer | None:
    return next(
        (
            layer
            for layer in LAYERS
            if any(_matches(module, p, exact=layer.exact) for p in layer.modules)
        ),
        None,
    )


def _scope(module: str) -> str | None:
    parts = module.split(".")
    return ".".join(parts[:2]) if _matches(module, SEPARATE) else None


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    path: Path
    line: int


def module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def _resolve(importer: str, node: ast.ImportFrom, *, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")[: len(importer.split(".")) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def _dynamic_target(node: ast.Call) -> str | None:
    """``importlib.import_module("a.b")``, or the fixed start of an f-string given to it."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name != "import_module" or not node.args:
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return str(arg.values[0].value).rsplit(".", 1)[0] or None
    return None


def imports_of(path: Path, root: Path, known: set[str]) -> list[Import]:
    """Every project import in ``path``: at the top, inside functions, and by ``importlib``."""
    importer = module_name(path, root)
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(importer, node, is_package=path.name == "__init__.py")
            # ``from shared import sop`` imports the module shared.sop.
            targets = [
                f"{module}.{a.name}" if f"{module}.{a.name}" in known else module
                for a in node.names
            ]
        elif isinstance(node, ast.Call) and (target := _dynamic_target(node)):
            targets = [target]
        roots = {module.split(".")[0] for module in known}
        found += [
            Import(importer, t, path, node.lineno)
            for t in dict.fromkeys(targets)
            if t.split(".")[0] in roots
        ]
    return found


def violations(root: Path, waivers: dict[tuple[str, str], str] = WAIVERS) -> list[str]:
    files = [f for package in PACKAGES for f in sorted((root / package).rglob("*.py"))]
    known = {module_name(f, root) for f in files} | {"tests"}
    problems = []
    waived: set[tuple[str, str]] = set()
    for imp in (i for f in files for i in imports_of(f, root, known)):
        problem = _judge(imp)
        if problem and (imp.importer, imp.target) in waivers:
            waived.add((imp.importer, imp.target))
        elif problem:
            where = f"{imp.path.relative_to(root)}:{imp.line}"
            problems.append(f"{where}: {imp.importer} imports {imp.target}: {problem}")
    return problems + [f"waiver no longer needed, remove it: {w}" for w in set(waivers) - waived]


def _judge(imp: Import) -> str | None:
    """The rule ``imp`` breaks, in words, or None."""
    mine, theirs = layer_of(imp.importer), layer_of(imp.target)
    if mine is None or theirs is None:
        unknown = imp.importer if mine is None else imp.target
        return f"{unknown} is in no layer: add it to the table in tests/test_layering.py"
    own, other = _scope(imp.importer), _scope(imp.target)
    if own and other and own != other:
        return f"{own} may not import another service ({other}); services talk by messages"
    if theirs.name == mine.name or "*" in mine.may_import or theirs.name in mine.may_import:
        return None
    allowed = ", ".join(mine.may_import) or "no other layer"
    return f"{mine.name} may import only {allowed} (not {theirs.name})"


def test_no_package_imports_upwards_or_across_services() -> None:
    problems = violations(PROJECT_ROOT)
    assert not problems, "imports against the layering:\n" + "\n".join(problems)


def _plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_the_checker_finds_planted_upward_and_cross_service_imports(tmp_path: Path) -> None:
    _plant(
        tmp_path,
        {
            "shared/__init__.py": "",
            "shared/sop.py": "",
            "shared/runtime/__init__.py": "",
            "shared/runtime/checks.py": """\
                import importlib


                def demo():
                    from services.workflow import models
                    return importlib.import_module("services.workflow.models")
                """,
            "shared/database/__init__.py": "from shared.messaging import outbox\n",
            "shared/messaging/__init__.py": "",
            "shared/messaging/outbox.py": "from shared.database import engine\n",
            "shared/database/engine.py": "from shared import sop\n",
            "services/__init__.py": "",
            "services/workflow/__init__.py": "",
            "services/workflow/models.py": "from shared.database import engine\n",
            "services/workflow/cases/__init__.py": "",
            "services/workflow/cases/steps.py": "from services.workflow.api import schemas\n",
            "services/workflow/api/__init__.py": "",
            "services/workflow/api/schemas.py": "from services.workflow.cases import steps\n",
            "services/intake/__init__.py": "",
            "services/intake/tasks.py": "from services.workflow import models\n",
            "tools/__init__.py": "",
            "tools/dead_letters.py": "from services.intake import tasks\nimport tests.support\n",
        },
    )
    problems = violations(tmp_path, waivers={})
    expected = [
        ("shared/runtime/checks.py:5", "shared.runtime may import only shared.sop"),
        ("shared/runtime/checks.py:6", "shared.runtime may import only shared.sop"),
        ("shared/database/__init__.py:1", "(not shared.messaging)"),
        ("services/workflow/cases/steps.py:1", "(not a service's entry points)"),
        ("services/intake/tasks.py:1", "services.intake may not import another service"),
        ("tools/dead_letters.py:2", "(not tests)"),
    ]
    for where, rule in expected:
        assert any(p.startswith(where) and rule in p for p in problems), (where, problems)
    assert len(problems) == len(expected), problems
