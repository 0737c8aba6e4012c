package io.blkflight.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * What compact requests of one issuer and kind share, as a {@code blkflight.RequestShape} event holds it,
 * read by either reader; {@link #fill} gives a compact request's builder these fields.
 */
public record RequestShape(String device, String deviceNumber, String operation, String flags, String status,
                           String syscall, int pid, long osThreadId, String comm, Set<Stage> stagesInIssuer,
                           int sampleKind, String writeback, String credit, String origin, int hostPid, long hostThreadId,
                           String cgroup) {

    /**
     * Texts cleaned for printing; stages from their comma-separated labels (unknown labels ignored); sampleKind -1
     * where the recording does not say; writeback and credit "" for requests that are no writeback (or recordings
     * from before it was recorded).
     */
    public static RequestShape of(String device, String deviceNumber, String operation, String flags, String status,
                                  String syscall, int pid, long osThreadId, String comm, String stagesInIssuer,
                                  int sampleKind, String writeback, String credit) {
        return of(device, deviceNumber, operation, flags, status, syscall, pid, osThreadId, comm, stagesInIssuer, sampleKind,
                writeback, credit, null, 0, 0, null);
    }

    /** As above, with the shape's origin and the issuer as the host sees it (null strings where not said). */
    public static RequestShape of(String device, String deviceNumber, String operation, String flags, String status,
                                  String syscall, int pid, long osThreadId, String comm, String stagesInIssuer,
                                  int sampleKind, String writeback, String credit, String origin, int hostPid,
                                  long hostThreadId, String cgroup) {
        Set<Stage> stages = EnumSet.noneOf(Stage.class);
        if (stagesInIssuer != null) {
            for (Stage stage : Stage.values()) {
                for (String label : stagesInIssuer.split(",")) {
                    if (label.trim().equals(stage.label())) {
                        stages.add(stage);
                    }
                }
            }
        }
        return new RequestShape(Text.clean(device), Text.clean(deviceNumber), Text.clean(operation), Text.clean(flags),
                Text.clean(status), Text.clean(syscall), pid, osThreadId, Text.clean(comm), Set.copyOf(stages), sampleKind,
                writeback == null ? "" : Text.clean(writeback), credit == null ? "" : Text.clean(credit),
                origin == null ? "" : Text.clean(origin), hostPid, hostThreadId, cgroup == null ? "" : Text.cleanPath(cgroup));
    }

    /**
     * Gives a compact request the shape's fields and the request's own: a compact request's timespans hold 0
     * where the full event holds N/A, its system call start is its start minus {@code syscallTime}, and a writeback
     * request's dirtying its start minus {@code dirtyAge}.
     */
    public BlockRequest.Builder fill(BlockRequest.Builder builder, long start, long sector, long bytes, long allocationTime,
                                     long insertTime, long queueTime, long serviceTime, long syscallTime,
                                     String javaThreadName, long javaThreadId, int dirtiers, long dirtyAge) {
        return builder.where(device, deviceNumber, operation, flags, sector, bytes)
                .stages(orNotAvailable(allocationTime), orNotAvailable(insertTime), orNotAvailable(queueTime),
                        orNotAvailable(serviceTime))
                .status(status)
                .issuer(pid, osThreadId, comm, javaThreadName, javaThreadId)
                .host(hostPid, hostThreadId, cgroup)
                .sampleKind(sampleKind)
                .writeback(writeback, credit, dirtiers, writeback.isEmpty() || dirtyAge == 0 ? BlockRequest.NOT_AVAILABLE
                        : start - dirtyAge)
                .syscall(syscall, syscallTime == 0 ? BlockRequest.NOT_AVAILABLE : start - syscallTime);
    }

    private static long orNotAvailable(long span) {
        return span == 0 ? BlockRequest.NOT_AVAILABLE : span;
    }
}
