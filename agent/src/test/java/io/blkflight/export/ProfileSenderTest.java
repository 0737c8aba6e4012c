package io.blkflight.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Authentication for receivers behind it: a URL's user and password become HTTP Basic authentication, headers are
 * sent as given, and neither ever shows in a URL or message meant for a person.
 */
class ProfileSenderTest {
    private HttpServer server;
    private final List<Headers> received = new CopyOnWriteArrayList<>();
    private volatile String answer = "";
    private volatile int status = 200;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private int serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestHeaders());
            int status = this.status;
            if (status == 401) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"profiles\"");
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    /** The headers the receiver got, but those every HTTP/1.1 client sends. */
    private Map<String, String> sentHeaders() {
        Map<String, String> headers = new TreeMap<>();
        received.get(0).forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join("|", values)));
        headers.keySet().removeAll(List.of("host", "accept", "connection", "content-length", "content-type", "user-agent",
                "cache-control", "pragma"));
        return headers;
    }

    @Test
    void aUrlsUserAndPasswordAreBasicAuthenticationAndTheHeadersGoAsGiven() throws Exception {
        int port = serve();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Scope-OrgID", "tenant-7");
        headers.put("X-Api-Key", "k3y-value");
        ProfileSender sender = new ProfileSender("http://12345:glc_p%40ss%3Aword@127.0.0.1:" + port, ProfileSender.Format.PPROF,
                2_000, headers);
        sender.send(new byte[] {1, 2, 3}, "svc", Map.of(), 1, 2);
        assertThat(sentHeaders()).as("exactly the authentication and the headers given").containsExactly(
                Map.entry("authorization", "Basic " + Base64.getEncoder().encodeToString("12345:glc_p@ss:word".getBytes(StandardCharsets.UTF_8))),
                Map.entry("x-api-key", "k3y-value"), Map.entry("x-scope-orgid", "tenant-7"));
        assertThat(sender.endpoint().toString()).as("where profiles go, shown without the user and password")
                .isEqualTo("http://127.0.0.1:" + port + "/ingest");
        assertThat(sender.headerNames()).containsExactly("Authorization", "X-Scope-OrgID", "X-Api-Key");
    }

    @Test
    void aReceiversAnswerNeverShowsASecretInTheMessage() throws Exception {
        int port = serve();
        status = 400;
        answer = "bad token Bearer s3cr3t-token for user svc:pa55word";
        ProfileSender sender = new ProfileSender("http://svc:pa55word@127.0.0.1:" + port, ProfileSender.Format.OTLP, 2_000,
                Map.of());
        assertThatThrownBy(() -> sender.send(new byte[] {1}, "svc", Map.of(), 1, 2))
                .isInstanceOf(ProfileSender.SendException.class)
                .hasMessageContaining("answered HTTP 400: bad token").hasMessageNotContaining("pa55word");
        ProfileSender bearer = new ProfileSender("http://127.0.0.1:" + port, ProfileSender.Format.OTLP, 2_000,
                Map.of("Authorization", "Bearer s3cr3t-token"));
        assertThatThrownBy(() -> bearer.send(new byte[] {1}, "svc", Map.of(), 1, 2))
                .hasMessageContaining("answered HTTP 400: bad token").hasMessageNotContaining("s3cr3t");

        // A challenge (401 with WWW-Authenticate) is refused credentials, said so, and not tried again.
        status = 401;
        assertThatThrownBy(() -> sender.send(new byte[] {1}, "svc", Map.of(), 1, 2))
                .isInstanceOfSatisfying(ProfileSender.SendException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("answered HTTP 401: authentication refused").hasMessageNotContaining("pa55word");
    }

    @Test
    void aUrlIsShownWithItsPasswordMasked() {
        assertThat(ProfileSender.shown("https://user:secret@profiles.grafana.net/ingest")).isEqualTo("https://user:***@profiles.grafana.net/ingest");
        assertThat(ProfileSender.shown("https://t0ken@host:443")).as("a user alone may be a token").isEqualTo("https://***@host:443");
        assertThat(ProfileSender.shown("https://host:4040/p@th")).as("an @ in the path is no user").isEqualTo("https://host:4040/p@th");
        assertThat(ProfileSender.shown("output=a.jfr,push=https://u:p@ss@h,pushFormat=otlp"))
                .as("options text; a raw @ in the password").isEqualTo("output=a.jfr,push=https://u:***@h,pushFormat=otlp");
        assertThatThrownBy(() -> ProfileSender.endpoint("https://u:p@ss:x@h", ProfileSender.Format.PPROF))
                .hasMessageNotContaining("ss:x").hasMessageContaining("percent-encoded");
    }

    @Test
    void authorizationFromBothTheUrlAndTheHeadersIsRefused() {
        assertThatThrownBy(() -> new ProfileSender("https://u:p@host", ProfileSender.Format.OTLP, 1_000,
                Map.of("authorization", "Bearer x")))
                .hasMessage("both the URL's user:password and the headers give Authorization; give one");
    }
}
