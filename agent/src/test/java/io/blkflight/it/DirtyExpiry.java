package io.blkflight.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * vm.dirty_expire_centisecs and vm.dirty_writeback_centisecs lowered for a test class that waits for the kernel's
 * flusher threads (1 s and 0.5 s instead of 30 s and 5 s), and put back after it: {@code @ExtendWith(DirtyExpiry.class)}
 * (root only; other users skip the class, saying why).
 */
public final class DirtyExpiry implements BeforeAllCallback, AfterAllCallback {
    private static final Path EXPIRE = Path.of("/proc/sys/vm/dirty_expire_centisecs");
    private static final Path INTERVAL = Path.of("/proc/sys/vm/dirty_writeback_centisecs");
    private static String expire;
    private static String interval;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Privileges.requireRoot();
        lower();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        restore();
    }

    /**
     * Lowers both. What {@link #restore} puts back: the machine's values, unless another test lowered them and has not
     * put them back yet (tests of other checkouts may run at the same time): then the kernel's defaults.
     */
    public static synchronized void lower() throws IOException {
        expire = Files.readString(EXPIRE).trim();
        interval = Files.readString(INTERVAL).trim();
        if (Integer.parseInt(expire) < 1000 || Integer.parseInt(interval) < 100) {
            expire = "3000";
            interval = "500";
        }
        set("100", "50");
    }

    /** Sets both, in centiseconds, while lowered (a test that needs pages to stay dirty for a while). */
    public static void set(String expireCentis, String intervalCentis) throws IOException {
        Files.writeString(EXPIRE, expireCentis);
        Files.writeString(INTERVAL, intervalCentis);
    }

    /** Puts back what {@link #lower} found. */
    public static synchronized void restore() throws IOException {
        if (expire != null) {
            set(expire, interval);
            expire = null;
        }
    }
}
