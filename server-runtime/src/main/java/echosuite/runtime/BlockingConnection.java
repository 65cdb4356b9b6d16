package echosuite.runtime;

import echosuite.protocol.RecordBatch;
import echosuite.protocol.RecordFramer;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One client served with blocking I/O from start to end: read, echo, log, repeat; at EOF log
 * the unfinished record and close. This is the body of the course's per-client loop
 * ({@code while((str_len=read(clnt_sock, buf, BUF_SIZE))!=0) write(clnt_sock, buf, str_len);})
 * shared by the three models that give each client its own flow of control: a platform thread,
 * a virtual thread, or a child process.
 *
 * <p>Backpressure comes for free: a blocking write to a client that does not read blocks this
 * connection only, and the {@link RecordSink} blocks while the logger is behind; either way
 * this connection stops reading, and memory stays bounded by the socket buffers.
 *
 * <p>Memory: the read buffer adapts to the traffic, from {@value #MIN_BUFFER} bytes for an
 * idle or chatty connection to {@value #MAX_BUFFER} bytes for a bulk stream, so thousands of
 * idle connections stay cheap (what makes virtual threads worth it).
 *
 * <p>Idle timeout ({@code --idle-timeout}; the rule is docs/protocol.md, "Idle connections"): a
 * blocking {@link SocketChannel#read} ignores {@code SO_TIMEOUT}, but the channel's socket adaptor
 * stream honours it (in JDK 25 it calls the channel's timed read, which polls with a deadline on
 * a platform thread and parks on the I/O poller with a deadline on a virtual thread, without
 * pinning). So with a timeout the loop reads through {@code channel.socket().getInputStream()},
 * and only its reads can time out. Without a timeout the loop reads the channel itself (the
 * timed read costs two {@code fcntl} calls per read on a platform thread: it switches the socket
 * to non-blocking mode and back).
 */
public final class BlockingConnection implements Runnable {

    static final int MIN_BUFFER = 512;
    static final int MAX_BUFFER = 64 << 10;

    private final SocketChannel channel;
    private final RecordFramer framer;
    private final RecordBatch batch = new RecordBatch();
    private final RecordSink sink;
    private final ServerCounters counters;
    private final BurstReporter reporter;
    private final Runnable onEnd;
    private final int idleTimeoutMillis;

    /**
     * @param channel a connected channel in blocking mode
     * @param idleTimeoutMillis end the connection when a read waits this long for a byte; 0: never
     * @param onEnd   runs at the end, after every record is handed over and just before the channel closes
     */
    public BlockingConnection(SocketChannel channel, int maxLine, long idleTimeoutMillis, RecordSink sink,
                              ServerCounters counters, BurstReporter reporter, Runnable onEnd) {
        if (idleTimeoutMillis < 0 || idleTimeoutMillis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("idle timeout out of range: " + idleTimeoutMillis + " ms");
        }
        this.channel = channel;
        this.idleTimeoutMillis = (int) idleTimeoutMillis;
        this.framer = new RecordFramer(maxLine);
        this.sink = sink;
        this.counters = counters;
        this.reporter = reporter;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (IOException e) {
            // Closed by the server at its shutdown deadline: not the client's error. The channel's
            // own read and write throw AsynchronousCloseException then; the adaptor stream of a timed
            // read may throw a SocketException or ClosedChannelException instead, hence the check.
            if (channel.isOpen()) counters.errors.increment();   // resets and the like: this client only
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            end();
        }
    }

    private void serve() throws IOException, InterruptedException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        InputStream timed = idleTimeoutMillis > 0 ? timedInput() : null;
        ByteBuffer buffer = ByteBuffer.allocate(MIN_BUFFER);
        while (true) {
            int n;
            if (timed == null) {
                n = channel.read(buffer);
            } else {
                try {
                    n = timed.read(buffer.array(), 0, buffer.capacity());
                } catch (SocketTimeoutException idle) {         // nothing for --idle-timeout: as at EOF
                    counters.connectionsTimedOut.increment();
                    break;
                }
                if (n > 0) buffer.position(n);
            }
            if (n < 0) break;                                   // EOF: the client half-closed
            framer.frame(buffer.array(), 0, n, batch);
            buffer.flip();
            try {
                while (buffer.hasRemaining()) channel.write(buffer);
                counters.bytesEchoed.add(n);
            } finally {
                sink.accept(batch);                             // received is logged, echoed or not
            }
            buffer = resized(buffer, n);
        }
        // Every echo was written before the next read, so nothing is owed; end() closes.
    }

    /**
     * The channel's socket stream, whose reads wait at most {@link #idleTimeoutMillis}. Its input
     * may already be shut down (a forking child told to end as its connection starts): then the
     * stream is an empty one, and the loop sees end of file as the channel's own read would.
     */
    private InputStream timedInput() throws IOException {
        channel.socket().setSoTimeout(idleTimeoutMillis);
        try {
            return channel.socket().getInputStream();
        } catch (SocketException e) {
            if (channel.isOpen() && !channel.socket().isInputShutdown()) throw e;
            return InputStream.nullInputStream();
        }
    }

    /** Grows the buffer after a full read, shrinks it after a small one; else reuses it. */
    private static ByteBuffer resized(ByteBuffer buffer, int lastRead) {
        int capacity = buffer.capacity();
        if (lastRead == capacity && capacity < MAX_BUFFER) {
            return ByteBuffer.allocate(Math.min(MAX_BUFFER, capacity * 4));
        }
        if (lastRead <= MIN_BUFFER && capacity > MIN_BUFFER) {
            return ByteBuffer.allocate(MIN_BUFFER);
        }
        return buffer.clear();
    }

    /**
     * Logs the unfinished record, then releases the connection's slot, then closes: in that order,
     * so that by the time the client sees the close, its records are handed over and its slot
     * under {@code --max-connections} is free again.
     */
    private void end() {
        try {
            framer.finish(batch);
            sink.accept(batch);
        } catch (IOException | InterruptedException e) {
            counters.errors.increment();
            reporter.report("could not hand a connection's last record to the logger: " + e);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        } finally {
            onEnd.run();
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do for this connection
            }
        }
    }
}
