package io.blkflight.export;

import io.blkflight.model.BlockRequest;
import io.blkflight.model.FunctionHit;
import io.blkflight.model.JavaLink;
import io.blkflight.model.RequestLabels;
import io.blkflight.model.Stage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every field of a request as the table formats write it, defined once so that CSV columns and JSON keys are the same:
 * times as ISO-8601 instants in UTC to the nanosecond (always nine digits) with a twin in epoch nanoseconds, spans in nanoseconds, a value that is not available
 * empty (CSV) or null (JSON). Stacks are folded as flame-graph tools read them: outermost frame first, ';' between.
 */
final class Columns {
    /** A column's values are text or whole numbers. */
    enum Kind { TEXT, NUMBER }

    /** One column: its name, kind, and its value for a request (a String, a Long, or null when not available). */
    record Column(String name, Kind kind, Function<BlockRequest, Object> value) {
    }

    /** Always nine digits of the second: readers that guess types see the same shape in every row. */
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    static final List<Column> ALL = columns();

    private Columns() {
    }

    private static List<Column> columns() {
        List<Column> c = new ArrayList<>();
        time(c, "start", BlockRequest::start);
        time(c, "end", BlockRequest::end);
        number(c, "latency_ns", BlockRequest::duration);
        text(c, "device", BlockRequest::device);
        text(c, "device_number", BlockRequest::deviceNumber);
        text(c, "operation", BlockRequest::operation);
        text(c, "flags", BlockRequest::flags);
        number(c, "sector", BlockRequest::sector);
        number(c, "bytes", BlockRequest::bytes);
        number(c, "allocation_ns", BlockRequest::allocationTime);
        number(c, "insert_ns", BlockRequest::insertTime);
        number(c, "queue_ns", BlockRequest::queueTime);
        number(c, "service_ns", BlockRequest::serviceTime);
        text(c, "status", BlockRequest::status);
        text(c, "origin", BlockRequest::origin);
        number(c, "requeues", r -> (long) r.requeues());
        number(c, "merges", r -> (long) r.merges());
        text(c, "thread", RequestLabels::thread);
        text(c, "java_thread", BlockRequest::javaThreadName);
        number(c, "java_thread_id", r -> r.javaThreadId() < 0 ? BlockRequest.NOT_AVAILABLE : r.javaThreadId());
        number(c, "pid", r -> (long) r.pid());
        number(c, "os_thread_id", BlockRequest::osThreadId);
        text(c, "comm", BlockRequest::comm);
        number(c, "host_pid", r -> (long) r.hostPid());
        number(c, "host_thread_id", BlockRequest::hostThreadId);
        text(c, "cgroup", BlockRequest::cgroup);
        text(c, "syscall", BlockRequest::syscall);
        time(c, "syscall_start", BlockRequest::syscallStart);
        text(c, "request_address", r -> String.format("0x%x", r.requestAddress()));
        number(c, "generation", r -> (long) r.generation());
        text(c, "file", BlockRequest::file);
        text(c, "file_kind", BlockRequest::fileKind);
        number(c, "inode", BlockRequest::inode);
        number(c, "other_files", r -> (long) r.otherFiles());
        text(c, "writeback", BlockRequest::writeback);
        text(c, "credit", BlockRequest::credit);
        number(c, "dirtiers", r -> (long) r.dirtiers());
        time(c, "dirtied", BlockRequest::dirtiedTime);
        text(c, "other_dirtier", BlockRequest::otherDirtier);
        text(c, "stages_in_issuer", Columns::stagesInIssuer);
        number(c, "sample_kind", r -> r.sampleKind() < 0 ? BlockRequest.NOT_AVAILABLE : r.sampleKind());
        number(c, "stack_weight", r -> r.hasKernelStacks() ? r.stackWeight() : BlockRequest.NOT_AVAILABLE);
        text(c, "java_link", r -> r.javaLink().linked() ? r.javaLink().source().label() : "");
        text(c, "java_stack", Columns::javaStack);
        for (Stage stage : Stage.values()) {
            text(c, stage.label() + "_stack", r -> folded(r.kernelStack(stage)));
        }
        text(c, "function_path", Columns::functionPath);
        return List.copyOf(c);
    }

    private static void text(List<Column> columns, String name, Function<BlockRequest, String> value) {
        columns.add(new Column(name, Kind.TEXT, r -> {
            String text = value.apply(r);
            return text == null || text.isEmpty() ? null : text;
        }));
    }

    private static void number(List<Column> columns, String name, Function<BlockRequest, Long> value) {
        columns.add(new Column(name, Kind.NUMBER, r -> {
            Long number = value.apply(r);
            return number == BlockRequest.NOT_AVAILABLE ? null : number;
        }));
    }

    /** An instant: "name" in ISO-8601 (UTC, to the nanosecond) and "name_ns" in nanoseconds since the epoch. */
    private static void time(List<Column> columns, String name, Function<BlockRequest, Long> value) {
        text(columns, name, r -> {
            long nanos = value.apply(r);
            return nanos == BlockRequest.NOT_AVAILABLE ? null : ISO.format(Instant.ofEpochSecond(0, nanos));
        });
        number(columns, name + "_ns", value);
    }

    private static String stagesInIssuer(BlockRequest request) {
        List<String> stages = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            if (request.inIssuer(stage)) {
                stages.add(stage.label());
            }
        }
        return String.join(",", stages);
    }

    /** The Java stack, outermost first, each frame with its line number where known ("app.Store.load:42"). */
    private static String javaStack(BlockRequest request) {
        JavaLink link = request.javaLink();
        StringBuilder folded = new StringBuilder();
        for (int i = link.frames().size() - 1; i >= 0; i--) {
            if (folded.length() > 0) {
                folded.append(';');
            }
            folded.append(link.frames().get(i));
            if (link.lines().get(i) > 0) {
                folded.append(':').append(link.lines().get(i));
            }
        }
        return folded.toString();
    }

    /** A kernel stack (innermost first in the model), outermost first. */
    private static String folded(List<String> innermostFirst) {
        StringBuilder folded = new StringBuilder();
        for (int i = innermostFirst.size() - 1; i >= 0; i--) {
            if (folded.length() > 0) {
                folded.append(';');
            }
            folded.append(innermostFirst.get(i));
        }
        return folded.toString();
    }

    /** Function-level mode: "offset-ns function" per hit, in order, ';' between; "i" marks a hit in the issuer. */
    private static String functionPath(BlockRequest request) {
        StringBuilder path = new StringBuilder();
        for (FunctionHit hit : request.functionPath()) {
            if (path.length() > 0) {
                path.append(';');
            }
            path.append(hit.offsetNanos()).append(' ').append(hit.function()).append(hit.inIssuer() ? " i" : "");
        }
        return path.toString();
    }
}
