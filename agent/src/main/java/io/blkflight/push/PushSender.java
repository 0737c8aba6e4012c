package io.blkflight.push;

import io.blkflight.agent.Log;
import io.blkflight.export.ProfileSender;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the agent's profiles on a thread of its own, never on an application thread or the collector's: a bounded
 * queue of profiles waiting (the oldest dropped and counted when a new one finds it full), each tried until it is
 * taken, with a backoff that doubles after each failure (from 1 s, at most {@link #MAX_BACKOFF_MILLIS}, with
 * jitter), and dropped and counted after {@link #MAX_ATTEMPTS} tries or at once when the receiver refuses it for good
 * (an HTTP 4xx but 429). A receiver that is down, refuses or stalls costs a connection attempt or a timeout per
 * try on this thread, nothing else.
 */
final class PushSender implements AutoCloseable {
    /** One interval's profile, ready to send. */
    record Payload(byte[] bytes, long requests, long fromSeconds, long untilSeconds) {
    }

    static final int MAX_QUEUED = 8;
    static final long MAX_QUEUED_BYTES = 32L << 20;
    static final int MAX_ATTEMPTS = 8;
    static final long FIRST_BACKOFF_MILLIS = 1_000;
    static final long MAX_BACKOFF_MILLIS = 60_000;

    private final ProfileSender sender;
    private final String service;
    private final Map<String, String> labels;
    private final long firstBackoffMillis;
    private final ArrayDeque<Payload> queue = new ArrayDeque<>();
    private long queuedBytes;
    private final Thread thread;
    private volatile boolean closed;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong requestsLost = new AtomicLong();
    private boolean failing;

    PushSender(ProfileSender sender, String service, Map<String, String> labels, long firstBackoffMillis) {
        this.sender = sender;
        this.service = service;
        this.labels = Map.copyOf(labels);
        this.firstBackoffMillis = firstBackoffMillis;
        this.thread = new Thread(this::run, "blkflight push");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a profile; never blocks. A full queue drops its oldest profile, counted. */
    void offer(Payload payload) {
        synchronized (queue) {
            while (!queue.isEmpty() && (queue.size() >= MAX_QUEUED || queuedBytes + payload.bytes().length > MAX_QUEUED_BYTES)) {
                drop(queue.removeFirst());
            }
            queue.addLast(payload);
            queuedBytes += payload.bytes().length;
            queue.notifyAll();
        }
    }

    private void drop(Payload payload) {
        queuedBytes -= payload.bytes().length;
        lost.incrementAndGet();
        requestsLost.addAndGet(payload.requests());
    }

    private void run() {
        int attempts = 0;
        while (!closed) {
            Payload payload;
            synchronized (queue) {
                while (queue.isEmpty() && !closed) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                payload = queue.peekFirst();
            }
            String failure;
            boolean retry;
            try {
                sender.send(payload.bytes(), service, labels, payload.fromSeconds(), payload.untilSeconds());
                finished(payload, true);
                attempts = 0;
                if (failing) {
                    failing = false;
                    Log.info("push: " + sender.endpoint() + " takes profiles again");
                }
                continue;
            } catch (ProfileSender.SendException e) {
                failure = e.getMessage();
                retry = e.retryable();
            } catch (IOException | RuntimeException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                retry = true;
            }
            attempts++;
            if (!failing) {
                failing = true;
                Log.warn("push: sending a profile to " + sender.endpoint() + " failed (" + failure + "); the agent goes on,"
                        + (retry ? " tries again with backoff," : "") + " and counts the profiles it drops in "
                        + "blkflight.CollectorStatistics (pushProfilesLost)");
            }
            if (!retry || attempts >= MAX_ATTEMPTS) {
                finished(payload, false);
                attempts = 0;
                continue;
            }
            long backoff = Math.min(MAX_BACKOFF_MILLIS, firstBackoffMillis << Math.min(attempts - 1, 20));
            backoff += ThreadLocalRandom.current().nextLong(backoff / 4 + 1);
            synchronized (queue) {
                try {
                    queue.wait(backoff);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The head profile is done: sent, or dropped (unless a full queue dropped it meanwhile). */
    private void finished(Payload payload, boolean wasSent) {
        synchronized (queue) {
            if (queue.peekFirst() == payload) {
                queue.removeFirst();
                if (wasSent) {
                    queuedBytes -= payload.bytes().length;
                    sent.incrementAndGet();
                } else {
                    drop(payload);
                }
            } else if (wasSent) {
                sent.incrementAndGet();
                lost.decrementAndGet();
                requestsLost.addAndGet(-payload.requests());
            }
        }
    }

    long sent() {
        return sent.get();
    }

    long lost() {
        return lost.get();
    }

    long requestsLost() {
        return requestsLost.get();
    }

    /** Profiles waiting. */
    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (queue) {
            queue.notifyAll();
        }
    }
}
