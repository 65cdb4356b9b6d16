package echosuite.forking;

import echosuite.forking.frames.LoggerCounters;
import echosuite.forking.spares.SpareChildren;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code echo_storeserv.c} in Java: the parent accepts, gives each connection a handler child of
 * its own, closes its own copy of the client socket, and never touches client bytes.
 *
 * <pre>
 * while (1) {                                    acceptLoop():
 *     clnt_sock = accept(serv_sock, ...);          fd = listening.accept();
 *     pid = fork();                                serve(fd): a spare takes it (SCM_RIGHTS),
 *                                                  or children.spawn(launcher, fd, ...)  // posix_spawn
 *     if (pid == 0) { ... child serves ... }       (the child is HandlerProcess, another program)
 *     else close(clnt_sock);                       Posix.close(fd);
 * }
 * </pre>
 *
 * <p>Where the child comes from is the one thing {@code --spares N} changes ({@link
 * SpareChildren}): a child already started and warm, if one is idle; else, as in the C program,
 * one started now, on the connection's path. {@code --spares 0} is the C program.
 *
 * <p>Two limits, two behaviours:
 * <ul>
 *   <li>{@code --max-children N} (default 256, spares included): with N children alive and no
 *       spare idle the parent stops accepting until one is reaped; new clients wait in the
 *       kernel's listen backlog (like Apache's MaxRequestWorkers), none is refused, their
 *       connect-to-first-echo time grows.</li>
 *   <li>{@code --max-connections N} (protocol.md's limit, default 10000): a connection over it
 *       is accepted and closed at once, counted in {@code connectionsRefused}, as in every
 *       server of the suite. Since a child ends a moment <em>after</em> its client sees the
 *       connection close (the JVM still has to exit and be reaped), a connection that arrives at
 *       the limit first waits up to {@value #REFUSE_AFTER_MILLIS} ms for a child to end.</li>
 * </ul>
 */
final class ProcessPerClientServer extends ForkingModel {

    /** How long a connection over --max-connections waits for a child to end before it is refused. */
    static final long REFUSE_AFTER_MILLIS = 1000;
    /** How long the start waits for the spares to be warm before it prints "listening on" anyway. */
    static final long SPARES_READY_LIMIT_MILLIS = 20_000;

    private final Semaphore connections;     // --max-connections: acquired after accept(), or refuse
    private SpareChildren spares;            // the warm spares, and the --max-children count
    private Thread acceptor;

    ProcessPerClientServer(Context context, ForkingOptions forking) {
        super(context, forking);
        this.connections = new Semaphore(context.options().maxConnections);
    }

    @Override
    protected void startChildren() throws InterruptedException {
        spares = new SpareChildren(forking().spares(), forking().maxChildren, children(), launcher(), reporter());
        spares.replenish();
        spares.awaitReady(Instant.now().plusMillis(SPARES_READY_LIMIT_MILLIS));
        acceptor = Thread.ofPlatform().name("acceptor").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!stopping()) {
            try {
                if (!spares.awaitCapacity()) return;                  // at --max-children: wait for a reap
            } catch (InterruptedException e) {
                return;                                               // shutdown
            }
            int fd;
            try {
                fd = listening().accept();
            } catch (IOException e) {                                 // EMFILE and the like
                exhausted("accept failed: " + e.getMessage() + "; existing clients are still served");
                continue;
            }
            if (fd < 0) return;                                       // woken up: shutdown
            try {
                if (!connections.tryAcquire(REFUSE_AFTER_MILLIS, TimeUnit.MILLISECONDS)) {
                    counters().connectionsRefused.increment();        // over --max-connections: close it
                    continue;
                }
                serve(fd);
            } catch (InterruptedException e) {
                return;                                               // shutdown
            } finally {
                Posix.closeQuietly(fd);                               // the parent's close(clnt_sock)
            }
        }
    }

    /** Gives client {@code fd} a child: an idle spare, else one started now; the connection's slot is released when it is reaped. */
    private void serve(int fd) throws InterruptedException {
        SpareChildren.Spare spare = spares.takeIdle();
        if (spare != null) {
            boolean handed = spares.handOff(spare, fd, connections::release);
            spares.replenishAfterFirstEcho();                         // a replacement, in the background
            if (handed) {
                counters().connectionsAccepted.increment();
                return;
            }
        }
        if (!spares.takeSlot()) {                                     // shutdown: the connection is closed
            connections.release();
            return;
        }
        try {
            children().spawn(launcher(), fd, -1, pid -> {
                connections.release();
                spares.releaseSlot();
            });
            counters().connectionsAccepted.increment();
        } catch (Posix.PosixException e) {                            // EAGAIN: no more processes
            connections.release();
            spares.releaseSlot();
            counters().connectionsRefused.increment();
            exhausted("cannot start a handler process (" + e.getMessage() + "); connection closed");
        }
    }

    private void exhausted(String message) {
        counters().errors.increment();
        reporter().report(message);
        try {
            TimeUnit.MILLISECONDS.sleep(BACKOFF_MILLIS);   // back off: the condition clears only as children end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void stopAccepting() throws InterruptedException {
        if (spares != null) spares.close();                           // idle spares exit without a client
        listening().wakeUp();
        if (acceptor != null) {
            acceptor.interrupt();
            acceptor.join();
        }
    }

    @Override
    protected void addModeCounts(LoggerCounters logged) {
        // The parent counted the connections it accepted and refused itself.
    }
}
