package echosuite.forking.relay;

import echosuite.forking.Posix;
import echosuite.runtime.BurstReporter;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The handler children's standard output and error: a pipe whose write end is every handler
 * child's fd 1 and 2, read by one parent thread that passes each line on through a
 * {@link BurstReporter}. So the parent stays the one voice on stderr, and a storm (a hundred
 * children whose JVM cannot start because the system is out of processes, each printing
 * several lines) is reported once per burst, not once per line.
 */
public final class ChildErrorRelay {

    private final int[] pipe;                  // {read end: this thread, write end: children's fd 1 and 2}
    private final BurstReporter reporter;
    private final Thread thread;

    public ChildErrorRelay(BurstReporter reporter) throws Posix.PosixException {
        this.pipe = Posix.pipe(Posix.O_CLOEXEC);
        this.reporter = reporter;
        this.thread = Thread.ofPlatform().name("child-stderr").daemon(true).start(this::relay);
    }

    /** The write end, for children's fd 1 and 2. */
    public int writeFd() {
        return pipe[1];
    }

    private void relay() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            while (true) {
                long n = Posix.read(pipe[0], buffer);
                if (n == 0) break;                             // every child and the parent closed it
                for (long i = 0; i < n; i++) {
                    byte b = buffer.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i);
                    if (b == '\n') {
                        emit(line);
                    } else if (line.size() < 1000) {
                        line.write(b);
                    }
                }
            }
            emit(line);
        } catch (Posix.PosixException e) {
            reporter.report("reading the children's stderr failed: " + e.getMessage());
        }
    }

    private void emit(ByteArrayOutputStream line) {
        if (line.size() > 0) reporter.report(line.toString(StandardCharsets.UTF_8));
        line.reset();
    }

    /**
     * After the last child ended: closes the parent's write end, so the relay reads end of file,
     * and waits (briefly) for the last lines to be passed on.
     */
    public void finish() throws InterruptedException {
        Posix.closeQuietly(pipe[1]);
        thread.join(1000);
        Posix.closeQuietly(pipe[0]);
    }
}
