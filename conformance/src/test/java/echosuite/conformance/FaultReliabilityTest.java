package echosuite.conformance;

import echosuite.logcheck.LogVerifier;
import echosuite.serverprocess.ServerProcess;

import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static echosuite.conformance.EchoConformanceTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reliability under faults: signals and kills at the worst moment. Names state the outcome. */
class FaultReliabilityTest {

    @TempDir
    Path dir;

    /** What one client saw: messages whose echo came back, and the one in flight when the server went. */
    record Seen(List<byte[]> echoed, List<byte[]> inFlight) { }

    @ForEachServer
    void sigtermWhileTwoHundredClientsAreMidStreamLogsEveryEchoedMessageExactlyOnce(ServerUnderTest server, TestInfo test)
            throws Exception {
        int clients = Math.min(200, server.concurrencyLimit);
        Path log = dir.resolve("log.txt");
        CountDownLatch warmedUp = new CountDownLatch(clients);
        List<CompletableFuture<Seen>> seen = new ArrayList<>();
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(log);
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int id = c;
                seen.add(CompletableFuture.supplyAsync(() -> streamUntilClosed(p.port(), id, warmedUp), pool));
            }
            assertTrue(warmedUp.await(2, TimeUnit.MINUTES), "every client made 3 round trips");
            exit = p.terminate(Duration.ofSeconds(5));       // while all of them are mid-stream
            CompletableFuture.allOf(seen.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        }
        assertEquals(0, exit.status(), "stderr " + exit.stderr());
        assertTrue(exit.afterSignal().compareTo(Duration.ofSeconds(5)) <= 0, "exit within 5 s: " + exit.afterSignal());
        List<List<byte[]>> required = new ArrayList<>();
        List<List<byte[]>> mayFollow = new ArrayList<>();
        for (CompletableFuture<Seen> f : seen) {
            required.add(f.join().echoed());
            mayFollow.add(f.join().inFlight());
        }
        LogVerifier.Report report = LogVerifier.verify(log, required, mayFollow);
        String name = test.getTestMethod().orElseThrow().getName();
        Figures.record(name, server, "clients", clients);
        Figures.record(name, server, "records lost", report.missing());
        Figures.record(name, server, "records duplicated or torn", report.unexpected());
        Figures.record(name, server, "exit after SIGTERM ms", exit.afterSignal().toMillis());
        assertTrue(report.ok(), report.toString());
        assertEquals(report.logged(), exit.summary().get("recordsLogged"), "summary agrees with the log");
    }

    /** Round trips until the server ends the connection; never throws for that ending. */
    private static Seen streamUntilClosed(int port, int id, CountDownLatch warmedUp) {
        List<byte[]> echoed = new ArrayList<>();
        List<byte[]> inFlight = new ArrayList<>();
        try (EchoClient c = new EchoClient(port)) {
            for (int seq = 0; ; seq++) {
                byte[] m = bytes("client " + id + " seq " + seq + "\n");
                inFlight.add(m);
                byte[] echo;
                try {
                    echo = c.roundTrip(m);
                } catch (IOException endedByServer) {
                    return new Seen(echoed, inFlight);
                }
                assertArrayEquals(m, echo);
                inFlight.clear();
                echoed.add(m);
                if (seq == 2) warmedUp.countDown();
            }
        } catch (IOException e) {
            throw new AssertionError("client " + id + " could not connect: " + e, e);
        }
    }

    /** SO_REUSEADDR: a server killed with SIGKILL leaves TIME_WAIT sockets on its port; a restart must bind anyway. */
    @ForEachServer
    void afterSigkillOfTheWholeServerARestartOnTheSamePortListensAndServes(ServerUnderTest server) throws Exception {
        int port;
        try (ServerProcess first = server.start(dir.resolve("first.txt"));
             EchoClient c = new EchoClient(first.port())) {
            port = first.port();
            assertArrayEquals(bytes("before\n"), c.roundTrip(bytes("before\n")));
            first.killTree();
            assertEquals(-1, c.read(), "the kernel closed the killed server's side first");
        }
        try (ServerProcess second = server.startOnPort(port, dir.resolve("second.txt"));
             EchoClient c = new EchoClient(port)) {
            assertArrayEquals(bytes("after\n"), c.roundTrip(bytes("after\n")));
            assertEquals(0, second.terminate(Duration.ofSeconds(5)).status());
        }
    }
}
