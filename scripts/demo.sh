#!/usr/bin/env bash
# The main job: an embedded database (H2) loads rows with durable batches and then reads them back cold
# from the root disk, under the blkflight agent; the recording is written to target/demo/ and summarised.
# Usage: scripts/demo.sh [rows-per-loader]   (needs root: BPF, and dropping the page cache)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mvn -B -ntp -q package -DskipTests
# The output file is relative to each module: the agent's class path lands in agent/target/demo.classpath.
mvn -B -ntp -q dependency:build-classpath -pl agent -am -Dmdep.includeScope=test -Dmdep.outputFile=target/demo.classpath

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
