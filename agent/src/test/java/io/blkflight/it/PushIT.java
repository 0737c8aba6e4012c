package io.blkflight.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.Sample;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push= against the real kernel: a child JVM under the agent reads a file on a loop device with O_DIRECT for eight
 * seconds and pushes an OTLP profile every two seconds to a receiver on loopback that decodes what arrives with OTLP's
 * definitions. The receiver stalls its first answer for five seconds (past the agent's two-second timeout): the
 * agent tries that profile again and the workload goes on as before.
 */
class PushIT {
    @TempDir
    Path work;

    @Test
    void theAgentPushesEachIntervalsRequestsWithTheirJavaCallsAndGetsOverAStalledReceiver() throws Exception {
        Privileges.requireRoot();
        List<ExportProfilesServiceRequest> received = new CopyOnWriteArrayList<>();
        AtomicInteger posts = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/v1development/profiles", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (posts.incrementAndGet() == 1) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                received.add(ExportProfilesServiceRequest.parseFrom(body));
            }
            byte[] answer = ExportProfilesServiceResponse.getDefaultInstance().toByteArray();
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.close();
        });
        server.start();
        try (LoopDevice device = LoopDevice.create("push", 32)) {
            Path file = device.mountPoint().resolve("data.bin");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.allocate(4 << 20));
                channel.force(true);
            }
            Path recording = work.resolve("push.jfr");
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                    .withAgent("devices=" + device.name() + ",output=" + recording + ",push=http://127.0.0.1:"
                            + server.getAddress().getPort() + ",pushInterval=2s,pushFormat=otlp")
                    .run(PushWorkload.class.getName(), file.toString(), "8");
            assertThat(result.exitCode()).as("workload; stderr: %s", result.stderr()).isZero();
            assertThat(result.stderr()).contains("pushing a otlp profile of the block I/O every 2 s to http://127.0.0.1:")
                    .contains("push: sending a profile to").contains("takes profiles again");

            assertThat(posts.get()).as("profiles posted (the stalled one twice)").isGreaterThanOrEqualTo(3);
            assertThat(received).as("profiles decoded").hasSizeGreaterThanOrEqualTo(2);
            long pushedReads = 0;
            boolean sawJavaAboveKernel = false;
            for (ExportProfilesServiceRequest request : received) {
                ProfilesDictionary dictionary = request.getDictionary();
                assertThat(request.getResourceProfiles(0).getResource().getAttributesList())
                        .extracting(a -> a.getKey() + "=" + a.getValue().getStringValue())
                        .contains("service.name=" + PushWorkload.class.getName());
                Profile requests = request.getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);
                assertThat(dictionary.getStringTable(requests.getSampleType().getTypeStrindex())).isEqualTo("requests");
                for (Sample sample : requests.getSamplesList()) {
                    List<String> attributes = sample.getAttributeIndicesList().stream().map(dictionary::getAttributeTable)
                            .map(a -> dictionary.getStringTable(a.getKeyStrindex()) + "=" + a.getValue().getStringValue())
                            .collect(Collectors.toList());
                    if (attributes.contains("thread=push-reader") && attributes.contains("operation=read")) {
                        pushedReads += sample.getValues(0);
                        List<String> stack = dictionary.getStackTable(sample.getStackIndex()).getLocationIndicesList().stream()
                                .map(i -> dictionary.getStringTable(dictionary.getFunctionTable(
                                        dictionary.getLocationTable(i).getLines(0).getFunctionIndex()).getNameStrindex()))
                                .collect(Collectors.toList());
                        int java = stack.indexOf("io.blkflight.it.PushWorkload.lambda$main$0");
                        int syscall = stack.indexOf("__x64_sys_pread64");
                        sawJavaAboveKernel |= java > 0 && syscall > 0 && syscall < java;
                    }
                }
            }
            assertThat(sawJavaAboveKernel).as("a pushed read's stack: the workload's call above the kernel's pread64").isTrue();
            long reads = Long.parseLong(result.stdout().replaceAll("(?s).*reads (\\d+).*", "$1"));
            assertThat(pushedReads).as("the push.reader's reads pushed (the last interval is not: the JVM exits first)")
                    .isGreaterThan(reads / 4).isLessThanOrEqualTo(reads);

            RecordedEvent statistics = null;
            for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
                if (event.getEventType().getName().equals("blkflight.CollectorStatistics")) {
                    statistics = event;
                }
            }
            assertThat(statistics).isNotNull();
            assertThat(statistics.getLong("pushProfilesSent")).isGreaterThanOrEqualTo(2);
            assertThat(statistics.getLong("pushProfilesLost")).isZero();
        } finally {
            server.stop(0);
        }
    }
}
