#!/usr/bin/env bash
# Measures the report command on a large recording (a benchmark, not a test): writes N block requests,
# each inside a real jdk.FileRead of the same thread, then times summary, report and report --folded.
# Usage: scripts/bench-report.sh [requests]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
classpath=$(scripts/test-classpath.sh)
recording=$(mktemp --suffix=.jfr)
trap 'rm -f "$recording"' EXIT
java -cp "$classpath" \
  io.blkflight.report.LargeRecording "$recording" "$n"
for command in "summary" "report --requests 1" "report --folded"; do
  /usr/bin/time -f "$command: %e s wall, %M KiB peak RSS" java -jar agent/target/blkflight.jar $command "$recording" 2>&1 >/dev/null | tail -1
done
