#!/usr/bin/env bash
# Conformance of intercom-sim with Intercom's OpenAPI 2.16 description.
# Usage: scripts/conformance/run.sh [PATH/intercom-sim] [PATH/api.intercom.io.2.16.yaml]
# Creates the venv .venv-conformance (gitignored) when missing, installs the pinned requirements,
# runs the self-test (the checker must report responses broken on purpose), then the real check.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

sim="${1:-}"
spec="${2:-$repo/../shared/intercom-openapi/api.intercom.io.2.16.yaml}"
if [ -z "$sim" ]; then
    sim="$(swift build --show-bin-path </dev/null)/intercom-sim"
    if [ ! -x "$sim" ]; then
        echo "conformance: building intercom-sim"
        swift build --product intercom-sim </dev/null
    fi
fi
if [ ! -x "$sim" ]; then
    echo "conformance: no simulator binary at $sim" >&2
    exit 2
fi
if [ ! -f "$spec" ]; then
    echo "conformance: no spec at $spec" >&2
    exit 2
fi

venv="$repo/.venv-conformance"
stamp="$venv/.requirements"
if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "conformance: installing python3-venv"
        apt-get update -qq </dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv </dev/null
    else
        echo "conformance: needs python3 with the venv module (Debian: apt-get install python3-venv)" >&2
        exit 2
    fi
fi
if [ ! -x "$venv/bin/python" ]; then
    echo "conformance: creating $venv"
    python3 -m venv "$venv"
fi
# Reinstall only when the pinned requirements changed since the last install.
if ! cmp -s "$here/requirements.txt" "$stamp"; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" </dev/null
    cp "$here/requirements.txt" "$stamp"
fi

echo "conformance: self-test"
"$venv/bin/python" "$here/check.py" --self-test --sim "$sim" --spec "$spec" </dev/null
echo "conformance: check"
"$venv/bin/python" "$here/check.py" --sim "$sim" --spec "$spec" </dev/null
