package echosuite.conformance;

import echosuite.procfs.ProcFs;
import echosuite.procfs.ProcStat;
import echosuite.procfs.ProcStatus;
import echosuite.procfs.TcpState;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Readings of a process (and its descendants) through {@link ProcFs}: resident memory, CPU time,
 * sockets; and the connections on a port, from the kernel's socket tables.
 */
final class ProcessTree {

    private static final ProcFs PROC = new ProcFs();
    /** The states of a connection its server still holds (see {@link #connectionsOn}). */
    private static final Set<TcpState> HELD = EnumSet.of(TcpState.ESTABLISHED, TcpState.SYN_RECV, TcpState.CLOSE_WAIT);

    private ProcessTree() { }

    /** Sum of VmRSS over {@code pid} and its descendants, in KiB. */
    static long rssKiB(long pid) {
        return usage(pid).rssKiB();
    }

    /**
     * CPU time (user + system) the process {@code pid} has used so far, all its threads, in
     * seconds (from {@code /proc/PID/stat}, see {@link ProcStat#cpuMicros}).
     */
    static double cpuSeconds(long pid) throws IOException {
        return PROC.stat(pid).cpuMicros() / 1e6;
    }

    /** Open sockets of the process {@code pid} (entries of {@code /proc/PID/fd} that link to {@code socket:[...]}). */
    static int openSockets(long pid) throws IOException {
        return sockets(PROC.fdTargets(pid));
    }

    /** {@link #cpuSeconds} summed over {@code pid} and its descendants, as they are at one listing. */
    static double treeCpuSeconds(long pid) {
        long micros = 0;
        for (ProcStat s : tree(pid)) micros += s.cpuMicros();
        return micros / 1e6;
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
        int processes = 0, threads = 0, fds = 0, sockets = 0, zombies = 0;
        long rssBytes = 0;
        for (ProcStat s : tree(pid)) {
            if (s.zombie()) {
                zombies++;
                continue;
            }
            try {
                ProcStatus status = PROC.status(s.pid());
                List<String> open = PROC.fdTargets(s.pid());
                threads += status.threads();
                rssBytes += status.vmRssBytes();
                fds += open.size();
                sockets += sockets(open);
                processes++;
            } catch (IOException gone) {
                // the process exited between listing and reading: it holds nothing any more
            }
        }
        return new Usage(processes, threads, fds, sockets, rssBytes / 1024, zombies);
    }

    /**
     * Connections a server still holds on its port {@code port}, from the kernel's socket tables
     * ({@code /proc/net/tcp}, {@code tcp6}): those ESTABLISHED, SYN_RECV or CLOSE_WAIT with that
     * local port. The listening socket does not count, nor sockets in TIME_WAIT or FIN_WAIT
     * (closed by their owner, kept by the kernel for a while).
     */
    static int connectionsOn(int port) throws IOException {
        return (int) PROC.tcpSockets().stream()
                .filter(s -> s.local().port() == port && HELD.contains(s.state())).count();
    }

    /** {@code pid} and its descendants; fails the test if {@code pid} is gone. */
    private static List<ProcStat> tree(long pid) {
        List<ProcStat> tree = PROC.tree(pid);
        if (tree.isEmpty()) throw new AssertionError("no process " + pid);
        return tree;
    }

    private static int sockets(List<String> fdTargets) {
        return (int) fdTargets.stream().filter(t -> t.startsWith("socket:")).count();
    }
}
