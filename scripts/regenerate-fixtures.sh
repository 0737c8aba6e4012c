#!/usr/bin/env bash
# Records the small recordings the golden-file tests read (agent/src/test/resources/recordings/direct-io.jfr,
# and files-writeback.jfr: named files, sequential and random reads, writeback credited to its dirtier) and
# writes the expected outputs (agent/src/test/resources/golden/). Needs root (BPF, loop devices; the second
# lowers vm.dirty_expire_centisecs for a few seconds and restores it). With --golden-only, only rewrites the
# expected outputs from the checked-in recordings (after a change to what the report prints); with
# --record direct-io or --record files-writeback, records that one only.
# Review `git diff agent/src/test/resources/golden` before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
classpath=$(scripts/test-classpath.sh)
cd agent
java -Dblkflight.agent.jar=target/blkflight.jar -Dblkflight.test.classes=target/test-classes \
  -cp "$classpath" io.blkflight.report.FixtureRecording "$@"
