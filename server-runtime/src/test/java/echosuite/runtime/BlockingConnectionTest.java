package echosuite.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BlockingConnection}'s idle timeout on a real loopback connection, on a platform thread
 * and on a virtual thread (the two ways the suite runs it). Every wait has a deadline.
 */
class BlockingConnectionTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private ServerSocketChannel listener;
    private Socket client;
    private SocketChannel served;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final ServerCounters counters = new ServerCounters();
    private final CountDownLatch ended = new CountDownLatch(1);

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Socket();
        client.connect(listener.getLocalAddress(), (int) DEADLINE.toMillis());
        client.setSoTimeout((int) DEADLINE.toMillis());             // a read that hangs fails the test
        served = listener.accept();
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        served.close();
        listener.close();
    }

    private Thread start(String kind, long idleTimeoutMillis) {
        RecordSink sink = batch -> {
            synchronized (logged) {
                logged.writeBytes(batch.take());
            }
        };
        BurstReporter quiet = new BurstReporter("test", new PrintStream(OutputStream.nullOutputStream()), 1000);
        BlockingConnection connection = new BlockingConnection(served, 65536, idleTimeoutMillis, sink, counters, quiet,
                ended::countDown);
        return (kind.equals("virtual") ? Thread.ofVirtual() : Thread.ofPlatform()).start(connection);
    }

    private String logged() {
        synchronized (logged) {
            return logged.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void awaitEnd(Thread t) throws InterruptedException {
        assertTrue(ended.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "the connection ended within " + DEADLINE);
        assertTrue(t.join(DEADLINE), "its thread ended");
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void aSilentConnectionIsClosedAfterTheTimeoutWithItsUnfinishedRecordLoggedAndIsCountedTimedOut(String kind)
            throws Exception {
        Thread t = start(kind, 300);
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        out.write(bytes("one\nabc"));
        assertArrayEquals(bytes("one\nabc"), in.readNBytes(7), "everything is echoed");
        long t0 = System.nanoTime();
        assertEquals(-1, in.read(), "then the server closes the silent connection");
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        awaitEnd(t);
        assertTrue(waitedMillis >= 200, "not before the timeout: closed after " + waitedMillis + " ms");
        assertEquals("one\nabc\n", logged(), "the unfinished record is logged as at end of file");
        assertEquals(1, counters.connectionsTimedOut.sum());
        assertEquals(0, counters.errors.sum());
        assertEquals(7, counters.bytesEchoed.sum());
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void aConnectionThatSendsMoreOftenThanTheTimeoutIsNeverClosed(String kind) throws Exception {
        Thread t = start(kind, 400);
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 12; i++) {                               // 1.2 s in all, three times the timeout
            byte[] m = bytes("m" + i + "\n");
            out.write(m);
            assertArrayEquals(m, in.readNBytes(m.length), "message " + i + " echoed");
            sent.append("m").append(i).append('\n');
            Thread.sleep(100);                                       // the client's pace, not synchronisation
        }
        client.shutdownOutput();
        assertEquals(-1, in.read(), "closed at the client's end of file");
        awaitEnd(t);
        assertEquals(sent.toString(), logged());
        assertEquals(0, counters.connectionsTimedOut.sum());
        assertEquals(0, counters.errors.sum());
    }

    /** The server's shutdown deadline closes the channel under a timed read: neither an error nor a timeout. */
    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void aConnectionClosedByTheServerDuringATimedReadIsNeitherAnErrorNorATimeout(String kind) throws Exception {
        Thread t = start(kind, 60_000);
        client.getOutputStream().write(bytes("x\nyz"));
        assertArrayEquals(bytes("x\nyz"), client.getInputStream().readNBytes(4));
        awaitBlockedInRead(t);
        served.close();
        awaitEnd(t);
        assertEquals("x\nyz\n", logged());
        assertEquals(0, counters.errors.sum());
        assertEquals(0, counters.connectionsTimedOut.sum());
    }

    /** The server's graceful shutdown ends input under a timed read: an end of file, nothing counted. */
    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void anInputShutDownByTheServerDuringATimedReadEndsTheConnectionAsAtEndOfFile(String kind) throws Exception {
        Thread t = start(kind, 60_000);
        client.getOutputStream().write(bytes("x\nyz"));
        assertArrayEquals(bytes("x\nyz"), client.getInputStream().readNBytes(4));
        awaitBlockedInRead(t);
        served.shutdownInput();
        assertEquals(-1, client.getInputStream().read(), "the server closes");
        awaitEnd(t);
        assertEquals("x\nyz\n", logged());
        assertEquals(0, counters.errors.sum());
        assertEquals(0, counters.connectionsTimedOut.sum());
    }

    /** A forking child told to end as its connection starts: the input is shut down before the first read. */
    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void anInputShutDownBeforeTheConnectionStartsIsAnEndOfFileNotAnError(String kind) throws Exception {
        served.shutdownInput();
        Thread t = start(kind, 60_000);
        assertEquals(-1, client.getInputStream().read(), "the server closes");
        awaitEnd(t);
        assertEquals("", logged());
        assertEquals(0, counters.errors.sum());
        assertEquals(0, counters.connectionsTimedOut.sum());
    }

    /**
     * Waits (bounded) until the connection's thread waits in its read: a virtual thread parks
     * (TIMED_WAITING); a platform thread polls in the kernel and stays RUNNABLE, so for it this
     * only waits for the thread to have started: a close before the read begins must be handled
     * the same way anyway.
     */
    private static void awaitBlockedInRead(Thread t) throws InterruptedException {
        if (!t.isVirtual()) return;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (t.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the connection's thread waits in its read; state " + t.getState());
            Thread.sleep(1);                                         // polling a state, with a deadline
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
