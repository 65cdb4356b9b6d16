package echosuite.conformance;

import echosuite.serverprocess.ServerProcess;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protocol, "When the log's storage fails": a log file that is full, or whose writes stall, stops
 * the echo (backpressure, nothing dropped) and the server says so on stderr once per burst; when
 * the storage takes bytes again, everything is written and echoed; and SIGTERM ends the server
 * within the protocol's 5 seconds with exit status 0 and the summary, where
 * {@code recordsLogged + recordsLost} is every record received.
 *
 * <p>The faults are real: {@code /dev/full} fails every write with "No space left on device";
 * a FIFO that this test holds open but does not read takes 64 KiB and then blocks every write (a
 * stalled device), until the test starts reading it; a small tmpfs, filled up and then emptied,
 * is a disk that runs full and gets space back (mounting it needs root, which CI has; elsewhere
 * that one test reports that it did not run, and why).
 */
class LogStorageFaultConformanceTest {

    static final Duration PROTOCOL_EXIT = Duration.ofSeconds(5);
    static final Duration REPORT_LIMIT = Duration.ofSeconds(60);
    /** The watchdog's report of a write that does not return (RecordLog). */
    static final String STALL_REPORT = "has not returned for";
    static final String WRITE_FAILED_REPORT = "cannot write to log file";

    @TempDir
    Path dir;

    @ForEachServer
    void aFullLogFileStopsNothingButTheLoggingIsReportedOnceAndSigtermCountsEveryRecordLost(ServerUnderTest server)
            throws Exception {
        int count = 100;
        byte[] records = records(count, 32);
        try (ServerProcess p = server.start(Path.of("/dev/full"));
             EchoClient client = new EchoClient(p.port())) {
            assertArrayEquals(records, client.roundTrip(records), "echoed while the log's backlog has room");
            p.awaitStderrLine(WRITE_FAILED_REPORT, REPORT_LIMIT);
            client.close();

            ServerProcess.Exit exit = p.terminate(PROTOCOL_EXIT.multipliedBy(3));
            assertEquals(0, exit.status(), "exit status after SIGTERM; stderr " + exit.stderr());
            assertTrue(exit.afterSignal().compareTo(PROTOCOL_EXIT) <= 0, "exited within 5 s: " + exit.afterSignal());
            Map<String, Long> summary = exit.summary();
            assertEquals(0L, summary.get("recordsLogged"), "nothing fits on a full device");
            assertEquals((long) count, summary.get("recordsLost"), "every record received and not written is counted lost");
            // The writes were retried every 100 ms for seconds, one unbroken burst: one line.
            assertEquals(1, exit.stderr().stream().filter(l -> l.contains(WRITE_FAILED_REPORT)).count(),
                    "the failing writes are reported once per burst; stderr " + exit.stderr());
        }
    }

    @ForEachServer
    void aStalledLogFileStopsTheEchoAndWhenTheStorageRecoversEveryRecordIsWrittenAndEchoed(ServerUnderTest server)
            throws Exception {
        int count = 16 << 10;                                           // 16 MiB: more than every buffer on the way
        byte[] records = records(count, 1024);
        Path fifo = fifo("log.fifo");
        try (RandomAccessFile storage = new RandomAccessFile(fifo.toFile(), "rw");   // a reader that does not read
             ServerProcess p = server.start(fifo, "--max-log-backlog", "65536");
             EchoClient client = new EchoClient(p.port())) {
            CompletableFuture<byte[]> echo = sendUntilTheLogStops(p, client, records, STALL_REPORT, "its log file took none");

            CompletableFuture<byte[]> logged = readAll(new FileInputStream(storage.getFD()), records.length, new AtomicLong());
            assertArrayEquals(records, echo.get(REPORT_LIMIT.toSeconds(), TimeUnit.SECONDS), "every byte echoed after the storage recovered");
            assertArrayEquals(records, logged.get(REPORT_LIMIT.toSeconds(), TimeUnit.SECONDS),
                    "the log holds every record once, in order");

            ServerProcess.Exit exit = p.terminate(PROTOCOL_EXIT.multipliedBy(3));
            assertEquals(0, exit.status(), "exit status after SIGTERM; stderr " + exit.stderr());
            assertEquals((long) count, exit.summary().get("recordsLogged"));
            assertEquals(0L, exit.summary().get("recordsLost"));
        }
    }

    @ForEachServer
    void sigtermEndsAServerWhoseLogFileNeverRecoversAndEveryRecordIsLoggedOrCountedLost(ServerUnderTest server)
            throws Exception {
        int count = 2000;                                               // 200 KB: more than the FIFO, less than the backlog
        int length = 100;
        byte[] records = records(count, length);
        Path fifo = fifo("log.fifo");
        try (RandomAccessFile storage = new RandomAccessFile(fifo.toFile(), "rw");
             ServerProcess p = server.start(fifo)) {
            try (EchoClient client = new EchoClient(p.port())) {
                CompletableFuture<byte[]> echo = readAll(client.socket.getInputStream(), records.length, new AtomicLong());
                client.send(records);
                assertArrayEquals(records, echo.get(REPORT_LIMIT.toSeconds(), TimeUnit.SECONDS));
            }
            p.awaitStderrLine(STALL_REPORT, REPORT_LIMIT);

            ServerProcess.Exit exit = p.terminate(PROTOCOL_EXIT.multipliedBy(3));
            assertEquals(0, exit.status(), "exit status after SIGTERM; stderr " + exit.stderr());
            assertTrue(exit.afterSignal().compareTo(PROTOCOL_EXIT) <= 0, "exited within 5 s: " + exit.afterSignal());
            long logged = exit.summary().get("recordsLogged");
            long lost = exit.summary().get("recordsLost");
            assertEquals((long) count, logged + lost, "recordsLogged + recordsLost = records received; " + exit.summary());
            assertTrue(lost > 0, "a FIFO of 64 KiB cannot have taken " + records.length + " bytes");

            // What the FIFO took: exactly the records counted logged, perhaps followed by the first
            // bytes of the write that was given up (its records are among those counted lost).
            InputStream log = new FileInputStream(storage.getFD());
            byte[] got = log.readNBytes(log.available());
            int whole = (int) logged * length;
            assertTrue(got.length >= whole, got.length + " bytes in the log, fewer than " + logged + " records");
            assertArrayEquals(Arrays.copyOf(records, got.length), got,
                    "the log holds the first " + logged + " records whole and in order, then at most part of a given-up write");
        }
    }

    @ForEachServer
    void aFullFileSystemStopsTheEchoAndWhenSpaceReturnsEveryRecordIsWrittenAndEchoed(ServerUnderTest server)
            throws Exception {
        int count = 4 << 10;                                            // 4 MiB
        byte[] records = records(count, 1024);
        try (SmallFileSystem fs = SmallFileSystem.mount(dir.resolve("fs"), 8 << 20)) {
            Path filler = fs.fill("filler");
            Path log = fs.root().resolve("log.txt");
            try (ServerProcess p = server.start(log, "--max-log-backlog", "65536");
                 EchoClient client = new EchoClient(p.port())) {
                CompletableFuture<byte[]> echo = sendUntilTheLogStops(p, client, records, WRITE_FAILED_REPORT,
                        "its file system was full");

                Files.delete(filler);                                   // space returns
                assertArrayEquals(records, echo.get(REPORT_LIMIT.toSeconds(), TimeUnit.SECONDS), "every byte echoed after space returned");

                ServerProcess.Exit exit = p.terminate(PROTOCOL_EXIT.multipliedBy(3));
                assertEquals(0, exit.status(), "exit status after SIGTERM; stderr " + exit.stderr());
                assertEquals((long) count, exit.summary().get("recordsLogged"));
                assertEquals(0L, exit.summary().get("recordsLost"));
                assertArrayEquals(records, Files.readAllBytes(log),
                        "the log holds every record once, whole and in order (writes cut short by the full disk were completed)");
            }
        }
    }

    /** {@code count} newline-terminated records of {@code length} bytes, each naming its index. */
    static byte[] records(int count, int length) {
        byte[] all = new byte[count * length];
        for (int i = 0; i < count; i++) {
            byte[] head = String.format("%08d ", i).getBytes(StandardCharsets.US_ASCII);
            int at = i * length;
            Arrays.fill(all, at, at + length - 1, (byte) ('a' + i % 26));
            System.arraycopy(head, 0, all, at, head.length);
            all[at + length - 1] = '\n';
        }
        return all;
    }

    private Path fifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo " + fifo);
        return fifo;
    }

    /**
     * Sends {@code records} and half-closes on one virtual thread while another reads the echo;
     * returns once the server has printed {@code report}, having checked that the echo stopped
     * short of what was sent ({@code during}: the fault, which says why it should have). The returned echo completes,
     * with every byte, once the sending has and the storage took the records again.
     */
    private static CompletableFuture<byte[]> sendUntilTheLogStops(ServerProcess p, EchoClient client, byte[] records,
                                                                   String report, String during) throws Exception {
        AtomicLong echoed = new AtomicLong();
        CompletableFuture<byte[]> echo = readAll(client.socket.getInputStream(), records.length, echoed);
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                client.send(records);                               // blocks while the server stops reading
                client.shutdownOutput();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, Thread.ofVirtual()::start);
        p.awaitStderrLine(report, REPORT_LIMIT);
        assertTrue(echoed.get() < records.length, "the server echoed all " + records.length
                + " bytes while " + during + ": records must have been dropped");
        return sent.thenCombine(echo, (done, bytes) -> bytes);
    }

    /** Reads {@code bytes} bytes from {@code in} on a virtual thread, counting them in {@code progress} as they come. */
    private static CompletableFuture<byte[]> readAll(InputStream in, int bytes, AtomicLong progress) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream(bytes);
            byte[] buffer = new byte[64 << 10];
            try {
                while (got.size() < bytes) {
                    int n = in.read(buffer, 0, Math.min(buffer.length, bytes - got.size()));
                    if (n < 0) break;
                    got.write(buffer, 0, n);
                    progress.addAndGet(n);
                }
                done.complete(got.toByteArray());
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
