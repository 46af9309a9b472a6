"""The complaint desk as its users drive it in journey tests and the chaos suite: a citizen over
the intake API, staff over the workflow API, real workers in between."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

from services.workflow.staff.accounts import create_user
from shared.database.engine import ServiceDatabase
from shared.sop import STEPS, Role
from shared.web.pages import CSRF_COOKIE
from tools.harness.processes import ApiProcess, ServiceProcess, start_worker, wait_for
from tools.harness.smtp import SmtpServer

STAFF_PASSWORD = "kata-sandi-uji-123"
CITIZEN_EMAIL = "budi.santoso@example.id"
STEP_INPUTS: dict[int, dict[str, Any]] = {
    1: {"note": "Laporan lengkap, diteruskan ke Kasi"},
    2: {"verification": "Terverifikasi: izin tertahan di verifikasi teknis"},
    3: {
        "disposition": "Tim Koordinasi agar menindaklanjuti dengan bidang teknis",
        "assignees": ["uji_tim_koordinasi"],
    },
    4: {"answer": "Izin usaha Anda telah terbit dan dapat diunduh melalui OSS."},
    5: {},
}


class Desk:
    def __init__(
        self,
        intake: ApiProcess,
        workflow: ApiProcess,
        workers: dict[str, ServiceProcess],
        env: dict[str, str],
        logs: Path,
        smtp: SmtpServer,
        *,
        add_staff: bool = True,
    ) -> None:
        self.intake = httpx.Client(base_url=intake.url, timeout=30)
        self.workflow = httpx.Client(base_url=workflow.url, timeout=30)
        self.workers = workers
        self.env = env
        self.logs = logs
        self.smtp = smtp
        self._tokens: dict[str, str] = {}
        # A desk started again on its databases (a restore, a restart) has its staff already.
        for role in Role if add_staff else ():
            self.add_staff(f"uji_{role.value}", role)

    def close(self) -> None:
        self.intake.close()
        self.workflow.close()

    # citizen
    def file_complaint(self, **overrides: Any) -> dict[str, Any]:
        body = {
            "reporter": {"name": "Budi Santoso", "email": CITIZEN_EMAIL, "phone": "081234567890"},
            "subject": "Izin usaha belum terbit",
            "description": "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.",
            "channels": ["email", "app"],
            **overrides,
        }
        response = self.intake.post("/api/v1/complaints", json=body)
        assert response.status_code == 202, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def track(self, filed: dict[str, Any]) -> dict[str, Any]:
        response = self.intake.get(
            f"/api/v1/complaints/{filed['tracking_code']}",
            headers={"X-Access-Token": filed["access_token"]},
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def reply(self, filed: dict[str, Any], message: str) -> httpx.Response:
        return self.intake.post(
            f"/api/v1/complaints/{filed['tracking_code']}/replies",
            json={"message": message},
            headers={"X-Access-Token": filed["access_token"]},
        )

    def inbox(self, filed: dict[str, Any]) -> list[dict[str, Any]]:
        """The complaint's in-app inbox (the ``app`` channel), as the citizen's app reads it."""
        response = self.intake.get(
            f"/api/v1/complaints/{filed['tracking_code']}/messages",
            headers={"X-Access-Token": filed["access_token"]},
        )
        assert response.status_code == 200, response.text
        answer: list[dict[str, Any]] = response.json()
        return answer

    def tracking_page(self, filed: dict[str, Any]) -> str:
        """The portal's tracking page as a browser opens it: the form with the code and token
        (and the CSRF cookie's token), then the page it leads to. Needs cookies the test's
        plain http may carry (``PENGADUAN_SECURE_COOKIES=false``)."""
        with httpx.Client(base_url=str(self.intake.base_url), timeout=30) as browser:
            browser.get("/lacak")
            opened = browser.post(
                "/lacak",
                data={
                    "kode": filed["tracking_code"],
                    "token": filed["access_token"],
                    "csrftoken": browser.cookies[CSRF_COOKIE],
                },
                follow_redirects=True,
            )
        assert opened.status_code == 200, opened.text
        assert filed["tracking_code"] in opened.text
        return opened.text

    def upload(
        self, filed: dict[str, Any], filename: str, data: bytes, content_type: str
    ) -> httpx.Response:
        """Attach a file to the complaint as the citizen does: multipart ``file``, their token."""
        return self.intake.post(
            f"/api/v1/complaints/{filed['tracking_code']}/attachments",
            files={"file": (filename, data, content_type)},
            headers={"X-Access-Token": filed["access_token"]},
        )

    def wait_for_status(
        self, filed: dict[str, Any], status: str, timeout: float = 60
    ) -> dict[str, Any]:
        return wait_for(  # type: ignore[return-value]
            lambda: (body := self.track(filed))["status"] == status and body,
            timeout,
            f"tracking status {status}",
        )

    def taken_by_api(self, received_via: str, **overrides: Any) -> dict[str, Any]:
        """The Admin Pengaduan files a complaint taken by telephone, at the desk or by letter
        through intake's API, with their staff token; the answer is the receipt."""
        body = {
            "reporter": {"name": "Pak Slamet", "phone": "081234567890"},
            "subject": "Izin usaha belum terbit",
            "description": "Pengadu menyampaikan izin usahanya belum terbit sejak sebulan lalu.",
            "channels": ["sms"],
            "received_via": received_via,
            **overrides,
        }
        response = self.intake.post(
            "/api/v1/complaints", json=body, headers=self.headers(Role.ADMIN)
        )
        assert response.status_code == 202, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def taken_in_console(self, form: dict[str, Any]) -> dict[str, str]:
        """The Admin Pengaduan takes a complaint in the console ("Catat pengaduan") as a browser
        does; the receipt's tracking code and access token, as printed."""
        # The console's cookies are Secure outside the embedded mode, and these processes speak
        # plain http on 127.0.0.1: the cookies are carried by hand, as the browser would.
        jar: dict[str, str] = {}

        def send(method: str, url: str, data: dict[str, Any] | None = None) -> httpx.Response:
            cookie = "; ".join(f"{name}={value}" for name, value in jar.items())
            answer = self.workflow.request(method, url, data=data, headers={"Cookie": cookie})
            for header in answer.headers.get_list("set-cookie"):
                name, _, rest = header.partition("=")
                jar[name] = rest.split(";", 1)[0]
            return answer

        send("GET", "/console/masuk")
        csrf = {"csrftoken": jar["pgd_csrf"]}
        login = {"username": f"uji_{Role.ADMIN.value}", "password": STAFF_PASSWORD}
        logged_in = send("POST", "/console/masuk", {**login, **csrf})
        assert logged_in.status_code == 303, logged_in.text
        page = send("GET", "/console/catat").text
        [taking_id] = re.findall(r'name="taking_id" value="([^"]+)"', page)
        # The complainant agreed to the privacy notice, unless the form says otherwise.
        filled = {"consent": "ya", **form, "taking_id": taking_id, **csrf}
        response = send("POST", "/console/catat", filled)
        assert response.status_code == 200, response.text
        anchors = {"tracking_code": "kode-pelacakan", "access_token": "token-akses"}
        found = {
            name: re.search(rf'id="{anchor}">([^<]+)<', response.text)
            for name, anchor in anchors.items()
        }
        assert all(found.values()), response.text
        return {name: match[1] for name, match in found.items() if match}

    # staff
    def add_staff(
        self,
        username: str,
        role: Role,
        *,
        full_name: str = "",
        email: str | None = None,
        unit: str | None = None,
    ) -> None:
        """A staff account in the workflow's database, as ``pengaduan-staff create`` makes it;
        its password is ``STAFF_PASSWORD``."""
        db = ServiceDatabase("workflow", self.env["PENGADUAN_WORKFLOW_DATABASE_URL"])
        with db.transaction() as session:
            create_user(
                session,
                username=username,
                password=STAFF_PASSWORD,
                role=role,
                full_name=full_name,
                email=email,
                unit=unit,
            )
        db.engine.dispose()

    def headers(self, role: Role | str) -> dict[str, str]:
        """A bearer token's header for the desk's member of ``role``, or for a username."""
        username = f"uji_{role.value}" if isinstance(role, Role) else role
        if username not in self._tokens:
            response = self.workflow.post(
                "/api/v1/auth/token",
                data={"username": username, "password": STAFF_PASSWORD},
            )
            assert response.status_code == 200, response.text
            self._tokens[username] = response.json()["access_token"]
        return {"Authorization": f"Bearer {self._tokens[username]}"}

    def wait_for_work(
        self, role: Role, tracking_code: str, step: int, timeout: float = 60
    ) -> dict[str, Any]:
        def find() -> dict[str, Any] | None:
            items = self.workflow.get("/api/v1/worklist", headers=self.headers(role)).json()
            return next(
                (i for i in items if i["tracking_code"] == tracking_code and i["step"] == step),
                None,
            )

        return wait_for(find, timeout, f"{tracking_code} on {role.value}'s worklist")  # type: ignore[return-value]

    def complete(
        self, role: Role, case_id: str, step: int, payload: dict[str, Any] | None = None
    ) -> httpx.Response:
        return self.workflow.post(
            f"/api/v1/cases/{case_id}/steps/{step}",
            json=STEP_INPUTS[step] if payload is None else payload,
            headers=self.headers(role),
        )

    def take_path(
        self, role: Role, case_id: str, step: int, path: str, payload: dict[str, Any]
    ) -> httpx.Response:
        return self.workflow.post(
            f"/api/v1/cases/{case_id}/steps/{step}/paths/{path}",
            json=payload,
            headers=self.headers(role),
        )

    def find_cases(self, role: Role, q: str, **filters: Any) -> dict[str, Any]:
        """The staff search (``GET /api/v1/cases``): the page of cases ``q`` finds."""
        response = self.workflow.get(
            "/api/v1/cases", params={"q": q, **filters}, headers=self.headers(role)
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def add_note(self, role: Role, case_id: str, text: str) -> httpx.Response:
        return self.workflow.post(
            f"/api/v1/cases/{case_id}/notes", json={"text": text}, headers=self.headers(role)
        )

    def worklist(self, role: Role | str) -> list[dict[str, Any]]:
        return self.workflow.get("/api/v1/worklist", headers=self.headers(role)).json()  # type: ignore[no-any-return]

    def walk(self, tracking_code: str, steps: range = range(1, 6)) -> str:
        """Carry the case through ``steps`` as each step's role; returns the case id."""
        case_id = ""
        for number in steps:
            sop_step = STEPS[number - 1]
            item = self.wait_for_work(sop_step.role, tracking_code, number)
            case_id = item["case_id"]
            response = self.complete(sop_step.role, case_id, number)
            assert response.status_code == 202, response.text
        return case_id

    def case(self, case_id: str) -> dict[str, Any]:
        response = self.workflow.get(f"/api/v1/cases/{case_id}", headers=self.headers(Role.ADMIN))
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def attachments(self, role: Role, case_id: str) -> list[dict[str, Any]]:
        response = self.workflow.get(
            f"/api/v1/cases/{case_id}/attachments", headers=self.headers(role)
        )
        assert response.status_code == 200, response.text
        answer: list[dict[str, Any]] = response.json()
        return answer

    def wait_for_attachments(
        self, role: Role, case_id: str, count: int, timeout: float = 60
    ) -> list[dict[str, Any]]:
        """The case's files once ``count`` have reached the workflow (each on a task of its own)."""
        return wait_for(  # type: ignore[return-value]
            lambda: len(found := self.attachments(role, case_id)) >= count and found,
            timeout,
            f"{count} attachments on {case_id}",
        )

    def download(self, role: Role, url: str) -> httpx.Response:
        """A file the staff API links to (``links.content``, ``links.thumbnail``)."""
        return self.workflow.get(url, headers=self.headers(role))

    # operators
    def restart_worker(self, name: str, extra_env: dict[str, str] | None = None) -> ServiceProcess:
        old = self.workers[name]
        old.stop()
        self.workers[name] = start_worker(name, self.env, self.logs, extra_env=extra_env or {})
        return self.workers[name]

    def answer_emails(self, timeout: float = 60) -> list[Any]:
        """The answer's emails to the citizen, once the first has come. The tracking page shows
        the answer as soon as the notifier holds it; the email goes out on a task of its own, so
        it may come a moment later."""

        def arrived() -> list[Any]:
            return [m for m in self.emails_to() if STEP_INPUTS[4]["answer"] in m.get_content()]

        return wait_for(arrived, timeout, "the answer by email")  # type: ignore[return-value]

    def emails_to(self, address: str = CITIZEN_EMAIL) -> list[Any]:
        return self.smtp.inbox.to(address)
