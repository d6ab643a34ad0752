#!/usr/bin/env python3
"""Conformance check: drives every endpoint `intercom-sim` serves and validates each response
against Intercom's OpenAPI 2.16 description (see spec_validator.py for the rules).

Usage:
    check.py --sim PATH/intercom-sim [--spec PATH]      the real check
    check.py --self-test [--sim PATH/intercom-sim]      proves the checker reports broken responses
    check.py --sim … --findings FILE                   also writes the failures, grouped, as Markdown

Prints one line per check (`ok   POST /contacts/search 200 …` or `FAIL … — reason`) and ends with
`N passed, M failed`. Exits 0 only when nothing failed and every endpoint in `REQUIRED` was
exercised. Control endpoints under `/__sim/` are not part of the spec and are never validated.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spec_validator import Expectation, SpecValidator, _error_hint  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = REPO / ".." / "shared" / "intercom-openapi" / "api.intercom.io.2.16.yaml"
TOKEN = "conformance-token"
SEED = ["--contacts", "30", "--conversations", "10", "--companies", "5"]
UNKNOWN_ID = "0123456789abcdef01234567"  # a well-formed id no seed produces

# Every endpoint (and cross-cutting error) the simulator serves; each must be exercised.
REQUIRED = [
    "GET /me",
    "GET /admins",
    "GET /admins/{id}",
    "POST /contacts",
    "GET /contacts/{id}",
    "PUT /contacts/{id}",
    "DELETE /contacts/{id}",
    "POST /contacts/{id}/companies",
    "GET /contacts",
    "POST /contacts/search",
    "POST /conversations",
    "GET /conversations/{id}",
    "GET /conversations",
    "POST /conversations/search",
    "POST /conversations/{id}/reply",
    "POST /messages",
    "POST /companies",
    "GET /companies",
    "GET /companies/{id}",
    "POST /companies/list",
    "GET /companies/scroll",
    "GET /ticket_types",
    "POST /tickets",
    "GET /tickets/{id}",
    "401 unauthorized",
    "400 intercom_version_invalid",
    "429 rate_limit_exceeded",
    "404 unknown path",
]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass
class RawBody:
    """Request bytes sent as they are (to send a body that is not JSON)."""

    data: bytes


class Simulator:
    """One `intercom-sim` process on a free port; the base URL is the first line of its stdout."""

    def __init__(self, binary: Path, extra: list[str]) -> None:
        self.stderr = tempfile.TemporaryFile()
        arguments = [str(binary), "--port", "0", "--token", TOKEN, *extra]
        self.process = subprocess.Popen(
            arguments, stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.DEVNULL
        )
        first: list[str] = []
        ready = threading.Event()

        def drain() -> None:
            assert self.process.stdout is not None
            for index, line in enumerate(self.process.stdout):
                if index == 0:
                    first.append(line.decode("utf-8", "replace").strip())
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(30) or not first:
            self.stop()
            raise RuntimeError(f"{' '.join(arguments)} printed no base URL: {self.stderr_tail()}")
        parsed = urllib.parse.urlsplit(first[0])
        if parsed.scheme != "http" or not parsed.hostname or not parsed.port:
            self.stop()
            raise RuntimeError(f"first stdout line is not a base URL: {first[0]!r}")
        self.base_url = first[0].rstrip("/")
        self.host, self.port = parsed.hostname, parsed.port

    def stderr_tail(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace").strip()[-300:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = TOKEN,
        version: str | None = "2.16",
    ) -> Response:
        headers = {"Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if version is not None:
            headers["Intercom-Version"] = version
        data = None
        if isinstance(body, RawBody):
            data = body.data
            headers["Content-Type"] = "application/json"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=15)
        try:
            connection.request(method, path, body=data, headers=headers)
            reply = connection.getresponse()
            return Response(reply.status, dict(reply.getheaders()), reply.read())
        finally:
            connection.close()


class Report:
    """Collects check results and which endpoints were exercised."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.exercised: set[str] = set()
        self.blocked: set[str] = set()  # endpoints already reported as not run
        self.failures: list[tuple[str, list[str]]] = []

    def record(self, label: str, problems: list[str]) -> bool:
        if problems:
            self.failed += 1
            shown = "; ".join(problems[:4]) + (f"; (+{len(problems) - 4} more)" if len(problems) > 4 else "")
            print(f"FAIL {label} — {shown}", flush=True)
            self.failures.append((label, problems))
            return False
        self.passed += 1
        print(f"ok   {label}", flush=True)
        return True


class Conformance:
    """The scenarios: real requests, successes and errors, each validated against the spec."""

    def __init__(self, validator: SpecValidator, sim: Simulator, report: Report) -> None:
        self.validator = validator
        self.sim = sim
        self.report = report
        self.authenticated = 0  # responses to requests with the right token
        self.without_rate_limit_headers: list[str] = []

    # -- plumbing -------------------------------------------------------------------------------

    def call(
        self,
        endpoint: str,
        method: str,
        path: str,
        expect: Expectation,
        note: str = "",
        body: Any = None,
        sim: Simulator | None = None,
        **options: Any,
    ) -> Response | None:
        """Sends one request, validates the response and records the check under `endpoint`."""
        label_path = endpoint.split(" ", 1)[1] if endpoint.split(" ", 1)[0].isalpha() else path
        label = f"{method} {label_path}"
        try:
            response = (sim or self.sim).request(method, path, body=body, **options)
        except (OSError, http.client.HTTPException) as error:
            self.report.record(
                f"{label} {expect.status}{f' ({note})' if note else ''}", [f"no response: {error}"]
            )
            return None
        self.report.exercised.add(endpoint)
        if options.get("token", TOKEN) == TOKEN and response.status != 401:
            self.authenticated += 1
            if _rate_limit_header_problems(response.headers):
                self.without_rate_limit_headers.append(f"{method} {path} {response.status}")
        problems = self.validator.validate(
            method, path, response.status, response.headers, response.body, expect
        )
        self.report.record(f"{label} {response.status}{f' ({note})' if note else ''}", problems)
        return response

    def missing(self, endpoint: str, reason: str) -> None:
        """A scenario that could not run because an earlier step gave it nothing to work with."""
        self.report.blocked.add(endpoint)
        self.report.record(f"{endpoint} (not run)", [f"needs {reason}"])

    # -- scenarios ------------------------------------------------------------------------------

    def run(self) -> None:
        admin_id = self.guarded("admins", self.admins)
        contact_id, lead_id = self.guarded("contacts", self.contacts) or (None, None)
        listed = self.guarded("contact list", self.contact_list) or []
        self.guarded("seeded contacts", lambda: self.seeded_contacts(listed, {contact_id, lead_id}))
        self.guarded("contact search", self.contact_search)
        self.guarded("conversations", lambda: self.conversations(contact_id, admin_id))
        self.guarded("messages", lambda: self.messages(contact_id, admin_id))
        self.guarded("companies", self.companies)
        self.guarded("tickets", lambda: self.tickets(contact_id))
        self.guarded("attach company", lambda: self.attach_company(contact_id))
        self.guarded("common errors", self.common_errors)
        # DESIGN §12 and the rate-limiting docs: every authenticated response carries the three headers.
        missing = self.without_rate_limit_headers
        self.report.record(
            f"rate-limit headers on all {self.authenticated} authenticated responses (DESIGN §12)",
            [f"{len(missing)} without valid X-RateLimit-* headers, e.g. {missing[0]}"] if missing else [],
        )

    def guarded(self, name: str, step: Callable[[], Any]) -> Any:
        """Runs one scenario; a response shaped so oddly that the scenario itself breaks is a failure."""
        try:
            return step()
        except Exception as error:  # the report must still end with its summary line
            self.report.record(f"scenario {name}", [f"stopped: {type(error).__name__}: {error}"])
            return None

    def seeded_contacts(self, listed: list[Any], ours: set[str | None]) -> None:
        """A seeded contact of each role, as the engine generates them (not only ones we created)."""
        seeded = [item for item in listed if isinstance(item, dict) and item.get("id") not in ours]
        for role in ("user", "lead"):
            match = next((item for item in seeded if item.get("role") == role), None)
            if match is not None:
                self.call(
                    "GET /contacts/{id}",
                    "GET",
                    f"/contacts/{match['id']}",
                    Expectation(200, checks=[_field_equals("id", match["id"]), _field_equals("role", role)]),
                    note=f"seeded {role}",
                )

    def admins(self) -> str | None:
        me = self.call("GET /me", "GET", "/me", Expectation(200, checks=[_is_type("admin")]))
        admins = self.call(
            "GET /admins",
            "GET",
            "/admins",
            Expectation(200, checks=[_is_type("admin.list"), _non_empty("admins")]),
        )
        listed = admins.json() if admins is not None else None
        first = (listed.get("admins") or [None])[0] if isinstance(listed, dict) else None
        if isinstance(first, dict) and first.get("id") is not None:
            self.call(
                "GET /admins/{id}",
                "GET",
                f"/admins/{first['id']}",
                Expectation(200, checks=[_is_type("admin"), _field_equals("id", first["id"])]),
            )
        else:
            self.missing("GET /admins/{id}", "an admin from GET /admins")
        self.call(
            "GET /admins/{id}",
            "GET",
            "/admins/999999999",
            Expectation(404, codes=("admin_not_found",)),
            note="unknown id",
        )
        if me is not None and isinstance(me.json(), dict):
            return str(me.json().get("id")) if me.json().get("id") is not None else None
        return None

    def contacts(self) -> tuple[str | None, str | None]:
        stamp = int(time.time())
        email = f"conformance-{stamp}@example.com"
        created = self.call(
            "POST /contacts",
            "POST",
            "/contacts",
            Expectation(
                200,
                checks=[_is_type("contact"), _field_equals("email", email), _field_equals("role", "user")],
            ),
            note="user",
            body={"email": email, "role": "user", "name": "Conformance User", "external_id": f"conf-{stamp}"},
        )
        self.call(
            "POST /contacts",
            "POST",
            "/contacts",
            Expectation(409, codes=("conflict",)),
            note="duplicate email",
            body={"email": email, "role": "user"},
        )
        lead = self.call(
            "POST /contacts",
            "POST",
            "/contacts",
            Expectation(200, checks=[_is_type("contact"), _field_equals("role", "lead")]),
            note="lead",
            body={"role": "lead", "name": "Conformance Lead"},
        )
        contact_id = _id_of(created)
        lead_id = _id_of(lead)
        if contact_id is None:
            for endpoint in ("GET /contacts/{id}", "PUT /contacts/{id}"):
                self.missing(endpoint, "a contact from POST /contacts")
        else:
            self.call(
                "GET /contacts/{id}",
                "GET",
                f"/contacts/{contact_id}",
                Expectation(200, checks=[_field_equals("id", contact_id), _field_equals("email", email)]),
            )
            self.call(
                "PUT /contacts/{id}",
                "PUT",
                f"/contacts/{contact_id}",
                Expectation(
                    200, checks=[_field_equals("id", contact_id), _field_equals("name", "Renamed User")]
                ),
                body={"name": "Renamed User"},
            )
        self.call(
            "GET /contacts/{id}",
            "GET",
            f"/contacts/{UNKNOWN_ID}",
            Expectation(404, codes=("not_found",)),
            note="unknown id",
        )
        self.call(
            "PUT /contacts/{id}",
            "PUT",
            f"/contacts/{UNKNOWN_ID}",
            Expectation(404, codes=("not_found",)),
            note="unknown id",
            body={"name": "Nobody"},
        )
        self.call(
            "DELETE /contacts/{id}",
            "DELETE",
            f"/contacts/{UNKNOWN_ID}",
            Expectation(404, codes=("not_found",)),
            note="unknown id",
        )
        if lead_id is None:
            self.missing("DELETE /contacts/{id}", "a lead from POST /contacts")
        else:
            self.call(
                "DELETE /contacts/{id}",
                "DELETE",
                f"/contacts/{lead_id}",
                Expectation(200, checks=[_field_equals("id", lead_id), _field_equals("deleted", True)]),
            )
            self.call(
                "GET /contacts/{id}",
                "GET",
                f"/contacts/{lead_id}",
                Expectation(404, codes=("not_found",)),
                note="deleted",
            )
        return contact_id, lead_id

    def walk(
        self,
        endpoint: str,
        fetch: Callable[[str | None], tuple[str, str, Any]],
        key: str,
        note: str,
        checks: list[Any] | None = None,
        limit: int = 30,
    ) -> list[Any]:
        """Follows `pages.next.starting_after` to the end, validating every page.

        Every page but the last must carry `next`; the last must not (absent or null), so no page
        after the first is empty. `pages.page` counts 1, 2, 3…, the number of pages equals
        `pages.total_pages`, ids do not repeat and their count equals `total_count`.
        """
        items: list[Any] = []
        cursor: str | None = None
        total: Any = None
        problems: list[str] = []
        total_pages: Any = None
        for page in range(1, limit + 1):
            method, path, body = fetch(cursor)
            response = self.call(
                endpoint,
                method,
                path,
                Expectation(200, checks=list(checks or [])),
                note=f"{note}, page {page}",
                body=body,
            )
            document = response.json() if response is not None else None
            if not isinstance(document, dict) or not isinstance(document.get(key), list):
                return items
            items += document[key]
            total = document.get("total_count", total)
            pages = document.get("pages") or {}
            if page > 1 and not document[key]:
                problems.append(f"page {page} is empty: page {page - 1} should have had no next")
            if isinstance(pages, dict):
                if pages.get("page") != page:
                    problems.append(f"pages.page {pages.get('page')!r} on page {page}")
                total_pages = pages.get("total_pages", total_pages)
            following = pages.get("next") if isinstance(pages, dict) else None
            cursor = following.get("starting_after") if isinstance(following, dict) else None
            if not cursor:
                break
        ids = [item.get("id") for item in items if isinstance(item, dict)]
        if isinstance(total_pages, int) and total_pages != page and not cursor:
            problems.append(f"{page} pages, pages.total_pages says {total_pages}")
        if len(set(ids)) != len(ids):
            problems.append(f"{len(ids) - len(set(ids))} ids repeat across pages")
        if isinstance(total, int) and total != len(ids):
            problems.append(f"pages yield {len(ids)} items, total_count says {total}")
        if cursor:
            problems.append(f"still a next page after {limit} pages")
        self.report.record(f"{endpoint} pagination ({note}: {page} pages, {len(ids)} items)", problems)
        return items

    def contact_list(self) -> list[Any]:
        def fetch(cursor: str | None) -> tuple[str, str, Any]:
            query = {"per_page": "10", **({"starting_after": cursor} if cursor else {})}
            return "GET", f"/contacts?{urllib.parse.urlencode(query)}", None

        items = self.walk("GET /contacts", fetch, "data", "per_page 10", [_is_type("list")])
        if len(items) < 11:
            self.report.record(
                "GET /contacts pagination (several pages)", [f"only {len(items)} contacts: seed 30"]
            )
        return items

    def contact_search(self) -> None:
        def search(
            query: Any, per_page: int, sort: Any = None
        ) -> Callable[[str | None], tuple[str, str, Any]]:
            def fetch(cursor: str | None) -> tuple[str, str, Any]:
                body: dict[str, Any] = {"query": query, "pagination": {"per_page": per_page}}
                if cursor:
                    body["pagination"]["starting_after"] = cursor
                if sort:
                    body["sort"] = sort
                return "POST", "/contacts/search", body

            return fetch

        users = self.walk(
            "POST /contacts/search",
            search({"field": "role", "operator": "=", "value": "user"}, 50),
            "data",
            "single filter",
            [_is_type("list"), _all_items("data", "role", lambda role: role == "user", "role = user")],
        )
        if not users:
            self.report.record("POST /contacts/search (single filter)", ["no users found: seed 30 contacts"])
        if users:
            # An exact multiple of per_page (one full page when the count is prime): the last, full
            # page must not offer a next, empty page.
            size = next((d for d in range(len(users) - 1, 1, -1) if len(users) % d == 0), len(users))
            self.walk(
                "POST /contacts/search",
                search({"field": "role", "operator": "=", "value": "user"}, size),
                "data",
                f"{len(users)} users, per_page {size}",
                [_is_type("list")],
            )
        self.walk(
            "POST /contacts/search",
            search(
                {
                    "operator": "AND",
                    "value": [
                        {"field": "created_at", "operator": ">", "value": "1306054154"},
                        {
                            "operator": "OR",
                            "value": [
                                {"field": "role", "operator": "=", "value": "user"},
                                {"field": "role", "operator": "=", "value": "lead"},
                            ],
                        },
                    ],
                },
                5,
                {"field": "created_at", "order": "ascending"},
            ),
            "data",
            "AND/OR groups, sort created_at ascending, per_page 5",
            [_is_type("list"), _sorted("data", "created_at", ascending=True)],
        )
        self.call(
            "POST /contacts/search",
            "POST",
            "/contacts/search",
            Expectation(200, checks=[_sorted("data", "updated_at", ascending=False)]),
            note="sort updated_at descending",
            body={
                "query": {"field": "updated_at", "operator": ">", "value": "1306054154"},
                "sort": {"field": "updated_at", "order": "descending"},
            },
        )
        self.call(
            "POST /contacts/search",
            "POST",
            "/contacts/search",
            Expectation(200, checks=[_empty_result("data")]),
            note="no match",
            body={"query": {"field": "email", "operator": "=", "value": "nobody@nowhere.invalid"}},
        )
        self.call(
            "POST /contacts/search",
            "POST",
            "/contacts/search",
            Expectation(400, codes=("invalid_sort_order",)),
            note="sort order 'desc'",
            body={
                "query": {"field": "role", "operator": "=", "value": "user"},
                "sort": {"field": "created_at", "order": "desc"},
            },
        )
        # The spec names no code for these two: any error code, but a 400 in the error envelope.
        self.call(
            "POST /contacts/search",
            "POST",
            "/contacts/search",
            Expectation(400),
            note="'>=' on a date",
            body={"query": {"field": "created_at", "operator": ">=", "value": str(int(time.time()))}},
        )
        self.call(
            "POST /contacts/search",
            "POST",
            "/contacts/search",
            Expectation(400),
            note="16 filters in one group",
            body={
                "query": {
                    "operator": "AND",
                    "value": [{"field": "name", "operator": "!=", "value": f"x{n}"} for n in range(16)],
                }
            },
        )

    def conversations(self, contact_id: str | None, admin_id: str | None) -> str | None:
        conversation_id: str | None = None
        if contact_id is None:
            self.missing("POST /conversations", "a contact from POST /contacts")
        else:
            created = self.call(
                "POST /conversations",
                "POST",
                "/conversations",
                Expectation(200, checks=[_is_type("user_message")]),
                note="contact-initiated",
                body={"from": {"type": "user", "id": contact_id}, "body": "Hello from the conformance check"},
            )
            document = created.json() if created is not None else None
            if isinstance(document, dict) and document.get("conversation_id") is not None:
                conversation_id = str(document["conversation_id"])
        self.call(
            "POST /conversations",
            "POST",
            "/conversations",
            Expectation(404, codes=("not_found",)),
            note="unknown contact",
            body={"from": {"type": "user", "id": UNKNOWN_ID}, "body": "Hello"},
        )

        def fetch(cursor: str | None) -> tuple[str, str, Any]:
            query = {"per_page": "4", **({"starting_after": cursor} if cursor else {})}
            return "GET", f"/conversations?{urllib.parse.urlencode(query)}", None

        listed = self.walk(
            "GET /conversations", fetch, "conversations", "per_page 4", [_is_type("conversation.list")]
        )
        if conversation_id is None and listed and isinstance(listed[0], dict):
            conversation_id = str(listed[0].get("id"))

        def search(cursor: str | None) -> tuple[str, str, Any]:
            body: dict[str, Any] = {
                "query": {
                    "operator": "OR",
                    "value": [
                        {"field": "created_at", "operator": ">", "value": "1306054154"},
                        {"field": "state", "operator": "=", "value": "open"},
                    ],
                },
                "pagination": {"per_page": 4, **({"starting_after": cursor} if cursor else {})},
                "sort": {"field": "created_at", "order": "ascending"},
            }
            return "POST", "/conversations/search", body

        self.walk(
            "POST /conversations/search",
            search,
            "conversations",
            "OR group, sort created_at ascending, per_page 4",
            [_is_type("conversation.list"), _sorted("conversations", "created_at", ascending=True)],
        )
        self.call(
            "POST /conversations/search",
            "POST",
            "/conversations/search",
            Expectation(200, checks=[_is_type("conversation.list")]),
            note="single filter",
            body={"query": {"field": "created_at", "operator": ">=", "value": 1306054154}},
        )
        if conversation_id is None:
            for endpoint in ("GET /conversations/{id}", "POST /conversations/{id}/reply"):
                self.missing(endpoint, "a conversation id")
        else:
            self.call(
                "GET /conversations/{id}",
                "GET",
                f"/conversations/{conversation_id}",
                Expectation(200, checks=[_is_type("conversation"), _field_equals("id", conversation_id)]),
            )
            if contact_id is not None:
                self.call(
                    "POST /conversations/{id}/reply",
                    "POST",
                    f"/conversations/{conversation_id}/reply",
                    Expectation(200, checks=[_is_type("conversation"), _field_equals("id", conversation_id)]),
                    note="user comment",
                    body={
                        "message_type": "comment",
                        "type": "user",
                        "intercom_user_id": contact_id,
                        "body": "Thanks",
                    },
                )
            if admin_id is not None:
                self.call(
                    "POST /conversations/{id}/reply",
                    "POST",
                    f"/conversations/{conversation_id}/reply",
                    Expectation(200, checks=[_is_type("conversation"), _field_equals("id", conversation_id)]),
                    note="admin note",
                    body={
                        "message_type": "note",
                        "type": "admin",
                        "admin_id": admin_id,
                        "body": "<p>internal</p>",
                    },
                )
                self.call(
                    "POST /conversations/{id}/reply",
                    "POST",
                    f"/conversations/{conversation_id}/reply",
                    Expectation(200, checks=[_is_type("conversation"), _field_equals("id", conversation_id)]),
                    note="admin comment",
                    body={"message_type": "comment", "type": "admin", "admin_id": admin_id, "body": "Hello"},
                )
            self.call(
                "GET /conversations/{id}",
                "GET",
                f"/conversations/{conversation_id}",
                Expectation(
                    200, checks=[_field_equals("id", conversation_id), _has_part_types("comment", "note")]
                ),
                note="after the replies",
            )
        self.call(
            "GET /conversations/{id}",
            "GET",
            "/conversations/999999999",
            Expectation(404, codes=("not_found",)),
            note="unknown id",
        )
        self.call(
            "POST /conversations/{id}/reply",
            "POST",
            "/conversations/999999999/reply",
            Expectation(404, codes=("not_found",)),
            note="unknown conversation",
            body={"message_type": "note", "type": "admin", "admin_id": admin_id or "1", "body": "x"},
        )
        return conversation_id

    def messages(self, contact_id: str | None, admin_id: str | None) -> None:
        if contact_id is None or admin_id is None:
            self.missing("POST /messages", "a contact and an admin")
            return
        sender = {"type": "admin", "id": admin_id}
        recipient = {"type": "user", "id": contact_id}
        self.call(
            "POST /messages",
            "POST",
            "/messages",
            Expectation(200, checks=[_is_type("admin_message"), _field_equals("message_type", "inapp")]),
            note="inapp",
            body={"message_type": "inapp", "body": "Hi there", "from": sender, "to": recipient},
        )
        # The request schema's enum says `in_app`, every spec example sends `inapp`: both are accepted,
        # and the response (`message.message_type` enum) always says `inapp`.
        self.call(
            "POST /messages",
            "POST",
            "/messages",
            Expectation(200, checks=[_is_type("admin_message"), _field_equals("message_type", "inapp")]),
            note="in_app",
            body={"message_type": "in_app", "body": "Hi there", "from": sender, "to": recipient},
        )
        self.call(
            "POST /messages",
            "POST",
            "/messages",
            Expectation(200, checks=[_is_type("admin_message"), _field_equals("message_type", "email")]),
            note="email",
            body={
                "message_type": "email",
                "subject": "Hello",
                "body": "Hi there",
                "template": "plain",
                "from": sender,
                "to": recipient,
            },
        )
        self.call(
            "POST /messages",
            "POST",
            "/messages",
            Expectation(422, codes=("parameter_not_found",)),
            note="email without subject",
            body={"message_type": "email", "body": "Hi there", "from": sender, "to": recipient},
        )

    def attach_company(self, contact_id: str | None) -> None:
        if contact_id is None:
            self.missing("POST /contacts/{id}/companies", "a contact")
            return
        # A company of its own: attaching gives it a user, which the list checks above must not see.
        created = self.sim.request("POST", "/companies", body={"company_id": f"conf-attach-{int(time.time())}"})
        company_id = _id_of(created)
        if company_id is None:
            self.missing("POST /contacts/{id}/companies", "a company from POST /companies")
            return
        self.call(
            "POST /contacts/{id}/companies",
            "POST",
            f"/contacts/{contact_id}/companies",
            Expectation(200, checks=[_is_type("company"), _field_equals("id", company_id)]),
            note="attach",
            body={"id": company_id},
        )
        self.call(
            "POST /contacts/{id}/companies",
            "POST",
            f"/contacts/{contact_id}/companies",
            Expectation(404, codes=("company_not_found",)),
            note="unknown company",
            body={"id": "000000000000000000000000"},
        )

    def companies(self) -> None:
        stamp = int(time.time())
        company_key = f"conf-co-{stamp}"
        created = self.call(
            "POST /companies",
            "POST",
            "/companies",
            Expectation(200, checks=[_is_type("company"), _field_equals("company_id", company_key)]),
            note="create",
            body={"company_id": company_key, "name": "Conformance Co", "remote_created_at": stamp - 3600},
        )
        company_id = _id_of(created)
        self.call(
            "POST /companies",
            "POST",
            "/companies",
            Expectation(
                200,
                checks=[_field_equals("company_id", company_key), _field_equals("name", "Conformance Co 2")]
                + ([_field_equals("id", company_id)] if company_id else []),
            ),
            note="update by company_id",
            body={"company_id": company_key, "name": "Conformance Co 2"},
        )
        if company_id is None:
            self.missing("GET /companies/{id}", "a company from POST /companies")
        else:
            name = "Conformance Co 2"
            # PUT /companies/{id} is in the spec but not in the simulator's required set (DESIGN §12:
            # create/update is POST /companies). Validated fully when served, skipped when not.
            probe = self.sim.request("PUT", f"/companies/{company_id}", body={"name": "Conformance Co 3"})
            if probe.status == 404:
                print(
                    f"skip PUT /companies/{{id}} — not served: 404{_error_hint(probe.body)}; optional",
                    flush=True,
                )
            else:
                name = "Conformance Co 3"
                self.call(
                    "PUT /companies/{id}",
                    "PUT",
                    f"/companies/{company_id}",
                    Expectation(200, checks=[_field_equals("id", company_id), _field_equals("name", name)]),
                    body={"name": name},
                )
            self.call(
                "GET /companies/{id}",
                "GET",
                f"/companies/{company_id}",
                Expectation(200, checks=[_field_equals("id", company_id), _field_equals("name", name)]),
            )
            # The spec documents GET /companies?company_id= with the `company_list` schema and a
            # list example, although its description says it fetches "a single company".
            self.call(
                "GET /companies",
                "GET",
                f"/companies?company_id={urllib.parse.quote(company_key)}",
                Expectation(200, checks=[_is_type("list")]),
                note="by company_id",
            )
        self.call(
            "GET /companies/{id}",
            "GET",
            f"/companies/{UNKNOWN_ID}",
            Expectation(404, codes=("company_not_found",)),
            note="unknown id",
        )
        self.call(
            "GET /companies",
            "GET",
            "/companies?company_id=no-such-company",
            Expectation(404, codes=("company_not_found",)),
            note="unknown company_id",
        )
        self.call(
            "GET /companies",
            "GET",
            "/companies?page=1&per_page=2",
            Expectation(200, checks=[_is_type("list")]),
            note="page 1",
        )
        seen: list[Any] = []
        for page in range(1, 20):
            response = self.call(
                "POST /companies/list",
                "POST",
                f"/companies/list?page={page}&per_page=2",
                # Spec (description): "the API does not include companies who have no associated
                # users in list responses", such as the one created above.
                Expectation(
                    200,
                    checks=[
                        _is_type("list"),
                        _all_items(
                            "data",
                            "user_count",
                            lambda count: isinstance(count, int) and count > 0,
                            "the spec's rule that companies without users are not listed (user_count > 0)",
                        ),
                    ],
                ),
                note=f"page {page}",
            )
            document = response.json() if response is not None else None
            if not isinstance(document, dict) or not document.get("data"):
                break
            seen += document["data"]
            pages = document.get("pages") or {}
            if not (isinstance(pages, dict) and pages.get("next")):
                break
        ids = [item.get("id") for item in seen if isinstance(item, dict)]
        self.report.record(
            f"POST /companies/list paging ({len(ids)} companies)",
            []
            if ids and len(set(ids)) == len(ids)
            else [f"{len(ids)} companies, {len(ids) - len(set(ids))} repeated"],
        )
        scrolled: list[Any] = []
        scroll_param: str | None = None
        for step in range(1, 20):
            path = "/companies/scroll" + (
                f"?scroll_param={urllib.parse.quote(scroll_param)}" if scroll_param else ""
            )
            response = self.call(
                "GET /companies/scroll",
                "GET",
                path,
                Expectation(200, checks=[_is_type("list")]),
                note=f"step {step}",
            )
            document = response.json() if response is not None else None
            if not isinstance(document, dict) or not document.get("data"):
                break
            scrolled += document["data"]
            scroll_param = document.get("scroll_param")
            if not scroll_param:
                self.report.record(
                    "GET /companies/scroll (scroll_param)", ["page with data but no scroll_param"]
                )
                break
        else:
            self.report.record(
                "GET /companies/scroll (end)", ["no empty page after 19 steps: the scroll never ends"]
            )
        if len(scrolled) < 5:
            self.report.record(
                "GET /companies/scroll (all companies)", [f"scroll yielded {len(scrolled)}: seed 5"]
            )

    def ticket_types(self) -> str | None:
        """The workspace's ticket types; the first one's id, which creating a ticket needs."""
        listed = self.call(
            "GET /ticket_types",
            "GET",
            "/ticket_types",
            Expectation(
                200,
                checks=[
                    _is_type("list"),
                    _non_empty("data"),
                    _all_items("data", "type", lambda value: value == "ticket_type", "type ticket_type"),
                ],
            ),
        )
        document = listed.json() if listed is not None else None
        first = (document.get("data") or [None])[0] if isinstance(document, dict) else None
        return str(first["id"]) if isinstance(first, dict) and first.get("id") is not None else None

    def tickets(self, contact_id: str | None) -> None:
        ticket_type_id = self.ticket_types()
        if contact_id is None:
            self.missing("POST /tickets", "a contact from POST /contacts")
        elif ticket_type_id is None:
            self.missing("POST /tickets", "a ticket type from GET /ticket_types")
        else:
            self.call(
                "POST /tickets",
                "POST",
                "/tickets",
                Expectation(400, codes=("parameter_invalid",)),
                note="unknown ticket type",
                body={"ticket_type_id": "999999999", "contacts": [{"id": contact_id}]},
            )
            created = self.call(
                "POST /tickets",
                "POST",
                "/tickets",
                Expectation(200, checks=[_is_type("ticket")]),
                body={
                    "ticket_type_id": ticket_type_id,
                    "contacts": [{"id": contact_id}],
                    "ticket_attributes": {
                        "_default_title_": "Broken",
                        "_default_description_": "It does not work",
                    },
                },
            )
            ticket_id = _id_of(created)
            if ticket_id is None:
                self.missing("GET /tickets/{id}", "a ticket from POST /tickets")
            else:
                self.call(
                    "GET /tickets/{id}",
                    "GET",
                    f"/tickets/{ticket_id}",
                    Expectation(200, checks=[_is_type("ticket"), _field_equals("id", ticket_id)]),
                )
        self.call(
            "GET /tickets/{id}",
            "GET",
            "/tickets/999999999",
            Expectation(404, codes=("ticket_not_found",)),
            note="unknown id",
        )

    def common_errors(self) -> None:
        self.call(
            "401 unauthorized",
            "GET",
            "/contacts",
            Expectation(401, codes=("unauthorized",)),
            note="bad token",
            token="not-the-token",
        )
        self.call(
            "401 unauthorized",
            "GET",
            "/me",
            Expectation(401, codes=("unauthorized",)),
            note="no token",
            token=None,
        )
        self.call(
            "400 intercom_version_invalid",
            "GET",
            "/me",
            Expectation(400, codes=("intercom_version_invalid",)),
            note="Intercom-Version 9.99",
            version="9.99",
        )
        self.call("404 unknown path", "GET", "/no_such_resource", Expectation(404), note="unknown path")
        # Docs (http-responses): an unsupported method is a 404; a body that is not JSON a 400.
        self.call("404 unknown path", "DELETE", "/admins", Expectation(404), note="unsupported method")
        self.call(
            "POST /contacts",
            "POST",
            "/contacts",
            Expectation(400, codes=("parameter_invalid",)),
            note="body not JSON",
            body=RawBody(b"{not json"),
        )
        # The spec makes the Intercom-Version header optional: without it the app's version applies.
        self.call(
            "GET /me",
            "GET",
            "/me",
            Expectation(200, checks=[_is_type("admin")]),
            note="no Intercom-Version",
            version=None,
        )

    def rate_limit(self, binary: Path) -> None:
        """With 2 requests allowed per window, the third must be a 429 with the rate-limit headers.

        Uses the control endpoint `POST /__sim/rate_limit` (not part of the spec, never validated);
        when the simulator has none, a second simulator started with `--rate-limit 2`.
        """
        limited: Simulator | None = None
        target = self.sim
        setup = self.sim.request("POST", "/__sim/rate_limit", body={"per_window": 2, "reset_window": True})
        if setup.status != 200:
            try:
                limited = Simulator(binary, [*SEED, "--rate-limit", "2"])
            except (RuntimeError, OSError) as error:
                self.missing(
                    "429 rate_limit_exceeded",
                    f"POST /__sim/rate_limit (got {setup.status}) or --rate-limit 2 ({error})",
                )
                return
            target = limited
        try:
            for attempt in range(1, 11):
                response = target.request("GET", "/me")
                if response.status == 429 or attempt == 10:
                    break
            self.report.exercised.add("429 rate_limit_exceeded")
            problems = self.validator.validate(
                "GET",
                "/me",
                response.status,
                response.headers,
                response.body,
                Expectation(429, codes=("rate_limit_exceeded",)),
            )
            if response.status == 429:
                if attempt != 3:
                    problems.append(f"first 429 on request {attempt}, expected 3 with 2 allowed per window")
                problems += _rate_limit_header_problems(response.headers)
                lowered = {name.lower(): value for name, value in response.headers.items()}
                if lowered.get("x-ratelimit-remaining", "0").strip() != "0":
                    problems.append(
                        f"X-RateLimit-Remaining {lowered['x-ratelimit-remaining']} on a 429, expected 0"
                    )
                if lowered.get("x-ratelimit-limit", "2").strip() != "2":
                    problems.append(f"X-RateLimit-Limit {lowered['x-ratelimit-limit']}, expected 2")
                if "retry-after" in lowered:
                    problems.append("Retry-After present: Intercom sends none (DESIGN §5)")
            self.report.record(f"GET /me {response.status} (2 per window, request {attempt})", problems)
        finally:
            if limited is not None:
                limited.stop()
            else:
                self.sim.request("POST", "/__sim/rate_limit", body={"per_window": 1667, "reset_window": True})


# -- expectation helpers ------------------------------------------------------------------------


def _id_of(response: Response | None) -> str | None:
    document = response.json() if response is not None and response.status == 200 else None
    if isinstance(document, dict) and document.get("id") is not None:
        return str(document["id"])
    return None


def _is_type(expected: str) -> Callable[[Any, dict[str, str]], str | None]:
    def check(document: Any, headers: dict[str, str]) -> str | None:
        if isinstance(document, dict) and document.get("type") != expected:
            return f"type {document.get('type')!r}, expected {expected!r}"
        return None

    return check


def _field_equals(key: str, expected: Any) -> Callable[[Any, dict[str, str]], str | None]:
    def check(document: Any, headers: dict[str, str]) -> str | None:
        if isinstance(document, dict) and document.get(key) != expected:
            return f"{key} {document.get(key)!r}, expected {expected!r}"
        return None

    return check


def _non_empty(key: str) -> Callable[[Any, dict[str, str]], str | None]:
    def check(document: Any, headers: dict[str, str]) -> str | None:
        if isinstance(document, dict) and not document.get(key):
            return f"{key} is empty"
        return None

    return check


def _all_items(
    key: str, field: str, predicate: Callable[[Any], bool], what: str
) -> Callable[..., str | None]:
    def check(document: Any, headers: dict[str, str]) -> str | None:
        items = document.get(key) if isinstance(document, dict) else None
        if isinstance(items, list):
            wrong = [
                item.get("id") for item in items if isinstance(item, dict) and not predicate(item.get(field))
            ]
            if wrong:
                return f"{len(wrong)} items violate {what} (e.g. {wrong[0]})"
        return None

    return check


def _sorted(key: str, field: str, ascending: bool) -> Callable[..., str | None]:
    def check(document: Any, headers: dict[str, str]) -> str | None:
        items = document.get(key) if isinstance(document, dict) else None
        if isinstance(items, list):
            values = [item.get(field) for item in items if isinstance(item, dict)]
            if all(isinstance(value, int) for value in values):
                if values != sorted(values, reverse=not ascending):
                    return f"{key} not sorted by {field} {'ascending' if ascending else 'descending'}"
        return None

    return check


def _empty_result(key: str) -> Callable[..., str | None]:
    """No match: an empty list, `total_count` 0 and no `next` page."""

    def check(document: Any, headers: dict[str, str]) -> str | None:
        if not isinstance(document, dict):
            return None
        pages = document.get("pages") if isinstance(document.get("pages"), dict) else {}
        if document.get(key) != [] or document.get("total_count") != 0 or pages.get("next"):
            total = document.get("total_count")
            return f"expected an empty result: {key} {document.get(key)!r}, total_count {total!r}"
        return None

    return check


def _has_part_types(*wanted: str) -> Callable[..., str | None]:
    def check(document: Any, headers: dict[str, str]) -> str | None:
        parts = document.get("conversation_parts") if isinstance(document, dict) else None
        items = parts.get("conversation_parts") if isinstance(parts, dict) else None
        if not isinstance(items, list):
            return "no conversation_parts.conversation_parts list"
        found = {item.get("part_type") for item in items if isinstance(item, dict)}
        absent = [part_type for part_type in wanted if part_type not in found]
        return f"no conversation part of type {', '.join(absent)} after the replies" if absent else None

    return check


def _rate_limit_header_problems(headers: dict[str, str]) -> list[str]:
    lowered = {name.lower(): value for name, value in headers.items()}
    problems = []
    for name in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
        value = lowered.get(name)
        if value is None:
            problems.append(f"header {name} missing")
        elif not value.strip().isdigit():
            problems.append(f"header {name} {value!r} is not an integer")
    reset = lowered.get("x-ratelimit-reset", "")
    if reset.strip().isdigit() and not (time.time() - 5 <= int(reset) <= time.time() + 15):
        problems.append(f"X-RateLimit-Reset {reset} is not a Unix time within the next 10 s window")
    return problems


def write_findings(path: Path, report: Report) -> None:
    """The failures grouped by endpoint, list indices folded (`data/7/email` → `data/*/email`)."""
    groups: dict[str, dict[str, list[str]]] = {}
    for label, problems in report.failures:
        words = label.split(" ")
        endpoint = " ".join(words[:2])
        scenario = " ".join(words[2:])
        for problem in problems:
            folded = re.sub(r"/\d+/", "/*/", problem)
            folded = re.sub(r"^(at [^:]+: ).+? (is not (of type|one of|valid) .*)$", r"\1value \2", folded)
            folded = re.sub(r"\[\]\.", "[*].", folded)
            groups.setdefault(endpoint, {}).setdefault(folded, []).append(scenario)
    lines = [f"<!-- generated by check.py --findings: {report.passed} passed, {report.failed} failed -->", ""]
    for endpoint in sorted(groups):
        lines.append(f"### {endpoint}")
        for problem, scenarios in groups[endpoint].items():
            shown = ", ".join(dict.fromkeys(scenarios))
            count = f" ({len(scenarios)}×)" if len(scenarios) > 1 else ""
            lines.append(f"- {problem}{count} — in: {shown}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sim", type=Path, help="path to the intercom-sim binary")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="the Intercom OpenAPI 2.16 YAML")
    parser.add_argument("--self-test", action="store_true", help="prove that broken responses are reported")
    parser.add_argument(
        "--findings", type=Path, help="also write the failures, grouped, as Markdown to this file"
    )
    arguments = parser.parse_args()
    validator = SpecValidator(arguments.spec.resolve())
    if arguments.self_test:
        from self_test import run_self_test

        return run_self_test(validator, arguments.sim)
    if arguments.sim is None:
        parser.error("--sim is required for the check")
    report = Report()
    started = time.monotonic()
    try:
        sim = Simulator(arguments.sim, SEED)
    except (RuntimeError, OSError) as error:
        report.record("start intercom-sim", [str(error)])
    else:
        try:
            conformance = Conformance(validator, sim, report)
            conformance.run()
            conformance.guarded("rate limit", lambda: conformance.rate_limit(arguments.sim))
        finally:
            sim.stop()
    for endpoint in REQUIRED:
        if endpoint not in report.exercised and endpoint not in report.blocked:
            report.record(f"{endpoint} exercised", ["no response validated for this endpoint"])
    if arguments.findings is not None:
        write_findings(arguments.findings, report)
    print(f"# {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    print(f"{report.passed} passed, {report.failed} failed", flush=True)
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
