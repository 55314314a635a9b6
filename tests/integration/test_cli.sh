#!/usr/bin/env bash
# The eddy command line: help, version, and usage errors exit 2 with a message.
. "$(dirname "$0")/lib.sh"

run_status "$EDDY" --help
expect_eq "--help exits 0" 0 "$STATUS"
expect_contains "--help lists demo" "demo" "$OUT"

run_status "$EDDY" --version
expect_eq "--version exits 0" 0 "$STATUS"
expect_contains "--version prints a version" "eddy 0." "$OUT"

run_status "$EDDY"
expect_eq "no command exits 2" 2 "$STATUS"

run_status "$EDDY" frobnicate
expect_eq "unknown command exits 2" 2 "$STATUS"
expect_contains "unknown command message" "unknown command 'frobnicate'" "$ERR"

run_status "$EDDY" --frobnicate
expect_eq "unknown top-level flag exits 2" 2 "$STATUS"
expect_contains "unknown flag message" "unknown option '--frobnicate'" "$ERR"

run_status "$EDDY" demo --no-such-flag
expect_eq "unknown subcommand flag exits 2" 2 "$STATUS"
expect_contains "subcommand flag message" "unknown option '--no-such-flag'" "$ERR"

run_status "$EDDY" demo --data-dir
expect_eq "missing value exits 2" 2 "$STATUS"
expect_contains "missing value message" "needs a value" "$ERR"

run_status "$EDDY" demo --help
expect_eq "subcommand --help exits 0" 0 "$STATUS"
expect_contains "subcommand help shows usage" "Usage: eddy demo" "$OUT"

run_status "$EDDY" help demo
expect_eq "eddy help demo exits 0" 0 "$STATUS"
expect_contains "eddy help demo shows usage" "Usage: eddy demo" "$OUT"

finish
