#!/usr/bin/env bash
# Builds eddy in release mode and runs every benchmark, printing one markdown
# table: each row is eddy against a peer measured in the same run.
# Usage: bench/run.sh [NAME...]   (names: core; default all)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
B=build/release/bench
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(core)

echo "| benchmark | eddy | peer | peer result | eddy / peer |"
echo "|---|---|---|---|---|"
for n in "${names[@]}"; do
    case "$n" in
        core) "$B/bench_core" ;;
        *) echo "unknown benchmark: $n" >&2; exit 2 ;;
    esac
done
