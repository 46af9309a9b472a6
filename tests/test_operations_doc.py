"""docs/OPERATIONS.md and the README's deployment section name only what exists: compose services
and volumes, modules, settings and queues. A renamed service fails here, not at 3 a.m."""

from __future__ import annotations

import itertools
import re
import shlex
from typing import Any

import pytest
import yaml

from shared.messaging.celery_app import ALL_QUEUES
from shared.runtime.settings import Settings
from shared.runtime.settings.project import PROJECT_ROOT
from shared.runtime.settings.sources import variables

COMPOSE: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
OPERATIONS = (PROJECT_ROOT / "docs" / "OPERATIONS.md").read_text()
README = (PROJECT_ROOT / "README.md").read_text()
DOCS = {"docs/OPERATIONS.md": OPERATIONS, "README.md": README}
# Every page a reader may copy a command from.
ALL_PAGES = {"README.md": README} | {
    f"docs/{path.name}": path.read_text() for path in (PROJECT_ROOT / "docs").glob("*.md")
}

# `docker compose <verb>` and where its service names stand.
SERVICE_VERBS = {"stop", "start", "restart", "exec", "run", "logs", "ps", "up", "down"}


def shell_lines(text: str) -> list[str]:
    """Every command in the ```sh blocks, continuation lines joined, comments dropped."""
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        joined = block.replace("\\\n", " ")
        lines += [line.split(" #")[0].strip() for line in joined.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def simple_commands(line: str) -> list[list[str]]:
    """The words of each command of a shell line (split at ``&&``, ``;`` and ``|`` outside
    quotes)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in ("&&", ";", "|", "||"):
            commands.append([])
        else:
            commands[-1].append(token)
    return [words for words in commands if words]


def compose_services_named(command: str) -> list[str]:
    """The services a ``docker compose`` command acts on."""
    named: list[str] = []
    if "docker compose" not in command:  # other lines may hold a quoted multi-line body
        return named
    for words in simple_commands(command):
        if words[:2] != ["docker", "compose"] or len(words) < 3:
            continue
        verb, rest = words[2], words[3:]
        assert verb in SERVICE_VERBS, f"unexpected compose verb in: {command}"
        scale = [
            value.split("=")[0] for flag, value in itertools.pairwise(rest) if flag == "--scale"
        ]
        plain = [w for w in rest if not w.startswith("-") and "=" not in w]
        if verb in ("exec", "run"):
            named.append(plain[0])
        elif verb in ("stop", "start", "restart"):
            named += plain
        named += scale
    return named


@pytest.mark.parametrize("doc", DOCS)
def test_every_compose_command_names_a_real_service(doc: str) -> None:
    named = {s for line in shell_lines(DOCS[doc]) for s in compose_services_named(line)}
    assert named, f"{doc} names no service"
    assert named - set(COMPOSE["services"]) == set()


def test_the_services_table_lists_exactly_the_compose_services() -> None:
    section = OPERATIONS.split("## What runs", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([\w-]+)` \|", section, flags=re.MULTILINE)
    assert sorted(listed) == sorted(COMPOSE["services"])


def test_every_volume_named_exists() -> None:
    named = set(re.findall(r"`([\w-]+-(?:data|schedule))`", OPERATIONS))
    assert named == set(COMPOSE["volumes"])


def test_every_setting_named_is_a_setting_or_a_compose_variable() -> None:
    known = {setting.name for setting in variables(Settings)}
    compose_vars = set(re.findall(r"\$\{(\w+)", (PROJECT_ROOT / "docker-compose.yml").read_text()))
    # Upper-case words joined by underscores; the postgres image's own variable aside.
    named = set(re.findall(r"\b([A-Z]+(?:_[A-Z]+)+)\b", OPERATIONS)) - {"POSTGRES_PASSWORD"}
    assert named - known - compose_vars == set()


def test_the_drain_check_asks_every_queue() -> None:
    [drain] = [line for line in shell_lines(OPERATIONS) if "llen" in line]
    asked = set(re.search(r"for q in ([\w ]+);", drain).group(1).split())  # type: ignore[union-attr]
    assert asked == set(ALL_QUEUES)


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_module_run_with_python_m_exists(page: str) -> None:
    for module in set(re.findall(r"python -m ([\w.]+)", ALL_PAGES[page])):
        path = PROJECT_ROOT.joinpath(*module.split("."))
        assert path.with_suffix(".py").is_file() or (path / "__main__.py").is_file(), module


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_compose_service_a_page_names_exists(page: str) -> None:
    named = {s for line in shell_lines(ALL_PAGES[page]) for s in compose_services_named(line)}
    assert named - set(COMPOSE["services"]) == set()


def test_the_readme_deploys_in_three_commands() -> None:
    section = README.split("## Deployment: docker compose", 1)[1].split("\n## ", 1)[0]
    first_block = shell_lines(
        section.split("```", 2)[0] + "```" + section.split("```", 2)[1] + "```"
    )
    assert len(first_block) == 3
    assert first_block[0].startswith("cp .env.example .env")
    assert first_block[1].startswith("docker compose up -d")
    assert "pengaduan-staff create" in first_block[2]
