package echosuite.forking.prefork;

import echosuite.forking.ForkingModel;
import echosuite.forking.ForkingOptions;
import echosuite.forking.HandlerProcess;
import echosuite.forking.Posix;
import echosuite.forking.RestartBackoff;
import echosuite.forking.frames.LoggerCounters;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --prefork N} (beyond the course): Apache's prefork MPM. The parent starts N handler
 * children that all inherit the listening socket as their fd 0; each accepts and serves one
 * connection at a time ({@link HandlerProcess} sees a {@code ServerSocketChannel}), so the
 * JVM start is paid once per child instead of once per connection. The parent accepts
 * nothing: it only keeps N children alive, starting a new one whenever one exits, whether it
 * died or retired after {@code --max-connections-per-child} connections.
 *
 * <p>Clients beyond N wait in the listen backlog until a child is free. {@code --max-connections}
 * is kept by the children together, through the {@link Scoreboard} they share: a child that
 * accepts a connection over the limit closes it at once and counts it refused. A child that dies
 * right after its start is replaced only after a pause ({@link RestartBackoff}).
 */
public final class PreforkServer extends ForkingModel {

    /** How long the start waits for the pool to be ready before it prints "listening on" anyway. */
    static final long READY_LIMIT_MILLIS = 20_000;

    /** Guards the decision to start a child against shutdown's decision to stop starting them. */
    private final Object spawnLock = new Object();
    private int scoreboardFd = -1;
    private Scoreboard scoreboard;

    public PreforkServer(Context context, ForkingOptions forking) {
        super(context, forking);
    }

    @Override
    protected void startChildren() throws IOException {
        scoreboardFd = Posix.memfdCreate("echosuite-scoreboard", Scoreboard.BYTES);
        scoreboard = Scoreboard.map(Path.of("/proc/self/fd/" + scoreboardFd));
        for (int i = 0; i < forking().prefork; i++) spawnChild();
        awaitChildrenReady();
    }

    /**
     * Waits (at most {@value #READY_LIMIT_MILLIS} ms) until every child has started its JVM and
     * claimed its scoreboard slot, so that "listening on" means the pool is ready: until then a
     * client would only wait in the backlog, and a child still starting would still be creating
     * threads (which matters under a process limit).
     */
    private void awaitChildrenReady() {
        long deadline = System.currentTimeMillis() + READY_LIMIT_MILLIS;
        while (scoreboard.claimedSlots() < forking().prefork && System.currentTimeMillis() < deadline
                && children().count() > 0) {
            try {
                Thread.sleep(5);   // children announce themselves in shared memory: look again shortly
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void spawnChild() throws Posix.PosixException {
        synchronized (spawnLock) {
            if (stopping()) return;
            long started = System.currentTimeMillis();
            children().spawn(launcher(), listening().fd(), scoreboardFd, pid -> childExited(pid, started));
        }
    }

    /** Reaper thread: a child exited; free its scoreboard slot and keep the pool at N. */
    private void childExited(int pid, long startedMillis) {
        scoreboard.childEnded(pid);
        if (stopping()) return;
        RestartBackoff.restart(startedMillis, this::respawn);
    }

    private void respawn() {
        try {
            spawnChild();
        } catch (Posix.PosixException e) {
            counters().errors.increment();
            reporter().report("cannot start a prefork child (" + e.getMessage() + "); the pool is one short until another exits");
        }
    }

    @Override
    protected void stopAccepting() {
        synchronized (spawnLock) {
            // stopping() is already true: after this block no spawnChild can start a child.
        }
    }

    @Override
    protected void addModeCounts(LoggerCounters logged) {
        counters().connectionsAccepted.add(logged.get(LoggerCounters.CONNECTIONS));   // the children accept
        counters().connectionsRefused.add(scoreboard.refused());
        Posix.closeQuietly(scoreboardFd);
    }
}
