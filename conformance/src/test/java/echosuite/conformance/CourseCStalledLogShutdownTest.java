package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protocol, "When the log's storage fails", the case LogStorageFaultConformanceTest's SIGTERM
 * scenario does not reach: the log stalls (a FIFO nobody reads) with a small
 * {@code --max-log-backlog}, so the backlog is full, the logger has stopped reading its pipe and
 * the clients are no longer read when SIGTERM comes. The server must still exit 0 within 5 s,
 * with {@code recordsLogged + recordsLost} = the records it received: those in the bytes it
 * echoed, the last one unfinished ended as at end of file. (c-*'s logger once waited for its
 * pipe's end of file here, which never came: it did not read the pipe while its backlog was full.)
 * One test per selected C server.
 */
class CourseCStalledLogShutdownTest {

    static final int LENGTH = 100;

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> sigtermWithTheLogStalledAndTheBacklogFullExitsInTimeAndCountsEveryRecord() {
        return ServerUnderTest.selected().filter(ServerUnderTest::isCourseC)
                .map(server -> DynamicTest.dynamicTest(server.toString(), () -> stalledAndFull(server)));
    }

    private void stalledAndFull(ServerUnderTest server) throws Exception {
        byte[] records = LogStorageFaultConformanceTest.records(40_000, LENGTH);   // 4 MB: more than every buffer on the way
        Path fifo = dir.resolve(server.name + ".fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo " + fifo);
        try (RandomAccessFile storage = new RandomAccessFile(fifo.toFile(), "rw");   // held open, never read
             ServerProcess p = server.start(fifo, "--max-log-backlog", "65536");
             EchoClient client = new EchoClient(p.port())) {
            CompletableFuture<byte[]> echo = readToEnd(client.socket.getInputStream());
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    client.send(records);                           // blocks once the server stops reading
                } catch (IOException closedAtShutdown) {
                    // the server ended the connection at SIGTERM
                }
            }, Thread.ofVirtual()::start);
            p.awaitStderrLine(LogStorageFaultConformanceTest.STALL_REPORT, LogStorageFaultConformanceTest.REPORT_LIMIT);

            ServerProcess.Exit exit = p.terminate(Duration.ofSeconds(15));
            assertEquals(0, exit.status(), "exit status after SIGTERM; stderr " + exit.stderr());
            assertTrue(exit.afterSignal().compareTo(Duration.ofSeconds(5)) <= 0, "exited within 5 s: " + exit.afterSignal());
            byte[] echoed = echo.get(30, java.util.concurrent.TimeUnit.SECONDS);
            client.close();
            sending.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(echoed.length < records.length, "the echo stopped while the log stalled: " + echoed.length);
            assertArrayEquals(Arrays.copyOf(records, echoed.length), echoed, "the echo, in order, up to where it stopped");

            Map<String, Long> summary = exit.summary();
            long received = (echoed.length + LENGTH - 1) / LENGTH;    // the last one unfinished, ended as at EOF
            assertEquals(echoed.length, summary.get("bytesEchoed"), "summary " + summary);
            assertEquals(received, summary.get("recordsLogged") + summary.get("recordsLost"),
                    "recordsLogged + recordsLost = records received; " + summary);
            assertTrue(summary.get("recordsLost") > 0, "the stalled FIFO took only 64 KiB: " + summary);

            InputStream log = new FileInputStream(storage.getFD());
            byte[] got = log.readNBytes(log.available());
            assertTrue(got.length >= summary.get("recordsLogged") * LENGTH, got.length + " bytes in the log, fewer than "
                    + summary.get("recordsLogged") + " records");
            assertArrayEquals(Arrays.copyOf(records, got.length), got,
                    "the log holds the records counted logged, whole and in order, then at most part of a given-up write");
        }
    }

    private static CompletableFuture<byte[]> readToEnd(InputStream in) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 << 10];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) got.write(buffer, 0, n);
            } catch (IOException resetOrClosed) {
                // what came before counts
            }
            done.complete(got.toByteArray());
        });
        return done;
    }
}
