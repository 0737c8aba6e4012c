package io.blkflight.model;

import java.util.Set;
import java.util.function.Predicate;

/**
 * Which requests a report covers. Empty sets and absent bounds select everything.
 *
 * @param threads    issuer names (Java thread name, else the kernel's command name); a virtual thread also matches
 *                   by its name prefix (vt-reader-*) and its carrier's name ({@link ThreadGrouping#matches})
 * @param devices    disk names or major:minor
 * @param operations read, write, flush, ...
 * @param minLatency nanoseconds, 0 for any
 * @param from       epoch nanoseconds, requests starting at or after it; Long.MIN_VALUE for any
 * @param to         epoch nanoseconds, requests starting at or before it; Long.MAX_VALUE for any
 * @param files      globs of the files read or written ({@link FileGlob}); any of them matches
 */
public record RequestFilter(Set<String> threads, Set<String> devices, Set<String> operations, long minLatency,
                            long from, long to, Set<String> files) implements Predicate<BlockRequest> {
    public static final RequestFilter ALL = new RequestFilter(Set.of(), Set.of(), Set.of(), 0, Long.MIN_VALUE, Long.MAX_VALUE);

    public RequestFilter {
        threads = Set.copyOf(threads);
        devices = Set.copyOf(devices);
        operations = Set.copyOf(operations);
        files = Set.copyOf(files);
    }

    /** Any file. */
    public RequestFilter(Set<String> threads, Set<String> devices, Set<String> operations, long minLatency, long from, long to) {
        this(threads, devices, operations, minLatency, from, to, Set.of());
    }

    @Override
    public boolean test(BlockRequest request) {
        return (threads.isEmpty() || ThreadGrouping.matches(threads, request))
                && (devices.isEmpty() || devices.contains(request.device()) || devices.contains(request.deviceNumber()))
                && (operations.isEmpty() || operations.contains(request.operation()))
                && request.duration() >= minLatency
                && request.start() >= from && request.start() <= to
                && (files.isEmpty() || files.stream().anyMatch(glob -> FileGlob.matches(glob, request.file())));
    }
}
