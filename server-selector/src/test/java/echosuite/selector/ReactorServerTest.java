package echosuite.selector;

import echosuite.protocol.LogVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is particular to the reactor, tested in-process: echo and half-close through the shared
 * read buffer and lazily created pending echo, backpressure on a slow reader while fast readers
 * keep going, the logger's backpressure (park and resume, no lost wakeup, nothing dropped),
 * several reactors, {@code --max-connections} and the graceful shutdown. Every test is bounded
 * by {@link Timeout} and by the clients' read timeout.
 */
@Timeout(120)
class ReactorServerTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "reactors={0}")
    @ValueSource(ints = {1, 2})
    void echoesEveryByteAndLogsThePartialRecordAtHalfClose(int reactors) throws Exception {
        byte[] sent = "one\ntwo\n\0binary\r\u00ff and no newline at the end".getBytes(StandardCharsets.ISO_8859_1);
        try (InProcessServer server = new InProcessServer(dir, reactors).start();
             Socket client = server.connect()) {
            client.getOutputStream().write(sent);
            client.shutdownOutput();
            assertArrayEquals(sent, readToEof(client.getInputStream()), "the echo, then the server's close");
            server.stop(Duration.ofSeconds(3));
            assertLogged(server, List.of(sent));
            assertEquals(sent.length, server.counters.bytesEchoed.sum());
        }
    }

    @Test
    void halfCloseWithManyMegabytesOwedDeliversAllOfItThenCloses() throws Exception {
        byte[] sent = pattern(8 << 20, 1);
        try (InProcessServer server = new InProcessServer(dir, 1).start();
             Socket client = server.connect();
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<?> sending = pool.submit(() -> {
                client.getOutputStream().write(sent);     // blocks while the server holds back (we read below)
                client.shutdownOutput();
                return null;
            });
            assertArrayEquals(sent, readToEof(client.getInputStream()));
            sending.get();
            server.stop(Duration.ofSeconds(3));
            assertLogged(server, List.of(sent));
        }
    }

    /**
     * The slow reader sends far more than every buffer on the way can hold (its own, the kernel's
     * on both sides, and the server's bound on pending echo) and reads nothing; the server must
     * stop reading it, and the fast clients must still complete every round trip meanwhile.
     */
    @Test
    void aSlowReaderIsHeldBackWhileFastReadersKeepTheirPace() throws Exception {
        int total = 48 << 20;     // > client send buffer + server receive buffer (tcp_rmem max 32 MiB) + pending bound + server send buffer
        byte[] slowData = pattern(total, 7);
        try (InProcessServer server = new InProcessServer(dir, 1).start();
             Socket slow = server.connect();
             ExecutorService pool = Executors.newCachedThreadPool()) {
            slow.setReceiveBufferSize(64 << 10);
            AtomicLong slowSent = new AtomicLong();
            Future<?> slowSender = pool.submit(() -> {
                OutputStream out = slow.getOutputStream();
                for (int off = 0; off < total; off += 64 << 10) {
                    out.write(slowData, off, Math.min(64 << 10, total - off));
                    slowSent.addAndGet(Math.min(64 << 10, total - off));
                }
                slow.shutdownOutput();
                return null;
            });

            List<Future<byte[]>> fast = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                int id = c;
                fast.add(pool.submit(() -> pingPong(server, "fast " + id, 2000)));
            }
            List<byte[]> sentPerConnection = new ArrayList<>();
            for (Future<byte[]> f : fast) sentPerConnection.add(f.get());   // every round trip completed

            assertTrue(slowSent.get() < total, "while the fast clients ran, the slow client could not send"
                    + " everything (the server stopped reading it); it sent " + slowSent.get() + " of " + total + " bytes");

            assertArrayEquals(slowData, readToEof(slow.getInputStream()), "the slow client still gets its whole echo, in order");
            slowSender.get();
            server.stop(Duration.ofSeconds(3));
            sentPerConnection.add(slowData);
            assertLogged(server, sentPerConnection);
        }
    }

    /**
     * A log that takes one batch at a time (a 1-byte backlog bound) refuses the reactor's records
     * again and again: connections are parked and resumed each time, and the logger's wakeups must
     * never be lost (a lost one would hang this test), nor any record.
     */
    @ParameterizedTest(name = "reactors={0}")
    @ValueSource(ints = {1, 3})
    void aLoggerThatFallsBehindPausesReadingAndLosesNothing(int reactors) throws Exception {
        try (InProcessServer server = new InProcessServer(dir, reactors);
             ExecutorService pool = Executors.newCachedThreadPool()) {
            server.options.maxLogBacklog = 1;
            server.start();
            List<Future<byte[]>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int id = c;
                clients.add(pool.submit(() -> pipelined(server, "client " + id, 3000)));
            }
            List<byte[]> sent = new ArrayList<>();
            for (Future<byte[]> f : clients) sent.add(f.get());
            server.stop(Duration.ofSeconds(3));
            assertLogged(server, sent);
            assertTrue(server.logRefusals() > 0, "the log refused records at least once (else this test tested nothing)");
        }
    }

    @Test
    void severalReactorsServeManyClientsAtOnce() throws Exception {
        try (InProcessServer server = new InProcessServer(dir, 3).start();
             ExecutorService pool = Executors.newCachedThreadPool()) {
            List<Future<byte[]>> clients = new ArrayList<>();
            for (int c = 0; c < 24; c++) {
                int id = c;
                clients.add(pool.submit(() -> pingPong(server, "client " + id, 300)));
            }
            List<byte[]> sent = new ArrayList<>();
            for (Future<byte[]> f : clients) sent.add(f.get());
            server.stop(Duration.ofSeconds(3));
            assertLogged(server, sent);
            assertEquals(24, server.counters.connectionsAccepted.sum());
        }
    }

    @ParameterizedTest(name = "reactors={0}")
    @ValueSource(ints = {1, 2})
    void overMaxConnectionsTheNewcomerIsClosedAndCountedTheOthersAreServed(int reactors) throws Exception {
        try (InProcessServer server = new InProcessServer(dir, reactors)) {
            server.options.maxConnections = 2;
            server.start();
            try (Socket a = server.connect(); Socket b = server.connect()) {
                roundTrip(a, "a\n");
                roundTrip(b, "b\n");
                try (Socket refused = server.connect()) {
                    assertClosedByServer(refused);
                }
                assertEquals(1, server.counters.connectionsRefused.sum());
                roundTrip(a, "a again\n");

                a.shutdownOutput();                          // a leaves; once the server closed it, a slot is free
                assertEquals(0, readToEof(a.getInputStream()).length);
                try (Socket c = server.connect()) {
                    roundTrip(c, "c\n");
                }
            }
            assertEquals(3, server.counters.connectionsAccepted.sum());
        }
    }

    /**
     * At shutdown a connection with an unfinished record has it logged and is closed; a client
     * that reads none of its echo is closed at the deadline; whatever was echoed is in the log.
     */
    @Test
    void gracefulShutdownLogsUnfinishedRecordsAndEndsEveryConnection() throws Exception {
        try (InProcessServer server = new InProcessServer(dir, 1).start();
             Socket partial = server.connect();
             Socket stuck = server.connect();
             ExecutorService pool = Executors.newSingleThreadExecutor()) {
            roundTrip(partial, "no newline yet");
            stuck.setReceiveBufferSize(16 << 10);
            byte[] stuckData = new byte[4 << 20];
            Arrays.fill(stuckData, (byte) 's');
            Future<?> stuckSender = pool.submit(() -> {
                stuck.getOutputStream().write(stuckData);
                return null;
            });

            server.stop(Duration.ofMillis(500));

            assertEquals(0, readToEof(partial.getInputStream()).length, "the server closed the idle connection");
            long echoedToStuck = drainUntilClosed(stuck.getInputStream());
            try {
                stuckSender.get();
            } catch (java.util.concurrent.ExecutionException closed) {
                // expected: the server closed a connection that still had bytes to send
            }
            List<String> records = Files.readAllLines(server.logPath, StandardCharsets.ISO_8859_1);
            assertEquals(1, records.stream().filter("no newline yet"::equals).count(), "the unfinished record, logged once");
            long loggedStuckBytes = records.stream().filter(r -> !r.isEmpty() && r.chars().allMatch(ch -> ch == 's'))
                    .mapToLong(String::length).sum();
            assertEquals(records.size() - 1, records.stream().filter(r -> !r.isEmpty() && r.chars().allMatch(ch -> ch == 's')).count(),
                    "every other record is the stuck client's");
            assertTrue(loggedStuckBytes >= echoedToStuck,
                    "all " + echoedToStuck + " bytes echoed to the stuck client are logged (logged: " + loggedStuckBytes + ")");
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    /** {@code rounds} messages, each sent after the previous echo arrived; returns all bytes sent. */
    private static byte[] pingPong(InProcessServer server, String name, int rounds) throws IOException {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        try (Socket s = server.connect()) {
            for (int i = 0; i < rounds; i++) {
                String msg = name + " message " + i + "\n";
                roundTrip(s, msg);
                sent.writeBytes(msg.getBytes(StandardCharsets.UTF_8));
            }
            s.shutdownOutput();
            assertEquals(0, readToEof(s.getInputStream()).length);
        }
        return sent.toByteArray();
    }

    /** Sends {@code lines} lines without waiting (a writer thread) while reading the echo; checks it; returns what was sent. */
    private static byte[] pipelined(InProcessServer server, String name, int lines) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < lines; i++) all.writeBytes((name + " line " + i + " " + "x".repeat(i % 97) + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] sent = all.toByteArray();
        try (Socket s = server.connect()) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    s.getOutputStream().write(sent);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] echo = readToEof(s.getInputStream());
            writer.join();
            assertArrayEquals(sent, echo, name + ": echo");
        }
        return sent;
    }

    private static void roundTrip(Socket s, String msg) throws IOException {
        byte[] bytes = msg.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes);
        assertArrayEquals(bytes, s.getInputStream().readNBytes(bytes.length), "echo of " + msg.strip());
    }

    private static byte[] readToEof(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /** Reads until the server's close (EOF or reset); returns how many bytes arrived. */
    private static long drainUntilClosed(InputStream in) {
        long n = 0;
        byte[] buf = new byte[64 << 10];
        try {
            for (int r; (r = in.read(buf)) >= 0; ) n += r;
        } catch (IOException reset) {
            // a close with unread input arrives as a reset: also the server's close
        }
        return n;
    }

    private static void assertClosedByServer(Socket s) throws IOException {
        try {
            s.getOutputStream().write("hello?\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(-1, s.getInputStream().read(), "a refused connection is closed without an echo");
        } catch (SocketException reset) {
            // closed by the server before or while we wrote: refused all the same
        }
    }

    private static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void assertLogged(InProcessServer server, List<byte[]> sentPerConnection) throws IOException {
        List<List<byte[]>> expected = new ArrayList<>();
        for (byte[] sent : sentPerConnection) expected.add(LogVerifier.expectedRecords(sent, server.options.maxLine));
        LogVerifier.Report report = LogVerifier.verify(server.logPath, expected);
        assertTrue(report.ok(), report.toString());
    }
}
