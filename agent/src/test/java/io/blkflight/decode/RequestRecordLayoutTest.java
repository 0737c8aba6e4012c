package io.blkflight.decode;

import io.blkflight.model.Stage;
import static org.assertj.core.api.Assertions.assertThat;

import io.blkflight.collector.Counter;
import io.blkflight.collector.NativeCollector;
import io.blkflight.collector.NativeLibrary;
import io.blkflight.resolve.KernelNames;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java decoder against the layout the native library was compiled with (bpf/requests.h, reported
 * by offsetof/sizeof in native/collector.c): every field at the same offset with the same size, the
 * counters in the same order, the constants with the same values.
 */
class RequestRecordLayoutTest {
    private static Map<String, long[]> layout;

    @BeforeAll
    static void loadLayout() throws Exception {
        NativeLibrary.load(null);
        layout = new LinkedHashMap<>();
        for (String line : NativeCollector.layout().split("\n")) {
            String[] parts = line.split(" ");
            layout.put(parts[0], new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
        }
    }

    private static void assertField(String cField, int javaOffset, int size) {
        assertField("bf_request_record", cField, javaOffset, size);
    }

    private static void assertField(String struct, String cField, int javaOffset, int size) {
        assertThat(layout).as("the native layout reports %s.%s", struct, cField).containsKey(struct + "." + cField);
        long[] native_ = layout.get(struct + "." + cField);
        assertThat(native_[0]).as("offset of %s", cField).isEqualTo(javaOffset);
        assertThat(native_[1]).as("size of %s", cField).isEqualTo(size);
    }

    private static long constant(String name) {
        assertThat(layout).as("the native layout reports constant %s", name).containsKey("const." + name);
        return layout.get("const." + name)[0];
    }

    @Test
    void recordSizeAndVersionMatchTheHeader() {
        assertThat(layout.get("bf_request_record")[1]).as("sizeof(struct bf_request_record)").isEqualTo(RequestRecord.SIZE);
        assertThat(constant("BF_LAYOUT_VERSION")).isEqualTo(RequestRecord.LAYOUT_VERSION);
        assertThat(constant("BF_RECORD_REQUEST")).isEqualTo(RequestRecord.KIND_REQUEST);
    }

    @Test
    void everyFieldSitsWhereTheDecoderReadsIt() {
        assertField("header.kind", RequestRecord.KIND, 4);
        assertField("header.version", RequestRecord.VERSION, 4);
        assertField("request", RequestRecord.REQUEST, 8);
        assertField("submit_ns", RequestRecord.SUBMIT_NS, 8);
        assertField("alloc_ns", RequestRecord.ALLOC_NS, 8);
        assertField("insert_ns", RequestRecord.INSERT_NS, 8);
        assertField("issue_ns", RequestRecord.ISSUE_NS, 8);
        assertField("complete_ns", RequestRecord.COMPLETE_NS, 8);
        assertField("syscall_start_ns", RequestRecord.SYSCALL_START_NS, 8);
        assertField("sector", RequestRecord.SECTOR, 8);
        assertField("cgroup", RequestRecord.CGROUP, 8);
        assertField("dirtied_ns", RequestRecord.DIRTIED_NS, 8);
        assertField("file_ino", RequestRecord.FILE_INO, 8);
        assertField("vthread", RequestRecord.VTHREAD, 8);
        assertField("dirtier_vthread", RequestRecord.DIRTIER_VTHREAD, 8);
        assertField("bytes", RequestRecord.BYTES, 4);
        assertField("dev", RequestRecord.DEV, 4);
        assertField("tgid", RequestRecord.TGID, 4);
        assertField("tid", RequestRecord.TID, 4);
        assertField("host_tgid", RequestRecord.HOST_TGID, 4);
        assertField("host_tid", RequestRecord.HOST_TID, 4);
        assertField("dirtier_tgid", RequestRecord.DIRTIER_TGID, 4);
        assertField("dirtier_tid", RequestRecord.DIRTIER_TID, 4);
        assertField("generation", RequestRecord.GENERATION, 4);
        assertField("flags", RequestRecord.FLAGS, 4);
        assertField("syscall_nr", RequestRecord.SYSCALL_NR, 4);
        assertField("submit_stack", RequestRecord.SUBMIT_STACK, 4);
        assertField("insert_stack", RequestRecord.INSERT_STACK, 4);
        assertField("issue_stack", RequestRecord.ISSUE_STACK, 4);
        assertField("complete_stack", RequestRecord.COMPLETE_STACK, 4);
        assertField("file_dev", RequestRecord.FILE_DEV, 4);
        assertField("other_files", RequestRecord.OTHER_FILES, 2);
        assertField("file_kind", RequestRecord.FILE_KIND, 1);
        assertField("file_flags", RequestRecord.FILE_FLAGS, 1);
        assertField("file_seq", RequestRecord.FILE_SEQ, 2);
        assertField("requeues", RequestRecord.REQUEUES, 2);
        assertField("merges", RequestRecord.MERGES, 2);
        assertField("dirtiers", RequestRecord.DIRTIERS, 2);
        assertField("op", RequestRecord.OP, 1);
        assertField("status", RequestRecord.STATUS, 1);
        assertField("origin", RequestRecord.ORIGIN, 1);
        assertField("issuer_context", RequestRecord.ISSUER_CONTEXT, 1);
        assertField("sample_kind", RequestRecord.SAMPLE_KIND, 1);
        assertField("writeback_reason", RequestRecord.WRITEBACK_REASON, 1);
        assertField("credit", RequestRecord.CREDIT, 1);
        assertField("stack_weight", RequestRecord.STACK_WEIGHT, 2);
        assertField("comm", RequestRecord.COMM, RequestRecord.COMM_LENGTH);
    }

    @Test
    void everyNativeFieldIsDecoded() {
        long nativeFields = layout.keySet().stream().filter(k -> k.startsWith("bf_request_record.")).count();
        assertThat(nativeFields).as("fields in struct bf_request_record (a new one needs a decoder and a check above)")
                .isEqualTo(47);
    }

    @Test
    void pathRecordSitsWhereTheDecoderReadsIt() {
        assertThat(layout.get("bf_path_record")[1]).as("sizeof(struct bf_path_record)").isEqualTo(PathRecord.SIZE);
        assertThat(constant("BF_RECORD_PATH")).isEqualTo(PathRecord.KIND_PATH);
        assertThat(constant("BF_MAX_PATH")).isEqualTo(PathRecord.MAX_PATH);
        assertField("bf_path_record", "header.kind", RequestRecord.KIND, 4);
        assertField("bf_path_record", "request", PathRecord.REQUEST, 8);
        assertField("bf_path_record", "generation", PathRecord.GENERATION, 4);
        assertField("bf_path_record", "hits", PathRecord.HITS, 2);
        assertField("bf_path_record", "overflow", PathRecord.OVERFLOW, 2);
        assertField("bf_path_record", "hit", PathRecord.HIT, PathRecord.HIT_SIZE * PathRecord.MAX_PATH);
        assertField("bf_path_hit", "ns", PathRecord.HIT_NS, 8);
        assertField("bf_path_hit", "function", PathRecord.HIT_FUNCTION, 2);
        assertField("bf_path_hit", "in_issuer", PathRecord.HIT_IN_ISSUER, 1);
        assertField("bf_path_hit", "stack", PathRecord.HIT_STACK, 4);
        long pathFields = layout.keySet().stream()
                .filter(k -> k.startsWith("bf_path_record.") || k.startsWith("bf_path_hit.")).count();
        assertThat(pathFields).as("fields of the path structs reported (a new one needs a decoder and a check above)")
                .isEqualTo(10);
    }

    @Test
    void fileRecordSitsWhereTheDecoderReadsIt() {
        assertThat(layout.get("bf_file_record")[1]).as("sizeof(struct bf_file_record)")
                .isEqualTo(FileRecord.HEAD + FileRecord.PATH_BYTES);
        assertThat(constant("BF_RECORD_FILE")).isEqualTo(FileRecord.KIND_FILE);
        assertThat(constant("BF_FILE_RECORD_HEAD")).isEqualTo(FileRecord.HEAD);
        assertThat(constant("BF_PATH_BYTES")).isEqualTo(FileRecord.PATH_BYTES);
        assertThat(constant("BF_PATH_DEPTH")).isEqualTo(FileRecord.PATH_DEPTH);
        assertField("bf_file_record", "header.kind", RequestRecord.KIND, 4);
        assertField("bf_file_record", "ino", FileRecord.INO, 8);
        assertField("bf_file_record", "dev", FileRecord.DEV, 4);
        assertField("bf_file_record", "flags", FileRecord.FLAGS, 4);
        assertField("bf_file_record", "mode", FileRecord.MODE, 2);
        assertField("bf_file_record", "seq", FileRecord.SEQ, 2);
        assertField("bf_file_record", "depth", FileRecord.DEPTH, 2);
        assertField("bf_file_record", "length", FileRecord.LENGTH, 2);
        assertField("bf_file_record", "names", FileRecord.NAMES, FileRecord.PATH_BYTES);
        assertThat(layout.keySet().stream().filter(k -> k.startsWith("bf_file_record.")).count())
                .as("fields of bf_file_record reported (a new one needs a decoder and a check above)").isEqualTo(9);
    }

    @Test
    void stackSignalRecordSitsWhereTheDecoderReadsIt() {
        assertThat(layout.get("bf_stack_signal_record")[1]).as("sizeof(struct bf_stack_signal_record)")
                .isEqualTo(StackSignalRecord.SIZE);
        assertThat(constant("BF_RECORD_STACK_SIGNAL")).isEqualTo(StackSignalRecord.KIND_STACK_SIGNAL);
        assertField("bf_stack_signal_record", "header.kind", RequestRecord.KIND, 4);
        assertField("bf_stack_signal_record", "ns", StackSignalRecord.NS, 8);
        assertField("bf_stack_signal_record", "tid", StackSignalRecord.TID, 4);
        assertField("bf_stack_signal_record", "host_tid", StackSignalRecord.HOST_TID, 4);
        assertField("bf_stack_signal_record", "vthread", StackSignalRecord.VTHREAD, 8);
        assertThat(layout.keySet().stream().filter(k -> k.startsWith("bf_stack_signal_record.")).count())
                .as("fields of bf_stack_signal_record reported (a new one needs a decoder and a check above)").isEqualTo(5);
    }

    @Test
    void drainedJavaStacksSitWhereTheDecoderReadsThem() {
        assertThat(layout.get("bf_java_stack_head")[1]).as("sizeof(struct bf_java_stack_head)").isEqualTo(JavaStackRecord.HEAD);
        assertThat(layout.get("bf_java_frame")[1]).as("sizeof(struct bf_java_frame)").isEqualTo(JavaStackRecord.FRAME);
        assertField("bf_java_stack_head", "ns", JavaStackRecord.NS, 8);
        assertField("bf_java_stack_head", "tid", JavaStackRecord.TID, 4);
        assertField("bf_java_stack_head", "frames", JavaStackRecord.FRAMES, 4);
        assertField("bf_java_stack_head", "truncated", JavaStackRecord.TRUNCATED, 4);
        assertField("bf_java_frame", "method", JavaStackRecord.METHOD, 8);
        assertField("bf_java_frame", "bci", JavaStackRecord.BCI, 4);
        assertThat(constant("BF_JAVA_STACK_DEPTH")).isEqualTo(JavaStackRecord.MAX_DEPTH);
        assertThat(constant("BF_JAVA_STACK_NOT_JAVA")).isEqualTo(JavaStackRecord.NOT_JAVA);
        assertThat(constant("BF_JAVA_STACK_NO_ENV")).isEqualTo(JavaStackRecord.NO_ENV);
        assertThat(constant("BF_JSC_MAX")).as("the handler's counters NativeCollector reads").isEqualTo(4);
    }

    @Test
    void fileKindsAndFlagsAgree() {
        Map<String, Integer> constants = Map.ofEntries(Map.entry("BF_FILE_NONE", FileRecord.KIND_NONE),
                Map.entry("BF_FILE_DATA", FileRecord.KIND_DATA), Map.entry("BF_FILE_DEVICE_CACHE", FileRecord.KIND_DEVICE_CACHE),
                Map.entry("BF_FILE_XFS_LOG", FileRecord.KIND_XFS_LOG), Map.entry("BF_FILE_XFS_METADATA", FileRecord.KIND_XFS_METADATA),
                Map.entry("BF_FILE_SWAP", FileRecord.KIND_SWAP), Map.entry("BF_FILE_RAW_DEVICE", FileRecord.KIND_RAW_DEVICE),
                Map.entry("BF_FILE_USER_MEMORY", FileRecord.KIND_USER_MEMORY),
                Map.entry("BF_FILE_KERNEL_BUFFER", FileRecord.KIND_KERNEL_BUFFER), Map.entry("BF_FILE_NO_DATA", FileRecord.KIND_NO_DATA),
                Map.entry("BF_FILE_DELETED", FileRecord.REQUEST_DELETED), Map.entry("BF_FILE_DIRECT", FileRecord.REQUEST_DIRECT),
                Map.entry("BF_FILE_MORE_BIOS", FileRecord.REQUEST_MORE_BIOS), Map.entry("BF_PATH_TRUNCATED", FileRecord.TRUNCATED),
                Map.entry("BF_PATH_UNLINKED", FileRecord.UNLINKED), Map.entry("BF_PATH_NO_LINKS", FileRecord.NO_LINKS),
                Map.entry("BF_PATH_NO_DENTRY", FileRecord.NO_DENTRY), Map.entry("BF_PATH_DISCONNECTED", FileRecord.DISCONNECTED),
                Map.entry("BF_PATH_FROM_FILE", FileRecord.FROM_FILE), Map.entry("BF_PATH_ALIASES", FileRecord.ALIASES),
                Map.entry("BF_PATH_REWALK", FileRecord.REWALK), Map.entry("BF_FILE_PATH_STALE", FileRecord.REQUEST_PATH_STALE),
                Map.entry("BF_PATH_MOVED", FileRecord.MOVED), Map.entry("BF_PATH_SAME_LEAF", FileRecord.SAME_LEAF),
                Map.entry("BF_PATH_LINKS", FileRecord.LINKS));
        constants.forEach((c, value) -> assertThat(constant(c)).as(c).isEqualTo(value.longValue()));
    }

    @Test
    void countersComeInTheSameOrder() {
        List<String> nativeCounters = layout.entrySet().stream()
                .filter(e -> e.getKey().startsWith("bf_counter."))
                .sorted((a, b) -> Long.compare(a.getValue()[0], b.getValue()[0]))
                .map(e -> e.getKey().substring("bf_counter.".length()))
                .collect(Collectors.toList());
        List<String> javaCounters = Arrays.stream(Counter.values()).map(Enum::name).collect(Collectors.toList());
        assertThat(javaCounters).isEqualTo(nativeCounters);
    }

    @Test
    void sentinelsAndOriginsAgree() {
        assertThat(constant("BF_NO_SYSCALL")).isEqualTo(RequestRecord.NO_SYSCALL);
        assertThat(constant("BF_MERGES_SATURATED")).isEqualTo(RequestRecord.MERGES_SATURATED);
        assertThat(constant("BF_ORIGIN_BIO")).isEqualTo(RequestRecord.ORIGIN_BIO);
        assertThat(constant("BF_CREDIT_NONE")).isEqualTo(RequestRecord.CREDIT_NONE);
        assertThat(constant("BF_CREDIT_PAGES")).isEqualTo(RequestRecord.CREDIT_PAGES);
        assertThat(constant("BF_CREDIT_FILE")).isEqualTo(RequestRecord.CREDIT_FILE);
        assertThat(constant("BF_WRITEBACK_OTHER_TASK")).isEqualTo(RequestRecord.WRITEBACK_OTHER_TASK);
        assertThat(constant("BF_WRITEBACK_JOURNAL")).isEqualTo(RequestRecord.WRITEBACK_JOURNAL);
        assertThat(constant("BF_CREDIT_FSYNC")).isEqualTo(RequestRecord.CREDIT_FSYNC);
        assertThat(constant("BF_CREDIT_SHARED")).isEqualTo(RequestRecord.CREDIT_SHARED);
        assertThat(constant("BF_SCOPE_ALL")).isEqualTo(NativeCollector.SCOPE_ALL);
        assertThat(constant("BF_STACKS_OFF")).isEqualTo(NativeCollector.STACKS_OFF);
        assertThat(constant("BF_STACKS_SAMPLED")).isEqualTo(NativeCollector.STACKS_SAMPLED);
        assertThat(constant("BF_STACKS_ALL")).isEqualTo(NativeCollector.STACKS_ALL);
        assertThat(NativeCollector.STACKS_SAMPLED).as("the agent passes the mode by its ordinal")
                .isEqualTo(io.blkflight.agent.AgentOptions.Stacks.Mode.SAMPLED.ordinal());
        assertThat(constant("BF_SAMPLE_KINDS")).isEqualTo(RequestRecord.SAMPLE_KINDS);
        assertThat(constant("BF_SAMPLE_WINDOW_SHIFT")).as("the window the tests' sampler imitates").isEqualTo(27);
        assertThat(constant("BF_SCOPE_SELF")).isEqualTo(NativeCollector.SCOPE_SELF);
        assertThat(constant("BF_SCOPE_CGROUP")).isEqualTo(NativeCollector.SCOPE_CGROUP);
        assertThat(constant("BF_ORIGIN_TASK")).isEqualTo(RequestRecord.ORIGIN_TASK);
        assertThat(constant("BF_ORIGIN_UNKNOWN")).isEqualTo(RequestRecord.ORIGIN_UNKNOWN);
        assertThat(constant("BF_STATUS_END_UNSEEN")).isEqualTo(RequestRecord.STATUS_END_UNSEEN);
        assertThat(KernelNames.status(RequestRecord.STATUS_END_UNSEEN)).isEqualTo("end-unseen");
        assertThat(constant("BF_NO_STACK")).isEqualTo(RequestRecord.NO_STACK);
        assertThat(1L << constant("BF_END_IO_DIRECT")).isEqualTo(io.blkflight.collector.NativeCollector.END_IO_DIRECT);
        assertThat(constant("BF_MAX_STACK_DEPTH")).isEqualTo(RequestRecord.MAX_STACK_DEPTH);
        for (Stage stage : Stage.values()) {
            assertThat(constant("BF_STAGE_" + stage.name())).as("enum bf_stage value of %s", stage).isEqualTo(stage.ordinal());
        }
    }

    @Test
    void operationAndFlagValuesGetTheirNames() {
        Map<String, String> operations = Map.of("BF_OP_READ", "read", "BF_OP_WRITE", "write", "BF_OP_FLUSH", "flush",
                "BF_OP_DISCARD", "discard", "BF_OP_SECURE_ERASE", "secure-erase", "BF_OP_WRITE_ZEROES", "write-zeroes",
                "BF_OP_ZONE_APPEND", "zone-append", "BF_OP_ZONE_MGMT", "zone-management", "BF_OP_DRV_IN", "driver-in",
                "BF_OP_DRV_OUT", "driver-out");
        operations.forEach((c, name) -> assertThat(KernelNames.operation((int) constant(c))).as(c).isEqualTo(name));
        Map<String, String> flags = Map.ofEntries(Map.entry("BF_FLAG_SYNC", "sync"), Map.entry("BF_FLAG_META", "meta"),
                Map.entry("BF_FLAG_FUA", "fua"), Map.entry("BF_FLAG_PREFLUSH", "preflush"),
                Map.entry("BF_FLAG_RAHEAD", "readahead"), Map.entry("BF_FLAG_BACKGROUND", "background"),
                Map.entry("BF_FLAG_PRIO", "prio"), Map.entry("BF_FLAG_NOWAIT", "nowait"),
                Map.entry("BF_FLAG_IDLE", "idle"), Map.entry("BF_FLAG_POLLED", "polled"),
                Map.entry("BF_FLAG_NOMERGE", "nomerge"));
        flags.forEach((c, name) -> assertThat(KernelNames.flags((int) constant(c))).as(c).isEqualTo(name));
    }
}
