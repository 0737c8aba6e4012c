#!/usr/bin/env bash
# The main job: an embedded database (H2) loads rows with durable batches and then reads them back cold
# from the root disk, under the blkflight agent; the recording is written to agent/target/demo/ and summarised.
# Usage: scripts/demo.sh [rows-per-loader]   (needs root: BPF, and dropping the page cache)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
# One reactor build of what the demo runs (native library, model, agent): the agent's class path, test scope
# for H2 and the workload, is resolved in the same reactor, so it names the model module's own jar and needs
# nothing of ours in the local Maven repository.
mvn -B -ntp -q -pl agent -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/demo.classpath

out=agent/target/demo
mkdir -p "$out"
recording="$out/blkflight-demo.jfr"
database=/var/tmp/blkflight-demo   # on the root disk, so that the I/O reaches a real device
java -javaagent:agent/target/blkflight.jar=output="$recording" \
  -cp "agent/target/test-classes:$(cat agent/target/demo.classpath)" \
  io.blkflight.demo.StorageWorkload "$database" "${1:-20000}"
echo
java -jar agent/target/blkflight.jar summary "$recording"
echo
echo "recording: $recording  (open it in JDK Mission Control with the blkflight plugin, or: java -jar agent/target/blkflight.jar report $recording)"
