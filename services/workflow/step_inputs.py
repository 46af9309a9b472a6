"""What a person must submit to complete a step, built from the SOP's ``InputField`` data."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, create_model

from services.workflow.errors import MissingInput
from shared.sop import STEPS, Step


def _model_for(step: Step) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for field in step.inputs:
        text = Annotated[
            str, StringConstraints(strip_whitespace=True, min_length=1, max_length=field.max_length)
        ]
        fields[field.name] = (text, ...) if field.required else (text | None, None)
    return create_model(  # type: ignore[call-overload,no-any-return]
        f"Step{step.number}Input", __config__=ConfigDict(extra="forbid"), **fields
    )


INPUT_MODELS: dict[int, type[BaseModel]] = {step.number: _model_for(step) for step in STEPS}


def validate_input(step: Step, payload: Any) -> dict[str, Any]:
    """The step's input, cleaned; ``MissingInput`` (422) naming each missing or wrong field."""
    if not isinstance(payload, dict):
        raise MissingInput("Isi permintaan harus berupa objek JSON")
    try:
        data = INPUT_MODELS[step.number].model_validate(payload)
    except ValidationError as exc:
        labels = {f.name: f.label for f in step.inputs}
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            if error["type"] == "extra_forbidden":
                problems.append(f"isian '{name}' tidak dikenal untuk langkah ini")
            elif error["type"] == "string_too_long":
                problems.append(f"{labels.get(name, name)} ({name}) terlalu panjang")
            else:
                problems.append(f"{labels.get(name, name)} ({name}) wajib diisi")
        raise MissingInput(
            f"Langkah {step.number} ({step.name}) belum lengkap: " + "; ".join(problems)
        ) from exc
    return data.model_dump(exclude_none=True)
