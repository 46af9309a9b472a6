"""The portal's fields say the limits the server enforces (``maxlength``, ``minlength``,
``required``, ``type``), so a citizen meets them while typing: each is checked against the
models the server validates with, read here from their JSON schema, and at the edge itself
(the longest value passes, one character more does not)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from services.intake.filing.schemas import ReplyIn
from shared.messaging.contracts.filing import ComplaintIn
from tests.intake.portal.conftest import complaint_form, set_status

REQUIRED = {"name", "subject", "description"}
TYPES = {"email": "email", "phone": "tel"}


class Fields(HTMLParser):
    """Every input and textarea of a page, by name, with its attributes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.fields: dict[str, dict[str, str | None]] = {}
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag in ("input", "textarea") and named.get("type") != "hidden" and named.get("name"):
            self.fields.setdefault(str(named["name"]), named)


def _string_schema(schema: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in [schema, *schema.get("anyOf", [])] if s.get("type") == "string")


def complaint_schema() -> dict[str, dict[str, Any]]:
    document = ComplaintIn.model_json_schema()
    reporter = document["$defs"]["ReporterIn"]["properties"]
    own = document["properties"]
    names = ("name", "email", "phone")
    fields = {name: reporter[name] for name in names}
    fields |= {name: own[name] for name in ("subject", "description", "licence_reference")}
    return {name: _string_schema(schema) for name, schema in fields.items()}


def test_every_complaint_field_says_the_servers_limits(portal: TestClient) -> None:
    fields = Fields(portal.get("/").text).fields
    for name, schema in complaint_schema().items():
        field = fields[name]
        assert field.get("maxlength") == str(schema["maxLength"]), name
        if schema.get("minLength", 1) > 1:
            assert field.get("minlength") == str(schema["minLength"]), name
        else:
            assert "minlength" not in field, name
        assert ("required" in field) == (name in REQUIRED), name
        assert field.get("type", "text") == TYPES.get(name, field.get("type", "text")), name
    assert fields["email"]["type"] == "email"
    assert fields["phone"]["type"] == "tel"


def test_the_description_hint_and_box_agree_with_the_server(portal: TestClient) -> None:
    page = portal.get("/").text
    limits = complaint_schema()["description"]
    longest = limits["maxLength"]
    assert f'maxlength="{longest}"' in page
    assert f"({limits['minLength']} sampai {longest:,} karakter)".replace(",", ".") in page
    ComplaintIn.model_validate(_complaint(description="a" * longest))
    with pytest.raises(ValidationError):
        ComplaintIn.model_validate(_complaint(description="a" * (longest + 1)))


def _complaint(**overrides: Any) -> dict[str, Any]:
    fields = complaint_form(**overrides)
    reporter = {name: fields.pop(name) for name in ("name", "email", "phone")}
    consent = fields.pop("consent") == "ya"  # the ticked box, as the portal reads it
    return {**fields, "reporter": reporter, "consent": consent}


def test_the_reply_box_says_the_servers_limit(portal: TestClient, tracked: tuple[str, str]) -> None:
    code, _ = tracked
    set_status(code, "information_requested", note="Mohon kirim nomor permohonan.")
    page = portal.get(f"/lacak/{code}").text
    message = Fields(page).fields["message"]
    schema = ReplyIn.model_json_schema()["properties"]["message"]
    assert message.get("maxlength") == str(schema["maxLength"])
    assert "required" in message
