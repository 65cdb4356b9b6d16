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
 * <p>{@code --max-children N}: with N children alive the parent stops accepting until one is
 * reaped; new clients wait in the kernel's listen backlog (like Apache's MaxRequestWorkers), so
 * none is refused, and their connect-to-first-echo time grows instead. The limit is the smaller
 * of {@code --max-children} and {@code --max-connections}.
 */
final class ProcessPerClientServer extends ForkingModel {

    private final Semaphore slots;
    private Thread acceptor;

    ProcessPerClientServer(Context context, ForkingOptions forking) {
        super(context, forking);
        this.slots = new Semaphore(Math.min(forking.maxChildren, context.options().maxConnections));
    }

    @Override
    void startChildren() {
        acceptor = Thread.ofPlatform().name("acceptor").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!stopping()) {
            try {
                slots.acquire();                                      // at --max-children: wait for a reap
            } catch (InterruptedException e) {
                return;                                               // shutdown
            }
            int fd;
            try {
                fd = listening().accept();
            } catch (IOException e) {                                 // EMFILE and the like
                slots.release();
                exhausted("accept failed: " + e.getMessage() + "; existing clients are still served");
                continue;
            }
            if (fd < 0) {                                             // woken up: shutdown
                slots.release();
                return;
            }
            try {
                children().spawn(launcher(), fd, slots::release);
                counters().connectionsAccepted.increment();
            } catch (Posix.PosixException e) {                        // EAGAIN: no more processes
                slots.release();
                counters().connectionsRefused.increment();
                exhausted("cannot start a handler process (" + e.getMessage() + "); connection closed");
            } finally {
                Posix.closeQuietly(fd);                               // the parent's close(clnt_sock)
            }
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
    boolean childrenCountConnections() {
        return false;                                                 // the parent counted its accepts
    }
}
