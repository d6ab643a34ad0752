"""Self-test: proves the checker reports broken responses and accepts unbroken ones.

Baselines are real responses: the spec's documented example responses (what Intercom returns),
and, when a simulator binary is given, live responses from it that already conform. Each baseline
must pass unbroken; then every applicable breakage (dropped required field, wrong type, wrong
envelope key, wrong error code type, …) is applied to a copy and must be reported as a mismatch.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from spec_validator import SpecValidator

JSON = {"Content-Type": "application/json"}


@dataclass
class Baseline:
    name: str
    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Breakage:
    """One way of breaking a response; `apply` returns None when it does not apply."""

    name: str
    apply: Callable[[int, dict[str, str], Any], tuple[int, dict[str, str], bytes] | None]


def _json_edit(edit: Callable[[Any], bool]) -> Callable[..., tuple[int, dict[str, str], bytes] | None]:
    """A breakage that edits the parsed body in place; `edit` returns False when not applicable."""

    def apply(
        status: int, headers: dict[str, str], document: Any
    ) -> tuple[int, dict[str, str], bytes] | None:
        broken = copy.deepcopy(document)
        if not edit(broken):
            return None
        return status, headers, json.dumps(broken).encode()

    return apply


def _list_key(document: Any) -> str | None:
    for key in ("data", "conversations", "admins", "tickets"):
        if isinstance(document, dict) and isinstance(document.get(key), list):
            return key
    return None


def _drop_id(document: Any) -> bool:
    if isinstance(document, dict) and "id" in document and "errors" not in document:
        del document["id"]
        return True
    return False


def _drop_item_id(document: Any) -> bool:
    key = _list_key(document)
    if key and document[key] and isinstance(document[key][0], dict) and "id" in document[key][0]:
        del document[key][0]["id"]
        return True
    return False


def _created_at_as_string(document: Any) -> bool:
    if isinstance(document, dict) and isinstance(document.get("created_at"), int):
        document["created_at"] = str(document["created_at"])
        return True
    return False


def _item_created_at_as_string(document: Any) -> bool:
    key = _list_key(document)
    if key and document[key] and isinstance(document[key][0], dict):
        return _created_at_as_string(document[key][0])
    return False


def _total_count_as_string(document: Any) -> bool:
    if isinstance(document, dict) and isinstance(document.get("total_count"), int):
        document["total_count"] = str(document["total_count"])
        return True
    return False


def _wrong_envelope_key(document: Any) -> bool:
    key = _list_key(document)
    if key is None:
        return False
    document["items" if key == "data" else "data"] = document.pop(key)
    return True


def _id_as_number(document: Any) -> bool:
    if isinstance(document, dict) and isinstance(document.get("id"), str) and document["id"].isdigit():
        document["id"] = int(document["id"])
        return True
    if isinstance(document, dict) and isinstance(document.get("id"), str):
        document["id"] = 12345
        return True
    return False


def _list_type_outside_enum(document: Any) -> bool:
    if isinstance(document, dict) and document.get("type") == "list":
        document["type"] = "contact.list"
        return True
    return False


def _request_id_not_uuid(document: Any) -> bool:
    if isinstance(document, dict) and isinstance(document.get("request_id"), str):
        document["request_id"] = "not-a-uuid"
        return True
    return False


def _drop_errors(document: Any) -> bool:
    if isinstance(document, dict) and "errors" in document:
        del document["errors"]
        return True
    return False


def _error_code_as_number(document: Any) -> bool:
    if isinstance(document, dict) and isinstance(document.get("errors"), list) and document["errors"]:
        document["errors"][0]["code"] = 404
        return True
    return False


def _drop_error_code(document: Any) -> bool:
    if isinstance(document, dict) and isinstance(document.get("errors"), list) and document["errors"]:
        document["errors"][0].pop("code", None)
        return True
    return False


def _truncate(status: int, headers: dict[str, str], document: Any) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps(document).encode()
    return status, headers, body[: len(body) // 2]


def _text_plain(status: int, headers: dict[str, str], document: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {**headers, "Content-Type": "text/plain"}, json.dumps(document).encode()


def _undocumented_success(
    status: int, headers: dict[str, str], document: Any
) -> tuple[int, dict[str, str], bytes] | None:
    if status != 200:
        return None
    return 201, headers, json.dumps(document).encode()


BREAKAGES = [
    Breakage("drop id (required by message schema or present in spec example)", _json_edit(_drop_id)),
    Breakage("drop id of a list item", _json_edit(_drop_item_id)),
    Breakage("created_at as a string", _json_edit(_created_at_as_string)),
    Breakage("list item created_at as a string", _json_edit(_item_created_at_as_string)),
    Breakage("total_count as a string", _json_edit(_total_count_as_string)),
    Breakage("id as a number", _json_edit(_id_as_number)),
    Breakage("wrong list envelope key", _json_edit(_wrong_envelope_key)),
    Breakage("type 'contact.list' outside the enum ['list']", _json_edit(_list_type_outside_enum)),
    Breakage("request_id not a uuid", _json_edit(_request_id_not_uuid)),
    Breakage("drop errors (required)", _json_edit(_drop_errors)),
    Breakage("error code as a number", _json_edit(_error_code_as_number)),
    Breakage("drop error code (required)", _json_edit(_drop_error_code)),
    Breakage("truncated body", _truncate),
    Breakage("Content-Type text/plain", _text_plain),
    Breakage("201 instead of the documented 200", _undocumented_success),
]

# (method, spec path, concrete path, status, example name) of documented responses used as baselines.
SPEC_BASELINES = [
    ("GET", "/me", "/me", 200, "Successful response"),
    ("GET", "/admins", "/admins", 200, "Successful response"),
    ("GET", "/admins", "/admins", 401, "Unauthorized"),
    ("POST", "/contacts", "/contacts", 200, "successful"),
    ("GET", "/contacts/{contact_id}", "/contacts/6762f0d01bb69f9f2193bb7d", 200, "successful"),
    ("POST", "/contacts/search", "/contacts/search", 200, "successful"),
    ("POST", "/contacts/search", "/contacts/search", 400, "Invalid sort order"),
    ("GET", "/conversations", "/conversations", 200, "successful"),
    ("POST", "/conversations", "/conversations", 200, "conversation created"),
    ("POST", "/conversations/{conversation_id}/reply", "/conversations/1/reply", 200, "User reply"),
    ("POST", "/messages", "/messages", 200, "admin message created"),
    ("POST", "/messages", "/messages", 422, "No subject supplied for email message"),
    ("POST", "/companies", "/companies", 200, "Successful"),
    ("GET", "/companies/{company_id}", "/companies/1", 404, "Company Not Found"),
    ("POST", "/companies/list", "/companies/list", 200, "Successful"),
    ("GET", "/companies/scroll", "/companies/scroll", 200, "Successful"),
    ("GET", "/tickets/{ticket_id}", "/tickets/1", 200, "Ticket found"),
]

# Live requests whose conformant responses also serve as baselines (method, path, body).
LIVE_BASELINES = [
    ("GET", "/me", None),
    ("GET", "/admins", None),
    ("GET", "/contacts?per_page=3", None),
    ("POST", "/contacts/search", {"query": {"field": "role", "operator": "=", "value": "user"}}),
    ("GET", "/conversations?per_page=3", None),
    ("POST", "/companies/list", None),
    ("GET", "/contacts/0123456789abcdef01234567", None),
    ("GET", "/companies/0123456789abcdef01234567", None),
]


def spec_baselines(validator: SpecValidator) -> list[Baseline]:
    baselines = []
    for method, template, concrete, status, example in SPEC_BASELINES:
        response = validator.spec["paths"][template][method.lower()]["responses"][str(status)]
        value = response["content"]["application/json"]["examples"][example]["value"]
        baselines.append(
            Baseline(
                f"spec example {method} {template} {status}",
                method,
                concrete,
                status,
                JSON,
                json.dumps(value).encode(),
            )
        )
    # The documented contact lists are empty (`"data": []`), so only the component layer can see a
    # broken contact inside one: a search result holding the documented contact exercises it.
    paths = validator.spec["paths"]
    envelope = paths["/contacts/search"]["post"]["responses"]["200"]["content"]["application/json"]
    contact = paths["/contacts/{contact_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    listing = copy.deepcopy(envelope["examples"]["successful"]["value"])
    listing["data"] = [copy.deepcopy(contact["examples"]["successful"]["value"])]
    listing["total_count"] = 1
    baselines.append(
        Baseline(
            "spec example contact in a POST /contacts/search 200 list",
            "POST",
            "/contacts/search",
            200,
            JSON,
            json.dumps(listing).encode(),
        )
    )
    # A status the operation does not document is held to the spec's error envelope.
    unauthorized = paths["/admins"]["get"]["responses"]["401"]["content"]["application/json"]
    baselines.append(
        Baseline(
            "spec error example as an undocumented 404 on GET /contacts/{contact_id}",
            "GET",
            "/contacts/0123456789abcdef01234567",
            404,
            JSON,
            json.dumps(unauthorized["examples"]["Unauthorized"]["value"]).encode(),
        )
    )
    return baselines


def live_baselines(binary: Path) -> tuple[list[Baseline], list[str]]:
    from check import SEED, Simulator

    baselines: list[Baseline] = []
    notes: list[str] = []
    try:
        sim = Simulator(binary, SEED)
    except (RuntimeError, OSError) as error:
        return [], [f"no live baselines: {error}"]
    try:
        for method, path, body in LIVE_BASELINES:
            response = sim.request(method, path, body=body)
            baselines.append(
                Baseline(
                    f"live {method} {path} {response.status}",
                    method,
                    path,
                    response.status,
                    response.headers,
                    response.body,
                )
            )
    finally:
        sim.stop()
    return baselines, notes


def end_to_end_against_faults(validator: SpecValidator, binary: Path) -> str | None:
    """Runs the whole check against a simulator that cuts every body in half; None if it fails as it must."""
    import contextlib
    import io

    from check import SEED, Conformance, Report, Simulator

    try:
        sim = Simulator(binary, [*SEED, "--truncate-rate", "1"])
    except (RuntimeError, OSError) as error:
        return f"cannot start a faulty simulator: {error}"
    report = Report()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            Conformance(validator, sim, report).run()
    finally:
        sim.stop()
    truncated = sum(1 for _, problems in report.failures if any("not JSON" in p for p in problems))
    if report.failed == 0 or truncated == 0:
        return (
            f"the check passed {report.passed} and failed {report.failed} ({truncated} as truncated bodies)"
        )
    return None


def run_self_test(validator: SpecValidator, binary: Path | None) -> int:
    passed = failed = 0
    usable: list[Baseline] = []
    candidates = spec_baselines(validator)
    if binary is not None:
        live, notes = live_baselines(binary)
        for note in notes:
            print(f"note {note}")
        candidates += live
    for baseline in candidates:
        problems = validator.validate(
            baseline.method, baseline.path, baseline.status, baseline.headers, baseline.body
        )
        if baseline.name.startswith("spec"):
            # The spec's own examples must pass: otherwise the checker (or a decision) is wrong.
            if problems:
                failed += 1
                print(f"FAIL self-test baseline {baseline.name} — {'; '.join(problems[:3])}")
                continue
            passed += 1
            print(f"ok   self-test baseline {baseline.name}")
        elif problems:
            # A live response that does not conform yet is the real check's business, not ours.
            print(f"note self-test skips {baseline.name}: not conformant yet ({problems[0]})")
            continue
        else:
            passed += 1
            print(f"ok   self-test baseline {baseline.name}")
        usable.append(baseline)

    applied: set[str] = set()
    for baseline in usable:
        document = json.loads(baseline.body)
        for breakage in BREAKAGES:
            result = breakage.apply(baseline.status, dict(baseline.headers), document)
            if result is None:
                continue
            applied.add(breakage.name)
            status, headers, body = result
            problems = validator.validate(baseline.method, baseline.path, status, headers, body)
            if problems:
                passed += 1
                print(f"ok   self-test {baseline.name} / {breakage.name} → {problems[0]}")
            else:
                failed += 1
                print(f"FAIL self-test {baseline.name} / {breakage.name} → accepted, should be a mismatch")
    if binary is not None:
        outcome = end_to_end_against_faults(validator, binary)
        if outcome is None:
            passed += 1
            print("ok   self-test end to end: a simulator with --truncate-rate 1 fails the check")
        else:
            failed += 1
            print(f"FAIL self-test end to end: {outcome}")
    for breakage in BREAKAGES:
        if breakage.name not in applied:
            failed += 1
            print(f"FAIL self-test breakage never applied: {breakage.name}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1
