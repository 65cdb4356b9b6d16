package echosuite.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-process echo server on 127.0.0.1 (ephemeral port) for the load generator's tests, with
 * four deliberate faults that can be switched on:
 * <ul>
 *   <li>{@link #stallOnce}: after a number of echoed bytes, the whole server stops echoing for a
 *       while (every connection's echo passes one gate, which the stalling thread holds);</li>
 *   <li>{@link #corruptEvery}: every N-th echoed byte (counted over all connections) is flipped;</li>
 *   <li>{@link #capacity}: at most C messages (newline-terminated) per second are echoed, all
 *       connections together: message k leaves no earlier than start + k / C;</li>
 *   <li>{@link #firstEchoDelay}: each connection's first bytes are echoed only a while after they
 *       arrived (a server slow to take a connection in, like one that starts a process per connection).</li>
 * </ul>
 * One thread per connection; {@link #close} stops everything.
 */
final class TestEchoServer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> clients = new ArrayList<>();
    private final ReentrantLock gate = new ReentrantLock();
    private final AtomicLong echoed = new AtomicLong();
    /** capacity: when the last message was (or will be) echoed, nanoTime. */
    private long lastSlot = Long.MIN_VALUE / 2;
    private volatile long stallAfterBytes = Long.MAX_VALUE, stallNanos;
    private volatile boolean stalled;
    private final CountDownLatch stallBegan = new CountDownLatch(1);
    private volatile long corruptEvery;
    private volatile double capacity;
    private volatile long firstEchoDelayNanos;
    private final AtomicLong corrupted = new AtomicLong();

    TestEchoServer() throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        Thread.ofPlatform().daemon(true).name("test-echo-accept").start(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    String target() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** After {@code bytes} echoed bytes, stop echoing on every connection for {@code nanos}, once. */
    TestEchoServer stallOnce(long bytes, long nanos) {
        stallNanos = nanos;
        stallAfterBytes = bytes;
        return this;
    }

    /** Flip one bit of every {@code n}-th byte echoed. */
    TestEchoServer corruptEvery(long n) {
        corruptEvery = n;
        return this;
    }

    /**
     * Echo at most {@code messagesPerSecond} newline-terminated messages per second, all
     * connections together: each message takes the next slot 1/C after the previous one (or now,
     * if the server was idle; idle time is not saved up for a burst).
     */
    TestEchoServer capacity(double messagesPerSecond) {
        capacity = messagesPerSecond;
        return this;
    }

    /** On each connection, hold the first bytes read for {@code nanos} before echoing them (and everything after). */
    TestEchoServer firstEchoDelay(long nanos) {
        firstEchoDelayNanos = nanos;
        return this;
    }

    private synchronized long nextSlot() {
        lastSlot = Math.max(lastSlot + (long) (1e9 / capacity), System.nanoTime());
        return lastSlot;
    }

    long bytesEchoed() {
        return echoed.get();
    }

    long bytesCorrupted() {
        return corrupted.get();
    }

    boolean stallBegan() {
        return stallBegan.getCount() == 0;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                synchronized (clients) {
                    clients.add(s);
                }
                Thread.ofPlatform().daemon(true).name("test-echo-client").start(() -> serve(s));
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private void serve(Socket s) {
        byte[] buf = new byte[64 * 1024];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            boolean first = true;
            while ((n = in.read(buf)) > 0) {
                if (first) {
                    first = false;
                    long until = System.nanoTime() + firstEchoDelayNanos;
                    for (long wait; (wait = until - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);   // the fault under test
                }
                if (capacity > 0) {
                    echoAtCapacity(buf, n, out);
                } else {
                    echo(buf, 0, n, out);
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Sends each message of the chunk no earlier than its slot. */
    private void echoAtCapacity(byte[] buf, int n, OutputStream out) throws IOException {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] != '\n') continue;
            long due = nextSlot();
            for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);   // the server's service time
            echo(buf, start, i + 1 - start, out);
            start = i + 1;
        }
        if (start < n) echo(buf, start, n - start, out);
    }

    private void echo(byte[] buf, int off, int len, OutputStream out) throws IOException {
        gate.lock();
        try {
            long first = echoed.getAndAdd(len);
            long every = corruptEvery;
            if (every > 0) {
                // global byte index first+i is corrupted when (index + 1) % every == 0
                for (long k = ((first / every) + 1) * every - 1; k < first + len; k += every) {
                    buf[off + (int) (k - first)] ^= 0x01;
                    corrupted.incrementAndGet();
                }
            }
            if (!stalled && first + len > stallAfterBytes) {
                stalled = true;
                stallBegan.countDown();
                long until = System.nanoTime() + stallNanos;
                // Holding the gate: no connection echoes until the stall is over (the fault under test).
                for (long wait; (wait = until - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
            }
        } finally {
            gate.unlock();
        }
        out.write(buf, off, len);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (clients) {
            for (Socket s : clients) s.close();
        }
    }
}
