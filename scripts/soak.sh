#!/usr/bin/env bash
# The soak: mixed heavy I/O under the agent for a long time (default 10 minutes), sampling heap after GC,
# native memory (NMT), RSS and BPF map memory, then every loss counter. Prints the figures. Needs root.
# Usage: scripts/soak.sh [minutes] [sample-seconds] [extra agent options, e.g. stacks=on]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
classpath=$(scripts/test-classpath.sh)
cd agent
java -Dblkflight.agent.jar=target/blkflight.jar -Dblkflight.test.classes=target/test-classes -cp "$classpath" \
  io.blkflight.bench.Soak "${1:-10}" "${2:-30}" "${3:-}"
