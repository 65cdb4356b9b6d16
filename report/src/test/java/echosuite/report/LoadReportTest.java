package echosuite.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed reference run's load generator files, written field by field by the old code, read into the record. */
class LoadReportTest {

    private static final Path REFERENCE = Path.of("..", "results", "reference", "standard", "raw");

    private static List<Path> referenceFiles() throws IOException {
        try (Stream<Path> files = Files.walk(REFERENCE)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".loadgen.json")).sorted().toList();
        }
    }

    @Test
    void everyReferenceFileReadsAndWritesBackByteForByte() throws IOException {
        List<Path> files = referenceFiles();
        assertFalse(files.isEmpty(), "the reference run has load generator files in " + REFERENCE.toAbsolutePath());
        for (Path f : files) {
            LoadReport r = LoadReport.read(f);
            assertEquals(Files.readString(f), LoadReport.JSON.writeValueAsString(r),
                    f + ": the record keeps every key, in order, with its value");
            assertEquals(r, LoadReport.JSON.readValue(LoadReport.JSON.writeValueAsString(r), LoadReport.class), f + " round trip");
        }
    }

    @Test
    void eachScenarioFillsItsOwnGroupOnly() throws IOException {
        for (Path f : referenceFiles()) {
            LoadReport r = LoadReport.read(f);
            String scenario = r.setup().scenario();
            assertEquals(scenario.equals("bulk"), r.bulk() != null, f.toString());
            assertEquals(scenario.equals("churn"), r.churn() != null, f.toString());
            assertEquals(scenario.equals("hold"), r.hold() != null, f.toString());
            assertEquals(scenario.equals("rate"), r.rate() != null, f.toString());
            assertNull(r.findMax(), f.toString());
            assertNotNull(r.latency().latencyUs().count(), f.toString());
        }
    }

    @Test
    void aFileOlderThanSomeKeysReadsThemAsNull() throws IOException {
        LoadReport r = LoadReport.JSON.readValue("{\"scenario\":\"pingpong\",\"messageBytes\":1024,\"messagesPerSecond\":2048.0,"
                + "\"levels\":[],\"futureKey\":1}", LoadReport.class);
        assertEquals("pingpong", r.setup().scenario());
        assertNull(r.firstEchoes(), "no first-echo keys: no group");
        assertNull(r.latency().unansweredInLatency());
        assertNull(r.hold(), "levels alone do not make a hold report");
        assertEquals(2.0, r.mibPerSecond(), 1e-9, "MiB/s computed from messages/s times bytes when the file predates it");
        assertEquals(0, r.errorCount());
    }

    @Test
    void aHoldLevelWithoutReachedCountsAsReached() throws IOException {
        LoadReport.HoldLevel l = LoadReport.JSON.readValue("{\"target\":5,\"held\":5,\"fromEpochMs\":1,\"toEpochMs\":2}",
                LoadReport.HoldLevel.class);
        assertTrue(l.reached());
    }

    @Test
    void aFirstEchoThatNeverCameIsWrittenAsNull() throws IOException {
        String json = LoadReport.JSON.writeValueAsString(new LoadReport.FirstEchoes(null, false, 3L));
        assertTrue(json.contains("\"allFirstEchoMs\" : null"), json);
    }
}
