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
 *
 * <p>At the JVM's exit ({@link #hurry}, {@link #awaitSent}) what waits is tried at once, without backoff, each try
 * given only the time left before a deadline; what is not taken by then is dropped and counted, and the JVM exits
 * without waiting for it.
 */
final class PushSender implements AutoCloseable {
    /** One interval's profile, ready to send. */
    record Payload(byte[] bytes, long requests, long fromSeconds, long untilSeconds) {
    }

    /**
     * What happened at exit: profiles sent since {@link #hurry}, those dropped at the deadline (with their requests),
     * and why the last try failed ("" when none did).
     */
    record Outcome(long sent, int dropped, long droppedRequests, String failure) {
    }

    static final int MAX_QUEUED = 8;
    static final long MAX_QUEUED_BYTES = 32L << 20;
    static final int MAX_ATTEMPTS = 8;
    static final long FIRST_BACKOFF_MILLIS = 1_000;
    static final long MAX_BACKOFF_MILLIS = 60_000;
    /** At exit: the pause before another try of a profile that failed (a receiver that refuses at once). */
    static final long EXIT_RETRY_MILLIS = 100;

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
    /** At exit: when what waits must be sent by (System.nanoTime()); meaningful once exiting is set. */
    private volatile long exitDeadline;
    private volatile boolean exiting;
    private volatile String lastFailure = "";
    /** A try is under way (this thread is connecting or waiting for the answer). */
    private volatile boolean sending;
    private long sentBeforeExit;

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
            int timeout = sender.timeoutMillis();
            if (exiting) {
                long left = (exitDeadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                timeout = (int) Math.min(timeout, left);
            }
            String failure;
            boolean retry;
            try {
                sending = true;
                sender.send(payload.bytes(), service, labels, payload.fromSeconds(), payload.untilSeconds(), timeout);
                finished(payload, true);
                attempts = 0;
                if (failing) {
                    failing = false;
                    if (!exiting) {
                        Log.info("push: " + sender.endpoint() + " takes profiles again");
                    }
                }
                continue;
            } catch (ProfileSender.SendException e) {
                failure = sender.redacted(e.getMessage());
                retry = e.retryable();
            } catch (IOException | RuntimeException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + sender.redacted(e.getMessage()));
                retry = true;
            } finally {
                sending = false;
            }
            lastFailure = failure;
            attempts++;
            if (!failing) {
                failing = true;
                // At exit the one line that ends the push says it.
                if (!exiting) {
                    Log.warn("push: sending a profile to " + sender.endpoint() + " failed (" + failure + "); the agent goes on,"
                            + (retry ? " tries again with backoff," : "") + " and counts the profiles it drops in "
                            + "blkflight.CollectorStatistics (pushProfilesLost)");
                }
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
                    // hurry() wakes it: at exit a profile is tried again after a short pause, not the backoff.
                    if (!exiting) {
                        queue.wait(backoff);
                    }
                    if (exiting) {
                        queue.wait(Math.max(1, Math.min(EXIT_RETRY_MILLIS, (exitDeadline - System.nanoTime()) / 1_000_000)));
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * The JVM exits: from now on what waits is tried at once, without backoff, and no try lasts past the deadline
     * (System.nanoTime()). Never blocks.
     */
    void hurry(long deadlineNanos) {
        synchronized (queue) {
            exitDeadline = deadlineNanos;
            exiting = true;
            sentBeforeExit = sent.get();
            queue.notifyAll();
        }
    }

    /**
     * After {@link #hurry}: waits until every profile waiting is sent or dropped, at most until the deadline; then
     * drops and counts what is left (a send still under way that succeeds before the JVM is gone counts as sent)
     * and stops the thread.
     */
    Outcome awaitSent() {
        synchronized (queue) {
            long left;
            while (!queue.isEmpty() && (left = exitDeadline - System.nanoTime()) > 0) {
                try {
                    queue.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            int dropped = queue.size();
            long droppedRequests = 0;
            while (!queue.isEmpty()) {
                Payload payload = queue.removeFirst();
                droppedRequests += payload.requests();
                drop(payload);
            }
            closed = true;
            queue.notifyAll();
            String failure = dropped == 0 ? "" : sending ? "no answer yet" : lastFailure;
            return new Outcome(sent.get() - sentBeforeExit, dropped, droppedRequests, failure);
        }
    }

    /** The head profile is done: sent, or dropped (unless a full queue, or the exit, dropped it meanwhile). */
    private void finished(Payload payload, boolean wasSent) {
        synchronized (queue) {
            queue.notifyAll();
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

    /** Where profiles go (no user or password). */
    java.net.URI endpoint() {
        return sender.endpoint();
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
