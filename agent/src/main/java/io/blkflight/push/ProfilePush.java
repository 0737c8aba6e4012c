package io.blkflight.push;

import io.blkflight.agent.Log;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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
 */
public final class ProfilePush implements AutoCloseable {
    static final int MAX_WAITING = 200_000;
    static final int MAX_SAMPLES = 20_000;
    static final long JAVA_WINDOW_NANOS = 40_000_000_000L;
    static final long SHORT_JAVA_WINDOW_NANOS = 5_000_000_000L;
    static final int MAX_JAVA_EVENTS = 300_000;
    /** Stacks, shapes, addresses and files kept before the index starts over (the agent keeps at most 16,384 shapes). */
    static final int MAX_INDEX_ENTRIES = 100_000;

    private final ProfileSender.Format format;
    private final ProfileInfo info;
    private final String version;
    private final long intervalNanos;
    private final PushSender sender;
    private final RequestStream requests = new RequestStream();
    private RecordingStream stream;
    private List<BlockRequest> arrived = new ArrayList<>();
    private List<BlockRequest> waiting = new ArrayList<>();
    private ProfileSamples samples;
    private long intervalStart = System.nanoTime();
    private long javaEvents;
    private final AtomicLong requestsLost = new AtomicLong();
    private boolean failed;

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
     * their stack traces, method samples), and the sending thread.
     */
    public static ProfilePush start(String url, ProfileSender.Format format, String service, String host, long intervalNanos,
                                    String version, Map<String, String> settings) {
        ProfilePush push = new ProfilePush(new ProfileSender(url, format, timeoutMillis(intervalNanos)), format, service,
                host, intervalNanos, version, PushSender.FIRST_BACKOFF_MILLIS);
        push.startStream(settings);
        return push;
    }

    /** Connecting and answering may take at most this long: a third of the interval, 2 to 30 s. */
    static int timeoutMillis(long intervalNanos) {
        return (int) Math.max(2_000, Math.min(30_000, intervalNanos / 3_000_000));
    }

    private void startStream(Map<String, String> settings) {
        samples = new ProfileSamples(false, MAX_SAMPLES);
        stream = new RecordingStream();
        stream.setSettings(settings);
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
        try {
            BlockRequest request = requests.accept(event);
            if (request != null) {
                if (arrived.size() + waiting.size() < MAX_WAITING) {
                    arrived.add(request);
                } else {
                    requestsLost.incrementAndGet();
                }
            } else if (isJavaEvent(event.getEventType().getName())) {
                javaEvents++;
            }
        } catch (RuntimeException e) {
            requestsLost.incrementAndGet();
            Log.debug("push: an event could not be read: " + e);
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
        try {
            if (samples.requests() == 0 && waiting.isEmpty() && requests.stacksSampled() != samples.weights().sampled()) {
                samples = new ProfileSamples(requests.stacksSampled(), MAX_SAMPLES);
            }
            long oldest = Long.MAX_VALUE;
            for (BlockRequest request : waiting) {
                requests.link(request);
                samples.add(request);
                oldest = Math.min(oldest, request.start());
            }
            requestsLost.addAndGet(samples.overflow() - counted);
            counted = samples.overflow();
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
        } catch (IOException | RuntimeException e) {
            Log.debug("push: a profile could not be made: " + e);
        }
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

    @Override
    public void close() {
        RecordingStream running = stream;
        if (running != null) {
            running.close();
        }
        sender.close();
    }
}
