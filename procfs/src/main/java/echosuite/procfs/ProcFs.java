package echosuite.procfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The suite's one reader of processes from Linux's {@code /proc}: a process's tree, its
 * {@code stat}, {@code status}, {@code smaps_rollup}, open descriptors, command line and
 * environment; and the kernel's socket tables, TCP and Unix-domain, which tell what a
 * descriptor's {@code socket:[INODE]} is.
 *
 * <p>Processes exit while they are read. A reading of one process throws
 * {@link NoSuchFileException} (an {@link IOException}) once it is gone, so that the caller decides
 * what gone means; listings ({@link #all}, {@link #children}, {@link #tree}) leave out what exits
 * while they are made. Reading another user's {@code smaps_rollup}, {@code fd} or
 * {@code environ} needs that user (or root); the suite reads only its own children.
 *
 * <p>Not thread-confined: it holds nothing but the root of the file system.
 */
public final class ProcFs {

    /**
     * Clock ticks per second of {@code /proc/PID/stat}'s CPU times: Linux's {@code USER_HZ}, what
     * {@code sysconf(_SC_CLK_TCK)} and {@code getconf CLK_TCK} report. It is part of the kernel's
     * ABI, not its configuration (CONFIG_HZ may differ; the kernel converts): 100 on x86-64 and
     * arm64, the machines the suite runs on. A test checks it against {@code getconf CLK_TCK}.
     */
    public static final int USER_HZ = 100;

    private final Path root;

    /** The reader of the real {@code /proc}. */
    public ProcFs() {
        this(Path.of("/proc"));
    }

    /** A reader of a {@code /proc} mounted (or copied) at {@code root}. */
    public ProcFs(Path root) {
        this.root = root;
    }

    /** Converts clock ticks of {@link #USER_HZ} to microseconds (exact: 10,000 µs a tick). */
    public static long ticksToMicros(long ticks) {
        return ticks * (1_000_000 / USER_HZ);
    }

    /** {@code /proc/PID/stat} of {@code pid}. */
    public ProcStat stat(long pid) throws IOException {
        return ProcStat.parse(Files.readString(dir(pid).resolve("stat")));
    }

    /** {@code /proc/PID/status} of {@code pid}. */
    public ProcStatus status(long pid) throws IOException {
        return ProcStatus.parse(Files.readAllLines(dir(pid).resolve("status")));
    }

    /**
     * {@code /proc/PID/smaps_rollup} of {@code pid}; {@link SmapsRollup#NONE} for a process that
     * exists but maps nothing any more (a zombie's file is empty, or cannot be read).
     */
    public SmapsRollup smapsRollup(long pid) throws IOException {
        Path dir = dir(pid);
        try {
            SmapsRollup m = SmapsRollup.parse(Files.readAllLines(dir.resolve("smaps_rollup")));
            if (m != null) return m;
        } catch (IOException e) {
            if (!Files.exists(dir)) throw e;
        }
        if (!Files.exists(dir)) throw new NoSuchFileException(dir.toString());
        return SmapsRollup.NONE;
    }

    /** Number of open file descriptors of {@code pid} (entries of {@code /proc/PID/fd}). */
    public int fdCount(long pid) throws IOException {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir(pid).resolve("fd"))) {
            int n = 0;
            for (Path ignored : fds) n++;
            return n;
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    /**
     * What the open file descriptors of {@code pid} point to, the targets of the links in
     * {@code /proc/PID/fd}: {@code "socket:[123]"}, {@code "pipe:[45]"}, {@code "/dev/null"}, ...
     * A descriptor closed between listing and reading is left out.
     */
    public List<String> fdTargets(long pid) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir(pid).resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    out.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // closed between listing and reading: not open any more
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return out;
    }

    /** What the descriptor {@code fd} of {@code pid} points to, the target of {@code /proc/PID/fd/FD}. */
    public String fdTarget(long pid, int fd) throws IOException {
        return Files.readSymbolicLink(dir(pid).resolve("fd").resolve(Integer.toString(fd))).toString();
    }

    /** The arguments of {@code pid}, {@code argv[0]} first, from {@code /proc/PID/cmdline}; empty for a zombie. */
    public List<String> cmdline(long pid) throws IOException {
        return nulSeparated(dir(pid).resolve("cmdline"));
    }

    /** The environment {@code pid} started with, one {@code NAME=value} an entry, from {@code /proc/PID/environ}. */
    public List<String> environment(long pid) throws IOException {
        return nulSeparated(dir(pid).resolve("environ"));
    }

    /**
     * Every TCP socket of this network namespace, IPv4 ({@code /proc/net/tcp}) and IPv6
     * ({@code /proc/net/tcp6}, if the kernel has IPv6), in the kernel's order.
     */
    public List<TcpSocket> tcpSockets() throws IOException {
        List<TcpSocket> out = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = root.resolve("net").resolve(table);
            if (!Files.exists(file)) continue;
            for (String line : tableLines(file)) out.add(TcpSocket.parse(line));
        }
        return out;
    }

    /** Every Unix-domain socket of this network namespace, from {@code /proc/net/unix}. */
    public List<UnixSocket> unixSockets() throws IOException {
        List<UnixSocket> out = new ArrayList<>();
        for (String line : tableLines(root.resolve("net").resolve("unix"))) out.add(UnixSocket.parse(line));
        return out;
    }

    /** The stat of every process in {@code /proc}, in no particular order. */
    public List<ProcStat> all() {
        List<ProcStat> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                try {
                    out.add(stat(Long.parseLong(dir.getFileName().toString())));
                } catch (IOException exitedMeanwhile) {
                    // listed, then gone before its stat was read
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            throw new IllegalStateException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The processes whose parent is {@code pid} (zombies included), in no particular order. */
    public List<ProcStat> children(long pid) {
        return all().stream().filter(s -> s.ppid() == pid).toList();
    }

    /**
     * {@code rootPid} and all its descendants (zombies included), the root first, each parent
     * before its children; empty if the root is gone.
     *
     * <p>Found by parent pid over every {@code /proc/PID/stat}, which sees every process. (The
     * shorter {@code /proc/PID/task/TID/children} needs CONFIG_PROC_CHILDREN and, as proc(5)
     * warns, may miss children while the tree changes.) Each process's stat is read once, so a
     * pid reused during the listing cannot join the tree twice.
     */
    public List<ProcStat> tree(long rootPid) {
        Map<Long, List<ProcStat>> childrenOf = new HashMap<>();
        ProcStat rootStat = null;
        for (ProcStat s : all()) {
            if (s.pid() == rootPid) rootStat = s;
            childrenOf.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
        }
        List<ProcStat> tree = new ArrayList<>();
        if (rootStat == null) return tree;
        ArrayDeque<ProcStat> todo = new ArrayDeque<>(List.of(rootStat));
        while (!todo.isEmpty()) {
            ProcStat s = todo.removeFirst();
            tree.add(s);
            todo.addAll(childrenOf.getOrDefault(s.pid(), List.of()));
        }
        return tree;
    }

    private Path dir(long pid) {
        return root.resolve(Long.toString(pid));
    }

    /** The lines of a socket table after its heading, blank ones left out. */
    private static List<String> tableLines(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.subList(Math.min(1, lines.size()), lines.size()).stream().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> nulSeparated(Path file) throws IOException {
        String all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        if (all.isEmpty()) return List.of();
        // Each entry ends with a NUL; split drops the empty string after the last one.
        return List.of(all.split("\0"));
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
        return true;
    }
}
