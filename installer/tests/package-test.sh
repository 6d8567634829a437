#!/usr/bin/env bash
# The Debian package, for real: lints it, installs it into a fresh Debian 12 root made by debootstrap,
# starts coved there with the command line of the installed unit (no systemd needed), creates a sandbox
# through the API, then removes the package (the data stays) and purges it (the data, the containers
# and the network go).
#
# usage: package-test.sh PACKAGE.deb
#        package-test.sh --build BUILD_DIR   (makes the package there with cpack first)
#
# In the root coved talks to this machine's Docker engine (its socket is bound in) and iptables. The
# engine resolves bind-mount paths on the host, so the data directory must have the same path in the
# root and on the host: coved gets --data-dir <root>/var/lib/cove, which inside the root is a bind
# mount of the root's /var/lib/cove. That (and a free port for --listen) is the only change made to
# the unit's command line.
#
# The debootstrap root and the root with the package's dependencies installed are cached as tarballs in
# $COVE_TEST_CACHE (default: <data dir>/test-cache), so a second run pays for neither.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data="${COVE_DATA_DIR:-/var/lib/cove}"
cache="${COVE_TEST_CACHE:-$data/test-cache}"
suite=bookworm
started=$SECONDS
mkdir -p "$cache"

step() { printf '[%4ds] %s\n' $((SECONDS - started)) "$*"; }
fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: the package test needs root (debootstrap, chroot, mounts)"
    exit 77
fi
if [ "${1:-}" = "--build" ]; then
    build=$(realpath "${2:?usage: package-test.sh --build BUILD_DIR}")
    step "cpack -G DEB in $build"
    rm -rf "$build/packages"
    (cd "$build" && cpack -G DEB -B "$build/packages" >"$build/packages.log" 2>&1) ||
        { tail -n 30 "$build/packages.log"; fail "cpack failed"; }
    set -- "$build"/packages/cove_*.deb
fi
deb=$(realpath "${1:?usage: package-test.sh PACKAGE.deb | --build BUILD_DIR}")

for tool in debootstrap lintian dpkg-deb curl docker; do
    command -v "$tool" >/dev/null || fail "$tool is missing; installer/setup.sh installs it"
done

work=$(mktemp -d /var/tmp/cove-package-test.XXXXXX)
root="$work/root"
coved_pid=""
instance=""

# Everything the test made goes, whether it passed or not: coved, the installation's containers, its
# network and iptables chains, the mounts, the root.
cleanup() {
    local rc=$?
    set +e
    if [ -n "$coved_pid" ] && kill -0 "$coved_pid" 2>/dev/null; then
        kill "$coved_pid"
        for _ in $(seq 1 50); do kill -0 "$coved_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$coved_pid" 2>/dev/null
    fi
    [ -n "$instance" ] || instance=$(head -n 1 "$root/var/lib/cove/instance" 2>/dev/null | tr -dc '0-9a-f-')
    if [ -n "$instance" ]; then
        ids=$(docker ps -aq --filter "label=cove.instance=$instance")
        # shellcheck disable=SC2086
        [ -z "$ids" ] || docker rm -f $ids >/dev/null
        local b="cove-${instance:0:8}" c="COVE-${instance:0:8}"
        # shellcheck disable=SC2046 # one network id a word
        docker network rm "$b" $(docker network ls -q --filter "label=cove.instance=$instance") >/dev/null 2>&1
        ip link del "$b" 2>/dev/null
        # As the package's postrm: the hooks into the installation's chains, then the chains.
        for t in filter nat; do
            iptables-save -t "$t" | grep -E -- "^-A [^ ]+ .*-j ${c}[^ ]*\$" | grep -v -- "^-A $c" |
                sed 's/^-A /-D /' | while read -r rule; do
                # shellcheck disable=SC2086 # the rule's own words
                iptables -w -t "$t" $rule
            done
            chains=$(iptables-save -t "$t" | sed -n "s/^:\(${c}[^ ]*\) .*/\1/p")
            for ch in $chains; do iptables -w -t "$t" -F "$ch"; done
            for ch in $chains; do iptables -w -t "$t" -X "$ch"; done
        done
    fi
    # Innermost first.
    findmnt -rn -o TARGET | grep -F "$work/" | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf --one-file-system "$work"
    [ $rc -eq 0 ] || printf 'the package test failed after %ds\n' $((SECONDS - started)) >&2
}
trap cleanup EXIT

chroot_run() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

# 1. Lint.
step "lintian $(basename "$deb")"
lintian --fail-on error,warning --tag-display-limit 0 "$deb" || fail "lintian found problems (above)"

# 2. The root: debootstrap's, then with the package's dependencies; each cached as a tarball.
mirror=$("$here/../images/build-images.sh" --mirror)
base="$cache/$suite-minbase.tar"
if [ ! -f "$base" ] && docker image inspect cove-debian:latest >/dev/null 2>&1; then
    # The setup's own base image is exactly such a root (debootstrap minbase of the same suite), made
    # earlier in the same run: export it rather than run debootstrap a second time.
    step "the root from the cove-debian image (debootstrap minbase $suite; cached afterwards in $base)"
    cid=$(docker create cove-debian:latest /bin/true)
    docker export "$cid" >"$base.new" && mv "$base.new" "$base"
    docker rm "$cid" >/dev/null
fi
if [ ! -f "$base" ]; then
    step "debootstrap --variant=minbase $suite (cached afterwards in $base)"
    mkdir -p "$work/base"
    # shellcheck disable=SC2086 # an empty mirror means debootstrap's own default
    debootstrap --variant=minbase "$suite" "$work/base" $mirror >"$work/debootstrap.log" 2>&1 ||
        { tail -n 20 "$work/debootstrap.log"; fail "debootstrap failed"; }
    tar -C "$work/base" --numeric-owner -cf "$base.new" . && mv "$base.new" "$base"
    rm -rf --one-file-system "$work/base"
fi
depends=$(dpkg-deb -f "$deb" Depends)
with_deps="$cache/$suite-cove-deps-$(printf '%s\n' "$depends" "$mirror" | sha256sum | cut -c1-12).tar"
mkdir -p "$root"
if [ ! -f "$with_deps" ]; then
    step "installing the package's dependencies into the root (cached afterwards in $with_deps)"
    tar -C "$root" -xf "$base"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    # Services in the root never start (docker.io's postinst would try).
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 0755 "$root/usr/sbin/policy-rc.d"
    mount -t proc proc "$root/proc"
    # Downloaded packages stay in the cache for the next package's dependencies.
    mkdir -p "$cache/apt-archives/partial"
    mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
    chroot_run apt-get update -qq
    chroot_run env DEBIAN_FRONTEND=noninteractive apt-get satisfy -y -qq --no-install-recommends "$depends" \
        >"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log"; fail "the dependencies did not install"; }
    umount "$root/var/cache/apt/archives" "$root/proc"
    rm -rf "$root"/var/lib/apt/lists/*
    tar -C "$root" --numeric-owner -cf "$with_deps.new" . && mv "$with_deps.new" "$with_deps"
    # Older dependency roots are of older packages.
    find "$cache" -name "$suite-cove-deps-*.tar" ! -path "$with_deps" -delete
else
    step "unpacking the cached root with the dependencies ($(du -h "$with_deps" | cut -f1))"
    tar -C "$root" -xf "$with_deps"
fi

# The same iptables backend as the host's, or coved's rules land in tables nobody reads.
if [[ $(iptables -V) == *legacy* ]]; then
    chroot_run update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
fi

mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
# Unmounting them at the end must not propagate to the host's own /dev/pts and /sys mounts.
mount --make-rslave "$root/sys"
mount --make-rslave "$root/dev"
touch "$root/run/docker.sock"
mount --bind /var/run/docker.sock "$root/run/docker.sock"

# 3. Install.
step "dpkg -i $(basename "$deb")"
cp "$deb" "$root/tmp/cove.deb"
chroot_run dpkg -i /tmp/cove.deb
chroot_run getent group cove >/dev/null || fail "postinst did not create the group cove"
[ -L "$root/etc/systemd/system/multi-user.target.wants/coved.service" ] ||
    fail "postinst did not enable coved.service"
for program in "cove --help" "cove-cli --help" "coved --help" "/usr/lib/cove/cove-agent --help"; do
    # shellcheck disable=SC2086
    out=$(chroot_run $program 2>&1) || fail "$program failed: $out"
    [ "$(printf '%s\n' "$out" | wc -l)" -ge 3 ] || fail "$program says too little: $out"
done
[[ $(chroot_run cove --help) == *'cove group'* ]] || fail "cove --help does not tell where the key comes from"
[[ $(chroot_run cove-cli --version) == "cove-cli $(dpkg-deb -f "$deb" Version)" ]] ||
    fail "cove-cli --version does not name the package's version"
for f in bash-completion/completions/cove-cli zsh/vendor-completions/_cove-cli; do
    [ -f "$root/usr/share/$f" ] || fail "cove-cli's completion /usr/share/$f is not installed"
done

# 4. Start coved as the unit would.
unit="$root/lib/systemd/system/coved.service"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ -n "$exec_start" ] || fail "no ExecStart in the installed coved.service"
read -r -a argv <<<"$exec_start"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for i in "${!argv[@]}"; do
    case "${argv[$i]}" in
    --data-dir) argv[i + 1]="$root/var/lib/cove" ;;
    --listen) argv[i + 1]="127.0.0.1:$port" ;;
    esac
done
mkdir -p "$root/var/lib/cove" "$root$root/var/lib/cove"
mount --bind "$root/var/lib/cove" "$root$root/var/lib/cove"
url="http://127.0.0.1:$port"
start_coved() {
    step "starting coved as coved.service would: ${argv[*]}"
    # Not through chroot_run: $! must be coved itself (chroot and env exec it), not a subshell.
    chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "${argv[@]}" >>"$work/coved.log" 2>&1 &
    coved_pid=$!
    for _ in $(seq 1 300); do
        curl -fsS "$url/api/health" >/dev/null 2>&1 && return 0
        kill -0 "$coved_pid" 2>/dev/null || { cat "$work/coved.log"; fail "coved stopped"; }
        sleep 0.1
    done
    cat "$work/coved.log"
    fail "coved did not answer within 30 s"
}
stop_coved() {
    kill "$coved_pid"
    wait "$coved_pid" || true
    coved_pid=""
}
start_coved
key_mode=$(chroot_run stat -c '%a %G' /var/lib/cove/admin.key)
[ "$key_mode" = "640 cove" ] || fail "admin.key should be 640 and group cove; it is $key_mode"
[ "$(chroot_run stat -c '%a %G' /var/lib/cove)" = "710 cove" ] || fail "/var/lib/cove should be 710, group cove"
key=$(cat "$root/var/lib/cove/admin.key")
# A member of the group cove reads the key (the dashboard's way in); anyone else does not.
chroot_run useradd --create-home --groups cove member
chroot_run useradd --create-home stranger
[ "$(chroot_run setpriv --reuid=member --regid=member --init-groups cat /var/lib/cove/admin.key)" = "$key" ] ||
    fail "a member of the group cove cannot read the admin key"
! chroot_run setpriv --reuid=stranger --regid=stranger --init-groups cat /var/lib/cove/admin.key 2>/dev/null ||
    fail "a user outside the group cove can read the admin key"
! chroot_run setpriv --reuid=member --regid=member --init-groups ls /var/lib/cove/sandboxes >/dev/null 2>&1 ||
    fail "the group cove can see into /var/lib/cove/sandboxes"
instance=$(head -n 1 "$root/var/lib/cove/instance")
cmp -s "$root/usr/lib/cove/cove-agent" "$root/var/lib/cove/bin/cove-agent" ||
    fail "coved did not install the packaged agent"

api() {
    local method=$1 path=$2 body=${3:-}
    curl -sS -X "$method" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        ${body:+--data "$body"} "$url$path"
}
# Captured first: grep -q leaving early would kill a large iptables-save with SIGPIPE, and pipefail
# would take that for "no chains".
has_chains() {
    local rules
    rules=$(iptables-save -t filter) || fail "iptables-save failed, so the chains cannot be checked"
    grep -q "^:COVE-${instance:0:8}" <<<"$rules"
}
json_field() { python3 -c "import json, sys; print(json.load(sys.stdin).get('$1', ''))"; }

# 5. A sandbox through the API, and a command in it.
step "creating a sandbox"
sandbox=$(api POST /api/sandbox '{"autoStopInterval": 0}')
id=$(printf '%s' "$sandbox" | json_field id)
[ -n "$id" ] || fail "the sandbox was not created: $sandbox"
for _ in $(seq 1 600); do
    state=$(api GET "/api/sandbox/$id" | json_field state)
    [ "$state" = started ] && break
    case "$state" in error | build_failed) fail "the sandbox is $state" ;; esac
    sleep 0.1
done
[ "$state" = started ] || fail "the sandbox did not start (state $state)"
out=$(api POST "/toolbox/$id/process/execute" '{"command": "echo packaged"}')
[[ $out == *packaged* ]] || fail "the command in the sandbox did not run: $out"
# cove-cli run by a member of the group cove finds the packaged service's key by itself, and passes
# the command's exit code on.
rc=0
out=$(chroot_run setpriv --reuid=member --regid=member --init-groups cove-cli --url "$url" exec "$id" -- \
    'echo from cove-cli; exit 4' 2>&1) || rc=$?
if [ "$rc" != 4 ] || [ "$out" != "from cove-cli" ]; then
    fail "cove-cli exec gave exit code $rc and: $out"
fi
container=$(docker ps -q --filter "label=cove.instance=$instance" --filter "label=cove.sandbox.id=$id")
[ -z "$container" ] && container=$(docker ps -q --filter "label=cove.instance=$instance" | head -n 1)
[ -n "$container" ] || fail "no running container of the installation"
has_chains || { tail -n 20 "$work/coved.log"; fail "coved made no firewall chains for its sandboxes"; }

# 6. An upgrade (coved stopped, the package installed again, coved started) keeps the sandbox running.
step "upgrading: stopping coved, installing the package again, starting coved"
stop_coved
[ "$(docker inspect -f '{{.State.Running}}' "$container")" = true ] || fail "stopping coved stopped the sandbox"
chroot_run dpkg -i /tmp/cove.deb >/dev/null
start_coved
[ "$(api GET "/api/sandbox/$id" | json_field state)" = started ] || fail "the sandbox is not started after the upgrade"
out=$(api POST "/toolbox/$id/process/execute" '{"command": "echo upgraded"}')
[[ $out == *upgraded* ]] || fail "the sandbox does not answer after the upgrade: $out"
stop_coved
umount "$root$root/var/lib/cove"

# 7. Removal keeps the data; purge takes it away.

step "dpkg -r cove: the data stays"
chroot_run dpkg -r cove >/dev/null
[ ! -e "$root/usr/sbin/coved" ] || fail "coved is still installed after dpkg -r"
for f in cove.db admin.key instance "sandboxes/$id"; do
    [ -e "$root/var/lib/cove/$f" ] || fail "dpkg -r removed /var/lib/cove/$f"
done

step "dpkg -P cove: the data, the containers and the network go"
chroot_run dpkg -P cove >/dev/null
[ ! -e "$root/var/lib/cove" ] || fail "dpkg -P left /var/lib/cove"
[ -z "$(docker ps -aq --filter "label=cove.instance=$instance")" ] || fail "dpkg -P left the installation's containers"
! docker network inspect "cove-${instance:0:8}" >/dev/null 2>&1 || fail "dpkg -P left the network cove-${instance:0:8}"
! has_chains || fail "dpkg -P left the iptables chains COVE-${instance:0:8}*"

step "the package test passed"
