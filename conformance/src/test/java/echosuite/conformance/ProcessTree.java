package echosuite.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Resident memory of a process and all its descendants, from {@code /proc/PID/status}. */
final class ProcessTree {

    private ProcessTree() { }

    /** Sum of VmRSS over {@code pid} and its descendants, in KiB. */
    static long rssKiB(long pid) {
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        return Stream.concat(Stream.of(root), root.descendants()).mapToLong(p -> vmRssKiB(p.pid())).sum();
    }

    private static long vmRssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
            return 0;
        } catch (IOException gone) {
            return 0;   // the process exited between listing and reading
        }
    }
}
