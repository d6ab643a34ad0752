# Sourced by the conformance scripts: makes sure the venv .venv-conformance (gitignored) exists with the
# pinned requirements, installing python3-venv when root and missing; sets $venv.
# Expects $repo (the repository) and $here (this directory).
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
