package echosuite.runtime;

import echosuite.protocol.RecordBatch;
import echosuite.protocol.RecordFramer;
import echosuite.protocol.Summary;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordLogTest {

    @TempDir
    Path dir;

    static RecordBatch batchOf(String records) {
        RecordFramer framer = new RecordFramer(65536);
        RecordBatch batch = new RecordBatch();
        byte[] b = records.getBytes(StandardCharsets.ISO_8859_1);
        framer.frame(b, 0, b.length, batch);
        return batch;
    }

    @Test
    void writesEveryRecordInHandOverOrderAndCountsThem() throws Exception {
        Path file = dir.resolve("log.txt");
        try (RecordLog log = RecordLog.open(file, 1 << 20, BurstReporter.stderr("test"))) {
            for (int i = 0; i < 1000; i++) log.append(batchOf("m" + i + "\nn" + i + "\n"));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2000, lines.size());
        assertEquals("m0", lines.get(0));
        assertEquals("n999", lines.get(1999));
    }

    @Test
    void appendsToAnExistingFileAndCreatesNewOnesReadableOnlyByOwnerAndGroup() throws Exception {
        Path file = dir.resolve("log.txt");
        Files.writeString(file, "old\n");
        try (RecordLog log = RecordLog.open(file, 1024, BurstReporter.stderr("test"))) {
            log.append(batchOf("new\n"));
        }
        assertEquals(List.of("old", "new"), Files.readAllLines(file));
        Path fresh = dir.resolve("fresh.txt");
        RecordLog.open(fresh, 1024, BurstReporter.stderr("test")).close();
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(fresh);
        assertFalse(perms.contains(PosixFilePermission.OTHERS_READ), perms.toString());
    }

    @Test
    void tryAppendRefusesOverTheBoundAndNotifiesWhenTheLoggerFreesSpace() throws Exception {
        Path file = dir.resolve("log.txt");
        // Each hand-over gets its own latch, so the one waited on is counted down only by an
        // announcement made after that hand-over started (not by an earlier write).
        AtomicReference<CountDownLatch> latest = new AtomicReference<>(new CountDownLatch(1));
        CountDownLatch freed = null;
        List<RecordBatch> refused = new ArrayList<>();
        int accepted = 0;
        try (RecordLog log = RecordLog.open(file, 64, BurstReporter.stderr("test"))) {
            log.onSpaceAvailable(() -> latest.get().countDown());
            // Keep handing over until the bound refuses one: the logger cannot always keep up.
            for (int i = 0; i < 100_000 && refused.isEmpty(); i++) {
                RecordBatch b = batchOf("x".repeat(30) + "\n");
                CountDownLatch mine = new CountDownLatch(1);
                latest.set(mine);
                if (log.tryAppend(b)) {
                    accepted++;
                } else {
                    refused.add(b);
                    freed = mine;
                }
            }
            assertEquals(1, refused.size(), "a 64-byte bound refuses at some point");
            assertFalse(refused.getFirst().isEmpty(), "a refused batch is left untouched for a retry");
            assertTrue(freed.await(10, TimeUnit.SECONDS), "the logger announces freed space after the refusal");
            log.append(refused.getFirst());
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(accepted + 1, lines.size(), "every accepted batch and the retried one are written, none lost");
        for (String line : lines) assertEquals("x".repeat(30), line);
    }

    @Test
    void aBatchLargerThanTheWholeBoundStillPasses() throws Exception {
        Path file = dir.resolve("log.txt");
        try (RecordLog log = RecordLog.open(file, 16, BurstReporter.stderr("test"))) {
            log.append(batchOf("y".repeat(1000) + "\n"));
        }
        assertEquals(1001, Files.size(file));
    }

    @Test
    void onAFullDeviceProducersWaitUntilTheGiveUpInstantAndThenEveryRecordIsCountedLost() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BurstReporter reporter = new BurstReporter("test", new PrintStream(err, true, StandardCharsets.UTF_8), 60_000);
        RecordLog log = RecordLog.open(Path.of("/dev/full"), 64, reporter);
        log.append(batchOf("x".repeat(40) + "\n"));                   // taken: the bound had room
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 10; i++) log.append(batchOf("y".repeat(40) + "\n"));   // waits: the bound is full
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Thread.ofVirtual()::start);
        log.giveUpAt(Instant.now());
        blocked.get(10, TimeUnit.SECONDS);
        log.close();
        assertEquals(0, log.recordsWritten());
        assertEquals(11, log.recordsLost(), "every record handed over is counted, written or lost");
        String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("cannot write to log file /dev/full"), printed);
        assertTrue(printed.contains("11 record(s) it did not take are counted as lost"), printed);
    }

    @Test
    void aStorageThatWorksIsNeverGivenUp() throws Exception {
        Path file = dir.resolve("log.txt");
        RecordLog log = RecordLog.open(file, 64, BurstReporter.stderr("test"));
        log.giveUpAt(Instant.now());
        for (int i = 0; i < 1000; i++) log.append(batchOf("z" + i + "\n"));
        log.close();
        assertEquals(1000, log.recordsWritten());
        assertEquals(0, log.recordsLost());
        assertEquals(1000, Files.readAllLines(file).size());
    }

    @Test
    void burstReporterPrintsOncePerBurstAndCountsAll() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BurstReporter r = new BurstReporter("srv", new PrintStream(out, true, StandardCharsets.UTF_8), 60_000);
        for (int i = 0; i < 100; i++) r.report("too many open files");
        assertEquals(100, r.occurrences());
        assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void summaryLineRoundTrips() {
        ServerCounters c = new ServerCounters();
        c.connectionsAccepted.add(3);
        c.bytesEchoed.add(12345);
        String line = c.summaryLine(7);
        assertTrue(line.startsWith("summary {\"connectionsAccepted\":3,"), line);
        var fields = Summary.parse(line);
        assertEquals(3, fields.get("connectionsAccepted"));
        assertEquals(12345, fields.get("bytesEchoed"));
        assertEquals(7, fields.get("recordsLogged"));
        assertEquals(0, fields.get("errors"));
    }
}
