package echosuite.selector;

import echosuite.protocol.RecordFramer;
import echosuite.runtime.ServerCounters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection on a {@link Reactor}: reads what the client sent, echoes it at once,
 * frames it into log records; the {@code else} branch of seed 001's {@code FD_ISSET} loop
 * ({@code str_len = read(i, buf, BUF_SIZE); if (str_len == 0) { FD_CLR(i, &reads); close(i); } else write(i, buf, str_len);})
 * made non-blocking and complete.
 *
 * <p>Interest ops are the whole state machine ({@link #updateInterest}):
 * <ul>
 *   <li>{@code OP_READ} while the input is open, the unsent echo is below
 *       {@value #MAX_PENDING_ECHO} bytes (backpressure on a client that does not read: we stop
 *       reading it, its TCP window fills, its sends block; other connections are unaffected) and
 *       the log takes records (else the connection is parked by its reactor);</li>
 *   <li>{@code OP_WRITE} while echo is owed. A write that did not take everything leaves the rest
 *       in a {@link PendingEcho}, which exists only then: an idle connection holds no buffer.</li>
 * </ul>
 *
 * <p>Half-close (protocol: "the server still sends everything it owes, then closes"): at EOF the
 * unfinished record is logged, reading stops, and the connection closes once its pending echo
 * has been written. A graceful shutdown treats every connection the same way.
 *
 * <p>Idle timeout (the rule: docs/protocol.md, "Idle connections"): {@link #waitingSince} is when
 * the connection last began waiting for its client's bytes with nothing owed (opened, read,
 * drained its pending echo, resumed after the log was full), checked by the reactor's sweep
 * ({@link #timeOutIfIdle}). Kept only when the option is set.
 *
 * <p>Invariants: bytes are echoed in the order received (new bytes go behind pending ones, never
 * past them); every byte read is framed into the reactor's batch before anything can fail, so
 * received bytes are logged whether or not their echo could be sent. Reactor thread only.
 */
final class Connection implements Handler {

    /** Stop reading a client whose unsent echo reaches this (like the C select anchor's 256 KiB). */
    static final int MAX_PENDING_ECHO = 256 << 10;

    private final Reactor reactor;
    private final SocketChannel channel;
    private final RecordFramer framer;
    private final ServerCounters counters;
    private SelectionKey key;
    /** Echo not yet taken by the client; null when nothing is owed. */
    private PendingEcho pending;
    /** EOF was read, or the server is stopping: no more reads; close once nothing is owed. */
    private boolean inputEnded;
    /** Waiting for the log to take the reactor's batch (see {@link Reactor#park}). */
    private boolean parked;
    private boolean closed;
    /** {@link System#nanoTime} when this connection last began waiting to read with nothing owed; idle timeout only. */
    private long waitingSince;

    private Connection(Reactor reactor, SocketChannel channel) {
        this.reactor = reactor;
        this.channel = channel;
        this.framer = new RecordFramer(reactor.context().options().maxLine);
        this.counters = reactor.context().counters();
        waiting();
    }

    /** Registers a connected, non-blocking channel with the reactor's selector, interested in reading. */
    static Connection open(Reactor reactor, SocketChannel channel) throws IOException {
        Connection connection = new Connection(reactor, channel);
        connection.key = channel.register(reactor.selector(), SelectionKey.OP_READ, connection);
        return connection;
    }

    @Override
    public void ready(SelectionKey key) {
        try {
            if (key.isWritable()) writePending();
            if (key.isValid() && key.isReadable()) read();
        } catch (IOException e) {
            // Reset by the peer, broken pipe: this client only. Its received records are logged.
            counters.errors.increment();
            abort();
        }
    }

    private void read() throws IOException {
        if (inputEnded) return;               // a readiness reported just before the stop
        if (reactor.logRefused()) {           // the logger is behind: read nothing until it catches up
            parked = true;
            reactor.park(this);
            updateInterest();
            return;
        }
        ByteBuffer in = reactor.readBuffer.clear();
        int n = channel.read(in);
        if (n < 0) {                          // EOF: the client half-closed
            stop();                           // ends input as a stop does: log the rest, close once owed nothing
            return;
        }
        if (n == 0) return;
        in.flip();
        in.get(0, reactor.readCopy, 0, n);    // absolute get: the buffer stays ready for the echo
        framer.frame(reactor.readCopy, 0, n, reactor.records);
        waiting();
        echo(in);
        updateInterest();
        reactor.recordsAdded();
    }

    /** Writes what it can now; the rest waits behind any earlier pending echo. */
    private void echo(ByteBuffer in) throws IOException {
        if (pending == null) {
            counters.bytesEchoed.add(channel.write(in));
            if (!in.hasRemaining()) return;
            pending = new PendingEcho(in.remaining());
        }
        pending.append(in);
    }

    private void writePending() throws IOException {
        counters.bytesEchoed.add(pending.writeTo(channel));
        if (!pending.isEmpty()) return;
        pending = null;                       // drained: release the buffer
        if (inputEnded) {
            close();                          // everything owed is sent
        } else {
            waiting();
            updateInterest();
        }
    }

    /** The log took the reactor's batch again: read again if nothing else holds us back. */
    void resume() {
        parked = false;
        waiting();
        if (!closed) updateInterest();
    }

    /** This connection (re)starts waiting for its client's bytes now: the idle clock starts again. */
    private void waiting() {
        if (reactor.idleTimeoutNanos > 0) waitingSince = System.nanoTime();
    }

    /** The reactor's idle sweep, for this connection: ends it as at end of file if it is idle. */
    void timeOutIfIdle(long now) {
        if (inputEnded || parked || pending != null || now - waitingSince < reactor.idleTimeoutNanos) return;
        counters.connectionsTimedOut.increment();
        stop();                               // as at EOF
    }

    @Override
    public void stop() {
        endInput();
        if (!closed) updateInterest();
    }

    @Override
    public void abort() {
        endInput();
        close();
    }

    /** No more input: the unfinished record is logged; close now unless echo is still owed. */
    private void endInput() {
        if (inputEnded) return;
        inputEnded = true;
        framer.finish(reactor.records);
        if (pending == null) close();
    }

    private void updateInterest() {
        int ops = 0;
        if (!inputEnded && !parked && (pending == null || pending.size() < MAX_PENDING_ECHO)) ops |= SelectionKey.OP_READ;
        if (pending != null) ops |= SelectionKey.OP_WRITE;
        if (key.interestOps() != ops) key.interestOps(ops);   // each change is a system call: only when it changes
    }

    private void close() {
        if (closed) return;
        closed = true;
        pending = null;
        // Counted out before the close, so a client that sees the close may at once count on the slot.
        reactor.connectionClosed();
        try {
            channel.close();                  // also cancels the key: the selector forgets this socket
        } catch (IOException ignored) {
            // the socket is gone either way
        }
    }
}
