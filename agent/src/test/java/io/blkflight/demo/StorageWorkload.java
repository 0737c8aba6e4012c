package io.blkflight.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo's application: an embedded database (H2's MVStore engine) doing what storage-heavy services
 * do. Loader threads insert rows in batches and make each batch durable (CHECKPOINT SYNC: write, then
 * fsync); the database is closed, the page cache dropped, and query threads read it back cold: point
 * lookups by key and a full scan. Arguments: the database directory, rows per loader.
 */
public final class StorageWorkload {
    private static final int LOADERS = 3;
    private static final int QUERIERS = 2;
    private static final int BATCH = 2_000;

    private StorageWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int rowsPerLoader = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Files.createDirectories(directory);
        for (Path old : Files.list(directory).toArray(Path[]::new)) {
            Files.delete(old);
        }
        String url = "jdbc:h2:file:" + directory.resolve("demo") + ";DB_CLOSE_ON_EXIT=FALSE";

        long started = System.nanoTime();
        try (Connection setup = DriverManager.getConnection(url)) {
            setup.createStatement().execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer INT, payload VARCHAR(1024))");
        }
        runThreads("loader", LOADERS, index -> load(url, index, rowsPerLoader));
        try (Connection last = DriverManager.getConnection(url)) {
            last.createStatement().execute("SHUTDOWN");
        }
        long loaded = System.nanoTime();
        boolean cold = dropPageCache();
        long[] found = new long[QUERIERS];
        runThreads("query", QUERIERS, index -> found[index] = query(url, index, LOADERS * rowsPerLoader));
        System.out.printf("loaded %d rows in %d ms (%d loaders, durable every %d rows); %s reads by %d query threads found %d rows in %d ms%n",
                LOADERS * rowsPerLoader, (loaded - started) / 1_000_000, LOADERS, BATCH, cold ? "cold" : "possibly cached",
                QUERIERS, found[0] + found[1], (System.nanoTime() - loaded) / 1_000_000);
    }

    private interface Task {
        void run(int index) throws Exception;
    }

    private static void runThreads(String name, int count, Task task) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                try {
                    task.run(index);
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, name + "-" + (i + 1));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(name + " threads failed", failures.get(0));
        }
    }

    private static void load(String url, int loader, int rows) throws SQLException {
        SplittableRandom random = new SplittableRandom(loader);
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO orders VALUES (?, ?, ?)");
             Statement sync = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (int i = 0; i < rows; i++) {
                long id = (long) i * LOADERS + loader;
                insert.setLong(1, id);
                insert.setInt(2, random.nextInt(10_000));
                insert.setString(3, payload(random));
                insert.addBatch();
                if ((i + 1) % BATCH == 0 || i == rows - 1) {
                    insert.executeBatch();
                    connection.commit();
                    sync.execute("CHECKPOINT SYNC");
                }
            }
        }
    }

    private static String payload(SplittableRandom random) {
        char[] text = new char[600 + random.nextInt(400)];
        for (int i = 0; i < text.length; i++) {
            text[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(text);
    }

    private static long query(String url, int querier, int rows) throws SQLException {
        SplittableRandom random = new SplittableRandom(100 + querier);
        long found = 0;
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement lookup = connection.prepareStatement("SELECT payload FROM orders WHERE id = ?")) {
            for (int i = 0; i < 2_000; i++) {
                lookup.setLong(1, random.nextInt(rows));
                try (ResultSet result = lookup.executeQuery()) {
                    found += result.next() ? 1 : 0;
                }
            }
            if (querier == 0) {
                try (ResultSet scan = connection.createStatement().executeQuery(
                        "SELECT COUNT(*), SUM(LENGTH(payload)) FROM orders WHERE customer < 5000")) {
                    scan.next();
                }
            }
        }
        return found;
    }

    /** Drops the clean page cache so that the query phase reads from the disk (needs root). */
    static boolean dropPageCache() {
        try {
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1");
            return true;
        } catch (IOException | SecurityException e) {
            System.out.println("could not drop the page cache (" + e.getMessage() + "): reads may come from memory");
            return false;
        }
    }
}
