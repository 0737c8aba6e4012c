package io.blkflight.agent;

import io.blkflight.model.Durations;
import io.blkflight.resolve.RequestEventWriter;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The agent's options: {@code key=value} pairs separated by commas, as in
 * {@code -javaagent:blkflight.jar=scope=all,devices=vda+loop0,output=io.jfr}. Every key and value is
 * validated; a bad one gives an {@link OptionException} that names it and lists what is accepted.
 */
public final class AgentOptions {
    /** Whose I/O is recorded. */
    public enum Scope {
        /** Only requests submitted by this JVM's process. */
        SELF,
        /** Requests of every process. */
        ALL,
        /** Requests of every process in the JVM's cgroup (v2) and below it: its container. */
        CGROUP
    }

    private record Spec(String key, String syntax, String meaning) {
        String usage() {
            return key + "=" + syntax + " (" + meaning + ")";
        }
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("scope", "self|all|cgroup", "self: only I/O submitted by this JVM, the default, also inside a container's PID namespace; all: every process; cgroup: every process in the JVM's cgroup v2 and below it, i.e. its container"),
            new Spec("devices", "DISK[+DISK...]", "disks by name (vda, loop0) or major:minor; default all"),
            new Spec("minLatency", "DURATION", "record only requests at least this slow, e.g. 500us or 2ms; default 0"),
            new Spec("output", "FILE.jfr", "start a recording with blkflight's settings and write it to FILE at exit; until then JFR keeps it in FILE.jfr.repository/, which the report command reads if the JVM is killed"),
            new Spec("maxSize", "SIZE", "with output=: the most the recording keeps, in its repository and in FILE, 1m to 1024g; beyond it JFR drops the oldest chunks (about 12 MB each); default 250m, as the JDK's for -XX:StartFlightRecording"),
            new Spec("linkThreshold", "DURATION|off", "with output=: record file reads and writes (jdk.FileRead, jdk.FileWrite) with their stack traces from this long on, to link requests to Java calls; off: do not record them (JFR's cost per recorded call, a few us at the highest rates, goes away; requests are then linked by method samples only); default 20us"),
            new Spec("linkRate", "N/s|N/m|off", "with output=: record at most about N of those file reads, and N writes, per second (or minute), sampled evenly by JFR's throttle, which bounds JFR's cost at high rates while every request below it stays linked by its call; JDK 25 and later (an older JDK records them all and says so in one line); off: every one, the default"),
            new Spec("stacks", "N/s|all|off", "kernel stacks of each stage (submit, insert, issue, complete) for the call trees: N/s gives about N requests a second all their stage stacks, spread over kinds of request (the first of each kind in each second always: flushes, metadata, faults, writeback show), and the trees scale them to all requests; all: every request's (exact trees, about 2.5 us of CPU per stack); off: none; default 200/s"),
            new Spec("faultStacks", "N/s|off", "the exact Java stack (method and line) of page faults on mapped files and of system calls from native code that issue block I/O: the kernel side sends the faulting thread a real-time signal no other code handles, and the agent's handler takes its Java stack with AsyncGetCallTrace where the fault or call returns to Java; at most N signals a second for the JVM (one per fault or call, however many requests it issues), about 10 us of the faulting thread's CPU each; off: none (such requests are linked by method samples only); default 2000/s"),
            new Spec("syscallStart", "on|off", "on: follow every system call of the JVM's threads (two tracepoints, about 0.3 us per call, any call) to record when the call that issued a request began; off: the call is named from the thread's registers, its start is N/A; default off, on in function-level mode"),
            new Spec("format", "compact|full", "compact: each request as a blkflight.CompactRequest naming what many share (device, operation, issuer, system call) by id in blkflight.RequestShape events written once per chunk, about 40 bytes a request, for the report command and the JMC plugin; full: every field in each blkflight.BlockRequest, about 140 bytes, for any JFR tool; default compact, full in function-level mode"),
            new Spec("files", "on|off", "on: each request names the file it read or wrote (path, inode; or the journal, metadata, swap...), resolved in the kernel at the request's start, its path walked once per file; off: requests carry no file; default on"),
            new Spec("writeback", "on|off", "on: writeback of pages this JVM dirtied (by the kernel's flusher threads, or another process's sync) is recorded, credited to the Java thread that dirtied them and linked to its write call; the kernel side follows the JVM's dirtying (writeback_dirty_folio); off: only requests the JVM's own threads submit; default on"),
            new Spec("virtualThreads", "on|off", "on (JDK 21 and later): a request issued while a virtual thread was mounted on the issuing carrier thread is credited to the virtual thread (javaThread; carrierThread names the carrier) and linked to its call; the agent follows every mount and unmount through JVMTI (about 50 to 75 ns each, and 0.5 to 1 us once per virtual thread that parks); off: requests stay their carriers'; default on"),
            new Spec("maxFiles", "COUNT", "with files=on: files whose path the kernel side and the agent keep, 64 to 1048576; past it the least recently used are forgotten (counted) and sent again when met; default 8192"),
            new Spec("ringBuffer", "SIZE", "kernel-to-agent ring buffer, a power of two from 64k to 1g; default 8m"),
            new Spec("maxInflight", "COUNT", "request addresses followed (each keeps its entry), 16 to 1048576; default 16384"),
            new Spec("wakeupAt", "PERCENT", "the kernel wakes the agent when the ring buffer is this full, 1 to 100; less often means fewer wake-ups but a nearer overflow; default 25"),
            new Spec("pollInterval", "DURATION", "longest wait before the agent reads the ring buffer, 1ms to 10s; default 100ms"),
            new Spec("lifecycleTimeout", "DURATION", "open lifecycles older than this are counted lost, 1s to 1h; default 120s"),
            new Spec("log", "quiet|warn|info|debug", "how much the agent prints on standard error; default info"),
            new Spec("library", "PATH", "load libblkflight.so from PATH instead of the copy inside the agent jar"),
            new Spec("btf", "PATH", "the running kernel's BTF from PATH (e.g. from BTFHub) where /sys/kernel/btf/vmlinux is missing"),
            new Spec("functions", "GLOB[+GLOB...]|off", "function-level mode, for kernels that allow fentry or kprobes: also record every kernel function taking a struct request * whose name matches, e.g. blk_*+virtblk_*; * matches any run of characters; default off"),
            new Spec("functionsExclude", "GLOB[+GLOB...]", "functions= matches not to record, e.g. blk_mq_free_request"),
            new Spec("functionBios", "on|off", "with functions=: also functions taking a struct bio * (the submission path before the request exists); default off"),
            new Spec("maxFunctions", "COUNT", "with functions=: at most this many functions, 1 to 1000; default 100"),
            new Spec("functionStacks", "on|off", "with functions=: a kernel stack per function hit, for the call tree (about 2.5 us of CPU each); default off"),
            new Spec("functionMode", "auto|fentry|kprobe", "with functions=: fentry where the kernel allows it, else kprobes (auto, the default), or only one of them"),
            new Spec("push", "URL", "send each interval's requests as a profile of the service (OTEL_SERVICE_NAME, else -Dotel.service.name, else the main class or jar) and host, on a thread of the agent's own: pprof to a Pyroscope-compatible ingest endpoint (http://pyroscope:4040, posted to /ingest), otlp to an OTLP/HTTP receiver (http://collector:4318, posted to /v1development/profiles); a URL with a path is taken as it is; https://user:secret@host sends Basic authentication (the password is never shown); the last, unfinished interval is sent at exit, which waits at most 2 s for it; never blocks the application: profiles that cannot be sent are retried with backoff, then dropped and counted; default off"),
            new Spec("pushInterval", "DURATION", "with push=: how much time each profile covers, 1s to 1h; default 60s"),
            new Spec("pushFormat", "pprof|otlp", "with push=: pprof (Pyroscope, Grafana) or otlp (OpenTelemetry profiles v1development: a Collector, Elastic); default pprof"),
            new Spec("pushHeaders", "FILE", "with push=: send these HTTP headers with every profile, one 'Name: value' a line (e.g. Authorization: Bearer TOKEN, X-Scope-OrgID: TENANT), read at start, so that secrets stay off the command line; with pushFormat=otlp they add to (and replace) those of OTEL_EXPORTER_OTLP_PROFILES_HEADERS, else OTEL_EXPORTER_OTLP_HEADERS; a user and password in the push URL (https://user:secret@host) are sent as Basic authentication; a file that cannot be read stops the push only, with one line; values are never shown"));

    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})([kmg]?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_.*?]{1,128}");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.-]{1,32}|\\d{1,4}:\\d{1,7}");

    private final String text;
    private final Scope scope;
    private final List<String> devices;
    private final long minLatencyNanos;
    private final Path output;
    private final long maxSizeBytes;
    private final Stacks stacks;
    private final int faultStacksPerSecond;
    private final boolean syscallStart;
    private final RequestEventWriter.Format format;
    private final OptionalLong linkThresholdNanos;
    private final String linkRate;
    private final boolean files;
    private final boolean writeback;
    private final boolean virtualThreads;
    private final int maxFiles;
    private final int ringBufferBytes;
    private final int maxInflight;
    private final int wakeupPercent;
    private final long pollIntervalNanos;
    private final long lifecycleTimeoutNanos;
    private final Log.Level logLevel;
    private final String library;
    private final String btf;
    private final List<String> functions;
    private final List<String> functionsExclude;
    private final boolean functionBios;
    private final int maxFunctions;
    private final boolean functionStacks;
    private final String functionMode;
    private final String push;
    private final long pushIntervalNanos;
    private final io.blkflight.export.ProfileSender.Format pushFormat;
    private final Path pushHeaders;

    private AgentOptions(String text, Map<String, String> values) throws OptionException {
        // A push URL's password is never shown: the text goes into lines, and the recording's configuration.
        this.text = shown(text);
        this.scope = parseScope(values.getOrDefault("scope", "self"));
        this.devices = parseDevices(values.get("devices"));
        this.minLatencyNanos = parseDuration("minLatency", values.getOrDefault("minLatency", "0ns"), 0, 3_600_000_000_000L);
        this.output = parsePath("output", values.get("output"));
        this.maxSizeBytes = parseMaxSize(values.getOrDefault("maxSize", "250m"));
        this.stacks = parseStacks(values.getOrDefault("stacks", DEFAULT_STACKS));
        this.faultStacksPerSecond = parseFaultStacks(values.getOrDefault("faultStacks", DEFAULT_FAULT_STACKS));
        String linkThreshold = values.getOrDefault("linkThreshold", "20us");
        this.linkThresholdNanos = linkThreshold.equals("off") ? OptionalLong.empty()
                : OptionalLong.of(parseDuration("linkThreshold", linkThreshold, 0, 60_000_000_000L));
        this.linkRate = parseRate("linkRate", values.getOrDefault("linkRate", "off"));
        this.files = parseSwitch("files", values.getOrDefault("files", "on"));
        this.writeback = parseSwitch("writeback", values.getOrDefault("writeback", "on"));
        this.virtualThreads = parseSwitch("virtualThreads", values.getOrDefault("virtualThreads", "on"));
        this.maxFiles = (int) parseCount("maxFiles", values.getOrDefault("maxFiles", "8192"), 64, 1 << 20);
        if (!files && values.containsKey("maxFiles")) {
            throw new OptionException("option maxFiles only applies with files=on; leave it out or leave files on");
        }
        this.ringBufferBytes = parseRingBuffer(values.getOrDefault("ringBuffer", "8m"));
        this.maxInflight = (int) parseCount("maxInflight", values.getOrDefault("maxInflight", "16384"), 16, 1 << 20);
        this.wakeupPercent = (int) parseCount("wakeupAt", values.getOrDefault("wakeupAt", "25"), 1, 100);
        this.pollIntervalNanos = parseDuration("pollInterval", values.getOrDefault("pollInterval", "100ms"),
                1_000_000L, 10_000_000_000L);
        this.lifecycleTimeoutNanos = parseDuration("lifecycleTimeout", values.getOrDefault("lifecycleTimeout", "120s"),
                1_000_000_000L, 3_600_000_000_000L);
        this.logLevel = parseLogLevel(values.getOrDefault("log", "info"));
        this.library = values.get("library");
        if (library != null) {
            parsePath("library", library);
        }
        this.btf = values.get("btf");
        if (btf != null) {
            parsePath("btf", btf);
        }
        String functionsValue = values.getOrDefault("functions", "off");
        this.functions = functionsValue.equals("off") ? List.of() : parseGlobs("functions", functionsValue);
        this.functionsExclude = values.containsKey("functionsExclude")
                ? parseGlobs("functionsExclude", values.get("functionsExclude")) : List.of();
        this.functionBios = parseSwitch("functionBios", values.getOrDefault("functionBios", "off"));
        this.maxFunctions = (int) parseCount("maxFunctions", values.getOrDefault("maxFunctions", "100"), 1, 1000);
        this.functionStacks = parseSwitch("functionStacks", values.getOrDefault("functionStacks", "off"));
        this.functionMode = values.getOrDefault("functionMode", "auto");
        if (!List.of("auto", "fentry", "kprobe").contains(functionMode)) {
            throw badValue("functionMode", functionMode);
        }
        this.syscallStart = parseSwitch("syscallStart", values.getOrDefault("syscallStart", functions.isEmpty() ? "off" : "on"));
        if (!functions.isEmpty() && !syscallStart) {
            throw new OptionException("option syscallStart=off conflicts with functions=: function-level mode needs each"
                    + " system call's start to tell a request's own early function hits from older ones; leave syscallStart out or set it on");
        }
        String formatValue = values.getOrDefault("format", functions.isEmpty() ? "compact" : "full");
        switch (formatValue) {
            case "compact":
                this.format = RequestEventWriter.Format.COMPACT;
                break;
            case "full":
                this.format = RequestEventWriter.Format.FULL;
                break;
            default:
                throw badValue("format", formatValue);
        }
        if (!functions.isEmpty() && format == RequestEventWriter.Format.COMPACT) {
            throw new OptionException("option format=compact conflicts with functions=: function paths are written in the"
                    + " full format only; leave format out or set it to full");
        }
        this.pushFormat = parsePushFormat(values.getOrDefault("pushFormat", "pprof"));
        this.push = values.get("push");
        if (push != null) {
            try {
                io.blkflight.export.ProfileSender.endpoint(push, pushFormat);
            } catch (IllegalArgumentException e) {
                throw new OptionException("option push: " + e.getMessage());
            }
        } else {
            for (String key : List.of("pushInterval", "pushFormat", "pushHeaders")) {
                if (values.containsKey(key)) {
                    throw new OptionException("option " + key + " only applies with push=URL; give push= too, e.g. push=http://pyroscope:4040");
                }
            }
        }
        this.pushIntervalNanos = parseDuration("pushInterval", values.getOrDefault("pushInterval", "60s"),
                1_000_000_000L, 3_600_000_000_000L);
        this.pushHeaders = parsePath("pushHeaders", values.get("pushHeaders"));
        if (functions.isEmpty()) {
            for (String key : List.of("functionsExclude", "functionBios", "maxFunctions", "functionStacks", "functionMode")) {
                if (values.containsKey(key)) {
                    throw new OptionException("option " + key + " only applies to function-level mode; give functions=GLOB[+GLOB...] too, e.g. functions=blk_*");
                }
            }
        }
    }

    /** Which requests get their stage stacks: a rate of requests a second (sampled), every one, or none. */
    public record Stacks(Mode mode, int perSecond) {
        public enum Mode { OFF, SAMPLED, ALL }

        public static final Stacks OFF = new Stacks(Mode.OFF, 0);
        public static final Stacks ALL = new Stacks(Mode.ALL, 0);

        /** As the option writes it: 200/s, all or off. */
        public String label() {
            return mode == Mode.SAMPLED ? perSecond + "/s" : mode.name().toLowerCase(Locale.ROOT);
        }
    }

    static final String DEFAULT_STACKS = "200/s";

    private static final Pattern PER_SECOND = Pattern.compile("(\\d{1,7})/s");

    static Stacks parseStacks(String value) throws OptionException {
        switch (value) {
            case "off":
                return Stacks.OFF;
            case "all":
            case "on": // before sampling, on meant every request's stacks
                return Stacks.ALL;
            default:
                Matcher m = PER_SECOND.matcher(value);
                if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 1_000_000) {
                    throw new OptionException("option stacks=" + value + " is not valid; accepted: stacks=N/s with N from 1"
                            + " to 1000000 (e.g. 200/s), all, or off (" + LIST_COMMAND + " explains it)");
                }
                return new Stacks(Stacks.Mode.SAMPLED, Integer.parseInt(m.group(1)));
        }
    }

    static final String DEFAULT_FAULT_STACKS = "2000/s";
    /** The most fault stacks a second: the handler's buffer holds half a second of them (about 1 KiB each). */
    static final int MAX_FAULT_STACKS = 20_000;

    /** faultStacks=N/s or off (0). */
    static int parseFaultStacks(String value) throws OptionException {
        if (value.equals("off")) {
            return 0;
        }
        Matcher m = PER_SECOND.matcher(value);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > MAX_FAULT_STACKS) {
            throw new OptionException("option faultStacks=" + value + " is not valid; accepted: faultStacks=N/s with N from 1"
                    + " to " + MAX_FAULT_STACKS + " (e.g. " + DEFAULT_FAULT_STACKS + "), or off (" + LIST_COMMAND + " explains it)");
        }
        return Integer.parseInt(m.group(1));
    }

    private static List<String> parseGlobs(String key, String value) throws OptionException {
        List<String> globs = new ArrayList<>();
        for (String glob : value.split("\\+", -1)) {
            if (!GLOB.matcher(glob).matches()) {
                throw new OptionException("option " + key + "=" + value + " is not valid: '" + glob
                        + "' is not a function name glob (letters, digits, _ and ., with * and ?); accepted: " + key + "="
                        + spec(key).syntax() + ", e.g. blk_*+virtblk_*");
            }
            if (!globs.contains(glob)) {
                globs.add(glob);
            }
        }
        return List.copyOf(globs);
    }

    /** The defaults: what an agent started without options uses. */
    public static AgentOptions defaults() {
        try {
            return parse(null);
        } catch (OptionException e) {
            throw new AssertionError("the defaults must be valid", e);
        }
    }

    public static AgentOptions parse(String text) throws OptionException {
        Map<String, String> values = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String pair : text.split(",", -1)) {
                int equals = pair.indexOf('=');
                if (pair.isBlank()) {
                    throw new OptionException("empty option in '" + shown(text) + "' (two commas in a row?); options are"
                            + " key=value pairs separated by commas, e.g. scope=all,output=app.jfr");
                }
                if (equals <= 0) {
                    throw new OptionException("option '" + shown(pair) + "' is not key=value; the options are " + keys()
                            + " (" + LIST_COMMAND + " explains each)");
                }
                String key = pair.substring(0, equals).trim();
                String value = pair.substring(equals + 1).trim();
                if (SPECS.stream().noneMatch(spec -> spec.key().equals(key))) {
                    String suggestion = suggestion(key);
                    throw new OptionException("unknown option '" + key + "'" + (suggestion.isEmpty()
                            ? "; the options are " + keys() + " (" + LIST_COMMAND + " explains each)"
                            : suggestion + " (" + LIST_COMMAND + " lists and explains them all)"));
                }
                if (value.isEmpty()) {
                    throw new OptionException("option '" + key + "' has no value; accepted: " + key + "=" + spec(key).syntax()
                            + " (" + LIST_COMMAND + " explains it)");
                }
                String previous = values.putIfAbsent(key, value);
                if (previous != null) {
                    throw new OptionException("option '" + key + "' is given twice (" + shown(previous) + " and "
                            + shown(value) + "); give it once");
                }
            }
        }
        return new AgentOptions(text == null ? "" : text, values);
    }

    /** Where a user finds every option explained (the agent jar's command line). */
    static final String LIST_COMMAND = "java -jar blkflight.jar options";

    /** The option names, for a line a person reads. */
    static String keys() {
        return SPECS.stream().map(Spec::key).collect(Collectors.joining(", "));
    }

    /** Every accepted option with its syntax and meaning, one paragraph each: what {@value #LIST_COMMAND} prints. */
    public static String describe() {
        StringBuilder text = new StringBuilder("Agent options, comma separated: -javaagent:blkflight.jar=KEY=VALUE,KEY=VALUE...\n");
        for (Spec spec : SPECS) {
            text.append("\n  ").append(spec.key()).append('=').append(spec.syntax()).append('\n');
            StringBuilder line = new StringBuilder("      ");
            for (String word : spec.meaning().split(" ")) {
                if (line.length() + word.length() > 100) {
                    text.append(line.toString().stripTrailing()).append('\n');
                    line.setLength(0);
                    line.append("      ");
                }
                line.append(word).append(' ');
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private static Spec spec(String key) {
        return SPECS.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    /** "; did you mean 'output'?" for the option nearest to a misspelt key (case, or a few letters off), else "". */
    static String suggestion(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Spec spec : SPECS) {
            int distance = editDistance(lower, spec.key().toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = spec.key();
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(1, Math.min(3, key.length() / 3)) ? "; did you mean '" + best + "'?" : "";
    }

    /** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static OptionException badValue(String key, String value) {
        return new OptionException("option " + key + "=" + value + " is not valid; accepted: " + key + "="
                + spec(key).syntax() + " (" + LIST_COMMAND + " explains it)");
    }

    private static boolean parseSwitch(String key, String value) throws OptionException {
        switch (value) {
            case "on":
                return true;
            case "off":
                return false;
            default:
                throw badValue(key, value);
        }
    }

    private static Scope parseScope(String value) throws OptionException {
        switch (value) {
            case "self":
                return Scope.SELF;
            case "all":
                return Scope.ALL;
            case "cgroup":
                return Scope.CGROUP;
            default:
                throw badValue("scope", value);
        }
    }

    private static List<String> parseDevices(String value) throws OptionException {
        if (value == null || value.equals("all")) {
            return List.of();
        }
        List<String> devices = new ArrayList<>();
        for (String device : value.split("\\+", -1)) {
            if (!DEVICE.matcher(device).matches()) {
                throw badValue("devices", value);
            }
            if (!devices.contains(device)) {
                devices.add(device);
            }
        }
        if (devices.size() > 64) {
            throw new OptionException("option devices lists " + devices.size() + " disks; at most 64 are accepted");
        }
        return List.copyOf(devices);
    }

    private static final Pattern RATE = Pattern.compile("(\\d{1,9})/(s|m)");

    /** A rate in JFR's throttle syntax, N per second or per minute (N at least 1), or off. */
    static String parseRate(String key, String value) throws OptionException {
        if (value.equals("off")) {
            return value;
        }
        Matcher m = RATE.matcher(value);
        if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
            throw new OptionException("option " + key + "=" + value + " is not valid; accepted: off, or a rate of at least"
                    + " 1 per second or minute, e.g. 1000/s or 600/m");
        }
        return Long.parseLong(m.group(1)) + "/" + m.group(2);
    }

    static long parseDuration(String key, String value, long min, long max) throws OptionException {
        long nanos;
        try {
            nanos = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw badValue(key, value);
        }
        if (nanos < min || nanos > max) {
            throw new OptionException("option " + key + "=" + value + " is out of range; accepted: "
                    + Durations.format(min) + " to " + Durations.format(max));
        }
        return nanos;
    }

    private static long parseSize(String key, String value) throws OptionException {
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw badValue(key, value);
        }
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k": return amount << 10;
            case "m": return amount << 20;
            case "g": return amount << 30;
            default: return amount;
        }
    }

    private static int parseRingBuffer(String value) throws OptionException {
        long bytes = parseSize("ringBuffer", value);
        if (bytes < (64 << 10) || bytes > (1L << 30) || Long.bitCount(bytes) != 1) {
            throw new OptionException("option ringBuffer=" + value + " is not valid; accepted: a power of two from 64k to 1g, e.g. 4m or 16m");
        }
        return (int) bytes;
    }

    private static long parseMaxSize(String value) throws OptionException {
        long bytes = parseSize("maxSize", value);
        if (bytes < (1 << 20) || bytes > (1L << 40)) {
            throw new OptionException("option maxSize=" + value + " is out of range; accepted: 1m to 1024g, e.g. 100m or 2g");
        }
        return bytes;
    }

    private static long parseCount(String key, String value, long min, long max) throws OptionException {
        if (!value.matches("\\d{1,10}")) {
            throw badValue(key, value);
        }
        long count = Long.parseLong(value);
        if (count < min || count > max) {
            throw new OptionException("option " + key + "=" + value + " is out of range; accepted: " + min + " to " + max);
        }
        return count;
    }

    private static Path parsePath(String key, String value) throws OptionException {
        if (value == null) {
            return null;
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new OptionException("option " + key + "=" + value + " is not a valid path: " + e.getReason());
        }
    }

    private static Log.Level parseLogLevel(String value) throws OptionException {
        for (Log.Level level : Log.Level.values()) {
            if (level.name().toLowerCase(Locale.ROOT).equals(value)) {
                return level;
            }
        }
        throw badValue("log", value);
    }

    /** The options as the user gave them, a push URL's password masked. */
    public String text() {
        return text;
    }

    public Scope scope() {
        return scope;
    }

    /** Disks to follow as given (names or major:minor); empty means every disk. */
    public List<String> devices() {
        return devices;
    }

    public long minLatencyNanos() {
        return minLatencyNanos;
    }

    /** push=: where profiles are sent, empty when they are not. */
    public Optional<String> push() {
        return Optional.ofNullable(push);
    }

    public long pushIntervalNanos() {
        return pushIntervalNanos;
    }

    public io.blkflight.export.ProfileSender.Format pushFormat() {
        return pushFormat;
    }

    /** pushHeaders=: the file of headers sent with every profile, empty when none is given. */
    public Optional<Path> pushHeaders() {
        return Optional.ofNullable(pushHeaders);
    }

    /** Text with any URL's password masked (push=https://user:***@host). */
    static String shown(String text) {
        return io.blkflight.export.ProfileSender.shown(text);
    }

    private static io.blkflight.export.ProfileSender.Format parsePushFormat(String value) throws OptionException {
        try {
            return io.blkflight.export.ProfileSender.Format.of(value);
        } catch (IllegalArgumentException e) {
            throw badValue("pushFormat", value);
        }
    }

    public Optional<Path> output() {
        return Optional.ofNullable(output);
    }

    /** The most the output= recording keeps (JFR's maxsize), bytes. */
    public long maxSizeBytes() {
        return maxSizeBytes;
    }

    /** JFR's throttle for the output= recording's file reads and writes, in JFR's syntax ("1000/s"), or "off". */
    public String linkRate() {
        return linkRate;
    }

    /** From how long on the output= recording keeps jdk.FileRead and jdk.FileWrite; empty: not at all (linkThreshold=off). */
    public OptionalLong linkThresholdNanos() {
        return linkThresholdNanos;
    }

    /** Whether sys_enter/sys_exit follow the JVM's threads so requests carry their system call's start. */
    public boolean syscallStart() {
        return syscallStart;
    }

    public RequestEventWriter.Format format() {
        return format;
    }

    /** Which requests get their stage stacks (function-level mode's functionStacks implies all). */
    public Stacks stacks() {
        return functionStacks ? Stacks.ALL : stacks;
    }

    /** Whether requests name the file they read or wrote. */
    /** faultStacks: Java stacks of faults and native system calls a second at most; 0: off. */
    public int faultStacksPerSecond() {
        return faultStacksPerSecond;
    }

    /** The faultStacks option as it reads: 1000/s or off. */
    public String faultStacksLabel() {
        return faultStacksPerSecond == 0 ? "off" : faultStacksPerSecond + "/s";
    }

    /** Whether writeback of the JVM's dirty pages is followed (writeback=on, the default). */
    public boolean writeback() {
        return writeback;
    }

    /** Whether requests of virtual threads are credited to them (virtualThreads=on, the default; JDK 21 and later). */
    public boolean virtualThreads() {
        return virtualThreads;
    }

    public boolean files() {
        return files;
    }

    /** Files whose path the kernel side and the agent keep (with files on). */
    public int maxFiles() {
        return maxFiles;
    }

    public int ringBufferBytes() {
        return ringBufferBytes;
    }

    public int maxInflight() {
        return maxInflight;
    }

    /** How full the ring buffer gets, in percent, before the kernel wakes the collector. */
    public int wakeupPercent() {
        return wakeupPercent;
    }

    public long pollIntervalNanos() {
        return pollIntervalNanos;
    }

    public long lifecycleTimeoutNanos() {
        return lifecycleTimeoutNanos;
    }

    public Log.Level logLevel() {
        return logLevel;
    }

    public Optional<String> library() {
        return Optional.ofNullable(library);
    }

    /** Function-level mode's include globs; empty when the mode is off. */
    public List<String> functions() {
        return functions;
    }

    public List<String> functionsExclude() {
        return functionsExclude;
    }

    public boolean functionBios() {
        return functionBios;
    }

    public int maxFunctions() {
        return maxFunctions;
    }

    public boolean functionStacks() {
        return functionStacks;
    }

    /** auto, fentry or kprobe. */
    public String functionMode() {
        return functionMode;
    }

    /** Where the kernel's BTF comes from when not from /sys/kernel/btf/vmlinux. */
    public Optional<String> btf() {
        return Optional.ofNullable(btf);
    }
}
