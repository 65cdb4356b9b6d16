package echosuite.forking.spares;

import echosuite.forking.ChildLauncher;
import echosuite.forking.HandlerChildren;
import echosuite.forking.HandlerProcess;
import echosuite.forking.Posix;
import echosuite.forking.RestartBackoff;
import echosuite.runtime.BurstReporter;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * {@code --spares N}: handler children started ahead of time, warm and idle, each waiting for one
 * client on a Unix-domain socket of its own (Apache prefork's {@code MinSpareServers} with
 * {@code MaxConnectionsPerChild 1}). On {@code accept} the parent hands the client's descriptor
 * to an idle spare with {@code SCM_RIGHTS}, waits for the spare to say it holds it, closes its
 * own copy and starts a replacement in the background. A spare then is exactly the child of
 * {@code echo_storeserv.c}: it holds its client, serves that one connection and exits. The JVM's
 * start has only moved off the connection's path.
 *
 * <p>Also the {@code --max-children} count, which spares share with serving children (like
 * Apache's {@code MaxRequestWorkers}): a process slot is taken for every handler child, spare or
 * not, and given back when the reaper collects it. A new connection can be served when a spare
 * is idle or a slot is free; otherwise it waits in the listen backlog. With {@code --spares 0}
 * this class is only that count, and the server is the literal {@code echo_storeserv.c}.
 *
 * <p>Spawn pacing: at most {@link #maxStarting} spares start at once (one per CPU the parent may
 * use), the next one when one of them is ready; a spare that died within a second of its start
 * is replaced only after a pause ({@link RestartBackoff}). So a connect storm never starts more
 * than that many spares at a time; the connections it brings beyond the idle spares are served
 * as {@code --spares 0} serves them, by a child started on accept (bounded by
 * {@code --max-children}).
 *
 * <p>Thread-safe. The pool's lock guards the lists and counts; each spare's own lock makes its
 * hand-off and its end (the reaper) happen one after the other.
 */
public final class SpareChildren {

    /**
     * A replacement for a spare that was just handed a client starts this much later: a JVM that
     * starts shares the CPU with the child serving its first echo, which (measured on one CPU)
     * made that echo wait several milliseconds. Apache's prefork MPM spawns from a maintenance
     * pass once a second for a like reason.
     */
    static final long REPLACE_AFTER_MILLIS = 100;

    /** How long the parent waits for a spare to say it holds the client it was handed. */
    static final int RECEIVED_LIMIT_MILLIS = 2000;

    /** One spare: the parent's end of its socket pair, and what it owes when it ends. */
    public static final class Spare {
        final int socket;
        final long startedMillis = System.currentTimeMillis();
        volatile boolean gone;            // reaped
        private Runnable connectionEnd;   // set once it holds a client; guarded by this spare

        Spare(int socket) {
            this.socket = socket;
        }
    }

    private final int target;
    private final int maxStarting;
    private final HandlerChildren children;
    private final ChildLauncher launcher;
    private final BurstReporter reporter;
    private final Object lock = new Object();
    private final ArrayDeque<Spare> idle = new ArrayDeque<>();
    private int starting;
    private int freeSlots;
    private boolean closed;

    /**
     * @param target      {@code --spares}: idle children to keep
     * @param maxChildren {@code --max-children}: handler children alive at once, spares included
     */
    public SpareChildren(int target, int maxChildren, HandlerChildren children, ChildLauncher launcher, BurstReporter reporter) {
        this.target = target;
        this.freeSlots = maxChildren;
        this.maxStarting = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.children = children;
        this.launcher = launcher;
        this.reporter = reporter;
    }

    /**
     * Waits until a new connection could be served (a spare is idle or a process slot is free),
     * so that the parent accepts only then and a connection it cannot serve waits in the
     * listen backlog. Returns false once {@link #close}d.
     */
    public boolean awaitCapacity() throws InterruptedException {
        synchronized (lock) {
            while (!closed && idle.isEmpty() && freeSlots == 0) lock.wait();
            return !closed;
        }
    }

    /** An idle spare, taken out of the pool, or null if none is idle. */
    public Spare takeIdle() {
        synchronized (lock) {
            return idle.pollFirst();
        }
    }

    /** Takes a process slot for a child started on accept, waiting for one; false once closed. */
    public boolean takeSlot() throws InterruptedException {
        synchronized (lock) {
            while (!closed && freeSlots == 0) lock.wait();
            if (closed) return false;
            freeSlots--;
            return true;
        }
    }

    /** A child started on accept was reaped: its slot is free again. */
    public void releaseSlot() {
        synchronized (lock) {
            freeSlots++;
            lock.notifyAll();
        }
    }

    /**
     * Passes client {@code fd} to {@code spare} ({@code sendmsg} with {@code SCM_RIGHTS}) and
     * waits until the spare says it holds it. Returns true if the spare has it now (then
     * {@code connectionEnd} runs when the spare is reaped); false if the spare died first, in
     * which case the caller still owns {@code fd} and serves it another way. Either way the
     * parent's end of the spare's socket is closed.
     */
    public boolean handOff(Spare spare, int fd, Runnable connectionEnd) {
        try {
            synchronized (spare) {
                if (spare.gone) return false;
                switch (pass(spare.socket, fd, RECEIVED_LIMIT_MILLIS)) {
                    case GONE -> {
                        return false;
                    }
                    // Alive but silent (stopped?): it may hold the client already, so the client
                    // must not be served twice; it is the spare's now.
                    case SILENT -> reporter.report("a spare child did not confirm its client within "
                            + RECEIVED_LIMIT_MILLIS + " ms; the client is left to it");
                    case TAKEN -> { }
                }
                spare.connectionEnd = connectionEnd;
                return true;
            }
        } catch (Posix.PosixException e) {
            reporter.report("handing a client to a spare child failed (" + e.getMessage() + "); starting a child for it");
            return false;
        } finally {
            Posix.closeQuietly(spare.socket);
        }
    }

    /** What became of a client passed to a spare. */
    public enum Passed { TAKEN, GONE, SILENT }

    /**
     * The parent's side of the hand-off, on its end {@code socket} of a spare's socket pair:
     * {@code sendmsg} of {@link HandlerProcess#CLIENT} with {@code fd} as {@code SCM_RIGHTS},
     * then the spare's {@link HandlerProcess#RECEIVED}, waited for at most {@code limitMillis}.
     * GONE: the spare ended before it took the client (the caller still owns {@code fd}).
     */
    public static Passed pass(int socket, int fd, int limitMillis) throws Posix.PosixException {
        if (!Posix.sendByte(socket, HandlerProcess.CLIENT, fd)) return Passed.GONE;
        if (!Posix.pollIn(new int[] {socket}, limitMillis)[0]) return Passed.SILENT;
        int[] answer = Posix.receiveByte(socket);
        return answer != null && answer[0] == HandlerProcess.RECEIVED ? Passed.TAKEN : Passed.GONE;
    }

    /** Blocks until the spare on {@code socket} says it is warm ({@link HandlerProcess#READY}); false if it ended first. */
    public static boolean awaitWarm(int socket) throws Posix.PosixException {
        int[] said = Posix.receiveByte(socket);
        return said != null && said[0] == HandlerProcess.READY;
    }

    /** Starts spares until {@code target} are idle or starting (paced, within {@code --max-children}). */
    public void replenish() {
        while (true) {
            Spare spare;
            synchronized (lock) {
                if (closed || idle.size() + starting >= target || starting >= maxStarting || freeSlots == 0) return;
                starting++;
                freeSlots--;
            }
            int[] pair;
            try {
                pair = Posix.socketPair();
            } catch (Posix.PosixException e) {
                cannotStart(e);
                return;
            }
            spare = new Spare(pair[0]);
            try {
                int pid = children.spawn(s -> launcher.spawnSpare(pair[1], s),
                        p -> ended(spare));
                Thread.ofPlatform().name("spare-" + pid).daemon(true).start(() -> waitUntilWarm(spare));
            } catch (Posix.PosixException e) {
                Posix.closeQuietly(pair[0]);
                cannotStart(e);
                return;
            } finally {
                Posix.closeQuietly(pair[1]);                 // the child's end is the child's alone
            }
        }
    }

    /** {@link #replenish} in {@value #REPLACE_AFTER_MILLIS} ms, on a virtual thread (pacing, not synchronisation). */
    public void replenishAfterFirstEcho() {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(REPLACE_AFTER_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            replenish();
        });
    }

    private void cannotStart(Posix.PosixException e) {
        synchronized (lock) {
            starting--;
            freeSlots++;
            lock.notifyAll();
        }
        reporter.report("cannot start a spare child (" + e.getMessage() + "); clients are served by children started on accept");
    }

    /** A starting spare's own thread: waits for its READY byte, then puts it in the pool. */
    private void waitUntilWarm(Spare spare) {
        boolean ready = false;
        try {
            ready = awaitWarm(spare.socket);
        } catch (Posix.PosixException e) {
            reporter.report("a spare child's socket failed: " + e.getMessage());
        }
        boolean pooled;
        synchronized (lock) {
            starting--;
            pooled = ready && !closed && !spare.gone;
            if (pooled) idle.addLast(spare);
            lock.notifyAll();
        }
        if (!pooled) {
            Posix.closeQuietly(spare.socket);                // the spare reads end of file and exits
            return;
        }
        replenish();                                          // a starting place is free: the next one
    }

    /** Reaper thread: a spare ended, idle (killed) or after serving its client. */
    private void ended(Spare spare) {
        Runnable connectionEnd;
        synchronized (spare) {                                // after any hand-off in progress
            spare.gone = true;
            connectionEnd = spare.connectionEnd;
        }
        boolean wasIdle;
        synchronized (lock) {
            wasIdle = idle.remove(spare);
            freeSlots++;
            lock.notifyAll();
        }
        if (wasIdle) Posix.closeQuietly(spare.socket);
        if (connectionEnd != null) {
            connectionEnd.run();
            replenish();
        } else {
            RestartBackoff.restart(spare.startedMillis, this::replenish);   // died as a spare: paced
        }
    }

    /**
     * Waits until {@code target} spares are idle, no spare is starting any more (one that could
     * not start gave up), or {@code deadline}: "listening on" then means the spares are warm.
     */
    public void awaitReady(Instant deadline) throws InterruptedException {
        synchronized (lock) {
            while (idle.size() < target && starting > 0) {
                long wait = deadline.toEpochMilli() - System.currentTimeMillis();
                if (wait <= 0) return;
                lock.wait(wait);
            }
        }
    }

    /**
     * Stops handing out spares and process slots, and closes the idle spares' sockets: each reads
     * end of file and exits 0 without a client. Starting spares end through the lifeline.
     */
    public void close() {
        Spare[] idleNow;
        synchronized (lock) {
            closed = true;
            idleNow = idle.toArray(new Spare[0]);
            idle.clear();
            lock.notifyAll();
        }
        for (Spare spare : idleNow) Posix.closeQuietly(spare.socket);
    }
}
