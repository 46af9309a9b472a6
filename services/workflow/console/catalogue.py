"""The console's "Katalog layanan": the licensing services by group, withdrawn ones marked, and
for the Koordinator and the Admin Pengaduan the forms to add a service, edit one, withdraw it
or restore it (``catalogue.entries``, as the staff API). Every staff member reads the page.
Invalid input is shown on the form again (422), a code already in the catalogue too (409);
neither changes anything."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from services.workflow.catalogue import entries
from services.workflow.catalogue.entries import DuplicateService, ServiceIn, ServicePatch
from services.workflow.console.pages import page, redirect
from services.workflow.console.session import ConsoleUser
from services.workflow.dependencies import SessionDep
from services.workflow.models import StaffUser
from shared.licensing_services import GROUP_LABELS
from shared.web.api_errors import translate_error
from shared.web.forms import FormFields, form_fields

URL = "/console/layanan"
router = APIRouter(prefix=URL, include_in_schema=False)
ServiceCode = Annotated[str, Path(max_length=20)]
Form = Annotated[FormFields, Depends(form_fields)]

LABELS = {"code": "Kode layanan", "name": "Nama layanan", "group": "Kelompok"}
GROUP_CHOICES = [(group.value, label) for group, label in GROUP_LABELS.items()]
DONE = {
    "ditambah": "Layanan ditambahkan ke katalog dan dapat dipilih pengadu.",
    "diubah": "Perubahan layanan tersimpan.",
    "ditarik": "Layanan ditarik: laporan baru tidak dapat memilihnya lagi.",
    "dipulihkan": "Layanan dipulihkan dan dapat dipilih lagi.",
}


@router.get("")
def catalogue_page(request: Request, user: ConsoleUser, session: SessionDep) -> Response:
    return _page(request, session, user)


@router.post("")
def add(request: Request, user: ConsoleUser, session: SessionDep, form: Form) -> Response:
    entries.ensure_may_edit(user)
    values = {name: form.get(name).strip() for name in LABELS}
    try:
        data = ServiceIn.model_validate(values)
    except ValidationError as exc:
        return _page(request, session, user, values, _errors(exc), status_code=422)
    try:
        with session.begin_nested():
            entries.create(session, user, data)
    except DuplicateService as exc:
        return _page(request, session, user, values, {"code": exc.message}, status_code=409)
    return redirect(f"{URL}?pesan=ditambah#layanan-{data.code}")


@router.post("/{code}")
def edit(
    code: ServiceCode, request: Request, user: ConsoleUser, session: SessionDep, form: Form
) -> Response:
    entries.ensure_may_edit(user)
    action = form.get("tindakan")
    change: dict[str, Any] = {}
    if action == "tarik":
        change["active"] = False
    elif action == "pulihkan":
        change["active"] = True
    else:
        change = {"name": form.get("name").strip(), "group": form.get("group")}
    try:
        patch = ServicePatch.model_validate(change)
    except ValidationError as exc:
        problems = {f"{code}-{name}": text for name, text in _errors(exc).items()}
        return _page(request, session, user, {}, problems, status_code=422, editing=code)
    entries.edit(session, user, code, patch)
    done = {"tarik": "ditarik", "pulihkan": "dipulihkan"}.get(action, "diubah")
    return redirect(f"{URL}?pesan={done}#layanan-{code}")


def _errors(exc: ValidationError) -> dict[str, str]:
    found: dict[str, str] = {}
    for error in exc.errors():
        translated = translate_error(dict(error))
        name = translated["field"]
        found.setdefault(name, f"{LABELS.get(name, name)}: {translated['message']}")
    return found


def _page(
    request: Request,
    session: Session,
    user: StaffUser,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    *,
    status_code: int = 200,
    editing: str | None = None,
) -> Response:
    listed = entries.all_entries(session)
    context = {
        "groups": entries.grouped(listed),
        "count": len(listed),
        "withdrawn": sum(not e.active for e in listed),
        "may_edit": entries.may_edit(user),
        "group_choices": GROUP_CHOICES,
        "values": values or {},
        "errors": errors or {},
        "editing": editing,
        "confirmation": DONE.get(request.query_params.get("pesan", "")),
    }
    return page(request, "layanan.html", context, status_code=status_code)
