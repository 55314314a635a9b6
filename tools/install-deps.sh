#!/usr/bin/env bash
# Installs what eddy needs to build, test and benchmark on Debian 12, and
# only what is missing: a second run with everything present takes well under
# a second and touches nothing. Run as root (or with sudo available).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, by purpose.
PKGS=(
    # build
    build-essential cmake pkg-config git
    # fuzzing and the clang sanitizer runtime; formatting
    clang libclang-rt-14-dev clang-format
    # libraries: compression codecs, JSON (config files, Avro schemas), the Kafka client
    zlib1g-dev libzstd-dev liblz4-dev libsnappy-dev libjansson-dev librdkafka-dev
    libdeflate-dev
    # Avro: avro-c (test oracle and benchmark peer), avrocat, python3-avro
    libavro-dev avro-bin python3-avro
    # test tooling: real Kafka clients, and the peers the benchmarks run
    python3 procps kcat python3-kafka python3-confluent-kafka python3-lz4 python3-snappy
    python3-zstandard redis-server redis-tools
)

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

# JavaScript test clients, pinned by the committed lockfile.
if [ -f package-lock.json ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "install-deps: installing nodejs and npm"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
            nodejs npm >/dev/null
    fi
    if [ ! -f node_modules/.package-lock.json ] ||
        [ package-lock.json -nt node_modules/.package-lock.json ]; then
        echo "install-deps: npm ci"
        npm ci --no-audit --no-fund --loglevel=error
    fi
fi
