#!/usr/bin/env bash
# Records the plugin's H2 fixture again and the report the command prints for it (the tree the model tests
# compare with): the demo workload (scripts/demo.sh) with 6,000 rows per loader, which keeps the recording
# under 1 MB. Needs root (BPF, dropping the page cache), like the demo.
# Usage: jmc-plugin/scripts/regenerate-fixture.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -ntp -q -pl agent -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/demo.classpath

resources=jmc-plugin/bundle/src/test/resources
database=$(mktemp -d /var/tmp/blkflight-fixture.XXXXXX)   # on the root disk, so the I/O reaches a real device
trap 'rm -rf "$database"' EXIT
java -javaagent:agent/target/blkflight.jar=output="$resources/recordings/h2-demo.jfr" \
  -cp "agent/target/test-classes:$(cat agent/target/demo.classpath)" \
  io.blkflight.demo.StorageWorkload "$database/db" 6000
(cd "$resources/recordings" && java -jar ../../../../../../agent/target/blkflight.jar report --requests 0 h2-demo.jfr) \
  > "$resources/golden/h2-demo-report.txt"
ls -l "$resources/recordings/h2-demo.jfr"
echo "the request counts asserted in BlockIoRecordingTest, BlockIoLatencyRuleTest and BlockIoViewTest change with it"
