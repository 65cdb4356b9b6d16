package echosuite.conformance;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A cgroup (v1 {@code pids} controller) that caps how many threads and processes its members may
 * have: the way to make "no more threads" or "fork fails" happen on purpose. {@code ulimit -u}
 * cannot do it here, because it is not enforced for root. A test using it is skipped, with a
 * message saying why, where the controller is not writable.
 */
final class PidsCgroup implements AutoCloseable {

    static final Path PIDS = Path.of("/sys/fs/cgroup/pids");

    final Path dir;

    private PidsCgroup(Path dir) {
        this.dir = dir;
    }

    /** Creates a fresh cgroup with no limit yet, or skips the test if that is impossible here. */
    static PidsCgroup create() {
        Path dir = PIDS.resolve("echosuite-test-" + UUID.randomUUID());
        try {
            Files.createDirectory(dir);
        } catch (IOException | UnsupportedOperationException e) {
            Assumptions.abort("skipped: the cgroup v1 pids controller is not writable here (" + e
                    + "); this test needs root and " + PIDS);
        }
        return new PidsCgroup(dir);
    }

    /** The file a process writes its pid to, to join. */
    Path procs() {
        return dir.resolve("cgroup.procs");
    }

    long current() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("pids.current")).strip());
    }

    void limit(long maxTasks) throws IOException {
        Files.writeString(dir.resolve("pids.max"), Long.toString(maxTasks));
    }

    /** Removes the cgroup; its processes must have exited (the test stops them first). */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(dir);
    }
}
