package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent attached to a JVM that is already running (agentmain): it follows I/O from then on, and
 * names Java threads that existed before it came as well as new ones. A second attach is ignored.
 */
class AttachIT {
    @TempDir
    Path work;

    @Test
    void attachedAgentRecordsOldAndNewThreads() throws Exception {
        Privileges.requireRoot();
        try (LoopDevice device = LoopDevice.create("attach", 32)) {
            Path file = device.zeroFile("attach.bin", 16);
            Path recording = work.resolve("attached.jfr");
            List<String> command = ChildJvm.of(ChildJvm.JDK_17).command(AttachTargetWorkload.class.getName(), file.toString());
            Process target = new ProcessBuilder(command).redirectError(work.resolve("stderr.txt").toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
                String ready = out.readLine();
                assertThat(ready).as("the target's first line").startsWith("ready ");
                VirtualMachine vm = VirtualMachine.attach(ready.substring("ready ".length()));
                try {
                    String agent = ChildJvm.agentJar().toAbsolutePath().toString();
                    vm.loadAgent(agent, "output=" + recording + ",devices=" + device.name());
                    vm.loadAgent(agent, "scope=all");
                } finally {
                    vm.detach();
                }
                try (Writer in = new OutputStreamWriter(target.getOutputStream(), StandardCharsets.UTF_8)) {
                    in.write("go\n");
                }
                assertThat(out.readLine()).isEqualTo("done");
                assertThat(target.waitFor(60, TimeUnit.SECONDS)).as("the target exits").isTrue();
                assertThat(target.exitValue()).isZero();
            } finally {
                target.destroyForcibly();
            }
            List<String> agentLines = java.nio.file.Files.readAllLines(work.resolve("stderr.txt")).stream()
                    .filter(l -> l.startsWith("[blkflight]")).collect(Collectors.toList());
            assertThat(agentLines).as("what the agent printed").hasSize(2);
            assertThat(agentLines.get(0)).contains("following block I/O");
            assertThat(agentLines.get(1)).contains("already runs in this JVM").contains("scope=all");

            Recorded recorded = Recorded.read(recording);
            for (long block : new long[] {1, 2}) {
                long sector = device.sectorOf(file, block);
                String thread = block == 1 ? "early-reader" : "late-reader";
                List<Recorded.Request> reads = recorded.requests.stream()
                        .filter(e -> e.getLong("sector") == sector && e.getString("operation").equals("read"))
                        .collect(Collectors.toList());
                assertThat(reads).as("the read of block %d; recorded:%s", block, recorded.describeRequests()).hasSize(1);
                assertThat(reads.get(0).getThread("javaThread")).as("Java thread of the read of block %d", block).isNotNull();
                assertThat(reads.get(0).getThread("javaThread").getJavaName()).isEqualTo(thread);
                assertThat(reads.get(0).getString("syscall")).isEqualTo("pread64");
            }
        }
    }

    @Test
    void attachingToAJvmWhoseThreadsAreBusyResolvesThemAll() throws Exception {
        Privileges.requireRoot();
        try (LoopDevice device = LoopDevice.create("busy-attach", 32)) {
            Path file = device.zeroFile("busy.bin", 256);
            Path recording = work.resolve("busy.jfr");
            List<String> command = ChildJvm.of(ChildJvm.JDK_25).command(BusyAttachTarget.class.getName(), file.toString(), "256");
            Process target = new ProcessBuilder(command).redirectError(work.resolve("busy-stderr.txt").toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
                String ready = out.readLine();
                assertThat(ready).startsWith("ready ");
                VirtualMachine vm = VirtualMachine.attach(ready.substring("ready ".length()));
                try {
                    vm.loadAgent(ChildJvm.agentJar().toAbsolutePath().toString(), "output=" + recording + ",devices=" + device.name());
                } finally {
                    vm.detach();
                }
                try (Writer in = new OutputStreamWriter(target.getOutputStream(), StandardCharsets.UTF_8)) {
                    in.write("go\n");
                }
                assertThat(out.readLine()).isEqualTo("done");
                assertThat(target.waitFor(60, TimeUnit.SECONDS)).isTrue();
            } finally {
                target.destroyForcibly();
            }
            Recorded recorded = Recorded.read(recording);
            assertThat(recorded.requests).as("the busy threads' reads after the attach").hasSizeGreaterThan(100);
            assertThat(recorded.requests).as("each issued by a busy thread that existed before the agent, resolved")
                    .allSatisfy(e -> assertThat(e.getThread("javaThread")).isNotNull()
                            .satisfies(t -> assertThat(t.getJavaName()).startsWith("busy-")));
            assertThat(recorded.lastStatistics().getLong("unresolvedThreads")).isZero();
            // The busy threads' I/O does not wait while the agent starts its recording: what finished in the
            // meantime waits in the ring buffer for it, and each record the kernel side counted as emitted by the
            // last statistics is in the recording. The recording may hold a few more than the last statistics
            // counted as recorded: the threads' I/O runs on while the recording ends, and JFR still takes events
            // into the chunk between its chunk-end statistics and closing the chunk (once in a CI run: 203 of
            // 88,552). None counted as recorded may be missing.
            long recordedByStatistics = recorded.lastStatistics().getLong("requestsRecorded");
            assertThat((long) recorded.requests.size()).as("requests in the recording, against those the last statistics"
                    + " counted as recorded").isGreaterThanOrEqualTo(recordedByStatistics)
                    .isLessThan(recordedByStatistics + 1_000);
            assertThat(recordedByStatistics)
                    .as("requests recorded, against those the kernel side emitted, by the last statistics")
                    .isGreaterThanOrEqualTo(recorded.lastStatistics().getLong("requestsEmitted"))
                    .isLessThan(recorded.lastStatistics().getLong("requestsEmitted") + 1_000);
            assertThat(java.nio.file.Files.readAllLines(work.resolve("busy-stderr.txt")).stream()
                    .filter(l -> l.startsWith("[blkflight]"))).as("one line from the agent").hasSize(1);
        }
    }
}
