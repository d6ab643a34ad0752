#!/usr/bin/env bash
# CloudEvents conformance of the daemon's `format = "cloudevents"`: the official CloudEvents SDK and the Standard
# Webhooks reference library read what the built binaries send (see check_cloudevents.py).
# Usage: scripts/conformance/cloudevents.sh [BIN_DIR] [--example FILE]
# BIN_DIR holds intercom-sim and intercom-triggerd (default: `swift build --show-bin-path`, built when missing).
# Uses the venv of run.sh (.venv-conformance, gitignored) with the pinned requirements.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

bin="${1:-}"
[ $# -gt 0 ] && shift
if [ -z "$bin" ]; then
    bin="$(swift build --show-bin-path </dev/null)"
    if [ ! -x "$bin/intercom-sim" ] || [ ! -x "$bin/intercom-triggerd" ]; then
        echo "cloudevents: building intercom-sim and intercom-triggerd"
        swift build --product intercom-sim </dev/null
        swift build --product intercom-triggerd </dev/null
    fi
fi
for name in intercom-sim intercom-triggerd; do
    if [ ! -x "$bin/$name" ]; then
        echo "cloudevents: no $name in $bin" >&2
        exit 2
    fi
done

# shellcheck source=scripts/conformance/venv.sh
. "$here/venv.sh"

echo "cloudevents: check (with its self-test)"
"$venv/bin/python" "$here/check_cloudevents.py" --bin "$bin" "$@" </dev/null
