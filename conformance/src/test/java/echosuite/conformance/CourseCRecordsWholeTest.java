package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;
import echosuite.logcheck.LogVerifier;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static echosuite.conformance.EchoConformanceTest.assertVerified;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bug of the course's echo_storeserv.c that course-c fixes besides the ten-message logger:
 * every handler wrote whatever read() returned to one pipe, and two writes above PIPE_BUF (4096
 * bytes) may interleave, tearing records. Here many clients at once send records far above
 * PIPE_BUF (up to --max-line and beyond), so that the C servers' frames of at most PIPE_BUF bytes
 * from different processes or threads interleave in the pipe; the log must hold every record
 * whole, once, in each connection's order. One test per selected C server.
 */
class CourseCRecordsWholeTest {

    static final int CLIENTS = 16;
    static final int RECORDS = 12;

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> recordsFarAbovePipeBufFromManyClientsAtOnceAreLoggedWhole() {
        return ServerUnderTest.selected().filter(ServerUnderTest::isCourseC)
                .map(server -> DynamicTest.dynamicTest(server.toString(), () -> manyLargeRecords(server)));
    }

    private void manyLargeRecords(ServerUnderTest server) throws Exception {
        Path log = dir.resolve(server.name + ".log");
        List<byte[]> sent = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            StringBuilder s = new StringBuilder();
            for (int r = 0; r < RECORDS; r++) {
                int length = 5000 + (c * 7919 + r * 104729) % 70000;        // 5,000 to 75,000 bytes: some above --max-line
                String head = "client " + c + " record " + r + " ";
                s.append(head).append(Character.toString('a' + (c + r) % 26).repeat(length - head.length())).append('\n');
            }
            sent.add(s.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        ServerProcess.Exit exit;
        try (ServerProcess p = server.start(log);
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
            for (byte[] data : sent) {
                echoes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return EchoClient.exchange(p.port(), data);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, pool));
            }
            for (int c = 0; c < CLIENTS; c++) {
                assertArrayEquals(sent.get(c), echoes.get(c).get(2, TimeUnit.MINUTES), "client " + c + "'s echo");
            }
            exit = p.terminate(Duration.ofSeconds(5));
        }
        assertEquals(0, exit.status(), "stderr " + exit.stderr());
        List<List<byte[]>> expected = sent.stream().map(data -> LogVerifier.expectedRecords(data, 65536)).toList();
        assertEquals(expected.stream().mapToLong(List::size).sum(), exit.summary().get("recordsLogged"),
                "summary " + exit.summary());
        assertVerified(log, expected);
        assertEquals(0, exit.summary().get("recordsLost"), "summary " + exit.summary());
        assertEquals(List.of(), exit.stderr(), "nothing to report on stderr");
    }
}
