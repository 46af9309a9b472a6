"""Reading every staff-facing answer for a complainant's identity: the staff API's and the
console's GET routes, taken from the app's own route table (a route added later is swept too,
or the sweep fails naming the path parameter it cannot fill), read as each role, searched for
the complainant's name, email and phone in any way they are written.

Used by the in-process test (tests/workflow/api/test_identity_everywhere.py) and by the journey
with real workers (tests/journeys/test_confidential.py): each passes its own way to GET a URL as
a role.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, quote_plus, urlencode, urlsplit

import phonenumbers
from fastapi.routing import iter_route_contexts

from services.workflow.api.app import create_app
from shared.sop import Role

STAFF_PREFIXES = ("/api/v1/", "/console")
# Pages a staff member reads without being logged in: nothing of any case on them.
NOT_STAFF = frozenset({"/console/masuk"})
# Worklist views besides the default, and a search by each of the complainant's particulars.
EXTRA_QUERIES: dict[str, list[dict[str, str]]] = {
    "/api/v1/worklist": [{"filter": "waiting_for_complainant"}],
    "/console": [{"tampil": "menunggu-pengadu"}],
    # The month the sweep's cases are filed in (the workflow tests' clock: November 2026).
    "/api/v1/reports/monthly": [{"month": "2026-11"}],
}
SEARCHES = ("/api/v1/cases", "/console/cari")


@dataclass(frozen=True)
class Answer:
    status: int
    text: str  # the body (decoded as far as it is text) and the headers


Get = Callable[[Role, str], Answer]


def staff_get_paths() -> list[str]:
    """Every GET route of the workflow app a staff member reads, as its path template."""
    paths = {
        context.path or ""
        for context in iter_route_contexts(create_app().routes)
        if "GET" in (context.methods or ())
    }
    return sorted(p for p in paths if p.startswith(STAFF_PREFIXES) and p not in NOT_STAFF)


def urls(ids: Mapping[str, str], searched: Iterable[str]) -> list[str]:
    """Each staff route with its path parameters filled from ``ids``, the extra views, and the
    searches for each of ``searched``."""
    found = []
    for template in staff_get_paths():
        params = re.findall(r"{(\w+)}", template)
        unknown = [p for p in params if p not in ids]
        assert not unknown, f"the identity sweep cannot fill {unknown} of {template}: add it"
        url = template
        for name in params:
            url = url.replace(f"{{{name}}}", ids[name])
        found.append(url)
        found += [f"{url}?{urlencode(query)}" for query in EXTRA_QUERIES.get(template, [])]
        if template in SEARCHES:
            found += [f"{url}?{urlencode({'q': text})}" for text in searched]
    return found


def particulars(name: str, email: str, phone: str) -> list[str]:
    """The name (whole and each part), the email and the phone as people write it."""
    number = phonenumbers.parse(phone, "ID")
    national = str(number.national_number)
    spaced = f"0{national[:3]}-{national[3:7]}-{national[7:]}"
    parts = [part for part in name.split() if len(part) > 3]
    return [name, *parts, email, phone, f"0{national}", f"62{national}", spaced]


def leaks(text: str, secrets: Iterable[str]) -> list[str]:
    lowered = text.lower()
    return [secret for secret in secrets if secret.lower() in lowered]


def _without_the_search(url: str, text: str) -> str:
    """The answer without the search box's own echo of what was typed (a search page shows the
    query it ran): what the search found is what counts."""
    typed = parse_qs(urlsplit(url).query).get("q")
    if not typed:
        return text
    for form in {typed[0], html.escape(typed[0]), quote_plus(typed[0]), quote(typed[0])}:
        text = re.sub(re.escape(form), "", text, flags=re.IGNORECASE)
    return text


def sweep(get: Get, roles: Iterable[Role], all_urls: list[str]) -> dict[tuple[Role, str], Answer]:
    """Every URL as every role; no answer may be a server error."""
    answers = {}
    for role in roles:
        for url in all_urls:
            answer = get(role, url)
            assert answer.status < 500, (role, url, answer.status, answer.text[:500])
            answers[role, url] = answer
    return answers


def leaked_to(
    answers: Mapping[tuple[Role, str], Answer], secrets: Iterable[str], *, but: Role | None
) -> dict[tuple[Role, str], list[str]]:
    """Which answer, to which role other than ``but``, carries which of ``secrets``."""
    secrets = list(secrets)
    found = {}
    for (role, url), answer in answers.items():
        if role is but:
            continue
        if hits := leaks(_without_the_search(url, answer.text), secrets):
            found[role, url] = hits
    return found
