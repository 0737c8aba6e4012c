package io.blkflight.resolve;

import io.blkflight.agent.Log;
import io.blkflight.decode.RequestRecord;
import io.blkflight.events.KernelStackEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kernel stacks for the recording: reads a stack's frames from the kernel side's stack map by id,
 * names them from /proc/kallsyms, and writes a {@code blkflight.KernelStack} event the first time a
 * chunk needs it. The kernel side never deletes a stack, so an id names one stack for the collector's
 * whole life and the symbolized frames are cached (at most as many as the stack map holds).
 */
public final class KernelStacks {
    /** Reads a stack's frame addresses, innermost first; returns how many, 0 when the id is unknown. */
    public interface Source {
        int frames(int id, long[] into) throws Exception;
    }

    private record Stack(String frames, int depth, boolean truncated) {
    }

    private final Source source;
    private final Map<Integer, Stack> byId = new ConcurrentHashMap<>();
    private final Set<Integer> writtenInChunk = ConcurrentHashMap.newKeySet();
    private final long[] scratch = new long[RequestRecord.MAX_STACK_DEPTH];
    private KernelSymbols symbols;
    private boolean symbolsTried;
    /** Why frames will be addresses, said at the first stack named. */
    private String symbolsProblem;
    private long unreadable;

    public KernelStacks(Source source) {
        this.source = source;
    }

    /**
     * The id a BlockRequest event uses for the kernel side's stack id (it plus one; 0 means none), after
     * writing the stack's event if this chunk has not got it yet.
     */
    public long reference(int kernelId) {
        if (kernelId < 0) {
            return 0;
        }
        Stack stack = byId.get(kernelId);
        if (stack == null) {
            stack = read(kernelId);
            if (stack == null) {
                unreadable++;
                return 0;
            }
            byId.put(kernelId, stack);
        }
        if (writtenInChunk.add(kernelId)) {
            KernelStackEvent event = new KernelStackEvent();
            event.stackId = kernelId + 1L;
            event.frames = stack.frames();
            event.depth = stack.depth();
            event.truncated = stack.truncated();
            event.commit();
        }
        return kernelId + 1L;
    }

    /** A new chunk began: each stack is written again before the first request of the chunk that names it. */
    public void newChunk() {
        writtenInChunk.clear();
    }

    /** Stacks whose id the stack map no longer had or could not be read. */
    public long unreadable() {
        return unreadable;
    }

    private Stack read(int kernelId) {
        int depth;
        try {
            depth = source.frames(kernelId, scratch);
        } catch (Exception e) {
            Log.debug("kernel stack " + kernelId + " could not be read: " + e.getMessage());
            return null;
        }
        if (depth <= 0) {
            return null;
        }
        KernelSymbols names = symbols();
        List<String> frames = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            frames.add(names != null ? names.name(scratch[i]) : "0x" + Long.toHexString(scratch[i]));
        }
        List<String> kept = withoutTracingFrames(frames);
        return new Stack(String.join("\n", kept), kept.size(), depth == RequestRecord.MAX_STACK_DEPTH);
    }

    /**
     * Drops the innermost frames that belong to the BPF program and the machinery that called it (the
     * tracepoint's, an fentry trampoline, a kprobe's handlers), so that a stack begins in the kernel
     * function that fired the tracepoint or was entered.
     */
    static List<String> withoutTracingFrames(List<String> innermostFirst) {
        int first = 0;
        while (first < innermostFirst.size() && isTracingFrame(innermostFirst.get(first))) {
            first++;
        }
        return first == innermostFirst.size() ? innermostFirst : innermostFirst.subList(first, innermostFirst.size());
    }

    private static boolean isTracingFrame(String frame) {
        return frame.startsWith("bpf_prog_") || frame.startsWith("bpf_trace_run") || frame.startsWith("__bpf_trace_")
                || frame.startsWith("__traceiter_") || frame.startsWith("bpf_get_stack") || frame.startsWith("0x")
                || frame.startsWith("bpf_trampoline_") || frame.startsWith("trace_call_bpf")
                || frame.startsWith("kprobe_") || frame.startsWith("kretprobe_") || frame.startsWith("fprobe_")
                || frame.startsWith("ftrace_") || frame.startsWith("arch_ftrace_") || frame.startsWith("perf_trace_run")
                || frame.startsWith("exc_int3") || frame.startsWith("asm_exc_int3") || frame.startsWith("opt_pre_handler")
                || frame.startsWith("optimized_callback") || frame.startsWith("optprobe_template");
    }

    /**
     * Reads /proc/kallsyms now rather than at the first stack: it takes a while (170,000 lines), and a
     * drain that waits for it holds the drain lock that an ending thread's own drain needs (JDK 17).
     */
    public void preloadSymbols() {
        load();
    }

    /** The symbols for naming a stack's frames; says once, then, if there are none (not at a preload that may be in vain). */
    private synchronized KernelSymbols symbols() {
        KernelSymbols loaded = load();
        if (symbolsProblem != null) {
            Log.warn(symbolsProblem);
            symbolsProblem = null;
        }
        return loaded;
    }

    private synchronized KernelSymbols load() {
        if (symbols == null && !symbolsTried) {
            symbolsTried = true;
            try {
                symbols = KernelSymbols.load();
                if (!symbols.hasAddresses()) {
                    symbolsProblem = "/proc/kallsyms shows no addresses (kptr_restrict): kernel stacks are recorded as addresses";
                }
            } catch (IOException e) {
                symbolsProblem = "cannot read /proc/kallsyms (" + e.getMessage() + "): kernel stacks are recorded as addresses";
                symbols = null;
            }
        }
        return symbols;
    }
}
