package echosuite.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The load generator's own memory, from {@code /proc/self/status} (Linux). */
final class ProcessMemory {

    private ProcessMemory() { }

    /** {VmRSS, VmHWM} in KiB (resident now, peak resident); -1 where unknown (not Linux). */
    static long[] rssKiB() {
        long rss = -1, peak = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rss = kib(line);
                else if (line.startsWith("VmHWM:")) peak = kib(line);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: report unknown
        }
        return new long[] {rss, peak};
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
