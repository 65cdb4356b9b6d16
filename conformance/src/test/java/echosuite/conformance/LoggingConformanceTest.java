package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static echosuite.conformance.EchoConformanceTest.assertVerified;
import static echosuite.conformance.EchoConformanceTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocol, "Logging" and "Shutdown": every record exactly once, in order, never torn; summary counts. */
class LoggingConformanceTest {

    static final int CLIENTS = 200;
    static final int MESSAGES = 50;

    @TempDir
    Path dir;

    @ForEachServer
    void twoHundredConcurrentClientsAreEchoedAndLoggedExactlyOnceThenSigtermExitsCleanly(ServerUnderTest server)
            throws Exception {
        Path log = dir.resolve("log.txt");
        List<List<byte[]>> sent = new ArrayList<>();
        long bytesSent = 0;
        for (int c = 0; c < CLIENTS; c++) {
            List<byte[]> messages = new ArrayList<>();
            for (int s = 0; s < MESSAGES; s++) {
                byte[] m = bytes("client " + c + " message " + s + " " + "x".repeat((c * 7 + s) % 40) + "\n");
                messages.add(m);
                bytesSent += m.length;
            }
            sent.add(messages);
        }
        ServerProcess.Exit exit;
        // All 200 clients, but no more connected at once than the server's concurrencyLimit (a
        // process-per-client server would otherwise start 200 JVMs at the same moment).
        Semaphore connected = new Semaphore(Math.min(CLIENTS, server.concurrencyLimit));
        try (ServerProcess p = server.start(log);
             var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (List<byte[]> messages : sent) {
                done.add(CompletableFuture.runAsync(() -> {
                    connected.acquireUninterruptibly();
                    try (EchoClient client = new EchoClient(p.port())) {
                        for (byte[] m : messages) assertArrayEquals(m, client.roundTrip(m));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    } finally {
                        connected.release();
                    }
                }, clients));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(0, exit.status(), "exit status after SIGTERM; stderr " + exit.stderr());
        assertTrue(exit.afterSignal().compareTo(Duration.ofSeconds(5)) <= 0, "exited within 5 s: " + exit.afterSignal());
        Map<String, Long> summary = exit.summary();
        assertEquals(CLIENTS, summary.get("connectionsAccepted"), "summary " + summary);
        assertEquals(0, summary.get("connectionsRefused"), "summary " + summary);
        assertEquals(bytesSent, summary.get("bytesEchoed"), "summary " + summary);
        assertEquals(CLIENTS * MESSAGES, summary.get("recordsLogged"), "summary " + summary);
        assertEquals(0, summary.get("errors"), "summary " + summary);
        assertVerified(log, sent);
    }

    @ForEachServer
    void aRunLongerThanMaxLineIsLoggedInPiecesAndTheFinalPartialRecordGetsANewline(ServerUnderTest server)
            throws Exception {
        Path log = dir.resolve("log.txt");
        byte[] data = bytes("A".repeat(40) + "\n" + "B".repeat(16) + "\n" + "C".repeat(17) + "\n" + "tail");
        try (ServerProcess p = server.start(log, "--max-line", "16")) {
            assertArrayEquals(data, EchoClient.exchange(p.port(), data));
            assertEquals(0, p.terminate(Duration.ofSeconds(5)).status());
        }
        // Spelled out, not derived from the framer, so that this also checks the framer's rules.
        assertVerified(log, List.of(List.of(
                bytes("A".repeat(16) + "\n"), bytes("A".repeat(16) + "\n"), bytes("A".repeat(8) + "\n"),
                bytes("B".repeat(16) + "\n"),
                bytes("C".repeat(16) + "\n"), bytes("C\n"),
                bytes("tail\n"))));
    }

    @ForEachServer
    void sigtermWhileAClientHoldsAnUnfinishedRecordLogsItAndExitsZero(ServerUnderTest server) throws Exception {
        Path log = dir.resolve("log.txt");
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(log);
             EchoClient c = new EchoClient(p.port())) {
            assertArrayEquals(bytes("done\nhalf a rec"), c.roundTrip(bytes("done\nhalf a rec")));
            exit = p.terminate(Duration.ofSeconds(5));
            assertEquals(-1, c.read(), "the server closed the connection");
        }
        assertEquals(0, exit.status());
        assertEquals(2, exit.summary().get("recordsLogged"));
        assertVerified(log, List.of(List.of(bytes("done\n"), bytes("half a rec\n"))));
    }
}
