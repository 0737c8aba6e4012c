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
    private volatile long stallMillis = 2_000;
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();

    @AfterEach
    void stop() {
        released.countDown();
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
            posts.incrementAndGet();
            try {
                if (mode == Mode.STALL) {
                    released.await(stallMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
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

    @Test
    void atExitWhatWaitsIsSentAtOnceWithoutTheBackoff() throws Exception {
        mode = Mode.BUSY;
        int port = freePort();
        serve(port);
        ProfileSender sender = new ProfileSender("http://127.0.0.1:" + port, ProfileSender.Format.OTLP, 5_000);
        try (PushSender push = new PushSender(sender, "svc", Map.of(), 60_000)) {
            push.start();
            for (int i = 0; i < 3; i++) {
                push.offer(payload(i));
            }
            waitFor(() -> posts.get() > 0, 5_000);
            Thread.sleep(100);
            assertThat(delivered).as("503: waits its backoff (a minute here)").isEmpty();

            mode = Mode.OK;
            long exit = System.nanoTime();
            push.hurry(exit + 2_000_000_000L);
            push.offer(payload(3));
            PushSender.Outcome outcome = push.awaitSent();
            assertThat(outcome.sent()).as("the three waiting and the last, sent at once, not after the backoff").isEqualTo(4);
            assertThat(outcome.dropped()).isZero();
            assertThat(delivered).containsExactly("profile-0", "profile-1", "profile-2", "profile-3");
            assertThat(push.lost()).isZero();
        }
    }

    @Test
    void atExitAStalledReceiverCostsTheDeadlineAndWhatWaitedIsCountedLost() throws Exception {
        mode = Mode.STALL;
        stallMillis = 30_000;
        int port = freePort();
        serve(port);
        ProfileSender sender = new ProfileSender("http://127.0.0.1:" + port, ProfileSender.Format.OTLP, 20_000);
        try (PushSender push = new PushSender(sender, "svc", Map.of(), 1_000)) {
            push.start();
            push.offer(payload(0));
            waitFor(() -> posts.get() > 0, 5_000);

            long exit = System.nanoTime();
            push.hurry(exit + 500_000_000L);
            push.offer(payload(1));
            PushSender.Outcome outcome = push.awaitSent();
            long took = System.nanoTime() - exit;
            assertThat(took).as("awaitSent returns at the deadline (500 ms), not after the 20 s timeout; a bound, generous")
                    .isLessThan(1_500_000_000L);
            assertThat(outcome.sent()).isZero();
            assertThat(outcome.dropped()).as("the one under way and the last").isEqualTo(2);
            assertThat(outcome.droppedRequests()).isEqualTo(20);
            assertThat(push.lost()).isEqualTo(2);
            assertThat(push.requestsLost()).isEqualTo(20);
        }
    }
}
