#!/usr/bin/env bash
# The test command: sets up the machine, builds everything and runs every test tier (unit tests, and
# the real-BPF integration tests on loop devices, which need root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mvn -B -ntp verify "$@"
