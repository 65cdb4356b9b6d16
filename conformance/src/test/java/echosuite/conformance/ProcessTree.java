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
        return usage(pid).rssKiB();
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
        return openFds(pid)[1];
    }

    /** {@link #cpuSeconds} summed over {@code pid} and its descendants; processes that exit meanwhile are skipped. */
    static double treeCpuSeconds(long pid) {
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        double sum = 0;
        for (ProcessHandle p : Stream.concat(Stream.of(root), root.descendants()).toList()) {
            try {
                sum += cpuSeconds(p.pid());
            } catch (IOException gone) {
                // exited between listing and reading
            }
        }
        return sum;
    }

    /**
     * The CPU that {@code pid} and its descendants use over {@code window}, as a fraction of one
     * CPU (1.0: one core busy all the time). Sleeps for the window: it is the measurement.
     */
    static double cpuShare(long pid, java.time.Duration window) throws InterruptedException {
        double before = treeCpuSeconds(pid);
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis());   // the measuring window itself
        return (treeCpuSeconds(pid) - before) / ((System.nanoTime() - t0) / 1e9);
    }

    static final int USER_HZ = 100;

    /**
     * What a server holds at one moment, summed over its process and every descendant: the
     * figures a leak shows in. A zombie (a child that exited and was not reaped) counts in
     * {@code zombies}, not in {@code processes}.
     *
     * @param processes live processes (the server, and its children for the forking server)
     * @param threads   threads of those processes ({@code Threads:} in {@code /proc/PID/status})
     * @param fds       open file descriptors (entries of {@code /proc/PID/fd})
     * @param sockets   the sockets among them
     * @param rssKiB    resident memory, KiB ({@code VmRSS})
     * @param zombies   descendants in state Z
     */
    record Usage(int processes, int threads, int fds, int sockets, long rssKiB, int zombies) {
        @Override
        public String toString() {
            return processes + " proc, " + threads + " threads, " + fds + " fds, RSS " + rssKiB / 1024 + " MiB"
                    + (zombies == 0 ? "" : ", " + zombies + " ZOMBIES");
        }
    }

    /** Reads {@link Usage} of {@code pid} and its descendants; processes that exit meanwhile are skipped. */
    static Usage usage(long pid) {
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        int processes = 0, threads = 0, fds = 0, sockets = 0, zombies = 0;
        long rss = 0;
        for (ProcessHandle p : Stream.concat(Stream.of(root), root.descendants()).toList()) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                if (stat.charAt(stat.lastIndexOf(')') + 2) == 'Z') {
                    zombies++;
                    continue;
                }
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                    if (line.startsWith("Threads:")) threads += Integer.parseInt(line.replaceAll("[^0-9]", ""));
                    if (line.startsWith("VmRSS:")) rss += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
                int[] open = openFds(p.pid());
                fds += open[0];
                sockets += open[1];
                processes++;
            } catch (IOException | java.nio.file.DirectoryIteratorException gone) {
                // the process exited between listing and reading: it holds nothing any more
            }
        }
        return new Usage(processes, threads, fds, sockets, rss, zombies);
    }

    /**
     * Connections a server still holds on its port {@code port}, from the kernel's socket tables
     * ({@code /proc/net/tcp}, {@code tcp6}): those ESTABLISHED, SYN_RECV or CLOSE_WAIT with that
     * local port. The listening socket does not count, nor sockets in TIME_WAIT or FIN_WAIT
     * (closed by their owner, kept by the kernel for a while).
     */
    static int connectionsOn(int port) throws IOException {
        String localPort = String.format(":%04X", port);
        int n = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            if (!Files.exists(Path.of(table))) continue;
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.strip().split("\\s+");
                if (f.length < 4 || !f[1].endsWith(localPort)) continue;
                if (f[3].equals("01") || f[3].equals("03") || f[3].equals("08")) n++;
            }
        }
        return n;
    }

    /** {open descriptors, sockets among them} of one process. */
    private static int[] openFds(long pid) throws IOException {
        int fds = 0, sockets = 0;
        try (var dir = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : dir) {
                fds++;
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) sockets++;
                } catch (IOException closedMeanwhile) {
                    fds--;
                }
            }
        }
        return new int[] {fds, sockets};
    }

}
