"""The length limits a model validates a text field with, read from the model itself, so the
form that sends the field says them (``maxlength``, ``minlength``) and cannot drift from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class Limits:
    min: int | None
    max: int | None


def text_limits(model: type[BaseModel]) -> dict[str, Limits]:
    """Each text field of ``model`` (optional ones included) with its length limits, as the
    model's own JSON schema states them (the schema the API documents)."""
    properties: dict[str, Any] = model.model_json_schema()["properties"]
    found: dict[str, Limits] = {}
    for name, schema in properties.items():
        for variant in [schema, *schema.get("anyOf", [])]:
            if variant.get("type") == "string":
                found[name] = Limits(variant.get("minLength"), variant.get("maxLength"))
                break
    return found
