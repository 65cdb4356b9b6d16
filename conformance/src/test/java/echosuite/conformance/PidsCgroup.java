package echosuite.conformance;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A cgroup (v1 {@code pids} controller) that caps how many threads and processes its members may
 * have: the way to make "no more threads" or "fork fails" happen on purpose. {@code ulimit -u}
 * cannot do it here, because it is not enforced for root. Where no such cgroup can be made (not
 * root, or a host with only the unified cgroup v2 hierarchy) a test using it is aborted with one
 * sentence saying why, which the test report and {@code ./suite chaos} show as "not run".
 */
final class PidsCgroup implements AutoCloseable {

    static final Path PIDS = Path.of("/sys/fs/cgroup/pids");

    final Path dir;

    private PidsCgroup(Path dir) {
        this.dir = dir;
    }

    /** Creates a fresh cgroup with no limit yet under {@link #PIDS}, or aborts the test saying why it cannot. */
    static PidsCgroup create() {
        return create(PIDS);
    }

    /** As {@link #create()} under {@code hierarchy}, the mount point of a cgroup v1 pids controller. */
    static PidsCgroup create(Path hierarchy) {
        if (!Files.isDirectory(hierarchy)) {
            Assumptions.abort("no cgroup v1 pids controller at " + hierarchy
                    + " (a host with only the cgroup v2 hierarchy has none) to cap the server's threads and processes");
        }
        Path dir = hierarchy.resolve("echosuite-test-" + UUID.randomUUID());
        try {
            Files.createDirectory(dir);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            String what = e instanceof FileSystemException f && f.getReason() != null
                    ? f.getReason() : e.getClass().getSimpleName();    // the path in its message would crowd out the reason
            Assumptions.abort("cannot create a cgroup under " + hierarchy + " (" + what + "): it takes root and a writable controller");
        }
        if (!Files.isRegularFile(dir.resolve("pids.max"))) {      // the kernel fills a new cgroup with its files
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new AssertionError("cannot remove " + dir + ", made to probe " + hierarchy + ": " + e.getMessage(), e);
            }
            Assumptions.abort(hierarchy + " is not a cgroup v1 pids controller (a new cgroup there has no pids.max)");
        }
        return new PidsCgroup(dir);
    }

    /** The file a process writes its pid to, to join. */
    Path procs() {
        return dir.resolve("cgroup.procs");
    }

    /** True if process {@code pid} is a member (its threads are counted against the limit). */
    boolean holds(long pid) throws IOException {
        return Files.readAllLines(procs()).stream().map(String::strip).anyMatch(Long.toString(pid)::equals);
    }

    /** Threads and processes of the members now. */
    long current() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("pids.current")).strip());
    }

    void limit(long maxTasks) throws IOException {
        Files.writeString(dir.resolve("pids.max"), Long.toString(maxTasks));
    }

    /** Lifts the limit. */
    void unlimit() throws IOException {
        Files.writeString(dir.resolve("pids.max"), "max");
    }

    /**
     * How many times the limit refused a new thread or process to a member so far: the kernel's
     * {@code max} count in {@code pids.events}, the proof that the limit was reached.
     */
    long refusals() throws IOException {
        for (String line : Files.readAllLines(dir.resolve("pids.events"))) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && f[0].equals("max")) return Long.parseLong(f[1]);
        }
        throw new IOException(dir.resolve("pids.events") + " has no 'max' line");
    }

    /** Removes the cgroup; its processes must have exited (the test stops them first). */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(dir);
    }
}
