"""docs/CONFIGURATION.md is what ``python -m tools.configuration_doc`` makes of the settings
class, and every ``PENGADUAN_*`` name a deployment file uses is one the project reads."""

from __future__ import annotations

import re

import pytest

from shared.runtime.settings import Settings
from shared.runtime.settings.project import PROJECT_ROOT
from shared.runtime.settings.sources import variables
from tools import configuration_doc

DEPLOYMENT_FILES = ("docker-compose.yml", ".env.example")
NAME = re.compile(r"\bPENGADUAN_[A-Z0-9_]+\b")


def test_the_page_is_what_the_command_makes_of_the_settings() -> None:
    page = configuration_doc.PAGE.read_text()
    assert page == configuration_doc.render(), (
        "docs/CONFIGURATION.md differs from the settings: run python -m tools.configuration_doc"
    )
    assert configuration_doc.main(["--check"]) == 0


def test_the_page_names_every_setting_once_with_what_it_does() -> None:
    page = configuration_doc.PAGE.read_text()
    for setting in variables(Settings):
        [line] = [line for line in page.splitlines() if line.startswith(f"| `{setting.name}` |")]
        assert setting.field.description
        assert setting.field.description.split(".")[0] in line


@pytest.mark.parametrize("filename", DEPLOYMENT_FILES)
def test_every_variable_a_deployment_file_names_is_read_by_the_project(filename: str) -> None:
    named = set(NAME.findall((PROJECT_ROOT / filename).read_text()))
    read = {setting.name for setting in variables(Settings)} | {"PENGADUAN_SECRETS_DIR"}
    unknown = named - read - set(configuration_doc.COMPOSE_ONLY)
    assert unknown == set(), f"{filename} names variables no setting reads: {sorted(unknown)}"


def test_the_variables_only_compose_reads_are_still_read_by_compose() -> None:
    compose = (PROJECT_ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{(PENGADUAN_\w+)", compose))
    assert set(configuration_doc.COMPOSE_ONLY) <= used
    # and none of them is a setting as well (it would be documented twice)
    assert not set(configuration_doc.COMPOSE_ONLY) & {s.name for s in variables(Settings)}
