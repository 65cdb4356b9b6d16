package echosuite.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a process tree's resources from Linux's {@code /proc}: which processes belong to the tree
 * (by parent pid, from every {@code /proc/PID/stat}), and for each its threads, open file
 * descriptors, RSS and PSS ({@code /proc/PID/smaps_rollup}) and CPU time, summed into a
 * {@link ProcessTreeSample}.
 *
 * <p>A process can exit while it is being read; what cannot be read any more counts as gone
 * rather than failing the sample. Reading {@code smaps_rollup} and {@code fd} of another user's
 * process needs the same user (or root); the harness only samples its own children.
 */
final class ProcSampler {

    /** Clock ticks per second of {@code /proc/PID/stat}'s time fields; 100 on every Linux we know. */
    private static final long TICKS_PER_SECOND = 100;

    private final Path proc;

    ProcSampler() {
        this(Path.of("/proc"));
    }

    ProcSampler(Path proc) {
        this.proc = proc;
    }

    /** Samples the tree rooted at {@code rootPid}; {@link ProcessTreeSample#GONE} if the root is gone. */
    ProcessTreeSample sample(long rootPid) {
        List<Stat> tree = tree(rootPid);
        int processes = 0, threads = 0, fds = 0;
        long rss = 0, pss = 0, cpuTicks = 0;
        for (Stat s : tree) {
            long[] memory = memory(s.pid);
            if (memory == null) continue;                      // exited meanwhile
            processes++;
            threads += s.threads;
            cpuTicks += s.utime + s.stime + s.cutime + s.cstime;
            fds += openFds(s.pid);
            rss += memory[0];
            pss += memory[1];
        }
        if (processes == 0) return ProcessTreeSample.GONE;
        return new ProcessTreeSample(processes, threads, fds, rss, pss, cpuTicks * 1_000_000 / TICKS_PER_SECOND);
    }

    /** The root's stat and its descendants', found by following parent pids over all of /proc. */
    List<Stat> tree(long rootPid) {
        Map<Long, List<Stat>> childrenOf = new HashMap<>();
        Stat root = null;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                Stat s = stat(dir);
                if (s == null) continue;
                if (s.pid == rootPid) root = s;
                childrenOf.computeIfAbsent(s.ppid, k -> new ArrayList<>()).add(s);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc + ": " + e.getMessage(), e);
        }
        List<Stat> tree = new ArrayList<>();
        if (root == null) return tree;
        ArrayDeque<Stat> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Stat s = todo.pop();
            tree.add(s);
            todo.addAll(childrenOf.getOrDefault(s.pid, List.of()));
        }
        return tree;
    }

    /** The fields of {@code /proc/PID/stat} the sampler uses (see proc(5)). */
    record Stat(long pid, long ppid, long utime, long stime, long cutime, long cstime, int threads) { }

    private static Stat stat(Path dir) {
        String line;
        try {
            line = Files.readString(dir.resolve("stat"));
        } catch (IOException e) {
            return null;                                       // exited between listing and reading
        }
        // The command name (field 2) is in parentheses and may contain spaces and ')'; the fixed
        // fields start after the last ')'.
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state), so field N is f[N - 3].
        return new Stat(Long.parseLong(dir.getFileName().toString()), Long.parseLong(f[1]),
                Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]),
                Integer.parseInt(f[17]));
    }

    /** {RSS, PSS} in bytes of one process from its smaps_rollup, or null if the process is gone. */
    long[] memory(long pid) {
        Path dir = proc.resolve(Long.toString(pid));
        try {
            long rss = -1, pss = -1;
            for (String line : Files.readAllLines(dir.resolve("smaps_rollup"))) {
                if (line.startsWith("Rss:")) rss = kib(line);
                else if (line.startsWith("Pss:")) pss = kib(line);
            }
            if (rss >= 0) return new long[] {rss, pss >= 0 ? pss : rss};
            // A zombie has an empty smaps_rollup: it holds no memory any more.
            return Files.exists(dir) ? new long[] {0, 0} : null;
        } catch (IOException e) {
            return Files.exists(dir) ? new long[] {0, 0} : null;
        }
    }

    private int openFds(long pid) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve(pid + "/fd"))) {
            int n = 0;
            for (Path ignored : fds) n++;
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    /** "Rss:      123456 kB" → bytes. */
    private static long kib(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
        return true;
    }
}
