package echosuite.conformance;

import echosuite.logcheck.LogVerifier;
import echosuite.serverprocess.ServerProcess;

import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Protocol, "Transport" and "Echo": every byte back, unchanged, in order, immediately; half-close. */
class EchoConformanceTest {

    @TempDir
    Path dir;

    @ForEachServer
    void printsListeningLineWithTheRealPortWhenAskedForPortZero(ServerUnderTest server) throws Exception {
        try (ServerProcess p = server.start(dir.resolve("log.txt"))) {
            String first = p.stdout().getFirst();
            assertEquals("listening on 127.0.0.1:" + p.port(), first);
            assertTrue(p.port() > 0, "a real port, not 0");
            try (EchoClient c = new EchoClient(p.port())) {
                assertArrayEquals(bytes("ping\n"), c.roundTrip(bytes("ping\n")));
            }
        }
    }

    @ForEachServer
    void echoesRandomBinaryByteExactAndLogsItAsTheFramerSays(ServerUnderTest server) throws Exception {
        byte[] data = new byte[200 * 1024];
        new Random(42).nextBytes(data);
        data[0] = 0; data[1] = '\r'; data[2] = '\n'; data[3] = 0;   // NUL, CR, LF among them
        data[data.length - 1] = 'x';                                  // no trailing newline
        assertEchoedExactlyAndLogged(server, data);
    }

    @ForEachServer
    void echoesAOneMebibyteMessageWithoutNewline(ServerUnderTest server) throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        for (int i = 0; i < data.length; i++) if (data[i] == '\n') data[i] = 'n';
        assertEchoedExactlyAndLogged(server, data);      // 16 pieces of 65536 bytes, each with '\n'
    }

    /** One connection sends {@code data} and half-closes: the echo is byte-exact, the log as the framer says. */
    private void assertEchoedExactlyAndLogged(ServerUnderTest server, byte[] data) throws Exception {
        Path log = dir.resolve("log.txt");
        try (ServerProcess p = server.start(log)) {
            assertArrayEquals(data, EchoClient.exchange(p.port(), data));
            assertEquals(0, p.terminate(Duration.ofSeconds(5)).status());
        }
        assertVerified(log, List.of(LogVerifier.expectedRecords(data, 65536)));
    }

    @ForEachServer
    void echoesImmediatelyWithoutWaitingForANewline(ServerUnderTest server) throws Exception {
        try (ServerProcess p = server.start(dir.resolve("log.txt"));
             EchoClient c = new EchoClient(p.port())) {
            assertArrayEquals(bytes("no newline yet"), c.roundTrip(bytes("no newline yet")));
        }
    }

    @ForEachServer
    void afterTheClientHalfClosesTheServerSendsEverythingOwedThenCloses(ServerUnderTest server) throws Exception {
        Path log = dir.resolve("log.txt");
        try (ServerProcess p = server.start(log);
             EchoClient c = new EchoClient(p.port())) {
            c.send(bytes("first\nsecond\nunfinished"));
            c.shutdownOutput();
            assertArrayEquals(bytes("first\nsecond\nunfinished"), c.readToEnd(), "all of the echo, then EOF");
            assertEquals(0, p.terminate(Duration.ofSeconds(5)).status());
        }
        assertVerified(log, List.of(List.of(bytes("first\n"), bytes("second\n"), bytes("unfinished\n"))));
    }

    static void assertVerified(Path log, List<List<byte[]>> expected) throws Exception {
        LogVerifier.Report report = LogVerifier.verify(log, expected);
        assertTrue(report.ok(), report.toString());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
