package echosuite.forking;

import echosuite.forking.frames.FrameReader;
import echosuite.forking.frames.LogFrame;
import echosuite.forking.frames.LoggerCounters;
import echosuite.runtime.BurstReporter;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.CRC32C;

/**
 * The parent's side of the logger: makes the pipe ({@code pipe(fds)} in C), starts the logger
 * child on its read end, restarts it if it dies, tells it which children died mid-batch, and at
 * shutdown closes the parent's write end and waits for the logger to drain to end of file.
 *
 * <p>Fault isolation: the parent keeps its own copy of the pipe's read end (close-on-exec, so
 * no handler child has it). If the logger is killed, the pipe therefore stays alive with
 * everything still in it; handler children keep writing (or wait, if it is full) and never
 * notice; a new logger is started on the same read end and carries on from the next intact
 * frame ({@link FrameReader}). What can be lost is only what the dead logger
 * had read and not yet written: {@code received - written} of the shared {@link LoggerCounters},
 * an upper bound reported on stderr at its death. The summary's {@code recordsLost} does not
 * rest on what a logger managed to count before it died: it is {@code sent - written}, where the
 * handler children count what they send before they write it, read once every child and the
 * last logger have ended.
 *
 * <p>The pipe's capacity is raised to 1 MiB, which with the logger's own {@code --max-log-backlog} bounds how far logging may fall behind
 * before handler children block.
 */
final class LoggerSupervisor {

    /** Capacity asked for the pipe; the kernel caps it at /proc/sys/fs/pipe-max-size (1 MiB by default). */
    static final int PIPE_BYTES = 1 << 20;
    private static final int NO_MORE = Integer.MIN_VALUE;
    /** Time a logger told to give up gets to read the rest of the pipe and exit. */
    static final long GIVE_UP_GRACE_MILLIS = 500;

    private final ChildLauncher launcher;
    private final Reaper reaper;
    private final BurstReporter reporter;
    private final int[] pipe;            // {read end, write end}, both close-on-exec in the parent
    private final int countersFd;
    private final LoggerCounters counters;
    private final LinkedBlockingQueue<Integer> goneChildren = new LinkedBlockingQueue<>();
    private final Thread goneWriter;
    private volatile int loggerPid = -1;
    private volatile boolean loggerRunning;
    private volatile long startedMillis;
    private volatile boolean finishing;

    private LoggerSupervisor(ChildLauncher launcher, Reaper reaper, BurstReporter reporter,
                             int[] pipe, int countersFd, LoggerCounters counters) {
        this.launcher = launcher;
        this.reaper = reaper;
        this.reporter = reporter;
        this.pipe = pipe;
        this.countersFd = countersFd;
        this.counters = counters;
        this.goneWriter = Thread.ofPlatform().name("gone-writer").daemon(true).unstarted(this::writeGoneFrames);
    }

    /** Makes the pipe and the shared counters page and starts the logger child. */
    static LoggerSupervisor start(ChildLauncher launcher, Reaper reaper, BurstReporter reporter) throws IOException {
        int[] pipe = Posix.pipe(Posix.O_CLOEXEC);
        int countersFd = -1;
        try {
            try {
                Posix.setPipeSize(pipe[1], PIPE_BYTES);
            } catch (Posix.PosixException e) {
                reporter.report("could not enlarge the logger pipe (" + e.getMessage() + "); using the default 64 KiB");
            }
            countersFd = Posix.memfdCreate("echosuite-logger-counters", LoggerCounters.BYTES);
            LoggerCounters counters = LoggerCounters.map(Path.of("/proc/self/fd/" + countersFd));
            LoggerSupervisor supervisor = new LoggerSupervisor(launcher, reaper, reporter, pipe, countersFd, counters);
            supervisor.spawnLogger();
            supervisor.goneWriter.start();
            return supervisor;
        } catch (IOException | RuntimeException e) {
            Posix.closeQuietly(pipe[0]);
            Posix.closeQuietly(pipe[1]);
            Posix.closeQuietly(countersFd);
            throw e;
        }
    }

    /** The pipe's write end, to hand to handler children as their fd 3. */
    int pipeWriteFd() {
        return pipe[1];
    }

    /** The shared {@link LoggerCounters} page, to hand to handler children as their fd 5. */
    int countersFd() {
        return countersFd;
    }

    /**
     * A handler child ended without finishing cleanly (killed, crashed): tells the logger, in
     * order after everything that child wrote, so it drops the child's unfinished batch (counted
     * as lost). Never blocks the caller (the reaper).
     */
    void childGone(int pid) {
        goneChildren.add(pid);
    }

    /** The shared counters (records written, lost, and the children's reports). */
    LoggerCounters counters() {
        return counters;
    }

    /**
     * Records that were or may have been lost: what handler children sent (or were about to)
     * and no logger wrote: batches cut short, records given up, a killed logger's unwritten ones,
     * what was left in the pipe. Exact only after {@link #finish} and once every handler child
     * has ended, as {@code ForkingModel.shutdown} calls it.
     */
    long recordsLost() {
        return counters.get(LoggerCounters.SENT) - counters.get(LoggerCounters.WRITTEN);
    }

    /**
     * The shutdown deadline has come: tells the logger to give up on a log file whose storage
     * fails or stalls ({@link LoggerProcess#GIVE_UP_SIGNAL}), so that it drains the pipe, counting
     * what it cannot write, and children blocked on a full pipe can finish. A logger whose file
     * works goes on writing.
     */
    void giveUpStorage() {
        int pid = loggerPid;
        if (!loggerRunning || pid < 0) return;
        try {
            Posix.kill(pid, Posix.SIGUSR1);
        } catch (Posix.PosixException e) {
            // it ended meanwhile
        }
    }

    /**
     * Graceful end, once every handler child has been reaped: closes the parent's write end, so
     * the logger reads to end of file, writes the rest and exits. Waits for that until
     * {@code deadline}; then tells it to give up on its storage ({@link #giveUpStorage}) and waits
     * {@value #GIVE_UP_GRACE_MILLIS} ms more; then kills it (what it had not written, and what was
     * still in the pipe, is then lost and counted in {@link #recordsLost}; the give-up exists to
     * write what can be written first).
     * Returns true if the logger ended by itself.
     */
    boolean finish(Instant deadline) throws InterruptedException {
        finishing = true;
        if (!loggerRunning) {
            // The logger died and its restart is still waiting out its back-off: start it now,
            // or what is still in the pipe would never be written.
            try {
                spawnLogger();
            } catch (Posix.PosixException e) {
                reporter.report("cannot start a logger to drain the pipe at shutdown (" + e.getMessage() + ")");
            }
        }
        goneChildren.add(NO_MORE);
        goneWriter.join(Math.max(1, deadline.toEpochMilli() - System.currentTimeMillis()));
        Posix.closeQuietly(pipe[1]);                 // with the children's, the last write end: EOF
        int pid = loggerPid;
        boolean ended = reaper.awaitGone(List.of(pid), deadline);
        if (!ended) {
            giveUpStorage();
            ended = reaper.awaitGone(List.of(pid), Instant.now().plusMillis(GIVE_UP_GRACE_MILLIS));
        }
        if (!ended) {
            reporter.report("the logger did not finish writing by the shutdown deadline; stopping it");
            kill(pid);
            reaper.awaitGone(List.of(pid), Instant.now().plusSeconds(2));
        }
        Posix.closeQuietly(pipe[0]);
        Posix.closeQuietly(countersFd);
        return ended;
    }

    private synchronized void spawnLogger() throws Posix.PosixException {
        if (loggerRunning) return;
        startedMillis = System.currentTimeMillis();
        loggerPid = reaper.spawn(() -> launcher.spawnLogger(pipe[0], countersFd), this::loggerExited);
        loggerRunning = true;
    }

    /** Reaper thread: the logger ended. During the run that is a crash: count, report, restart. */
    private void loggerExited(int pid, int status) {
        long lost;
        synchronized (this) {
            loggerRunning = false;
            lost = counters.get(LoggerCounters.RECEIVED) - counters.get(LoggerCounters.WRITTEN);
            counters.set(LoggerCounters.RECEIVED, counters.get(LoggerCounters.WRITTEN));   // the next logger starts level
        }
        if (finishing && Posix.exitedCleanly(status)) return;
        reporter.report("the logger process " + pid + " ended (" + Posix.describeStatus(status) + ")"
                + (lost > 0 ? "; up to " + lost + " record(s) it had received may be lost" : "")
                + (finishing ? "" : "; starting a new one on the same pipe"));
        if (finishing) return;
        RestartBackoff.restart(startedMillis, this::restart);
    }

    private void restart() {
        if (finishing) return;
        try {
            spawnLogger();
        } catch (Posix.PosixException e) {
            reporter.report("cannot start a new logger process (" + e.getMessage() + "); children wait until one starts");
        }
    }

    private void writeGoneFrames() {
        ByteBuffer frame = ByteBuffer.allocate(LogFrame.HEADER_BYTES);
        CRC32C crc = new CRC32C();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(LogFrame.HEADER_BYTES);
            while (true) {
                int pid = goneChildren.take();
                if (pid == NO_MORE) return;
                LogFrame.putHeader(frame, LogFrame.GONE, (byte) 0, pid, 0, 0);
                LogFrame.seal(frame, crc);
                MemorySegment.copy(MemorySegment.ofArray(frame.array()), 0, bytes, 0, LogFrame.HEADER_BYTES);
                try {
                    Posix.write(pipe[1], bytes);                    // may wait while the pipe is full
                } catch (Posix.PosixException e) {
                    reporter.report("cannot tell the logger that child " + pid + " died: " + e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void kill(int pid) {
        try {
            Posix.kill(pid, Posix.SIGKILL);
        } catch (Posix.PosixException e) {
            // it ended meanwhile
        }
    }
}
