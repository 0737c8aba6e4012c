#!/usr/bin/env bash
# Records the small recording the golden-file tests read (agent/src/test/resources/recordings/direct-io.jfr)
# and writes the expected outputs beside it (agent/src/test/resources/golden/). Needs root (BPF, loop
# devices). With --golden-only, only rewrites the expected outputs from the checked-in recording (after a
# change to what the report prints). Review `git diff agent/src/test/resources/golden` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
classpath=$(scripts/test-classpath.sh)
cd agent
java -Dblkflight.agent.jar=target/blkflight.jar -Dblkflight.test.classes=target/test-classes \
  -cp "$classpath" io.blkflight.report.FixtureRecording "$@"
