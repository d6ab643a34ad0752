#!/usr/bin/env python3
"""CloudEvents conformance: the daemon's `format = "cloudevents"` read by the official SDKs. (Not named
cloudevents.py: the script's directory comes first on sys.path and would shadow the SDK.)

Usage:
    check_cloudevents.py --bin PATH/TO/BIN_DIR [--example FILE]

Starts the built `intercom-sim` and `intercom-triggerd run` (from BIN_DIR) with a daemon.conf holding a
webhook destination (`format = "cloudevents"`, a `whsec_` secret and an Intercom client secret) that posts
to a receiver in this process on 127.0.0.1, and a stdout destination in the same format. Makes the
simulator create a user, a lead and a conversation, show a user updated since `start` whom the daemon
never saw (no earlier version), then updates the user and the lead (changes). Then, for every request:

  - the CloudEvents SDK (PyPI `cloudevents`) parses it unchanged, with both its APIs: the classic
    `from_http(headers, body)` (1.x's `cloudevents.http`, kept as `cloudevents.v1.http`) and the strict
    2.x core binding (`cloudevents.core.bindings.http`, which validates every attribute's type);
  - the Standard Webhooks reference library verifies it (`standardwebhooks.Webhook(secret).verify`), and
    `X-Hub-Signature` is the HMAC-SHA1 of the body;
  - id (= webhook-id), source, type, subject, time (the version) and data (item, changes) are as documented;

and every stdout line is parsed by both SDK APIs (`from_json`, the core JSON format) and is the webhook body.
Last, a self-test proves the checks reject broken input: a tampered body, a bad signature, a broken
event (no specversion, a bad time, …) must each fail. Prints `ok`/`FAIL` lines; exits 0 only when all
pass. `--example FILE` writes one captured request (headers and body) as Markdown, for the docs.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.server
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from cloudevents.core.bindings.http import HTTPMessage
from cloudevents.core.bindings.http import from_http as core_from_http
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent as CoreCloudEvent
from cloudevents.v1.http import from_http, from_json
from standardwebhooks import Webhook, WebhookVerificationError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check import TOKEN, Simulator  # noqa: E402 (the spec check's simulator process)

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # the Standard Webhooks reference secret
CLIENT_SECRET = "intercom-client-secret-for-conformance"
TYPE_PREFIX = "com.intercom."
SOURCE_PREFIX = "https://app.intercom.com/a/apps/"
CONTENT_TYPE = "application/cloudevents+json"
DEADLINE = 90  # seconds for every expected event to arrive


@dataclass
class Received:
    """One request the receiver got (header names lower-cased)."""

    headers: dict[str, str]
    body: bytes


@dataclass
class Expected:
    """What one event must say, by topic and item."""

    topic: str
    item_id: str
    changes: Callable[[dict[str, Any]], bool] | None = None  # a check of `data`, when it matters


@dataclass
class Report:
    passed: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)

    def record(self, label: str, problems: list[str]) -> bool:
        if problems:
            self.failed += 1
            print(f"FAIL {label} — {'; '.join(problems[:4])}", flush=True)
            return False
        self.passed += 1
        print(f"ok   {label}", flush=True)
        return True


# -- processes ------------------------------------------------------------------------------------


class Receiver:
    """An HTTP receiver on 127.0.0.1 that keeps every POST and answers 204."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                with owner.lock:
                    owner.requests.append(Received(headers, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.requests)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Process:
    """A child process whose stdout lines are collected by a thread; stderr goes to a file."""

    def __init__(self, arguments: list[str], stderr_path: Path) -> None:
        self.arguments = arguments
        self.stderr_path = stderr_path
        self.stderr = open(stderr_path, "wb")
        self.process = subprocess.Popen(
            arguments, stdout=subprocess.PIPE, stderr=self.stderr, stdin=subprocess.DEVNULL
        )
        self.lines: list[bytes] = []
        self.lock = threading.Lock()
        self.first_line = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.lock:
                self.lines.append(line)
            self.first_line.set()
        self.first_line.set()

    def snapshot(self) -> list[bytes]:
        with self.lock:
            return list(self.lines)

    def stderr_tail(self) -> str:
        self.stderr.flush()
        return self.stderr_path.read_bytes().decode("utf-8", "replace").strip()[-600:]

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()
        return self.process.returncode


def call(sim: Simulator, method: str, path: str, body: Any = None) -> Any:
    """The JSON answer of a simulator request, which must succeed."""
    reply = sim.request(method, path, body)
    if reply.status // 100 != 2:
        raise RuntimeError(f"{method} {path}: HTTP {reply.status} {reply.body[:200]!r}")
    return reply.json()


def daemon_conf(workdir: Path, sim: Simulator, receiver: Receiver, start: int) -> Path:
    start_text = datetime.fromtimestamp(start, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    topics = [
        "contact.lead.created",
        "contact.user.created",
        "contact.user.updated",
        "contact.lead.updated",
        "conversation.user.created",
    ]
    path = workdir / "daemon.conf"
    path.write_text(
        f"""[intercom]
access_token = "{TOKEN}"
base_url = "{sim.base_url}"

[poll]
interval = "1s"
lookback = "10m"

[store]
path = "{workdir / "state.sqlite"}"

[triggers]
topics = {json.dumps(topics)}
start = "{start_text}"

[[destination]]
name = "hook"
url = "http://127.0.0.1:{receiver.port}/hook"
secret = "{SECRET}"
intercom_client_secret = "{CLIENT_SECRET}"
format = "cloudevents"

[[destination]]
name = "console"
stdout = true
format = "cloudevents"
"""
    )
    path.chmod(0o600)
    return path


# -- checks ---------------------------------------------------------------------------------------


def rfc3339(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_event(document: dict[str, Any], workspace: str) -> list[str]:
    """What is wrong with one event's attributes and data (the documented mapping), as problems."""
    problems: list[str] = []
    expect = {
        "specversion": "1.0",
        "datacontenttype": "application/json",
        "source": SOURCE_PREFIX + workspace,
    }
    for key, value in expect.items():
        if document.get(key) != value:
            problems.append(f"{key} is {document.get(key)!r}, not {value!r}")
    event_type = document.get("type")
    if not isinstance(event_type, str) or not event_type.startswith(TYPE_PREFIX):
        problems.append(f"type {event_type!r} does not start with {TYPE_PREFIX}")
        return problems
    topic = event_type[len(TYPE_PREFIX) :]
    data = document.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("item"), dict):
        problems.append("data.item is not an object")
        return problems
    item = data["item"]
    if document.get("subject") != item.get("id"):
        problems.append(f"subject {document.get('subject')!r} is not the item id {item.get('id')!r}")
    version_field = "updated_at" if topic.endswith(".updated") else "created_at"
    version = item.get(version_field)
    if not isinstance(version, int) or document.get("time") != rfc3339(version):
        problems.append(f"time {document.get('time')!r} is not the item's {version_field} {version!r}")
    if topic.endswith(".updated"):
        has_changes = isinstance(data.get("changes"), dict) and bool(data["changes"])
        unavailable = data.get("changes_unavailable") == "no_earlier_version"
        if has_changes == unavailable:
            problems.append("an update carries neither changes nor changes_unavailable (or both)")
    elif "changes" in data or "changes_unavailable" in data:
        problems.append(f"{topic} carries changes")
    extra = set(data) - {"item", "changes", "changes_unavailable"}
    if extra:
        problems.append(f"data has unexpected keys {sorted(extra)}")
    return problems


def check_request(request: Received, workspace: str) -> tuple[list[str], dict[str, Any] | None]:
    """Parses and verifies one webhook request; answers the problems and the event as a dict."""
    problems: list[str] = []
    if request.headers.get("content-type") != CONTENT_TYPE:
        problems.append(f"Content-Type is {request.headers.get('content-type')!r}")
    try:
        Webhook(SECRET).verify(request.body, request.headers)
    except (WebhookVerificationError, ValueError, KeyError) as error:
        problems.append(f"standardwebhooks refused it: {error!r}")
    hub = "sha1=" + hmac.new(CLIENT_SECRET.encode(), request.body, hashlib.sha1).hexdigest()
    if not hmac.compare_digest(request.headers.get("x-hub-signature", ""), hub):
        problems.append("X-Hub-Signature is not the HMAC-SHA1 of the body")
    try:
        classic = from_http(request.headers, request.body)
    except Exception as error:  # noqa: BLE001 (any SDK refusal is a finding)
        problems.append(f"cloudevents from_http refused it: {error!r}")
        return problems, None
    try:
        core = core_from_http(HTTPMessage(request.headers, request.body), JSONFormat(), CoreCloudEvent)
    except Exception as error:  # noqa: BLE001
        problems.append(f"cloudevents core from_http refused it: {error!r}")
        return problems, None
    document = dict(classic.get_attributes())
    document["data"] = classic.get_data()
    if classic["id"] != request.headers.get("webhook-id"):
        problems.append(f"id {classic['id']!r} is not webhook-id {request.headers.get('webhook-id')!r}")
    if (
        core.get_id() != classic["id"]
        or core.get_type() != classic["type"]
        or core.get_data() != classic.data
    ):
        problems.append("the two SDK APIs read different events")
    if core.get_time() is None or core.get_time().utcoffset() is None:
        problems.append("core SDK: time is not a zoned time")
    elif (
        classic.get("time")
        and core.get_time().timestamp()
        != datetime.fromisoformat(str(classic["time"]).replace("Z", "+00:00")).timestamp()
    ):
        problems.append("core SDK: time differs")
    problems += check_event(document, workspace)
    return problems, document


def check_line(line: bytes, workspace: str) -> tuple[list[str], dict[str, Any] | None]:
    """Parses one stdout line with both SDK APIs."""
    problems: list[str] = []
    if not line.endswith(b"\n") or b"\n" in line[:-1]:
        problems.append("not exactly one line")
    text = line.rstrip(b"\n")
    try:
        classic = from_json(text)
        core = JSONFormat().read(CoreCloudEvent, text)
    except Exception as error:  # noqa: BLE001
        return problems + [f"the SDK refused it: {error!r}"], None
    if core.get_id() != classic["id"] or core.get_data() != classic.data:
        problems.append("the two SDK APIs read different events")
    document = dict(classic.get_attributes())
    document["data"] = classic.get_data()
    return problems + check_event(document, workspace), document


# -- the scenario ---------------------------------------------------------------------------------


def wait_for(what: str, done: Callable[[], bool], daemon: Process, deadline: float) -> None:
    while time.monotonic() < deadline:
        if done():
            return
        if daemon.process.poll() is not None:
            raise RuntimeError(f"the daemon exited ({daemon.process.returncode}): {daemon.stderr_tail()}")
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}; daemon stderr: {daemon.stderr_tail()}")


def run_scenario(bin_dir: Path, workdir: Path) -> tuple[list[Received], list[bytes], str, list[Expected]]:
    """Runs the binaries through the scenario; answers the requests, the stdout lines, the workspace id and
    the events expected."""
    receiver = Receiver()
    sim = Simulator(bin_dir / "intercom-sim", ["--log-level", "warning"])
    daemon: Process | None = None
    try:
        workspace = call(sim, "GET", "/me")["app"]["id_code"]
        now = int(time.time())
        user = call(
            sim,
            "POST",
            "/__sim/contacts",
            {
                "role": "user",
                "name": 'Zoë "Q" Example',
                "email": "zoe@example.com",
                "custom_attributes": {"plan": "free"},
                "created_at": now - 120,
            },
        )
        lead = call(sim, "POST", "/__sim/contacts", {"role": "lead", "name": "Lee", "created_at": now - 110})
        # Created before `start`, updated after it: its update is the first sighting (no earlier version).
        unseen = call(
            sim,
            "POST",
            "/__sim/contacts",
            {"role": "user", "name": "Una Seen", "created_at": now - 7200, "updated_at": now - 100},
        )
        conversation = call(
            sim,
            "POST",
            "/__sim/conversations",
            {"contact_id": user["id"], "body": "<p>Hello\nthere</p>", "created_at": now - 90},
        )
        expected = [
            Expected("contact.user.created", user["id"]),
            Expected("contact.lead.created", lead["id"]),
            Expected(
                "contact.user.updated",
                unseen["id"],
                lambda data: data.get("changes_unavailable") == "no_earlier_version",
            ),
            Expected("conversation.user.created", str(conversation["id"])),
        ]
        conf = daemon_conf(workdir, sim, receiver, now - 1800)
        daemon = Process(
            [str(bin_dir / "intercom-triggerd"), "run", "--config", str(conf)], workdir / "daemon.stderr"
        )
        deadline = time.monotonic() + DEADLINE
        wait_for(
            "the first events",
            lambda: len(receiver.snapshot()) >= 4 and len(daemon.snapshot()) >= 4,
            daemon,
            deadline,
        )
        # Updates of contacts the daemon has seen: they carry `changes`.
        call(sim, "PUT", f"/contacts/{user['id']}", {"custom_attributes": {"plan": "pro"}})
        call(sim, "PUT", f"/contacts/{lead['id']}", {"name": "Lee Lead"})
        expected += [
            Expected(
                "contact.user.updated",
                user["id"],
                lambda data: (
                    data.get("changes", {}).get("custom_attributes.plan")
                    == {"previous": "free", "current": "pro"}
                ),
            ),
            Expected(
                "contact.lead.updated",
                lead["id"],
                lambda data: (
                    data.get("changes", {}).get("name") == {"previous": "Lee", "current": "Lee Lead"}
                ),
            ),
        ]
        wait_for(
            "the updates",
            lambda: len(receiver.snapshot()) >= 6 and len(daemon.snapshot()) >= 6,
            daemon,
            deadline,
        )
        time.sleep(2)  # a few more polls: nothing else may arrive
        return receiver.snapshot(), daemon.snapshot(), workspace, expected
    finally:
        if daemon is not None:
            code = daemon.stop()
            if code not in (0, None):
                print(f"note: the daemon exited {code}: {daemon.stderr_tail()}", file=sys.stderr)
        sim.stop()
        receiver.stop()


def check_all(
    requests: list[Received], lines: list[bytes], workspace: str, expected: list[Expected], report: Report
) -> None:
    events: dict[str, dict[str, Any]] = {}
    bodies: dict[str, bytes] = {}
    for request in requests:
        problems, document = check_request(request, workspace)
        label = f"webhook {request.headers.get('webhook-id', '?')}"
        if document is not None:
            label = f"webhook {document['type']} {document.get('subject')}"
            if document["id"] in events:
                problems.append("delivered twice")
            events[document["id"]] = document
            bodies[document["id"]] = request.body
        report.record(label, problems)
    seen_lines: set[str] = set()
    for line in lines:
        problems, document = check_line(line, workspace)
        label = "stdout line"
        if document is not None:
            label = f"stdout {document['type']} {document.get('subject')}"
            seen_lines.add(document["id"])
            if bodies.get(document["id"]) != line.rstrip(b"\n"):
                problems.append("not the bytes the webhook got for the same event")
        report.record(label, problems)
    report.record(
        "stdout and the webhook got the same events",
        [] if seen_lines == set(events) else [f"stdout {sorted(seen_lines)} vs webhook {sorted(events)}"],
    )
    for want in expected:
        matches = [
            e
            for e in events.values()
            if e["type"] == TYPE_PREFIX + want.topic and e.get("subject") == want.item_id
        ]
        problems = []
        if len(matches) != 1:
            problems.append(f"{len(matches)} such events")
        elif want.changes is not None and not want.changes(matches[0]["data"]):
            data = {k: v for k, v in matches[0]["data"].items() if k != "item"}
            problems.append(f"data without the expected changes: {json.dumps(data)}")
        report.record(f"expected {want.topic} for {want.item_id}", problems)
    report.record(
        "no unexpected events",
        [] if len(events) == len(expected) else [f"{len(events)} events, {len(expected)} expected"],
    )


# -- self-test ------------------------------------------------------------------------------------


def resign(headers: dict[str, str], body: bytes) -> dict[str, str]:
    """`headers` with signatures made for `body`, so a breakage reaches the SDK instead of the signature."""
    signed = dict(headers)
    signed["webhook-signature"] = Webhook(SECRET).sign(
        headers["webhook-id"], datetime.fromtimestamp(int(headers["webhook-timestamp"]), timezone.utc), body
    )
    signed["x-hub-signature"] = "sha1=" + hmac.new(CLIENT_SECRET.encode(), body, hashlib.sha1).hexdigest()
    return signed


def edited(body: bytes, edit: Callable[[dict[str, Any]], None]) -> bytes:
    document = json.loads(body)
    edit(document)
    return json.dumps(document, separators=(",", ":")).encode()


def rejected(problems: list[str], word: str) -> list[str]:
    """No problem when `problems` name `word`; else why the breakage was not rejected as it should be."""
    if not problems:
        return ["accepted"]
    if not any(word in problem for problem in problems):
        return [f"rejected, but not for {word!r}: {'; '.join(problems)}"]
    return []


def self_test(requests: list[Received], lines: list[bytes], workspace: str, report: Report) -> None:
    """Every check must reject broken input built from a real request (and accept the real one)."""
    base = next((r for r in requests if b'"changes"' in r.body), requests[0] if requests else None)
    if base is None:
        report.record("self-test: a captured request", ["none captured"])
        return
    report.record("self-test: the real request passes", check_request(base, workspace)[0])

    def tampered_body() -> Received:
        body = bytearray(base.body)
        body[body.index(b'"subject":"') + len(b'"subject":"')] ^= 0x01
        return Received(dict(base.headers), bytes(body))

    def with_headers(**changes: str) -> Received:
        headers = dict(base.headers)
        headers.update({k.replace("_", "-"): v for k, v in changes.items()})
        return Received(headers, base.body)

    def broken(edit: Callable[[dict[str, Any]], None]) -> Received:
        body = edited(base.body, edit)
        return Received(resign(base.headers, body), body)

    # Each breakage, and a word the problems must hold: rejected for the right reason, not by accident.
    breakages: list[tuple[str, str, Received]] = [
        ("a tampered body", "standardwebhooks", tampered_body()),
        (
            "another secret's signature",
            "standardwebhooks",
            with_headers(webhook_signature="v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
        ),
        (
            "a stale timestamp",
            "standardwebhooks",
            with_headers(webhook_timestamp=str(int(time.time()) - 3600)),
        ),
        ("a wrong X-Hub-Signature", "X-Hub-Signature", with_headers(x_hub_signature="sha1=" + "0" * 40)),
        ("the plain JSON content type", "Content-Type", with_headers(content_type="application/json")),
        ("a webhook-id that is not the event id", "webhook-id", broken(lambda d: d.update(id=d["id"] + "x"))),
        ("no specversion", "refused", broken(lambda d: d.pop("specversion"))),
        ("specversion 0.3", "refused", broken(lambda d: d.update(specversion="0.3"))),
        ("no source", "refused", broken(lambda d: d.pop("source"))),
        ("an empty type", "refused", broken(lambda d: d.update(type=""))),
        ("a time that is not RFC 3339", "refused", broken(lambda d: d.update(time="yesterday"))),
        ("a time without zone", "refused", broken(lambda d: d.update(time=d["time"].rstrip("Z")))),
        ("a time that is not the version", "time", broken(lambda d: d.update(time="2001-01-01T00:00:00Z"))),
        ("a subject that is not the item", "subject", broken(lambda d: d.update(subject="other"))),
        ("another workspace's source", "source", broken(lambda d: d.update(source=SOURCE_PREFIX + "other"))),
        ("an update without changes", "changes", broken(lambda d: d["data"].pop("changes"))),
        ("data without item", "data.item", broken(lambda d: d["data"].pop("item"))),
    ]
    # webhook-id is the body's id after the id edit: make them differ again for that breakage.
    request = breakages[5][2]
    request.headers["webhook-id"] = base.headers["webhook-id"]
    request.headers.update(resign(request.headers, request.body))
    for name, word, request in breakages:
        report.record(f"self-test: {name} is rejected", rejected(check_request(request, workspace)[0], word))
    if lines:
        line = lines[0]
        report.record("self-test: the real stdout line passes", check_line(line, workspace)[0])
        for name, word, text in [
            ("a line that is not JSON", "refused", line[:-5] + b"\n"),
            ("a line without specversion", "refused", edited(line, lambda d: d.pop("specversion")) + b"\n"),
            (
                "a line without a time zone",
                "refused",
                edited(line, lambda d: d.update(time=d["time"].rstrip("Z"))) + b"\n",
            ),
            ("two events on one line", "one line", line.rstrip(b"\n") + b"\n" + line),
        ]:
            report.record(f"self-test: {name} is rejected", rejected(check_line(text, workspace)[0], word))


def write_example(path: Path, requests: list[Received]) -> None:
    base = next((r for r in requests if b'"changes"' in r.body), requests[0])
    shown = [
        "content-type",
        "user-agent",
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "x-hub-signature",
    ]
    headers = "\n".join(f"{name}: {base.headers[name]}" for name in shown if name in base.headers)
    pretty = json.dumps(json.loads(base.body), indent=2, ensure_ascii=False)
    path.write_text(
        f"```http\nPOST /hook HTTP/1.1\n{headers}\n```\n\n"
        f"Body (one line on the wire, shown indented):\n\n```json\n{pretty}\n```\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--bin", required=True, type=Path, help="the directory with intercom-sim and intercom-triggerd"
    )
    parser.add_argument("--example", type=Path, help="write one captured request here (Markdown)")
    args = parser.parse_args()
    for name in ("intercom-sim", "intercom-triggerd"):
        if not os.access(args.bin / name, os.X_OK):
            print(f"cloudevents: no {name} in {args.bin}", file=sys.stderr)
            return 2
    report = Report()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cloudevents-conformance-") as directory:
        try:
            requests, lines, workspace, expected = run_scenario(args.bin, Path(directory))
        except RuntimeError as error:
            print(f"FAIL the scenario did not complete: {error}", flush=True)
            return 1
    check_all(requests, lines, workspace, expected, report)
    self_test(requests, lines, workspace, report)
    if args.example and requests:
        write_example(args.example, requests)
    print(f"{report.passed} passed, {report.failed} failed ({time.monotonic() - started:.0f} s)")
    return 0 if report.failed == 0 and report.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
