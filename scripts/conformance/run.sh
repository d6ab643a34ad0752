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

# shellcheck source=scripts/conformance/venv.sh
. "$here/venv.sh"

echo "conformance: self-test"
"$venv/bin/python" "$here/check.py" --self-test --sim "$sim" --spec "$spec" </dev/null
echo "conformance: check"
"$venv/bin/python" "$here/check.py" --sim "$sim" --spec "$spec" </dev/null
