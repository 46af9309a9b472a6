"""What a person must submit to complete a step or take a path, built from the SOP's
``InputField`` data."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, create_model

from services.workflow.errors import MissingInput
from shared.sop import InputField


@cache
def _model_for(fields: tuple[InputField, ...]) -> type[BaseModel]:
    spec: dict[str, Any] = {}
    for field in fields:
        text = Annotated[
            str, StringConstraints(strip_whitespace=True, min_length=1, max_length=field.max_length)
        ]
        spec[field.name] = (text, ...) if field.required else (text | None, None)
    return create_model("StepInput", __config__=ConfigDict(extra="forbid"), **spec)


def validate_input(fields: tuple[InputField, ...], payload: Any, what: str) -> dict[str, Any]:
    """``payload`` cleaned against ``fields``; ``MissingInput`` (422) naming each problem.

    ``what`` names the step or path in the message, e.g. "Langkah 2 (Menelaah ...)".
    """
    if not isinstance(payload, dict):
        raise MissingInput("Isi permintaan harus berupa objek JSON")
    try:
        data = _model_for(fields).model_validate(payload)
    except ValidationError as exc:
        labels = {f.name: f.label for f in fields}
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            if error["type"] == "extra_forbidden":
                problems.append(f"isian '{name}' tidak dikenal di sini")
            elif error["type"] == "string_too_long":
                problems.append(f"{labels.get(name, name)} ({name}) terlalu panjang")
            else:
                problems.append(f"{labels.get(name, name)} ({name}) wajib diisi")
        raise MissingInput(f"{what} belum lengkap: " + "; ".join(problems)) from exc
    return data.model_dump(exclude_none=True)
