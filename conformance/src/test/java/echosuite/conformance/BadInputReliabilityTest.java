package echosuite.conformance;

import echosuite.logcheck.LogVerifier;
import echosuite.serverprocess.ServerProcess;

import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static echosuite.conformance.EchoConformanceTest.assertVerified;
import static echosuite.conformance.EchoConformanceTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability under bad input (issue: reliability suite): each test's name states the defined
 * outcome. Every server must hold: echo exact, log exact, other clients unaffected.
 */
class BadInputReliabilityTest {

    @TempDir
    Path dir;

    @ForEachServer
    void sixteenMebibytesWithoutANewlineAreEchoedAndLoggedAs256PiecesOfMaxLine(ServerUnderTest server) throws Exception {
        byte[] data = new byte[16 << 20];
        new Random(16).nextBytes(data);
        for (int i = 0; i < data.length; i++) if (data[i] == '\n') data[i] = 'N';
        Path log = dir.resolve("log.txt");
        try (ServerProcess p = server.start(log)) {
            assertArrayEquals(data, EchoClient.exchange(p.port(), data));
            assertEquals(0, p.terminate(Duration.ofSeconds(5)).status());
        }
        List<byte[]> expected = LogVerifier.expectedRecords(data, 65536);
        assertEquals(256, expected.size());
        assertVerified(log, List.of(expected));
    }

    @ForEachServer
    void onlyNewlinesAreEchoedAndEachIsLoggedAsAnEmptyRecord(ServerUnderTest server) throws Exception {
        byte[] data = new byte[100_000];
        Arrays.fill(data, (byte) '\n');
        Path log = dir.resolve("log.txt");
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(log)) {
            assertArrayEquals(data, EchoClient.exchange(p.port(), data));
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(100_000, exit.summary().get("recordsLogged"));
        assertVerified(log, List.of(LogVerifier.expectedRecords(data, 65536)));
    }

    @ForEachServer
    void carriageReturnOnlyLinesAreNotLineEndsAndAreLoggedAsOneRecordAtEof(ServerUnderTest server) throws Exception {
        byte[] data = bytes("one\rtwo\rthree\r");
        Path log = dir.resolve("log.txt");
        try (ServerProcess p = server.start(log)) {
            assertArrayEquals(data, EchoClient.exchange(p.port(), data));
            assertEquals(0, p.terminate(Duration.ofSeconds(5)).status());
        }
        assertVerified(log, List.of(List.of(bytes("one\rtwo\rthree\r\n"))));
    }

    @ForEachServer
    void aClientThatHalfClosesAtOnceGetsEofAndLogsNothing(ServerUnderTest server) throws Exception {
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(dir.resolve("log.txt"));
             EchoClient c = new EchoClient(p.port())) {
            c.shutdownOutput();
            assertEquals(-1, c.read(), "EOF at once: nothing was owed");
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(0, exit.status());
        assertEquals(0, exit.summary().get("recordsLogged"));
        assertEquals(1, exit.summary().get("connectionsAccepted"));
    }

    /** Connections that connect and send nothing cost their slot, nothing more, and end cleanly at SIGTERM. */
    @ForEachServer
    void silentConnectionsDoNotStopOthersBeingServedAndEndCleanlyAtShutdown(ServerUnderTest server) throws Exception {
        int silent = Math.min(100, server.concurrencyLimit);
        List<EchoClient> idle = new ArrayList<>();
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(dir.resolve("log.txt"))) {
            try {
                for (int i = 0; i < silent; i++) idle.add(new EchoClient(p.port()));
                try (EchoClient active = new EchoClient(p.port())) {
                    for (int i = 0; i < 20; i++) assertArrayEquals(bytes("m" + i + "\n"), active.roundTrip(bytes("m" + i + "\n")));
                }
                exit = p.terminate(Duration.ofSeconds(5));
                for (EchoClient c : idle) assertEquals(-1, c.read(), "the server closed the silent connection");
            } finally {
                for (EchoClient c : idle) c.close();
            }
        }
        assertEquals(0, exit.status());
        assertEquals(20, exit.summary().get("recordsLogged"));
    }

    /**
     * Slowloris: many connections trickle one byte every 50 ms. Thread-per-client servers spend a
     * parked thread on each, the reactor a key; either way a normal client is served meanwhile and
     * every trickled record is logged whole.
     */
    @ForEachServer
    void slowlorisTricklersDoNotStarveANormalClientAndTheirRecordsArriveWhole(ServerUnderTest server, TestInfo test)
            throws Exception {
        int tricklers = Math.min(500, server.concurrencyLimit);
        Figures.record(test.getTestMethod().orElseThrow().getName(), server, "trickling connections", tricklers);
        Path log = dir.resolve("log.txt");
        List<List<byte[]>> expected = new ArrayList<>();
        List<SocketChannel> slow = new ArrayList<>();
        try (ServerProcess p = server.start(log)) {
            try {
                byte[][] messages = new byte[tricklers][];
                for (int i = 0; i < tricklers; i++) {
                    messages[i] = bytes(String.format("slow %03d\n", i));
                    expected.add(List.of(messages[i]));
                    slow.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", p.port())));
                }
                List<byte[]> normal = new ArrayList<>();
                try (EchoClient active = new EchoClient(p.port())) {
                    for (int pos = 0; pos < messages[0].length; pos++) {
                        for (int i = 0; i < tricklers; i++) {
                            slow.get(i).write(ByteBuffer.wrap(messages[i], pos, 1));
                        }
                        byte[] m = bytes("normal " + pos + "\n");
                        normal.add(m);
                        assertArrayEquals(m, active.roundTrip(m), "served while " + tricklers + " connections trickle");
                        Thread.sleep(50);                    // the trickle's pace, not synchronisation
                    }
                }
                expected.add(normal);
                for (int i = 0; i < tricklers; i++) {
                    ByteBuffer echo = ByteBuffer.allocate(messages[i].length);
                    while (echo.hasRemaining() && slow.get(i).read(echo) >= 0) { }
                    assertArrayEquals(messages[i], echo.array(), "trickler " + i + " got its echo");
                }
            } finally {
                for (SocketChannel c : slow) c.close();
            }
            assertEquals(0, p.terminate(Duration.ofSeconds(5)).status());
        }
        assertVerified(log, expected);
    }
}
