#!/usr/bin/env bash
# Boots one Debian kernel of the matrix under qemu (software emulation) with the agent and the direct-I/O
# workload in its initramfs, runs the runs listed in RUNS (see scripts/kernels/init) and unpacks what the
# guest recorded into OUT/results: the recordings, the workload's output, filefrag's view of each file,
# the kernel release and its block tracepoints. OUT/console.log is the guest's console.
#
#   scripts/kernels/run-guest.sh KERNEL OUT RUNS
#
# Exits 0 when the guest ran every run and said so; the recordings are checked on the host by
# KernelMatrixIT. The agent jar and the workload's classes come from agent/target (mvn install first),
# or from BLKFLIGHT_AGENT_JAR and BLKFLIGHT_TEST_CLASSES.
set -euo pipefail

kernel=${1:?usage: run-guest.sh KERNEL OUT RUNS}
out=${2:?usage: run-guest.sh KERNEL OUT RUNS}
runs=${3:?usage: run-guest.sh KERNEL OUT RUNS}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
agent_jar=${BLKFLIGHT_AGENT_JAR:-$repo/agent/target/blkflight.jar}
test_classes=${BLKFLIGHT_TEST_CLASSES:-$repo/agent/target/test-classes}
timeout_s=${BLKFLIGHT_GUEST_TIMEOUT:-600}

fail() {
  echo "run-guest: $*" >&2
  exit 1
}

[ -f "$agent_jar" ] || fail "no agent jar at $agent_jar: run mvn -B install -DskipTests first"
[ -f "$test_classes/io/blkflight/kernels/KernelMatrixWorkload.class" ] ||
  fail "no workload classes in $test_classes: run mvn -B install -DskipTests first"
[ -f "$runs" ] || fail "no runs file $runs"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 is missing: install qemu-system-x86 (scripts/setup.sh)"

# One guest at a time on this machine: each takes a whole core, and two runs into the same OUT or the same
# cache would spoil each other.
lock=${BLKFLIGHT_CACHE:-$HOME/.cache/blkflight}/kernels/guest.lock
mkdir -p "$(dirname "$lock")"
exec 9>"$lock"
if ! flock -n 9; then
  echo "run-guest: another guest runs on this machine; waiting for it" >&2
  flock 9
fi

started=$(date +%s.%N)
kdir=$("$here/fetch-kernel.sh" "$kernel")
base=$("$here/build-base.sh")
prepared=$(date +%s.%N)

rm -rf "$out"
mkdir -p "$out/layer/etc/blkflight" "$out/layer/modules" "$out/layer/opt/blkflight/test-classes/io/blkflight" \
  "$out/results"
cp "$here/init" "$out/layer/init"
chmod 755 "$out/layer/init"
cp "$runs" "$out/layer/etc/blkflight/runs"
cp "$kdir"/modules/*.ko "$kdir/modules.load" "$out/layer/modules/"
cp "$agent_jar" "$out/layer/opt/blkflight/blkflight.jar"
cp -r "$test_classes/io/blkflight/it" "$test_classes/io/blkflight/kernels" "$out/layer/opt/blkflight/test-classes/io/blkflight/"
(cd "$out/layer" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out/layer.cpio"
# The kernel unpacks concatenated cpio archives one after another into the same root.
cat "$base" "$out/layer.cpio" >"$out/initrd.cpio"
rm -rf "$out/layer" "$out/layer.cpio"
truncate -s 128M "$out/disk.img"
truncate -s 64M "$out/results.img"

# -accel tcg,thread=single: with multi-threaded TCG the guest JVM crashed in C1 code in 2 of 12 runs
# (PLATFORM.md). One queue for vda: the kernel gives a single-queue disk the mq-deadline scheduler, as
# on the host, so requests are inserted into a scheduler there and not on the loop device.
set +e
timeout "$timeout_s" qemu-system-x86_64 -accel tcg,thread=single -m 2048 -smp 2 \
  -display none -serial stdio -monitor none -no-reboot \
  -kernel "$kdir/vmlinuz" -initrd "$out/initrd.cpio" -append 'console=ttyS0 panic=-1 quiet' \
  -drive file="$out/disk.img",if=none,id=data,format=raw,cache=none \
  -device virtio-blk-pci,drive=data,num-queues=1 \
  -drive file="$out/results.img",if=none,id=results,format=raw,cache=none \
  -device virtio-blk-pci,drive=results \
  </dev/null >"$out/console.log" 2>"$out/qemu.err"
status=$?
set -e
booted=$(date +%s.%N)
rm -f "$out/initrd.cpio" "$out/disk.img"

tar -xf "$out/results.img" -C "$out/results" 2>/dev/null || true
rm -f "$out/results.img"
cp "$kdir/package" "$out/results/package"
awk -v s="$started" -v p="$prepared" -v b="$booted" 'BEGIN { printf "prepare %.1f s, guest %.1f s\n", p - s, b - p }' \
  >"$out/times"

[ "$status" -ne 124 ] || fail "the guest did not finish within $timeout_s s; console: $out/console.log: $(tail -5 "$out/console.log")"
[ "$status" -eq 0 ] || fail "qemu exited with $status: $(cat "$out/qemu.err")"
result=$(grep -a '^blkflight-guest: result ' "$out/console.log" | tail -1 | tr -d '\r')
[ -n "$result" ] || fail "the guest stopped without a result; console: $out/console.log: $(tail -5 "$out/console.log")"
[ "$result" = "blkflight-guest: result ok" ] || fail "${result#blkflight-guest: }"
cat "$out/times"
