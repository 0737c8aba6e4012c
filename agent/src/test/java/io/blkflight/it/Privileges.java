package io.blkflight.it;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real-BPF tests need root: BPF (CAP_BPF, CAP_PERFMON), losetup and mount. Where the process has
 * not got them the tests are skipped, loudly; as root (this machine, CI) they always run.
 */
public final class Privileges {
    private Privileges() {
    }

    public static void requireRoot() {
        String why = whyNotRoot();
        if (why != null) {
            String message = "SKIPPED: real-BPF integration test needs root (BPF, loop devices, mount): " + why;
            System.err.println("*** " + message + " ***");
            abort(message);
        }
    }

    private static String whyNotRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String effective = line.split("\\s+")[2];
                    return effective.equals("0") ? null : "effective uid is " + effective;
                }
            }
            return "/proc/self/status has no Uid line";
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e.getMessage();
        }
    }
}
