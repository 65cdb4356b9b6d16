package echosuite.selector;

import echosuite.logcheck.LogVerifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is particular to the reactor, tested in-process where the server's insides can be set and
 * observed: the logger's backpressure (park and resume, no lost wakeup, nothing dropped, with one
 * and with several reactors) and the graceful shutdown of connections that still owe echo. What
 * every server must do (echo, half-close, slow readers, limits, EMFILE) is tested against the real
 * process by the conformance kit, which runs this server with {@code --reactors 1} and {@code 2}.
 * Every test is bounded by {@link Timeout} and by the clients' read timeout.
 */
@Timeout(120)
class ReactorServerTest {

    @TempDir
    Path dir;

    /**
     * A log that takes one batch at a time (a 1-byte backlog bound) refuses the reactor's records
     * again and again: connections are parked and resumed each time, and the logger's wakeups must
     * never be lost (a lost one would hang this test), nor any record.
     */
    @ParameterizedTest(name = "reactors={0}")
    @ValueSource(ints = {1, 3})
    void aLoggerThatFallsBehindPausesReadingAndLosesNothing(int reactors) throws Exception {
        // The log is a FIFO that nobody drains until the reactor has been refused by the log at
        // least once: the logger blocks as soon as the pipe's 64 KiB fill, so refusals are certain,
        // not a matter of timing. Then it is drained into the file that is verified.
        Path fifo = dir.resolve("echomsg.fifo");
        Path copy = dir.resolve("echomsg.txt");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        try (InProcessServer server = InProcessServer.withLogAt(fifo, reactors)) {
            server.options.maxLogBacklog = 1;
            java.util.concurrent.CompletableFuture<Void> drained = new java.util.concurrent.CompletableFuture<>();
            Thread drainer = Thread.ofPlatform().start(() -> {
                try (var in = java.nio.file.Files.newInputStream(fifo);     // opens once the logger opens
                     var out = java.nio.file.Files.newOutputStream(copy)) {
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
                    while ((!server.started() || server.logRefusals() == 0) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();                                // until the first refusal
                    }
                    in.transferTo(out);                                     // to EOF: the log closed
                    drained.complete(null);
                } catch (Exception e) {
                    drained.completeExceptionally(e);
                }
            });
            server.start();
            List<byte[]> sent = concurrently(8, id -> pipelined(server, "client " + id, 3000));
            server.stop(Duration.ofSeconds(3));
            drained.get(30, java.util.concurrent.TimeUnit.SECONDS);
            drainer.join();
            assertTrue(server.logRefusals() > 0, "the log refused records at least once (else this test tested nothing)");
            assertLogged(sent, copy, server.options.maxLine);
        }
    }

    /**
     * {@code --idle-timeout}: a connection parked because the log is full is not waiting for its
     * client, so it is not idle, however long the log stays full. The log is a FIFO that nobody
     * drains for three timeouts after the log first refused the reactor's records; meanwhile the
     * client keeps trying to send. Once drained, the conversation completes, and nothing timed out.
     */
    @Test
    void aConnectionParkedWhileTheLogIsFullIsNotTimedOut() throws Exception {
        Path fifo = dir.resolve("echomsg.fifo");
        Path copy = dir.resolve("echomsg.txt");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        try (InProcessServer server = InProcessServer.withLogAt(fifo, 1)) {
            server.options.maxLogBacklog = 1;
            server.options.idleTimeoutSeconds = 1;
            java.util.concurrent.CompletableFuture<Void> drained = new java.util.concurrent.CompletableFuture<>();
            Thread drainer = Thread.ofPlatform().start(() -> {
                try (var in = Files.newInputStream(fifo);                   // opens once the logger opens
                     var out = Files.newOutputStream(copy)) {
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
                    while ((!server.started() || server.logRefusals() == 0) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();                                // until the first refusal
                    }
                    Thread.sleep(3000);                                     // the log stays full for three timeouts
                    in.transferTo(out);                                     // to EOF: the log closed
                    drained.complete(null);
                } catch (Exception e) {
                    drained.completeExceptionally(e);
                }
            });
            server.start();
            byte[] sent = pipelined(server, "parked client", 20_000);     // about 1 MiB: more than the FIFO holds
            server.stop(Duration.ofSeconds(3));
            drained.get(30, java.util.concurrent.TimeUnit.SECONDS);
            drainer.join();
            assertTrue(server.logRefusals() > 0, "the log refused records (else this test tested nothing)");
            assertEquals(0, server.counters.connectionsTimedOut.sum(), "a parked connection is not idle");
            assertEquals(0, server.counters.errors.sum());
            assertLogged(List.of(sent), copy, server.options.maxLine);
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
            // Its first echo byte shows the server is reading it; it reads 64 KiB at a time and the
            // client takes 16 KiB, so echo is owed from then on.
            int first = stuck.getInputStream().read();
            assertEquals('s', first);

            server.stop(Duration.ofMillis(500));

            assertEquals(0, readToEof(partial.getInputStream()).length, "the server closed the idle connection");
            long echoedToStuck = 1 + drainUntilClosed(stuck.getInputStream());
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
            assertTrue(loggedStuckBytes > echoedToStuck, "the server logged " + loggedStuckBytes + " bytes of the stuck"
                    + " client, more than the " + echoedToStuck + " it could echo before the deadline closed it: everything"
                    + " echoed is logged, and echo was still owed at the deadline (the case this test is about)");
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    /** One client's whole conversation; returns every byte it sent. */
    @FunctionalInterface
    private interface Client {
        byte[] run(int id) throws Exception;
    }

    /** Runs {@code count} clients at once and waits for all; returns what each sent, by id. */
    private static List<byte[]> concurrently(int count, Client client) throws Exception {
        try (ExecutorService pool = Executors.newCachedThreadPool()) {
            List<Future<byte[]>> running = new ArrayList<>();
            for (int id = 0; id < count; id++) {
                int clientId = id;
                running.add(pool.submit(() -> client.run(clientId)));
            }
            List<byte[]> sent = new ArrayList<>();
            for (Future<byte[]> f : running) sent.add(f.get());
            return sent;
        }
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

    private static void assertLogged(List<byte[]> sentPerConnection, Path log, int maxLine) throws IOException {
        List<List<byte[]>> expected = new ArrayList<>();
        for (byte[] sent : sentPerConnection) expected.add(LogVerifier.expectedRecords(sent, maxLine));
        LogVerifier.Report report = LogVerifier.verify(log, expected);
        assertTrue(report.ok(), report.toString());
    }
}
