package echosuite.threaded;

import echosuite.runtime.BlockingConnection;
import echosuite.runtime.ConnectionRegistry;
import echosuite.runtime.EchoServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The multithreaded server of the course (seeds 002/003): an accept loop that gives every client
 * its own thread, which runs the blocking read/echo/log loop of {@link BlockingConnection}.
 * In C: {@code pthread_create(&t_id, NULL, handle_clnt, &clnt_sock); pthread_detach(t_id);} —
 * here {@code clientThreads.start(connection)}.
 *
 * <p>Which kind of thread is the whole difference between two of the suite's models, so it is a
 * parameter: {@code server-threaded} passes {@code Thread.ofPlatform()} (one OS thread per
 * client), {@code server-virtualthreads} passes {@code Thread.ofVirtual()} (one virtual thread
 * per client, multiplexed by the JDK over a few carrier threads).
 *
 * <p>Where it breaks: when the OS refuses more threads ({@code OutOfMemoryError: unable to
 * create native thread}) that connection is closed and counted as refused, the burst is reported
 * once, and accepting pauses for {@value #BACKOFF_MILLIS} ms; likewise when {@code accept} fails
 * (too many open files). Existing clients are served throughout.
 */
public final class ThreadPerConnectionServer implements EchoServer {

    /** Pause after accept or thread creation fails, so exhaustion never spins a core. */
    static final long BACKOFF_MILLIS = 100;

    private final Context context;
    private final ConnectionRegistry connections;
    private final Thread.Builder clientThreads;
    private ServerSocketChannel listener;
    private Thread acceptor;

    /** @param clientThreads makes the thread that serves each client (its name, kind, stack) */
    public ThreadPerConnectionServer(Context context, Thread.Builder clientThreads) {
        this.context = context;
        this.clientThreads = clientThreads;
        this.connections = new ConnectionRegistry(context.options().maxConnections);
    }

    @Override
    public InetSocketAddress start() throws IOException {
        listener = ServerSocketChannel.open();
        // A restart right after a crash must bind although old connections linger in TIME_WAIT. The
        // JDK already sets this on Linux for every ServerSocketChannel; set here so the intent shows.
        listener.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(new InetSocketAddress(context.options().bind, context.options().port), 4096);
        prepareClientThreads();
        acceptor = Thread.ofPlatform().name("acceptor").start(this::acceptLoop);
        return (InetSocketAddress) listener.getLocalAddress();
    }

    /**
     * For virtual threads: makes the JDK create its I/O poller now. It is created lazily, at the
     * first blocking read that has to park, and if that moment falls while the process is out of
     * file descriptors the poller's creation fails for good (every later read throws
     * {@code NoClassDefFoundError}): the server would serve nobody after one EMFILE burst. So one
     * client thread parks in a read on a pipe (the same poller serves pipes and sockets) before the
     * first client is accepted. Platform threads block in the kernel and need nothing.
     */
    private void prepareClientThreads() throws IOException {
        if (!(clientThreads instanceof Thread.Builder.OfVirtual)) return;   // platform threads: nothing to do
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            Thread reader = clientThreads.unstarted(() -> {
                try {
                    source.read(ByteBuffer.allocate(1));            // parks: nothing is written
                } catch (IOException closed) {
                    // the pipe closed under the read: the poller exists, that was the point
                }
            });
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reader.getState() != Thread.State.WAITING && reader.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();                                // until parked on the poller
            }
            sink.close();                                           // EOF: the read returns
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
                clientThreads.start(new BlockingConnection(client, context.options().maxLine,
                        context.options().idleTimeoutMillis(), context.log()::append,
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
