package echosuite.forking;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code echo_storeserv.c} in Java: the parent accepts, starts one handler child per
 * connection, closes its own copy of the client socket, and never touches client bytes.
 *
 * <pre>
 * while (1) {                                    acceptLoop():
 *     clnt_sock = accept(serv_sock, ...);          fd = listening.accept();
 *     pid = fork();                                children.spawn(launcher, fd, ...);   // posix_spawn
 *     if (pid == 0) { ... child serves ... }       (the child is HandlerProcess, another program)
 *     else close(clnt_sock);                       Posix.close(fd);
 * }
 * </pre>
 *
 * <p>Two limits, two behaviours:
 * <ul>
 *   <li>{@code --max-children N} (default 256): with N children alive the parent stops
 *       accepting until one is reaped; new clients wait in the kernel's listen backlog (like
 *       Apache's MaxRequestWorkers), none is refused, their connect-to-first-echo time grows.</li>
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

    private final Semaphore children;        // --max-children: acquired before accept()
    private final Semaphore connections;     // --max-connections: acquired after accept(), or refuse
    private Thread acceptor;

    ProcessPerClientServer(Context context, ForkingOptions forking) {
        super(context, forking);
        this.children = new Semaphore(forking.maxChildren);
        this.connections = new Semaphore(context.options().maxConnections);
    }

    @Override
    void startChildren() {
        acceptor = Thread.ofPlatform().name("acceptor").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!stopping()) {
            try {
                children.acquire();                                   // at --max-children: wait for a reap
            } catch (InterruptedException e) {
                return;                                               // shutdown
            }
            int fd;
            try {
                fd = listening().accept();
            } catch (IOException e) {                                 // EMFILE and the like
                children.release();
                exhausted("accept failed: " + e.getMessage() + "; existing clients are still served");
                continue;
            }
            if (fd < 0) {                                             // woken up: shutdown
                children.release();
                return;
            }
            try {
                if (!connections.tryAcquire(REFUSE_AFTER_MILLIS, TimeUnit.MILLISECONDS)) {
                    children.release();
                    counters().connectionsRefused.increment();        // over --max-connections: close it
                    continue;
                }
                serve(fd);
            } catch (InterruptedException e) {
                children.release();
                return;                                               // shutdown
            } finally {
                Posix.closeQuietly(fd);                               // the parent's close(clnt_sock)
            }
        }
    }

    /** Starts the handler child for client {@code fd}; its slots are released when it is reaped. */
    private void serve(int fd) {
        try {
            children().spawn(launcher(), fd, -1, pid -> {
                connections.release();
                children.release();
            });
            counters().connectionsAccepted.increment();
        } catch (Posix.PosixException e) {                            // EAGAIN: no more processes
            connections.release();
            children.release();
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
    void stopAccepting() throws InterruptedException {
        listening().wakeUp();
        acceptor.interrupt();
        acceptor.join();
    }

    @Override
    void addModeCounts(LoggerCounters logged) {
        // The parent counted the connections it accepted and refused itself.
    }
}
