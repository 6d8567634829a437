#!/usr/bin/env bash
# Builds Cove's default snapshot images with no container registry: a Debian 12 root made by
# debootstrap and imported, then cove-base and cove-desktop layered on it. Each image is tagged with a
# hash of its recipe, so it is rebuilt only when the recipe changes, and also tagged :latest.
#
# usage: build-images.sh [--check | --mirror]
#   --check   exit 0 when every image is present, 1 otherwise
#   --mirror  print the Debian mirror debootstrap uses (the host's own), for other debootstrap users
# COVE_IMAGE_TAG (default latest): the tag the images get besides their recipe hash. coved sets it when
# it runs this script on first start.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
suite=bookworm
# Packages debootstrap adds to minbase; apt needs the keyring and CA certificates to fetch over TLS.
include=ca-certificates

say() { printf '%s\n' "$*" >&2; }

# The Debian mirror the host itself uses, so images fetch from wherever this machine may reach.
host_mirror() {
    local uri=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) {print $i; exit}}' /etc/apt/sources.list)
    fi
    printf '%s' "$uri"
}

hash_of() { sha256sum | cut -c1-12; }

# Certificate authorities this machine added locally (a company proxy's, say): images must trust them
# too, or apt, npm and pip inside sandboxes fail where the host succeeds.
local_cas() { find /usr/local/share/ca-certificates -name '*.crt' -type f 2>/dev/null | sort; }
local_ca_digest() { local_cas | while read -r f; do cat "$f"; done | sha256sum; }

debian_hash=$(printf 'debootstrap minbase %s include=%s strip=v1 root=0755 dpkg=unsafe-io\n' "$suite" "$include" | hash_of)
base_hash=$( (echo "$debian_hash"; cat "$here/cove-base/Dockerfile"; local_ca_digest) | hash_of)
desktop_hash=$( (echo "$base_hash"; cat "$here/cove-desktop/Dockerfile") | hash_of)

declare -A tag=(
    [cove-debian]="cove-debian:$debian_hash"
    [cove-base]="cove-base:$base_hash"
    [cove-desktop]="cove-desktop:$desktop_hash"
)

have() { docker image inspect "$1" >/dev/null 2>&1; }

if [ "${1:-}" = "--mirror" ]; then
    host_mirror
    echo
    exit 0
fi
if [ "${1:-}" = "--check" ]; then
    for name in cove-base cove-desktop; do have "${tag[$name]}" || exit 1; done
    exit 0
fi

build_debian() {
    local root mirror
    root=$(mktemp -d "${TMPDIR:-/tmp}/cove-debian.XXXXXX")
    trap 'rm -rf "$root"' RETURN
    mirror=$(host_mirror)
    say "[1/3] cove-debian: debootstrap --variant=minbase $suite (about a minute)"
    # shellcheck disable=SC2086 # an empty mirror means debootstrap's own default
    if ! debootstrap --variant=minbase --include="$include" "$suite" "$root" $mirror \
        >"$root.log" 2>&1; then
        say "debootstrap failed; its log follows (last 20 lines, whole log in $root.log)"
        tail -n 20 "$root.log" >&2
        return 1
    fi
    rm -f "$root.log"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
        "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
        "$root"/usr/share/locale/* "$root"/var/log/*.log
    # mktemp made the root 0700; the image's / must be 0755, or only root can use it (storage drivers
    # that keep the image's root directory as it is, btrfs among them, show it so to every container).
    chmod 0755 "$root"
    # dpkg without a sync of every file it unpacks, as container images commonly have it: an image is
    # committed only once its step has finished, and a sandbox's system files come back from the image.
    # On the engine's btrfs, apt installs took a quarter longer with the syncs (about 470 packages, the
    # node-tools stage of cove-base: 105-113 s instead of 79-83 s); apt in sandboxes gains the same.
    echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/cove-unsafe-io"
    tar -C "$root" --numeric-owner -c . |
        docker import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "${tag[cove-debian]}" >/dev/null
}

build_layer() {
    local step=$1 name=$2 base=$3 log context
    log=$(mktemp "${TMPDIR:-/tmp}/cove-$name.XXXXXX.log")
    context=$(mktemp -d "${TMPDIR:-/tmp}/cove-$name.XXXXXX")
    trap 'rm -rf "$context"' RETURN
    cp "$here/$name/Dockerfile" "$context/"
    mkdir "$context/local-ca"
    touch "$context/local-ca/.keep"
    local_cas | while read -r f; do cp "$f" "$context/local-ca/"; done
    say "[$step/3] $name: building from ${base} (a few minutes the first time)"
    # The legacy builder needs no BuildKit component and works with every engine Cove supports.
    # Its "Step i/n" lines are the progress; the rest goes to the log.
    if ! DOCKER_BUILDKIT=0 docker build --build-arg "BASE=$base" -t "${tag[$name]}" "$context" 2>&1 |
        tee "$log" | awk '/^Step [0-9]+\/[0-9]+/ { print "      " substr($0, 1, 100); fflush() }' >&2; then
        say "building $name failed; the last lines of its log ($log):"
        tail -n 25 "$log" >&2
        return 1
    fi
    rm -f "$log"
}

if have "${tag[cove-debian]}"; then say "[1/3] cove-debian: up to date (${tag[cove-debian]})"; else build_debian; fi
if have "${tag[cove-base]}"; then say "[2/3] cove-base: up to date (${tag[cove-base]})"; else build_layer 2 cove-base "${tag[cove-debian]}"; fi
if have "${tag[cove-desktop]}"; then say "[3/3] cove-desktop: up to date (${tag[cove-desktop]})"; else build_layer 3 cove-desktop "${tag[cove-base]}"; fi

# :latest lets a user's Dockerfile say FROM cove-base; it always follows the current recipe.
for name in cove-debian cove-base cove-desktop; do docker tag "${tag[$name]}" "$name:${COVE_IMAGE_TAG:-latest}"; done
