package io.blkflight.push;

import io.blkflight.agent.Log;
import io.blkflight.events.PushMarkEvent;
import io.blkflight.export.OtlpExport;
import io.blkflight.export.PprofExport;
import io.blkflight.export.ProfileInfo;
import io.blkflight.export.ProfileSamples;
import io.blkflight.export.ProfileSender;
import io.blkflight.model.BlockRequest;
import io.blkflight.model.EventNames;
import io.blkflight.report.RequestStream;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * Continuous push (agent options push=URL, pushInterval, pushFormat): each interval's requests as one profile, the
 * same as {@code export} would make of that interval of the recording, sent to a Pyroscope-compatible ingest endpoint
 * (pprof) or an OTLP/HTTP receiver (otlp) by {@link PushSender}.
 *
 * <p>Why a JFR stream of the JVM's own events rather than the collector's records: a request's Java call is known only
 * from JFR's own events (jdk.FileRead, FileWrite, FileForce and the method samples, with their stack traces), and it
 * is found by comparing their times with the request's; JFR's stream gives both in JFR's one time base (its ticks
 * converted per chunk), where the collector's kernel times converted by the agent would differ from JFR's by up to a
 * millisecond, more than many calls last. So the requests come back through {@link RequestStream}, which converts and
 * links them with the report's own code: the pushed profile is what {@code export} makes of the recording. The cost is
 * JFR parsing the agent's events once more, in the JVM, on JFR's stream thread.
 *
 * <p>Bounded: requests wait one flush (about a second) for their Java events, at most {@link #MAX_WAITING}; an
 * interval's profile keeps at most {@link #MAX_SAMPLES} distinct samples; Java events are kept for
 * {@link #JAVA_WINDOW_NANOS} (writeback is linked to the call that dirtied its pages up to that long before), fewer
 * when more than {@link #MAX_JAVA_EVENTS} arrived in it; the stream's own recording keeps at most two minutes on disk.
 * What does not fit is counted in pushRequestsLost.
 *
 * <p>At the JVM's exit ({@link #finishAtExit}, after the collector's last drain) the last, unfinished interval is sent
 * too: a {@link PushMarkEvent} committed on the exiting thread after that drain tells the stream when it has read
 * every request recorded before (or the stream ends, when JFR's own shutdown stopped it first); the requests still
 * waiting for their Java events are linked then (theirs were recorded before the mark), and that partial profile
 * (its time range its requests') is sent with the profiles still waiting for a retry, all within a bound. What is
 * not sent by then is dropped and counted, and the JVM exits without waiting for it.
 */
public final class ProfilePush implements AutoCloseable {
    static final int MAX_WAITING = 200_000;
    static final int MAX_SAMPLES = 20_000;
    static final long JAVA_WINDOW_NANOS = 40_000_000_000L;
    static final long SHORT_JAVA_WINDOW_NANOS = 5_000_000_000L;
    static final int MAX_JAVA_EVENTS = 300_000;
    /** Stacks, shapes, addresses and files kept before the index starts over (the agent keeps at most 16,384 shapes). */
    static final int MAX_INDEX_ENTRIES = 100_000;
    /** The longest push may keep the JVM from exiting: to read the last requests and send what waits. */
    public static final long EXIT_BUDGET_NANOS = 2_000_000_000L;
    /**
     * Of that, the longest it waits for the stream to read the last requests: JFR flushes once a second, or
     * sooner when its own shutdown ends the chunk; the rest of the budget is for sending.
     */
    static final long EXIT_READ_NANOS = 1_500_000_000L;

    private final ProfileSender.Format format;
    private final ProfileInfo info;
    private final String version;
    private final long intervalNanos;
    private final PushSender sender;
    private final RequestStream requests = new RequestStream();
    private RecordingStream stream;
    private List<BlockRequest> arrived = new ArrayList<>();
    private List<BlockRequest> waiting = new ArrayList<>();
    /**
     * Requests met before the events they name (their shape, address, file or stacks): the stream hands a flush's
     * events over in time order, and a request's time is its start, before the collector wrote what it names (a
     * new shape's event, the first of each chunk). Taken again at the end of the flush.
     */
    private List<RecordedEvent> unresolved = new ArrayList<>();
    private ProfileSamples samples = new ProfileSamples(false, MAX_SAMPLES);
    private long intervalStart = System.nanoTime();
    private long javaEvents;
    private final AtomicLong requestsLost = new AtomicLong();
    private volatile boolean failed;
    /**
     * The stream thread's state (the lists, the samples, the index) is also the exiting thread's once the JVM exits:
     * both hold this lock; the stream thread holds it per event and flush, uncontended until the exit.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** The stream has read the exit's mark (then every request before it), or has ended. */
    private final CountDownLatch readToExit = new CountDownLatch(1);
    private boolean markRead;
    /** The last interval is made: the stream's events from now on are not the push's. */
    private boolean finished;

    ProfilePush(ProfileSender sender, ProfileSender.Format format, String service, String host, long intervalNanos,
                String version, long firstBackoffMillis) {
        this.format = format;
        this.info = new ProfileInfo(service, host, List.of("blkflight: block I/O requests pushed by the agent"));
        this.version = version;
        this.intervalNanos = intervalNanos;
        this.sender = new PushSender(sender, service, host.isEmpty() ? Map.of() : Map.of("host", host), firstBackoffMillis);
    }

    /**
     * Starts pushing: a JFR stream of the JVM's events with these settings (blkflight's events, file events with
     * their stack traces, method samples) from {@code since} on, and the sending thread.
     */
    public static ProfilePush start(String url, ProfileSender.Format format, Map<String, String> headers, String service,
                                    String host, long intervalNanos, String version, Map<String, String> settings,
                                    Instant since) {
        ProfilePush push = new ProfilePush(new ProfileSender(url, format, timeoutMillis(intervalNanos), headers), format,
                service, host, intervalNanos, version, PushSender.FIRST_BACKOFF_MILLIS);
        FlightRecorder.register(PushMarkEvent.class);
        Map<String, String> withMark = new HashMap<>(settings);
        withMark.put(EventNames.PUSH_MARK + "#enabled", "true");
        push.startStream(withMark, since);
        return push;
    }

    /** Connecting and answering may take at most this long: a third of the interval, 2 to 30 s. */
    static int timeoutMillis(long intervalNanos) {
        return (int) Math.max(2_000, Math.min(30_000, intervalNanos / 3_000_000));
    }

    private void startStream(Map<String, String> settings, Instant since) {
        stream = new RecordingStream();
        stream.setSettings(settings);
        // Its own recording starts on its thread, a second or two later in a JVM starting up: the requests recorded
        // meanwhile (by the output= recording, in the same chunk files) are read from the agent's start on.
        stream.setStartTime(since);
        stream.setReuse(false);
        stream.setMaxAge(Duration.ofMinutes(2));
        stream.onEvent(this::onEvent);
        stream.onFlush(this::onFlush);
        stream.onError(this::onError);
        sender.start();
        // On a daemon thread of the agent's own: startAsync's thread is not one on JDK 17, and would keep the JVM
        // from exiting (the shutdown hook that closes the stream runs only once the JVM exits).
        RecordingStream started = stream;
        Thread reader = new Thread(() -> {
            try {
                started.start();
            } catch (RuntimeException e) {
                onError(e);
            } finally {
                // Ended: closed, failed, or its recording stopped by JFR's shutdown after its last chunk was read.
                readToExit.countDown();
            }
        }, "blkflight push events");
        reader.setDaemon(true);
        reader.start();
    }

    private void onError(Throwable error) {
        if (!failed) {
            failed = true;
            Log.warn("push: reading the JVM's events failed, no more profiles are pushed: " + error);
        }
    }

    /** On JFR's stream thread. */
    void onEvent(RecordedEvent event) {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            if (event.getEventType().getName().equals(EventNames.PUSH_MARK)) {
                markRead = true;
                return;
            }
            long malformed = requests.malformed();
            BlockRequest request = requests.accept(event);
            if (request != null) {
                arrive(request);
            } else if (requests.malformed() != malformed) {
                if (unresolved.size() + arrived.size() + waiting.size() < MAX_WAITING) {
                    unresolved.add(event);
                } else {
                    requestsLost.incrementAndGet();
                }
            } else if (isJavaEvent(event.getEventType().getName())) {
                javaEvents++;
            }
        } catch (RuntimeException e) {
            requestsLost.incrementAndGet();
            Log.debug("push: an event could not be read: " + e);
        } finally {
            lock.unlock();
        }
    }

    private void arrive(BlockRequest request) {
        if (unresolved.size() + arrived.size() + waiting.size() < MAX_WAITING) {
            arrived.add(request);
        } else {
            requestsLost.incrementAndGet();
        }
    }

    /** The requests met before what they name, once the whole flush is read; those still unresolved are lost. */
    private void resolve() {
        if (unresolved.isEmpty()) {
            return;
        }
        List<RecordedEvent> again = unresolved;
        unresolved = new ArrayList<>();
        for (RecordedEvent event : again) {
            BlockRequest request = requests.accept(event);
            if (request != null) {
                arrive(request);
            } else {
                requestsLost.incrementAndGet();
            }
        }
    }

    private static boolean isJavaEvent(String name) {
        return name.equals(EventNames.FILE_READ) || name.equals(EventNames.FILE_WRITE) || name.equals(EventNames.FILE_FORCE)
                || name.equals(EventNames.EXECUTION_SAMPLE) || name.equals(EventNames.NATIVE_METHOD_SAMPLE);
    }

    /**
     * On JFR's stream thread, after each flush's events: the requests that arrived a flush ago are linked (their Java
     * events have had a flush more to arrive) and added to the interval's profile; an interval that is over is queued.
     */
    void onFlush() {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            resolve();
            if (samples.requests() == 0 && waiting.isEmpty() && requests.stacksSampled() != samples.weights().sampled()) {
                samples = new ProfileSamples(requests.stacksSampled(), MAX_SAMPLES);
            }
            long oldest = addAll(waiting);
            waiting = arrived;
            arrived = new ArrayList<>();
            long now = System.currentTimeMillis() * 1_000_000L;
            long window = javaEvents > MAX_JAVA_EVENTS ? SHORT_JAVA_WINDOW_NANOS : JAVA_WINDOW_NANOS;
            if (javaEvents > MAX_JAVA_EVENTS) {
                javaEvents = 0;
            }
            requests.forgetBefore(Math.min(now, oldest) - window, MAX_INDEX_ENTRIES);
            if (System.nanoTime() - intervalStart >= intervalNanos) {
                finishInterval();
            }
            if (markRead) {
                readToExit.countDown();
            }
        } catch (IOException | RuntimeException e) {
            Log.debug("push: a profile could not be made: " + e);
        } finally {
            lock.unlock();
        }
    }

    /** Links requests and adds them to the interval's profile; returns the earliest start among them. */
    private long addAll(List<BlockRequest> linkable) {
        long oldest = Long.MAX_VALUE;
        for (BlockRequest request : linkable) {
            requests.link(request);
            samples.add(request);
            oldest = Math.min(oldest, request.start());
        }
        requestsLost.addAndGet(samples.overflow() - counted);
        counted = samples.overflow();
        return oldest;
    }

    private long counted;

    private void finishInterval() throws IOException {
        intervalStart = System.nanoTime();
        ProfileSamples done = samples;
        samples = done.emptyCopy();
        counted = 0;
        if (done.requests() == 0) {
            return;
        }
        byte[] bytes = format == ProfileSender.Format.PPROF ? new PprofExport(done, info).toBytes()
                : new OtlpExport(done, info, version).toBytes();
        long from = done.firstStart() / 1_000_000_000L;
        sender.offer(new PushSender.Payload(bytes, done.requests(), from,
                Math.max(from + 1, (done.lastEnd() + 999_999_999L) / 1_000_000_000L)));
    }

    /** Profiles sent. */
    public long profilesSent() {
        return sender.sent();
    }

    /** Profiles dropped: the receiver refused them for good, or could not take them in time. */
    public long profilesLost() {
        return sender.lost();
    }

    /** Requests in no profile sent: in the profiles lost, or past a bound. */
    public long requestsLost() {
        return sender.requestsLost() + requestsLost.get();
    }

    /**
     * At the JVM's exit, on the exiting thread, after the collector's last drain: sends the last, unfinished
     * interval's profile and what waits for a retry, keeping the JVM at most {@code budgetNanos}; what is not sent by
     * then is dropped and counted, and one line says so. Never throws. The stream is left to JFR's shutdown, which
     * stops it (closing it here could wait for JFR writing a large recording).
     */
    public void finishAtExit(long budgetNanos) {
        long start = System.nanoTime();
        long deadline = start + budgetNanos;
        try {
            sender.hurry(deadline);
            // Same thread as the last drain: the flush that carries the mark carries every request drained before it.
            new PushMarkEvent().commit();
            boolean read = failed || readToExit.await(Math.max(0, Math.min(deadline, start + EXIT_READ_NANOS) - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            long requestsInLast = 0;
            if (lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                try {
                    finished = true;
                    resolve();
                    addAll(waiting);
                    addAll(arrived);
                    requestsInLast = samples.requests();
                    waiting = List.of();
                    arrived = List.of();
                    finishInterval();
                } finally {
                    lock.unlock();
                }
            } else {
                Log.debug("push: the stream's thread held on; the last interval is not sent");
            }
            PushSender.Outcome outcome = sender.awaitSent();
            String took = " in " + (System.nanoTime() - start) / 1_000_000 + " ms";
            if (outcome.dropped() > 0) {
                Log.warn("push: at exit, " + outcome.dropped() + (outcome.dropped() == 1 ? " profile" : " profiles") + " ("
                        + outcome.droppedRequests() + " requests) could not be sent to " + sender.endpoint() + " within "
                        + budgetNanos / 1_000_000 + " ms" + (outcome.failure().isEmpty() ? "" : " (" + outcome.failure() + ")")
                        + "; the JVM exits without them, counted in pushProfilesLost");
            } else {
                Log.debug("push: at exit, " + outcome.sent() + " profiles sent, the last interval's with " + requestsInLast
                        + " requests" + (read ? "" : " (the stream had not read the last requests in time)") + took);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            Log.debug("push: the last interval could not be sent: " + e);
        }
    }

    @Override
    public void close() {
        RecordingStream running = stream;
        if (running != null) {
            running.close();
        }
        sender.close();
    }
}
