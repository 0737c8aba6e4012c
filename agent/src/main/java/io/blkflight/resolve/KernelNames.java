package io.blkflight.resolve;

import io.blkflight.decode.RequestRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names for the kernel's numbers in a request record: operations and flags (already normalised by the
 * BPF side, see enum bf_op and bf_flag in bpf/requests.h), block status codes and system calls.
 */
public final class KernelNames {
    private static final String[] OPERATIONS = new String[16];
    private static final String[] FLAG_NAMES = {
        "sync", "meta", "fua", "preflush", "readahead", "background", "prio", "nowait", "idle", "polled", "nomerge",
    };
    /*
     * blk_status_t codes 1..13 have meant the same since Linux 4.13 (6 was renamed from NEXUS to
     * RESV_CONFLICT in 6.5 without changing meaning); higher codes were renumbered, so they are shown
     * as numbers rather than risk a wrong name.
     */
    private static final String[] STATUS = {
        "ok", "notsupp", "timeout", "nospc", "transport", "target", "reservation-conflict", "medium",
        "protection", "resource", "ioerr", "dm-requeue", "again", "dev-resource",
    };

    static {
        OPERATIONS[0] = "read";
        OPERATIONS[1] = "write";
        OPERATIONS[2] = "flush";
        OPERATIONS[3] = "discard";
        OPERATIONS[4] = "secure-erase";
        OPERATIONS[5] = "write-zeroes";
        OPERATIONS[6] = "zone-append";
        OPERATIONS[7] = "zone-management";
        OPERATIONS[8] = "driver-in";
        OPERATIONS[9] = "driver-out";
    }

    private static final Map<Integer, String> FLAG_STRINGS = new ConcurrentHashMap<>();
    private static final Map<Integer, String> SYSCALLS = loadSyscalls();

    private KernelNames() {
    }

    public static String operation(int op) {
        String name = op >= 0 && op < OPERATIONS.length ? OPERATIONS[op] : null;
        return name != null ? name : "other";
    }

    /** The flags as a comma-separated list, empty for none. */
    public static String flags(int flags) {
        return FLAG_STRINGS.computeIfAbsent(flags, KernelNames::joinFlags);
    }

    private static String joinFlags(int flags) {
        StringBuilder names = new StringBuilder();
        for (int bit = 0; bit < FLAG_NAMES.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                names.append(names.length() == 0 ? "" : ",").append(FLAG_NAMES[bit]);
            }
        }
        return names.toString();
    }

    public static String status(int status) {
        if (status == RequestRecord.STATUS_END_UNSEEN) {
            return "end-unseen";
        }
        return status >= 0 && status < STATUS.length ? STATUS[status] : "status-" + status;
    }

    public static String origin(int origin, int writebackReason) {
        if (writebackReason != 0) {
            return "writeback";
        }
        switch (origin) {
            case RequestRecord.ORIGIN_BIO: return "bio";
            case RequestRecord.ORIGIN_TASK: return "task";
            default: return "unknown";
        }
    }

    /** enum wb_reason (include/linux/backing-dev-defs.h, the same on 6.1 to 6.18), by value. */
    private static final String[] WRITEBACK_REASONS = {"background", "vmscan", "sync", "periodic", "laptop-timer",
        "fs-free-space", "forker-thread", "foreign-flush"};

    /**
     * A writeback request's reason: the flusher's (the record holds wb_reason + 1), other-task when another task
     * than a flusher wrote the JVM's pages back; "" when the request is no such writeback.
     */
    public static String writeback(int reasonPlusOne) {
        if (reasonPlusOne == 0) {
            return "";
        }
        if (reasonPlusOne == RequestRecord.WRITEBACK_OTHER_TASK) {
            return "other-task";
        }
        if (reasonPlusOne == RequestRecord.WRITEBACK_JOURNAL) {
            return "journal";
        }
        return reasonPlusOne <= WRITEBACK_REASONS.length ? WRITEBACK_REASONS[reasonPlusOne - 1] : "reason-" + (reasonPlusOne - 1);
    }

    /** How a writeback request was credited to its dirtier; "" for no writeback. */
    public static String credit(int credit) {
        switch (credit) {
            case RequestRecord.CREDIT_PAGES: return "pages";
            case RequestRecord.CREDIT_FILE: return "file";
            case RequestRecord.CREDIT_FSYNC: return "fsync";
            case RequestRecord.CREDIT_SHARED: return "shared";
            default: return "";
        }
    }

    /** The x86_64 system call's name, {@code none} when the issuer was in none. */
    public static String syscall(int number) {
        if (number == RequestRecord.NO_SYSCALL) {
            return "none";
        }
        String name = SYSCALLS.get(number);
        return name != null ? name : "syscall-" + number;
    }

    private static Map<Integer, String> loadSyscalls() {
        Map<Integer, String> names = new HashMap<>();
        try (InputStream in = KernelNames.class.getResourceAsStream("syscalls-x86_64.txt")) {
            if (in == null) {
                return names;
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                names.put(Integer.parseInt(line.substring(0, space)), line.substring(space + 1));
            }
        } catch (IOException | RuntimeException e) {
            // Without the table every system call shows as its number: less readable, never wrong.
        }
        return Map.copyOf(names);
    }
}
