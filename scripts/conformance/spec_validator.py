"""Validates HTTP responses against Intercom's OpenAPI 2.16 description.

Two layers, both driven by the spec file, never by the simulator:

1. **Schema** (openapi-core): the status must be documented for the operation, the body must be
   JSON of the documented media type and match the response schema, and headers the spec defines
   (e.g. `Link` on a 410) must be present and valid.
2. **Shape from the spec's own examples**: the spec's schemas list almost no `required` properties
   (a `contact` schema accepts `{}`), so schema validation alone cannot notice a missing `id` or a
   list envelope under the wrong key. Every key that the spec's documented example for the same
   operation and status carries must be present in our response too (values may differ; `null` is
   fine where the example has a value, since the schema decides nullability). With several
   examples for one status (user vs admin message) only keys common to all are required. Keys
   whose presence the spec makes conditional are listed in `CONDITIONAL_KEYS` with the reason.
   Because list examples are often empty, the same rule also applies per component: wherever a
   response carries e.g. a `contact`, it needs the keys common to every documented `contact`
   instance in all of the spec's response examples. Keys of free-form maps
   (`custom_attributes`) are data and never required.

Statuses an operation does not document are accepted only for errors (>= 400), held to the spec's
one error envelope `#/components/schemas/error`.

Decisions where the spec is too loose, too strict or contradicts itself are written next to the
code that implements them; nothing is relaxed silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml
from jsonschema.exceptions import ValidationError, best_match
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS30Validator, oas30_format_checker

# Requests are matched against the spec's first server; the real host is the simulator's.
SPEC_HOST = "https://api.intercom.io"

# Keys that appear in a spec example but whose presence the spec itself makes conditional.
# Each entry is a dotted path in the response ("[]" stands for every item of a list).
CONDITIONAL_KEYS: dict[str, str] = {
    # cursor_pages: "`next` appears only when more pages exist" (pagination guide, examples on
    # the last page omit it or give null). Checked separately by the scenarios.
    "pages.next": "present only when a further page exists",
}


# The same for keys of a component, wherever it appears ("component.key").
CONDITIONAL_COMPONENT_KEYS: dict[str, str] = {
    "cursor_pages.next": "present only when a further page exists",
}


@dataclass
class Expectation:
    """What a scenario expects beyond the schema: status, error code, extra predicates."""

    status: int
    codes: tuple[str, ...] = ()  # acceptable `errors[0].code` values; empty: any string
    checks: list[Any] = field(default_factory=list)  # callables(body, headers) -> str | None


class SpecValidator:
    """Loads the spec once and validates responses against it."""

    def __init__(self, spec_path: Path) -> None:
        with open(spec_path, encoding="utf-8") as handle:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            self.spec: dict[str, Any] = yaml.load(handle, Loader=loader)
        self.nullable_refs = _honour_nullable_beside_ref(self.spec)
        # Decision: the document as a whole fails openapi-spec-validator on an operation we never
        # call (`GET /export/reporting_data/{job_identifier}` declares no such path parameter).
        # That defect says nothing about the schemas we validate against, so the document-level
        # check is skipped; response validation itself is unchanged.
        self.api = OpenAPI.from_dict(self.spec, config=Config(spec_validator_cls=None))
        error_schema = self.spec["components"]["schemas"]["error"]
        # The same format checker openapi-core applies to documented responses (e.g. `uuid`).
        self.error_validator = OAS30Validator(error_schema, format_checker=oas30_format_checker)
        self.component_keys = _component_example_keys(self.spec)
        self._templates = [
            (self._template_regex(path), path, item) for path, item in self.spec["paths"].items()
        ]
        # Concrete segments win over parameters (`/contacts/search` before `/contacts/{id}`).
        self._templates.sort(key=lambda entry: entry[1].count("{"))

    @staticmethod
    def _template_regex(path: str) -> re.Pattern[str]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
        return re.compile(f"^{pattern}$")

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """The spec's path template and operation object for a concrete request, if any."""
        for regex, template, item in self._templates:
            if regex.match(path) and method.lower() in item:
                return template, item[method.lower()]
        return None

    def validate(
        self,
        method: str,
        path: str,
        status: int,
        headers: dict[str, str],
        body: bytes,
        expect: Expectation | None = None,
    ) -> list[str]:
        """Every mismatch between the response and the spec (and the expectation), concisely."""
        problems: list[str] = []
        lowered = {name.lower(): value for name, value in headers.items()}
        if expect is not None and status != expect.status:
            problems.append(f"status {status}, expected {expect.status}{_error_hint(body)}")
        content_type = lowered.get("content-type", "")
        if content_type.split(";")[0].strip() != "application/json":
            problems.append(f"Content-Type {content_type!r}, spec: application/json")
        try:
            document = json.loads(body)
        except ValueError as error:
            problems.append(f"body is not JSON ({error.msg}): {body[:60]!r}")
            return problems

        found = self.operation(method, path.split("?")[0])
        documented = found is not None and str(status) in found[1].get("responses", {})
        if documented:
            assert found is not None
            problems += self._validate_with_openapi_core(method, path, status, headers, body)
            response_spec = found[1]["responses"][str(status)]
            missing = self._example_key_paths(response_spec, document)
            schema = response_spec.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                reported = set(missing)
                for entry in _component_missing_keys(self.spec, self.component_keys, schema, document, ""):
                    if entry.split(" (", 1)[0] not in reported:  # the operation's example said it already
                        missing.append(entry)
            problems += [
                f"missing key {path} (present in the spec's examples)" for path in dict.fromkeys(missing)
            ]
        elif status >= 400:
            # Decision: the spec documents only some error statuses per operation (no 404 on
            # GET /contacts/{id}, no 409 on POST /contacts, no 429 or version error anywhere it is
            # not listed), yet it states that "the API will return an Error List for a failed
            # request". An undocumented error status is therefore validated against
            # `#/components/schemas/error`, the spec's one error envelope, plus the expected code.
            problems += [f"error envelope: {message}" for message in self._error_schema_problems(document)]
        else:
            where = f"{method} {found[0]}" if found else f"{method} {path} (no such path in spec)"
            problems.append(f"status {status} is not documented for {where}")

        if status >= 400 and isinstance(document, dict):
            problems += self._error_code_problems(document, expect)
        if expect is not None:
            for check in expect.checks:
                message = check(document, lowered)
                if message:
                    problems.append(message)
        return problems

    def _validate_with_openapi_core(
        self, method: str, path: str, status: int, headers: dict[str, str], body: bytes
    ) -> list[str]:
        bare = path.split("?")[0]
        request = MockRequest(SPEC_HOST, method, bare)
        content_type = headers.get("Content-Type") or headers.get("content-type") or "application/json"
        response = MockResponse(body, status_code=status, headers=headers, content_type=content_type)
        try:
            self.api.validate_response(request, response)
        except Exception as error:  # openapi-core raises a family of errors; report them all
            return _describe_openapi_error(error)
        return []

    def _error_schema_problems(self, document: Any) -> list[str]:
        return [_describe_schema_error(error) for error in self.error_validator.iter_errors(document)]

    @staticmethod
    def _error_code_problems(document: dict[str, Any], expect: Expectation | None) -> list[str]:
        errors = document.get("errors")
        if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
            return []  # already reported by the schema layer
        code = errors[0].get("code")
        if expect is not None and expect.codes and code not in expect.codes:
            return [f"errors[0].code {code!r}, expected {' or '.join(expect.codes)}"]
        return []

    def _example_key_paths(self, response_spec: dict[str, Any], document: Any) -> list[str]:
        values = [value for value in _example_values(response_spec) if value is not None]
        schema = response_spec.get("content", {}).get("application/json", {}).get("schema")
        return _missing_keys(self.spec, schema, values, document, "") if values else []


def _honour_nullable_beside_ref(node: Any) -> int:
    """Rewrites `{$ref: X, nullable: true, ...}` to accept null as well as X; returns the count.

    Decision: the spec writes `nullable: true` beside a `$ref` (17 times, e.g.
    `conversation.ai_agent`, `conversation_part.assigned_to`, `email_message_metadata`,
    `event_details`). OpenAPI 3.0.3 ignores siblings of `$ref`, so a strict validator rejects
    `null` there, yet the spec's own examples return `null` at exactly these places. We follow the
    author's evident intent: null is accepted, any other value must match the referenced schema in
    full. Only explicit `nullable: true` beside a `$ref` is touched; nothing else is relaxed.
    """
    count = 0
    if isinstance(node, dict):
        if "$ref" in node and node.get("nullable") is True:
            reference = node.pop("$ref")
            node.pop("nullable")
            node["anyOf"] = [{"$ref": reference}, {"type": "object", "nullable": True, "enum": [None]}]
            count += 1
        for value in node.values():
            count += _honour_nullable_beside_ref(value)
    elif isinstance(node, list):
        for value in node:
            count += _honour_nullable_beside_ref(value)
    return count


def _example_values(response_spec: dict[str, Any]) -> list[Any]:
    examples = response_spec.get("content", {}).get("application/json", {}).get("examples", {})
    return [entry.get("value") for entry in examples.values() if isinstance(entry, dict)]


def _resolve(spec: dict[str, Any], schema: Any) -> tuple[str | None, Any]:
    """The component name (if `schema` is a `$ref` to one) and the schema it stands for."""
    if isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return name, spec["components"]["schemas"].get(name, {})
    return None, schema


def _walk_with_schema(
    spec: dict[str, Any],
    schema: Any,
    document: Any,
    path: str,
    visit: Callable[[str, Any, str], None],
    depth: int = 0,
) -> None:
    """Calls `visit(component, node, path)` for every node of `document` that a component describes.

    Follows `$ref`, `allOf`, the non-null branch of `anyOf`/`oneOf` when it is a single `$ref`,
    `properties` and array `items`. Ambiguous unions are not descended (no guessing).
    """
    if depth > 40 or document is None:
        return
    name, resolved = _resolve(spec, schema)
    if name is not None:
        visit(name, document, path)
    if not isinstance(resolved, dict):
        return
    for part in resolved.get("allOf", []):
        _walk_with_schema(spec, part, document, path, visit, depth + 1)
    for union in ("anyOf", "oneOf"):
        branches = [
            branch
            for branch in resolved.get(union, [])
            if not (isinstance(branch, dict) and branch.get("enum") == [None])
        ]
        if len(branches) == 1:
            _walk_with_schema(spec, branches[0], document, path, visit, depth + 1)
    if isinstance(document, dict):
        for key, child in resolved.get("properties", {}).items():
            if key in document:
                _walk_with_schema(spec, child, document[key], f"{path}{key}.", visit, depth + 1)
    elif isinstance(document, list) and "items" in resolved:
        for item in document:
            _walk_with_schema(spec, resolved["items"], item, f"{path.rstrip('.')}[].", visit, depth + 1)


def _component_example_keys(spec: dict[str, Any]) -> dict[str, set[str]]:
    """For each component, the keys that every instance of it in the spec's response examples has.

    Decision: list examples are often empty (`"data": []`), so the operation's own example says
    nothing about a contact inside a contact list. Every documented response example is walked
    with its schema; each object a component describes is an instance of that component, and the
    keys common to all its instances (a list item of `conversation` lacks `conversation_parts`,
    so it is not required) must appear wherever our responses carry that component.
    """
    seen: dict[str, set[str]] = {}

    def visit(name: str, node: Any, path: str) -> None:
        if isinstance(node, dict):
            keys = set(node)
            declared = _declared_properties(spec, spec["components"]["schemas"].get(name, {}))
            if not declared:
                return  # a free-form map: its keys are data, not shape
            if not keys & declared:
                # A mislabelled example (e.g. `{"customers": […]}` documented as a `conversation`
                # for POST /conversations/{id}/customers) shares no key with the schema: it is
                # not an instance of the component and would wrongly empty the common key set.
                return
            seen[name] = seen[name] & keys if name in seen else keys

    for item in spec["paths"].values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or method == "parameters":
                continue
            for response_spec in operation.get("responses", {}).values():
                schema = response_spec.get("content", {}).get("application/json", {}).get("schema")
                if schema is None:
                    continue
                for value in _example_values(response_spec):
                    _walk_with_schema(spec, schema, value, "", visit)
    return seen


def _declared_properties(spec: dict[str, Any], schema: Any, depth: int = 0) -> set[str]:
    _, resolved = _resolve(spec, schema)
    if not isinstance(resolved, dict) or depth > 10:
        return set()
    declared = set(resolved.get("properties", {}))
    for part in resolved.get("allOf", []):
        declared |= _declared_properties(spec, part, depth + 1)
    return declared


def _component_missing_keys(
    spec: dict[str, Any], component_keys: dict[str, set[str]], schema: Any, document: Any, path: str
) -> list[str]:
    missing: list[str] = []

    def visit(name: str, node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key in sorted(component_keys.get(name, set()) - set(node)):
                if f"{name}.{key}" not in CONDITIONAL_COMPONENT_KEYS:
                    missing.append(f"{where}{key} ({name})")

    _walk_with_schema(spec, schema, document, path, visit)
    return missing


def _is_free_form(spec: dict[str, Any], schema: Any) -> bool:
    """True for a map whose keys are data (e.g. `custom_attributes`), not a shape to require."""
    _, resolved = _resolve(spec, schema)
    if not isinstance(resolved, dict):
        return False
    if any(union in resolved for union in ("allOf", "anyOf", "oneOf")):
        return False
    return not resolved.get("properties") and (
        resolved.get("type") == "object" or "additionalProperties" in resolved
    )


def _child_schema(spec: dict[str, Any], schema: Any, key: str) -> Any:
    """The schema of property `key` under `schema` (through `$ref` and `allOf`), or None."""
    _, resolved = _resolve(spec, schema)
    if not isinstance(resolved, dict):
        return None
    if key in resolved.get("properties", {}):
        return resolved["properties"][key]
    for part in resolved.get("allOf", []):
        found = _child_schema(spec, part, key)
        if found is not None:
            return found
    return None


def _missing_keys(
    spec: dict[str, Any], schema: Any, examples: list[Any], actual: Any, prefix: str
) -> list[str]:
    """Dotted paths of keys every example has and `actual` lacks, recursively.

    The keys of free-form maps (`custom_attributes`, `ticket_attributes`) are data, so they are
    never required.
    """
    missing: list[str] = []
    if schema is not None and _is_free_form(spec, schema):
        return missing
    if all(isinstance(example, dict) for example in examples) and isinstance(actual, dict):
        common = set(examples[0]).intersection(*examples[1:])
        for key in sorted(common):
            path = f"{prefix}{key}"
            if path in CONDITIONAL_KEYS:
                continue
            if key not in actual:
                missing.append(path)
                continue
            child = _child_schema(spec, schema, key) if schema is not None else None
            missing += _missing_keys(
                spec, child, [example[key] for example in examples], actual[key], f"{path}."
            )
    elif all(isinstance(example, list) for example in examples) and isinstance(actual, list):
        items = [item for example in examples for item in example]
        _, resolved = _resolve(spec, schema)
        item_schema = resolved.get("items") if isinstance(resolved, dict) else None
        if items and actual:
            for item in actual:
                missing += _missing_keys(spec, item_schema, items, item, f"{prefix.rstrip('.')}[].")
            # one report per key, not per item
            missing = list(dict.fromkeys(missing))
    return missing


def _error_hint(body: bytes) -> str:
    try:
        document = json.loads(body)
        return f" ({document['errors'][0]['code']}: {document['errors'][0].get('message')})"
    except Exception:
        return ""


def _describe_schema_error(error: ValidationError) -> str:
    if error.validator in ("anyOf", "oneOf") and error.context:
        # Name the closest branch's complaint instead of "not valid under any of the given schemas".
        nested = best_match(error.context)
        if nested is not None:
            error = nested
    location = "/".join(str(part) for part in error.absolute_path) or "(root)"
    message = error.message
    if len(message) > 160:
        message = message[:157] + "..."
    return f"at {location}: {message}"


def _describe_openapi_error(error: BaseException) -> list[str]:
    """Flattens openapi-core's nested errors into one line per schema violation."""
    lines: list[str] = []
    seen: set[int] = set()

    def visit(current: BaseException | None) -> None:
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            schema_errors = getattr(current, "schema_errors", None)
            if schema_errors:
                for schema_error in schema_errors:
                    lines.append(_describe_schema_error(schema_error))
                return
            cause = current.__cause__ or current.__context__
            if cause is None:
                lines.append(f"{type(current).__name__}: {current}")
                return
            current = cause

    visit(error)
    # "None for not nullable" already says what "None is not of type 'x'" repeats.
    nullable = {line.split(": ", 1)[0] for line in lines if line.endswith("None for not nullable")}
    lines = [
        line for line in lines if not (line.split(": ", 1)[0] in nullable and ": None is not of type" in line)
    ]
    return lines or [f"{type(error).__name__}: {error}"]
