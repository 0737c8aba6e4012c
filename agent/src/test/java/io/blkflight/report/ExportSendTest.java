package io.blkflight.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.perftools.profiles.ProfileProto;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code export --send}: the profile posted to a receiver on loopback that decodes what arrives, an OTLP/HTTP receiver
 * (ExportProfilesServiceRequest in binary protobuf at /v1development/profiles) and a Pyroscope-compatible ingest
 * endpoint (a multipart form with the gzipped pprof profile at /ingest).
 */
class ExportSendTest {
    private record Received(String path, String query, String contentType, byte[] body) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    private String start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        byte[] answer = status == 200 && exchange.getRequestURI().getPath().endsWith("/profiles")
                ? ExportProfilesServiceResponse.getDefaultInstance().toByteArray() : "busy".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            exchange.getResponseBody().write(answer);
        }
        exchange.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReportCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void anOtlpHttpReceiverDecodesTheSameProfilesAsTheFileHolds() throws Exception {
        String url = start();
        String[] result = run("export", "--format", "otlp", "--send", url, "--service", "fixture", "--host", "host-1",
                FixtureRecording.RECORDING.toString());

        assertThat(result[0]).as("exit code; stderr: %s", result[1]).isEqualTo("0");
        assertThat(result[1]).contains("sent 9 requests to " + url + "/v1development/profiles");
        assertThat(received).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/v1development/profiles");
            assertThat(request.contentType()).isEqualTo("application/x-protobuf");
            ExportProfilesServiceRequest decoded = ExportProfilesServiceRequest.parseFrom(request.body());
            Path file = ExportGolden.export("otlp");
            try {
                ExportProfilesServiceRequest written = ExportProfilesServiceRequest.parseFrom(Files.readAllBytes(file));
                assertThat(withoutIds(decoded)).as("what arrived is what the file holds (but the profiles' random ids)")
                        .isEqualTo(withoutIds(written));
            } finally {
                Files.deleteIfExists(file);
            }
        });
    }

    private static ExportProfilesServiceRequest withoutIds(ExportProfilesServiceRequest request) {
        var resource = request.getResourceProfiles(0);
        var scope = resource.getScopeProfiles(0).toBuilder().clearProfiles();
        resource.getScopeProfiles(0).getProfilesList().forEach(profile -> scope.addProfiles(profile.toBuilder().clearProfileId()));
        return request.toBuilder().setResourceProfiles(0, resource.toBuilder().setScopeProfiles(0, scope)).build();
    }

    @Test
    void aPyroscopeIngestEndpointGetsThePprofProfileAndItsSampleTypes() throws Exception {
        String url = start();
        String[] result = run("export", "--format", "pprof", "--send", url + "/", "--service", "shop.orders",
                "--host", "host-1", FixtureRecording.RECORDING.toString());

        assertThat(result[0]).as("exit code; stderr: %s", result[1]).isEqualTo("0");
        Received request = received.get(0);
        assertThat(request.path()).isEqualTo("/ingest");
        String query = URLDecoder.decode(request.query(), StandardCharsets.UTF_8);
        assertThat(query).startsWith("name=shop.orders{host=host-1}&from=").contains("&format=pprof");
        long from = Long.parseLong(query.replaceAll(".*&from=(\\d+).*", "$1"));
        long until = Long.parseLong(query.replaceAll(".*&until=(\\d+).*", "$1"));
        assertThat(until).as("seconds of the requests' span").isGreaterThan(from).isLessThan(from + 5);
        assertThat(request.contentType()).startsWith("multipart/form-data; boundary=");
        String boundary = request.contentType().substring(request.contentType().indexOf("boundary=") + 9);

        byte[] profilePart = part(request.body(), boundary, "profile");
        ProfileProto.Profile profile = ProfileProto.Profile.parseFrom(new GZIPInputStream(new ByteArrayInputStream(profilePart)));
        assertThat(profile.getSampleTypeList()).extracting(t -> profile.getStringTable((int) t.getType()))
                .containsExactly("requests", "bytes", "latency", "queue", "service");
        assertThat(profile.getSampleList().stream().mapToLong(s -> s.getValue(0)).sum()).isEqualTo(9);
        assertThat(new String(part(request.body(), boundary, "sample_type_config"), StandardCharsets.UTF_8))
                .contains("\"latency\":{\"units\":\"nanoseconds\"");
    }

    /** A multipart form's part of that name, as a receiver reads it. */
    private static byte[] part(byte[] body, String boundary, String name) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String header = "Content-Disposition: form-data; name=\"" + name + "\"";
        int at = text.indexOf(header);
        assertThat(at).as("part %s", name).isPositive();
        int start = text.indexOf("\r\n\r\n", at) + 4;
        int end = text.indexOf("\r\n--" + boundary, start);
        return text.substring(start, end).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aReceiverThatAnswersWithAnErrorFailsTheCommandWithItsAnswer() throws Exception {
        String url = start();
        status = 503;
        String[] result = run("export", "--format", "otlp", "--send", url, FixtureRecording.RECORDING.toString());

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[1]).contains("sending the profile to " + url + "/v1development/profiles failed")
                .contains("answered HTTP 503: busy");
    }

    @Test
    void aBadUrlIsAUsageError() {
        String[] result = run("export", "--format", "otlp", "--send", "ftp://x", FixtureRecording.RECORDING.toString());

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[1]).contains("--send: 'ftp://x' is not an http:// or https:// URL with a host");
    }
}
