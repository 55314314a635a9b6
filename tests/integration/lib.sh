# Shared helpers for integration tests (sourced, bash).
#
# Every test gets a private temp folder ($T) and a cleanup trap that kills
# every process it started with `spawn` and removes $T, whether the test
# passes, fails or is interrupted. Ports come from free_port (the kernel picks
# a free loopback port). Assertions print what was expected and what came.
set -euo pipefail

EDDY=${EDDY:?EDDY must point at the eddy binary}
T=$(mktemp -d "${TMPDIR:-/tmp}/eddy-it.XXXXXX")
PIDS=()
FAILS=0

cleanup() {
    local pid
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] || continue
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    # EDDY_KEEP=DIR keeps the test's folder there (debugging)
    if [ -n "${EDDY_KEEP:-}" ]; then rm -rf "$EDDY_KEEP" && cp -r "$T" "$EDDY_KEEP"; fi
    rm -rf "$T"
}
trap cleanup EXIT INT TERM

# free_port: prints a loopback TCP port that was free a moment ago.
free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# spawn CMD...: runs CMD in the background, logging to $T/spawn-N.log;
# remembers the pid for cleanup and sets $SPAWNED to it.
spawn() {
    local log="$T/spawn-${#PIDS[@]}.log"
    "$@" >"$log" 2>&1 &
    SPAWNED=$!
    PIDS+=("$SPAWNED")
}

# wait_port PORT [SECONDS]: waits until something listens on 127.0.0.1:PORT.
wait_port() {
    local port=$1 secs=${2:-20} i
    for i in $(seq $((secs * 10))); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "nothing listens on port $port after ${secs}s" >&2
    return 1
}

fail() {
    echo "FAIL: $*" >&2
    FAILS=$((FAILS + 1))
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    if [ "$2" != "$3" ]; then fail "$1: expected [$2], got [$3]"; else echo "ok   $1"; fi
}

# expect_contains WHAT NEEDLE HAYSTACK
expect_contains() {
    case "$3" in
        *"$2"*) echo "ok   $1" ;;
        *) fail "$1: expected to contain [$2], got [$3]" ;;
    esac
}

# run_status CMD...: runs CMD, storing stdout in $OUT, stderr in $ERR and the
# exit status in $STATUS, without tripping set -e.
run_status() {
    set +e
    "$@" >"$T/out" 2>"$T/err"
    STATUS=$?
    set -e
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
}

finish() {
    if [ "$FAILS" -ne 0 ]; then
        echo "$FAILS check(s) failed"
        exit 1
    fi
    echo "all checks passed"
}
