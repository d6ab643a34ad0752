#!/usr/bin/env bash
# Installs intercom-triggerd as a systemd service (Debian/Ubuntu), or removes it. Run as root from the checkout.
#
#   scripts/install.sh                    release build; binary, unit, sysusers snippet; the user; a first config
#   scripts/install.sh --uninstall        removes the binary, unit and snippet; keeps /etc config and /var/lib state
#   scripts/install.sh --uninstall --purge   … and the config and state too
#
# Options:
#   --prefix DIR     where the binary goes: DIR/bin (default /usr/local; the unit's ExecStart follows it)
#   --destdir DIR    stage everything under DIR instead of / (packaging, tests): no user is created, nothing is
#                    started or reloaded, the config's group is left alone
#   --binary FILE    install this already built binary instead of running `swift build -c release`
#
# Run through sudo (`sudo scripts/install.sh`), the build runs as the user who invoked sudo ($SUDO_USER), with the
# script's PATH, so .build in the checkout stays theirs. When swift is not on sudo's PATH, run
# `sudo env PATH="$PATH" scripts/install.sh`; or build first as yourself and install the result:
#   swift build -c release --product intercom-triggerd
#   sudo scripts/install.sh --binary "$(swift build -c release --show-bin-path)/intercom-triggerd"
#
# Re-running it upgrades: the binary, unit and snippet are replaced, /etc/intercom-triggerd/daemon.conf never is;
# the store migrates itself when the new binary opens it. Then: systemctl restart intercom-triggerd.
set -euo pipefail
cd "$(dirname "$0")/.."

name=intercom-triggerd
prefix=/usr/local
destdir=
binary=
action=install
purge=0

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit "${1:-64}"
}

while [ $# -gt 0 ]; do
    case $1 in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --destdir) destdir=${2:?--destdir needs a directory}; shift 2 ;;
    --destdir=*) destdir=${1#*=}; shift ;;
    --binary) binary=${2:?--binary needs a file}; shift 2 ;;
    --binary=*) binary=${1#*=}; shift ;;
    --uninstall) action=uninstall; shift ;;
    --purge) purge=1; shift ;;
    -h | --help) usage 0 ;;
    *) echo "install.sh: unknown option $1 (--help lists them)" >&2; exit 64 ;;
    esac
done
[ $purge -eq 0 ] || [ $action = uninstall ] || { echo "install.sh: --purge goes with --uninstall" >&2; exit 64; }
case $prefix in /*) ;; *) echo "install.sh: --prefix must be absolute" >&2; exit 64 ;; esac
if [ -n "$destdir" ]; then
    mkdir -p "$destdir"
    destdir=$(cd "$destdir" && pwd)
fi
if [ -z "$destdir" ] && [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (or stage with --destdir DIR)" >&2
    exit 77
fi

bin_path=$prefix/bin/$name
unit_path=/etc/systemd/system/$name.service
sysusers_path=/usr/lib/sysusers.d/$name.conf
example_path=$prefix/share/doc/$name/daemon.conf.example
config_dir=/etc/$name
config_path=$config_dir/daemon.conf
state_dir=/var/lib/$name

# systemd is PID 1 here (not a container or a chroot): it can be told about the unit.
systemd_running() { [ -z "$destdir" ] && [ -d /run/systemd/system ]; }

say() { echo "install.sh: $*"; }

# Copies $1 to $destdir$2 with mode $3 through a temporary file and a rename, so a running daemon's binary is
# replaced, never rewritten in place.
put() {
    local source=$1 target=$destdir$2 mode=$3 temporary
    mkdir -p "$(dirname "$target")"
    temporary=$(mktemp "$(dirname "$target")/.$(basename "$target").XXXXXX")
    cat "$source" >"$temporary"
    chmod "$mode" "$temporary"
    mv -f "$temporary" "$target"
    say "installed $2"
}

uninstall() {
    if systemd_running && systemctl list-unit-files "$name.service" >/dev/null 2>&1; then
        systemctl disable --now "$name.service" || true
    fi
    local file
    for file in "$bin_path" "$unit_path" "$sysusers_path" "$example_path"; do
        if [ -e "$destdir$file" ]; then
            rm -f "$destdir$file"
            say "removed $file"
        fi
    done
    rmdir "$destdir$(dirname "$example_path")" 2>/dev/null || true
    if systemd_running; then systemctl daemon-reload; fi
    if [ $purge -eq 1 ]; then
        rm -rf "$destdir$config_dir" "$destdir$state_dir"
        say "removed $config_dir and $state_dir (the user $name stays: userdel $name removes it)"
    else
        say "kept $config_dir (configuration, token) and $state_dir (the store); --purge removes them"
    fi
}

# Whom `swift build` runs as: root's build would leave a root-owned .build in a user's checkout, which their next
# `swift build` cannot write, so under sudo it is the invoking user.
build_user=
if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    build_user=$SUDO_USER
fi

# Runs a command as $build_user (with their HOME, where SwiftPM keeps its caches, and this PATH), or as we are.
as_builder() {
    if [ -z "$build_user" ]; then
        "$@"
        return
    fi
    local home
    home=$(getent passwd "$build_user" | cut -d: -f6)
    runuser -u "$build_user" -- env HOME="$home" PATH="$PATH" "$@"
}

build() {
    if [ -n "$binary" ]; then
        [ -x "$binary" ] || { echo "install.sh: $binary is not an executable" >&2; exit 66; }
        return
    fi
    # The build links the system libcurl and zlib (Debian: libcurl4-openssl-dev and zlib1g-dev; the service then
    # needs libcurl4 and zlib1g).
    local headers=()
    if ! compgen -G "/usr/include/*/curl/curl.h" >/dev/null && [ ! -e /usr/include/curl/curl.h ]; then
        headers+=(libcurl4-openssl-dev)
    fi
    [ -e /usr/include/zlib.h ] || headers+=(zlib1g-dev)
    if [ ${#headers[@]} -gt 0 ]; then
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
            say "installing ${headers[*]} (the build links the system libcurl and zlib)"
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${headers[@]}" </dev/null
        else
            echo "install.sh: the build needs these headers: apt-get install ${headers[*]}" >&2
            exit 69
        fi
    fi
    say "building (swift build -c release${build_user:+, as $build_user})"
    if ! as_builder swift build -c release --product "$name" </dev/null; then
        echo "install.sh: the build failed; build as yourself and pass --binary (see --help)" >&2
        exit 70
    fi
    binary=$(as_builder swift build -c release --show-bin-path </dev/null)/$name
}

create_user() {
    if [ -n "$destdir" ]; then return; fi
    if command -v systemd-sysusers >/dev/null 2>&1; then
        systemd-sysusers "$sysusers_path"
    elif ! getent passwd "$name" >/dev/null; then
        useradd --system --user-group --home-dir "$state_dir" --no-create-home --shell /usr/sbin/nologin \
            --comment "$name daemon" "$name"
    fi
    getent passwd "$name" >/dev/null || { echo "install.sh: could not create the user $name" >&2; exit 70; }
}

install_config() {
    local dir=$destdir$config_dir target=$destdir$config_path
    mkdir -p "$dir"
    # Directory 0750 root:intercom-triggerd: the service reads daemon.conf through its group; the token in it is
    # root's (0600), read by systemd for LoadCredential=.
    chmod 0750 "$dir"
    if [ -z "$destdir" ]; then chgrp "$name" "$dir"; fi
    if [ -e "$target" ]; then
        say "kept $config_path (never overwritten; compare with $example_path)"
        return
    fi
    install -m 0640 daemon.conf.example "$target"
    if [ -z "$destdir" ]; then chgrp "$name" "$target"; fi
    say "created $config_path from daemon.conf.example"
}

install_all() {
    build
    unit=$(mktemp)
    trap 'rm -f "$unit"' EXIT
    sed "s#^ExecStart=/usr/local/bin/$name #ExecStart=$bin_path #" "systemd/$name.service" >"$unit"
    put "$binary" "$bin_path" 0755
    put "$unit" "$unit_path" 0644
    put "systemd/$name.sysusers" "$sysusers_path" 0644
    put daemon.conf.example "$example_path" 0644
    create_user
    install_config
    # The state directory, the service user's as StateDirectory= makes it: admin commands run as root before the
    # first start then already act as that user.
    if [ ! -d "$destdir$state_dir" ]; then
        install -d -m 0700 "$destdir$state_dir"
        if [ -z "$destdir" ]; then chown -h "$name:$name" "$state_dir"; fi
        say "created $state_dir"
    fi
    if systemd_running; then
        systemctl daemon-reload
    else
        say "systemd is not running here (container, chroot or --destdir): no daemon-reload"
    fi
    cat <<EOF

Next steps:
  1. Put the Intercom access token in $config_dir/token, readable by root only (systemd passes it to the
     service as the credential intercom-token):
       install -m 600 /dev/null $config_dir/token && editor $config_dir/token
  2. Edit $config_path: topics, start, [[destination]]s (leave access_token_file unset).
  3. Check it (check-config validates the token too; from a shell it takes it from the environment):
       INTERCOM_ACCESS_TOKEN=\$(cat $config_dir/token) $bin_path check-config
  4. Start it now and at boot:
       systemctl enable --now $name
     then: systemctl status $name; journalctl -u $name; $bin_path status
Upgrades: run this script again, then systemctl restart $name.
EOF
}

case $action in
install) install_all ;;
uninstall) uninstall ;;
esac
