package echosuite.selector;

import echosuite.runtime.EchoServer;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening socket's handler: the {@code if (i == serv_sock) { clnt_sock = accept(...); FD_SET(clnt_sock, &reads); }}
 * branch of seed 001's select loop. Accepts, applies {@code --max-connections}, sets
 * {@code TCP_NODELAY} and hands each connection to the next reactor, round-robin.
 *
 * <p>Running out of file descriptors ({@code accept} fails with "Too many open files"): the
 * pending connection stays in the backlog, so the listener stays readable, and a level-triggered
 * selector would report it again at once: a loop that retried immediately would spin a core at
 * 100 % doing nothing. Instead the acceptor stops selecting {@code OP_ACCEPT} for
 * {@link #BACKOFF} and then tries again (Netty turns auto-read off for a second in this case;
 * 100 ms keeps the wait for a freed descriptor short while costing ten failed system calls a
 * second). Existing connections are served all along; the trouble is reported once per burst and
 * each failure is counted in {@code errors}.
 */
final class Acceptor implements Handler {

    /** How long {@code OP_ACCEPT} stays off after {@code accept} failed. */
    static final Duration BACKOFF = Duration.ofMillis(100);
    /** Accepts per ready event, so a connection storm cannot starve the reactor's other sockets. */
    static final int ACCEPTS_PER_EVENT = 64;

    private final Reactor host;
    private final ServerSocketChannel listener;
    private final Reactor[] reactors;
    private final EchoServer.Context context;
    private final AtomicInteger openConnections;
    private SelectionKey key;
    private int next;

    private Acceptor(Reactor host, ServerSocketChannel listener, Reactor[] reactors,
                     EchoServer.Context context, AtomicInteger openConnections) {
        this.host = host;
        this.listener = listener;
        this.reactors = reactors;
        this.context = context;
        this.openConnections = openConnections;
    }

    /**
     * Registers the bound, non-blocking {@code listener} with {@code host}'s selector (before the
     * host's thread starts), handing accepted connections to {@code reactors}.
     */
    static void register(Reactor host, ServerSocketChannel listener, Reactor[] reactors,
                         EchoServer.Context context, AtomicInteger openConnections) throws IOException {
        Acceptor acceptor = new Acceptor(host, listener, reactors, context, openConnections);
        acceptor.key = listener.register(host.selector(), SelectionKey.OP_ACCEPT, acceptor);
    }

    @Override
    public void ready(SelectionKey key) {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (IOException e) {              // EMFILE/ENFILE, ENOBUFS, ...
                backOff(e);
                return;
            }
            if (client == null) return;            // backlog empty
            handOver(client);
        }
    }

    private void handOver(SocketChannel client) {
        if (openConnections.get() >= context.options().maxConnections) {
            context.counters().connectionsRefused.increment();
            closeQuietly(client);
            return;
        }
        try {
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);   // echo each small write at once
        } catch (IOException e) {                  // the client already reset: not worth reporting
            context.counters().errors.increment();
            closeQuietly(client);
            return;
        }
        openConnections.incrementAndGet();
        context.counters().connectionsAccepted.increment();
        reactors[next].adopt(client);
        next = (next + 1) % reactors.length;
    }

    private void backOff(IOException e) {
        context.counters().errors.increment();
        context.reporter().report("accept failed: " + e.getMessage() + "; not accepting for "
                + BACKOFF.toMillis() + " ms, existing clients are still served");
        key.interestOps(0);
        host.schedule(BACKOFF, () -> {
            if (key.isValid()) key.interestOps(SelectionKey.OP_ACCEPT);
        });
    }

    /** Stops accepting: closing the listener also cancels its key. */
    @Override
    public void stop() {
        closeQuietly(listener);
    }

    @Override
    public void abort() {
        closeQuietly(listener);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to recover
        }
    }
}
