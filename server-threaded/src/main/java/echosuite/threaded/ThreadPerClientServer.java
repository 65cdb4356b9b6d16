package echosuite.threaded;

import echosuite.protocol.BlockingConnection;
import echosuite.protocol.ConnectionRegistry;
import echosuite.protocol.EchoServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The multithreaded server of the course (seeds 002/003): an accept loop that gives every client
 * its own platform (OS) thread, which runs the blocking read/echo/log loop of
 * {@link BlockingConnection}. In C: {@code pthread_create(&t_id, NULL, handle_clnt, &clnt_sock);
 * pthread_detach(t_id);} — here {@code Thread.ofPlatform().start(connection)}.
 *
 * <p>Costs per connection: one OS thread (a stack reserved at {@value #STACK_BYTES} bytes, of
 * which only the touched pages are resident) and a kernel scheduling entity. It breaks when the
 * OS refuses more threads ({@code OutOfMemoryError: unable to create native thread}): that
 * connection is closed and counted, the burst reported once, and accepting pauses briefly.
 */
final class ThreadPerClientServer implements EchoServer {

    /** Like the C anchor's 256 KiB stacks: the echo loop is shallow. */
    static final long STACK_BYTES = 256 << 10;
    /** Pause after accept or thread creation fails, so exhaustion never spins a core. */
    static final long BACKOFF_MILLIS = 100;

    private final Context context;
    private final ConnectionRegistry connections;
    private final Thread.Builder clientThreads =
            Thread.ofPlatform().name("client-", 1).stackSize(STACK_BYTES).daemon(true);
    private ServerSocketChannel listener;
    private Thread acceptor;

    ThreadPerClientServer(Context context) {
        this.context = context;
        this.connections = new ConnectionRegistry(context.options().maxConnections);
    }

    @Override
    public InetSocketAddress start() throws IOException {
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(context.options().bind, context.options().port), 4096);
        acceptor = Thread.ofPlatform().name("acceptor").start(this::acceptLoop);
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (AsynchronousCloseException stopped) {
                return;                                     // shutdown closed the listener
            } catch (IOException e) {                       // e.g. EMFILE: too many open files
                exhausted("accept failed: " + e.getMessage() + "; existing clients are still served");
                continue;
            }
            if (!connections.tryAdd(client)) {
                context.counters().connectionsRefused.increment();
                closeQuietly(client);
                continue;
            }
            try {
                clientThreads.start(new BlockingConnection(client, context.options().maxLine, context.log()::append,
                        context.counters(), context.reporter(), () -> connections.remove(client)));
                context.counters().connectionsAccepted.increment();
            } catch (OutOfMemoryError noThread) {           // "unable to create native thread"
                connections.remove(client);
                closeQuietly(client);
                context.counters().connectionsRefused.increment();
                exhausted("cannot create a thread for a new client (" + noThread.getMessage() + "); connection closed");
            }
        }
    }

    private void exhausted(String message) {
        context.counters().errors.increment();
        context.reporter().report(message);
        try {
            TimeUnit.MILLISECONDS.sleep(BACKOFF_MILLIS);   // back off: the condition clears only as clients leave
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void shutdown(Instant deadline) throws InterruptedException {
        closeQuietly(listener);
        acceptor.join();
        connections.shutdownInputs();                       // each client's read sees EOF
        if (!connections.awaitEmpty(deadline)) {
            connections.closeAll();                         // writers blocked on clients that do not read
            connections.awaitEmpty(Instant.now().plusMillis(500));
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to recover
        }
    }
}
