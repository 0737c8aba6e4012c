package io.blkflight.agent;

import io.blkflight.collector.Collector;
import io.blkflight.collector.CollectorException;
import io.blkflight.collector.KernelFunctions;
import io.blkflight.collector.NativeCollector;
import io.blkflight.collector.NativeLibrary;
import io.blkflight.collector.OwnProcess;
import io.blkflight.events.BlockRequestEvent;
import io.blkflight.events.CollectorConfigurationEvent;
import io.blkflight.events.CollectorStatisticsEvent;
import io.blkflight.events.CompactRequestEvent;
import io.blkflight.events.EventTimes;
import io.blkflight.events.FaultStackEvent;
import io.blkflight.faultstacks.FaultStacks;
import io.blkflight.events.FileEvent;
import io.blkflight.events.KernelStackEvent;
import io.blkflight.events.RequestAddressEvent;
import io.blkflight.events.RequestShapeEvent;
import io.blkflight.files.FileNames;
import io.blkflight.files.FileTable;
import io.blkflight.files.Mounts;
import io.blkflight.resolve.Devices;
import io.blkflight.resolve.JavaThreads;
import io.blkflight.resolve.VirtualThreads;
import io.blkflight.resolve.JfrClock;
import io.blkflight.resolve.KernelStacks;
import io.blkflight.model.EventNames;
import io.blkflight.resolve.RequestEventWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

/**
 * The agent's state in this JVM: options, the collector (if it runs) and its JFR wiring. One per JVM,
 * however often the agent is started or attached.
 */
final class AgentRuntime {
    /** Set while an agent runs in this JVM, visible across class loaders (two copies of the jar). */
    static final String ACTIVE_PROPERTY = "blkflight.agent.active";
    /**
     * Tests only: the process id the kernel side takes for this JVM's, to make a scope that cannot match (the
     * case OwnIoWatch reports). Never set it in production.
     */
    static final String KERNEL_SIDE_PID_PROPERTY = "blkflight.test.kernelSidePid";
    /** Kernel stacks kept (each 64 frames, 512 bytes of kernel memory). */
    static final int STACK_MAP_ENTRIES = 8192;
    /**
     * Slots of the carriers map (bpf/vthreads.h), 16 bytes each: room for thousands of carrier threads (a pool has
     * one per CPU, plus those it adds while virtual threads block in file I/O), each finding its slot among 4.
     */
    static final int CARRIER_SLOTS = 16_384;

    private static AgentRuntime current;

    private final AgentOptions options;
    private final int pid = (int) ProcessHandle.current().pid();
    private volatile Collector collector;
    /** Made before the collector, so that the kernel symbols load while JFR starts; reads stacks from stackSource. */
    private final KernelStacks kernelStacks = new KernelStacks(this::readStack);
    private volatile NativeCollector stackSource;
    private volatile RequestEventWriter writer;
    private volatile String state = "starting";
    /** scope=cgroup: the cgroup directory followed. */
    private volatile String cgroup;
    /** The JVM's PID namespace and cgroup as the collector was told them, for the configuration event. */
    private volatile String scopeDetail = "";
    private volatile String reason = "";
    /** Function-level mode as it turned out; see {@link #attachFunctions}. */
    private volatile String functionTracing = "off";
    /** on, off, or "refused: why" (the kernel side could not follow the JVM's dirtying). */
    private volatile String writeback = "off";
    /** off, "1000/s on signal 63", or "refused: why"; see {@link #startFaultStacks}. */
    private volatile String faultStacks = "off";
    /** on, off, none (a JDK without virtual threads), or "refused: why". */
    private volatile String virtualThreads = "off";
    private volatile String functionTracingProblem = "";
    private volatile String functionsAttached = "";
    private volatile String functionsSkipped = "";
    private volatile long functionAttachNanos;
    /** push=: the profiles sent each interval; null without push or when it could not start. */
    private volatile io.blkflight.push.ProfilePush push;
    /** When the agent started: the push reads the JVM's events from then on. */
    private final java.time.Instant startedAt = java.time.Instant.now();

    private AgentRuntime(AgentOptions options) {
        this.options = options;
    }

    static synchronized void startOnce(String text) {
        if (current != null || System.getProperty(ACTIVE_PROPERTY) != null) {
            Log.warn("blkflight already runs in this JVM; ignoring another start"
                    + (text == null || text.isEmpty() ? "" : " with options '" + AgentOptions.shown(text) + "'"));
            return;
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(text);
        } catch (OptionException e) {
            Log.warn("agent disabled: " + e.getMessage());
            return;
        }
        Log.setThreshold(options.logLevel());
        if (!FlightRecorder.isAvailable()) {
            Log.warn("agent disabled: Flight Recorder is not available in this JVM (it records into JFR)");
            return;
        }
        System.setProperty(ACTIVE_PROPERTY, Long.toString(ProcessHandle.current().pid()));
        current = new AgentRuntime(options);
        current.start();
    }

    private void start() {
        FlightRecorder.register(BlockRequestEvent.class);
        FlightRecorder.register(CollectorStatisticsEvent.class);
        FlightRecorder.register(CollectorConfigurationEvent.class);
        FlightRecorder.register(KernelStackEvent.class);
        FlightRecorder.register(CompactRequestEvent.class);
        FlightRecorder.register(RequestShapeEvent.class);
        FlightRecorder.register(RequestAddressEvent.class);
        FlightRecorder.register(FileEvent.class);
        FlightRecorder.register(FaultStackEvent.class);
        FlightRecorder.addPeriodicEvent(CollectorStatisticsEvent.class, this::emitStatistics);
        FlightRecorder.addPeriodicEvent(CollectorConfigurationEvent.class, this::atChunkBoundary);
        if (options.stacks().mode() != AgentOptions.Stacks.Mode.OFF) {
            // Before the recording, whose start takes a while: a drain that meets the first stack waits for
            // the symbols while holding the drain lock, which on JDK 17 an ending thread's own drain needs.
            Thread symbols = new Thread(kernelStacks::preloadSymbols, "blkflight kernel symbols");
            symbols.setDaemon(true);
            symbols.start();
        }
        // The output= recording first: the first recording of a JVM starts JFR itself, which takes a second or
        // more in a JVM that runs already (an attach). Were the collector's programs attached first, the requests
        // finishing meanwhile would wait in the ring buffer (at 70,000 requests/s here, most of its 8 MiB).
        // The recording's configuration event follows as soon as the collector runs, or failed.
        boolean recording = options.output().map(this::startRecording).orElse(false);
        try {
            collector = startCollector();
            state = "running";
            Log.info("following block I/O of " + followed()
                    + " on " + (options.devices().isEmpty() ? "every disk" : String.join(", ", options.devices()))
                    + " through " + collector.kernel().probes().split(",").length + " kernel tracepoints"
                    + (recording ? "; recording to " + options.output().get() + RecordingRepository.current()
                    .map(repository -> ", kept until exit in JFR's repository " + repository
                            + " (what the report command reads if the JVM is killed)").orElse("")
                    : options.output().isPresent() ? "; its events go to recordings started otherwise" : ""));
        } catch (CollectorException e) {
            state = "failed";
            reason = e.getMessage();
            Log.warn("block I/O collector not started, the application runs on without it: " + e.getMessage());
        }
        commitConfiguration();
        if (collector != null) {
            options.push().ifPresent(this::startPush);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "blkflight shutdown"));
    }

    /** Whose I/O the collector follows, for the agent's line. */
    private String followed() {
        switch (options.scope()) {
            case ALL:
                return "every process";
            case CGROUP:
                return "the processes of cgroup " + cgroup;
            default:
                return "this JVM (pid " + pid + ")";
        }
    }

    private Collector startCollector() throws CollectorException {
        int[] devices = resolveDevices(options.devices());
        NativeLibrary.load(options.library().orElse(null));
        LongSupplier ticks;
        try {
            ticks = EventTimes.of(options.format().eventClass()).ticks();
        } catch (IllegalStateException e) {
            throw new CollectorException(e.getMessage(), e);
        }
        JfrClock clock = new JfrClock(new JfrClock.Source() {
            @Override
            public long monotonicNanos() {
                return NativeCollector.monotonicNanos();
            }

            @Override
            public long ticks() {
                return ticks.getAsLong();
            }
        });
        NativeCollector.PidNamespace pidNamespace = OwnProcess.pidNamespace();
        String cgroupDirectory = cgroupDirectory();
        scopeDetail = (pidNamespace.equals(NativeCollector.PidNamespace.INITIAL) ? "pid namespace: initial"
                : "pid namespace: pid:[" + pidNamespace.inode() + "]") + (cgroupDirectory == null ? "" : "; cgroup: " + cgroupDirectory);
        JavaThreads threads = new JavaThreads();
        threads.receiveThreadEvents();
        int stackSignal = startFaultStacks(threads);
        try {
            NativeCollector.trackThreads();
        } catch (CollectorException e) {
            Log.debug(e.getMessage());
        }
        threads.refresh(System.nanoTime());
        NativeCollector kernel;
        try {
            kernel = NativeCollector.open(new NativeCollector.Settings(scopeCode(),
                    Integer.getInteger(KERNEL_SIDE_PID_PROPERTY, pid), pidNamespace,
                    cgroupDirectory, devices, options.minLatencyNanos(),
                    options.ringBufferBytes(), options.maxInflight(), options.maxInflight() * 4,
                    (int) ((long) options.ringBufferBytes() * options.wakeupPercent() / 100),
                    options.stacks().mode() != AgentOptions.Stacks.Mode.OFF ? STACK_MAP_ENTRIES : 0,
                    options.stacks().mode().ordinal(), options.stacks().perSecond(), options.btf().orElse(null),
                    options.functions().isEmpty() ? 0 : options.maxInflight(), options.syscallStart(),
                    options.files() ? options.maxFiles() : 0, options.writeback(), stackSignal,
                    options.faultStacksPerSecond(), carrierSlots()));
        } catch (CollectorException e) {
            if (stackSignal != 0) {
                NativeCollector.stopJavaStacks();
                faultStacks = "off (the collector did not start)";
            }
            throw e;
        }
        stackSource = kernel;
        if (options.writeback()) {
            writeback = kernel.writebackProblem().isEmpty() ? "on" : "refused: " + kernel.writebackProblem();
            if (!kernel.writebackProblem().isEmpty()) {
                Log.warn("writeback of this JVM's dirty pages is not recorded (" + kernel.writebackProblem()
                        + "); the rest runs on");
            }
        }
        VirtualThreads virtual = followVirtualThreads(kernel);
        Devices deviceNames = new Devices();
        FileNames files = null;
        if (options.files()) {
            files = new FileNames(new FileTable(options.maxFiles(), Mounts::ofThisProcess), deviceNames::name);
            if ((kernel.filesEndIo() & NativeCollector.END_IO_DIRECT) == 0) {
                // kptr_restrict (a container without CAP_SYSLOG): the kernel side learns direct I/O's completion
                // from the first direct I/O request it proves to be one; xfs's log and metadata buffers, swap and a
                // block device node's direct I/O are named by what their pages are.
                Log.debug("/proc/kallsyms names no direct I/O completion function: the kernel side learns it");
            }
        }
        writer = new RequestEventWriter(options.format(), clock, threads, deviceNames, kernelStacks, pid,
                options.maxInflight(), files, virtual);
        if (!options.functions().isEmpty()) {
            attachFunctions(kernel, writer);
        }
        Collector started = new Collector(kernel, writer, clock, options.pollIntervalNanos(),
                options.lifecycleTimeoutNanos());
        if (options.devices().isEmpty()) {
            // With a devices filter the JVM's I/O to other disks is left out on purpose.
            RequestEventWriter ownWriter = writer;
            started.watchOwnIo(new io.blkflight.collector.OwnIoWatch(ownWriter::ownRequests, "scope="
                    + options.scope().name().toLowerCase(Locale.ROOT) + (pidNamespace.equals(NativeCollector.PidNamespace.INITIAL)
                    ? "" : " in PID namespace " + pidNamespace.inode()), System.nanoTime()));
        }
        if (stackSignal != 0) {
            started.recordFaultStacks(new FaultStacks(clock, threads, NativeCollector::methodInfo,
                    options.lifecycleTimeoutNanos(), virtual));
        }
        if (Runtime.version().feature() < 19) {
            threads.onThreadEnd(started::drainAtThreadEnd);
        }
        started.start();
        return started;
    }

    /**
     * faultStacks: sets up the handler that takes Java stacks where the kernel side's signal is delivered; returns the
     * signal for the kernel side, or 0 when off or refused (one line says why; the rest runs on).
     */
    private int startFaultStacks(JavaThreads threads) {
        int perSecond = options.faultStacksPerSecond();
        if (perSecond == 0) {
            faultStacks = "off";
            return 0;
        }
        try {
            // Half a second of stacks at the budget between the collector's drains (every 100 ms by default, or
            // sooner; a storm of faults on a busy machine starved the collector for more than a quarter second).
            int signal = NativeCollector.startJavaStacks(Math.max(256, Math.min(FAULT_STACK_SLOTS_MAX, perSecond / 2)));
            threads.onJavaThreadInDump(NativeCollector::javaThreadKnown);
            faultStacks = options.faultStacksLabel() + " on signal " + signal;
            return signal;
        } catch (CollectorException | RuntimeException e) {
            faultStacks = "refused: " + e.getMessage();
            Log.warn("Java stacks of page faults and native calls are not taken (" + e.getMessage() + "); the rest runs on");
            return 0;
        }
    }

    private static final int FAULT_STACK_SLOTS_MAX = 8192;

    /** Slots of the kernel side's carriers map: where the JVM has virtual threads and virtualThreads=on, else 0. */
    private int carrierSlots() {
        return options.virtualThreads() && Runtime.version().feature() >= 21 ? CARRIER_SLOTS : 0;
    }

    /**
     * Starts following virtual threads' mounts, for the kernel side to credit their requests; null (with the
     * configuration's word for why) where the JDK has none, the option is off, or the JVM refuses: their requests
     * then stay their carriers', as before, and the rest runs on.
     */
    private VirtualThreads followVirtualThreads(NativeCollector kernel) {
        if (carrierSlots() == 0) {
            int feature = Runtime.version().feature();
            virtualThreads = !options.virtualThreads() ? "off" : feature < 19 ? "none (JDK " + feature + " has no virtual threads)"
                    : "none (JDK " + feature + "'s virtual threads, a preview, are not followed)";
            return null;
        }
        try {
            kernel.trackVirtualThreads();
        } catch (CollectorException e) {
            virtualThreads = "refused: " + e.getMessage();
            Log.warn("requests of virtual threads are credited to their carrier threads: " + e.getMessage()
                    + "; the rest runs on");
            return null;
        }
        virtualThreads = "on";
        return new VirtualThreads(new VirtualThreads.Source() {
            @Override
            public int take(Thread[] taken, long[] ids, int[] io) {
                return NativeCollector.takeVirtualThreads(taken, ids, io);
            }

            @Override
            public Thread mounted(Thread carrier) {
                return NativeCollector.mountedVirtualThread(carrier);
            }
        });
    }

    private int scopeCode() {
        switch (options.scope()) {
            case ALL:
                return NativeCollector.SCOPE_ALL;
            case CGROUP:
                return NativeCollector.SCOPE_CGROUP;
            default:
                return NativeCollector.SCOPE_SELF;
        }
    }

    /** scope=cgroup: the JVM's cgroup v2 directory, found where the JVM sees it; null for the other scopes. */
    private String cgroupDirectory() throws CollectorException {
        if (options.scope() != AgentOptions.Scope.CGROUP) {
            return null;
        }
        java.util.Optional<Path> directory;
        try {
            directory = OwnProcess.cgroupDirectory();
        } catch (IOException e) {
            throw new CollectorException("scope=cgroup: reading the JVM's cgroup failed: " + e.getMessage(), e);
        }
        if (directory.isEmpty()) {
            throw new CollectorException("scope=cgroup needs the unified cgroup hierarchy (cgroup v2), and this JVM sees"
                    + " none mounted (no cgroup2 line in /proc/self/mountinfo, or no 0:: line in /proc/self/cgroup);"
                    + " use scope=self");
        }
        cgroup = directory.get().toString();
        return cgroup;
    }

    /** A kernel stack's frames, through the collector once it is open (KernelStacks.Source). */
    private int readStack(int id, long[] into) throws CollectorException {
        NativeCollector kernel = stackSource;
        return kernel == null ? 0 : kernel.stack(id, into);
    }

    /**
     * Function-level mode: finds the functions in BTF, picks them by the options and attaches them. Never
     * fails the collector: a kernel that refuses gets one line, and the tracepoint collector runs on.
     */
    private void attachFunctions(NativeCollector kernel, RequestEventWriter writer) {
        long started = System.nanoTime();
        try {
            List<KernelFunctions.Candidate> candidates = KernelFunctions.parseDiscovery(
                    NativeCollector.discoverFunctions(options.btf().orElse(null)));
            KernelFunctions.Selection selection = KernelFunctions.select(candidates, options.functions(),
                    options.functionsExclude(), options.functionBios(), options.maxFunctions(),
                    KernelFunctions.kernelSymbols());
            List<KernelFunctions.Skipped> skipped = new ArrayList<>(selection.skipped());
            functionsSkipped = KernelFunctions.describe(skipped);
            if (selection.chosen().isEmpty()) {
                functionTracing = "off";
                functionTracingProblem = "no traceable kernel function with a struct request *"
                        + (options.functionBios() ? " or struct bio *" : "") + " parameter matches functions="
                        + String.join("+", options.functions()) + " (" + candidates.size() + " candidates in BTF)";
                Log.warn("function-level mode: " + functionTracingProblem);
            } else {
                writer.functionNames(selection.chosen().stream().map(KernelFunctions.Candidate::name).toArray(String[]::new));
                NativeCollector.AttachedFunctions attached = kernel.attachFunctions(selection.chosen(),
                        options.functionStacks(), NativeCollector.FunctionMode.valueOf(options.functionMode().toUpperCase(Locale.ROOT)));
                skipped.addAll(attached.failed());
                functionTracing = attached.mode() == NativeCollector.FunctionMode.FENTRY ? "fentry" : "kprobes";
                functionsAttached = attached.attached().stream().map(KernelFunctions.Candidate::describe)
                        .collect(Collectors.joining("\n"));
                Log.info("function-level mode: " + attached.attached().size() + " kernel functions attached through "
                        + functionTracing + " in " + (System.nanoTime() - started) / 1_000_000 + " ms"
                        + (skipped.isEmpty() ? "" : "; " + skipped.size() + " matching functions skipped (listed in the recording's "
                        + EventNames.COLLECTOR_CONFIGURATION + " event)"));
                functionsSkipped = KernelFunctions.describe(skipped);
            }
        } catch (CollectorException | RuntimeException e) {
            functionTracing = "refused";
            functionTracingProblem = e.getMessage();
            Log.warn("function-level mode not started, the tracepoint collector runs on: " + e.getMessage());
        }
        functionAttachNanos = System.nanoTime() - started;
    }

    private static int[] resolveDevices(List<String> names) throws CollectorException {
        Devices devices = new Devices();
        int[] numbers = new int[names.size()];
        for (int i = 0; i < numbers.length; i++) {
            try {
                numbers[i] = devices.resolveDisk(names.get(i));
            } catch (IOException e) {
                throw new CollectorException("option devices: " + e.getMessage(), e);
            }
        }
        return numbers;
    }

    /** Starts the output= recording; false (with one line saying why) when it cannot. */
    private boolean startRecording(Path output) {
        Path directory = output.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            Log.warn("could not start the recording to " + output + ": the directory " + directory + " does not exist;"
                    + " events still go to recordings started otherwise");
            return false;
        }
        try {
            if (!options.linkRate().equals("off") && options.linkThresholdNanos().isPresent()
                    && !AgentSettings.fileEventsThrottle()) {
                Log.warn("linkRate=" + options.linkRate() + " needs a JDK whose file events can be throttled (25 and"
                        + " later); this one records every file read and write from the link threshold on");
            }
            RecordingRepository.placeNextTo(output);
            Map<String, String> settings = AgentSettings.recordingSettings(options.linkThresholdNanos(), options.linkRate());
            if (options.push().isPresent() && io.blkflight.export.SendHeaders.fromEnvironment(options.pushFormat(), System.getenv())) {
                // The push's headers (credentials) from OTEL_EXPORTER_OTLP_HEADERS: JFR would record their values
                // with every other variable of the JVM's environment.
                settings.put("jdk.InitialEnvironmentVariable#enabled", "false");
            }
            Recording recording = new Recording(settings);
            recording.setName("blkflight");
            recording.setToDisk(true);
            recording.setMaxSize(options.maxSizeBytes());
            recording.setDestination(output);
            recording.setDumpOnExit(true);
            recording.start();
            return true;
        } catch (IOException | ParseException | RuntimeException e) {
            Log.warn("could not start the recording to " + output + ": " + e.getMessage()
                    + "; events still go to recordings started otherwise");
            return false;
        }
    }

    /** push=: starts the profiles' stream and sender; one line and nothing else when it cannot. */
    private void startPush(String url) {
        try {
            Map<String, String> headers = io.blkflight.export.SendHeaders.of(options.pushFormat(),
                    options.pushHeaders().orElse(null), System.getenv());
            io.blkflight.push.ProfilePush started = io.blkflight.push.ProfilePush.start(url, options.pushFormat(), headers,
                    serviceName(), hostName(), options.pushIntervalNanos(),
                    agentVersion(), AgentSettings.pushSettings(options.linkThresholdNanos(), options.linkRate()), startedAt);
            push = started;
            Log.info("pushing a " + options.pushFormat().label() + " profile of the block I/O every "
                    + options.pushIntervalNanos() / 1_000_000_000L + " s to "
                    + io.blkflight.export.ProfileSender.shown(io.blkflight.export.ProfileSender.endpoint(url,
                    options.pushFormat()).toString())
                    + (headers.isEmpty() ? "" : " with the headers " + io.blkflight.export.SendHeaders.names(headers)));
        } catch (IllegalArgumentException e) {
            // The headers: a file or variable that cannot be used (the message names it, never a value).
            Log.warn("push not started, the rest runs on: " + e.getMessage());
        } catch (IOException | ParseException | RuntimeException e) {
            Log.warn("push not started, the rest runs on: " + e);
        }
    }

    /** The service's name: OpenTelemetry's variable or property, else the main class or jar as the JVM was started. */
    static String serviceName() {
        String name = System.getenv("OTEL_SERVICE_NAME");
        if (name == null || name.isBlank()) {
            name = System.getProperty("otel.service.name");
        }
        if (name == null || name.isBlank()) {
            String command = System.getProperty("sun.java.command", "").trim();
            String main = command.isEmpty() ? "" : command.split("\\s+")[0];
            name = main.endsWith(".jar") ? Path.of(main).getFileName().toString().replaceFirst("\\.jar$", "") : main;
        }
        return name == null || name.isBlank() ? "unknown_service:java" : name;
    }

    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private void emitStatistics() {
        emitStatistics(false);
    }

    private void emitStatistics(boolean chunkEnd) {
        Collector running = collector;
        if (running == null) {
            return;
        }
        CollectorStatisticsEvent event = new CollectorStatisticsEvent();
        try {
            if (chunkEnd) {
                running.fillAtChunkEnd(event);
            } else {
                running.fill(event);
            }
            io.blkflight.push.ProfilePush pushing = push;
            if (pushing != null) {
                event.pushProfilesSent = pushing.profilesSent();
                event.pushProfilesLost = pushing.profilesLost();
                event.pushRequestsLost = pushing.requestsLost();
            }
            event.commit();
        } catch (CollectorException | RuntimeException e) {
            Log.debug("statistics not recorded: " + e.getMessage());
        }
    }

    /**
     * JFR calls this at the beginning and end of every chunk. While the agent is still starting (its own
     * recording begins before the collector) the configuration waits for {@link #start} to commit it.
     */
    private void atChunkBoundary() {
        Collector running = collector;
        if (running != null) {
            running.drainAtChunkEnd();
            emitStatistics(true);
            kernelStacks.newChunk();
            writer.newChunk();
        }
        if (!state.equals("starting")) {
            commitConfiguration();
        }
    }

    private void commitConfiguration() {
        Collector running = collector;
        CollectorConfigurationEvent event = new CollectorConfigurationEvent();
        event.state = state;
        event.reason = reason;
        event.kernelRelease = kernelRelease();
        event.btfSource = options.btf().orElse("/sys/kernel/btf/vmlinux");
        event.mode = functionTracing.equals("fentry") || functionTracing.equals("kprobes")
                ? "tracepoints+" + functionTracing : "tracepoints";
        event.format = options.format().label();
        event.functionTracing = functionTracing;
        event.functionTracingProblem = functionTracingProblem;
        event.functionsAttached = functionsAttached;
        event.functionsSkipped = functionsSkipped;
        event.functionAttachTime = functionAttachNanos;
        event.probes = running == null ? "" : running.kernel().probes();
        event.scope = options.scope().name().toLowerCase(java.util.Locale.ROOT);
        event.scopeDetail = scopeDetail;
        event.stacks = options.stacks().label();
        event.writeback = writeback;
        event.faultStacks = faultStacks;
        event.virtualThreads = virtualThreads;
        event.devices = options.devices().isEmpty() ? "all" : String.join("+", options.devices());
        event.minimumLatency = options.minLatencyNanos();
        event.options = options.text();
        event.agentVersion = agentVersion();
        event.commit();
    }

    private void stop() {
        Collector running = collector;
        if (running != null) {
            if (virtualThreads.equals("on")) {
                NativeCollector.untrackVirtualThreads();
            }
            running.close();
        }
        // After the collector's last drain: the last interval holds every request recorded.
        io.blkflight.push.ProfilePush pushing = push;
        if (pushing != null) {
            pushing.finishAtExit(io.blkflight.push.ProfilePush.EXIT_BUDGET_NANOS);
        }
    }

    static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version", "unknown");
        }
    }

    static String agentVersion() {
        String version = AgentRuntime.class.getPackage().getImplementationVersion();
        return version != null ? version : "development";
    }
}
