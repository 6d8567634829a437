#!/usr/bin/env bash
# Sets up Cove on a Debian 12 machine and runs it, or its tests. Idempotent: a second run installs and
# rebuilds nothing that is already there.
#
#   installer/setup.sh run     install, build the programs, start a Docker engine if none answers, build
#                              the default images, start coved and open the dashboard
#   installer/setup.sh test    the same setup with the tests built too, then the whole test suite (ctest),
#                              the fuzz targets briefly and the sanitized tests
#   installer/setup.sh build   install and build only
#   installer/setup.sh images  make sure a Docker engine answers and the default images exist
#   installer/setup.sh package install and build, then make the Debian package (build/packages/)
#   installer/setup.sh fuzz [SECONDS]  build the libFuzzer targets (build-fuzz/, clang) and run each
#                              for SECONDS (default 600)
#   installer/setup.sh bench [ITERATIONS]  build and run every benchmark (tests/bench) and write the
#                              report, docs/benchmarks.md with its chart; ITERATIONS per time-to-
#                              interactive mode (default 100); on a quiet machine: other work moves figures
#   installer/setup.sh sanitize [REGEX]  build coved and the tests with ASan and UBSan (build-asan/)
#                              and run the tests that need no display (or those REGEX matches) against it
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${COVE_BUILD_DIR:-$top/build}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ "$(id -u)" -eq 0 ]; then data="${COVE_DATA_DIR:-/var/lib/cove}"; else data="${COVE_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/cove}"; fi
export COVE_DATA_DIR="$data"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# Runs a phase and prints how long it took, so a slow first run says where its minutes went. Called
# plainly (not in an `||`), so `set -e` still stops the phase at its first failing command.
timed() {
    local label="$1" start=$SECONDS
    shift
    "$@"
    say "$label: $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s"
}

# A phase that runs in the background while the foreground goes on (the images while compiling, the
# checking builds while the suite runs), its output in a log shown only when it fails.
declare -A bg_pid bg_log bg_start
bg_begin() {
    local name="$1" log="$2"
    shift 2
    mkdir -p "$(dirname "$log")"
    bg_log[$name]="$log"
    bg_start[$name]=$SECONDS
    ("$@") >"$log" 2>&1 &
    bg_pid[$name]=$!
    say "$name: in the background (log: $log)"
}
# What is still running in the background when setup stops (a failed test, Ctrl+C) stops with it.
kill_tree() {
    local child
    for child in $(pgrep -P "$1"); do kill_tree "$child"; done
    kill "$1" 2>/dev/null || true
}
bg_stop_all() {
    local name
    for name in "${!bg_pid[@]}"; do kill_tree "${bg_pid[$name]}"; done
}
trap bg_stop_all EXIT
bg_wait() {
    local name="$1" status=0
    wait "${bg_pid[$name]}" || status=$?
    if [ $status -ne 0 ]; then
        tail -n 40 "${bg_log[$name]}" >&2
        die "$name failed; the end of its log is above (all of it: ${bg_log[$name]})"
    fi
    unset "bg_pid[$name]"
    say "$name: done, $(((SECONDS - bg_start[$name]) / 60)) min $(((SECONDS - bg_start[$name]) % 60)) s after it began"
}

# Debian packages Cove needs to build, run and test. Boost 1.81 conflicts with the default Boost 1.74.
packages=(
    build-essential cmake ninja-build pkg-config file clang-format
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-webengine-dev qt6-charts-dev qt6-svg-dev
    qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libqt6sql6-sqlite libgl-dev
    libvncserver-dev nlohmann-json3-dev libsqlite3-dev libpq-dev libssl-dev zlib1g-dev libboost1.81-dev libssh-dev
    docker.io debootstrap iptables conntrack btrfs-progs ccache iproute2 python3 dpkg-dev lintian
    xvfb xauth x11-utils imagemagick xdotool fonts-noto-cjk curl ca-certificates clang
)
# Node.js and npm from Debian, unless the machine already has an npm (another Node.js install would
# conflict with Debian's npm package).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
# What only the tests need: the PostgreSQL server the `postgres` label runs the service suite on, zsh
# for tst_cli's check of cove-cli's zsh completion, the OpenSSH clients (ssh, scp, sftp) tst_ssh drives,
# and a private registry with basic auth for tst_registries and tst_sec_registries (docker-registry, and
# htpasswd from apache2-utils).
test_packages=(postgresql-15 zsh openssh-client docker-registry apache2-utils)

# shellcheck disable=SC2120 # given the test packages through timed
install_packages() {
    local missing=()
    for p in "${packages[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "Installing ${#missing[@]} Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_npm() {
    # Pinned by each folder's package-lock.json: xterm.js for the terminal, the Daytona SDK for the
    # compatibility tests, the official MCP Inspector CLI and conformance suite for tst_mcp.
    local dir stamp
    for dir in "$top/resources/web" "$top/tests/compat" "$top/tests/cli/mcp-tools"; do
        stamp="$dir/node_modules/.cove-lock-$(sha256sum "$dir/package-lock.json" | cut -c1-12)"
        [ -f "$stamp" ] && continue
        say "Installing npm packages (${dir#"$top"/})"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
        touch "$stamp"
    done
}

# Builds the targets given, or everything (the tests too) when none is.
# shellcheck disable=SC2120 # given the programs through images_while
build() {
    if [ ! -f "$build/build.ninja" ]; then
        say "Configuring the build in $build"
        cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    fi
    local targets=()
    [ $# -eq 0 ] || targets=(--target "$@")
    say "Building ${*:-everything} (two jobs: each Beast unit takes ~1 GB of compiler memory)"
    cmake --build "$build" -j2 "${targets[@]}" | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; } ||
        die "the build failed; the compiler's messages are above"
}
# What `run` needs: the programs, not the tests.
programs=(coved cove-agent cove cove-cli)

# The images need nothing the compiler makes, and making them waits mostly on the network and the disk:
# they are made while the compiler runs. sudo asks for its password here, before the background starts.
images_while() {
    [ -z "$sudo" ] || $sudo -v
    bg_begin "Images" "$build/logs/images.log" images
    timed "Build" "$@"
    bg_wait "Images"
}

# The engine Cove starts keeps its images and containers on btrfs (a sparse loop image), the storage
# driver that enforces a container's disk size on any kernel; overlay2 can only with XFS project quotas.
# Returns 1, and the engine uses its default storage, where that is impossible (no loop devices, say).
# Not under the data directory: coved keeps that to itself (mode 0700), and the engine's remapped root
# (uid 100000) must pass through every folder above a container's root filesystem.
engine_dir="${COVE_ENGINE_DIR:-/var/lib/cove-engine}"
engine_root() {
    local image="$engine_dir.btrfs" root="$engine_dir"
    mountpoint -q "$root" && return 0
    # An engine image an earlier setup made in the data directory moves out of it.
    if [ ! -f "$image" ] && [ -f "$data/engine.btrfs" ]; then
        $sudo umount "$data/engine" 2>/dev/null || true
        $sudo mv "$data/engine.btrfs" "$image" && $sudo rmdir "$data/engine" 2>/dev/null || true
    fi
    $sudo mkdir -p "$root"
    if [ ! -f "$image" ]; then
        # Sparse: it takes room only as images and sandboxes fill it; at most 80% of what is free now.
        local free size
        free=$(df --output=avail -BG "$(dirname "$engine_dir")" | tail -1 | tr -dc 0-9)
        size=${COVE_ENGINE_SIZE:-$((free * 8 / 10))G}
        $sudo truncate -s "$size" "$image" && $sudo mkfs.btrfs -q "$image" >/dev/null 2>&1 ||
            { $sudo rm -f "$image"; return 1; }
    fi
    $sudo mount -o loop,discard,noatime "$image" "$root" 2>/dev/null
}

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# Whether the engine runs containers in a user namespace, so root in a sandbox is not root here.
engine_remaps() { docker info --format '{{json .SecurityOptions}}' 2>/dev/null | grep -q 'name=userns'; }

ensure_engine() {
    if engine_answers; then
        engine_remaps || say "The running Docker engine does not remap users: root in a sandbox is root on this machine. Restart dockerd with --userns-remap=default (and rebuild the images under it: installer/setup.sh images)"
        return 0
    fi
    if [ -n "${DOCKER_HOST:-}" ]; then
        die "DOCKER_HOST=$DOCKER_HOST is set but no Docker engine answers there; start it or unset DOCKER_HOST"
    fi
    if [ -S /var/run/docker.sock ] && pgrep -x dockerd >/dev/null; then
        die "a Docker engine runs but refuses this user; add the user to the docker group (sudo usermod -aG docker $USER) and log in again"
    fi
    $sudo mkdir -p "$data"
    # Root in a sandbox is the unprivileged user dockremap (uid 100000 and up, from /etc/subuid, which
    # dockerd fills in) on this machine. The engine keeps this mode's images apart, under
    # <data root>/<uid>.<gid>: images built by an engine without it are built once more.
    local args=(--group "$(id -g)" --userns-remap=default)
    # Debian's crun, when installed, next to runc (coved --runtime crun): it starts containers faster.
    # Not on a machine with hybrid cgroups (v1 with v2 at /sys/fs/cgroup/unified), which crun 1.8 refuses.
    if command -v crun >/dev/null 2>&1 && [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" != cgroup2fs ]; then
        args+=(--add-runtime "crun=$(command -v crun)")
    fi
    if engine_root; then
        args+=(--data-root "$engine_dir" --storage-driver btrfs)
        say "Starting Debian's dockerd on a btrfs data root, so sandbox disk sizes are enforced (log: $data/dockerd.log)"
    else
        say "Starting Debian's dockerd in the background (log: $data/dockerd.log); sandbox disk sizes will not be enforced"
    fi
    # The socket's group lets this user reach the engine when not root.
    $sudo sh -c "nohup dockerd ${args[*]} >'$data/dockerd.log' 2>&1 &"
    for _ in $(seq 1 120); do
        engine_answers && return 0
        sleep 0.5
    done
    tail -n 15 "$data/dockerd.log" >&2 || true
    die "dockerd did not come up within 60 s; its log is $data/dockerd.log"
}

images() {
    ensure_engine
    if ! "$top/installer/images/build-images.sh" --check; then
        say "Building the default snapshot images (cove-base, cove-desktop) — the first time takes a few minutes"
    fi
    $sudo "$top/installer/images/build-images.sh"
}

start_coved() {
    local url="http://127.0.0.1:3986"
    if curl -fsS "$url/api/health" >/dev/null 2>&1; then
        say "coved already answers at $url"
        return 0
    fi
    say "Starting coved (log: $data/coved.log)"
    mkdir -p "$data" 2>/dev/null || $sudo mkdir -p "$data"
    # coved keeps each sandbox's firewall in iptables, which needs root; the dashboard, run as this
    # user, reads the admin key coved writes.
    $sudo sh -c "nohup '$build/bin/coved' --data-dir '$data' >>'$data/coved.log' 2>&1 &"
    for _ in $(seq 1 100); do
        if curl -fsS "$url/api/health" >/dev/null 2>&1; then
            [ -z "$sudo" ] || $sudo chown "$(id -u):$(id -g)" "$data/admin.key"
            return 0
        fi
        pgrep -f "$build/bin/coved --data-dir" >/dev/null || { tail -n 5 "$data/coved.log" >&2; die "coved stopped; see $data/coved.log"; }
        sleep 0.1
    done
    die "coved did not answer within 10 s; see $data/coved.log"
}

# The suite's PostgreSQL: Debian's cluster, made and started when it is not, with a role for this user
# that may create databases (peer authentication on the local socket: no password anywhere). Each test
# makes its own database (cove_t_…) and drops it; what an interrupted run left is dropped here.
ensure_postgres() {
    local ver cluster user db
    read -r ver cluster _ < <(pg_lsclusters -h 2>/dev/null | head -n1) || true
    if [ -z "${ver:-}" ]; then
        say "Creating a PostgreSQL cluster for the tests"
        $sudo pg_createcluster 15 main >/dev/null
        ver=15 cluster=main
    fi
    if ! pg_lsclusters -h | awk -v v="$ver" -v c="$cluster" '$1 == v && $2 == c { print $4 }' | grep -q online; then
        say "Starting PostgreSQL $ver ($cluster)"
        $sudo pg_ctlcluster "$ver" "$cluster" start || die "PostgreSQL did not start; see /var/log/postgresql/"
    fi
    user="$(id -un)"
    if ! $sudo runuser -u postgres -- psql -Xqtc "SELECT 1 FROM pg_roles WHERE rolname = '$user'" | grep -q 1; then
        $sudo runuser -u postgres -- createuser --createdb "$user" || die "cannot make the PostgreSQL role $user"
    fi
    # The server the `postgres` tests use (CMake's COVE_TEST_POSTGRES, this by default).
    local server="postgresql:///postgres?host=/var/run/postgresql"
    psql -Xqtd "$server" -c "SELECT datname FROM pg_database WHERE datname LIKE 'cove\_t\_%'" |
        while read -r db; do
            if [ -n "$db" ]; then psql -Xqd "$server" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"; fi
        done
}

# GUI tests and the dashboard's benchmark need a real X server; starts Xvfb when there is no display.
ensure_display() {
    if [ -z "${DISPLAY:-}" ]; then
        export DISPLAY=:97
        if ! xdpyinfo -display "$DISPLAY" >/dev/null 2>&1 && ! pgrep -f "Xvfb $DISPLAY" >/dev/null; then
            Xvfb "$DISPLAY" -screen 0 1600x1000x24 -noreset -nolisten tcp >/dev/null 2>&1 &
            for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${DISPLAY#:}" ] && break; sleep 0.1; done
        fi
    fi
    export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
    export QTWEBENGINE_DISABLE_SANDBOX=1 QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu"
}

run_tests() {
    ensure_postgres
    ensure_display
    say "Running the test suite"
    # Without the label `long` (the PostgreSQL runs of the longest service programs; ctest -L long).
    # One program at a time. Two (-j2, which tests/CMakeLists.txt makes safe) finish the suite alone in
    # three quarters of the time, but here the checking builds compile beside it and the two cores are
    # full already: at -j2 the suite took 33 min instead of 36, the sanitizer build was still compiling
    # when it ended, and a language server in a sandbox outlasted its 10 s answer time.
    cd "$build" && ctest --output-on-failure --timeout 900 -j1 -LE long
}

# The fuzz targets (tests/fuzz): clang and libFuzzer, only the parsers' sources, in their own build tree.
fuzz_dir="$top/build-fuzz"
build_fuzz() {
    if [ ! -f "$fuzz_dir/build.ninja" ]; then
        say "Configuring the fuzz targets in $fuzz_dir (clang, libFuzzer, ASan, UBSan)"
        cmake -S "$top" -B "$fuzz_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
            -DCOVE_FUZZ=ON -DCOVE_BACKEND_ONLY=ON >/dev/null
    fi
    say "Building the fuzz targets"
    cmake --build "$fuzz_dir" -j2 | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; } ||
        die "the fuzz build failed; the compiler's messages are above"
}

# Runs every fuzz target for $1 seconds on its seeds and what earlier runs found; a crash or a broken
# invariant fails, with the input saved in build-fuzz/fuzz/crashes/. Prints each target's figures.
run_fuzz() {
    local seconds="$1" status=0
    cmake -S "$top" -B "$fuzz_dir" -DCOVE_FUZZ_SECONDS="$seconds" >/dev/null
    say "Fuzzing each target for $seconds s"
    (cd "$fuzz_dir" && ctest -L fuzz --output-on-failure) || status=$?
    fuzz_figures
    return $status
}
# The last fuzz run's figures: libFuzzer's last status line per target (runs, coverage, exec/s).
fuzz_figures() {
    awk '/^[0-9]+\/[0-9]+ Testing: /{t=$3} /DONE +cov:/{print "  " t ": " $0}' \
        "$fuzz_dir/Testing/Temporary/LastTest.log" >&2 || true
}

# The sanitizer build: coved and the tests with ASan and UBSan, cove-agent with UBSan (static).
asan_dir="$top/build-asan"
# The tests it runs (a ctest regex, among those needing no display): all of them for `sanitize`; for
# `test`, COVE_SANITIZE_TESTS, by default the security tests and the two broadest API tests. Empty: none.
sanitize_all='.'
# The slow kernel-side tests (tst_sec_volumes' mount race, tst_sec_builds' image builds) stay out of
# that default, which keeps a fresh machine's `test` within its time budget, and so does tst_sec_server:
# once in about ten sanitized runs it could not read its coved's /proc/PID/stat during the
# file-descriptor exhaustion attack (cause not yet known; its coved was still running afterwards);
# `sanitize` runs it.
sanitize_in_test="${COVE_SANITIZE_TESTS-^(tst_agent|tst_sandbox_api|tst_sec_(parsers|toolbox|requests|chaos|fuzz_findings))\$}"
# Prints the sanitized tests $1 matches, after configuring build-asan.
sanitized_tests() {
    local regex="$1" tests
    if [ ! -f "$asan_dir/build.ninja" ]; then
        say "Configuring the sanitizer build in $asan_dir"
        # Line tables only, as in the main build; COVE_SANITIZE compiles with -Og (see CMakeLists.txt).
        cmake -S "$top" -B "$asan_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOVE_SANITIZE=ON >/dev/null
    fi
    # Configured again first, so tests added since the last run are listed (and built).
    cmake "$asan_dir" >/dev/null
    tests=$(cd "$asan_dir" && ctest -N -LE 'gui|package' -R "$regex" | sed -n 's/^ *Test *#[0-9]*: *//p')
    [ -n "$tests" ] || die "no test matches '$regex'"
    echo "$tests"
}
build_sanitized() {
    local regex="$1" tests
    [ -n "$regex" ] || return 0
    tests=$(sanitized_tests "$regex")
    say "Building coved, cove-agent and $(echo "$tests" | wc -w) tests with sanitizers"
    # shellcheck disable=SC2086
    cmake --build "$asan_dir" -j2 --target coved cove-agent $tests | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; } ||
        die "the sanitizer build failed; the compiler's messages are above"
}
run_sanitized() {
    local regex="$1"
    [ -n "$regex" ] || return 0
    images
    say "Running the tests against the sanitizer build"
    # Every report is fatal, and written to a file too: a report from a coved a test started (and whose
    # output it does not show) fails the run all the same.
    local logs="$asan_dir/sanitizer-logs" status=0
    rm -rf "$logs" && mkdir -p "$logs"
    ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:log_path=$logs/asan" \
    LSAN_OPTIONS="suppressions=$top/tests/sanitizer/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan" \
        bash -c "cd '$asan_dir' && ctest --output-on-failure --timeout 900 -j1 -LE 'gui|package' -R '$regex'" ||
        status=$?
    if compgen -G "$logs/*" >/dev/null; then
        head -n 60 "$logs"/* >&2
        die "the sanitizers reported the errors above (all reports: $logs)"
    fi
    return $status
}

# For `test`: the sanitizer build, then the fuzz targets' build and short run, all at the lowest priority
# beside the suite, which leaves about 40% of two cores idle (it mostly waits on containers). The
# sanitizer build comes first: the sanitized tests after the suite need it, and the fuzz targets can go
# on beside them. From an empty compiler cache on a 2-core machine, the sanitizer build took 33 min
# beside the suite's 38, the fuzz targets' build and run 11 more. The fuzz figures are shown at the end.
sanitizer_built="$build/logs/sanitizer-build.done"
checking_builds() {
    renice -n 19 -p "$BASHPID" >/dev/null
    build_sanitized "$sanitize_in_test"
    touch "$sanitizer_built"
    build_fuzz
    timed "Fuzzing" run_fuzz "${COVE_FUZZ_SECONDS:-10}"
}
# Waits until background job $1 has made the sanitizer build; if the job stops first, bg_wait says why.
await_sanitizer_build() {
    while [ ! -e "$sanitizer_built" ] && kill -0 "${bg_pid[$1]}" 2>/dev/null; do sleep 2; done
    [ -e "$sanitizer_built" ] || bg_wait "$1"
}

cmd="${1:-}"
case "$cmd" in
build)
    install_packages; install_npm; build ;;
images)
    install_packages; images ;;
package)
    install_packages; install_npm; build
    say "Making the Debian package (cpack)"
    (cd "$build" && cpack -G DEB -B "$build/packages" >/dev/null) || die "cpack failed; run it in $build to see why"
    ls "$build"/packages/cove_*.deb ;;
test)
    timed "Packages" install_packages "${test_packages[@]}"
    timed "npm packages" install_npm
    images_while build
    # The checking builds (the sanitizers; libFuzzer) and the fuzz run go on while the suite runs, at the
    # lowest priority: the suite mostly waits on containers, and its own processes always come first.
    rm -f "$sanitizer_built"
    bg_begin "Checking builds and fuzzing" "$build/logs/checking-builds.log" checking_builds
    timed "Test suite" run_tests
    await_sanitizer_build "Checking builds and fuzzing"
    timed "Sanitized tests" run_sanitized "$sanitize_in_test"
    bg_wait "Checking builds and fuzzing"
    say "Fuzzing, each target for ${COVE_FUZZ_SECONDS:-10} s:"
    fuzz_figures ;;
fuzz)
    install_packages; build_fuzz; run_fuzz "${2:-600}" ;;
bench)
    timed "Packages" install_packages
    timed "npm packages" install_npm
    images_while build "${programs[@]}" bench_lifecycle bench_toolbox bench_state bench_network bench_vnc \
        bench_sandbox_model bench_tti bench_chart
    ensure_display
    timed "Benchmarks" "$top/tests/bench/report.sh" "$build" "${2:-100}" ;;
sanitize)
    install_packages; install_npm; build_sanitized "${2:-$sanitize_all}"; run_sanitized "${2:-$sanitize_all}" ;;
run)
    timed "Packages" install_packages
    timed "npm packages" install_npm
    images_while build "${programs[@]}"
    start_coved
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        say "Opening the Cove dashboard"
        exec "$build/bin/cove"
    fi
    cat >&2 <<EOF

Cove is running, but there is no display to open the dashboard on.
  API:      http://127.0.0.1:3986/api      (key: $data/admin.key)
  Try it:   curl -H "Authorization: Bearer \$(cat $data/admin.key)" http://127.0.0.1:3986/api/sandbox
  SDK:      DAYTONA_API_URL=http://127.0.0.1:3986/api DAYTONA_API_KEY=\$(cat $data/admin.key)
  CLI:      $build/bin/cove-cli sandbox create    (cove-cli --help for the rest)
EOF
    ;;
*)
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2 ;;
esac
