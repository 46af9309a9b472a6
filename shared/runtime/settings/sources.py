"""Where each setting's value comes from: its own ``PENGADUAN_*`` variable, or a file of the same
name in the secrets directory, whichever group the setting sits in.

pydantic-settings reads a nested model from one JSON variable (or ``GROUP__FIELD`` names); the
settings here are grouped for the code but keep the flat names operators set, so this source
reads each group's fields by the variable their ``validation_alias`` names and nests what it
finds under the group, keyed by field name (so values given to ``Settings(...)`` still win)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsError

# Values read as JSON (a list of dates, the office hours); every other value is the plain text.
JSON_TYPES = (dict, list)


@dataclass(frozen=True)
class Variable:
    """One setting: its variable, the group and field it fills, and the field itself."""

    name: str
    group: str
    field_name: str
    field: FieldInfo


def groups(settings_cls: type[BaseModel]) -> Iterator[tuple[str, type[BaseModel]]]:
    """Each group of the settings: its attribute name and its model."""
    for name, field in settings_cls.model_fields.items():
        model = field.annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise TypeError(f"settings field {name!r} is not a group of settings")
        yield name, model


def variables(settings_cls: type[BaseModel]) -> Iterator[Variable]:
    """Every setting, group by group, in the order they are declared."""
    for group, model in groups(settings_cls):
        for field_name, field in model.model_fields.items():
            if not isinstance(field.validation_alias, str):
                raise TypeError(f"setting {group}.{field_name} names no variable")
            yield Variable(field.validation_alias, group, field_name, field)


def variable_at(settings_cls: type[BaseModel], loc: tuple[int | str, ...]) -> str | None:
    """The variable a validation error's location points into, e.g. ``("mail", "port")`` (or
    the variable itself, when the value was given by it) is ``PENGADUAN_SMTP_PORT``."""
    for known in variables(settings_cls):
        if loc[:1] == (known.group,) and loc[1:2] in {(known.field_name,), (known.name,)}:
            return known.name
    return None


def variable_name(group: BaseModel, field_name: str) -> str:
    """The variable of one field of a group: ``(settings.web, "intake_port")`` is
    ``PENGADUAN_INTAKE_PORT``."""
    alias = type(group).model_fields[field_name].validation_alias
    if not isinstance(alias, str):
        raise TypeError(f"setting {field_name!r} names no variable")
    return alias


def is_json(field: FieldInfo) -> bool:
    annotation = field.annotation
    if get_origin(annotation) is not None and type(None) in get_args(annotation):
        annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
    return (get_origin(annotation) or annotation) in JSON_TYPES


class VariablesSource(PydanticBaseSettingsSource):
    """Each setting from its variable; failing that, from its file in the secrets directory
    (Docker and Kubernetes secrets). Names are matched whatever their case, and an empty
    variable counts as unset (compose passes ``${X:-}`` through as "")."""

    def __init__(self, settings_cls: type[BaseSettings], secrets_dir: Path | None) -> None:
        super().__init__(settings_cls)
        self.environ = {name.upper(): value for name, value in os.environ.items() if value}
        self.files: dict[str, Path] = {}
        if secrets_dir is not None:
            self.files = {p.name.upper(): p for p in secrets_dir.iterdir() if p.is_file()}

    def get_field_value(
        self,
        field: FieldInfo,  # noqa: ARG002 - pydantic-settings' abstract signature
        field_name: str,
    ) -> tuple[Any, str, bool]:
        # Unused: __call__ reads every group's fields itself.
        return None, field_name, False

    def raw(self, variable: str) -> str | None:
        if (value := self.environ.get(variable)) is not None:
            return value
        if (file := self.files.get(variable)) is not None:
            return file.read_text(encoding="utf-8").strip()
        return None

    def __call__(self) -> dict[str, Any]:
        found: dict[str, dict[str, Any]] = {}
        for known in variables(self.settings_cls):
            value = self.raw(known.name)
            if value is None:
                continue
            if is_json(known.field):
                try:
                    value = json.loads(value)
                except ValueError as exc:
                    # preflight names the variable from this message (and the JSON error).
                    raise SettingsError(f'error parsing value for variable "{known.name}"') from exc
            found.setdefault(known.group, {})[known.field_name] = value
        return found
