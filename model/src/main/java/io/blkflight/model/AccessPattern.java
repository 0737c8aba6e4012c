package io.blkflight.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Request sizes and the sequential/random split, as bcc's bitesize and biopattern show them, per device and operation,
 * per thread and per file. A request is sequential when it starts where the previous request on its disk ended, in the
 * order the requests completed, as biopattern counts; the first request on a disk continues nothing and is random.
 * For a thread (a file) the previous request is that thread's (that file's) own previous one on the disk: a thread
 * that reads a file from start to end is sequential even while another thread's requests come in between.
 *
 * <p>Only requests that move data (reads and writes) count: a flush has no sectors, and a discard's range is not data
 * moved. The recording's order is not quite the completion order, so the view keeps 36 bytes per request (no object)
 * and orders them once at the end.
 */
public final class AccessPattern {
    /** Sizes and the split of one group. */
    public static final class Group {
        private final String name;
        private final LatencyHistogram sizes = new LatencyHistogram();
        private long sequential;
        private long bytes;

        Group(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public long requests() {
            return sizes.count();
        }

        public long sequential() {
            return sequential;
        }

        public long random() {
            return requests() - sequential;
        }

        public long bytes() {
            return bytes;
        }

        /** Request sizes in bytes (a histogram of values; its percentiles and power-of-two counts). */
        public LatencyHistogram sizes() {
            return sizes;
        }

        void add(long size, boolean isSequential) {
            sizes.add(size);
            bytes += size;
            if (isSequential) {
                sequential++;
            }
        }
    }

    private static final int MAX_GROUPS = 100_000;
    private static final long SECTOR = 512;

    private final GroupNames devices = new GroupNames(MAX_GROUPS, "(other devices)");
    private final GroupNames threads = new GroupNames(MAX_GROUPS, "(other threads)");
    private final GroupNames files = new GroupNames(MAX_GROUPS, "(other files)");
    private final List<String> operations = new ArrayList<>();
    private final Map<String, Integer> operationIds = new HashMap<>();
    private final LongColumn ends = new LongColumn();
    private final LongColumn sectors = new LongColumn();
    private final LongColumn sizes = new LongColumn();
    private final IntColumn deviceAndOperation = new IntColumn();
    private final IntColumn threadIds = new IntColumn();
    private final IntColumn fileIds = new IntColumn();
    private long skipped;
    private List<Group> byDevice;
    private List<Group> byThread;
    private List<Group> byFile;

    public void add(BlockRequest request) {
        if (!request.movesData() || request.bytes() <= 0) {
            skipped++;
            return;
        }
        int operation = operationIds.computeIfAbsent(request.operation(), op -> {
            operations.add(op);
            return operations.size() - 1;
        });
        ends.add(request.end());
        sectors.add(request.sector());
        sizes.add(request.bytes());
        deviceAndOperation.add(devices.add(request.device()) << 4 | Math.min(operation, 15));
        threadIds.add(threads.add(RequestLabels.thread(request)));
        fileIds.add(files.add(RequestLabels.file(request)));
        byDevice = null;
    }

    /** Requests that move no data (flushes, discards, ...) and are not in the view. */
    public long skipped() {
        return skipped;
    }

    public long requests() {
        return ends.size();
    }

    /** Per device and operation ("vda read"), by name. */
    public List<Group> byDevice() {
        compute();
        return byDevice;
    }

    /** Per thread ({@link RequestLabels#thread}), the most requests first. */
    public List<Group> byThread() {
        compute();
        return byThread;
    }

    /** Per file ({@link RequestLabels#file}), the most requests first. */
    public List<Group> byFile() {
        compute();
        return byFile;
    }

    private void compute() {
        if (byDevice != null) {
            return;
        }
        int n = ends.size();
        int[] order = LongOrder.sortedIndices(ends.array(), n);
        Map<Integer, Group> deviceGroups = new HashMap<>();
        Group[] threadGroups = new Group[threads.size()];
        Group[] fileGroups = new Group[files.size()];
        // Where the previous request ended (sector after it): per disk, per thread and disk, per file and disk.
        Map<Integer, Long> diskEnds = new HashMap<>();
        Map<Long, Long> threadEnds = new HashMap<>();
        Map<Long, Long> fileEnds = new HashMap<>();
        for (int i : order) {
            int code = deviceAndOperation.get(i);
            int device = code >>> 4;
            long sector = sectors.get(i);
            long size = sizes.get(i);
            long after = sector + (size + SECTOR - 1) / SECTOR;
            Long previous = diskEnds.put(device, after);
            deviceGroups.computeIfAbsent(code, c -> new Group(devices.name(device) + " " + operations.get(c & 15)))
                    .add(size, previous != null && previous == sector);
            int thread = threadIds.get(i);
            previous = threadEnds.put((long) thread * MAX_GROUPS + device, after);
            group(threadGroups, thread, threads).add(size, previous != null && previous == sector);
            int file = fileIds.get(i);
            previous = fileEnds.put((long) file * MAX_GROUPS + device, after);
            group(fileGroups, file, files).add(size, previous != null && previous == sector);
        }
        List<Group> device = new ArrayList<>(deviceGroups.values());
        device.sort(java.util.Comparator.comparing(Group::name));
        byThread = ranked(threadGroups);
        byFile = ranked(fileGroups);
        byDevice = device;
    }

    private static Group group(Group[] groups, int id, GroupNames names) {
        if (groups[id] == null) {
            groups[id] = new Group(names.name(id));
        }
        return groups[id];
    }

    private static List<Group> ranked(Group[] groups) {
        List<Group> list = new ArrayList<>();
        for (Group group : groups) {
            if (group != null) {
                list.add(group);
            }
        }
        list.sort(java.util.Comparator.comparingLong(Group::requests).reversed().thenComparing(Group::name));
        return list;
    }
}
