#!/usr/bin/env bash
# The eddy command line: help, version, and usage errors exit 2 with a message.
. "$(dirname "$0")/lib.sh"

run_status "$EDDY" --help
expect_eq "--help exits 0" 0 "$STATUS"
expect_contains "--help lists demo" "demo" "$OUT"
expect_contains "--help lists hub" "hub" "$OUT"

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

run_status "$EDDY" hub --fsync sometimes
expect_eq "bad hub flag value exits 2" 2 "$STATUS"
expect_contains "bad hub flag value message" "bad value 'sometimes' for fsync" "$ERR"

run_status "$EDDY" hub --listen nonsense
expect_eq "bad listen address exits 2" 2 "$STATUS"

printf 'fsync = always\nbogus = 1\n' >"$T/bad.conf"
run_status "$EDDY" hub --config "$T/bad.conf"
expect_eq "bad config file exits 2" 2 "$STATUS"
expect_contains "config error names file and line" "bad.conf:2: unknown setting 'bogus'" "$ERR"

finish
