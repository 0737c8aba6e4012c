#!/usr/bin/env bash
# The benchmarks (not tests; run as root on a quiet machine): what blkflight costs an I/O-heavy
# application, side by side with no agent and with bpftrace's biosnoop-style script, and what the
# collector can turn into JFR events on one core.
#
#   scripts/bench.sh [cost|pipeline|all] [rounds] [seconds per run] [warm-up seconds]   (default: all 5 10 5)
#   scripts/bench.sh kernel [rounds] [seconds per window]                               (default: 20 2)
#   scripts/bench.sh flood
#   scripts/bench.sh push [seconds] [pushInterval seconds] [threads] [format]                (default: 60 10 2 otlp)
#
# Environment for the cost benchmark: BENCH_ONLY='no agent|agent, defaults' runs only the configurations
# with those labels; BENCH_AGENTS='label=options;label=options' adds agent runs with those options;
# BENCH_JDK=25 runs the workloads on JDK 25 instead of 17; BENCH_WORKLOAD=buffered runs 4 KiB appends through the
# page cache (each dirtying a fresh page: what following the JVM's dirtying costs) instead of O_DIRECT random I/O.
#
# cost:     CostBenchmark: random 4 KiB O_DIRECT I/O (4 threads, 70% reads) on ext4 over a loop device
#           in /dev/shm, in rounds that alternate the configurations; medians of the ratios per round,
#           bytes per request of the recordings and their losses.
# pipeline: PipelineBenchmark (JMH): real ring-buffer records replayed through decoding, resolution and
#           the JFR commit, with and without kernel stacks.
# kernel:   KernelCostBenchmark with native/bench/kernel_cost.c: the kernel side alone on one running workload,
#           in shuffled windows without programs, with programs that return at once (the floor) and with the
#           collector's (the agent's defaults); then each program's kernel run time (bpf_stats).
#           KERNEL_COST_FILES=off, KERNEL_COST_WRITEBACK=off, KERNEL_COST_STACKS=off|all, KERNEL_COST_VTHREADS=off
#           change the collector; KERNEL_COST_COMPARE=files|stacks|writeback|vthreads instead runs the collector
#           with that part and without in alternating windows, their programs' kernel run time per request and the
#           paired difference (what the part costs). KERNEL_COST_FILES=compare is KERNEL_COST_COMPARE=files.
# flood:    FloodBenchmark with native/bench/flood.c: request records written straight into a running agent's
#           ring buffer at rising rates (no device here completes requests fast enough), until the first is
#           lost: once on a warm agent, then on fresh JVMs flooded from their first second (the JIT still
#           compiling), with the default ring buffer and a 32 MiB one. Env FLOOD_OPTIONS adds agent options.
# push:     PushCostBenchmark: the same random I/O (70% reads) under the agent with push= to a receiver on
#           loopback; the CPU time of the push threads (reading the JVM's events back, linking, building and
#           sending each profile) per pushed request, from /proc's per-thread schedstat.
# The soak (memory over ten minutes of heavy I/O) is scripts/soak.sh; the report command's speed on a
# large recording is scripts/bench-report.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
rounds=${2:-5}
seconds=${3:-10}
warmup=${4:-5}
case "$what" in cost | pipeline | all | kernel | flood | push) ;; *)
  echo "usage: scripts/bench.sh [cost|pipeline|all] [rounds] [seconds per run] [warm-up seconds]" >&2
  echo "       scripts/bench.sh kernel [rounds] [seconds per window]" >&2
  echo "       scripts/bench.sh flood" >&2
  echo "       scripts/bench.sh push [seconds] [pushInterval seconds] [threads] [format]" >&2
  exit 2
  ;;
esac
[ "$(id -u)" = 0 ] || { echo "scripts/bench.sh: run as root (it loads BPF programs and makes a loop device)" >&2; exit 1; }
bash scripts/setup.sh
if ! command -v bpftrace >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q bpftrace >/dev/null
fi
# bpftrace finds tracepoints in tracefs, which a fresh machine may not have mounted (debugfs, its older
# home, stays closed under kernel lockdown).
if [ ! -d /sys/kernel/tracing/events ]; then
  mount -t tracefs tracefs /sys/kernel/tracing
fi
classpath=$(scripts/test-classpath.sh)
echo "machine: $(nproc) CPUs, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
if [ "$what" = kernel ]; then
  make -s -C native bench
  exec java -Dblkflight.test.classes=agent/target/test-classes -cp "$classpath" io.blkflight.bench.KernelCostBenchmark \
    native/target/bench/kernel-cost "${2:-20}" "${3:-2}"
fi
if [ "$what" = push ]; then
  exec java -Dblkflight.agent.jar=agent/target/blkflight.jar -Dblkflight.test.classes=agent/target/test-classes \
    -cp "$classpath" io.blkflight.bench.PushCostBenchmark "${2:-60}" "${3:-10}" "${4:-2}" 70 "${5:-otlp}"
fi
if [ "$what" = flood ]; then
  make -s -C native bench
  flood() {
    java -Dflood.options="$1" -Dblkflight.agent.jar=agent/target/blkflight.jar -Dblkflight.test.classes=agent/target/test-classes \
      -cp "$classpath" io.blkflight.bench.FloodBenchmark native/target/bench/flood "${@:2}"
  }
  extra=${FLOOD_OPTIONS:-}
  echo "== a warm agent: rising rates, 3 s each (the first rate warms it up), until the first loss"
  flood "$extra" 3 100000 500000 1000000 2000000 4000000 6000000 8000000
  # A fresh JVM's first seconds vary more (the JIT's compiler threads compete for the CPUs): three runs each.
  for ring in 8m 32m; do
    for rate in 200000 300000 500000 1000000; do
      for run in 1 2 3; do
        echo "== a fresh JVM flooded from its first second: $rate records/s for 2 s, ringBuffer=$ring (run $run)"
        flood "ringBuffer=$ring${extra:+,$extra}" 2 "$rate"
      done
    done
  done
  exit 0
fi
if [ "$what" != pipeline ]; then
  java -Dblkflight.agent.jar=agent/target/blkflight.jar -Dblkflight.test.classes=agent/target/test-classes \
    -cp "$classpath" io.blkflight.bench.CostBenchmark "$rounds" "$seconds" 4 "${BENCH_WORKLOAD:-70}" "$warmup"
fi
if [ "$what" != cost ]; then
  java -cp "$classpath" org.openjdk.jmh.Main 'io.blkflight.bench.PipelineBenchmark' -foe true
fi
