package echosuite.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Readings of a process (and its descendants) from {@code /proc}: resident memory, CPU time, sockets. */
final class ProcessTree {

    private ProcessTree() { }

    /** Sum of VmRSS over {@code pid} and its descendants, in KiB. */
    static long rssKiB(long pid) {
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        return Stream.concat(Stream.of(root), root.descendants()).mapToLong(p -> vmRssKiB(p.pid())).sum();
    }

    /**
     * CPU time (user + system) the process {@code pid} has used so far, all its threads, in
     * seconds: fields 14 and 15 of {@code /proc/PID/stat}, in clock ticks of {@value #USER_HZ} Hz
     * (Linux's USER_HZ, fixed by its ABI on the architectures the suite runs on).
     */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");   // f[0] is field 3 (state)
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) USER_HZ;
    }

    /** Open sockets of the process {@code pid} (entries of {@code /proc/PID/fd} that link to {@code socket:[...]}). */
    static int openSockets(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        }
    }

    static final int USER_HZ = 100;

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
