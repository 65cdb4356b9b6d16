package echosuite.forking;

import echosuite.runtime.BurstReporter;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Collects every child that ends, so none stays a zombie: the counterpart of the course's
 * {@code sigaction(SIGCHLD, &act, 0)} with a handler calling {@code waitpid(-1, &status, WNOHANG)}.
 *
 * <p>Why not a SIGCHLD handler: HotSpot 25 accepts {@code sun.misc.Signal.handle(new
 * Signal("CHLD"), ...)} but never calls the handler (checked on this JDK with
 * {@code kill -CHLD} to itself). So one platform thread blocks in {@code waitpid(-1, &status, 0)},
 * which returns as each child ends: prompt, and no signal-coalescing pitfalls (the C handler
 * above reaps one child per signal, so two children ending together leave a zombie).
 * {@code waitpid} returns ECHILD at once when there is no child, so the thread waits on a
 * condition until one is spawned instead of spinning.
 *
 * <p>Spawning goes through {@link #spawn}, which registers the new pid under the same lock
 * the reaper takes to look a pid up, so a child that ends at once is never missed.
 * Exit listeners run on the reaper thread; they must not block for long (spawning is fine).
 */
public final class Reaper implements AutoCloseable {

    /** What to do when a child ends: {@code status} is the raw wait status. */
    @FunctionalInterface
    public interface ExitListener {
        void exited(int pid, int status);
    }

    /** A spawn that returns the new child's pid. */
    @FunctionalInterface
    public interface Spawn {
        int start() throws Posix.PosixException;
    }

    private final Object lock = new Object();
    private final Map<Integer, ExitListener> children = new HashMap<>();
    private final BurstReporter reporter;
    private boolean closing;

    Reaper(BurstReporter reporter) {
        this.reporter = reporter;
        Thread.ofPlatform().name("reaper").daemon(true).start(this::reapLoop);
    }

    /** Runs {@code spawn} and registers the child it started, with {@code onExit} to call when it ends. */
    public int spawn(Spawn spawn, ExitListener onExit) throws Posix.PosixException {
        synchronized (lock) {
            int pid = spawn.start();
            children.put(pid, onExit);
            lock.notifyAll();
            return pid;
        }
    }

    /** Children not reaped yet. */
    int count() {
        synchronized (lock) {
            return children.size();
        }
    }

    /**
     * Waits until none of {@code pids} is a live child (all have been reaped and their listeners
     * have run), or until {@code deadline}. Returns true if none is left.
     */
    boolean awaitGone(Collection<Integer> pids, Instant deadline) throws InterruptedException {
        return awaitUntil(pid -> !pids.contains(pid), deadline);
    }

    /** Waits until every live child satisfies {@code ok}, or until {@code deadline}. */
    private boolean awaitUntil(IntPredicate ok, Instant deadline) throws InterruptedException {
        synchronized (lock) {
            while (true) {
                boolean done = children.keySet().stream().allMatch(ok::test);
                if (done) return true;
                long waitMillis = deadline.toEpochMilli() - System.currentTimeMillis();
                if (waitMillis <= 0) return false;
                lock.wait(waitMillis);
            }
        }
    }

    private void reapLoop() {
        int[] status = new int[1];
        while (true) {
            synchronized (lock) {
                while (children.isEmpty() && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // only close() ends the reaper, and only once no child is left
                    }
                }
                if (children.isEmpty()) return;
            }
            int pid;
            try {
                pid = Posix.waitpid(-1, status, 0);                  // blocks until some child ends
            } catch (Posix.PosixException e) {
                reporter.report("waitpid failed: " + e.getMessage());
                backOff();
                continue;
            }
            if (pid < 0) {                                         // ECHILD: a registered child is not ours?
                reporter.report("waitpid says there is no child, yet " + count() + " are registered");
                backOff();
                continue;
            }
            ExitListener listener;
            synchronized (lock) {
                listener = children.get(pid);
            }
            try {
                if (listener != null) listener.exited(pid, status[0]);
            } catch (RuntimeException e) {
                reporter.report("handling the end of child " + pid + " failed: " + e);
            } finally {
                synchronized (lock) {
                    children.remove(pid);
                    lock.notifyAll();
                }
            }
        }
    }

    private static void backOff() {
        try {
            TimeUnit.MILLISECONDS.sleep(100);   // a failing waitpid must not spin a core
        } catch (InterruptedException ignored) {
            // keep reaping
        }
    }

    /** Lets the reaper thread end once the last child is reaped; returns at once. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
    }
}
