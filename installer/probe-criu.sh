#!/usr/bin/env bash
# Probes whether CRIU checkpoint/restore works for Cove's sandboxes on this machine, without touching
# the Docker engine coved uses: it starts a private, experimental dockerd (own data root on a btrfs
# loop image, own exec root and socket, no bridge, no iptables), copies one image into it, runs the
# probes, then stops it and removes everything it made. Results are described in docs/criu.md.
#
#   installer/probe-criu.sh            probe with userns-remap off
#   USERNS=1 installer/probe-criu.sh   probe with --userns-remap=default (what Cove uses)
#
# Environment:
#   CRIU_DIR   a folder holding a `criu` binary to use instead of the one on PATH (Debian 12's 3.17
#              cannot run on kernels >= 6.13; build CRIU >= 4.1 with `make criu` and point here)
#   SIZES      MiB of touched memory for the timing probe (default "256 1024")
#   PROBE_DIR  scratch folder (default /tmp/criu-probe); IMAGE (default cove-base:latest)
#   USERNS_FIX=1  under userns-remap, make containerd's /tmp/ctrd-checkpoint* folders traversable
#              while restoring (works around containerd 1.6 creating them 0700 root)
set -uo pipefail

dir="${PROBE_DIR:-/tmp/criu-probe}"
image="${IMAGE:-cove-base:latest}"
sizes="${SIZES:-256 1024}"
main="${MAIN_DOCKER_HOST:-unix:///var/run/docker.sock}"
sock="unix://$dir/docker.sock"
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }
command -v bc >/dev/null || { echo "needs bc" >&2; exit 1; }
path="$PATH"; [ -n "${CRIU_DIR:-}" ] && path="$CRIU_DIR:$PATH"
dk() { DOCKER_HOST="$sock" docker "$@"; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

cleanup() {
  [ -n "${fixpid:-}" ] && kill "$fixpid" 2>/dev/null
  dk rm -f $(dk ps -aq 2>/dev/null) >/dev/null 2>&1
  [ -f "$dir/docker.pid" ] && kill "$(cat "$dir/docker.pid")" 2>/dev/null && sleep 5
  umount "$dir/root" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

echo "## kernel $(uname -r), $(PATH=$path criu --version | head -1)"
PATH=$path criu check; echo "criu check: rc=$?"
PATH=$path criu check --all; echo "criu check --all: rc=$?"

mkdir -p "$dir/root" "$dir/exec" "$dir/t" "$dir/run"
truncate -s 12G "$dir/btrfs.img" && mkfs.btrfs -q "$dir/btrfs.img" && mount -o loop "$dir/btrfs.img" "$dir/root"
remap=(); [ "${USERNS:-0}" = 1 ] && remap=(--userns-remap=default)
PATH=$path dockerd --experimental "${remap[@]}" --data-root "$dir/root/data" --exec-root "$dir/exec" \
  --pidfile "$dir/docker.pid" -H "$sock" --bridge=none --iptables=false --ip-masq=false --ip6tables=false \
  --storage-driver btrfs >"$dir/dockerd.log" 2>&1 &
for _ in $(seq 30); do dk info >/dev/null 2>&1 && break; sleep 1; done
DOCKER_HOST="$main" docker save "$image" | dk load >/dev/null || exit 1
root=$(dk info -f '{{.DockerRootDir}}')
if [ "${USERNS:-0}" = 1 ] && [ "${USERNS_FIX:-0}" = 1 ]; then
  ( while :; do chmod 755 "${TMPDIR:-/tmp}"/ctrd-checkpoint* 2>/dev/null; sleep 0.01; done ) & fixpid=$!
fi
cat >"$dir/t/mem.py" <<'EOF'
import os, sys, time, zlib
buf = bytearray(os.urandom(1 << 20)) * int(sys.argv[1])   # every page touched and distinct from zero
print("ready crc", zlib.crc32(buf), flush=True)
while True:
    if os.path.exists("/tmp/verify"):
        os.remove("/tmp/verify"); print("verify crc", zlib.crc32(buf), flush=True)
    time.sleep(0.2)
EOF
cat >"$dir/t/agent.py" <<'EOF'
import os, sys, socket, time, subprocess
modes = set(sys.argv[1:]); keep = []
u = socket.socket(socket.AF_UNIX); u.bind("/run/cove/agent.sock"); u.listen(8); u.setblocking(False)
t = socket.socket(); t.bind(("0.0.0.0", 7000)); t.listen(8)
if "pty" in modes:
    keep.append(subprocess.Popen(["script", "-qfc", "sleep 100000", "/dev/null"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL))
if "tcpest" in modes:
    c = socket.create_connection(("127.0.0.1", 7000)); keep += [c, t.accept()[0]]
print("ready", flush=True)
while True:
    try: keep.append(u.accept()[0])
    except BlockingIOError: pass
    if os.path.exists("/tmp/verify"):
        os.remove("/tmp/verify"); print("alive", flush=True)
    time.sleep(0.2)
EOF
waitlog() { for _ in $(seq 120); do dk logs "$1" 2>&1 | grep -q "$2" && return 0; sleep 0.5; done; return 1; }
# docker start --checkpoint soon after the checkpoint often fails with "content ... already exists"
# (moby#42900); a later try succeeds.
restore() { local out; for _ in 1 2 3 4 5 6; do out=$(dk start --checkpoint "$2" "$1" 2>&1) && return 0; echo "  retry in 3 s: ${out:0:90}"; sleep 3; done; return 1; }
verify() { dk exec "$1" touch /tmp/verify; sleep 2; dk logs "$1" 2>&1 | tail -1; }
net=(--network none)
cove=(--cap-drop NET_RAW --pids-limit 256 --memory 3g "${net[@]}")

echo "## memory: checkpoint, restore into the same container, restore into a second one (fork)"
for mib in $sizes; do
  for user in 0 cove; do
    n="m$mib-$user"
    dk run -d --name "$n" --user "$user" "${cove[@]}" -v "$dir/t:/t:ro" "$image" python3 /t/mem.py "$mib" >/dev/null
    waitlog "$n" ready || { echo "$n did not start"; continue; }
    echo "$n: $(dk logs "$n" | tail -1)"
    s=$(now); dk checkpoint create --leave-running "$n" cp1 >/dev/null || { echo "$n: checkpoint FAILED"; continue; }
    id=$(dk inspect -f '{{.Id}}' "$n"); cp="$root/containers/$id/checkpoints/cp1"
    echo "$n: checkpoint ${mib} MiB $(since "$s") s, image $(du -sm "$cp" | cut -f1) MiB"
    dk create --name "$n-fork" --user "$user" "${cove[@]}" -v "$dir/t:/t:ro" "$image" python3 /t/mem.py "$mib" >/dev/null
    id2=$(dk inspect -f '{{.Id}}' "$n-fork"); mkdir -p "$root/containers/$id2/checkpoints"
    cp -a "$cp" "$root/containers/$id2/checkpoints/"
    s=$(now); restore "$n-fork" cp1 && echo "$n: restore into fork $(since "$s") s: $(verify "$n-fork")" || echo "$n: fork restore FAILED"
    dk stop -t 1 "$n" >/dev/null
    s=$(now); restore "$n" cp1 && echo "$n: restore in place $(since "$s") s: $(verify "$n")" || echo "$n: restore FAILED"
    dk rm -f "$n" "$n-fork" >/dev/null
  done
done

echo "## Cove-like PID 1: unix listener in a bind mount, TCP listener, pty, established connections"
dk network create probe-net >/dev/null
probe() { # name, run args..., -- agent modes...
  local n=$1; shift; local ra=(); while [ "$1" != -- ]; do ra+=("$1"); shift; done; shift
  mkdir -p "$dir/run/$n"; chmod 777 "$dir/run/$n"
  dk run -d --name "$n" "${ra[@]}" -v "$dir/t:/t:ro" -v "$dir/run/$n:/run/cove" "$image" python3 /t/agent.py "$@" >/dev/null
  waitlog "$n" ready || { echo "$n did not start"; return; }
  [ -n "${HOSTPEER:-}" ] && { python3 -c "import socket,time; s=socket.socket(socket.AF_UNIX); s.connect('$dir/run/$n/agent.sock'); time.sleep(30)" & sleep 1; }
  local out; out=$(dk checkpoint create "$n" cp1 2>&1) || { echo "$n ${ra[*]} $*: checkpoint FAILED"
    grep -h Error "$dir"/exec/containerd/daemon/*/moby/"$(dk inspect -f '{{.Id}}' "$n")"/criu-dump.log 2>/dev/null | grep -v -e RLIMIT_NOFILE -e nftables | head -2; return; }
  restore "$n" cp1 && echo "$n ${ra[*]} $*: $(verify "$n")" || echo "$n ${ra[*]} $*: restore FAILED"
}
probe p-none --user 0 "${cove[@]}" --
probe p-net --user 0 --cap-drop NET_RAW --network probe-net --
probe p-user "${cove[@]}" --
probe p-pty "${cove[@]}" -- pty
probe p-tty -t "${cove[@]}" --
probe p-tcpest "${cove[@]}" -- tcpest
HOSTPEER=1 probe p-hostpeer "${cove[@]}" --
echo "## leftover containerd checkpoint copies: $(ls -d "${TMPDIR:-/tmp}"/ctrd-checkpoint* 2>/dev/null | wc -l) (not removed by this script)"
