package echosuite.forking;

import echosuite.forking.frames.FrameWriter;
import echosuite.forking.frames.LoggerCounters;
import echosuite.logcheck.LogVerifier;
import echosuite.protocol.RecordBatch;
import echosuite.protocol.RecordFramer;
import echosuite.runtime.BurstReporter;
import echosuite.runtime.RecordLog;
import echosuite.serverprocess.ServerProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pipe write is atomic only up to PIPE_BUF (4096 bytes), and a record can be 64 KiB. These
 * tests make many writers put 64 KiB records into one pipe at the same moment and check with
 * {@link LogVerifier} that every record arrives whole, once, in its writer's order.
 */
class TornRecordTest {

    static final int MAX_LINE = 65536;

    @TempDir
    Path dir;

    /** A 64 KiB record (65,535 bytes and a newline) whose every byte says who wrote it. */
    static byte[] record(int writer, int seq) {
        byte[] r = new byte[MAX_LINE];
        byte[] head = ("writer " + writer + " record " + seq + " ").getBytes();
        System.arraycopy(head, 0, r, 0, head.length);
        Arrays.fill(r, head.length, r.length - 1, (byte) ('a' + (writer + seq) % 26));
        r[r.length - 1] = '\n';
        return r;
    }

    /**
     * In one JVM, exactly as handler children do it: each writer has its own descriptor on the
     * pipe ({@code /proc/self/fd/N}) and a {@link FrameWriter}; the real {@link LoggerProcess}
     * loop reads the other end. 24 writers, 6 records of 64 KiB each, released together.
     */
    @Test
    void twentyFourWritersOf64KiBRecordsIntoOnePipeNeverTearARecord() throws Exception {
        int writers = 24;
        int records = 6;
        int[] pipe = Posix.pipe(Posix.O_CLOEXEC);
        int countersFd = Posix.memfdCreate("test-counters", LoggerCounters.BYTES);
        Path log = dir.resolve("log.txt");
        LoggerCounters counters = LoggerCounters.map(Path.of("/proc/self/fd/" + countersFd));
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        BurstReporter reporter = new BurstReporter("test logger", new PrintStream(messages, true), 0);
        try (ExecutorService threads = Executors.newFixedThreadPool(writers + 1)) {
            RecordLog file = RecordLog.open(log, RecordLog.DEFAULT_MAX_PENDING_BYTES, reporter);
            Future<Integer> logger = threads.submit(() -> {
                try (FileInputStream in = new FileInputStream("/proc/self/fd/" + pipe[0])) {
                    return LoggerProcess.run(in, file, counters, reporter);
                }
            });
            CyclicBarrier start = new CyclicBarrier(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(threads.submit(() -> {
                    try (FileOutputStream out = new FileOutputStream("/proc/self/fd/" + pipe[1])) {
                        FrameWriter frames = new FrameWriter(out, 1000 + writer, counters);
                        RecordFramer framer = new RecordFramer(MAX_LINE);
                        RecordBatch batch = new RecordBatch();
                        start.await();
                        for (int s = 0; s < records; s++) {
                            byte[] r = record(writer, s);
                            framer.frame(r, 0, r.length, batch);
                            frames.accept(batch);
                        }
                        frames.report(records * (long) MAX_LINE, 0, 0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            Posix.close(pipe[1]);                                   // the last write end: the logger reads EOF
            assertEquals(0, logger.get());
        } finally {
            Posix.closeQuietly(pipe[0]);
            Posix.closeQuietly(countersFd);
        }
        List<List<byte[]>> expected = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            List<byte[]> mine = new ArrayList<>();
            for (int s = 0; s < records; s++) mine.add(record(w, s));
            expected.add(mine);
        }
        LogVerifier.Report report = LogVerifier.verify(log, expected);
        assertTrue(report.ok(), report + "\nlogger said: " + messages);
        assertEquals(writers * records, counters.get(LoggerCounters.WRITTEN));
        assertEquals(writers * (long) records * MAX_LINE, counters.get(LoggerCounters.BYTES_ECHOED));
        assertEquals(counters.get(LoggerCounters.WRITTEN), counters.get(LoggerCounters.RECEIVED), "nothing received and not written");
        assertEquals(writers * records, counters.get(LoggerCounters.SENT), "24 writers counting at once lose no count");
        assertEquals(0, counters.get(LoggerCounters.SKIPPED_BYTES));
    }

    /** The same through the real server: 12 clients at once, so 12 handler processes write 64 KiB records together. */
    @Test
    void twelveHandlerProcessesWriting64KiBRecordsAtOnceNeverTearARecord() throws Exception {
        int clients = 12;
        int records = 4;
        Path log = dir.resolve("log.txt");
        List<List<byte[]>> expected = new ArrayList<>();
        try (ServerProcess server = ForkingProcess.start(log);
             ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            CyclicBarrier connected = new CyclicBarrier(clients);
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                List<byte[]> mine = new ArrayList<>();
                for (int s = 0; s < records; s++) mine.add(record(client, s));
                expected.add(mine);
                done.add(CompletableFuture.runAsync(() -> {
                    try (Client conn = new Client(server.port())) {
                        assertEquals("hi " + client + "\n", conn.roundTrip("hi " + client + "\n"));   // its child runs
                        connected.await();
                        for (byte[] r : mine) assertArrayEquals(r, conn.roundTrip(r));
                        conn.finish();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, pool));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
            ServerProcess.Exit exit = server.terminate(Duration.ofSeconds(5));
            assertEquals(0, exit.status());
            Map<String, Long> summary = exit.summary();
            assertEquals(clients * (records + 1L), summary.get("recordsLogged"), summary.toString());
            assertEquals(0, summary.get("recordsLost"), summary.toString());
        }
        for (int c = 0; c < clients; c++) expected.get(c).addFirst(("hi " + c + "\n").getBytes());
        LogVerifier.Report report = LogVerifier.verify(log, expected);
        assertTrue(report.ok(), report.toString());
    }
}
