#!/usr/bin/env bash
# Runs every benchmark and writes the report: docs/benchmarks.md and its chart docs/benchmarks.png.
# Run it through `installer/setup.sh bench [ITERATIONS]`, which builds what it needs first; on a quiet
# machine (other work on the cores moves every figure). ITERATIONS is the time-to-interactive runs per
# mode (default 100, as ComputeSDK's leaderboard); the other benchmarks use their own defaults, scaled
# down with it when it is small (a quick check of the report itself).
#   tests/bench/report.sh BUILD_DIR [ITERATIONS] [OUT_DIR]
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${1:?usage: report.sh BUILD_DIR [ITERATIONS] [OUT_DIR]}" && pwd)
iterations="${2:-100}"
out="${3:-$top/docs}"
work=$(mktemp -d)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Each benchmark program starts its own coveds and removes what they made, also when a signal stops it
# (tests/bench/Bench.h).
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

# The other benchmarks at their defaults for a full report, at a tenth of them for a quick one.
scale() { if [ "$iterations" -ge 100 ]; then echo "$1"; else echo $(($1 / 10 > 3 ? $1 / 10 : 3)); fi; }

# Waits (at most 10 min) until the kernel has cleaned up the subvolumes of the containers the last
# benchmark removed: on a btrfs engine that work goes on for minutes after the removals have answered,
# and would weigh on the next benchmark's figures. Elsewhere, or without the rights, it returns at once.
settle() {
    local root
    [ "$(docker info --format '{{.Driver}}' 2>/dev/null)" = btrfs ] || return 0
    root=$(docker info --format '{{.DockerRootDir}}')
    timeout 600 btrfs subvolume sync "$root" >/dev/null 2>&1 || true
}

section() { # TITLE PROGRAM [ARGS...]: runs one benchmark program, its table into the report
    local title="$1" program="$2"
    shift 2
    settle
    say "$title ($program $*)"
    {
        # shellcheck disable=SC2016 # Markdown's backquotes, printed as they are
        printf '\n## %s\n\n`build/tests/%s %s`\n\n' "$title" "$program" "$*"
        "$build/tests/$program" "$@" 2>"$work/$program.err" | sed -e '/^[a-z]*: [0-9]*; times in ms$/d' |
            notes_after_tables
    } >>"$work/body.md" || { cat "$work/$program.err" >&2; exit 1; }
}

# A side note a program prints between a table's rows (the crun line, memory) would end the Markdown
# table there: such lines follow the table instead, as a list.
notes_after_tables() {
    awk 'function flush() { if (n) { print ""; for (i = 0; i < n; ++i) print "- " notes[i]; n = 0 } }
        /^\|/ { print; table = 1; next }
        /^$/ { if (table) flush(); table = 0; print; next }
        { if (table) notes[n++] = $0; else print }
        END { if (table) flush() }'
}

machine() {
    local cpu mem kernel engine driver runtime
    cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n1)
    mem=$(free -g | awk '/^Mem:/ { print $2 }')
    kernel=$(uname -r)
    engine=$(docker version --format '{{.Server.Version}}')
    driver=$(docker info --format '{{.Driver}}')
    runtime=$(docker info --format '{{.DefaultRuntime}}')
    # shellcheck disable=SC1091 # the machine's own /etc/os-release
    printf -- '- %s cores (%s), %s GiB of memory; Linux %s; %s\n' "$(nproc)" "$cpu" "$mem" "$kernel" \
        "$(. /etc/os-release && echo "$PRETTY_NAME")"
    printf -- '- Docker engine %s (storage driver %s, runtime %s, user namespaces remapped)\n' \
        "$engine" "$driver" "$runtime"
    # shellcheck disable=SC2016 # Markdown's backquotes, printed as they are
    printf -- '- Cove %s, built %s (`%s`)\n' "$(git -C "$top" rev-parse --short HEAD)" \
        "$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")" "$(date -u +%Y-%m-%d)"
}

: >"$work/body.md"
settle
say "Time to interactive through the Daytona SDK, $iterations iterations per mode"
"$build/tests/bench_tti" "$work" "$iterations"
mkdir -p "$out"
"$build/tests/bench_chart" "$out/benchmarks.png" "$work"/tti-{sequential,staggered,burst}.json

section "Lifecycle" bench_lifecycle "$(scale 10)" "$(scale 100)"
section "Toolbox" bench_toolbox "$(scale 200)"
section "Sandbox state" bench_state "$(scale 10)"
section "Network policy" bench_network "$(scale 40)"
section "Desktop (VNC)" bench_vnc
# On the display when there is one: the offscreen platform paints no window, so has no first paint.
section "Dashboard" bench_sandbox_model

tti_table() {
    python3 - "$work"/tti-{sequential,staggered,burst}.json <<'PY'
import json, sys
print("| mode | runs | succeeded | min | median | p95 | p99 | max | mean |")
print("|---|---|---|---|---|---|---|---|---|")
for path in sys.argv[1:]:
    r = json.load(open(path))
    f = lambda k: "–" if r[k] is None else f"{r[k]:.0f}"
    print(f"| {r['mode']} | {r['iterations']} | {r['succeeded']} | {f('min')} | {f('median')} | {f('p95')} | "
          f"{f('p99')} | {f('max')} | {f('mean')} |")
    for msg in r["failures"]:
        print(f"\n{r['mode']}: failed: {msg}", file=sys.stderr)
PY
}

{
    cat <<EOF
# Benchmarks

Written by \`installer/setup.sh bench\` (tests/bench/report.sh); every figure below is from one run on
this machine:

$(machine)

Each table gives Cove's figure next to a baseline measured in the same run on the same engine, and the
ratio of the two. Times are milliseconds.

## Time to interactive

From the SDK's \`daytona.create()\` to the end of the first command (\`echo "benchmark"\`) in the new
sandbox, measured as ComputeSDK's public leaderboard measures cloud providers, with the official
Daytona TypeScript SDK against a coved as installed (warm pool of 2, filled before each mode starts):
**sequential** (one at a time, each deleted before the next), **staggered** (one launched every
200 ms) and **burst** (all launched at once). The SDK's \`delete()\` answers at once, as against Daytona,
and the engine removes the container after it (seconds each on a btrfs engine with disk quotas), so a
create competes with the removal of the sandboxes deleted before it. Published figures for comparison,
from that leaderboard (April 2026): Daytona cloud about 110 ms, E2B about 440 ms, each on its own cloud.

$(tti_table)

![Create to first command, each iteration](benchmarks.png)
EOF
    cat "$work/body.md"
} >"$out/benchmarks.md"
say "Wrote $out/benchmarks.md and $out/benchmarks.png"
