package io.blkflight.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;

import io.blkflight.export.ProfileSender;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The push's sender against a receiver on loopback that refuses connections, then stalls (accepts and does not
 * answer), then answers with errors, then comes back: queuing never blocks, what does not fit is dropped and counted,
 * and what waited is delivered once the receiver takes profiles again.
 */
class PushSenderTest {
    private enum Mode { STALL, BUSY, OK }

    private HttpServer server;
    private volatile Mode mode = Mode.STALL;
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void serve(int port) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                if (mode == Mode.STALL) {
                    Thread.sleep(2_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = mode == Mode.OK ? 200 : 503;
            if (status == 200) {
                delivered.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    private static PushSender.Payload payload(int i) {
        return new PushSender.Payload(("profile-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), 10, 1, 2);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    @Test
    void aReceiverThatRefusesStallsAndComesBackCostsDroppedProfilesOnlyAndNeverBlocks() throws Exception {
        int port = freePort();
        ProfileSender sender = new ProfileSender("http://127.0.0.1:" + port, ProfileSender.Format.OTLP, 300);
        try (PushSender push = new PushSender(sender, "svc", Map.of(), 20)) {
            push.start();
            // Refused: nothing listens. Twenty profiles offered at once: never blocks, the queue keeps the newest eight.
            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                push.offer(payload(i));
            }
            assertThat(System.nanoTime() - started).as("offering never waits for the receiver").isLessThan(100_000_000L);
            assertThat(push.queued()).isEqualTo(PushSender.MAX_QUEUED);
            assertThat(push.lost()).isEqualTo(20 - PushSender.MAX_QUEUED);
            assertThat(push.requestsLost()).isEqualTo(10L * (20 - PushSender.MAX_QUEUED));
            Thread.sleep(200);

            // Stalls: accepts, answers after 2 s, beyond the 300 ms timeout.
            serve(port);
            Thread.sleep(700);
            assertThat(delivered).isEmpty();

            // Answers with errors the receiver may get over (503): retried, not dropped yet.
            mode = Mode.BUSY;
            Thread.sleep(300);
            assertThat(delivered).isEmpty();

            // Back: what waited arrives, in order, and the counts add up.
            mode = Mode.OK;
            waitFor(() -> push.queued() == 0, 20_000);
            assertThat(push.queued()).as("every profile taken or dropped").isZero();
            assertThat(push.sent() + push.lost()).as("every profile offered is sent or counted lost").isEqualTo(20);
            assertThat(push.sent()).as("profiles sent once the receiver came back").isPositive();
            assertThat(delivered).hasSize((int) push.sent());
            assertThat(delivered.get(delivered.size() - 1)).isEqualTo("profile-19");
            assertThat(push.requestsLost()).isEqualTo(10 * push.lost());
        }
    }

    @Test
    void aProfileTheReceiverRefusesForGoodIsDroppedAtOnce() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
        });
        server.start();
        ProfileSender sender = new ProfileSender("http://127.0.0.1:" + server.getAddress().getPort(),
                ProfileSender.Format.OTLP, 1_000);
        try (PushSender push = new PushSender(sender, "svc", Map.of(), 10_000)) {
            push.start();
            push.offer(payload(1));
            waitFor(() -> push.lost() == 1, 5_000);
            assertThat(push.lost()).as("a 400 is not retried (the backoff here is 10 s)").isEqualTo(1);
            assertThat(push.sent()).isZero();
        }
    }
}
