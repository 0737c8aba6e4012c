package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;

/**
 * What every run of {@link DirectIoWorkload} must show in its recording: each step of {@link DirectIoPlan} on the
 * traced device as exactly one request, at the sector filefrag gives, from the right Java thread and system
 * call, inside the time window the thread measured around its call. Shared by the tests that run the workload
 * in different settings (DirectIoIT, ContainerIT).
 */
final class DirectIoChecks {
    private DirectIoChecks() {
    }

    static List<Recorded.Request> requestsAt(Recorded recorded, String device, long sector, String operation) {
        return recorded.requests.stream()
                .filter(e -> e.getString("device").equals(device) && e.getLong("sector") == sector
                        && e.getString("operation").equals(operation))
                .collect(Collectors.toList());
    }

    private static RecordedEvent callOf(Recorded recorded, DirectIoPlan.Step step) {
        return recorded.calls.stream()
                .filter(c -> c.getString("operation").equals(step.operation()) && c.getString("file").equals(step.file())
                        && c.getLong("block") == step.block())
                .findFirst().orElseThrow(() -> new AssertionError("the workload recorded no call for " + step));
    }

    /**
     * Every step on the traced device: exactly one request, right sector, bytes, thread, syscall, times.
     * childPid: the workload's pid as it saw it (in its PID namespace); syscallStart: the run had syscallStart=on.
     */
    static void assertEveryStepRecorded(Recorded recorded, LoopDevice traced, long childPid, boolean syscallStart)
            throws Exception {
        for (DirectIoPlan.Step step : DirectIoPlan.STEPS) {
            if (!step.file().equals(DirectIoPlan.DATA)) {
                continue;
            }
            long sector = traced.sectorOf(traced.mountPoint().resolve(step.file()), step.block());
            String operation = step.operation().equals("read") ? "read" : "write";
            List<Recorded.Request> matches = requestsAt(recorded, traced.name(), sector, operation);
            assertThat(matches).as("requests for %s at sector %d; recorded:%s", step, sector, recorded.describeRequests())
                    .hasSize(1);
            Recorded.Request request = matches.get(0);
            RecordedEvent call = callOf(recorded, step);
            assertThat(request.getLong("bytes")).as("bytes of %s", step).isEqualTo(LoopDevice.BLOCK_SIZE);
            assertThat(request.getThread("javaThread")).as("Java thread of %s", step).isNotNull();
            assertThat(request.getThread("javaThread").getJavaName()).as("Java thread of %s", step).isEqualTo(step.thread());
            assertThat(request.getString("comm")).as("kernel command name of %s", step).isEqualTo(step.thread());
            String syscall = step.operation().equals("read") ? "pread64" : step.operation().equals("write") ? "pwrite64" : "fsync";
            assertThat(request.getString("syscall")).as("system call of %s", step).isEqualTo(syscall);
            assertThat(request.getString("origin")).as("origin of %s", step).isEqualTo("bio");
            assertThat(request.getString("status")).isEqualTo("ok");
            assertThat(request.getInt("pid")).as("process of %s", step).isEqualTo((int) childPid);
            assertThat(request.getString("deviceNumber")).isEqualTo(traced.number());

            assertThat(request.getStartTime()).as("%s starts inside the call [%s, %s]", step, call.getStartTime(), call.getEndTime())
                    .isAfterOrEqualTo(call.getStartTime());
            assertThat(request.getEndTime()).as("%s ends inside the call [%s, %s]", step, call.getStartTime(), call.getEndTime())
                    .isBeforeOrEqualTo(call.getEndTime());
            if (syscallStart) {
                assertThat(request.getInstant("syscallStart")).as("%s's system call starts inside the call", step)
                        .isBetween(call.getStartTime(), request.getStartTime());
            } else {
                assertThat(request.getLong("syscallStart")).as("%s: no system call start without syscallStart=on", step)
                        .isEqualTo(Long.MIN_VALUE);
            }

            long allocation = request.getLong("allocationTime");
            long insert = request.getLong("insertTime");
            long queue = request.getLong("queueTime");
            long service = request.getLong("serviceTime");
            assertThat(allocation).as("allocation time of %s", step).isBetween(0L, queue);
            if (insert != Long.MIN_VALUE) {
                assertThat(insert).as("insert time of %s", step).isBetween(allocation, queue);
            }
            assertThat(service).as("service time of %s", step).isPositive();
            assertThat(Duration.ofNanos(queue + service).minus(request.getDuration()).abs())
                    .as("queue + service time of %s make its duration", step).isLessThan(Duration.ofNanos(2_000));
        }
    }

}
