package io.blkflight.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers for the groups (devices, threads, files) of the requests a view keeps, and how many requests each has.
 * Bounded: past {@code limit} names, further ones share one overflow group, so a recording naming millions of
 * files does not hold a name per file.
 */
final class GroupNames {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final int limit;
    private final String overflow;
    private long[] requests = new long[16];

    GroupNames(int limit, String overflow) {
        this.limit = limit;
        this.overflow = overflow;
    }

    /** The group's number, counting one request for it. */
    int add(String name) {
        Integer id = ids.get(name);
        if (id == null) {
            id = ids.computeIfAbsent(ids.size() < limit ? name : overflow, key -> {
                names.add(key);
                return names.size() - 1;
            });
        }
        if (id == requests.length) {
            requests = java.util.Arrays.copyOf(requests, id * 2);
        }
        requests[id]++;
        return id;
    }

    int size() {
        return names.size();
    }

    String name(int id) {
        return names.get(id);
    }

    long requests(int id) {
        return requests[id];
    }

    /** The numbers of the groups, the most requests first, then by name. */
    int[] byRequests() {
        return java.util.stream.IntStream.range(0, names.size()).boxed()
                .sorted(java.util.Comparator.comparingLong((Integer id) -> -requests[id]).thenComparing(names::get))
                .mapToInt(Integer::intValue).toArray();
    }
}
