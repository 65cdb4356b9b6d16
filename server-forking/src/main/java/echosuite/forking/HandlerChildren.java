package echosuite.forking;

import echosuite.forking.frames.LoggerCounters;
import echosuite.forking.relay.ChildErrorRelay;
import echosuite.runtime.BurstReporter;
import echosuite.runtime.ServerCounters;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * The live handler children of one server, and what happens when one ends: a child that did not
 * exit with status 0 is reported once (per burst) on stderr, counted as an error, and announced
 * to the logger (so its unfinished batch, if any, is counted as lost rather than waited for).
 *
 * <p>Also their graceful end, through a lifeline pipe: every child holds its read end (fd 4),
 * only the parent holds the write end and never writes. Closing the write end is the stop
 * signal: each child reads end of file and ends its connection as if the client had sent EOF.
 * The kernel closes it too if the parent dies, so children never outlive a killed parent by
 * more than their current connection.
 *
 * <p>Their standard output and error go through the parent ({@link ChildErrorRelay}). Thread-safe.
 */
public final class HandlerChildren {

    /** After the deadline, children get a second SIGTERM (close the connection) and this long to exit. */
    static final long CLOSE_GRACE_MILLIS = 500;

    private final Set<Integer> live = ConcurrentHashMap.newKeySet();
    private final Reaper reaper;
    private final LoggerSupervisor logger;
    private final ServerCounters counters;
    private final BurstReporter reporter;
    private final int[] lifeline;         // {read end: each child's fd 4, write end: the parent's alone}
    private final ChildErrorRelay stderr;

    HandlerChildren(Reaper reaper, LoggerSupervisor logger, ServerCounters counters, BurstReporter reporter)
            throws Posix.PosixException {
        this.reaper = reaper;
        this.logger = logger;
        this.counters = counters;
        this.reporter = reporter;
        this.lifeline = Posix.pipe(Posix.O_CLOEXEC);
        this.stderr = new ChildErrorRelay(BurstReporter.stderr("server-forking child"));
    }

    /**
     * The descriptors every handler child gets besides its socket: the parent's ends it shares
     * with all of them, and the {@link LoggerCounters} page the child counts its records in.
     */
    public record Shared(int stderrFd, int pipeWriteFd, int lifelineFd, int countersFd) { }

    /** Starts one child with the {@link Shared} descriptors; returns its pid. */
    @FunctionalInterface
    public interface Start {
        int spawn(Shared shared) throws Posix.PosixException;
    }

    /**
     * Spawns a handler child on {@code socketFd} (with the prefork {@code scoreboardFd}, or -1)
     * and registers it; {@code onExit} runs (on the reaper thread, with the child's pid) after the
     * child ended and was accounted for.
     */
    public int spawn(ChildLauncher launcher, int socketFd, int scoreboardFd, IntConsumer onExit) throws Posix.PosixException {
        return spawn(shared -> launcher.spawnHandler(socketFd, shared, scoreboardFd), onExit);
    }

    /** Spawns a handler child with {@code start} (a spare, say) and registers it; {@code onExit} as above. */
    public int spawn(Start start, IntConsumer onExit) throws Posix.PosixException {
        Shared shared = new Shared(stderr.writeFd(), logger.pipeWriteFd(), lifeline[0], logger.countersFd());
        // Registered in `live` inside the spawn, under the reaper's lock, so that the exit
        // listener of a child that ends at once always finds it there.
        return reaper.spawn(() -> {
            int pid = start.spawn(shared);
            live.add(pid);
            return pid;
        }, (p, status) -> {
            if (!Posix.exitedCleanly(status)) {
                counters.errors.increment();
                reporter.report("handler child " + p + " ended with " + Posix.describeStatus(status));
                logger.childGone(p);
            }
            live.remove(p);
            onExit.accept(p);
        });
    }

    /** Live children. */
    public int count() {
        return live.size();
    }

    /** Pids of the live children (a snapshot). */
    List<Integer> pids() {
        return List.copyOf(live);
    }

    /**
     * Graceful end, once no more children will be spawned: close the lifeline (each child ends
     * its connection as if the client had sent EOF, logs the unfinished record and exits) and
     * wait until {@code deadline}; then run {@code atDeadline} (the logger gives up on a failing
     * log file, so that children blocked on a full pipe can finish) and SIGTERM (close the
     * connection: a client that does not read its echo) and wait {@value #CLOSE_GRACE_MILLIS} ms;
     * then SIGKILL. Returns when every child has been reaped.
     */
    void terminateAll(Instant deadline, Runnable atDeadline) throws InterruptedException {
        List<Integer> children = pids();
        Posix.closeQuietly(lifeline[1]);
        try {
            if (reaper.awaitGone(children, deadline)) return;
            atDeadline.run();
            signalAll(pids(), Posix.SIGTERM);
            if (reaper.awaitGone(children, Instant.now().plusMillis(CLOSE_GRACE_MILLIS))) return;
            reporter.report(live.size() + " handler child(ren) did not end by the deadline; killing them");
            signalAll(pids(), Posix.SIGKILL);
            reaper.awaitGone(children, Instant.now().plusSeconds(2));
        } finally {
            Posix.closeQuietly(lifeline[0]);
            stderr.finish();
        }
    }

    private void signalAll(List<Integer> children, int signal) {
        for (int pid : children) {
            try {
                Posix.kill(pid, signal);
            } catch (Posix.PosixException e) {
                reporter.report("cannot signal child " + pid + ": " + e.getMessage());
            }
        }
    }
}
