#!/usr/bin/env bash
# Records the virtual-thread fixture again (agent/src/test/resources/recordings/virtual-threads.jfr, read by the
# report's tests and the JMC plugin's): VirtualThreadsWorkload (agent/src/test/java/.../report) on JDK 25
# under the agent, on ext4 over a loop device in /dev/shm made and removed here, two carriers for more virtual threads
# than that (linkThreshold=0ns: every file call is recorded, so every request links). Needs root (BPF, losetup).
# Usage: scripts/regenerate-virtual-threads-fixture.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jdk=${JDK_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -ntp -q -pl agent -am package -DskipTests

resources=agent/src/test/resources
backing=$(mktemp /dev/shm/blkflight-fixture-XXXXXX.img)
mnt=$(mktemp -d /tmp/blkflight-fixture-mnt.XXXXXX)
truncate -s 256M "$backing"
device=$(losetup --find --show "$backing")
cleanup() {
  umount "$mnt" 2>/dev/null || true
  losetup -d "$device" 2>/dev/null || true
  rm -rf "$backing" "$mnt"
}
trap cleanup EXIT
mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 "$device"
mount -o noatime "$device" "$mnt"
"$jdk/bin/java" -javaagent:agent/target/blkflight.jar=output="$resources/recordings/virtual-threads.jfr",devices="$(basename "$device")",linkThreshold=0ns \
  -Djdk.virtualThreadScheduler.parallelism=2 --add-opens=java.base/java.lang=ALL-UNNAMED \
  -cp agent/target/test-classes io.blkflight.report.VirtualThreadsWorkload "$mnt"
ls -l "$resources/recordings/virtual-threads.jfr"
echo "the counts asserted in ReportCommandTest, BlockIoRecordingTest and BlockIoViewTest change with it"
