"""What each role reads of a case's complainant (``identity``): the name and contacts by mode
and role, the texts scrubbed of them for a reader who may not know them (the phone however it
is written), the search that finds a confidential case by them for the Admin alone, and the
staff emails' subject."""

from __future__ import annotations

import pytest

from services.workflow.cases import identity
from services.workflow.cases.search import CaseFilter, find_cases
from services.workflow.cases.steps import receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case
from shared.messaging.contracts import Identity, Reporter
from shared.sop import Role
from tests.workflow.conftest import filed_message

NAME, EMAIL, PHONE = "Ratna Widyastuti", "ratna@example.id", "+6281398765432"


def _case(mode: Identity) -> Case:
    anonymous = mode is Identity.ANONYMOUS
    return Case(
        identity=mode.value,
        subject=f"Izin {NAME} belum terbit",
        reporter_name=None if anonymous else NAME,
        reporter_email=None if anonymous else EMAIL,
        reporter_phone=None if anonymous else PHONE,
    )


@pytest.mark.parametrize("role", list(Role))
def test_what_each_role_reads_of_the_complainant(role: Role) -> None:
    admin = role is Role.ADMIN
    shown = identity.reporter_view(_case(Identity.SHOWN), role)
    assert (shown.name, shown.email, shown.phone) == (
        (NAME, EMAIL, PHONE) if admin else (NAME, None, None)
    )
    confidential = identity.reporter_view(_case(Identity.CONFIDENTIAL), role)
    assert (confidential.name, confidential.email, confidential.phone) == (
        (NAME, EMAIL, PHONE) if admin else ("Identitas dirahasiakan", None, None)
    )
    assert confidential.withheld is not admin
    anonymous = identity.reporter_view(_case(Identity.ANONYMOUS), role)
    assert (anonymous.name, anonymous.email, anonymous.phone) == ("Anonim", None, None)


def test_an_unknown_mode_is_read_as_confidential() -> None:
    case = _case(Identity.SHOWN)
    case.identity = "rahasia-sekali"
    assert identity.reporter_view(case, Role.KASI).name == "Identitas dirahasiakan"


@pytest.mark.parametrize(
    "written",
    [
        "+6281398765432",
        "081398765432",
        "0813-9876-5432",
        "0813 9876 5432",
        "+62 813 9876 5432",
        "(0813) 9876.5432",
        "6281398765432",
    ],
)
def test_a_withheld_phone_is_scrubbed_however_it_is_written(written: str) -> None:
    scrub = identity.scrubber(_case(Identity.CONFIDENTIAL), Role.KOORDINATOR)
    text = f"Hubungi {written} atau {EMAIL.upper()}, kata {NAME.lower()}; nomor 081398765432100"
    assert scrub(text) == (
        "Hubungi [identitas dirahasiakan] atau [identitas dirahasiakan], kata "
        "[identitas dirahasiakan]; nomor 081398765432100"  # a longer number is another number
    )
    nested = {"note": [f"dari {written}"], "n": 3}
    assert scrub(nested) == {"note": ["dari [identitas dirahasiakan]"], "n": 3}


def test_only_a_withheld_reader_gets_texts_scrubbed() -> None:
    text = f"Saya {NAME}"
    assert identity.scrubber(_case(Identity.CONFIDENTIAL), Role.ADMIN)(text) == text
    assert identity.scrubber(_case(Identity.SHOWN), Role.KASI)(text) == text
    assert identity.mail_subject(_case(Identity.CONFIDENTIAL)) == (
        "Izin [identitas dirahasiakan] belum terbit"
    )
    assert identity.mail_subject(_case(Identity.SHOWN)) == f"Izin {NAME} belum terbit"


def _filed(code: str, mode: Identity) -> str:
    message = filed_message(code).model_copy(
        update={
            "identity": mode,
            "reporter": Reporter(name=NAME, email=EMAIL, phone=PHONE),
            "description": f"Saya {NAME}, telepon 0813-9876-5432. Izin belum terbit.",
        }
    )
    with get_db().transaction() as session:
        return receive_complaint(session, message).tracking_code


def _found(q: str, reader: Role) -> list[str]:
    with get_db().sessions() as session:
        found = find_cases(session, CaseFilter.model_validate({"q": q}), reader=reader)
    return [case.tracking_code for case in found.cases]


def test_a_confidential_case_is_found_by_its_complainant_by_the_admin_alone(
    configured: dict[str, str],
) -> None:
    code = _filed("PGD-7EMA-0004", Identity.CONFIDENTIAL)
    for q in (NAME, "widyastuti", EMAIL, "0813 9876 5432", "+62 813-9876-5432"):
        assert _found(q, Role.ADMIN) == [code], q
        for role in (Role.KASI, Role.KOORDINATOR, Role.TIM_KOORDINASI):
            assert _found(q, role) == [], (q, role)
    for role in Role:  # what the complaint is about finds it for everyone
        assert _found("belum terbit", role) == [code]
        assert _found(code, role) == [code]


def test_a_shown_case_is_found_by_its_complainant_by_every_role(
    configured: dict[str, str],
) -> None:
    code = _filed("PGD-7EMA-0005", Identity.SHOWN)
    for role in Role:
        for q in (NAME, EMAIL, "0813 9876 5432"):
            assert _found(q, role) == [code], (q, role)
