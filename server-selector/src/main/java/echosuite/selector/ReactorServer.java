package echosuite.selector;

import echosuite.runtime.EchoServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The multiplexing server of the course (seed 001's {@code select()} echo server), in the shape
 * of Doug Lea's "Scalable IO in Java": non-blocking sockets registered with a
 * {@link java.nio.channels.Selector}, and one thread (a {@link Reactor}) that waits for whichever
 * socket is ready and runs that socket's handler ({@link Acceptor} or {@link Connection}).
 *
 * <p>Threads:
 * <ul>
 *   <li>{@code --reactors 1} (the default on one CPU, as the harness pins it on 2 CPUs): the basic reactor. One thread, {@code reactor-1}, selects
 *       over the listening socket and every connection: it accepts, reads, echoes and collects
 *       log records, all without blocking. This is the design the performance targets are about.</li>
 *   <li>{@code --reactors N} (the default on N CPUs: one per CPU it may run on): Lea's "multiple reactors". A thread {@code acceptor} selects only
 *       over the listening socket and hands each new connection to {@code reactor-1 ... reactor-N}
 *       in turn; each reactor then owns its connections for their whole life, so no connection is
 *       ever touched by two threads.</li>
 *   <li>plus the {@link echosuite.runtime.RecordLog}'s one logger thread, which does all file
 *       I/O; the reactors only hand it records.</li>
 * </ul>
 *
 * <p>{@code --max-connections}: a connection over the limit is accepted and closed at once and
 * counted in {@code connectionsRefused} (the same choice as the threaded server), so the listen
 * backlog never fills with clients that would wait without being told.
 */
final class ReactorServer implements EchoServer {

    /** Like the threaded server and the anchors. */
    static final int LISTEN_BACKLOG = 4096;

    private final Context context;
    private final int reactorCount;
    /** Connections open now, over all reactors; compared with {@code --max-connections}. */
    private final AtomicInteger openConnections = new AtomicInteger();
    private Reactor[] reactors;
    /** The reactor whose selector holds the listening socket: reactors[0], or a separate acceptor. */
    private Reactor acceptorHost;

    ReactorServer(Context context, int reactorCount) {
        this.context = context;
        this.reactorCount = reactorCount;
    }

    @Override
    public InetSocketAddress start() throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(context.options().bind, context.options().port), LISTEN_BACKLOG);
            listener.configureBlocking(false);
            reactors = new Reactor[reactorCount];
            for (int i = 0; i < reactorCount; i++) {
                reactors[i] = new Reactor("reactor-" + (i + 1), context, openConnections);
            }
            acceptorHost = reactorCount == 1 ? reactors[0] : new Reactor("acceptor", context, openConnections);
            Acceptor.register(acceptorHost, listener, reactors, context, openConnections);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        // The logger calls this after each write that freed room; only reactors waiting for room
        // react (see Reactor#logSpaceFreed), so a busy logger does not wake busy reactors.
        context.log().onSpaceAvailable(() -> {
            for (Reactor r : reactors) r.logSpaceFreed();
        });
        if (acceptorHost != reactors[0]) acceptorHost.start();
        for (Reactor r : reactors) r.start();
        return (InetSocketAddress) listener.getLocalAddress();
    }

    /** Times a reactor found the log full and paused reading; for tests, after {@link #shutdown}. */
    long logRefusals() {
        long n = 0;
        for (Reactor r : reactors) n += r.logRefusals();
        return n;
    }

    /**
     * Stops the acceptor first (so no connection arrives at a reactor that is already stopping),
     * then every reactor: each treats its connections as at EOF, flushes the echo it owes until
     * {@code deadline}, closes what is left, and hands its last records to the log before its
     * thread ends.
     */
    @Override
    public void shutdown(Instant deadline) throws InterruptedException {
        if (acceptorHost != reactors[0]) {
            acceptorHost.stop(deadline);
            acceptorHost.join();
        }
        for (Reactor r : reactors) r.stop(deadline);
        for (Reactor r : reactors) r.join();
    }
}
