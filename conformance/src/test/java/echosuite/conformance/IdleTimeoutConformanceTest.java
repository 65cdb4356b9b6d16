package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static echosuite.conformance.EchoConformanceTest.assertVerified;
import static echosuite.conformance.EchoConformanceTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protocol, {@code --idle-timeout SECONDS}: a connection the server waits to read from, on which
 * nothing arrived for SECONDS, is ended by the server as if its client had half-closed (its
 * unfinished record logged, everything owed echoed, then closed) and counted in the summary's
 * {@code connectionsTimedOut}; a connection the server is blocked writing to is not idle. Every
 * wait has a deadline; the only sleeps are a client's pace and one observation window.
 */
class IdleTimeoutConformanceTest {

    /** A server that does not close a silent connection within this fails the test. */
    static final int CLOSE_DEADLINE_MILLIS = 10_000;

    @TempDir
    Path dir;

    @ForEachServer
    void aSilentConnectionIsClosedAfterTheTimeoutAndItsUnfinishedRecordIsEchoedLoggedAndCounted(
            ServerUnderTest server, TestInfo test) throws Exception {
        Path log = dir.resolve("log.txt");
        ServerProcess.Exit exit;
        long closedAfterMillis;
        try (ServerProcess p = server.start(log, "--idle-timeout", "1");
             EchoClient c = new EchoClient(p.port())) {
            c.socket.setSoTimeout(CLOSE_DEADLINE_MILLIS);
            long t0 = System.nanoTime();
            c.send(bytes("abc"));
            assertArrayEquals(bytes("abc"), c.readExactly(3), "echoed at once, without a newline");
            assertEquals(-1, c.read(), "the server closes the silent connection (EOF within "
                    + CLOSE_DEADLINE_MILLIS + " ms)");
            closedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            exit = p.terminate(Duration.ofSeconds(5));
        }
        Figures.record(test.getTestMethod().orElseThrow().getName(), server, "closed after (ms)", closedAfterMillis);
        assertTrue(closedAfterMillis >= 1000, "not before the timeout: closed " + closedAfterMillis + " ms after the send");
        Map<String, Long> summary = exit.summary();
        assertEquals(0, exit.status());
        assertEquals(1, summary.get("connectionsTimedOut"), "summary " + summary);
        assertEquals(1, summary.get("connectionsAccepted"), "summary " + summary);
        assertEquals(1, summary.get("recordsLogged"), "summary " + summary);
        assertEquals(3, summary.get("bytesEchoed"), "summary " + summary);
        assertEquals(0, summary.get("errors"), "summary " + summary);
        assertVerified(log, List.of(List.of(bytes("abc\n"))));
    }

    @ForEachServer
    void aClientSendingALineEvery200MillisecondsIsNeverClosedByATwoSecondTimeout(ServerUnderTest server)
            throws Exception {
        Path log = dir.resolve("log.txt");
        List<byte[]> sent = new ArrayList<>();
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(log, "--idle-timeout", "2");
             EchoClient c = new EchoClient(p.port())) {
            for (int i = 0; i < 15; i++) {                          // 3 s in all, longer than the timeout
                byte[] m = bytes("tick " + i + "\n");
                assertArrayEquals(m, c.roundTrip(m), "message " + i + " echoed on the open connection");
                sent.add(m);
                Thread.sleep(200);                                  // the client's pace, not synchronisation
            }
            c.shutdownOutput();
            assertEquals(-1, c.read(), "closed only after the client's end of file");
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(0, exit.status());
        assertEquals(0, exit.summary().get("connectionsTimedOut"), "summary " + exit.summary());
        assertEquals(0, exit.summary().get("errors"), "summary " + exit.summary());
        assertVerified(log, List.of(sent));
    }

    /**
     * The write-blocked case: the client sends more than every buffer on the way holds and reads
     * nothing for three timeouts, so the server is blocked writing to it (or, the selector, holds
     * echo it owes and has stopped reading it). That is not idle: the connection stays open, and
     * once the client reads, it gets its whole echo. Only then, silent, does it time out.
     */
    @ForEachServer
    void aClientThatDoesNotReadItsEchoIsNotTimedOutWhileTheServerWaitsToWriteToIt(ServerUnderTest server)
            throws Exception {
        Path log = dir.resolve("log.txt");
        byte[] data = SlowReaderConformanceTest.lines(SlowReaderConformanceTest.moreThanEveryBufferOnTheWay());
        int line = SlowReaderConformanceTest.LINE_BYTES;
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(log, "--idle-timeout", "1");
             Socket c = new Socket()) {
            c.setReceiveBufferSize(SlowReaderConformanceTest.CLIENT_BUFFER_BYTES);
            c.setSendBufferSize(SlowReaderConformanceTest.CLIENT_BUFFER_BYTES);
            c.setSoTimeout(CLOSE_DEADLINE_MILLIS);
            c.connect(new InetSocketAddress("127.0.0.1", p.port()));
            AtomicLong sentBytes = new AtomicLong();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < data.length; off += line) {
                        c.getOutputStream().write(data, off, line);
                        sentBytes.addAndGet(line);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));

            Thread.sleep(3000);                                     // observation window: three timeouts, reading nothing
            assertTrue(sentBytes.get() < data.length, "the server stopped reading the client that does not read"
                    + " (else this test shows nothing): it sent " + sentBytes.get() + " of " + data.length + " bytes");
            assertArrayEquals(data, c.getInputStream().readNBytes(data.length),
                    "the connection was not closed meanwhile: the whole echo, in order");
            sender.get(CLOSE_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            assertEquals(-1, c.getInputStream().read(), "silent now, and owed nothing: closed within "
                    + CLOSE_DEADLINE_MILLIS + " ms");
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(0, exit.status());
        assertEquals(1, exit.summary().get("connectionsTimedOut"), "only the final silence: summary " + exit.summary());
        assertEquals(0, exit.summary().get("errors"), "summary " + exit.summary());
        assertEquals(data.length, exit.summary().get("bytesEchoed"), "summary " + exit.summary());
        List<byte[]> records = new ArrayList<>();
        for (int off = 0; off < data.length; off += line) records.add(Arrays.copyOfRange(data, off, off + line));
        assertVerified(log, List.of(records));
    }

    /** Many silent connections time out together, each counted once, each with its record logged. */
    @ForEachServer
    void manySilentConnectionsAllTimeOutAndAreCountedOnceEach(ServerUnderTest server, TestInfo test) throws Exception {
        int n = Math.min(50, server.concurrencyLimit);
        Path log = dir.resolve("log.txt");
        List<List<byte[]>> expected = new ArrayList<>();
        List<EchoClient> clients = new ArrayList<>();
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(log, "--idle-timeout", "1")) {
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    EchoClient c = new EchoClient(p.port());
                    c.socket.setSoTimeout(CLOSE_DEADLINE_MILLIS);
                    clients.add(c);
                    byte[] m = bytes("silent " + i);
                    c.send(m);
                    expected.add(List.of(bytes("silent " + i + "\n")));
                }
                for (int i = 0; i < n; i++) {
                    byte[] m = bytes("silent " + i);
                    assertArrayEquals(m, clients.get(i).readExactly(m.length), "client " + i + " echoed");
                    assertEquals(-1, clients.get(i).read(), "client " + i + " closed by the server");
                }
                Figures.record(test.getTestMethod().orElseThrow().getName(), server, "all " + n + " closed after (ms)",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            } finally {
                for (EchoClient c : clients) c.close();
            }
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(0, exit.status());
        assertEquals(n, exit.summary().get("connectionsTimedOut"), "summary " + exit.summary());
        assertEquals(n, exit.summary().get("recordsLogged"), "summary " + exit.summary());
        assertEquals(0, exit.summary().get("errors"), "summary " + exit.summary());
        assertVerified(log, expected);
    }

    @ForEachServer
    void aNegativeIdleTimeoutIsOneSentenceNamingTheOptionAndExitStatus2(ServerUnderTest server) throws Exception {
        ServerProcess.Exit exit = server.runToExit("--port", "0", "--log", dir.resolve("log.txt").toString(),
                "--idle-timeout", "-5");
        assertEquals(2, exit.status(), "stderr " + exit.stderr());
        List<String> err = exit.stderr().stream().filter(l -> !l.isBlank()).toList();
        assertEquals(1, err.size(), "exactly one line on stderr: " + err);
        assertTrue(err.getFirst().contains("--idle-timeout") && err.getFirst().contains("-5"), "names the option and value: " + err);
    }
}
