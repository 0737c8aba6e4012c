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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * push= against the real kernel: a child JVM under the agent reads a file on a loop device with O_DIRECT for eight
 * seconds and pushes an OTLP profile every two seconds to a receiver on loopback that decodes what arrives with OTLP's
 * definitions. The receiver stalls its first answer for five seconds (past the agent's two-second timeout): the
 * agent tries that profile again and the workload goes on as before. The other tests: the last interval sent at exit
 * with the headers given (authentication), a stalled receiver at exit, a headers file that cannot be used.
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
            Path file = dataFile(device);
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
            long pushedReads = pushedReads(received);
            boolean sawJavaAboveKernel = received.stream().anyMatch(PushIT::javaAboveKernel);
            assertThat(sawJavaAboveKernel).as("a pushed read's stack: the workload's call above the kernel's pread64").isTrue();
            long reads = Long.parseLong(result.stdout().replaceAll("(?s).*reads (\\d+).*", "$1"));
            assertThat(pushedReads).as("the push-reader's reads pushed, the last interval's at exit").isEqualTo(reads);

            RecordedEvent statistics = null;
            for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
                if (event.getEventType().getName().equals("blkflight.CollectorStatistics")) {
                    statistics = event;
                }
            }
            assertThat(statistics).isNotNull();
            assertThat(statistics.getLong("pushProfilesSent")).as("sent before the recording's end (the last is sent after)")
                    .isGreaterThanOrEqualTo(2);
            assertThat(statistics.getLong("pushProfilesLost")).isZero();
        } finally {
            server.stop(0);
        }
    }

    /** The push-reader's reads in these profiles, each checked to name the service. */
    private static long pushedReads(List<ExportProfilesServiceRequest> received) {
        long reads = 0;
        for (ExportProfilesServiceRequest request : received) {
            ProfilesDictionary dictionary = request.getDictionary();
            assertThat(request.getResourceProfiles(0).getResource().getAttributesList())
                    .extracting(a -> a.getKey() + "=" + a.getValue().getStringValue())
                    .contains("service.name=" + PushWorkload.class.getName());
            Profile requests = request.getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);
            assertThat(dictionary.getStringTable(requests.getSampleType().getTypeStrindex())).isEqualTo("requests");
            for (Sample sample : requests.getSamplesList()) {
                List<String> attributes = attributes(dictionary, sample);
                if (attributes.contains("thread=push-reader") && attributes.contains("operation=read")) {
                    reads += sample.getValues(0);
                }
            }
        }
        return reads;
    }

    private static List<String> attributes(ProfilesDictionary dictionary, Sample sample) {
        return sample.getAttributeIndicesList().stream().map(dictionary::getAttributeTable)
                .map(a -> dictionary.getStringTable(a.getKeyStrindex()) + "=" + a.getValue().getStringValue())
                .collect(Collectors.toList());
    }

    /** Whether a read of the push-reader has the workload's call above the kernel's pread64. */
    private static boolean javaAboveKernel(ExportProfilesServiceRequest request) {
        ProfilesDictionary dictionary = request.getDictionary();
        Profile requests = request.getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);
        for (Sample sample : requests.getSamplesList()) {
            List<String> attributes = attributes(dictionary, sample);
            if (attributes.contains("thread=push-reader") && attributes.contains("operation=read")) {
                List<String> stack = dictionary.getStackTable(sample.getStackIndex()).getLocationIndicesList().stream()
                        .map(i -> dictionary.getStringTable(dictionary.getFunctionTable(
                                dictionary.getLocationTable(i).getLines(0).getFunctionIndex()).getNameStrindex()))
                        .collect(Collectors.toList());
                int java = stack.indexOf("io.blkflight.it.PushWorkload.lambda$main$0");
                int syscall = stack.indexOf("__x64_sys_pread64");
                if (java > 0 && syscall > 0 && syscall < java) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A loop device with a 4 MiB file for PushWorkload. */
    private static Path dataFile(LoopDevice device) throws Exception {
        Path file = device.mountPoint().resolve("data.bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4 << 20));
            channel.force(true);
        }
        return file;
    }

    /** How long the JVM took from the end of main to its exit, as the test saw it end. */
    private static long exitMillis(Commands.Result result, long endedMillis) {
        return endedMillis - Long.parseLong(result.stdout().replaceAll("(?s).*main ends at (\\d+).*", "$1"));
    }

    /**
     * A JVM that exits before its first interval ends (60 s) sends that interval's profile at exit, holding every
     * read of the workload; with the headers of OTLP's variable (the profiles one, not the general one), of the
     * pushHeaders file, and the URL's user and password as Basic authentication: exactly these. None of their
     * values is in the agent's lines or the recording; the URL's password shows masked.
     */
    @ParameterizedTest
    @ValueSource(strings = {ChildJvm.JDK_17, ChildJvm.JDK_25})
    void theLastIntervalIsSentAtExitWithTheHeadersGiven(String jdk) throws Exception {
        Privileges.requireRoot();
        List<ExportProfilesServiceRequest> received = new CopyOnWriteArrayList<>();
        List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1development/profiles", exchange -> {
            Map<String, String> sent = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> sent.put(name.toLowerCase(Locale.ROOT), String.join("|", values)));
            headers.add(sent);
            received.add(ExportProfilesServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        Path headersFile = work.resolve("push-headers");
        Files.writeString(headersFile, "# the tenant's key\nX-Api-Key: k3y-s3cret\n");
        try (LoopDevice device = LoopDevice.create("pushexit", 32)) {
            Path file = dataFile(device);
            Path recording = work.resolve("exit.jfr");
            Commands.Result result = ChildJvm.of(jdk)
                    .environment("OTEL_EXPORTER_OTLP_PROFILES_HEADERS", "x-tenant=team%20a")
                    .environment("OTEL_EXPORTER_OTLP_HEADERS", "x-ignored=general")
                    .withAgent("devices=" + device.name() + ",output=" + recording + ",push=http://svc:pa55word@127.0.0.1:"
                            + server.getAddress().getPort() + ",pushFormat=otlp,pushHeaders=" + headersFile)
                    .run(PushWorkload.class.getName(), file.toString(), "3");
            assertThat(result.exitCode()).as("workload; stderr: %s", result.stderr()).isZero();
            long reads = Long.parseLong(result.stdout().replaceAll("(?s).*reads (\\d+).*", "$1"));

            assertThat(received).as("one profile, the unfinished interval's, sent at exit; stderr: %s", result.stderr()).hasSize(1);
            assertThat(pushedReads(received)).as("every read of the workload in it; %s", result.stderr()).isEqualTo(reads);
            assertThat(javaAboveKernel(received.get(0))).as("linked to the workload's call").isTrue();
            Profile profile = received.get(0).getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);
            assertThat(profile.getDurationNano()).as("its time range is its requests' (3 s of reads), not the interval's 60 s")
                    .isBetween(2_000_000_000L, 4_000_000_000L);

            Map<String, String> sent = new TreeMap<>(headers.get(0));
            sent.keySet().removeAll(List.of("host", "accept", "connection", "content-length", "content-type", "user-agent",
                    "cache-control", "pragma"));
            assertThat(sent).as("exactly the headers given").containsExactly(
                    Map.entry("authorization", "Basic " + Base64.getEncoder().encodeToString("svc:pa55word".getBytes(StandardCharsets.UTF_8))),
                    Map.entry("x-api-key", "k3y-s3cret"), Map.entry("x-tenant", "team a"));

            assertThat(result.stderr()).contains("to http://svc:***@127.0.0.1:" + server.getAddress().getPort()
                    + "/v1development/profiles with the headers x-tenant, X-Api-Key");
            for (String secret : List.of("pa55word", "k3y-s3cret", "team a", "team%20a")) {
                assertThat(result.stderr()).as("the agent's lines").doesNotContain(secret);
            }
            int configurations = 0;
            for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
                String name = event.getEventType().getName();
                if (name.equals("blkflight.CollectorConfiguration")) {
                    configurations++;
                    assertThat(event.getString("options")).contains("push=http://svc:***@127.0.0.1:").doesNotContain("pa55word");
                }
                for (jdk.jfr.ValueDescriptor field : event.getFields()) {
                    if (field.getTypeName().equals("java.lang.String") && event.getValue(field.getName()) != null) {
                        String value = event.getValue(field.getName());
                        for (String secret : List.of("k3y-s3cret", "team a", "team%20a")) {
                            assertThat(value).as("%s.%s", name, field.getName()).doesNotContain(secret);
                        }
                    }
                }
            }
            assertThat(configurations).isPositive();
        } finally {
            server.stop(0);
        }
    }

    /**
     * A receiver that takes the connection and never answers holds the exit no longer than the push's bound (2 s):
     * the JVM exits, the profile it could not send is counted and one line says so.
     */
    @Test
    void aStalledReceiverHoldsTheExitNoLongerThanTheBound() throws Exception {
        Privileges.requireRoot();
        CountDownLatch released = new CountDownLatch(1);
        AtomicInteger posts = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "stalled receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/ingest", exchange -> {
            exchange.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try (LoopDevice device = LoopDevice.create("pushstall", 32)) {
            Path file = dataFile(device);
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                    .withAgent("devices=" + device.name() + ",push=http://127.0.0.1:" + server.getAddress().getPort())
                    .run(PushWorkload.class.getName(), file.toString(), "2");
            long ended = System.currentTimeMillis();
            assertThat(result.exitCode()).as("workload; stderr: %s", result.stderr()).isZero();
            assertThat(posts.get()).as("the last interval's profile was tried").isPositive();
            long exit = exitMillis(result, ended);
            System.out.println("PushIT: a stalled receiver at exit: " + exit + " ms from the end of main to the JVM's exit");
            assertThat(exit).as("from main's end to the JVM's exit: the push's 2 s and a generous"
                    + " margin, not the sender's 20 s timeout; stderr: %s", result.stderr()).isLessThan(6_000);
            assertThat(result.agentLines()).anySatisfy(line -> assertThat(line).startsWith(
                    "[blkflight] warning: push: at exit, 1 profile (").contains("could not be sent to http://127.0.0.1:"
                    + server.getAddress().getPort() + "/ingest within 2000 ms").endsWith("counted in pushProfilesLost"));
        } finally {
            released.countDown();
            server.stop(0);
        }
    }

    /** A headers file that cannot be used stops the push with one clear line; the rest of the agent runs on. */
    @Test
    void aMalformedHeadersFileStopsThePushOnly() throws Exception {
        Privileges.requireRoot();
        Path headersFile = work.resolve("bad-headers");
        Files.writeString(headersFile, "X-Api-Key: fine\nBearer s3cret-token\n");
        try (LoopDevice device = LoopDevice.create("pushbad", 32)) {
            Path file = dataFile(device);
            Path recording = work.resolve("bad.jfr");
            Commands.Result result = ChildJvm.of(ChildJvm.JDK_17)
                    .withAgent("devices=" + device.name() + ",output=" + recording + ",push=http://127.0.0.1:9,pushHeaders="
                            + headersFile)
                    .run(PushWorkload.class.getName(), file.toString(), "1");
            assertThat(result.exitCode()).as("workload; stderr: %s", result.stderr()).isZero();
            assertThat(result.agentLines()).contains("[blkflight] warning: push not started, the rest runs on: headers file "
                    + headersFile + ", line 2: no ':' between a header's name and its value; each line is 'Name: value',"
                    + " e.g. 'Authorization: Bearer TOKEN'");
            assertThat(result.stderr()).doesNotContain("s3cret").doesNotContain("pushing a");
            long requests = RecordingFile.readAllEvents(recording).stream()
                    .filter(event -> event.getEventType().getName().equals("blkflight.CompactRequest")).count();
            assertThat(requests).as("the collector recorded on").isPositive();
        }
    }
}
